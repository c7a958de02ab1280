#pragma once
/// Strict reading of untrusted JSON request bodies. A JsonReader walks one object, collects a
/// FieldError for every missing, mistyped or out-of-range field (named by its JSON path) and, on
/// Finish(), one for every field it was never asked about ("unknown field").

#include <boost/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/error.hpp"

namespace fairdesk {

/// Parses a request body: malformed JSON or invalid UTF-8 is a 400, nesting deeper than 32 too.
Result<boost::json::value> ParseJsonBody(std::string_view body);

enum class Need { kRequired, kOptional };

class JsonReader {
 public:
  /// `errors` is shared by nested readers so that one answer lists every problem.
  JsonReader(const boost::json::value& value, std::string path = "",
             std::shared_ptr<std::vector<FieldError>> errors = nullptr);

  bool IsObject() const { return object_ != nullptr; }
  bool Has(std::string_view key) const;
  /// True when the key is present with a JSON null (for PATCH: clear a field); marks it read.
  bool IsNull(std::string_view key);

  std::optional<std::string> String(std::string_view key, Need need, std::size_t max_len = 1000,
                                    std::size_t min_len = 0);
  std::optional<std::int64_t> Int(std::string_view key, Need need, std::int64_t min, std::int64_t max);
  std::optional<bool> Bool(std::string_view key, Need need);
  std::optional<std::string> Enum(std::string_view key, Need need, std::span<const std::string_view> allowed);
  std::optional<std::vector<std::string>> StringArray(std::string_view key, Need need, std::size_t max_items,
                                                      std::size_t max_len = 200);
  std::optional<std::vector<std::string>> EnumArray(std::string_view key, Need need,
                                                    std::span<const std::string_view> allowed,
                                                    std::size_t max_items);
  /// A nested object reader (marks the key as read). Missing: a reader that is not an object.
  std::optional<JsonReader> Object(std::string_view key, Need need);
  const boost::json::array* Array(std::string_view key, Need need, std::size_t max_items);
  /// The raw value (marks the key as read); null or missing: nullptr (and "is required" if needed).
  const boost::json::value* Raw(std::string_view key, Need need) { return Get(key, need); }

  std::string PathOf(std::string_view key) const;
  void AddError(std::string field, std::string message);
  void MarkRead(std::string_view key) { read_.insert(std::string(key)); }

  /// Reports unknown fields of this object; answers the collected errors (of all nested readers).
  Status Finish();
  /// Reports unknown fields of this object without answering (for nested readers).
  void CheckUnknown();
  bool Ok() const { return errors_->empty(); }
  std::shared_ptr<std::vector<FieldError>> Errors() const { return errors_; }

 private:
  const boost::json::value* Get(std::string_view key, Need need);

  const boost::json::object* object_ = nullptr;
  std::string path_;
  std::shared_ptr<std::vector<FieldError>> errors_;
  std::set<std::string, std::less<>> read_;
};

/// Checks that a string is plain text: valid UTF-8 is guaranteed by the parser; this rejects
/// control characters other than tab and newline.
bool IsPlainText(std::string_view s, bool allow_newlines);

}  // namespace fairdesk
