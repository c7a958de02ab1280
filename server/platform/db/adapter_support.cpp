#include "platform/db/adapter_support.hpp"

#include <string>
#include <variant>

namespace fairdesk::db::detail {

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    char32_t code = 0;
    char32_t min = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      code = c & 0x1F;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      code = c & 0x0F;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      code = c & 0x07;
      min = 0x10000;
    } else {
      return false;
    }
    if (n - i < len) {
      return false;
    }
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) {
        return false;
      }
      code = (code << 6) | (cc & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

Status CheckTextParams(std::string_view query_name, std::span<const Value> params) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto* text = std::get_if<std::string>(&params[i]);
    if (text == nullptr) {
      continue;
    }
    if (text->find('\0') != std::string::npos || !IsValidUtf8(*text)) {
      Error e{ErrorKind::kInvalid, "The request contains text that is not valid UTF-8."};
      // The position of the parameter helps to find the field; its value stays out of the log.
      e.internal = std::string(query_name) + ": text parameter $" + std::to_string(i + 1) +
                   " holds NUL or invalid UTF-8";
      return Fail(std::move(e));
    }
  }
  return {};
}

}  // namespace fairdesk::db::detail
