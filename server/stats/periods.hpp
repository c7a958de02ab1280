#pragma once
/// Closed reporting periods: which closed period, if any, answers a table (also the ESF Plus
/// indicator table), and the copies of the statistics records it is answered from.

#include <optional>
#include <string>

#include "platform/core/date.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "stats/service.hpp"

namespace fairdesk::stats {

inline constexpr std::string_view kFrozenCases = "stats_frozen_cases";
inline constexpr std::string_view kFrozenConsultations = "stats_frozen_consultations";

/// The closed period whose months contain [from, to] and whose scope covers the table: for a table
/// of one centre the centre's own closing first, else a nationwide one; for wider tables only a
/// nationwide one. `revision` picks a revision (default: the latest); a revision that does not
/// exist, or one asked for where no closed period covers the table, is a 422 on `revision`.
Result<std::optional<FrozenInfo>> FindFrozen(db::Session& s, YearMonth from, YearMonth to,
                                            const std::optional<std::string>& centre, std::optional<int> revision);

/// "2025" (a year), "2025-Q2" (a quarter) or "2025-05" (a month) as its first and last month.
std::optional<std::pair<YearMonth, YearMonth>> ParsePeriodLabel(std::string_view label);

}  // namespace fairdesk::stats
