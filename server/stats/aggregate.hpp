#pragma once
/// Monthly pre-aggregates of the statistics records (table stats_agg): for each counting measure
/// (consultations, cases opened, cases closed), each month, centre and one dimension value (or
/// the total), the number of records, the sum of their record keys (the cell key) and, for closed
/// cases, the wages recovered with the number and key sum of the cases that recovered any.
///
/// They change in the same transaction as the records they sum (SyncCase takes a case's
/// contribution before and after and applies the difference), the data generator rebuilds them
/// after loading, and Service::Init rebuilds them once after the upgrade that adds them. A table
/// with at most one attribute dimension (besides period, state and centre) reads them instead of
/// the records; the figures are the same (contract test in service_test.cpp).

#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace fairdesk::stats {

/// The attribute dimensions pre-aggregated per measure (the table "" is the total).
inline constexpr std::string_view kCaseAggDims[] = {
    "topic",  "sector",    "sector_group",      "nationality",      "nationality_group", "gender",
    "age_band", "employment_status", "residence_status", "abroad", "referral_target", "outcome"};
inline constexpr std::string_view kConsultationAggDims[] = {
    "topic",  "sector",    "sector_group",      "nationality",      "nationality_group", "gender",
    "age_band", "employment_status", "residence_status", "abroad", "referral_target", "outcome",
    "channel", "language", "kind", "contact"};

struct AggKey {
  std::string measure, dim, val, month, centre_id, state;
  friend auto operator<=>(const AggKey&, const AggKey&) = default;
};
struct AggValue {
  std::int64_t records = 0, key_sum = 0, wages = 0, wage_records = 0, wage_key_sum = 0;
  friend bool operator==(const AggValue&, const AggValue&) = default;
};
using AggMap = std::map<AggKey, AggValue>;

/// What the records of one statistics case (its case record and its consultations) add.
Result<AggMap> CaseContribution(db::Session& s, const std::string& stats_case_id);
/// Adds `after - before` to stats_agg (rows that reach zero records are removed).
Status ApplyContributionChange(db::Session& s, const AggMap& before, const AggMap& after);
/// Recomputes stats_agg from the records, read once in pages of `page_rows` records.
Status RebuildAggregates(db::Session& s, int page_rows = 20000);
/// Whether the pre-aggregates were built (after the upgrade that adds them).
Result<bool> AggregatesBuilt(db::Session& s);

}  // namespace fairdesk::stats
