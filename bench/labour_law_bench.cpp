// Google Benchmark: labour-law calculators inside the process, JSON in and out, as the HTTP
// handler and the CLI call them. Issue 4 asks for "well under a millisecond" per calculation.

#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include <string>

#include "labour_law/calculators.hpp"

namespace {
namespace json = boost::json;
using fairdesk::labour_law::CalcOutcome;
using fairdesk::labour_law::RunCalculator;

json::value MinimumWageInput() {
  json::array periods;
  for (int month = 1; month <= 12; ++month) {
    char name[8];
    std::snprintf(name, sizeof name, "2025-%02d", month);
    periods.push_back(json::object{{"month", name}, {"hours", 160.5}, {"gross_pay_cents", 190000}});
  }
  return json::object{{"periods", std::move(periods)}, {"birth_date", "1990-05-17"}};
}

void Run(benchmark::State& state, std::string_view name, const json::value& input) {
  for (auto _ : state) {
    CalcOutcome out = RunCalculator(name, input);
    benchmark::DoNotOptimize(out);
    if (out.kind != CalcOutcome::Kind::kOk) {
      state.SkipWithError("calculator rejected the benchmark input");
      break;
    }
  }
}

void BM_MinimumWage12Periods(benchmark::State& state) { Run(state, "minimum-wage", MinimumWageInput()); }
BENCHMARK(BM_MinimumWage12Periods);

// Parse the request body and serialize the answer too, as POST /api/v1/calc/minimum-wage does.
void BM_MinimumWage12PeriodsWithJsonText(benchmark::State& state) {
  const std::string body = json::serialize(MinimumWageInput());
  for (auto _ : state) {
    const json::value input = json::parse(body);
    CalcOutcome out = RunCalculator("minimum-wage", input);
    std::string text = json::serialize(out.result);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_MinimumWage12PeriodsWithJsonText);

void BM_DismissalClaimDeadline(benchmark::State& state) {
  Run(state, "dismissal-claim-deadline", json::object{{"notice_received", "2026-03-13"}, {"state", "BY"}});
}
BENCHMARK(BM_DismissalClaimDeadline);

void BM_NoticePeriod(benchmark::State& state) {
  Run(state, "notice-period",
      json::object{{"notice_received", "2026-03-06"}, {"given_by", "employer"}, {"employment_start", "2011-06-01"}});
}
BENCHMARK(BM_NoticePeriod);

void BM_LeaveEntitlement(benchmark::State& state) {
  Run(state, "leave-entitlement",
      json::object{{"year", 2026}, {"workdays_per_week", 4.5}, {"employment_start", "2026-08-01"}});
}
BENCHMARK(BM_LeaveEntitlement);

void BM_WorkingTimeFourWeeks(benchmark::State& state) {
  json::array shifts;
  for (int day = 1; day <= 28; ++day) {
    char start[20];
    char end[20];
    std::snprintf(start, sizeof start, "2026-02-%02dT08:00", day);
    std::snprintf(end, sizeof end, "2026-02-%02dT17:30", day);
    shifts.push_back(json::object{{"start", start}, {"end", end}, {"break_minutes", 30}});
  }
  Run(state, "working-time", json::object{{"state", "BE"}, {"shifts", std::move(shifts)}});
}
BENCHMARK(BM_WorkingTimeFourWeeks);

void BM_Holidays(benchmark::State& state) {
  Run(state, "holidays", json::object{{"state", "BY"}, {"year", 2026}});
}
BENCHMARK(BM_Holidays);

void BM_InvalidInput(benchmark::State& state) {
  const json::value input = json::object{{"periods", json::array{json::object{{"month", "2014-12"}}}}};
  for (auto _ : state) {
    CalcOutcome out = RunCalculator("minimum-wage", input);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_InvalidInput);

}  // namespace
