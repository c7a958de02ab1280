#pragma once
/// JSON text for responses. Boost.JSON writes non-integral doubles in exponent form ("8.33E0");
/// API.md promises plain decimals for hours and day counts ("38.5"), so doubles are written in
/// their shortest round-trip decimal form and everything else as Boost.JSON writes it.
///
/// JsonWriter writes the same text straight into a string, without building a boost::json value
/// first: for large answers (the case list, issue 13) building 50 objects of 25 members cost more
/// than the query. Strings are escaped exactly as Boost.JSON escapes them.

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fairdesk {

std::string ToJsonText(const boost::json::value& value);

/// Appends `s` as a JSON string literal, escaped as Boost.JSON does (", \, \b \t \n \f \r, other
/// control characters as \u00xx; everything else as it is).
void AppendJsonString(std::string& out, std::string_view s);

/// Writes JSON into `out`; commas are placed by the writer. Keys and values must alternate inside
/// an object; nothing is checked beyond that.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view s);
  JsonWriter& Int(std::int64_t v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  /// A value written elsewhere (ToJsonText of a boost::json value).
  JsonWriter& Raw(std::string_view json);
  JsonWriter& OptString(const std::optional<std::string>& s) { return s ? String(*s) : Null(); }
  JsonWriter& Strings(const std::vector<std::string>& list);

 private:
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void Separate() {
    if (comma_) out_ += ',';
    comma_ = true;
  }
  std::string& out_;
  bool comma_ = false;
};

}  // namespace fairdesk
