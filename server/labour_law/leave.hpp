#pragma once
/// Statutory annual leave (§§ 3, 4, 5 BUrlG).

#include <cstdint>
#include <optional>

#include "labour_law/explain.hpp"
#include "platform/core/date.hpp"
#include "platform/core/error.hpp"

namespace fairdesk::labour_law {

struct LeaveInput {
  int year = 0;
  int64_t workdays_per_week_hundredths = 500;  // 1.00 to 6.00
  Date employment_start;
  std::optional<Date> employment_end;
};

enum class LeaveRule { kFull, kPartial51a, kPartial51b, kPartial51c, kNone };

struct LeaveResult {
  int64_t entitlement_hundredths = 0;  // days × 100
  int64_t full_year_hundredths = 0;    // 24 × d / 6 days × 100
  int full_months = 0;                 // full months of employment within the year
  LeaveRule rule = LeaveRule::kNone;
  Explanation explanation;
};

Result<LeaveResult> ComputeLeave(const LeaveInput& input);

}  // namespace fairdesk::labour_law
