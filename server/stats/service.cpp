#include "stats/service.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <unordered_map>

#include "platform/core/clock.hpp"
#include "platform/crypto/crypto.hpp"
#include "platform/log/log.hpp"
#include "stats/aggregate.hpp"
#include "stats/periods.hpp"
#include "stats/protect.hpp"

namespace fairdesk::stats {
namespace {

constexpr db::Query kReadSecret{"stats.read_secret", "SELECT value FROM stats_settings WHERE name = 'cell_key_secret'"};
constexpr db::Query kWriteSecret{
    "stats.write_secret",
    "INSERT INTO stats_settings (name, value) VALUES ('cell_key_secret', $1) ON CONFLICT (name) DO NOTHING"};
constexpr db::Query kCentres{"stats.centres", "SELECT id, state FROM centres"};

enum class Agg { kCount, kDistinctPersons, kSum };

struct MeasureDef {
  std::string_view name, table, month_column;
  Agg agg;
  bool consultation_level;
};

constexpr MeasureDef kMeasureDefs[] = {
    {"consultations", "stats_consultations", "month", Agg::kCount, true},
    {"persons", "stats_consultations", "month", Agg::kDistinctPersons, true},
    {"cases_opened", "stats_cases", "opened_month", Agg::kCount, false},
    {"cases_closed", "stats_cases", "closed_month", Agg::kCount, false},
    {"wages_recovered_cents", "stats_cases", "closed_month", Agg::kSum, false},
};

constexpr std::string_view kConsultationOnly[] = {"channel", "language", "kind", "contact"};

bool IsPeriod(std::string_view d) { return d == "month" || d == "quarter" || d == "year"; }

std::string DimExpr(std::string_view dim, std::string_view month) {
  const std::string m(month);
  if (dim == "month") return m;
  if (dim == "year") return "substr(" + m + ", 1, 4)";
  if (dim == "quarter") {
    return "substr(" + m + ", 1, 4) || '-Q' || CAST((CAST(substr(" + m + ", 6, 2) AS INTEGER) + 2) / 3 AS TEXT)";
  }
  if (dim == "centre") return "centre_id";
  return std::string(dim);  // a column of the same name (checked against kDimensions)
}

std::vector<std::string> PeriodKeys(std::string_view dim, YearMonth from, YearMonth to) {
  std::vector<std::string> keys;
  for (YearMonth m = from; m <= to; m = YearMonth::Of(m.FirstDay().AddMonths(1))) {
    std::string k;
    const std::string ym = m.FirstDay().ToString().substr(0, 7);
    if (dim == "month") k = ym;
    else if (dim == "year") k = ym.substr(0, 4);
    else k = ym.substr(0, 4) + "-Q" + std::to_string((m.month() + 2) / 3);
    if (keys.empty() || keys.back() != k) keys.push_back(k);
  }
  return keys;
}

std::string MonthText(YearMonth m) { return m.FirstDay().ToString().substr(0, 7); }

// Appends the state and centre filters of `r` to `sql` with their parameters.
void AddScope(const TableRequest& r, std::vector<db::Value>& params, std::string& sql) {
  if (r.state) {
    params.emplace_back(*r.state);
    sql += " AND state = $" + std::to_string(params.size());
  }
  if (r.centre) {
    params.emplace_back(*r.centre);
    sql += " AND centre_id = $" + std::to_string(params.size());
  }
}

// The categories of `dim` among the records of `measure` in the range and scope of `r`, from
// the pre-aggregates (state and centre: the columns of their totals).
Status AggCategories(db::Session& s, std::string_view measure, const std::string& dim, const TableRequest& r,
                     std::set<std::string>& out) {
  const bool column = dim == "state" || dim == "centre";
  const std::string name = dim == "state" ? "state" : dim == "centre" ? "centre_id" : "val";
  std::vector<db::Value> params{MonthText(r.from), MonthText(r.to), column ? std::string() : dim, std::string(measure)};
  std::string sql = "SELECT DISTINCT " + name +
                    " FROM stats_agg WHERE measure = $4 AND dim = $3 AND month >= $1 AND month <= $2 AND records > 0";
  AddScope(r, params, sql);
  for (const auto& row : FD_TRY(s.Query(db::Query{"stats.closed_categories", sql}, std::span<const db::Value>(params)))) {
    out.insert(row.Text(0));
  }
  return {};
}

struct Agg4 {
  std::int64_t value = 0, base = 0, contributors = 0, key_sum = 0;
};

}  // namespace

Status Service::PrepareRead(db::Session& s) {
  static constexpr db::Query kWorkMem{"stats.work_mem", "SELECT set_config('work_mem', '64MB', true)"};
  if (s.backend() == db::Backend::kPostgres) FD_TRY_VOID(s.Query(kWorkMem, {}));
  return {};
}

YearMonth Service::LatestProtectedMonth() {
  auto today = *Date::Parse(clock::TodayIso());
  return YearMonth::Of(today.FirstOfMonth().AddMonths(-1));
}

bool Service::ProtectedFor(const Principal& p, const std::optional<std::string>& centre) {
  switch (p.role) {
    case Role::kAdvisor:
    case Role::kCentreLead:
      return false;
    case Role::kCompetenceCentre:
      return !(centre && p.centre_id && *centre == *p.centre_id);
    default:
      return true;
  }
}

Result<ReportLabels> Service::Labels() {
  static constexpr db::Query kTopicLabels{"stats.topic_labels", "SELECT code, label_de, label_en FROM case_topics"};
  static constexpr db::Query kCentreNames{"stats.centre_names", "SELECT id, name FROM centres"};
  ReportLabels out;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    for (const auto& row : FD_TRY(s.Query(kTopicLabels, {}))) out.topics[row.Text(0)] = {row.Text(1), row.Text(2)};
    for (const auto& row : FD_TRY(s.Query(kCentreNames, {}))) out.centres[row.Text(0)] = row.Text(1);
    return {};
  }));
  return out;
}

Status Service::Init() {
  return db_.Write([&](db::Session& s) -> Status {
    FD_TRY_VOID(s.Exec(kWriteSecret, {crypto::RandomToken(32)}));
    secret_ = FD_TRY(s.One(kReadSecret, {})).Text(0);
    // Once, after the upgrade that adds the pre-aggregates: build them from the records (at the
    // first start or by `fairdesk migrate`; docs/PERFORMANCE.md says how long it takes).
    const bool all = !FD_TRY(AggregatesBuilt(s));
    if (!all && FD_TRY(PersonAggregatesBuilt(s))) return {};
    log::Info("stats_aggregates_rebuilding", {{"tables", all ? "all" : "persons"}});
    const auto started = std::chrono::steady_clock::now();
    FD_TRY_VOID(all ? RebuildAggregates(s) : RebuildPersonAggregates(s));
    log::Info("stats_aggregates_rebuilt",
              {{"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()}});
    return {};
  });
}

Result<Table> Service::Query(const Principal& p, TableRequest r) {
  if (p.role == Role::kAdmin) return Fail(Error::Forbidden("Administrators see no statistics."));
  const MeasureDef* m = nullptr;
  for (const auto& d : kMeasureDefs) {
    if (d.name == r.measure) m = &d;
  }
  std::vector<FieldError> errors;
  if (!m) errors.push_back({"measure", "must be one of consultations, cases_opened, cases_closed, persons, wages_recovered_cents"});
  auto check_dim = [&](const std::string& field, const std::string& dim) {
    if (std::find(std::begin(kDimensions), std::end(kDimensions), dim) == std::end(kDimensions)) {
      errors.push_back({field, "is not a known dimension"});
    } else if (m && !m->consultation_level &&
               std::find(std::begin(kConsultationOnly), std::end(kConsultationOnly), dim) != std::end(kConsultationOnly)) {
      errors.push_back({field, "applies to consultations and persons only"});
    }
  };
  check_dim("rows", r.rows);
  if (r.cols) {
    check_dim("cols", *r.cols);
    if (*r.cols == r.rows) errors.push_back({"cols", "must differ from rows"});
  }
  const YearMonth now = YearMonth::Of(*Date::Parse(clock::TodayIso()));
  if (r.from.year() < 2000) errors.push_back({"from", "must be 2000-01 or later"});
  const int span = (r.to.year() - r.from.year()) * 12 + r.to.month() - r.from.month() + 1;
  if (r.to > now) errors.push_back({"to", "must not be in the future"});
  else if (r.to < r.from) errors.push_back({"to", "must not be before from"});
  else if (span > 120) errors.push_back({"to", "a table covers at most 120 months"});
  if (r.state && std::find(std::begin(kStates), std::end(kStates), *r.state) == std::end(kStates)) {
    errors.push_back({"state", "is not a federal state code such as BE or NW"});
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));

  Table t;
  t.measure = r.measure;
  t.rows = r.rows;
  t.cols = r.cols;
  t.from = MonthText(r.from);
  t.to = MonthText(r.to);

  std::map<std::string, std::string> centre_state;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    for (const auto& row : FD_TRY(s.Query(kCentres, {}))) centre_state[row.Text(0)] = row.Text(1);
    return {};
  }));
  auto centre_in = [&](const std::string& id, const std::optional<std::string>& state) {
    auto it = centre_state.find(id);
    return it != centre_state.end() && (!state || it->second == *state);
  };
  const std::string kNotYours = "is not a centre you can report on";
  // Scope: exact where the caller could open the cases, protected everywhere else.
  switch (p.role) {
    case Role::kAdvisor:
    case Role::kCentreLead: {
      if (!p.centre_id || !centre_state.contains(*p.centre_id)) return Fail(Error::Forbidden("You belong to no centre."));
      if (r.centre && *r.centre != *p.centre_id) return Fail(Error::Invalid("centre", kNotYours));
      if (r.state && *r.state != centre_state[*p.centre_id]) return Fail(Error::Invalid("state", "is outside what you can report on"));
      r.centre = *p.centre_id;
      t.protected_ = false;
      break;
    }
    case Role::kStateCoordinator: {
      if (!p.state) return Fail(Error::Forbidden("You coordinate no state."));
      if (r.state && *r.state != *p.state) return Fail(Error::Invalid("state", "is outside what you can report on"));
      if (r.centre && !centre_in(*r.centre, p.state)) return Fail(Error::Invalid("centre", kNotYours));
      r.state = *p.state;
      t.protected_ = true;
      break;
    }
    case Role::kCompetenceCentre:
      if (r.centre && !centre_in(*r.centre, r.state)) return Fail(Error::Invalid("centre", kNotYours));
      t.protected_ = !(r.centre && p.centre_id && *r.centre == *p.centre_id);
      break;
    case Role::kProgramme:
      if (r.centre && !centre_in(*r.centre, r.state)) return Fail(Error::Invalid("centre", kNotYours));
      t.protected_ = true;
      break;
    case Role::kAdmin:
      return Fail(Error::Forbidden("Administrators see no statistics."));
  }
  if (t.protected_ && r.exact) {
    return Fail(Error::Invalid("exact", "exact figures are shown only for the cases you can open"));
  }
  if (t.protected_ && r.to > LatestProtectedMonth()) {
    return Fail(Error::Invalid("to", "the running month is not shown in protected views; the latest is " +
                                         MonthText(LatestProtectedMonth())));
  }
  t.scope_state = r.state;
  t.scope_centre = r.centre;
  // A table within a closed period is answered from that period's copy of the records.
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    t.frozen = FD_TRY(FindFrozen(s, r.from, r.to, r.centre, r.revision));
    return {};
  }));
  const bool frozen = t.frozen.has_value();

  // SQL from fixed pieces only: the dimension names were checked against the list above.
  // Counts by at most one attribute dimension (besides period, state and centre) come from the
  // monthly pre-aggregates (aggregate.hpp), everything else from the records.
  auto is_attribute = [](std::string_view d) { return !IsPeriod(d) && d != "state" && d != "centre"; };
  std::optional<std::string> agg_dim;
  int attributes = 0;
  for (const std::string* d : {&r.rows, r.cols ? &*r.cols : nullptr}) {
    if (d && is_attribute(*d)) {
      ++attributes;
      agg_dim = *d;
    }
  }
  const bool use_agg = use_aggregates_ && !frozen && m->agg == Agg::kCount && attributes <= 1;
  const bool use_person_agg = use_aggregates_ && !frozen && m->agg == Agg::kDistinctPersons && attributes <= 1;
  const bool use_wage_agg = use_aggregates_ && !frozen && m->agg == Agg::kSum && attributes <= 1;
  const std::string month_column = use_agg || use_wage_agg ? "month" : std::string(m->month_column);
  auto dim_expr = [&](const std::string& d) { return use_agg && is_attribute(d) ? std::string("val") : DimExpr(d, month_column); };
  const std::string rexpr = dim_expr(r.rows);
  const std::string cexpr = r.cols ? dim_expr(*r.cols) : std::string("''");
  std::string where = " WHERE " + month_column + " >= $1 AND " + month_column + " <= $2";
  std::vector<db::Value> params{MonthText(r.from), MonthText(r.to)};
  if (use_agg) {
    params.emplace_back(std::string(m->name));
    params.emplace_back(agg_dim.value_or(""));
    where = " WHERE measure = $3 AND dim = $4 AND month >= $1 AND month <= $2";
  }
  AddScope(r, params, where);
  if (!r.centre && use_aggregates_ && !frozen &&
      (m->agg == Agg::kCount ? !use_agg : m->agg == Agg::kDistinctPersons && !use_person_agg)) {
    // Counts and distinct persons crossing two attributes read the records from the covering
    // index by centre and month (migration 606); a table of a state or nationwide names the
    // centres with records of the measure in its range and scope (from the pre-aggregates'
    // totals, kept with the records), so that it reads their ranges of the index as well.
    std::set<std::string> centres;
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      return AggCategories(s, m->agg == Agg::kCount ? m->name : "consultations", "centre", r, centres);
    }));
    std::string in;
    for (const auto& c : centres) {
      params.emplace_back(c);
      in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
    }
    if (!in.empty()) where += " AND centre_id IN (" + in + ")";
  }
  if (frozen) {
    params.emplace_back(t.frozen->period_id);
    where += " AND period_id = $" + std::to_string(params.size());
    params.emplace_back(std::int64_t{t.frozen->revision});
    where += " AND revision = $" + std::to_string(params.size());
  }
  const std::string table = use_agg ? std::string("stats_agg")
                            : frozen ? std::string(m->table == "stats_cases" ? kFrozenCases : kFrozenConsultations)
                                     : std::string(m->table);
  const std::string count_expr = use_agg ? "SUM(records)" : "COUNT(*)";
  const std::string key_expr = use_agg ? "SUM(key_sum)" : "SUM(rkey)";
  // One query per level: cells (by rows and cols), row margins, column margins, grand total.
  auto sql_for = [&](bool by_r, bool by_c) {
    const std::string re = by_r ? rexpr : "''", ce = by_c ? cexpr : "''";
    std::string group;
    if (by_r) group = " GROUP BY " + rexpr;
    if (by_c && r.cols) group += (group.empty() ? " GROUP BY " : ", ") + cexpr;
    switch (m->agg) {
      case Agg::kCount:
        return "SELECT " + re + ", " + ce + ", " + count_expr + ", " + key_expr + ", 0, 0 FROM " + table + where + group;
      case Agg::kDistinctPersons: {
        const bool gr = by_r, gc = by_c && r.cols;
        std::string outer;
        if (gr || gc) outer = " GROUP BY " + std::string(gr ? "r" : "") + (gr && gc ? ", " : "") + (gc ? "c" : "");
        return "SELECT " + std::string(gr ? "r" : "''") + ", " + (gc ? "c" : "''") +
               ", COUNT(*), SUM(person_rkey), 0, 0 FROM (SELECT DISTINCT " + re + " AS r, " + ce +
               " AS c, person_id, person_rkey FROM " + table + where + ") x" + outer;
      }
      case Agg::kSum:
        return "SELECT " + re + ", " + ce +
               ", COALESCE(SUM(wages_recovered_cents), 0), COUNT(DISTINCT CASE WHEN wages_recovered_cents > 0 THEN "
               "person_id END), SUM(CASE WHEN wages_recovered_cents > 0 THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN wages_recovered_cents > 0 THEN rkey ELSE 0 END) FROM " +
               table + where + group;
    }
    return std::string();
  };
  // Cell key sums: counts use rkey as the key column (4th), sums their own (6th).
  std::map<std::pair<std::string, std::string>, Agg4> cells, rmarg, cmarg;
  Agg4 total;
  std::set<std::string> row_categories, col_categories;  // categories without a cell of their own
  auto read_agg = [&](const db::Row& row) {
    Agg4 a;
    a.value = row.OptInt(2).value_or(0);
    if (m->agg == Agg::kSum) {
      a.base = row.OptInt(3).value_or(0);
      a.contributors = row.OptInt(4).value_or(0);
      a.key_sum = row.OptInt(5).value_or(0);
    } else {
      a.key_sum = row.OptInt(3).value_or(0);
    }
    return a;
  };
  const bool additive = m->agg == Agg::kCount;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    FD_TRY_VOID(PrepareRead(s));
    auto run = [&](bool by_r, bool by_c, auto&& sink) -> Status {
      const std::string sql = sql_for(by_r, by_c);
      const std::string name = "stats.table";
      auto rows = FD_TRY(s.Query(db::Query{name, sql}, std::span<const db::Value>(params)));
      for (const auto& row : rows) sink(row.OptText(0).value_or(""), row.OptText(1).value_or(""), read_agg(row));
      return {};
    };
    if (use_person_agg || use_wage_agg) {
      // From the pre-aggregates (aggregate.hpp). Distinct persons (persons; the base of wages)
      // from stats_person_agg / stats_wage_person_agg: each level (cells, rows, columns, total)
      // sums the persons seen in its months whose previous month in the level's scope (centre,
      // state or anywhere) lies before the first month of the cell. Wages, their cases and cell
      // keys from the closed cases' monthly pre-aggregates (additive), which also name every
      // category with closed cases.
      auto level = [&](bool by_r, bool by_c, auto&& sink) -> Status {
        std::vector<std::string> dims;
        if (by_r) dims.push_back(r.rows);
        if (by_c && r.cols) dims.push_back(*r.cols);
        auto has = [&](std::string_view d) { return std::find(dims.begin(), dims.end(), d) != dims.end(); };
        std::string dim;
        for (const auto& d : dims) {
          if (is_attribute(d)) dim = d;
        }
        const std::string prev = r.centre || has("centre") ? "prev_centre" : r.state || has("state") ? "prev_state" : "prev_all";
        // The first month of a cell is the later of `from` and the start of its periods.
        std::string first_seen = prev + " < $1";
        for (const auto& d : dims) {
          if (d == "month") first_seen += " OR " + prev + " < month";
          if (d == "year") first_seen += " OR " + prev + " < substr(month, 1, 5) || '01'";
          if (d == "quarter") {
            first_seen += " OR " + prev +
                          " < substr(month, 1, 5) || CASE WHEN substr(month, 6, 2) <= '03' THEN '01' WHEN substr(month, 6, "
                          "2) <= '06' THEN '04' WHEN substr(month, 6, 2) <= '09' THEN '07' ELSE '10' END";
          }
        }
        auto expr = [&](const std::string& d) { return is_attribute(d) ? std::string("val") : DimExpr(d, "month"); };
        const std::string re = by_r ? expr(r.rows) : "''", ce = by_c && r.cols ? expr(*r.cols) : "''";
        std::string group;
        if (by_r) group = " GROUP BY " + re;
        if (by_c && r.cols) group += (group.empty() ? " GROUP BY " : ", ") + ce;
        std::vector<db::Value> level_params = params;
        level_params.emplace_back(dim);
        const std::string dim_where = " AND dim = $" + std::to_string(level_params.size());
        auto read = [&](std::string_view name, const std::string& sql, auto&& add) -> Status {
          for (const auto& row : FD_TRY(s.Query(db::Query{name, sql}, std::span<const db::Value>(level_params)))) {
            add(row.OptText(0).value_or(""), r.cols ? row.OptText(1).value_or("") : std::string(), row);
          }
          return {};
        };
        std::map<std::pair<std::string, std::string>, Agg4> out;
        const std::string persons_table = use_wage_agg ? "stats_wage_person_agg" : "stats_person_agg";
        FD_TRY_VOID(read("stats.table_persons",
                         "SELECT " + re + ", " + ce + ", SUM(persons), SUM(key_sum) FROM " + persons_table + where +
                             dim_where + " AND (" + first_seen + ")" + group,
                         [&](const std::string& a, const std::string& b, const db::Row& row) {
                           Agg4& v = out[{a, b}];
                           (use_wage_agg ? v.base : v.value) = row.OptInt(2).value_or(0);
                           if (!use_wage_agg) v.key_sum = row.OptInt(3).value_or(0);
                         }));
        if (use_wage_agg) {
          FD_TRY_VOID(read("stats.table_wages",
                           "SELECT " + re + ", " + ce + ", SUM(wages), SUM(wage_records), SUM(wage_key_sum) FROM stats_agg" +
                               where + dim_where + " AND measure = 'cases_closed'" + group,
                           [&](const std::string& a, const std::string& b, const db::Row& row) {
                             Agg4& v = out[{a, b}];
                             v.value = row.OptInt(2).value_or(0);
                             v.contributors = row.OptInt(3).value_or(0);
                             v.key_sum = row.OptInt(4).value_or(0);
                           }));
        }
        for (const auto& [k, v] : out) sink(k.first, k.second, v);
        return {};
      };
      FD_TRY_VOID(level(true, true, [&](const std::string& a, const std::string& b, Agg4 v) { cells[{a, b}] = v; }));
      if (r.cols) {
        FD_TRY_VOID(level(true, false, [&](const std::string& a, const std::string&, Agg4 v) { rmarg[{a, ""}] = v; }));
        FD_TRY_VOID(level(false, true, [&](const std::string&, const std::string& b, Agg4 v) { cmarg[{"", b}] = v; }));
      } else {
        for (const auto& [k, v] : cells) rmarg[{k.first, ""}] = v;
      }
      return level(false, false, [&](const std::string&, const std::string&, Agg4 v) { total = v; });
    }
    if (!additive && single_scan_) {
      // Distinct persons and wages (whose base is distinct persons) in one scan: the records
      // grouped by cell and person, the cells and every margin summed here (a person counts once
      // per cell, once per row, once per column and once in the total: per person the margins it
      // was counted in, in a hash map; no ORDER BY, whose sort cost more than the grouping).
      // Wages read only the cases that recovered any (partial index); the others add nothing but
      // their category, which the pre-aggregates of closed cases name (AggCategories).
      const bool wages_only = m->agg == Agg::kSum && use_aggregates_ && !frozen;
      const std::string group = rexpr + ", " + (r.cols ? cexpr + ", " : std::string()) + "person_id";
      const std::string sql =
          m->agg == Agg::kDistinctPersons
              ? "SELECT " + rexpr + ", " + cexpr + ", person_id, MAX(person_rkey), 0, 0 FROM " + table + where +
                    " GROUP BY " + group
              : "SELECT " + rexpr + ", " + cexpr + ", person_id, COALESCE(SUM(wages_recovered_cents), 0), "
                "SUM(CASE WHEN wages_recovered_cents > 0 THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN wages_recovered_cents > 0 THEN rkey ELSE 0 END) FROM " +
                    table + where + (wages_only ? " AND wages_recovered_cents > 0" : "") + " GROUP BY " + group;
      auto rows = FD_TRY(s.Query(db::Query{"stats.table_by_person", sql}, std::span<const db::Value>(params)));
      struct Counted {
        std::vector<std::string> rows, cols;  // the margins the person was counted in
        bool total = false;
      };
      std::unordered_map<std::string, Counted> counted_in;
      counted_in.reserve(rows.size());
      auto first = [](std::vector<std::string>& seen, const std::string& k) {
        if (std::find(seen.begin(), seen.end(), k) != seen.end()) return false;
        seen.push_back(k);
        return true;
      };
      for (const auto& row : rows) {
        const std::string a = row.OptText(0).value_or(""), b = r.cols ? row.OptText(1).value_or("") : std::string();
        Counted& person = counted_in[row.Text(2)];
        Agg4& cell = cells[{a, b}];
        Agg4& rm = rmarg[{a, ""}];
        Agg4& cm = cmarg[{"", b}];
        if (m->agg == Agg::kDistinctPersons) {
          const std::int64_t key = row.OptInt(3).value_or(0);
          cell.value += 1;
          cell.key_sum += key;
          const bool total_fresh = !person.total;
          person.total = true;
          for (auto [agg, fresh] : {std::pair{&rm, first(person.rows, a)}, std::pair{&cm, first(person.cols, b)},
                                    std::pair{&total, total_fresh}}) {
            if (!fresh) continue;
            agg->value += 1;
            agg->key_sum += key;
          }
        } else {
          const std::int64_t sum = row.OptInt(3).value_or(0), contributors = row.OptInt(4).value_or(0),
                             key = row.OptInt(5).value_or(0);
          const bool counted = contributors > 0;
          cell.value += sum;
          cell.contributors += contributors;
          cell.key_sum += key;
          if (counted) cell.base += 1;
          for (Agg4* agg : {&rm, &cm, &total}) {
            agg->value += sum;
            agg->contributors += contributors;
            agg->key_sum += key;
          }
          if (counted) {
            if (first(person.rows, a)) rm.base += 1;
            if (first(person.cols, b)) cm.base += 1;
            if (!person.total) total.base += 1;
            person.total = true;
          }
        }
      }
      if (!r.cols) cmarg.clear();
      if (wages_only) {
        for (const std::string* d : {&r.rows, r.cols ? &*r.cols : nullptr}) {
          if (d && !IsPeriod(*d)) {
            FD_TRY_VOID(AggCategories(s, "cases_closed", *d, r, d == &r.rows ? row_categories : col_categories));
          }
        }
      }
      return {};
    }
    FD_TRY_VOID(run(true, true, [&](const std::string& a, const std::string& b, Agg4 v) { cells[{a, b}] = v; }));
    if (!additive) {
      // Without columns the row margins are the cells themselves.
      if (r.cols) FD_TRY_VOID(run(true, false, [&](const std::string& a, const std::string&, Agg4 v) { rmarg[{a, ""}] = v; }));
      else for (const auto& [k, v] : cells) rmarg[{k.first, ""}] = v;
      if (r.cols) FD_TRY_VOID(run(false, true, [&](const std::string&, const std::string& b, Agg4 v) { cmarg[{"", b}] = v; }));
      FD_TRY_VOID(run(false, false, [&](const std::string&, const std::string&, Agg4 v) { total = v; }));
    }
    return {};
  }));

  // Row and column keys: every period of the range, the categories that occur otherwise.
  auto keys_of = [&](const std::string& dim, bool first) {
    if (IsPeriod(dim)) return PeriodKeys(dim, r.from, r.to);
    std::set<std::string> set;
    for (const auto& [k, v] : cells) set.insert(first ? k.first : k.second);
    set.insert((first ? row_categories : col_categories).begin(), (first ? row_categories : col_categories).end());
    return std::vector<std::string>(set.begin(), set.end());
  };
  t.row_keys = keys_of(r.rows, true);
  if (r.cols) t.col_keys = keys_of(*r.cols, false);
  const int R = static_cast<int>(t.row_keys.size());
  const int C = r.cols ? static_cast<int>(t.col_keys.size()) : 1;
  Grid g(R, C);
  auto put = [](Grid::Element& e, const Agg4& a) {
    e.value = a.value;
    e.base = a.base;
    e.contributors = a.contributors;
    e.key = a.key_sum & 0x7fffffff;
  };
  for (int i = 0; i < R; ++i) {
    for (int j = 0; j < C; ++j) {
      auto it = cells.find({t.row_keys[i], r.cols ? t.col_keys[j] : ""});
      if (it != cells.end()) put(g.at(i, j), it->second);
    }
  }
  if (additive) {
    // Margins of counts are sums of the cells; so are their cell keys (sums of record keys).
    Agg4 grand;
    for (int i = 0; i < R; ++i) {
      Agg4 row;
      for (int j = 0; j < C; ++j) {
        row.value += g.at(i, j).value;
        row.key_sum += g.at(i, j).key;
      }
      put(g.at(i, C), row);
      grand.value += row.value;
      grand.key_sum += row.key_sum;
    }
    for (int j = 0; j < C; ++j) {
      Agg4 col;
      for (int i = 0; i < R; ++i) {
        col.value += g.at(i, j).value;
        col.key_sum += g.at(i, j).key;
      }
      put(g.at(R, j), col);
    }
    put(g.at(R, C), grand);
  } else {
    for (int i = 0; i < R; ++i) {
      if (auto it = rmarg.find({t.row_keys[i], ""}); it != rmarg.end()) put(g.at(i, C), it->second);
    }
    for (int j = 0; j < C; ++j) {
      if (!r.cols) {
        put(g.at(R, j), total);
      } else if (auto it = cmarg.find({"", t.col_keys[j]}); it != cmarg.end()) {
        put(g.at(R, j), it->second);
      }
    }
    put(g.at(R, C), total);
  }

  const Kind kind = m->agg == Agg::kSum ? Kind::kSum : Kind::kCount;
  if (t.protected_ && kind == Kind::kSum) {
    // The largest single case of every published sum, for its perturbation (protect.hpp): read
    // from the cases that recovered wages (partial index; the frozen copy of a closed period), the
    // same whether the sums came from the pre-aggregates or the records. A margin's largest case
    // is the largest of its cells'.
    const std::string cases = frozen ? std::string(kFrozenCases) : std::string("stats_cases");
    const std::string mc(m->month_column);
    std::vector<db::Value> lp{MonthText(r.from), MonthText(r.to)};
    std::string lw = " WHERE " + mc + " >= $1 AND " + mc + " <= $2 AND wages_recovered_cents > 0";
    AddScope(r, lp, lw);
    if (frozen) {
      lp.emplace_back(t.frozen->period_id);
      lw += " AND period_id = $" + std::to_string(lp.size());
      lp.emplace_back(std::int64_t{t.frozen->revision});
      lw += " AND revision = $" + std::to_string(lp.size());
    }
    const std::string re = DimExpr(r.rows, mc), ce = r.cols ? DimExpr(*r.cols, mc) : std::string("''");
    const std::string sql = "SELECT " + re + ", " + ce + ", MAX(wages_recovered_cents) FROM " + cases + lw + " GROUP BY " + re +
                            (r.cols ? ", " + ce : std::string());
    std::map<std::pair<std::string, std::string>, std::int64_t> largest;
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      for (const auto& row : FD_TRY(s.Query(db::Query{"stats.table_largest", sql}, std::span<const db::Value>(lp)))) {
        largest[{row.OptText(0).value_or(""), r.cols ? row.OptText(1).value_or("") : std::string()}] = row.OptInt(2).value_or(0);
      }
      return {};
    }));
    for (int i = 0; i < R; ++i) {
      for (int j = 0; j < C; ++j) {
        auto it = largest.find({t.row_keys[i], r.cols ? t.col_keys[j] : ""});
        const std::int64_t v = it == largest.end() ? 0 : it->second;
        g.at(i, j).largest = v;
        g.at(i, C).largest = std::max(g.at(i, C).largest, v);
        g.at(R, j).largest = std::max(g.at(R, j).largest, v);
        g.at(R, C).largest = std::max(g.at(R, C).largest, v);
      }
    }
  }
  if (t.protected_) Suppress(g, kind);
  auto figure = [&](const Grid::Element& e) {
    Figure f;
    if (!t.protected_) {
      f.value = e.value;
    } else if (e.state != Grid::Element::kPublished) {
      f.suppressed = true;
    } else {
      f.value = Perturb(e.value, e.key, kind, secret_, m->name, e.largest);
    }
    return f;
  };
  for (int i = 0; i < R; ++i) {
    for (int j = 0; j < C; ++j) t.cells.push_back(figure(g.at(i, j)));
    t.row_totals.push_back(figure(g.at(i, C)));
  }
  if (r.cols) {
    for (int j = 0; j < C; ++j) t.col_totals.push_back(figure(g.at(R, j)));
  }
  t.total = figure(g.at(R, C));
  return t;
}

}  // namespace fairdesk::stats
