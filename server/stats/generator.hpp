#pragma once
/// Synthetic case data at scale (`fairdesk demo-data --cases N --seed S`): pseudonymous clients
/// (no encrypted personal fields), cases, consultations, referrals and outcomes with the
/// distributions of STATISTICS.md (nationalities, topics, states, seasonality), together with
/// their statistics records. Deterministic for a seed; several seeds can be loaded side by side.

#include <cstdint>

#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace fairdesk::stats {

struct GenerateOptions {
  std::int64_t cases = 1000;
  std::uint64_t seed = 1;
  int years = 5;                     // cases opened over the last `years` years up to today
  std::int64_t cases_per_transaction = 20000;
};

struct GenerateReport {
  std::int64_t clients = 0, cases = 0, consultations = 0, referrals = 0;
  double seconds = 0;
};

Result<GenerateReport> Generate(db::Database& database, const GenerateOptions& options);

}  // namespace fairdesk::stats
