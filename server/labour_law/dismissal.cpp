#include "labour_law/dismissal.hpp"

#include "labour_law/periods.hpp"
#include "labour_law/tables.hpp"

namespace fairdesk::labour_law {
namespace {

constexpr int kLastSupportedYear = 2100;

void WarnVoidForm(Explanation& ex, NoticeForm form) {
  ex.Basis("§ 623 BGB");
  ex.Basis("§ 125 Satz 1 BGB");
  ex.Warn("not_written_form",
          std::string(form == NoticeForm::kOral ? "An oral" : "An electronic") +
              " notice is void: § 623 BGB requires written form with a handwritten signature. It does "
              "not end the employment and does not start the three-week claim deadline of § 4 KSchG. "
              "Check whether a written notice followed.");
}

}  // namespace

Date TerminationDate(Date received, const NoticePeriod& period) {
  if (period.to == NoticeTo::kAnyDay) {
    return EndOfDaysAfterEvent(received, period.count * 7);
  }
  if (period.to == NoticeTo::kEndOfMonth) {
    return EndOfMonthsAfterEvent(received, period.count).LastOfMonth();
  }
  // § 622 Abs. 1 BGB: four weeks to the 15th or to the end of a calendar month.
  const Date earliest = EndOfDaysAfterEvent(received, period.count * 7);
  if (earliest.day() <= kBasicNoticeMidMonthDay) {
    return Date::Ymd(earliest.year(), earliest.month(), kBasicNoticeMidMonthDay);
  }
  return earliest.LastOfMonth();
}

Result<NoticePeriodResult> ComputeNoticePeriod(const NoticePeriodInput& in) {
  if (in.notice_received < NoticeRulesValidFrom()) {
    return Fail(Error::Invalid("notice_received",
                               "must not be before 1993-10-15 (the current § 622 BGB took effect then)"));
  }
  if (in.notice_received.year() > kLastSupportedYear) {
    return Fail(Error::Invalid("notice_received", "must not be after 2100-12-31"));
  }
  if (in.employment_start.year() < 1900) {
    return Fail(Error::Invalid("employment_start", "must not be before 1900"));
  }
  NoticePeriodResult out;
  Explanation& ex = out.explanation;
  // § 622 Abs. 2 BGB counts the years the employment has lasted when the notice is received.
  out.tenure_years = FullYearsBefore(in.employment_start, in.notice_received);

  // § 622 Abs. 3 BGB: an agreed probation of at most six months. A notice received on its last
  // day still gets the two-week period [K].
  const Date probation_last_day = EndOfMonthsFromStartOfDay(in.employment_start, kMaxProbationMonths);
  bool probation = in.probation;
  if (probation && in.notice_received > probation_last_day) {
    probation = false;
    ex.Warn("probation_over",
            "The notice was received after the first six months (" + probation_last_day.ToString() +
                " was the last possible day of probation); § 622 Abs. 3 BGB no longer applies.",
            {{"date", probation_last_day.ToString()}});
  }
  if (probation && in.notice_received == probation_last_day) {
    ex.Warn("unchecked_probation_last_day",
            "Not verified: The notice was received on the last day of a six-month probation; the two-week "
            "period is applied although it ends after the probation.");
  }

  if (probation) {
    out.period = {NoticeUnit::kWeeks, kProbationNoticeWeeks, NoticeTo::kAnyDay};
    ex.Basis("§ 622 Abs. 3 BGB");
  } else if (in.given_by == NoticeParty::kEmployee) {
    // The extended periods of para. 2 bind only the employer; the employee keeps the basic period.
    out.period = {NoticeUnit::kWeeks, kBasicNoticeWeeks, NoticeTo::kFifteenthOrEndOfMonth};
    ex.Basis("§ 622 Abs. 1 BGB");
    ex.Warn("unchecked_employee_period",
            "Not verified: The employee's period is the basic period unless the contract or a collective "
            "agreement sets a longer one; it may not be longer than the employer's (§ 622 Abs. 6 BGB).");
  } else {
    const DatedRow<ExtendedNotice>* step = nullptr;
    for (const auto& row : ExtendedNoticeTable()) {
      if (out.tenure_years >= row.value.tenure_years) {
        step = &row;
      }
    }
    if (step) {
      out.period = {NoticeUnit::kMonths, step->value.months, NoticeTo::kEndOfMonth};
      ex.Basis(step->source);
      ex.Warn("private_household",
              "The extended periods do not apply to employment exclusively in a private household; "
              "an apprenticeship with the same employer immediately before counts towards the years.");
    } else {
      out.period = {NoticeUnit::kWeeks, kBasicNoticeWeeks, NoticeTo::kFifteenthOrEndOfMonth};
      ex.Basis("§ 622 Abs. 1 BGB");
    }
  }
  ex.Basis("§ 187 Abs. 1 BGB");
  ex.Basis("§ 188 Abs. 2 BGB");
  if (out.period.unit == NoticeUnit::kMonths &&
      EndOfMonthsAfterEvent(in.notice_received, out.period.count).day() != in.notice_received.day()) {
    ex.Basis("§ 188 Abs. 3 BGB");
  }
  ex.Warn("deviating_agreements",
          "Collective agreements may set other periods (§ 622 Abs. 4 BGB); contracts may agree longer "
          "ones and, in narrow cases, shorter ones (§ 622 Abs. 5 BGB).");

  if (in.form != NoticeForm::kWritten) {
    out.valid = false;
    WarnVoidForm(ex, in.form);
    return out;
  }
  out.valid = true;
  out.earliest_end = TerminationDate(in.notice_received, out.period);
  ex.Warn("receipt_date",
          "Notice periods run from receipt (Zugang), not from the date of the letter, and are not moved "
          "off weekends or holidays.");
  return out;
}

Result<ClaimDeadlineResult> ComputeClaimDeadline(const ClaimDeadlineInput& in) {
  if (in.notice_received.year() < kFirstHolidayYear || in.notice_received.year() > kLastSupportedYear) {
    return Fail(Error::Invalid("notice_received", "must be between 1990-01-01 and 2100-12-31"));
  }
  ClaimDeadlineResult out;
  Explanation& ex = out.explanation;
  ex.Basis("§ 4 Satz 1 KSchG");
  if (in.form != NoticeForm::kWritten) {
    out.applies = false;
    WarnVoidForm(ex, in.form);
    return out;
  }
  out.applies = true;
  // § 187 Abs. 1 BGB: the day of receipt is not counted; § 188 Abs. 2 BGB: three weeks end on the
  // same weekday three weeks later.
  const Date unadjusted = EndOfDaysAfterEvent(in.notice_received, kClaimDeadlineDays);
  out.unadjusted_deadline = unadjusted;
  ex.Basis("§ 187 Abs. 1 BGB");
  ex.Basis("§ 188 Abs. 2 BGB");
  ex.Basis("§ 222 Abs. 1 ZPO");
  // § 222 Abs. 2 ZPO (via § 46 Abs. 2 ArbGG): an end on a Saturday, Sunday or general holiday
  // moves to the next working day. Holidays count at the seat of the court [K].
  const Date deadline = NextWorkingDay(in.state, unadjusted);
  out.deadline = deadline;
  if (deadline != unadjusted) {
    ex.Basis("§ 222 Abs. 2 ZPO");
  }
  for (Date d = in.notice_received.AddDays(1); d <= deadline; d = d.AddDays(1)) {
    const auto holiday = HolidayOn(in.state, d);
    if (holiday && holiday->scope == HolidayScope::kPartial) {
      if (d == deadline) {
        ex.Warn("partial_holiday_on_deadline",
                "The deadline " + d.ToString() + " is " + holiday->name_en +
                    ", a holiday only in some municipalities of " + std::string(StateName(in.state)) +
                    ". If it is a holiday at the seat of the labour court, the deadline moves to the next "
                    "working day; do not rely on that.",
                {{"date", d.ToString()}, {"holiday", holiday->name}, {"state", std::string(StateName(in.state))}});
      } else {
        ex.Warn("partial_holiday_in_period",
                "The period contains " + holiday->name_en + " (" + d.ToString() +
                    "), a holiday only in some municipalities; it does not lengthen the period.",
                {{"date", d.ToString()}, {"holiday", holiday->name}});
      }
    }
  }
  ex.Warn("unchecked_court_seat_holidays",
          "Not verified: Holidays are taken at the seat of the competent labour court (" +
              std::string(StateName(in.state)) + ").",
          {{"state", std::string(StateName(in.state))}});
  ex.Warn("authority_consent",
          "If the dismissal needs an authority's consent (e.g. the Integrationsamt), the period runs "
          "only from notification of its decision to the employee (§ 4 Satz 4 KSchG).");
  ex.Warn("file_early",
          "The claim must reach the labour court by 24:00 on the deadline; late claims are admitted "
          "only under § 5 KSchG.");
  return out;
}

}  // namespace fairdesk::labour_law
