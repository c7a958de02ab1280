#include "stats/aggregate.hpp"

#include <algorithm>
#include <tuple>
#include <vector>

namespace fairdesk::stats {
namespace {

constexpr db::Query kReadBuilt{"stats.agg_built", "SELECT value FROM stats_settings WHERE name = 'aggregates_built'"};
constexpr db::Query kSetBuilt{
    "stats.agg_set_built",
    "INSERT INTO stats_settings (name, value) VALUES ('aggregates_built', '1') ON CONFLICT (name) DO NOTHING"};
constexpr db::Query kClear{"stats.agg_clear", "DELETE FROM stats_agg"};
constexpr db::Query kDeleteEmpty{
    "stats.agg_delete_empty",
    "DELETE FROM stats_agg WHERE measure = $1 AND dim = $2 AND month = $3 AND centre_id = $4 AND state = $5 AND "
    "val = $6 AND records = 0"};

std::string Join(std::span<const std::string_view> dims) {
  std::string out;
  for (auto d : dims) {
    out += ", ";
    out += d;
  }
  return out;
}

const std::string& CaseSql() {
  static const std::string sql = "SELECT opened_month, closed_month, centre_id, state, rkey, wages_recovered_cents" +
                                 Join(kCaseAggDims) + " FROM stats_cases WHERE id = $1";
  return sql;
}
const std::string& ConsultationSql() {
  static const std::string sql =
      "SELECT month, centre_id, state, rkey" + Join(kConsultationAggDims) + " FROM stats_consultations WHERE stats_case_id = $1";
  return sql;
}

void Add(AggMap& m, std::string_view measure, std::string_view dim, const std::string& val, const std::string& month,
         const std::string& centre, const std::string& state, std::int64_t rkey, std::int64_t wages) {
  auto& v = m[AggKey{std::string(measure), std::string(dim), val, month, centre, state}];
  v.records += 1;
  v.key_sum += rkey;
  v.wages += wages;
  if (wages > 0) {
    v.wage_records += 1;
    v.wage_key_sum += rkey;
  }
}

// The rows of one multi-row upsert (11 parameters a row).
std::string UpsertSql(std::size_t rows) {
  std::string sql =
      "INSERT INTO stats_agg (measure, dim, val, month, centre_id, state, records, key_sum, wages, wage_records, "
      "wage_key_sum) VALUES ";
  int n = 1;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (int i = 0; i < 11; ++i) sql += (i ? ", $" : "$") + std::to_string(n++);
    sql += ")";
  }
  return sql +
         " ON CONFLICT (measure, dim, month, centre_id, state, val) DO UPDATE SET records = stats_agg.records + "
         "excluded.records, key_sum = stats_agg.key_sum + excluded.key_sum, wages = stats_agg.wages + excluded.wages, "
         "wage_records = stats_agg.wage_records + excluded.wage_records, wage_key_sum = stats_agg.wage_key_sum + "
         "excluded.wage_key_sum";
}

}  // namespace

namespace {

// What one case record (columns from `at`: opened_month, closed_month, centre_id, state, rkey,
// wages_recovered_cents, then kCaseAggDims) and one consultation record (month, centre_id, state,
// rkey, then kConsultationAggDims) add to the pre-aggregates.
void AddCaseRow(AggMap& m, const db::Row& r, std::size_t at) {
  const std::string opened = r.Text(at), centre = r.Text(at + 2), state = r.Text(at + 3);
  const auto closed = r.OptText(at + 1);
  const std::int64_t rkey = r.Int(at + 4), wages = r.Int(at + 5);
  Add(m, "cases_opened", "", "", opened, centre, state, rkey, 0);
  if (closed) Add(m, "cases_closed", "", "", *closed, centre, state, rkey, wages);
  for (std::size_t i = 0; i < std::size(kCaseAggDims); ++i) {
    const std::string val = r.Text(at + 6 + i);
    Add(m, "cases_opened", kCaseAggDims[i], val, opened, centre, state, rkey, 0);
    if (closed) Add(m, "cases_closed", kCaseAggDims[i], val, *closed, centre, state, rkey, wages);
  }
}

void AddConsultationRow(AggMap& m, const db::Row& r, std::size_t at) {
  const std::string month = r.Text(at), centre = r.Text(at + 1), state = r.Text(at + 2);
  const std::int64_t rkey = r.Int(at + 3);
  Add(m, "consultations", "", "", month, centre, state, rkey, 0);
  for (std::size_t i = 0; i < std::size(kConsultationAggDims); ++i) {
    Add(m, "consultations", kConsultationAggDims[i], r.Text(at + 4 + i), month, centre, state, rkey, 0);
  }
}

}  // namespace

Result<AggMap> CaseContribution(db::Session& s, const std::string& stats_case_id) {
  AggMap m;
  if (auto row = FD_TRY(s.MaybeOne(db::Query{"stats.agg_case", CaseSql()}, {stats_case_id}))) AddCaseRow(m, *row, 0);
  for (const auto& r : FD_TRY(s.Query(db::Query{"stats.agg_consultations", ConsultationSql()}, {stats_case_id}))) {
    AddConsultationRow(m, r, 0);
  }
  return m;
}

Status ApplyContributionChange(db::Session& s, const AggMap& before, const AggMap& after) {
  std::vector<std::pair<const AggKey*, AggValue>> changes;
  auto diff = [](const AggValue& a, const AggValue& b) {
    return AggValue{a.records - b.records, a.key_sum - b.key_sum, a.wages - b.wages, a.wage_records - b.wage_records,
                    a.wage_key_sum - b.wage_key_sum};
  };
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      changes.emplace_back(&b->first, diff(AggValue{}, b->second));
      ++b;
    } else if (b == before.end() || a->first < b->first) {
      changes.emplace_back(&a->first, a->second);
      ++a;
    } else {
      if (!(a->second == b->second)) changes.emplace_back(&a->first, diff(a->second, b->second));
      ++a;
      ++b;
    }
  }
  constexpr std::size_t kPerStatement = 256;  // 2,816 parameters
  for (std::size_t start = 0; start < changes.size(); start += kPerStatement) {
    const std::size_t n = std::min(kPerStatement, changes.size() - start);
    std::vector<db::Value> params;
    params.reserve(n * 11);
    for (std::size_t i = start; i < start + n; ++i) {
      const auto& [k, v] = changes[i];
      params.emplace_back(k->measure);
      params.emplace_back(k->dim);
      params.emplace_back(k->val);
      params.emplace_back(k->month);
      params.emplace_back(k->centre_id);
      params.emplace_back(k->state);
      params.emplace_back(v.records);
      params.emplace_back(v.key_sum);
      params.emplace_back(v.wages);
      params.emplace_back(v.wage_records);
      params.emplace_back(v.wage_key_sum);
    }
    const std::string sql = UpsertSql(n);
    FD_TRY_VOID(s.Exec(db::Query{"stats.agg_upsert", sql}, std::span<const db::Value>(params)));
  }
  for (const auto& [k, v] : changes) {
    if (v.records < 0) FD_TRY_VOID(s.Exec(kDeleteEmpty, {k->measure, k->dim, k->month, k->centre_id, k->state, k->val}));
  }
  return {};
}

// One pass over the records in pages of the primary key, summed in memory (a few hundred thousand
// aggregate rows at 1M cases), then written by the same multi-row upsert as the hook. The
// GROUP BY per dimension it replaces (43 sorts of up to 5M rows) did not finish on SQLite at 1M
// cases within hours; this reads each record once.
Status RebuildAggregates(db::Session& s, int page_rows) {
  FD_TRY_VOID(s.Exec(kClear, {}));
  const int kPage = std::max(1, page_rows);
  AggMap m;
  static const std::string case_page = "SELECT id, opened_month, closed_month, centre_id, state, rkey, wages_recovered_cents" +
                                       Join(kCaseAggDims) + " FROM stats_cases WHERE id > $1 ORDER BY id LIMIT $2";
  static const std::string consultation_page = "SELECT id, month, centre_id, state, rkey" + Join(kConsultationAggDims) +
                                               " FROM stats_consultations WHERE id > $1 ORDER BY id LIMIT $2";
  for (const auto& [name, sql, cases] : {std::tuple{"stats.agg_rebuild_cases", &case_page, true},
                                          std::tuple{"stats.agg_rebuild_consultations", &consultation_page, false}}) {
    std::string after;  // ids are non-empty
    for (;;) {
      auto rows = FD_TRY(s.Query(db::Query{name, *sql}, {after, std::int64_t{kPage}}));
      for (const auto& r : rows) {
        if (cases) AddCaseRow(m, r, 1);
        else AddConsultationRow(m, r, 1);
      }
      if (rows.size() < static_cast<std::size_t>(kPage)) break;
      after = rows.back().Text(0);
    }
  }
  FD_TRY_VOID(ApplyContributionChange(s, {}, m));
  FD_TRY_VOID(s.Exec(kSetBuilt, {}));
  return {};
}

Result<bool> AggregatesBuilt(db::Session& s) { return FD_TRY(s.MaybeOne(kReadBuilt, {})).has_value(); }

}  // namespace fairdesk::stats
