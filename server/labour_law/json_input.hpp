#pragma once
/// Reading calculator input from JSON: every field is untrusted. Each getter checks type, format
/// and range and records a field error with the JSON path ("periods[0].hours") instead of
/// guessing; fields nobody asked for are reported as unknown.

#include <boost/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "labour_law/holidays.hpp"
#include "platform/core/date.hpp"
#include "platform/core/error.hpp"
#include "platform/core/money.hpp"

namespace fairdesk::labour_law {

enum class Need { kRequired, kOptional };

class FieldReader {
 public:
  /// `path` is the JSON path of `object` ("" for the top level, "periods[0]" for an element).
  FieldReader(const boost::json::object& object, std::string path, std::vector<FieldError>& errors);

  std::optional<Date> GetDate(std::string_view key, Need need);
  std::optional<YearMonth> GetMonth(std::string_view key, Need need);
  /// A non-negative integer number of cents.
  std::optional<Cents> GetCents(std::string_view key, Need need);
  /// A non-negative JSON number with at most two decimals, as an exact integer × 100, at most
  /// `max_hundredths`.
  std::optional<int64_t> GetHundredths(std::string_view key, Need need, int64_t max_hundredths);
  std::optional<int64_t> GetInteger(std::string_view key, Need need, int64_t min, int64_t max);
  std::optional<bool> GetBool(std::string_view key, Need need);
  /// One of `allowed`; returns its index.
  std::optional<size_t> GetEnum(std::string_view key, Need need, std::initializer_list<std::string_view> allowed);
  std::optional<State> GetState(std::string_view key, Need need);
  std::optional<std::string> GetString(std::string_view key, Need need, size_t max_length);
  /// An array of `min` to `max` elements.
  const boost::json::array* GetArray(std::string_view key, Need need, size_t min, size_t max);

  /// Reports every field that no getter asked for. Call once, after all getters.
  void RejectUnknownFields();

  std::string PathOf(std::string_view key) const;
  void AddError(std::string_view key, std::string message);

 private:
  /// The value of `key`, or nullptr if absent or null (recording "is required" if needed).
  const boost::json::value* Find(std::string_view key, Need need);

  const boost::json::object& object_;
  std::string path_;
  std::vector<FieldError>& errors_;
  std::set<std::string, std::less<>> known_;
};

/// Exact hundredths of a finite JSON number with at most two decimals; nullopt otherwise. A double
/// is accepted when it is the double nearest to some value with two decimals (or one unit in the
/// last place from it, to tolerate parsers that are not correctly rounded).
std::optional<int64_t> ToHundredths(const boost::json::value& number);

/// A number with two decimals for output: an integer when whole, else a double.
boost::json::value HundredthsToJson(int64_t hundredths);

}  // namespace fairdesk::labour_law
