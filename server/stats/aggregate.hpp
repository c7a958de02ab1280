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

/// Distinct persons, pre-aggregated (table stats_person_agg). For each group — the total (dim
/// "") and each consultation dimension value — a person's consultation records give the set of
/// (month, centre) they were seen in, ordered by month and centre. Each element is stored with
/// the month of the element before it in the same group: among all of the person's elements
/// (prev_all), among those of the same state (prev_state) and of the same centre (prev_centre),
/// "" for none. A person seen in a range of months [a, b] (of a scope) has exactly one element
/// there whose predecessor (in that scope) lies before a: the first one. So the distinct persons
/// of any range and scope are SUM(persons) over the rows with a <= month <= b and prev < a — a
/// sum over pre-aggregated rows instead of a DISTINCT over records — and their cell key is
/// SUM(key_sum), the sum of the person keys. Kept in the same transaction as the records (the
/// persons a change touches: their contribution before and after), rebuilt like stats_agg.
///
/// The same for the persons of wages recovered (measure "wage_persons", table
/// stats_wage_person_agg): their closed cases that recovered wages, by closed month and the case
/// dimensions; the suppression base of wages is these distinct persons.
struct PersonAggKey {
  std::string measure;  // "persons" (stats_person_agg) or "wage_persons" (stats_wage_person_agg)
  std::string dim, val, month, centre_id, state, prev_centre, prev_state, prev_all;
  friend auto operator<=>(const PersonAggKey&, const PersonAggKey&) = default;
};
struct PersonAggValue {
  std::int64_t persons = 0, key_sum = 0;
  friend bool operator==(const PersonAggValue&, const PersonAggValue&) = default;
};
using PersonAggMap = std::map<PersonAggKey, PersonAggValue>;

/// What the records of one person add to stats_person_agg and stats_wage_person_agg.
Result<PersonAggMap> PersonContribution(db::Session& s, const std::string& person_id);
/// Adds `after - before` to the two tables (rows that reach zero persons are removed).
Status ApplyPersonChange(db::Session& s, const PersonAggMap& before, const PersonAggMap& after);
/// Recomputes both tables from the records, `page_persons` persons at a time.
Status RebuildPersonAggregates(db::Session& s, int page_persons = 5000);
/// Whether both were built (after the upgrades that add them).
Result<bool> PersonAggregatesBuilt(db::Session& s);

/// What the records of one statistics case (its case record and its consultations) add.
Result<AggMap> CaseContribution(db::Session& s, const std::string& stats_case_id);
/// Adds `after - before` to stats_agg (rows that reach zero records are removed).
Status ApplyContributionChange(db::Session& s, const AggMap& before, const AggMap& after);
/// Recomputes stats_agg from the records, read once in pages of `page_rows` records, and
/// stats_person_agg (RebuildPersonAggregates).
Status RebuildAggregates(db::Session& s, int page_rows = 20000);
/// Whether the pre-aggregates were built (after the upgrade that adds them).
Result<bool> AggregatesBuilt(db::Session& s);

}  // namespace fairdesk::stats
