#include "labour_law/claims.hpp"

#include <string>

#include "labour_law/periods.hpp"
#include "labour_law/tables.hpp"

namespace fairdesk::labour_law {

Result<LimitationResult> ComputeLimitation(const LimitationInput& in) {
  if (in.claim_due.year() < 1900 || in.claim_due.year() > 2100) {
    return Fail(Error::Invalid("claim_due", "must be between 1900-01-01 and 2100-12-31"));
  }
  // Art. 229 § 6 EGBGB: a claim due before 1.1.2002 keeps the beginning and interruptions of the
  // old law and, where the new period is longer, the old two years of § 196 Abs. 1 Nr. 8, 9 BGB a.F.
  // That is not the rule computed here, so it is a 422 rather than a three-year guess.
  if (in.claim_due < LimitationRulesValidFrom()) {
    return Fail(Error::Invalid(
        "claim_due", "the calculator covers the limitation rules of §§ 195, 199 BGB in force from " +
                         LimitationRulesValidFrom().ToString() + "; claims due earlier fall under § 196 BGB a.F. (" +
                         std::to_string(kOldWageLimitationYears) +
                         " years for wage claims) and the transitional rule of Art. 229 § 6 EGBGB"));
  }
  LimitationResult out;
  // § 199 Abs. 1 BGB: the three years of § 195 BGB start at the end of the year in which the claim
  // arose; the claim is time-barred after 31 December of the third following year.
  out.limitation_ends = Date::Ymd(in.claim_due.year() + kLimitationYears, 12, 31);
  Explanation& ex = out.explanation;
  ex.Basis("§ 195 BGB");
  ex.Basis("§ 199 Abs. 1 BGB");
  // A claim due in 2002 may be for work done in 2001. The calculator takes the due date as the day
  // the claim arose (§ 199 Abs. 1 Nr. 1 BGB); if it already "existed" on 1.1.2002 in the sense of
  // Art. 229 § 6 Abs. 1 EGBGB, Abs. 3 would keep the shorter old period. Not verified [K].
  if (in.claim_due.year() == LimitationRulesValidFrom().year()) {
    const Date old_end = Date::Ymd(in.claim_due.year() + kOldWageLimitationYears, 12, 31);
    ex.Warn("transition_2002",
            "If the claim is for work or another ground before " + LimitationRulesValidFrom().ToString() +
                ", check whether it already existed on that day: then Art. 229 § 6 Abs. 3 EGBGB keeps the shorter "
                "period of § 196 BGB a.F. (" +
                std::to_string(kOldWageLimitationYears) + " years, to " + old_end.ToString() + ").",
            {{"from", LimitationRulesValidFrom().ToString()},
             {"years", std::to_string(kOldWageLimitationYears)},
             {"until", old_end.ToString()}});
  }
  ex.Warn("knowledge_required",
          "The period starts only at the end of the year in which the creditor knew, or without gross "
          "negligence should have known, the facts and the debtor (§ 199 Abs. 1 Nr. 2 BGB); regardless "
          "of knowledge the claim is barred after ten years (§ 199 Abs. 4 BGB).");
  ex.Warn("suspension",
          "Negotiations (§ 203 BGB) and filing suit (§ 204 BGB) suspend the period; limitation only bars "
          "the claim if the employer invokes it (§ 214 BGB).");
  ex.Warn("exclusion_clauses",
          "Contractual or collective exclusion periods may end the claim much earlier; check the "
          "contract (exclusion-clause calculator).");
  return out;
}

Result<ExclusionClauseResult> CheckExclusionClause(const ExclusionClauseInput& in) {
  if (in.contract_date.year() < 1900 || in.contract_date.year() > 2100) {
    return Fail(Error::Invalid("contract_date", "must be between 1900-01-01 and 2100-12-31"));
  }
  if (in.first_stage_months_hundredths <= 0) {
    return Fail(Error::Invalid("first_stage_months", "must be greater than 0"));
  }
  if (in.second_stage_months_hundredths && *in.second_stage_months_hundredths <= 0) {
    return Fail(Error::Invalid("second_stage_months", "must be greater than 0"));
  }
  if (in.claim_due && (in.claim_due->year() < kFirstHolidayYear ||
                       in.claim_due->AddMonths(in.first_stage_months_hundredths / 100).year() > kLastHolidayYear)) {
    return Fail(Error::Invalid("claim_due", "must be from 1990-01-01, and the first stage must end by 2100-12-31"));
  }
  ExclusionClauseResult out;
  Explanation& ex = out.explanation;

  if (in.standard_form) {
    ex.Basis("§ 307 Abs. 1 BGB");
    // BAG 28.9.2005 – 5 AZR 52/05: a first stage of less than three months from the due date is an
    // unreasonable disadvantage; the whole clause falls.
    if (in.first_stage_months_hundredths < kMinExclusionStageMonthsHundredths) {
      out.reasons.emplace_back("first_stage_too_short");
      ex.Basis("BAG 28.9.2005 – 5 AZR 52/05");
    }
    // BAG 25.5.2005 – 5 AZR 572/04: the second stage (court action after rejection) needs at least
    // three months; a shorter one is not cut back to a valid length.
    if (in.second_stage_months_hundredths && *in.second_stage_months_hundredths < kMinExclusionStageMonthsHundredths) {
      out.reasons.emplace_back("second_stage_too_short");
      ex.Basis("BAG 25.5.2005 – 5 AZR 572/04");
    }
    // BAG 18.9.2018 – 9 AZR 162/18: a standard-form clause in a contract concluded after 31.12.2014
    // that does not except the minimum wage is intransparent and wholly void.
    if (!in.exempts_minimum_wage && in.contract_date >= MinimumWageValidFrom()) {
      out.reasons.emplace_back("minimum_wage_not_exempted");
      ex.Warn("minimum_wage_not_exempted",
              "The contract was concluded after 31.12.2014 and the clause does not except the minimum wage: "
              "the whole clause is void for lack of transparency (BAG 18.9.2018 – 9 AZR 162/18).");
      ex.Basis("§ 307 Abs. 1 Satz 2 BGB");
      ex.Basis("§ 3 Satz 1 MiLoG");
      ex.Basis("BAG 18.9.2018 – 9 AZR 162/18");
    }
    // § 309 Nr. 13 BGB (contracts from 1.10.2016): no stricter form than text form for the
    // employee's assertion.
    if (in.form_required == ClauseForm::kWritten && in.contract_date >= TextFormClauseRuleValidFrom()) {
      out.reasons.emplace_back("written_form_required");
      ex.Basis("§ 309 Nr. 13 Buchst. b BGB");
    }
    if (in.form_required == ClauseForm::kWritten && in.contract_date < TextFormClauseRuleValidFrom()) {
      ex.Warn("contract_amended_after_2016_10",
              "Written form may still be demanded in contracts concluded before 1.10.2016; if the "
              "contract was materially amended later, § 309 Nr. 13 BGB may apply.");
    }
  } else {
    ex.Warn("individually_negotiated",
            "Standard-form review (§§ 305 ff. BGB) is skipped only for terms actually negotiated; "
            "pre-formulated terms count as standard form even when used once (§ 310 Abs. 3 Nr. 2 BGB).");
    if (in.first_stage_months_hundredths < kMinExclusionStageMonthsHundredths ||
        (in.second_stage_months_hundredths &&
         *in.second_stage_months_hundredths < kMinExclusionStageMonthsHundredths)) {
      ex.Warn("short_individual_period",
              "A stage shorter than three months is void in standard-form contracts; for an individually "
              "negotiated clause check § 138 and § 242 BGB.");
    }
  }
  if (!in.exempts_minimum_wage && out.reasons.empty()) {
    ex.Basis("§ 3 Satz 1 MiLoG");
    ex.Warn("minimum_wage_part_void",
            "The clause cannot cover the minimum-wage claim (§ 3 MiLoG); that part stays enforceable "
            "regardless of the clause.");
  }
  out.valid = out.reasons.empty();
  if (!out.valid) {
    ex.Warn("statutory_limitation_applies",
            "Where the clause is void, only the statutory limitation (§§ 195, 199 BGB) applies.");
  }
  if (in.claim_due) {
    if (in.first_stage_months_hundredths % 100 != 0) {
      ex.Warn("fractional_months_no_date",
              "The first stage is not a whole number of months; count its end by hand (§§ 187, 188, 191 BGB).");
    } else {
      // "Within N months of the due date": the due date is the event (§ 187 Abs. 1 BGB), the period
      // ends on the day of the same number N months later, or the month's last day (§ 188 Abs. 2, 3).
      const Date unadjusted = EndOfMonthsAfterEvent(*in.claim_due, in.first_stage_months_hundredths / 100);
      // § 193 BGB: the assertion is a declaration to be made within a period; an end on a
      // Saturday, Sunday or public holiday at the place of the declaration moves to the next working day.
      Date end = unadjusted;
      if (in.state) {
        end = NextWorkingDay(*in.state, unadjusted);
      } else {
        while (end.weekday() == Weekday::kSaturday || end.weekday() == Weekday::kSunday) {
          end = end.AddDays(1);
        }
        ex.Warn("weekends_only",
                "Without the federal state only weekends are taken into account; if the last day is a public "
                "holiday where the claim is asserted, the period ends on the next working day (§ 193 BGB).");
      }
      out.assert_by_unadjusted = unadjusted;
      out.assert_by = end;
      ex.Basis("§ 187 Abs. 1 BGB");
      ex.Basis("§ 188 Abs. 2 BGB");
      if (end != unadjusted) {
        ex.Basis("§ 193 BGB");
      }
      ex.Warn("due_date_per_claim",
              "Each wage claim has its own due date; a month's wage falls due as agreed, at the latest at the start "
              "of the next month (§ 614 BGB). Check the start of the period in the clause itself.");
      if (!out.valid) {
        ex.Warn("assert_as_precaution",
                "The clause appears void, but assert the claim within this period anyway as a precaution: "
                "the employer may dispute that the clause is void.");
      }
    }
  }
  ex.Basis("§ 202 Abs. 1 BGB");
  ex.Warn("intent_liability",
          "Check that the clause does not cover liability for intent (§ 202 Abs. 1 BGB); not verified.");
  ex.Warn("collective_agreement_clauses",
          "Exclusion periods in collective agreements are not subject to this review; they remain valid "
          "except for the minimum wage (BAG 20.6.2018 – 5 AZR 377/17).");
  return out;
}

}  // namespace fairdesk::labour_law
