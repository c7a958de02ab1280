#pragma once
/// How long claims live: statutory limitation (§§ 195, 199 BGB) and contractual exclusion
/// clauses (Ausschlussfristen) under the BAG's standard-form review (§§ 305 ff. BGB).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "labour_law/explain.hpp"
#include "labour_law/holidays.hpp"
#include "platform/core/date.hpp"
#include "platform/core/error.hpp"

namespace fairdesk::labour_law {

// ---- limitation ----

struct LimitationInput {
  Date claim_due;
};

struct LimitationResult {
  Date limitation_ends;  // the last day on which the claim is not yet time-barred
  Explanation explanation;
};

Result<LimitationResult> ComputeLimitation(const LimitationInput& input);

// ---- exclusion-clause ----

enum class ClauseForm { kWritten, kText };

struct ExclusionClauseInput {
  Date contract_date;
  bool standard_form = true;
  int64_t first_stage_months_hundredths = 0;
  std::optional<int64_t> second_stage_months_hundredths;
  bool exempts_minimum_wage = false;
  std::optional<ClauseForm> form_required;
  /// The day the claim fell due: with it, the result names the last day of the first stage.
  std::optional<Date> claim_due;
  /// Where the claim is asserted (for the public holidays of § 193 BGB); weekends only without it.
  std::optional<State> state;
};

struct ExclusionClauseResult {
  bool valid = true;
  std::vector<std::string> reasons;  // stable codes of the grounds of invalidity
  /// The last day to assert the claim with the employer (first stage), moved off a Saturday,
  /// Sunday or holiday (§ 193 BGB); only with a due date and a whole number of months.
  std::optional<Date> assert_by;
  std::optional<Date> assert_by_unadjusted;
  Explanation explanation;
};

Result<ExclusionClauseResult> CheckExclusionClause(const ExclusionClauseInput& input);

}  // namespace fairdesk::labour_law
