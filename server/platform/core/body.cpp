#include "platform/core/body.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"

namespace fairdesk::body::detail {
namespace json = boost::json;

namespace {

std::size_t Utf8Length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Checks length, plain text and the extra validator of one text value; adds errors to `r`.
bool CheckText(JsonReader& r, const std::string& field, std::string_view s, std::size_t max, std::size_t min,
               bool multiline, bool (*valid)(std::string_view), const char* invalid) {
  std::size_t len = Utf8Length(s);
  if (len > max) {
    r.AddError(field, fmt::format("must be at most {} characters", max));
    return false;
  }
  if (len < min) {
    r.AddError(field, min == 1 ? "must not be empty" : fmt::format("must be at least {} characters", min));
    return false;
  }
  if (!IsPlainText(s, multiline)) {
    r.AddError(field, multiline ? "contains control characters" : "must be a single line without control characters");
    return false;
  }
  if (valid && !valid(s)) {
    r.AddError(field, invalid ? invalid : "is not valid");
    return false;
  }
  return true;
}

}  // namespace

json::object TextSchema(const TextRule& rule) {
  json::object s{{"type", "string"}, {"maxLength", rule.max}};
  if (rule.min > 0) s["minLength"] = rule.min;
  if (rule.format) s["format"] = rule.format;
  if (rule.pattern) s["pattern"] = rule.pattern;
  if (rule.description) s["description"] = rule.description;
  return s;
}

json::object IntSchema(const IntRule& rule) {
  json::object s{{"type", "integer"}, {"minimum", rule.min}};
  if (rule.max != INT64_MAX && !rule.max_now) s["maximum"] = rule.max;
  return s;
}

json::object NumberSchema(const NumberRule& rule) {
  return {{"type", "number"}, {"minimum", rule.min}, {"maximum", rule.max},
          {"multipleOf", std::pow(10.0, -rule.decimals)}};
}

json::object EnumSchema(std::span<const std::string_view> allowed) {
  json::array values;
  for (auto a : allowed) values.emplace_back(a);
  return {{"type", "string"}, {"enum", std::move(values)}};
}

json::object DateSchema() { return {{"type", "string"}, {"format", "date"}}; }

json::object ArraySchema(json::object items, const ListRule& rule) {
  json::object s{{"type", "array"}, {"items", std::move(items)}, {"maxItems", rule.max_items}};
  if (rule.min_items > 0) s["minItems"] = rule.min_items;
  if (rule.unique) s["uniqueItems"] = true;
  return s;
}

json::object JsonSchema(const JsonRule& rule) {
  json::object s{{"type", "object"}};
  if (rule.description) s["description"] = rule.description;
  return s;
}

void Nullable(json::object& schema) {
  auto it = schema.find("type");
  if (it == schema.end() || !it->value().is_string()) return;
  json::array types{it->value(), "null"};
  it->value() = std::move(types);
  if (auto e = schema.find("enum"); e != schema.end() && e->value().is_array()) {
    e->value().get_array().emplace_back(nullptr);
  }
}

json::object ObjectSchema(json::object properties, const std::vector<std::string>& required,
                          const std::string& description) {
  json::object s{{"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!description.empty()) s["description"] = description;
  if (!required.empty()) {
    json::array req;
    for (const auto& r : required) req.emplace_back(r);
    s["required"] = std::move(req);
  }
  return s;
}

std::optional<std::string> ReadText(JsonReader& r, std::string_view key, Need need, const TextRule& rule) {
  // Read without the reader's own limits, then check ours (so that `multiline` is exact).
  auto v = r.String(key, need, std::numeric_limits<std::size_t>::max(), 0);
  if (!v) return v;
  if (!CheckText(r, r.PathOf(key), *v, rule.max, rule.min, rule.multiline, rule.valid, rule.invalid)) {
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t> ReadInt(JsonReader& r, std::string_view key, Need need, const IntRule& rule) {
  return r.Int(key, need, rule.min, rule.max_now ? rule.max_now() : rule.max);
}

std::optional<json::object> ReadJson(JsonReader& r, std::string_view key, Need need, const JsonRule& rule) {
  const json::value* v = r.Raw(key, need);
  if (!v) return std::nullopt;
  if (!v->is_object()) {
    r.AddError(r.PathOf(key), rule.invalid);
    return std::nullopt;
  }
  return v->get_object();
}

std::optional<double> ReadNumber(JsonReader& r, std::string_view key, Need need, const NumberRule& rule) {
  const json::value* v = r.Raw(key, need);
  if (!v) return std::nullopt;
  double n = 0;
  if (v->is_int64()) {
    n = static_cast<double>(v->get_int64());
  } else if (v->is_uint64()) {
    n = static_cast<double>(v->get_uint64());
  } else if (v->is_double()) {
    n = v->get_double();
  } else {
    r.AddError(r.PathOf(key), "must be a number");
    return std::nullopt;
  }
  if (!std::isfinite(n) || n < rule.min || n > rule.max) {
    r.AddError(r.PathOf(key), fmt::format("must be a number from {} to {}", rule.min, rule.max));
    return std::nullopt;
  }
  double scale = std::pow(10.0, rule.decimals);
  if (std::fabs(n * scale - std::round(n * scale)) > 1e-6) {
    r.AddError(r.PathOf(key), fmt::format("must have at most {} decimals", rule.decimals));
    return std::nullopt;
  }
  return n;
}

std::optional<std::string> ReadDate(JsonReader& r, std::string_view key, Need need, const DateRule& rule) {
  auto v = r.String(key, need, 10, 0);
  if (!v) return v;
  auto d = Date::Parse(*v);
  if (!d || d->year() < 1900) {
    r.AddError(r.PathOf(key), "must be a date YYYY-MM-DD");
    return std::nullopt;
  }
  if (rule.when == When::kPastOrToday && *v > clock::TodayIso()) {
    r.AddError(r.PathOf(key), "must not be in the future");
    return std::nullopt;
  }
  if (rule.when == When::kTodayOrLater && *v < clock::TodayIso()) {
    r.AddError(r.PathOf(key), "must not be in the past");
    return std::nullopt;
  }
  return v;
}

std::optional<std::vector<std::string>> ReadTexts(JsonReader& r, std::string_view key, Need need,
                                                  const ListRule& rule) {
  auto items = r.StringArray(key, need, rule.max_items, std::numeric_limits<std::size_t>::max());
  if (!items) return items;
  if (items->size() < rule.min_items) {
    r.AddError(r.PathOf(key), rule.min_items == 1 ? "must not be empty"
                                                  : fmt::format("must have at least {} items", rule.min_items));
    return std::nullopt;
  }
  bool ok = true;
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::string field = fmt::format("{}[{}]", r.PathOf(key), i);
    ok = CheckText(r, field, (*items)[i], rule.max_len, 0, false, rule.valid, rule.invalid) && ok;
    if (rule.unique && !seen.insert((*items)[i]).second) {
      r.AddError(field, "is listed twice");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return items;
}

std::optional<std::vector<std::string>> ReadEnums(JsonReader& r, std::string_view key, Need need,
                                                  std::span<const std::string_view> allowed, const ListRule& rule) {
  auto items = r.EnumArray(key, need, allowed, rule.max_items);
  if (!items) return items;
  if (items->size() < rule.min_items) {
    r.AddError(r.PathOf(key), rule.min_items == 1 ? "must not be empty"
                                                  : fmt::format("must have at least {} items", rule.min_items));
    return std::nullopt;
  }
  if (rule.unique) {
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < items->size(); ++i) {
      if (!seen.insert((*items)[i]).second) {
        r.AddError(fmt::format("{}[{}]", r.PathOf(key), i), "is listed twice");
        return std::nullopt;
      }
    }
  }
  return items;
}

}  // namespace fairdesk::body::detail
