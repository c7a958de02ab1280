#pragma once
/// Working-time checks under the ArbZG: daily hours (§ 3), breaks (§ 4), rest (§ 5), Sundays and
/// public holidays (§ 9).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "labour_law/explain.hpp"
#include "labour_law/holidays.hpp"
#include "platform/core/date.hpp"
#include "platform/core/error.hpp"

namespace fairdesk::labour_law {

/// § 5 Abs. 2 ArbZG lists the sectors that may shorten the rest to 10 hours with compensation;
/// the same sectors are among the exceptions of § 10 Abs. 1 ArbZG that allow work on Sundays and
/// public holidays (care Nr. 3, hospitality Nr. 4, broadcasting Nr. 8, transport Nr. 10,
/// agriculture Nr. 12), protected instead by § 11 ArbZG (replacement rest days, 15 free Sundays).
enum class Sector { kGeneral, kHospitality, kCare, kTransport, kAgriculture, kBroadcasting };

/// A local wall-clock time, minutes since 1970-01-01T00:00 (no time zone: the law counts hours
/// of the working day as lived).
struct LocalDateTime {
  int64_t minutes = 0;
  /// Strict `YYYY-MM-DDTHH:MM`.
  static std::optional<LocalDateTime> Parse(std::string_view text);
  static LocalDateTime Of(Date date, int minute_of_day) {
    return {date.DaysSinceEpoch() * 1440 + minute_of_day};
  }
  Date date() const;
  std::string ToString() const;
};

struct Shift {
  LocalDateTime start;
  LocalDateTime end;
  int64_t break_minutes = 0;
};

struct WorkingTimeInput {
  Sector sector = Sector::kGeneral;
  std::vector<Shift> shifts;
  /// Optional: the state whose public holidays § 9 protects. Without it only Sundays are checked.
  std::optional<State> state;
};

struct WorkingTimeViolation {
  /// max_daily_hours, min_break, min_rest, sunday_work, holiday_work; in a sector with a § 10
  /// exception: replacement_rest_day, free_sundays (§ 11 ArbZG) instead of sunday_work/holiday_work.
  std::string rule;
  Date date;
  std::string detail;  // English
  /// Which text `detail` is (the rule, or a variant of it) and its values, for translation.
  std::string detail_code;
  TextParams params;
};

struct WorkingTimeResult {
  int64_t total_minutes = 0;
  int64_t total_hours_hundredths = 0;  // total_minutes / 60, two decimals, rounded half up
  std::vector<WorkingTimeViolation> violations;
  Explanation explanation;
};

inline constexpr size_t kMaxShifts = 1000;

Result<WorkingTimeResult> CheckWorkingTime(const WorkingTimeInput& input);

}  // namespace fairdesk::labour_law
