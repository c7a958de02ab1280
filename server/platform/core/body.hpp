#pragma once
/// One declaration per request body. A `Body<T>` lists the fields of a JSON request body, each
/// bound to a member of `T` with its type, limits and whether it is required. The same
/// declaration reads a body strictly (every problem a FieldError naming the JSON path; unknown
/// fields refused) and produces the JSON Schema that the OpenAPI document shows, so the two can
/// never drift apart.
///
///   struct NewNote { std::string text; std::optional<std::string> date; std::vector<std::string> topics; };
///   const auto kNewNote = body::Body<NewNote>()
///       .Text("text", &NewNote::text, Need::kRequired, {.max = 10000, .min = 1, .multiline = true})
///       .Date("date", &NewNote::date, Need::kOptional, {.when = body::When::kPastOrToday})
///       .Enums("topics", &NewNote::topics, Need::kOptional, kTopics, {.max_items = 20});
///
///   NewNote n = FD_TRY(kNewNote.Parse(req.body));        // POST: required fields enforced
///   route.doc.request_schema = kNewNote.Schema();           // the OpenAPI request schema
///   auto changed = FD_TRY(kNewNote.Apply(json, existing)); // PATCH: only the fields sent;
///                                                           // null clears an optional member
///   route.doc.request_schema = kNewNote.Schema(body::Mode::kPatch);
///
/// Beside texts, numbers, dates, enums and lists: nested bodies (`Object`, `Objects`, `Nested`), JSON objects
/// passed on as they are for their consumer to check (`Json`, e.g. a calculator's input), a
/// maximum known only when reading (`IntRule::max_now`, e.g. this year) and descriptions for the
/// documentation (`TextRule::description`, `Describe`).
///
/// Members that are `std::optional<…>` accept JSON null (and are nullable in the schema); other
/// members refuse null. Cross-field rules (`Rule`) run after every field was read without error.

#include <boost/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "platform/core/error.hpp"
#include "platform/core/json_input.hpp"

namespace fairdesk::body {

/// Create: required fields must be present. Patch: every field optional, only those sent change.
enum class Mode { kCreate, kPatch };

/// Which dates make sense for a field.
enum class When { kAny, kPastOrToday, kTodayOrLater };

struct TextRule {
  std::size_t max = 1000;
  std::size_t min = 0;
  bool multiline = false;  // allow newlines (free text)
  bool (*valid)(std::string_view) = nullptr;  // extra check of the value, e.g. IsCountryCode
  const char* invalid = nullptr;              // the message when `valid` refuses
  const char* format = nullptr;               // JSON Schema "format" (documentation)
  const char* pattern = nullptr;              // JSON Schema "pattern" (documentation)
  const char* description = nullptr;          // JSON Schema "description" (documentation)
};

struct IntRule {
  std::int64_t min = 0;
  std::int64_t max = INT64_MAX;
  std::int64_t (*max_now)() = nullptr;  // a maximum known only when reading (e.g. this year); replaces max
};

struct NumberRule {
  double min = 0;
  double max = 1e9;
  int decimals = 2;  // at most this many decimal places (hours, days)
};

struct DateRule {
  When when = When::kAny;
};

struct ListRule {
  std::size_t max_items = 50;
  std::size_t min_items = 0;
  std::size_t max_len = 200;  // per item, for text lists
  bool (*valid)(std::string_view) = nullptr;
  const char* invalid = nullptr;
  bool unique = false;  // refuse duplicate items
};

/// A JSON object taken as it is, for its consumer to validate (e.g. a calculator's input).
struct JsonRule {
  const char* invalid = "must be a JSON object";
  const char* description = nullptr;
};

namespace detail {
boost::json::object TextSchema(const TextRule& rule);
boost::json::object IntSchema(const IntRule& rule);
boost::json::object NumberSchema(const NumberRule& rule);
boost::json::object EnumSchema(std::span<const std::string_view> allowed);
boost::json::object DateSchema();
boost::json::object ArraySchema(boost::json::object items, const ListRule& rule);
boost::json::object JsonSchema(const JsonRule& rule);
void Nullable(boost::json::object& schema);

std::optional<std::string> ReadText(JsonReader& r, std::string_view key, Need need, const TextRule& rule);
std::optional<std::int64_t> ReadInt(JsonReader& r, std::string_view key, Need need, const IntRule& rule);
std::optional<double> ReadNumber(JsonReader& r, std::string_view key, Need need, const NumberRule& rule);
std::optional<std::string> ReadDate(JsonReader& r, std::string_view key, Need need, const DateRule& rule);
std::optional<std::vector<std::string>> ReadTexts(JsonReader& r, std::string_view key, Need need,
                                                  const ListRule& rule);
std::optional<std::vector<std::string>> ReadEnums(JsonReader& r, std::string_view key, Need need,
                                                  std::span<const std::string_view> allowed, const ListRule& rule);
std::optional<boost::json::object> ReadJson(JsonReader& r, std::string_view key, Need need, const JsonRule& rule);
/// The object schema from its properties; `required` only in create mode; `description` if not empty.
boost::json::object ObjectSchema(boost::json::object properties, const std::vector<std::string>& required,
                                 const std::string& description = {});

template <typename M>
struct IsOptional : std::false_type {};
template <typename M>
struct IsOptional<std::optional<M>> : std::true_type {};

// Assigns a read value to a plain or optional member.
template <typename M, typename V>
void Assign(M& member, V&& value) {
  member = std::forward<V>(value);
}
}  // namespace detail

template <typename T>
class Body {
 public:
  /// A text field (std::string or std::optional<std::string>).
  template <typename M>
  Body& Text(std::string name, M T::*member, Need need, TextRule rule = {}) {
    return Add(std::move(name), member, need, detail::TextSchema(rule),
               [rule](JsonReader& r, std::string_view key, Need n) { return detail::ReadText(r, key, n, rule); });
  }

  /// An integer (int, int64_t or their optionals), e.g. an amount in cents.
  template <typename M>
  Body& Int(std::string name, M T::*member, Need need, IntRule rule) {
    return Add(std::move(name), member, need, detail::IntSchema(rule),
               [rule](JsonReader& r, std::string_view key, Need n) { return detail::ReadInt(r, key, n, rule); });
  }

  /// A number with at most `rule.decimals` decimals (hours, day counts).
  template <typename M>
  Body& Number(std::string name, M T::*member, Need need, NumberRule rule) {
    return Add(std::move(name), member, need, detail::NumberSchema(rule),
               [rule](JsonReader& r, std::string_view key, Need n) { return detail::ReadNumber(r, key, n, rule); });
  }

  template <typename M>
  Body& Bool(std::string name, M T::*member, Need need) {
    return Add(std::move(name), member, need, boost::json::object{{"type", "boolean"}},
               [](JsonReader& r, std::string_view key, Need n) { return r.Bool(key, n); });
  }

  /// One of a fixed set of strings.
  template <typename M>
  Body& Enum(std::string name, M T::*member, Need need, std::span<const std::string_view> allowed) {
    return Add(std::move(name), member, need, detail::EnumSchema(allowed),
               [allowed](JsonReader& r, std::string_view key, Need n) { return r.Enum(key, n, allowed); });
  }

  /// A date YYYY-MM-DD (kept as its ISO text).
  template <typename M>
  Body& Date(std::string name, M T::*member, Need need, DateRule rule = {}) {
    return Add(std::move(name), member, need, detail::DateSchema(),
               [rule](JsonReader& r, std::string_view key, Need n) { return detail::ReadDate(r, key, n, rule); });
  }

  /// A list of plain texts.
  template <typename M>
  Body& Texts(std::string name, M T::*member, Need need, ListRule rule = {}) {
    TextRule item{.max = rule.max_len};
    return Add(std::move(name), member, need, detail::ArraySchema(detail::TextSchema(item), rule),
               [rule](JsonReader& r, std::string_view key, Need n) { return detail::ReadTexts(r, key, n, rule); });
  }

  /// A list of values from a fixed set.
  template <typename M>
  Body& Enums(std::string name, M T::*member, Need need, std::span<const std::string_view> allowed,
              ListRule rule = {}) {
    return Add(std::move(name), member, need, detail::ArraySchema(detail::EnumSchema(allowed), rule),
               [allowed, rule](JsonReader& r, std::string_view key, Need n) {
                 return detail::ReadEnums(r, key, n, allowed, rule);
               });
  }

  /// A JSON object kept as it is (boost::json::object or its optional), validated by whoever uses
  /// it; the body only checks that it is an object.
  template <typename M>
  Body& Json(std::string name, M T::*member, Need need, JsonRule rule = {}) {
    return Add(std::move(name), member, need, detail::JsonSchema(rule),
               [rule](JsonReader& r, std::string_view key, Need n) { return detail::ReadJson(r, key, n, rule); });
  }

  /// The description of the body in its schema (shown where it is nested in another body, too).
  Body& Describe(std::string description) {
    description_ = std::move(description);
    return *this;
  }

  /// A nested object declared by its own Body (member S or std::optional<S>).
  template <typename M, typename S>
  Body& Object(std::string name, M T::*member, Need need, const Body<S>& inner) {
    Field f{name, need == Need::kRequired, detail::IsOptional<M>::value, {}, {}, {}};
    f.schema = [inner](Mode mode) { return inner.SchemaObject(mode); };
    f.read = [name, member, inner](JsonReader& r, T& out, Need n, Mode mode) {
      auto sub = r.Object(name, n);
      if (!sub || !sub->IsObject()) return;
      if constexpr (detail::IsOptional<M>::value) {
        if (!(out.*member)) out.*member = S{};
        inner.ReadInto(*sub, *(out.*member), mode);
      } else {
        inner.ReadInto(*sub, out.*member, mode);
      }
      sub->CheckUnknown();
    };
    if constexpr (detail::IsOptional<M>::value) {
      f.clear = [member](T& out) { (out.*member).reset(); };
    }
    fields_.push_back(std::move(f));
    return *this;
  }

  /// A nested object whose fields are members of `T` itself (an address kept beside the other
  /// fields of its record): `inner` declares them on `T`.
  Body& Nested(std::string name, Need need, const Body<T>& inner) {
    Field f{name, need == Need::kRequired, false, {}, {}, {}};
    f.schema = [inner](Mode mode) { return inner.SchemaObject(mode); };
    f.read = [name, inner](JsonReader& r, T& out, Need n, Mode mode) {
      auto sub = r.Object(name, n);
      if (!sub || !sub->IsObject()) return;
      inner.ReadInto(*sub, out, mode);
      sub->CheckUnknown();
    };
    fields_.push_back(std::move(f));
    return *this;
  }

  /// A list of nested objects declared by their own Body. Always read whole (also in PATCH).
  template <typename S>
  Body& Objects(std::string name, std::vector<S> T::*member, Need need, const Body<S>& inner, ListRule rule = {}) {
    Field f{name, need == Need::kRequired, false, {}, {}, {}};
    f.schema = [inner, rule](Mode) { return detail::ArraySchema(inner.SchemaObject(Mode::kCreate), rule); };
    f.read = [name, member, inner, rule](JsonReader& r, T& out, Need n, Mode) {
      const boost::json::array* arr = r.Array(name, n, rule.max_items);
      if (!arr) return;
      if (arr->size() < rule.min_items) {
        r.AddError(r.PathOf(name), rule.min_items == 1 ? "must not be empty"
                                                       : "must have at least " + std::to_string(rule.min_items) + " items");
        return;
      }
      std::vector<S> items;
      items.reserve(arr->size());
      for (std::size_t i = 0; i < arr->size(); ++i) {
        JsonReader item((*arr)[i], r.PathOf(name) + "[" + std::to_string(i) + "]", r.Errors());
        S s{};
        if (item.IsObject()) {
          inner.ReadInto(item, s, Mode::kCreate);
          item.CheckUnknown();
        }
        items.push_back(std::move(s));
      }
      out.*member = std::move(items);
    };
    fields_.push_back(std::move(f));
    return *this;
  }

  /// A rule across fields, checked when every field was read without error; `field` names the
  /// field the message is about.
  Body& Rule(std::string field, std::function<bool(const T&)> ok, std::string message) {
    rules_.push_back({std::move(field), std::move(ok), std::move(message)});
    return *this;
  }

  /// Reads a whole new record (required fields enforced, unknown fields refused).
  Result<T> Read(const boost::json::value& value) const {
    T out{};
    FD_TRY_VOID(Run(value, out, Mode::kCreate));
    return out;
  }

  /// Parses and reads a request body.
  Result<T> Parse(std::string_view text) const {
    auto value = FD_TRY(ParseJsonBody(text));
    return Read(value);
  }

  /// Applies a PATCH to an existing record: only the fields present change (null clears an
  /// optional member). Answers the names of the fields sent. On error `out` may be partly
  /// changed: apply to a copy (or inside a transaction that is rolled back).
  Result<std::vector<std::string>> Apply(const boost::json::value& value, T& out) const {
    FD_TRY_VOID(Run(value, out, Mode::kPatch));
    std::vector<std::string> sent;
    if (const auto* o = value.if_object()) {
      for (const auto& f : fields_) {
        if (o->contains(f.name)) sent.push_back(f.name);
      }
    }
    return sent;
  }

  /// The JSON Schema of the body for the OpenAPI document (RouteDoc::request_schema).
  boost::json::value Schema(Mode mode = Mode::kCreate) const { return SchemaObject(mode); }

  boost::json::object SchemaObject(Mode mode) const {
    boost::json::object props;
    std::vector<std::string> required;
    for (const auto& f : fields_) {
      boost::json::object s = f.schema(mode);
      if (f.nullable) detail::Nullable(s);
      props[f.name] = std::move(s);
      if (f.required && mode == Mode::kCreate) required.push_back(f.name);
    }
    return detail::ObjectSchema(std::move(props), required, description_);
  }

  /// Reads the declared fields from an object reader into `out` (nested use; no unknown check).
  void ReadInto(JsonReader& r, T& out, Mode mode) const {
    for (const auto& f : fields_) {
      Need need = (f.required && mode == Mode::kCreate) ? Need::kRequired : Need::kOptional;
      if (r.IsNull(f.name)) {
        if (f.clear) {
          f.clear(out);
        } else if (need == Need::kRequired) {
          r.AddError(r.PathOf(f.name), "is required");
        } else {
          r.AddError(r.PathOf(f.name), "must not be null");
        }
        continue;
      }
      f.read(r, out, need, mode);
    }
    if (r.Ok()) {
      for (const auto& rule : rules_) {
        if (!rule.ok(out)) r.AddError(r.PathOf(rule.field), rule.message);
      }
    }
  }

 private:
  struct Field {
    std::string name;
    bool required;
    bool nullable;
    std::function<boost::json::object(Mode)> schema;
    std::function<void(JsonReader&, T&, Need, Mode)> read;
    std::function<void(T&)> clear;  // set for optional members: null clears them
  };
  struct CrossRule {
    std::string field;
    std::function<bool(const T&)> ok;
    std::string message;
  };

  template <typename M, typename Reader>
  Body& Add(std::string name, M T::*member, Need need, boost::json::object schema, Reader reader) {
    Field f{name, need == Need::kRequired, detail::IsOptional<M>::value, {}, {}, {}};
    f.schema = [schema = std::move(schema)](Mode) { return schema; };
    f.read = [name, member, reader](JsonReader& r, T& out, Need n, Mode) {
      if (auto v = reader(r, name, n)) {
        using V = std::remove_cvref_t<decltype(*v)>;
        if constexpr (detail::IsOptional<M>::value) {
          using Inner = typename M::value_type;
          (out.*member) = static_cast<Inner>(std::move(*v));
        } else if constexpr (std::is_same_v<M, V>) {
          (out.*member) = std::move(*v);
        } else {
          (out.*member) = static_cast<M>(std::move(*v));
        }
      }
    };
    if constexpr (detail::IsOptional<M>::value) {
      f.clear = [member](T& out) { (out.*member).reset(); };
    }
    fields_.push_back(std::move(f));
    return *this;
  }

  Status Run(const boost::json::value& value, T& out, Mode mode) const {
    JsonReader r(value);
    if (r.IsObject()) ReadInto(r, out, mode);
    return r.Finish();
  }

  std::vector<Field> fields_;
  std::vector<CrossRule> rules_;
  std::string description_;
};

}  // namespace fairdesk::body
