#pragma once
/// Continued pay in sickness (§ 3 EFZG): four weeks' waiting period, then up to six weeks.

#include <optional>

#include "labour_law/explain.hpp"
#include "labour_law/tables.hpp"  // kSickPayDays, kSickPayWaitingDays
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

Result<SickPayResult> ComputeSickPay(const SickPayInput& input);

}  // namespace fairdesk::labour_law
