#pragma once
/// Continued pay in sickness (§ 3 EFZG): four weeks' waiting period, then up to six weeks.

#include <optional>

#include "labour_law/explain.hpp"
#include "platform/core/date.hpp"
#include "platform/core/error.hpp"

namespace fairdesk::labour_law {

struct SickPayInput {
  Date employment_start;
  Date sick_from;
  std::optional<Date> sick_until;
};

struct SickPayResult {
  Date waiting_period_ends;
  std::optional<Date> paid_from;   // null where nothing is owed
  std::optional<Date> paid_until;  // null where nothing is owed
  Explanation explanation;
};

/// § 3 Abs. 1 Satz 1 EFZG: 6 weeks = 42 calendar days.
inline constexpr int kSickPayDays = 42;
/// § 3 Abs. 3 EFZG: 4 weeks = 28 days of uninterrupted employment.
inline constexpr int kSickPayWaitingDays = 28;

Result<SickPayResult> ComputeSickPay(const SickPayInput& input);

}  // namespace fairdesk::labour_law
