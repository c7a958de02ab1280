#pragma once
/// How long claims live: statutory limitation (§§ 195, 199 BGB) and contractual exclusion
/// clauses (Ausschlussfristen) under the BAG's standard-form review (§§ 305 ff. BGB).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "labour_law/explain.hpp"
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
};

struct ExclusionClauseResult {
  bool valid = true;
  std::vector<std::string> reasons;  // stable codes of the grounds of invalidity
  Explanation explanation;
};

Result<ExclusionClauseResult> CheckExclusionClause(const ExclusionClauseInput& input);

}  // namespace fairdesk::labour_law
