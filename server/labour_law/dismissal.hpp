#pragma once
/// Dismissal: notice periods (§ 622 BGB) and the deadline for a dismissal-protection claim
/// (§ 4 KSchG with §§ 187, 188 BGB and § 222 ZPO).

#include <optional>

#include "labour_law/explain.hpp"
#include "labour_law/holidays.hpp"
#include "platform/core/date.hpp"
#include "platform/core/error.hpp"

namespace fairdesk::labour_law {

/// § 623 BGB demands written form; electronic and oral notices are void (§ 125 BGB).
enum class NoticeForm { kWritten, kElectronic, kOral };
enum class NoticeParty { kEmployer, kEmployee };

// ---- notice-period ----

struct NoticePeriodInput {
  Date notice_received;
  NoticeParty given_by = NoticeParty::kEmployer;
  Date employment_start;
  bool probation = false;
  NoticeForm form = NoticeForm::kWritten;
};

enum class NoticeUnit { kWeeks, kMonths };
enum class NoticeTo { kFifteenthOrEndOfMonth, kEndOfMonth, kAnyDay };

struct NoticePeriod {
  NoticeUnit unit = NoticeUnit::kWeeks;
  int count = 4;
  NoticeTo to = NoticeTo::kFifteenthOrEndOfMonth;
};

struct NoticePeriodResult {
  bool valid = false;
  std::optional<Date> earliest_end;  // null where the notice is void
  int tenure_years = 0;              // full years at receipt (§ 622 Abs. 2: all years count)
  NoticePeriod period;
  Explanation explanation;
};

Result<NoticePeriodResult> ComputeNoticePeriod(const NoticePeriodInput& input);

/// The termination date for a notice received on `received` with `period`: the first allowed
/// date (15th/month end, month end, or any day) on or after receipt + period. Notice periods are
/// not moved off weekends or holidays (BAG 5.3.1970 – 2 AZR 112/69).
Date TerminationDate(Date received, const NoticePeriod& period);

// ---- dismissal-claim-deadline ----

struct ClaimDeadlineInput {
  Date notice_received;
  State state = State::kBE;  // of the labour court
  NoticeForm form = NoticeForm::kWritten;
};

struct ClaimDeadlineResult {
  bool applies = false;
  std::optional<Date> deadline;             // after § 222 Abs. 2 ZPO; null where no period starts
  std::optional<Date> unadjusted_deadline;  // receipt + 3 weeks (§ 188 Abs. 2 BGB)
  Explanation explanation;
};

Result<ClaimDeadlineResult> ComputeClaimDeadline(const ClaimDeadlineInput& input);

}  // namespace fairdesk::labour_law
