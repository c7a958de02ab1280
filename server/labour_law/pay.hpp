#pragma once
/// Pay calculators: statutory minimum wage arrears (MiLoG), minimum training allowance
/// (§ 17 BBiG) and the mini-job / midijob classification (§ 8 Abs. 1a, § 20 Abs. 2 SGB IV).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "labour_law/explain.hpp"
#include "platform/core/date.hpp"
#include "platform/core/error.hpp"
#include "platform/core/money.hpp"

namespace fairdesk::labour_law {

// ---- minimum-wage ----

enum class EmploymentType {
  kEmployee,
  kCompulsoryInternship,     // § 22 Abs. 1 Satz 2 Nr. 1 MiLoG
  kOrientationInternship,    // Nr. 2
  kAccompanyingInternship,   // Nr. 3
  kEntryQualification,       // Nr. 4
  kVolunteer,                // § 22 Abs. 3 MiLoG (ehrenamtlich Tätige)
};

struct WagePeriod {
  YearMonth month;
  int64_t hours_hundredths = 0;  // hours worked × 100, exact
  Cents gross_pay;
};

struct MinimumWageInput {
  std::vector<WagePeriod> periods;
  EmploymentType employment_type = EmploymentType::kEmployee;
  std::optional<int64_t> internship_months_hundredths;  // planned length of the internship × 100
  std::optional<Date> birth_date;
  bool vocational_qualification = false;
  bool long_term_unemployed_before = false;
  std::optional<Date> employment_start;
};

struct MinimumWagePeriodResult {
  YearMonth month;
  bool applicable = true;
  std::optional<std::string> exclusion;  // code of the rule that excludes the month
  Cents minimum_wage;                    // rate per hour in force in that month
  Cents due;                             // hours × rate, rounded half up; 0 where not applicable
  Cents shortfall;                       // max(0, due − paid); 0 where not applicable
};

struct MinimumWageResult {
  std::vector<MinimumWagePeriodResult> periods;
  Cents total_shortfall;
  Explanation explanation;
};

inline constexpr size_t kMaxWagePeriods = 120;
/// Not a legal figure but the input bound of issue 4 / API.md ("more than 744 hours in a month"):
/// 31 days × 24 h, the most any month has. ComputeMinimumWage also checks the month's own length.
inline constexpr int64_t kMaxHoursPerMonth = 31 * 24;

/// Field errors name the JSON paths of API.md ("periods[2].month").
Result<MinimumWageResult> ComputeMinimumWage(const MinimumWageInput& input);

/// hours (in hundredths) × rate per hour, rounded half up to the cent.
Cents WageDue(int64_t hours_hundredths, Cents rate_per_hour);

// ---- training-allowance ----

struct TrainingAllowanceInput {
  Date training_start;
  YearMonth month;
  Cents gross_pay;
  bool collective_agreement = false;
};

struct TrainingAllowanceResult {
  bool applicable = false;
  int training_year = 1;
  Cents minimum;
  Cents shortfall;
  Explanation explanation;
};

Result<TrainingAllowanceResult> ComputeTrainingAllowance(const TrainingAllowanceInput& input);

// ---- mini-job ----

enum class JobCategory { kMinijob, kMidijob, kRegular };

struct MiniJobInput {
  YearMonth month;
  Cents gross_pay;
};

struct MiniJobResult {
  JobCategory category = JobCategory::kRegular;
  Cents minijob_limit;
  Cents midijob_upper;
  Explanation explanation;
};

Result<MiniJobResult> ClassifyMiniJob(const MiniJobInput& input);

}  // namespace fairdesk::labour_law
