#include "platform/core/json_input.hpp"

#include <fmt/format.h>

namespace fairdesk {
namespace json = boost::json;

Result<json::value> ParseJsonBody(std::string_view body) {
  if (body.empty()) {
    return Fail(Error::BadRequest("The request body must be a JSON object."));
  }
  json::parse_options opts;
  opts.max_depth = 32;
  opts.allow_invalid_utf8 = false;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec, {}, opts);
  if (ec) {
    return Fail(Error::BadRequest("The request body is not valid JSON (UTF-8)."));
  }
  return v;
}

JsonReader::JsonReader(const json::value& value, std::string path, std::shared_ptr<std::vector<FieldError>> errors)
    : object_(value.if_object()), path_(std::move(path)),
      errors_(errors ? std::move(errors) : std::make_shared<std::vector<FieldError>>()) {
  if (!object_) {
    errors_->push_back({path_.empty() ? "(body)" : path_, "must be a JSON object"});
  }
}

std::string JsonReader::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

void JsonReader::AddError(std::string field, std::string message) {
  errors_->push_back({std::move(field), std::move(message)});
}

bool JsonReader::Has(std::string_view key) const { return object_ && object_->contains(key); }

bool JsonReader::IsNull(std::string_view key) {
  if (!object_) return false;
  auto it = object_->find(key);
  bool null = it != object_->end() && it->value().is_null();
  if (null) read_.insert(std::string(key));
  return null;
}

const json::value* JsonReader::Get(std::string_view key, Need need) {
  read_.insert(std::string(key));
  if (!object_) return nullptr;
  auto it = object_->find(key);
  if (it == object_->end() || it->value().is_null()) {
    if (need == Need::kRequired) AddError(PathOf(key), "is required");
    return nullptr;
  }
  return &it->value();
}

bool IsPlainText(std::string_view s, bool allow_newlines) {
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\t' && !(allow_newlines && (c == '\n' || c == '\r'))) return false;
    if (c == 0x7f) return false;
  }
  return true;
}

namespace {
// Counts code points of valid UTF-8 (the parser has validated it).
std::size_t Utf8Length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}
}  // namespace

std::optional<std::string> JsonReader::String(std::string_view key, Need need, std::size_t max_len,
                                              std::size_t min_len) {
  const json::value* v = Get(key, need);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    AddError(PathOf(key), "must be a string");
    return std::nullopt;
  }
  std::string s(v->get_string());
  std::size_t len = Utf8Length(s);
  if (len > max_len) {
    AddError(PathOf(key), fmt::format("must be at most {} characters", max_len));
    return std::nullopt;
  }
  if (len < min_len) {
    AddError(PathOf(key), min_len == 1 ? "must not be empty" : fmt::format("must be at least {} characters", min_len));
    return std::nullopt;
  }
  if (!IsPlainText(s, max_len > 200)) {
    AddError(PathOf(key), "contains control characters");
    return std::nullopt;
  }
  return s;
}

std::optional<std::int64_t> JsonReader::Int(std::string_view key, Need need, std::int64_t min, std::int64_t max) {
  const json::value* v = Get(key, need);
  if (!v) return std::nullopt;
  std::int64_t n = 0;
  if (v->is_int64()) {
    n = v->get_int64();
  } else if (v->is_uint64()) {
    AddError(PathOf(key), fmt::format("must be at most {}", max));
    return std::nullopt;
  } else if (v->is_double() && v->get_double() == static_cast<double>(static_cast<std::int64_t>(v->get_double())) &&
             v->get_double() > -9e15 && v->get_double() < 9e15) {
    n = static_cast<std::int64_t>(v->get_double());
  } else {
    AddError(PathOf(key), "must be an integer");
    return std::nullopt;
  }
  if (n < min) {
    AddError(PathOf(key), fmt::format("must be at least {}", min));
    return std::nullopt;
  }
  if (n > max) {
    AddError(PathOf(key), fmt::format("must be at most {}", max));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> JsonReader::Bool(std::string_view key, Need need) {
  const json::value* v = Get(key, need);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    AddError(PathOf(key), "must be true or false");
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<std::string> JsonReader::Enum(std::string_view key, Need need, std::span<const std::string_view> allowed) {
  const json::value* v = Get(key, need);
  if (!v) return std::nullopt;
  if (v->is_string()) {
    for (auto a : allowed) {
      if (a == v->get_string()) return std::string(a);
    }
  }
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  AddError(PathOf(key), fmt::format("must be one of: {}", list));
  return std::nullopt;
}

const json::array* JsonReader::Array(std::string_view key, Need need, std::size_t max_items) {
  const json::value* v = Get(key, need);
  if (!v) return nullptr;
  if (!v->is_array()) {
    AddError(PathOf(key), "must be an array");
    return nullptr;
  }
  if (v->get_array().size() > max_items) {
    AddError(PathOf(key), fmt::format("must have at most {} items", max_items));
    return nullptr;
  }
  return &v->get_array();
}

std::optional<std::vector<std::string>> JsonReader::StringArray(std::string_view key, Need need, std::size_t max_items,
                                                                std::size_t max_len) {
  const json::array* arr = Array(key, need, max_items);
  if (!arr) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto& item = (*arr)[i];
    std::string field = fmt::format("{}[{}]", PathOf(key), i);
    if (!item.is_string()) {
      AddError(field, "must be a string");
      ok = false;
    } else if (Utf8Length(item.get_string()) > max_len || !IsPlainText(item.get_string(), false)) {
      AddError(field, fmt::format("must be plain text of at most {} characters", max_len));
      ok = false;
    } else {
      out.emplace_back(item.get_string());
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::vector<std::string>> JsonReader::EnumArray(std::string_view key, Need need,
                                                              std::span<const std::string_view> allowed,
                                                              std::size_t max_items) {
  auto items = StringArray(key, need, max_items);
  if (!items) return std::nullopt;
  bool ok = true;
  for (std::size_t i = 0; i < items->size(); ++i) {
    bool found = false;
    for (auto a : allowed) found = found || a == (*items)[i];
    if (!found) {
      AddError(fmt::format("{}[{}]", PathOf(key), i), "is not a known code");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return items;
}

std::optional<JsonReader> JsonReader::Object(std::string_view key, Need need) {
  const json::value* v = Get(key, need);
  if (!v) return std::nullopt;
  return JsonReader(*v, PathOf(key), errors_);
}

void JsonReader::CheckUnknown() {
  if (!object_) return;
  for (const auto& kv : *object_) {
    if (!read_.contains(std::string_view(kv.key()))) {
      // The key itself is caller input; it is echoed only as a field name, truncated.
      // Cut at a character boundary, so that the answer stays valid UTF-8 (issue 8 #18).
      std::string_view key = kv.key();
      std::size_t cut = std::min<std::size_t>(key.size(), 64);
      while (cut < key.size() && cut > 0 && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80) --cut;
      std::string name(key.substr(0, cut));
      AddError(PathOf(name), "unknown field");
    }
  }
}

Status JsonReader::Finish() {
  CheckUnknown();
  if (!errors_->empty()) {
    return Fail(Error::Invalid(*errors_));
  }
  return {};
}

}  // namespace fairdesk
