#include <sodium.h>

#include "stats/store.hpp"

#include <algorithm>

namespace fairdesk::stats {
namespace {

// The columns a statistics record shares with its copies in closed periods (string literals, so
// that the migration texts below stay constants).
#define FD_STATS_ATTRIBUTE_COLUMNS \
  "  topic TEXT NOT NULL,\n" \
  "  sector TEXT NOT NULL,\n" \
  "  sector_group TEXT NOT NULL,\n" \
  "  nationality TEXT NOT NULL,\n" \
  "  nationality_group TEXT NOT NULL,\n" \
  "  gender TEXT NOT NULL,\n" \
  "  age_band TEXT NOT NULL,\n" \
  "  employment_status TEXT NOT NULL,\n" \
  "  residence_status TEXT NOT NULL,\n" \
  "  abroad TEXT NOT NULL,\n" \
  "  referral_target TEXT NOT NULL,\n" \
  "  outcome TEXT NOT NULL,\n"
#define FD_STATS_CASE_COLUMNS \
  "  person_id TEXT NOT NULL,\n" \
  "  person_rkey BIGINT NOT NULL,\n" \
  "  centre_id TEXT NOT NULL,\n" \
  "  state TEXT NOT NULL,\n" \
  "  opened_month TEXT NOT NULL,\n" \
  "  closed_month TEXT,\n" \
  FD_STATS_ATTRIBUTE_COLUMNS \
  "  wages_recovered_cents BIGINT NOT NULL,\n" \
  "  rkey BIGINT NOT NULL\n"
#define FD_STATS_CONSULTATION_COLUMNS \
  "  person_id TEXT NOT NULL,\n" \
  "  person_rkey BIGINT NOT NULL,\n" \
  "  month TEXT NOT NULL,\n" \
  "  channel TEXT NOT NULL,\n" \
  "  language TEXT NOT NULL,\n" \
  "  kind TEXT NOT NULL,\n" \
  "  contact TEXT NOT NULL,\n" \
  "  centre_id TEXT NOT NULL,\n" \
  "  state TEXT NOT NULL,\n" \
  FD_STATS_ATTRIBUTE_COLUMNS \
  "  rkey BIGINT NOT NULL\n"
// The columns of the distinct-person pre-aggregates (aggregate.hpp, PersonAggKey).
#define FD_STATS_PERSON_AGG_COLUMNS \
  "  dim TEXT NOT NULL,\n" \
  "  val TEXT NOT NULL,\n" \
  "  month TEXT NOT NULL,\n" \
  "  centre_id TEXT NOT NULL,\n" \
  "  state TEXT NOT NULL,\n" \
  "  prev_centre TEXT NOT NULL,\n" \
  "  prev_state TEXT NOT NULL,\n" \
  "  prev_all TEXT NOT NULL,\n" \
  "  persons BIGINT NOT NULL,\n" \
  "  key_sum BIGINT NOT NULL,\n" \
  "  PRIMARY KEY (dim, month, state, centre_id, val, prev_all, prev_state, prev_centre)\n"
// The columns a table of counts by any two attributes reads from the records (rkey: the cell
// key), after the centre and month keys of the covering indexes of migration 606.
#define FD_STATS_CASE_INDEX_COLUMNS \
  "state, topic, sector, sector_group, nationality, nationality_group, gender, age_band, employment_status, " \
  "residence_status, abroad, referral_target, outcome, rkey"
#define FD_STATS_CONSULTATION_INDEX_COLUMNS \
  FD_STATS_CASE_INDEX_COLUMNS ", channel, language, kind, contact, person_id, person_rkey"

// The statistics record. Months are text YYYY-MM (the finest grain); every attribute is a code.
// rkey: the record key of the cell-key method (uniform in [0, 2^31)); person_rkey the person's.
// The clients table gains the two reporting fields of STATISTICS.md (residence status, living
// abroad), optional at intake.
constexpr db::Migration kMigrations[] = {
    {600, "statistics: records of cases and consultations; client reporting fields", R"SQL(
ALTER TABLE clients ADD COLUMN residence_status TEXT;
ALTER TABLE clients ADD COLUMN abroad INTEGER;
CREATE TABLE stats_persons (
  id TEXT PRIMARY KEY,
  client_id TEXT UNIQUE,
  rkey BIGINT NOT NULL
);
CREATE TABLE stats_cases (
  id TEXT PRIMARY KEY,
  case_id TEXT UNIQUE,
)SQL" FD_STATS_CASE_COLUMNS R"SQL();
CREATE INDEX stats_cases_opened ON stats_cases (opened_month, state, centre_id);
CREATE INDEX stats_cases_closed ON stats_cases (closed_month, state, centre_id);
CREATE INDEX stats_cases_person ON stats_cases (person_id);
CREATE TABLE stats_consultations (
  id TEXT PRIMARY KEY,
  consultation_id TEXT UNIQUE,
  stats_case_id TEXT NOT NULL,
)SQL" FD_STATS_CONSULTATION_COLUMNS R"SQL();
CREATE INDEX stats_consultations_month ON stats_consultations (month, state, centre_id);
CREATE INDEX stats_consultations_case ON stats_consultations (stats_case_id);
CREATE TABLE stats_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)SQL",
     {}},
    // Monthly pre-aggregates (aggregate.hpp); filled by Service::Init after this upgrade.
    {601, "statistics: monthly pre-aggregates", R"SQL(
CREATE TABLE stats_agg (
  measure TEXT NOT NULL,
  dim TEXT NOT NULL,
  val TEXT NOT NULL,
  month TEXT NOT NULL,
  centre_id TEXT NOT NULL,
  state TEXT NOT NULL,
  records BIGINT NOT NULL,
  key_sum BIGINT NOT NULL,
  wages BIGINT NOT NULL,
  wage_records BIGINT NOT NULL,
  wage_key_sum BIGINT NOT NULL,
  PRIMARY KEY (measure, dim, month, centre_id, state, val)
);
)SQL",
     {}},
    // Closed reporting periods (periods.cpp): the period, its revisions (0 = the closing) and a
    // copy of the statistics records per revision, without any link to cases or consultations.
    {602, "statistics: closed reporting periods and their revisions", R"SQL(
CREATE TABLE stats_periods (
  id TEXT PRIMARY KEY,
  centre_id TEXT,
  label TEXT NOT NULL,
  from_month TEXT NOT NULL,
  to_month TEXT NOT NULL,
  closed_at TEXT NOT NULL,
  closed_by TEXT NOT NULL,
  latest_revision INTEGER NOT NULL
);
CREATE INDEX stats_periods_range ON stats_periods (from_month, to_month);
CREATE TABLE stats_period_revisions (
  period_id TEXT NOT NULL REFERENCES stats_periods (id),
  number INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  reason TEXT,
  PRIMARY KEY (period_id, number)
);
CREATE TABLE stats_frozen_cases (
  period_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
)SQL" FD_STATS_CASE_COLUMNS R"SQL();
CREATE INDEX stats_frozen_cases_opened ON stats_frozen_cases (period_id, revision, opened_month);
CREATE INDEX stats_frozen_cases_closed ON stats_frozen_cases (period_id, revision, closed_month);
CREATE TABLE stats_frozen_consultations (
  period_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
)SQL" FD_STATS_CONSULTATION_COLUMNS R"SQL();
CREATE INDEX stats_frozen_consultations_month ON stats_frozen_consultations (period_id, revision, month);
)SQL",
     {}},
    // Distinct persons by period, state and centre read the consultation records through the
    // index alone (it replaces the month index, of which it is an extension); wages recovered
    // read only the closed cases that recovered any (about one in ten).
    {603, "statistics: covering index of persons by month, partial index of wages recovered", R"SQL(
CREATE INDEX stats_consultations_persons ON stats_consultations (month, state, centre_id, person_id, person_rkey);
DROP INDEX stats_consultations_month;
CREATE INDEX stats_cases_wages ON stats_cases (closed_month, state, centre_id) WHERE wages_recovered_cents > 0;
)SQL",
     {}},
    // Distinct persons pre-aggregated (aggregate.hpp, PersonAggKey): per group (dim "" or one
    // consultation dimension value), month, centre and the month each person was seen before (in
    // the centre, the state, anywhere), the number of persons and the sum of their person keys.
    // Filled by Service::Init after this upgrade (RebuildPersonAggregates), kept by SyncCase.
    {604, "statistics: distinct persons pre-aggregated by the month each was seen before", R"SQL(
CREATE TABLE stats_person_agg (
)SQL" FD_STATS_PERSON_AGG_COLUMNS R"SQL();
)SQL",
     {}},
    // The persons of wages recovered (the suppression base of wages), pre-aggregated like
    // distinct persons; both tables are rebuilt at the next start.
    {605, "statistics: persons of wages recovered pre-aggregated", R"SQL(
CREATE TABLE stats_wage_person_agg (
)SQL" FD_STATS_PERSON_AGG_COLUMNS R"SQL();
DELETE FROM stats_settings WHERE name = 'person_aggregates_built';
)SQL",
     {}},
    // Tables crossing two attributes (no pre-aggregate holds them) read the records of a centre
    // and month range from these indexes alone: keyed by centre, then month, so that one centre's
    // year is one contiguous range of the index, and covering every column such a table reads.
    // Tables of a state or nationwide name the centres of their records (from stats_agg). The
    // heap rows of a centre's year lie on ~20,000 scattered pages at 1M cases, the index range on
    // ~800 (docs/PERFORMANCE.md). PostgreSQL: INCLUDE; SQLite: the same columns as trailing keys.
    {606, "statistics: covering indexes of the records by centre and month", R"SQL(
CREATE INDEX stats_cases_centre_opened ON stats_cases (centre_id, opened_month) INCLUDE ()SQL" FD_STATS_CASE_INDEX_COLUMNS R"SQL();
CREATE INDEX stats_cases_centre_closed ON stats_cases (centre_id, closed_month) INCLUDE ()SQL" FD_STATS_CASE_INDEX_COLUMNS R"SQL() WHERE closed_month IS NOT NULL;
CREATE INDEX stats_consultations_centre ON stats_consultations (centre_id, month) INCLUDE ()SQL" FD_STATS_CONSULTATION_INDEX_COLUMNS R"SQL();
)SQL",
     R"SQL(
CREATE INDEX stats_cases_centre_opened ON stats_cases (centre_id, opened_month, )SQL" FD_STATS_CASE_INDEX_COLUMNS R"SQL();
CREATE INDEX stats_cases_centre_closed ON stats_cases (centre_id, closed_month, )SQL" FD_STATS_CASE_INDEX_COLUMNS R"SQL() WHERE closed_month IS NOT NULL;
CREATE INDEX stats_consultations_centre ON stats_consultations (centre_id, month, )SQL" FD_STATS_CONSULTATION_INDEX_COLUMNS R"SQL();
)SQL"},
};

}  // namespace

std::span<const db::Migration> Migrations() { return kMigrations; }

std::int64_t NewRecordKey() { return static_cast<std::int64_t>(randombytes_random() & 0x7fffffffu); }

BulkInsert::BulkInsert(std::string name, std::string table, std::vector<std::string> columns, int rows_per_statement)
    : name_(std::move(name)), table_(std::move(table)), columns_(std::move(columns)), per_statement_(rows_per_statement) {
  // libpq refuses a parameter description longer than 30000 bytes (4 bytes per parameter), so a
  // statement carries at most 7000 parameters.
  per_statement_ = std::max(1, std::min(per_statement_, 7000 / static_cast<int>(columns_.size())));
  pending_.reserve(columns_.size() * per_statement_);
}

std::string BulkInsert::SqlFor(int rows) const {
  std::string sql = "INSERT INTO " + table_ + " (";
  for (std::size_t i = 0; i < columns_.size(); ++i) sql += (i ? ", " : "") + columns_[i];
  sql += ") VALUES ";
  int n = 1;
  for (int r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (std::size_t i = 0; i < columns_.size(); ++i) sql += (i ? ", $" : "$") + std::to_string(n++);
    sql += ")";
  }
  return sql;
}

Status BulkInsert::Add(db::Session&, std::vector<db::Value> row) {
  for (auto& v : row) pending_.push_back(std::move(v));
  ++pending_rows_;
  return {};
}

// Full statements first, then the rest in statements of 2^k rows, so that a table never needs
// more than a handful of prepared texts.
Status BulkInsert::Flush(db::Session& s) {
  const std::size_t width = columns_.size();
  std::size_t offset = 0;
  int left = pending_rows_;
  while (left > 0) {
    int rows = per_statement_;
    if (left < per_statement_) {
      rows = 1;
      while (rows * 2 <= left) rows *= 2;
    }
    auto it = sized_sql_.find(rows);
    if (it == sized_sql_.end()) it = sized_sql_.emplace(rows, SqlFor(rows)).first;
    FD_TRY_VOID(s.Exec(db::Query{name_, it->second}, std::span<const db::Value>(pending_.data() + offset, rows * width)));
    offset += rows * width;
    left -= rows;
    total_ += rows;
  }
  pending_.clear();
  pending_rows_ = 0;
  return {};
}

namespace {
db::Value S(const std::string& s) { return s; }
db::Value I(std::int64_t v) { return v; }
}  // namespace

std::vector<std::string> CaseFactColumns() {
  return {"id", "case_id", "person_id", "person_rkey", "centre_id", "state", "opened_month", "closed_month",
          "topic", "sector", "sector_group", "nationality", "nationality_group", "gender", "age_band",
          "employment_status", "residence_status", "abroad", "referral_target", "outcome",
          "wages_recovered_cents", "rkey"};
}

std::vector<db::Value> CaseFactValues(const CaseFactRow& r) {
  const auto& f = r.fact;
  return {S(r.id), db::Opt(r.case_id), S(r.person_id), I(r.person_rkey), S(f.centre_id), S(f.state),
          S(f.opened_month), db::Opt(f.closed_month), S(f.topic), S(f.sector), S(f.sector_group),
          S(f.nationality), S(f.nationality_group), S(f.gender), S(f.age_band), S(f.employment_status),
          S(f.residence_status), S(f.abroad), S(f.referral_target), S(f.outcome), I(f.wages_recovered_cents),
          I(r.rkey)};
}

std::vector<std::string> ConsultationFactColumns() {
  return {"id", "consultation_id", "stats_case_id", "person_id", "person_rkey", "month", "channel", "language",
          "kind", "contact", "rkey", "centre_id", "state", "topic", "sector", "sector_group", "nationality",
          "nationality_group", "gender", "age_band", "employment_status", "residence_status", "abroad",
          "referral_target", "outcome"};
}

std::vector<db::Value> ConsultationFactValues(const ConsultationFactRow& r, const CaseFact& f) {
  return {S(r.id), db::Opt(r.consultation_id), S(r.stats_case_id), S(r.person_id), I(r.person_rkey),
          S(r.month), S(r.channel), S(r.language), S(r.kind), S(r.contact), I(r.rkey), S(f.centre_id),
          S(f.state), S(f.topic), S(f.sector), S(f.sector_group), S(f.nationality), S(f.nationality_group),
          S(f.gender), S(f.age_band), S(f.employment_status), S(f.residence_status), S(f.abroad),
          S(f.referral_target), S(f.outcome)};
}

}  // namespace fairdesk::stats
