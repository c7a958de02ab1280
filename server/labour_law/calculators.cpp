#include "labour_law/calculators.hpp"

#include <array>
#include <charconv>

#include "labour_law/claims.hpp"
#include "labour_law/dismissal.hpp"
#include "labour_law/holidays.hpp"
#include "labour_law/json_input.hpp"
#include "labour_law/leave.hpp"
#include "labour_law/pay.hpp"
#include "labour_law/sick_pay.hpp"
#include "labour_law/tables.hpp"
#include "labour_law/working_time.hpp"

namespace fairdesk::labour_law {
namespace json = boost::json;

namespace {

using Errors = std::vector<FieldError>;

CalcOutcome Invalid(const Errors& errors) {
  CalcOutcome out;
  out.kind = CalcOutcome::Kind::kInvalid;
  for (const auto& e : errors) {
    out.errors.push_back({e.field, e.message});
  }
  if (out.errors.empty()) {
    out.errors.push_back({"$", "invalid input"});
  }
  return out;
}

json::object ParamsJson(const TextParams& params) {
  json::object out;
  for (const auto& [name, value] : params) {
    out[name] = value;
  }
  return out;
}

CalcOutcome Ok(json::object result, const Explanation& ex) {
  json::array basis;
  for (const auto& b : ex.legal_basis()) {
    basis.emplace_back(b);
  }
  json::array warnings;
  for (const auto& w : ex.warnings()) {
    warnings.push_back(json::object{{"code", w.code}, {"message", w.message}, {"params", ParamsJson(w.params)}});
  }
  result["legal_basis"] = std::move(basis);
  result["warnings"] = std::move(warnings);
  CalcOutcome out;
  out.kind = CalcOutcome::Kind::kOk;
  out.result = std::move(result);
  return out;
}

// Turns a typed calculator's result into the outcome: its domain errors become field errors.
template <typename T, typename ToJson>
CalcOutcome Finish(const Result<T>& result, ToJson to_json) {
  if (!result) {
    return Invalid(result.error().errors);
  }
  return Ok(to_json(*result), result->explanation);
}

json::value DateOrNull(const std::optional<Date>& d) {
  if (!d) {
    return nullptr;
  }
  return json::value(d->ToString());
}

json::value CentsJson(Cents c) { return json::value(c.value()); }

constexpr std::string_view kFormNames[] = {"written", "electronic", "oral"};
NoticeForm FormAt(std::optional<size_t> index) {
  return index ? static_cast<NoticeForm>(*index) : NoticeForm::kWritten;
}

// ---- minimum-wage ----

CalcOutcome MinimumWage(const json::object& o) {
  Errors errors;
  FieldReader r(o, "", errors);
  MinimumWageInput in;
  const json::array* periods = r.GetArray("periods", Need::kRequired, 1, kMaxWagePeriods);
  const auto type = r.GetEnum("employment_type", Need::kOptional,
                              {"employee", "compulsory_internship", "orientation_internship",
                               "accompanying_internship", "entry_qualification", "volunteer"});
  in.internship_months_hundredths = r.GetHundredths("internship_months", Need::kOptional, 120 * 100);
  in.birth_date = r.GetDate("birth_date", Need::kOptional);
  in.vocational_qualification = r.GetBool("vocational_qualification", Need::kOptional).value_or(false);
  in.long_term_unemployed_before = r.GetBool("long_term_unemployed_before", Need::kOptional).value_or(false);
  in.employment_start = r.GetDate("employment_start", Need::kOptional);
  r.RejectUnknownFields();
  if (type) {
    in.employment_type = static_cast<EmploymentType>(*type);
  }
  if (periods) {
    for (size_t i = 0; i < periods->size(); ++i) {
      const std::string path = "periods[" + std::to_string(i) + "]";
      const json::value& element = (*periods)[i];
      if (!element.is_object()) {
        errors.push_back({path, "must be an object with month, hours and gross_pay_cents"});
        continue;
      }
      FieldReader pr(element.get_object(), path, errors);
      const auto month = pr.GetMonth("month", Need::kRequired);
      const auto hours = pr.GetHundredths("hours", Need::kRequired, kMaxHoursPerMonth * 100);
      const auto pay = pr.GetCents("gross_pay_cents", Need::kRequired);
      pr.RejectUnknownFields();
      if (month && hours && pay) {
        in.periods.push_back({*month, *hours, *pay});
      }
    }
  }
  if (!errors.empty()) {
    return Invalid(errors);
  }
  return Finish(ComputeMinimumWage(in), [](const MinimumWageResult& res) {
    json::array list;
    for (const auto& p : res.periods) {
      json::object item;
      item["month"] = p.month.ToString();
      item["applicable"] = p.applicable;
      item["exclusion"] = p.exclusion ? json::value(*p.exclusion) : json::value(nullptr);
      item["minimum_wage_cents"] = CentsJson(p.minimum_wage);
      item["due_cents"] = CentsJson(p.due);
      item["shortfall_cents"] = CentsJson(p.shortfall);
      list.push_back(std::move(item));
    }
    json::object out;
    out["periods"] = std::move(list);
    out["total_shortfall_cents"] = CentsJson(res.total_shortfall);
    return out;
  });
}

// ---- training-allowance ----

CalcOutcome TrainingAllowanceCalc(const json::object& o) {
  Errors errors;
  FieldReader r(o, "", errors);
  const auto start = r.GetDate("training_start", Need::kRequired);
  const auto month = r.GetMonth("month", Need::kRequired);
  const auto pay = r.GetCents("gross_pay_cents", Need::kRequired);
  const auto collective = r.GetBool("collective_agreement", Need::kOptional);
  r.RejectUnknownFields();
  if (!errors.empty()) {
    return Invalid(errors);
  }
  return Finish(ComputeTrainingAllowance({*start, *month, *pay, collective.value_or(false)}),
                [](const TrainingAllowanceResult& res) {
                  json::object out;
                  out["applicable"] = res.applicable;
                  out["training_year"] = res.training_year;
                  out["minimum_cents"] = CentsJson(res.minimum);
                  out["shortfall_cents"] = CentsJson(res.shortfall);
                  return out;
                });
}

// ---- notice-period ----

CalcOutcome NoticePeriodCalc(const json::object& o) {
  Errors errors;
  FieldReader r(o, "", errors);
  const auto received = r.GetDate("notice_received", Need::kRequired);
  const auto by = r.GetEnum("given_by", Need::kRequired, {"employer", "employee"});
  const auto start = r.GetDate("employment_start", Need::kRequired);
  const auto probation = r.GetBool("probation", Need::kOptional);
  const auto form = r.GetEnum("form", Need::kOptional, {kFormNames[0], kFormNames[1], kFormNames[2]});
  r.RejectUnknownFields();
  if (!errors.empty()) {
    return Invalid(errors);
  }
  NoticePeriodInput in{*received, *by == 0 ? NoticeParty::kEmployer : NoticeParty::kEmployee, *start,
                       probation.value_or(false), FormAt(form)};
  return Finish(ComputeNoticePeriod(in), [](const NoticePeriodResult& res) {
    json::object period;
    period["unit"] = res.period.unit == NoticeUnit::kWeeks ? "weeks" : "months";
    period["count"] = res.period.count;
    period["to"] = res.period.to == NoticeTo::kAnyDay        ? "any_day"
                   : res.period.to == NoticeTo::kEndOfMonth ? "end_of_month"
                                                            : "15th_or_end_of_month";
    json::object out;
    out["valid"] = res.valid;
    out["earliest_end"] = DateOrNull(res.earliest_end);
    out["tenure_years"] = res.tenure_years;
    out["period"] = std::move(period);
    return out;
  });
}

// ---- dismissal-claim-deadline ----

CalcOutcome ClaimDeadlineCalc(const json::object& o) {
  Errors errors;
  FieldReader r(o, "", errors);
  const auto received = r.GetDate("notice_received", Need::kRequired);
  const auto state = r.GetState("state", Need::kRequired);
  const auto form = r.GetEnum("form", Need::kOptional, {kFormNames[0], kFormNames[1], kFormNames[2]});
  r.RejectUnknownFields();
  if (!errors.empty()) {
    return Invalid(errors);
  }
  return Finish(ComputeClaimDeadline({*received, *state, FormAt(form)}), [](const ClaimDeadlineResult& res) {
    json::object out;
    out["applies"] = res.applies;
    out["deadline"] = DateOrNull(res.deadline);
    out["unadjusted_deadline"] = DateOrNull(res.unadjusted_deadline);
    return out;
  });
}

// ---- leave-entitlement ----

CalcOutcome LeaveCalc(const json::object& o) {
  Errors errors;
  FieldReader r(o, "", errors);
  // From the first row of the leave table (§ 3 Abs. 1 BUrlG, 24 Werktage since 1995) and up to a
  // six-day week (§ 3 Abs. 2 BUrlG).
  const auto year = r.GetInteger("year", Need::kRequired, StatutoryLeaveTable().front().valid_from.year(), 2100);
  const auto days = r.GetHundredths("workdays_per_week", Need::kRequired, kWerktagePerWeek * 100);
  const auto start = r.GetDate("employment_start", Need::kRequired);
  const auto end = r.GetDate("employment_end", Need::kOptional);
  r.RejectUnknownFields();
  if (days && *days < 100) {
    r.AddError("workdays_per_week", "must be between 1 and " + std::to_string(kWerktagePerWeek));
  }
  if (!errors.empty()) {
    return Invalid(errors);
  }
  return Finish(ComputeLeave({static_cast<int>(*year), *days, *start, end}), [](const LeaveResult& res) {
    json::object out;
    out["entitlement_days"] = HundredthsToJson(res.entitlement_hundredths);
    out["full_year_days"] = HundredthsToJson(res.full_year_hundredths);
    out["full_months"] = res.full_months;
    out["rule"] = res.rule == LeaveRule::kFull         ? "full"
                  : res.rule == LeaveRule::kPartial51a ? "partial_5_1_a"
                  : res.rule == LeaveRule::kPartial51b ? "partial_5_1_b"
                  : res.rule == LeaveRule::kPartial51c ? "partial_5_1_c"
                                                       : "none";
    return out;
  });
}

// ---- limitation ----

CalcOutcome LimitationCalc(const json::object& o) {
  Errors errors;
  FieldReader r(o, "", errors);
  const auto due = r.GetDate("claim_due", Need::kRequired);
  r.RejectUnknownFields();
  if (!errors.empty()) {
    return Invalid(errors);
  }
  return Finish(ComputeLimitation({*due}), [](const LimitationResult& res) {
    return json::object{{"limitation_ends", res.limitation_ends.ToString()}};
  });
}

// ---- sick-pay ----

CalcOutcome SickPayCalc(const json::object& o) {
  Errors errors;
  FieldReader r(o, "", errors);
  const auto start = r.GetDate("employment_start", Need::kRequired);
  const auto from = r.GetDate("sick_from", Need::kRequired);
  const auto until = r.GetDate("sick_until", Need::kOptional);
  r.RejectUnknownFields();
  if (!errors.empty()) {
    return Invalid(errors);
  }
  return Finish(ComputeSickPay({*start, *from, until}), [](const SickPayResult& res) {
    json::object out;
    out["waiting_period_ends"] = res.waiting_period_ends.ToString();
    out["paid_from"] = DateOrNull(res.paid_from);
    out["paid_until"] = DateOrNull(res.paid_until);
    return out;
  });
}

// ---- working-time ----

CalcOutcome WorkingTimeCalc(const json::object& o) {
  Errors errors;
  FieldReader r(o, "", errors);
  WorkingTimeInput in;
  const auto sector = r.GetEnum("sector", Need::kOptional,
                                {"general", "hospitality", "care", "transport", "agriculture", "broadcasting"});
  const json::array* shifts = r.GetArray("shifts", Need::kRequired, 1, kMaxShifts);
  in.state = r.GetState("state", Need::kOptional);
  r.RejectUnknownFields();
  if (sector) {
    in.sector = static_cast<Sector>(*sector);
  }
  if (shifts) {
    for (size_t i = 0; i < shifts->size(); ++i) {
      const std::string path = "shifts[" + std::to_string(i) + "]";
      const json::value& element = (*shifts)[i];
      if (!element.is_object()) {
        errors.push_back({path, "must be an object with start, end and break_minutes"});
        continue;
      }
      FieldReader sr(element.get_object(), path, errors);
      std::optional<LocalDateTime> start;
      std::optional<LocalDateTime> end;
      for (auto [key, target] : {std::pair{"start", &start}, std::pair{"end", &end}}) {
        if (const auto text = sr.GetString(key, Need::kRequired, 64)) {
          *target = LocalDateTime::Parse(*text);
          if (!*target) {
            sr.AddError(key, "must be a local time in the form YYYY-MM-DDTHH:MM");
          }
        }
      }
      const auto break_minutes = sr.GetInteger("break_minutes", Need::kRequired, 0, 24 * 60);
      sr.RejectUnknownFields();
      if (start && end && break_minutes) {
        in.shifts.push_back({*start, *end, *break_minutes});
      }
    }
  }
  if (!errors.empty()) {
    return Invalid(errors);
  }
  return Finish(CheckWorkingTime(in), [](const WorkingTimeResult& res) {
    json::array violations;
    for (const auto& v : res.violations) {
      violations.push_back(json::object{{"rule", v.rule},
                                        {"date", v.date.ToString()},
                                        {"detail", v.detail},
                                        {"detail_code", v.detail_code.empty() ? v.rule : v.detail_code},
                                        {"params", ParamsJson(v.params)}});
    }
    json::object out;
    out["total_hours"] = HundredthsToJson(res.total_hours_hundredths);
    out["violations"] = std::move(violations);
    return out;
  });
}

// ---- mini-job ----

CalcOutcome MiniJobCalc(const json::object& o) {
  Errors errors;
  FieldReader r(o, "", errors);
  const auto month = r.GetMonth("month", Need::kRequired);
  const auto pay = r.GetCents("gross_pay_cents", Need::kRequired);
  r.RejectUnknownFields();
  if (!errors.empty()) {
    return Invalid(errors);
  }
  return Finish(ClassifyMiniJob({*month, *pay}), [](const MiniJobResult& res) {
    json::object out;
    out["category"] = res.category == JobCategory::kMinijob   ? "minijob"
                      : res.category == JobCategory::kMidijob ? "midijob"
                                                              : "regular";
    out["minijob_limit_cents"] = CentsJson(res.minijob_limit);
    out["midijob_upper_cents"] = CentsJson(res.midijob_upper);
    return out;
  });
}

// ---- exclusion-clause ----

CalcOutcome ExclusionClauseCalc(const json::object& o) {
  Errors errors;
  FieldReader r(o, "", errors);
  const auto date = r.GetDate("contract_date", Need::kRequired);
  const auto standard = r.GetBool("standard_form", Need::kRequired);
  const auto first = r.GetHundredths("first_stage_months", Need::kRequired, 1200 * 100);
  const auto second = r.GetHundredths("second_stage_months", Need::kOptional, 1200 * 100);
  const auto exempts = r.GetBool("exempts_minimum_wage", Need::kRequired);
  const auto form = r.GetEnum("form_required", Need::kOptional, {"written", "text"});
  const auto claim_due = r.GetDate("claim_due", Need::kOptional);
  const auto state = r.GetState("state", Need::kOptional);
  r.RejectUnknownFields();
  if (!errors.empty()) {
    return Invalid(errors);
  }
  ExclusionClauseInput in{*date, *standard, *first, second, *exempts, std::nullopt, claim_due, state};
  if (form) {
    in.form_required = *form == 0 ? ClauseForm::kWritten : ClauseForm::kText;
  }
  return Finish(CheckExclusionClause(in), [](const ExclusionClauseResult& res) {
    json::array reasons;
    for (const auto& reason : res.reasons) {
      reasons.emplace_back(reason);
    }
    json::object out;
    out["valid"] = res.valid;
    out["reasons"] = std::move(reasons);
    out["assert_by"] = DateOrNull(res.assert_by);
    out["assert_by_unadjusted"] = DateOrNull(res.assert_by_unadjusted);
    return out;
  });
}

// ---- holidays ----

CalcOutcome HolidaysResult(State state, int year) {
  Explanation ex;
  ex.Basis("Art. 2 Abs. 2 Einigungsvertrag");
  ex.Basis("Feiertagsgesetz " + std::string(StateName(state)));
  json::array list;
  bool partial = false;
  for (const auto& h : HolidaysOf(state, year)) {
    partial = partial || h.scope == HolidayScope::kPartial;
    list.push_back(json::object{{"date", h.date.ToString()},
                                {"name", h.name},
                                {"name_en", h.name_en},
                                {"scope", h.scope == HolidayScope::kState ? "state" : "partial"}});
  }
  if (partial) {
    ex.Warn("partial_holidays",
            "Holidays with scope \"partial\" are kept only in some municipalities; check the place concerned.");
  }
  if (year == 1990 && (state == State::kBB || state == State::kMV || state == State::kSN || state == State::kST ||
                       state == State::kTH || state == State::kBE)) {
    ex.Warn("gdr_law_1990",
            "Until 2 October 1990 GDR holiday law applied in the east; the list shows the rules after unification.");
  }
  return Ok(json::object{{"holidays", std::move(list)}}, ex);
}

CalcOutcome HolidaysCalc(const json::object& o) {
  Errors errors;
  FieldReader r(o, "", errors);
  const auto state = r.GetState("state", Need::kRequired);
  const auto year = r.GetInteger("year", Need::kRequired, kFirstHolidayYear, kLastHolidayYear);
  r.RejectUnknownFields();
  if (!errors.empty()) {
    return Invalid(errors);
  }
  return HolidaysResult(*state, static_cast<int>(*year));
}

struct Calculator {
  std::string_view name;
  CalcOutcome (*run)(const json::object&);
};

constexpr std::array<Calculator, 11> kCalculators = {{
    {"minimum-wage", MinimumWage},
    {"training-allowance", TrainingAllowanceCalc},
    {"notice-period", NoticePeriodCalc},
    {"dismissal-claim-deadline", ClaimDeadlineCalc},
    {"leave-entitlement", LeaveCalc},
    {"limitation", LimitationCalc},
    {"sick-pay", SickPayCalc},
    {"working-time", WorkingTimeCalc},
    {"mini-job", MiniJobCalc},
    {"exclusion-clause", ExclusionClauseCalc},
    {"holidays", HolidaysCalc},
}};

}  // namespace

CalcOutcome RunCalculator(std::string_view name, const json::value& input) {
  const Calculator* calculator = nullptr;
  for (const auto& c : kCalculators) {
    if (c.name == name) {
      calculator = &c;
    }
  }
  if (!calculator) {
    CalcOutcome out;
    out.kind = CalcOutcome::Kind::kUnknownCalculator;
    return out;
  }
  if (!input.is_object()) {
    CalcOutcome out;
    out.kind = CalcOutcome::Kind::kInvalid;
    out.errors.push_back({"$", "must be a JSON object"});
    return out;
  }
  return calculator->run(input.get_object());
}

std::vector<std::string_view> CalculatorNames() {
  std::vector<std::string_view> names;
  for (const auto& c : kCalculators) {
    names.push_back(c.name);
  }
  return names;
}

CalcOutcome HolidaysForQuery(std::string_view state, std::string_view year) {
  Errors errors;
  const auto parsed_state = ParseState(state);
  if (!parsed_state) {
    errors.push_back({"state", "must be a federal state code: BW BY BE BB HB HH HE MV NI NW RP SL SN ST SH TH"});
  }
  int parsed_year = 0;
  const auto [ptr, ec] = std::from_chars(year.data(), year.data() + year.size(), parsed_year);
  if (year.empty() || ec != std::errc() || ptr != year.data() + year.size() || parsed_year < kFirstHolidayYear ||
      parsed_year > kLastHolidayYear) {
    errors.push_back({"year", "must be an integer between 1990 and 2100"});
  }
  if (!errors.empty()) {
    return Invalid(errors);
  }
  return HolidaysResult(*parsed_state, parsed_year);
}

}  // namespace fairdesk::labour_law
