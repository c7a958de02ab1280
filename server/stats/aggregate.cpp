#include "stats/aggregate.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "stats/store.hpp"

namespace fairdesk::stats {
namespace {

// Whether a pre-aggregate table was built: a flag in stats_settings.
constexpr db::Query kReadBuilt{"stats.agg_built", "SELECT value FROM stats_settings WHERE name = $1"};
constexpr db::Query kSetBuilt{"stats.agg_set_built",
                              "INSERT INTO stats_settings (name, value) VALUES ($1, '1') ON CONFLICT (name) DO NOTHING"};
// Emptied before a rebuild: TRUNCATE on PostgreSQL (no dead rows left behind), DELETE on SQLite.
constexpr db::Query kClear{"stats.agg_clear", "TRUNCATE stats_agg", "DELETE FROM stats_agg"};

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

// A pre-aggregate table: its key columns and the counters an upsert adds up; `count` (the first
// counter) is the number of records or persons, and a row whose count reaches zero goes.
struct AggTable {
  std::string_view table, upsert_name, delete_name, insert_name;
  std::vector<std::string_view> keys, counters;
};
const AggTable kAggTable{"stats_agg", "stats.agg_upsert", "stats.agg_delete_empty", "stats.agg_insert",
                         {"measure", "dim", "val", "month", "centre_id", "state"},
                         {"records", "key_sum", "wages", "wage_records", "wage_key_sum"}};
const AggTable kPersonAggTable{"stats_person_agg", "stats.person_agg_upsert", "stats.person_agg_delete_empty",
                               "stats.person_agg_insert",
                               {"dim", "val", "month", "centre_id", "state", "prev_centre", "prev_state", "prev_all"},
                               {"persons", "key_sum"}};
const AggTable kWagePersonAggTable{"stats_wage_person_agg", "stats.wage_person_agg_upsert",
                                   "stats.wage_person_agg_delete_empty", "stats.wage_person_agg_insert",
                                   kPersonAggTable.keys, kPersonAggTable.counters};

// The rows of one multi-row upsert (one parameter a column).
std::string UpsertSql(const AggTable& t, std::size_t rows) {
  std::string sql = "INSERT INTO " + std::string(t.table) + " (", conflict, update;
  for (auto k : t.keys) {
    sql += std::string(k) + ", ";
    conflict += (conflict.empty() ? "" : ", ") + std::string(k);
  }
  for (auto c : t.counters) {
    sql += std::string(c) + (c == t.counters.back() ? "" : ", ");
    update += (update.empty() ? "" : ", ") + std::string(c) + " = " + std::string(t.table) + "." + std::string(c) +
              " + excluded." + std::string(c);
  }
  sql += ") VALUES ";
  const std::size_t width = t.keys.size() + t.counters.size();
  int n = 1;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (std::size_t i = 0; i < width; ++i) sql += (i ? ", $" : "$") + std::to_string(n++);
    sql += ")";
  }
  return sql + " ON CONFLICT (" + conflict + ") DO UPDATE SET " + update;
}

std::string DeleteEmptySql(const AggTable& t) {
  std::string sql = "DELETE FROM " + std::string(t.table) + " WHERE ";
  int n = 1;
  for (auto k : t.keys) sql += std::string(k) + " = $" + std::to_string(n++) + " AND ";
  return sql + std::string(t.counters.front()) + " = 0";
}

void PushKey(std::vector<db::Value>& p, const AggKey& k) {
  for (const auto* f : {&k.measure, &k.dim, &k.val, &k.month, &k.centre_id, &k.state}) p.emplace_back(*f);
}
void PushKey(std::vector<db::Value>& p, const PersonAggKey& k) {
  for (const auto* f : {&k.dim, &k.val, &k.month, &k.centre_id, &k.state, &k.prev_centre, &k.prev_state, &k.prev_all}) {
    p.emplace_back(*f);
  }
}
std::vector<std::int64_t> Counters(const AggValue& v) { return {v.records, v.key_sum, v.wages, v.wage_records, v.wage_key_sum}; }
std::vector<std::int64_t> Counters(const PersonAggValue& v) { return {v.persons, v.key_sum}; }

// Adds `after - before` (two sorted maps, walked together) to the table.
template <class Key, class Value>
Status ApplyChange(db::Session& s, const AggTable& t, const std::map<Key, Value>& before, const std::map<Key, Value>& after) {
  std::vector<std::pair<const Key*, std::vector<std::int64_t>>> changes;
  auto diff = [](const Value& a, const Value& b) {
    auto x = Counters(a), y = Counters(b);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] -= y[i];
    return x;
  };
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      changes.emplace_back(&b->first, diff(Value{}, b->second));
      ++b;
    } else if (b == before.end() || a->first < b->first) {
      changes.emplace_back(&a->first, Counters(a->second));
      ++a;
    } else {
      if (!(a->second == b->second)) changes.emplace_back(&a->first, diff(a->second, b->second));
      ++a;
      ++b;
    }
  }
  const std::size_t width = t.keys.size() + t.counters.size();
  const std::size_t per_statement = 2800 / width;  // at most 2,800 parameters
  for (std::size_t start = 0; start < changes.size(); start += per_statement) {
    const std::size_t n = std::min(per_statement, changes.size() - start);
    std::vector<db::Value> params;
    params.reserve(n * width);
    for (std::size_t i = start; i < start + n; ++i) {
      PushKey(params, *changes[i].first);
      for (auto c : changes[i].second) params.emplace_back(c);
    }
    const std::string sql = UpsertSql(t, n);
    FD_TRY_VOID(s.Exec(db::Query{t.upsert_name, sql}, std::span<const db::Value>(params)));
  }
  const std::string delete_sql = DeleteEmptySql(t);
  for (const auto& [k, v] : changes) {
    if (v.front() >= 0) continue;
    std::vector<db::Value> params;
    PushKey(params, *k);
    FD_TRY_VOID(s.Exec(db::Query{t.delete_name, delete_sql}, std::span<const db::Value>(params)));
  }
  return {};
}

// Writes every row of a rebuild into its table (emptied before) once: plain multi-row INSERTs
// (no upsert, so nothing is rewritten), `push` appends a row's key and counter values.
template <class Rows, class Push>
Status InsertAll(db::Session& s, const AggTable& t, const Rows& rows, Push push) {
  std::vector<std::string> columns(t.keys.begin(), t.keys.end());
  columns.insert(columns.end(), t.counters.begin(), t.counters.end());
  constexpr int kRowsPerFlush = 5000;  // values held before they are written
  BulkInsert insert(std::string(t.insert_name), std::string(t.table), std::move(columns), kRowsPerFlush);
  int pending = 0;
  for (const auto& r : rows) {
    std::vector<db::Value> values;
    values.reserve(t.keys.size() + t.counters.size());
    push(values, r);
    FD_TRY_VOID(insert.Add(s, std::move(values)));
    if (++pending == kRowsPerFlush) {
      FD_TRY_VOID(insert.Flush(s));
      pending = 0;
    }
  }
  return insert.Flush(s);
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

namespace {

constexpr db::Query kClearPersons{"stats.person_agg_clear", "TRUNCATE stats_person_agg", "DELETE FROM stats_person_agg"};
constexpr db::Query kClearWagePersons{"stats.wage_person_agg_clear", "TRUNCATE stats_wage_person_agg",
                                      "DELETE FROM stats_wage_person_agg"};
// The last person of the next page of persons (by person key order), nothing on the last page.
constexpr db::Query kPersonPageEnd{
    "stats.person_agg_page_end", "SELECT person_id FROM stats_cases WHERE person_id > $1 ORDER BY person_id LIMIT 1 OFFSET $2"};

// The records of the persons a condition on stats_cases selects, as person_id, person_rkey,
// month, centre_id, state and the group dimensions: consultations (kConsultationAggDims) for
// distinct persons, closed cases that recovered wages (kCaseAggDims) for wages' persons.
std::string PersonRecordsSql(std::string_view persons) {
  return "SELECT person_id, person_rkey, month, centre_id, state" + Join(kConsultationAggDims) +
         " FROM stats_consultations WHERE stats_case_id IN (SELECT id FROM stats_cases WHERE " + std::string(persons) + ")";
}
std::string WageRecordsSql(std::string_view persons) {
  return "SELECT person_id, person_rkey, closed_month, centre_id, state" + Join(kCaseAggDims) +
         " FROM stats_cases WHERE closed_month IS NOT NULL AND wages_recovered_cents > 0 AND " + std::string(persons);
}

// One element of a person's groups (see PersonAggKey), as AddPerson hands it to its sink.
struct PersonElement {
  std::string_view measure, dim, val, month, centre_id, state, prev_centre, prev_state, prev_all;
  std::int64_t rkey;
};

// Hands each element of one person's records (rows of PersonRecordsSql or WageRecordsSql) to
// `sink`.
template <class Sink>
void AddPerson(Sink& sink, std::string_view measure, std::span<const std::string_view> dims,
               std::span<const db::Row* const> records) {
  if (records.empty()) return;
  const std::int64_t rkey = records.front()->Int(1);
  using Seen = std::tuple<std::string, std::string, std::string>;  // month, centre, state
  // For each group (dim "" and each dimension value), where and when the person was seen.
  std::map<std::pair<std::string_view, std::string>, std::vector<Seen>> groups;
  for (const db::Row* r : records) {
    Seen seen{r->Text(2), r->Text(3), r->Text(4)};
    groups[{"", ""}].push_back(seen);
    for (std::size_t i = 0; i < dims.size(); ++i) groups[{dims[i], r->Text(5 + i)}].push_back(seen);
  }
  for (auto& [group, seen] : groups) {
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    std::string prev_all;
    std::map<std::string, std::string> prev_of_centre, prev_of_state;
    for (const auto& [month, centre, state] : seen) {
      std::string& pc = prev_of_centre[centre];
      std::string& ps = prev_of_state[state];
      sink(PersonElement{measure, group.first, group.second, month, centre, state, pc, ps, prev_all, rkey});
      pc = ps = prev_all = month;
    }
  }
}

// Hands the elements of several persons' records to `sink`, grouped by person.
template <class Sink>
void AddPersons(Sink& sink, std::string_view measure, std::span<const std::string_view> dims,
                const std::vector<db::Row>& rows) {
  std::unordered_map<std::string, std::vector<const db::Row*>> by_person;
  for (const auto& r : rows) by_person[r.Text(0)].push_back(&r);
  for (const auto& [person, records] : by_person) AddPerson(sink, measure, dims, records);
}

// Both measures of the persons `condition` (on stats_cases) selects.
template <class Sink>
Status AddPersonsWhere(db::Session& s, Sink& sink, std::string_view name, const std::string& condition,
                       std::span<const db::Value> params) {
  const std::string persons = PersonRecordsSql(condition), wages = WageRecordsSql(condition);
  AddPersons(sink, "persons", kConsultationAggDims, FD_TRY(s.Query(db::Query{name, persons}, params)));
  AddPersons(sink, "wage_persons", kCaseAggDims, FD_TRY(s.Query(db::Query{name, wages}, params)));
  return {};
}

}  // namespace

Result<PersonAggMap> PersonContribution(db::Session& s, const std::string& person_id) {
  PersonAggMap m;
  auto sink = [&m](const PersonElement& e) {
    auto& v = m[PersonAggKey{std::string(e.measure), std::string(e.dim), std::string(e.val), std::string(e.month),
                             std::string(e.centre_id), std::string(e.state), std::string(e.prev_centre),
                             std::string(e.prev_state), std::string(e.prev_all)}];
    v.persons += 1;
    v.key_sum += e.rkey;
  };
  const db::Value id = person_id;
  FD_TRY_VOID(AddPersonsWhere(s, sink, "stats.person_records", "person_id = $1", std::span(&id, 1)));
  return m;
}

Status ApplyPersonChange(db::Session& s, const PersonAggMap& before, const PersonAggMap& after) {
  // Each measure has its table.
  for (const auto& [measure, table] : {std::pair{"persons", &kPersonAggTable}, std::pair{"wage_persons", &kWagePersonAggTable}}) {
    auto only = [&](const PersonAggMap& m) {
      PersonAggMap out;
      for (const auto& [k, v] : m) {
        if (k.measure == measure) out.emplace_hint(out.end(), k, v);
      }
      return out;
    };
    FD_TRY_VOID(ApplyChange(s, *table, only(before), only(after)));
  }
  return {};
}

namespace {

// The person pre-aggregates of a whole rebuild: AddPerson's sink, summed over all pages of persons
// and written once at the end. Every text is interned (a few hundred distinct months, centres and
// values), so a row costs a hash node of about 70 bytes instead of the hundreds of PersonAggKey's
// nine strings in a tree, and adding an element is a hash look-up instead of nine string
// comparisons per tree level.
class PersonAggSum {
 public:
  void operator()(const PersonElement& e) {
    Key key{e.measure == "persons" ? 0u : 1u};
    std::size_t i = 1;
    for (auto f : {e.dim, e.val, e.month, e.centre_id, e.state, e.prev_centre, e.prev_state, e.prev_all}) key[i++] = Intern(f);
    auto& sum = rows_[key];
    sum.persons += 1;
    sum.key_sum += e.rkey;
  }

  // Each table's rows in the order of its primary key (dim, month, state, centre_id, val,
  // prev_all, prev_state, prev_centre), so that both databases append to the key's index.
  Status Write(db::Session& s) {
    std::vector<std::uint32_t> rank(texts_.size());
    {
      std::vector<std::uint32_t> order(texts_.size());
      std::iota(order.begin(), order.end(), 0u);
      std::sort(order.begin(), order.end(), [&](auto a, auto b) { return texts_[a] < texts_[b]; });
      for (std::uint32_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
    }
    using Entry = const std::pair<const Key, PersonAggValue>*;
    std::vector<Entry> rows;
    rows.reserve(rows_.size());
    for (const auto& e : rows_) rows.push_back(&e);
    constexpr std::size_t kPrimaryKey[] = {0, 1, 3, 5, 4, 2, 8, 7, 6};  // measure, then the table's key
    std::sort(rows.begin(), rows.end(), [&](Entry a, Entry b) {
      for (std::size_t i : kPrimaryKey) {
        const std::uint32_t x = i ? rank[a->first[i]] : a->first[i], y = i ? rank[b->first[i]] : b->first[i];
        if (x != y) return x < y;
      }
      return false;
    });
    const auto wages = std::partition_point(rows.begin(), rows.end(), [](Entry e) { return e->first[0] == 0; });
    auto push = [&](std::vector<db::Value>& values, Entry e) {
      for (std::size_t i = 1; i < e->first.size(); ++i) values.emplace_back(texts_[e->first[i]]);
      values.emplace_back(e->second.persons);
      values.emplace_back(e->second.key_sum);
    };
    FD_TRY_VOID(InsertAll(s, kPersonAggTable, std::span(rows.begin(), wages), push));
    return InsertAll(s, kWagePersonAggTable, std::span(wages, rows.end()), push);
  }

 private:
  using Key = std::array<std::uint32_t, 9>;  // measure (0 persons, 1 wage_persons), then PushKey's fields
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      std::uint64_t h = 0xcbf29ce484222325u;
      for (auto x : k) h = (h ^ x) * 0x100000001b3u;
      return h ^ (h >> 32);
    }
  };
  std::uint32_t Intern(std::string_view text) {
    if (auto it = ids_.find(text); it != ids_.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(texts_.size());
    ids_.emplace(texts_.emplace_back(text), id);  // a deque: the views stay valid
    return id;
  }
  std::deque<std::string> texts_;
  std::unordered_map<std::string_view, std::uint32_t> ids_;
  std::unordered_map<Key, PersonAggValue, KeyHash> rows_;
};

}  // namespace

// Pages of persons in key order (each page's records read by the person index of stats_cases
// and the case index of stats_consultations), summed in memory over all pages (PersonAggSum),
// then written once into the emptied tables: every row one INSERT, none rewritten. The upserts
// per page this replaces rewrote the rows that pages share again and again (on PostgreSQL at 1M
// cases the table grew to 2.6 GB of dead rows and the rebuild did not finish).
Status RebuildPersonAggregates(db::Session& s, int page_persons) {
  FD_TRY_VOID(s.Exec(kClearPersons, {}));
  FD_TRY_VOID(s.Exec(kClearWagePersons, {}));
  PersonAggSum sum;
  std::string after;  // person ids are non-empty
  for (;;) {
    auto end = FD_TRY(s.MaybeOne(kPersonPageEnd, {after, std::int64_t{std::max(1, page_persons) - 1}}));
    if (end) {
      const db::Value params[] = {after, end->Text(0)};
      FD_TRY_VOID(AddPersonsWhere(s, sum, "stats.person_agg_rebuild", "person_id > $1 AND person_id <= $2", params));
    } else {
      const db::Value params[] = {after};
      FD_TRY_VOID(AddPersonsWhere(s, sum, "stats.person_agg_rebuild_last", "person_id > $1", params));
    }
    if (!end) break;
    after = end->Text(0);
  }
  FD_TRY_VOID(sum.Write(s));
  FD_TRY_VOID(s.Exec(kSetBuilt, {std::string("person_aggregates_built")}));
  return {};
}

Result<bool> PersonAggregatesBuilt(db::Session& s) {
  return FD_TRY(s.MaybeOne(kReadBuilt, {std::string("person_aggregates_built")})).has_value();
}

Result<AggMap> CaseContribution(db::Session& s, const std::string& stats_case_id) {
  AggMap m;
  if (auto row = FD_TRY(s.MaybeOne(db::Query{"stats.agg_case", CaseSql()}, {stats_case_id}))) AddCaseRow(m, *row, 0);
  for (const auto& r : FD_TRY(s.Query(db::Query{"stats.agg_consultations", ConsultationSql()}, {stats_case_id}))) {
    AddConsultationRow(m, r, 0);
  }
  return m;
}

Status ApplyContributionChange(db::Session& s, const AggMap& before, const AggMap& after) {
  return ApplyChange(s, kAggTable, before, after);
}

// One pass over the records in pages of the primary key, summed in memory (a few hundred thousand
// aggregate rows at 1M cases), then written once by multi-row INSERTs into the emptied table. The
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
  // In the order of the primary key (measure, dim, month, centre_id, state, val), so that the rows
  // of a month range lie together in the table too (a first, uncached read of a table then reads
  // a few adjacent pages instead of one run per value).
  std::vector<const AggMap::value_type*> rows;
  rows.reserve(m.size());
  for (const auto& row : m) rows.push_back(&row);
  std::sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
    const AggKey &x = a->first, &y = b->first;
    return std::tie(x.measure, x.dim, x.month, x.centre_id, x.state, x.val) <
           std::tie(y.measure, y.dim, y.month, y.centre_id, y.state, y.val);
  });
  FD_TRY_VOID(InsertAll(s, kAggTable, rows, [](std::vector<db::Value>& values, const AggMap::value_type* row) {
    PushKey(values, row->first);
    for (auto c : Counters(row->second)) values.emplace_back(c);
  }));
  FD_TRY_VOID(s.Exec(kSetBuilt, {std::string("aggregates_built")}));
  return RebuildPersonAggregates(s);
}

Result<bool> AggregatesBuilt(db::Session& s) {
  return FD_TRY(s.MaybeOne(kReadBuilt, {std::string("aggregates_built")})).has_value();
}

}  // namespace fairdesk::stats
