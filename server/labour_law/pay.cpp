#include "labour_law/pay.hpp"

#include <algorithm>
#include <set>

#include "labour_law/periods.hpp"
#include "labour_law/tables.hpp"

namespace fairdesk::labour_law {
namespace {

std::string PeriodField(size_t index, std::string_view name) {
  return "periods[" + std::to_string(index) + "]." + std::string(name);
}

// The months the minimum-wage calculator accepts: MiLoG took effect on 1.1.2015; the upper bound
// only keeps the arithmetic and the holiday calendar inside their supported range.
constexpr int kLastSupportedYear = 2100;

}  // namespace

Cents WageDue(int64_t hours_hundredths, Cents rate_per_hour) {
  return MulDivRoundHalfUp(rate_per_hour, hours_hundredths, 100);
}

Result<MinimumWageResult> ComputeMinimumWage(const MinimumWageInput& in) {
  std::vector<FieldError> errors;
  if (in.periods.empty() || in.periods.size() > kMaxWagePeriods) {
    errors.push_back({"periods", "must contain 1 to 120 months"});
    return Fail(Error::Invalid(std::move(errors)));
  }
  const bool is_internship = in.employment_type == EmploymentType::kOrientationInternship ||
                             in.employment_type == EmploymentType::kAccompanyingInternship;
  if (is_internship && !in.internship_months_hundredths) {
    errors.push_back({"internship_months", "is required for this employment type (§ 22 Abs. 1 Satz 2 MiLoG: up to three months)"});
  }
  if (in.internship_months_hundredths && *in.internship_months_hundredths < 0) {
    errors.push_back({"internship_months", "must not be negative"});
  }
  if (in.long_term_unemployed_before && !in.employment_start) {
    errors.push_back({"employment_start", "is required when long_term_unemployed_before is true (§ 22 Abs. 4 MiLoG: first six months)"});
  }
  for (size_t i = 0; i < in.periods.size(); ++i) {
    const WagePeriod& p = in.periods[i];
    if (p.month < YearMonth::Of(MinimumWageValidFrom())) {
      errors.push_back({PeriodField(i, "month"), "must not be before 2015-01 (the MiLoG took effect on 1.1.2015)"});
    } else if (p.month.year() > kLastSupportedYear) {
      errors.push_back({PeriodField(i, "month"), "must not be after 2100-12"});
    }
    const int64_t max_hours = int64_t{p.month.DayCount()} * 24 * 100;
    if (p.hours_hundredths < 0) {
      errors.push_back({PeriodField(i, "hours"), "must not be negative"});
    } else if (p.hours_hundredths > max_hours) {
      errors.push_back({PeriodField(i, "hours"), "exceeds the hours the month has (" +
                                                     std::to_string(max_hours / 100) + ")"});
    }
    if (p.gross_pay < Cents(0)) {
      errors.push_back({PeriodField(i, "gross_pay_cents"), "must not be negative"});
    }
    if (in.employment_start && p.month < YearMonth::Of(*in.employment_start)) {
      errors.push_back({PeriodField(i, "month"), "is before employment_start"});
    }
  }
  if (in.birth_date && !in.periods.empty()) {
    const auto first = std::min_element(in.periods.begin(), in.periods.end(),
                                        [](const WagePeriod& a, const WagePeriod& b) { return a.month < b.month; });
    if (*in.birth_date > first->month.LastDay()) {
      errors.push_back({"birth_date", "is after the first month worked"});
    }
  }
  if (!errors.empty()) {
    return Fail(Error::Invalid(std::move(errors)));
  }

  MinimumWageResult out;
  Explanation& ex = out.explanation;
  ex.Basis("§ 1 Abs. 1 MiLoG");
  ex.Basis("§ 1 Abs. 2 MiLoG");

  const std::optional<Date> adult_from =
      in.birth_date ? std::optional<Date>(DayOfAge(*in.birth_date, kMinimumWageAdultAge)) : std::nullopt;
  const std::optional<Date> ltu_exclusion_ends_before =
      in.long_term_unemployed_before
          ? std::optional<Date>(DayAfterMonthsFromStartOfDay(*in.employment_start, kLongTermUnemployedExclusionMonths))
          : std::nullopt;
  std::set<int64_t> seen_months;

  for (const WagePeriod& p : in.periods) {
    MinimumWagePeriodResult r;
    r.month = p.month;
    const auto* row = RowFor(MinimumWageTable(), p.month.FirstDay());
    r.minimum_wage = row->value;  // never null: months before 2015 were rejected above

    // The status on the first day worked in the month decides for the whole month; a change
    // within the month is flagged, because the calculator only knows monthly hours.
    Date reference = p.month.FirstDay();
    if (in.employment_start && *in.employment_start > reference) {
      reference = *in.employment_start;
    }
    const Date last = p.month.LastDay();
    auto flag_change_within_month = [&](Date change) {
      if (change > reference && change <= last) {
        ex.Warn("status_changes_within_month",
                "A minimum-wage exclusion ends within a month (" + change.ToString() +
                    "); that month is treated as excluded. Hours worked from that day are covered "
                    "and must be claimed by hand.",
                {{"date", change.ToString()}});
      }
    };

    if (adult_from && !in.vocational_qualification && reference < *adult_from) {
      r.exclusion = "minor_without_qualification";
      ex.Basis("§ 22 Abs. 2 MiLoG");
      ex.Warn("minor_without_qualification",
              "Persons under 18 without completed vocational training are outside the minimum wage "
              "(§ 22 Abs. 2 MiLoG).");
      flag_change_within_month(*adult_from);
    } else if (in.employment_type == EmploymentType::kCompulsoryInternship) {
      r.exclusion = "compulsory_internship";
      ex.Basis("§ 22 Abs. 1 Satz 2 Nr. 1 MiLoG");
      ex.Warn("check_compulsory_internship",
              "Check that the internship is compulsory under school, training or higher-education "
              "rules (§ 22 Abs. 1 Satz 2 Nr. 1 MiLoG).");
    } else if (is_internship) {
      const bool accompanying = in.employment_type == EmploymentType::kAccompanyingInternship;
      const char* paragraph = accompanying ? "§ 22 Abs. 1 Satz 2 Nr. 3 MiLoG" : "§ 22 Abs. 1 Satz 2 Nr. 2 MiLoG";
      ex.Basis(paragraph);
      if (*in.internship_months_hundredths <= kInternshipExclusionMonthsHundredths) {
        r.exclusion = accompanying ? "accompanying_internship" : "orientation_internship";
        if (accompanying) {
          ex.Warn("check_prior_internship",
                  "The exclusion applies only if there was no such internship with the same provider "
                  "before (§ 22 Abs. 1 Satz 2 Nr. 3 MiLoG).");
        }
      } else {
        ex.Warn("unchecked_internship_over_three_months",
                "Not verified: A voluntary internship of more than three months is treated as covered by the "
                "minimum wage from its first day (prevailing view, not re-checked).");
      }
    } else if (in.employment_type == EmploymentType::kEntryQualification) {
      r.exclusion = "entry_qualification";
      ex.Basis("§ 22 Abs. 1 Satz 2 Nr. 4 MiLoG");
    } else if (in.employment_type == EmploymentType::kVolunteer) {
      r.exclusion = "volunteer";
      ex.Basis("§ 22 Abs. 3 MiLoG");
    }
    if (!r.exclusion && ltu_exclusion_ends_before && reference < *ltu_exclusion_ends_before) {
      r.exclusion = "long_term_unemployed";
      ex.Basis("§ 22 Abs. 4 Satz 1 MiLoG");
      ex.Warn("unchecked_long_term_unemployed",
              "Not verified: Long-term unemployed means unemployed for one year or longer immediately before "
              "the job (§ 18 Abs. 1 SGB III); the exclusion covers the first six months only.");
      flag_change_within_month(*ltu_exclusion_ends_before);
    }

    r.applicable = !r.exclusion;
    if (r.applicable) {
      ex.Basis(row->source);
      r.due = WageDue(p.hours_hundredths, r.minimum_wage);
      r.shortfall = Max(Cents(0), r.due - p.gross_pay);
      out.total_shortfall += r.shortfall;
    }

    if (p.month.FirstDay() < MinimumWageWithoutExceptionsFrom()) {
      ex.Warn("unchecked_transitional_rules_2015_2017",
              "Not verified: Until 2017 some sector minimum wages (AEntG/AÜG) and newspaper deliverers could "
              "lawfully be paid less (§ 24 MiLoG a.F.); check whether that applies.");
    }
    if (p.month.year() > kMinimumWageKnownThroughYear) {
      ex.Warn("rate_not_yet_confirmed",
              "No minimum-wage ordinance after MiLoV5 is recorded; the rate from 1.1.2027 was used. "
              "Check whether a newer ordinance applies.");
    }
    if (!seen_months.insert(p.month.Index()).second) {
      ex.Warn("duplicate_month", "A month appears more than once; check that the periods are from different jobs.");
    }
    out.periods.push_back(std::move(r));
  }

  if (!in.birth_date) {
    ex.Warn("age_not_checked",
            "No birth_date was given: the person is assumed to be 18 or older (§ 22 Abs. 2 MiLoG).");
  }
  ex.Warn("pay_components",
          "Only pay for the hours worked counts towards the minimum wage; check which components "
          "of gross pay may be credited.");
  return out;
}

Result<TrainingAllowanceResult> ComputeTrainingAllowance(const TrainingAllowanceInput& in) {
  if (in.month < YearMonth::Of(in.training_start)) {
    return Fail(Error::Invalid("month", "is before the month of training_start"));
  }
  if (in.gross_pay < Cents(0)) {
    return Fail(Error::Invalid("gross_pay_cents", "must not be negative"));
  }
  if (in.month.year() > 2100 || in.training_start.year() < 1950) {
    return Fail(Error::Invalid(in.month.year() > 2100 ? "month" : "training_start", "is out of the supported range"));
  }
  TrainingAllowanceResult out;
  Explanation& ex = out.explanation;
  ex.Basis("§ 17 Abs. 2 BBiG");

  // The training year is counted from the start of training (§ 187 Abs. 2, § 188 Abs. 2 BGB) and
  // taken at the first day of training in the month.
  const Date reference = std::max(in.month.FirstDay(), in.training_start);
  const int completed_years = FullYearsBefore(in.training_start, reference);
  out.training_year = completed_years + 1;
  const Date next_year_from = DayAfterMonthsFromStartOfDay(in.training_start, int64_t{completed_years + 1} * 12);
  if (next_year_from <= in.month.LastDay()) {
    ex.Warn("training_year_changes_within_month",
            "A new training year begins on " + next_year_from.ToString() +
                "; from that day the amount for the next training year applies.",
            {{"date", next_year_from.ToString()}});
  }

  const Date start_year_first = Date::Ymd(in.training_start.year(), 1, 1);
  if (in.training_start < TrainingAllowanceValidFrom()) {
    out.applicable = false;
    ex.Warn("training_started_before_2020",
            "The statutory minimum training allowance applies only to training that began on or "
            "after 1.1.2020; earlier contracts need an appropriate allowance (§ 17 Abs. 1 BBiG).");
    ex.Basis("§ 17 Abs. 1 BBiG");
    return out;
  }
  const DatedRow<TrainingAllowance>* row = nullptr;
  for (const auto& r : TrainingAllowanceTable()) {
    if (r.valid_from == start_year_first) {
      row = &r;
    }
  }
  if (!row) {
    return Fail(Error::Invalid("training_start", "no minimum training allowance has been published yet for "
                                                 "training that starts in " +
                                                     std::to_string(in.training_start.year())));
  }
  ex.Basis(row->source);
  const int index = std::min(out.training_year, kTrainingAllowanceYears) - 1;
  if (out.training_year > kTrainingAllowanceYears) {
    ex.Warn("beyond_fourth_training_year",
            "The training is in its year " + std::to_string(out.training_year) +
                "; the amount for the fourth year (§ 17 Abs. 2 Satz 1 Nr. 4 BBiG) was used.",
            {{"year", std::to_string(out.training_year)}});
  }
  if (index >= 1) {
    ex.Basis("§ 17 Abs. 2 Satz 1 Nr. " + std::to_string(index + 1) + " BBiG");
  }
  out.minimum = row->value.by_training_year[static_cast<size_t>(index)];
  if (in.collective_agreement) {
    out.applicable = false;
    ex.Basis("§ 17 Abs. 3 BBiG");
    ex.Warn("collective_agreement",
            "A collective agreement may set a lower allowance for tariff-bound employers "
            "(§ 17 Abs. 3 BBiG); compare with the agreement's rates.");
    return out;
  }
  out.applicable = true;
  out.shortfall = Max(Cents(0), out.minimum - in.gross_pay);
  ex.Warn("part_time_training",
          "For part-time training (§ 7a BBiG) the allowance may be reduced in proportion; check the "
          "contract.");
  return out;
}

Result<MiniJobResult> ClassifyMiniJob(const MiniJobInput& in) {
  if (in.gross_pay < Cents(0)) {
    return Fail(Error::Invalid("gross_pay_cents", "must not be negative"));
  }
  if (in.month.year() > 2100) {
    return Fail(Error::Invalid("month", "must not be after 2100-12"));
  }
  const auto* row = RowFor(EarningsLimitsTable(), in.month.FirstDay());
  if (!row) {
    return Fail(Error::Invalid("month", "must not be before 2013-01 (earlier limits are not recorded)"));
  }
  MiniJobResult out;
  out.minijob_limit = row->value.minijob_limit;
  out.midijob_upper = row->value.midijob_upper;
  if (in.gross_pay <= out.minijob_limit) {
    out.category = JobCategory::kMinijob;
  } else if (in.gross_pay <= out.midijob_upper) {
    out.category = JobCategory::kMidijob;
  } else {
    out.category = JobCategory::kRegular;
  }
  Explanation& ex = out.explanation;
  ex.Basis(row->source);
  ex.Basis("§ 20 Abs. 2 SGB IV");
  ex.Warn("regular_monthly_pay",
          "The limits apply to the regular monthly pay, judged in advance; unforeseeable overruns "
          "in up to two months within twelve are harmless (§ 8 Abs. 1b SGB IV).");
  ex.Warn("several_jobs_add_up", "Pay from several mini-jobs, or a mini-job beside a main job, may have to be added up "
                                 "(§ 8 Abs. 2 SGB IV).");
  if (in.month.year() > kMinimumWageKnownThroughYear) {
    ex.Warn("limit_not_yet_confirmed",
            "No figures after 2027 are recorded; the 2027 limits were used. The mini-job limit follows "
            "the minimum wage (§ 8 Abs. 1a SGB IV).");
  }
  return out;
}

}  // namespace fairdesk::labour_law
