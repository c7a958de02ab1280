#include "platform/core/json_output.hpp"

#include <fmt/format.h>

#include <cmath>

namespace fairdesk {
namespace json = boost::json;
namespace {

void Write(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string(kv.key()));
        out += ':';
        Write(kv.value(), out);
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        Write(item, out);
      }
      out += ']';
      return;
    }
    case json::kind::double_: {
      double d = v.get_double();
      if (!std::isfinite(d)) {
        out += "null";  // JSON has no NaN or infinity
      } else {
        // fmt's "{}" is the shortest decimal that reads back as the same double, and it never
        // uses exponent form for the magnitudes we produce.
        out += fmt::format("{}", d);
      }
      return;
    }
    default:
      out += json::serialize(v);
  }
}

}  // namespace

std::string ToJsonText(const json::value& value) {
  std::string out;
  Write(value, out);
  return out;
}

}  // namespace fairdesk
