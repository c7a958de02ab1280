#pragma once
/// The JSON entry point of the labour-law calculators (API.md "Calculators"). The HTTP server
/// (`POST /api/v1/calc/NAME`) and the CLI (`fairdesk calc NAME`) call RunCalculator and map the
/// outcome: kOk → 200 with `result`, kInvalid → 422 with `errors`, kUnknownCalculator → 404.

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace fairdesk::labour_law {

struct CalcFieldError {
  std::string field;    // JSON path, e.g. "periods[0].month"; "$" for the input as a whole
  std::string message;  // English
};

struct CalcOutcome {
  enum class Kind { kOk, kInvalid, kUnknownCalculator } kind = Kind::kOk;
  boost::json::object result;           // when kOk: contract fields + "legal_basis" + "warnings"
  std::vector<CalcFieldError> errors;   // when kInvalid (never empty then)
};

/// Runs calculator `name` on `input` (which must be a JSON object). Never throws for any input.
CalcOutcome RunCalculator(std::string_view name, const boost::json::value& input);

/// The names RunCalculator accepts, in API.md order.
std::vector<std::string_view> CalculatorNames();

/// `GET /api/v1/holidays?state=BY&year=2026`: the raw query values; same data and errors as the
/// `holidays` calculator (fields "state" and "year").
CalcOutcome HolidaysForQuery(std::string_view state, std::string_view year);

}  // namespace fairdesk::labour_law
