#include "labour_law/sick_pay.hpp"

#include <algorithm>
#include <string>

#include "labour_law/periods.hpp"

namespace fairdesk::labour_law {

Result<SickPayResult> ComputeSickPay(const SickPayInput& in) {
  if (in.employment_start.year() < 1900 || in.employment_start.year() > 2100) {
    return Fail(Error::Invalid("employment_start", "must be between 1900-01-01 and 2100-12-31"));
  }
  if (in.sick_from < in.employment_start) {
    return Fail(Error::Invalid("sick_from", "is before employment_start"));
  }
  if (in.sick_from.year() > 2100) {
    return Fail(Error::Invalid("sick_from", "must not be after 2100-12-31"));
  }
  // The claim arises with the incapacity (§ 3 Abs. 1, 3 EFZG), so the day it began decides which
  // law applies: before 1.10.1996 there was no waiting period, before 1.6.1994 no EFZG at all.
  if (in.sick_from < SickPayWaitingPeriodValidFrom()) {
    const std::string covered =
        "the calculator covers § 3 EFZG with the waiting period of § 3 Abs. 3 EFZG, in force from " +
        SickPayWaitingPeriodValidFrom().ToString() + "; ";
    return Fail(Error::Invalid(
        "sick_from", in.sick_from < SickPayActValidFrom()
                         ? covered + "incapacity that began before " + SickPayActValidFrom().ToString() +
                               " fell under the law before the EFZG (LFZG, § 616 BGB, § 63 HGB, § 133c GewO)"
                         : covered + "incapacity that began earlier fell under the EFZG without a waiting period"));
  }
  if (in.sick_until && *in.sick_until < in.sick_from) {
    return Fail(Error::Invalid("sick_until", "is before sick_from"));
  }
  SickPayResult out;
  Explanation& ex = out.explanation;
  // § 3 Abs. 3 EFZG; the four weeks begin with the first day of employment (§ 187 Abs. 2 BGB) and
  // end on the day before the same weekday four weeks later (§ 188 Abs. 2 BGB): from Wed 1.7 to
  // Tue 28.7 (NRSZ EFZG § 3 Rz. 136).
  out.waiting_period_ends = EndOfDaysFromStartOfDay(in.employment_start, kSickPayWaitingDays);
  ex.Basis("§ 3 Abs. 1 Satz 1 EFZG");
  ex.Basis("§ 3 Abs. 3 EFZG");
  ex.Basis("§ 187 Abs. 2 BGB");
  ex.Basis("§ 188 Abs. 2 BGB");
  // Employment that began before 1.10.1996 counts towards the four weeks: § 3 Abs. 3 EFZG asks for
  // four weeks' existence of the employment when the incapacity begins. Whether the new waiting
  // period reached employment still inside its first four weeks on 1.10.1996 is not checked [K];
  // only then does the answer depend on it.
  if (in.employment_start < SickPayWaitingPeriodValidFrom() &&
      out.waiting_period_ends >= SickPayWaitingPeriodValidFrom()) {
    ex.Warn("waiting_period_transition",
            "The employment began before " + SickPayWaitingPeriodValidFrom().ToString() +
                ", when § 3 Abs. 3 EFZG introduced the waiting period, and its first four weeks ran past that "
                "date; the waiting period is applied, but whether it reached employment already running on "
                "that day is not verified.",
            {{"date", SickPayWaitingPeriodValidFrom().ToString()}});
  }

  // Sick days within the waiting period do not use up the six weeks (BAG 26.5.1999 – 5 AZR 476/98):
  // pay runs from the day after the waiting period for a full 42 days.
  const Date paid_from = std::max(in.sick_from, out.waiting_period_ends.AddDays(1));
  if (in.sick_from <= out.waiting_period_ends) {
    ex.Warn("sick_in_waiting_period",
            "The incapacity began within the waiting period: nothing is owed for the days up to " +
                out.waiting_period_ends.ToString() + " (sick benefit from the health insurer may apply).",
            {{"date", out.waiting_period_ends.ToString()}});
  }
  const Date six_weeks_end = EndOfDaysFromStartOfDay(paid_from, kSickPayDays);
  if (in.sick_until && *in.sick_until < paid_from) {
    ex.Warn("nothing_owed", "The incapacity ended within the waiting period; no continued pay is owed.");
  } else {
    out.paid_from = paid_from;
    out.paid_until = in.sick_until ? std::min(*in.sick_until, six_weeks_end) : six_weeks_end;
    if (!in.sick_until) {
      ex.Warn("open_end", "No end of the incapacity was given; paid_until is the last day of the six weeks.");
    }
    if (!in.sick_until || *in.sick_until > six_weeks_end) {
      ex.Warn("after_six_weeks", "After six weeks the health insurer pays sick benefit (Krankengeld).");
    }
  }
  ex.Warn("recurring_illness",
          "For the same illness recurring, a new six-week entitlement arises only after six months without "
          "incapacity from it, or twelve months after it first began (§ 3 Abs. 1 Satz 2 EFZG).");
  ex.Warn("certificate",
          "The incapacity must be reported without delay; if it lasts more than three calendar days, a "
          "medical certificate is due on the following working day (§ 5 Abs. 1 EFZG).");
  ex.Warn("no_fault", "Pay is owed only for incapacity without the employee's fault (§ 3 Abs. 1 Satz 1 EFZG).");
  return out;
}

}  // namespace fairdesk::labour_law
