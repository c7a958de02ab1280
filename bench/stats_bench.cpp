// Statistics at scale: each dashboard query through stats::Service (scoping, protection,
// perturbation) against the same figures from hand-written SQL, in the same run on the same
// database; then the case list's latency while dashboards are loaded on other threads.
//
//   stats_bench DB_URL [repetitions]      (load data first: fairdesk demo-data --cases 1000000;
//                                          after an upgrade, fairdesk migrate)

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "platform/db/database.hpp"
#include "platform/core/clock.hpp"
#include "stats/export.hpp"
#include "stats/service.hpp"

using namespace fairdesk;
using Clock = std::chrono::steady_clock;

namespace {

struct Stat {
  double p50, p95;
};
Stat Percentiles(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<std::size_t>(q * (v.size() - 1) + 0.5))]; };
  return {at(0.5), at(0.95)};
}

Principal As(Role role, std::optional<std::string> centre, std::optional<std::string> state) {
  Principal p;
  p.user_id = "bench";
  p.role = role;
  p.centre_id = std::move(centre);
  p.state = std::move(state);
  return p;
}

std::string Month(YearMonth m) { return m.FirstDay().ToString().substr(0, 7); }

struct Case {
  std::string name;
  Principal who;
  stats::TableRequest req;
  std::string hand_sql;  // the same figures, written by hand ($1 from, $2 to); protected views also need
                         // the cell keys (sums of record keys), exact ones do not
  std::string hand_agg_sql = {};  // the same over the monthly pre-aggregates, where fairdesk reads them
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: stats_bench DB_URL [repetitions]\n");
    return 2;
  }
  const int reps = argc > 2 ? std::atoi(argv[2]) : 20;
  // The database as `fairdesk demo-data` (or `fairdesk migrate`) left it: the bench links the
  // statistics module only and applies no migrations.
  auto db = db::Open(argv[1], 8);
  if (!db) {
    std::fprintf(stderr, "open: %s\n", db.error().internal.c_str());
    return 1;
  }
  stats::Service service(**db);
  if (!service.Init()) return 1;
  const YearMonth to = stats::Service::LatestProtectedMonth();
  const YearMonth from = YearMonth::Of(to.FirstDay().AddMonths(-11));
  auto req = [&](std::string measure, std::string rows, std::optional<std::string> cols = std::nullopt) {
    stats::TableRequest r;
    r.measure = std::move(measure);
    r.rows = std::move(rows);
    r.cols = std::move(cols);
    r.from = from;
    r.to = to;
    return r;
  };
  const auto lead = As(Role::kCentreLead, "centre-by-1", "BY");
  const auto coordinator = As(Role::kStateCoordinator, std::nullopt, "NW");
  const auto programme = As(Role::kProgramme, std::nullopt, std::nullopt);
  // Hand-written distinct persons and wages of a table with its margins (cells, rows, columns,
  // total), as a DBA would write them: one CTE over the records `from` selects, four levels.
  auto four_levels = [](const std::string& cte, const std::function<std::string(std::string, std::string)>& level) {
    std::string sql = "WITH w AS (" + cte + ") ";
    const std::pair<const char*, const char*> levels[] = {{"r", "c"}, {"r", "''"}, {"''", "c"}, {"''", "''"}};
    for (std::size_t i = 0; i < 4; ++i) sql += (i ? " UNION ALL " : "") + level(levels[i].first, levels[i].second);
    return sql;
  };
  auto persons_hand = [&](const std::string& r, const std::string& c, const std::string& from) {
    return four_levels("SELECT " + r + " AS r, " + c + " AS c, person_id, person_rkey FROM " + from, [](std::string a, std::string b) {
      return "SELECT a, b, COUNT(*), SUM(k) FROM (SELECT " + a + " AS a, " + b +
             " AS b, person_id, MAX(person_rkey) AS k FROM w GROUP BY 1, 2, person_id) x GROUP BY a, b";
    });
  };
  auto wages_hand = [&](const std::string& r, const std::string& c, const std::string& from) {
    return four_levels("SELECT " + r + " AS r, " + c + " AS c, person_id, wages_recovered_cents AS v, rkey FROM " + from +
                           " AND wages_recovered_cents > 0",
                       [](std::string a, std::string b) {
                         return "SELECT " + a + ", " + b + ", SUM(v), COUNT(*), COUNT(DISTINCT person_id), SUM(rkey) FROM w GROUP BY 1, 2";
                       });
  };
  const std::string quarter = "substr(month, 1, 4) || '-Q' || CAST((CAST(substr(month, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)";
  // The same over the distinct-person pre-aggregates (stats_person_agg): a person counts in the
  // cell of the first month it was seen in there, i.e. where its previous month (in the scope's
  // prev column) lies before the cell's first month (the later of $1 and the period's start).
  auto persons_agg_hand = [](const std::string& period, const std::string& period_start, const std::string& col,
                             const std::string& scope, const std::string& prev) {
    const std::string from = " FROM stats_person_agg WHERE month >= $1 AND month <= $2" + scope + " AND dim = ";
    const std::string cells_where = " AND (" + prev + " < $1 OR " + prev + " < " + period_start + ")";
    std::string sql = "SELECT " + period + ", " + (col.empty() ? "''" : "val") + ", SUM(persons), SUM(key_sum)" + from + "'" +
                      col + "'" + cells_where + " GROUP BY " + period + (col.empty() ? "" : ", val");
    if (!col.empty()) {
      sql += " UNION ALL SELECT " + period + ", '', SUM(persons), SUM(key_sum)" + from + "''" + cells_where + " GROUP BY " + period;
      sql += " UNION ALL SELECT '', val, SUM(persons), SUM(key_sum)" + from + "'" + col + "' AND " + prev + " < $1 GROUP BY val";
    }
    return sql + " UNION ALL SELECT '', '', SUM(persons), SUM(key_sum)" + from + "'' AND " + prev + " < $1";
  };
  const std::string quarter_start =
      "substr(month, 1, 5) || CASE WHEN substr(month, 6, 2) <= '03' THEN '01' WHEN substr(month, 6, 2) <= '06' THEN '04' "
      "WHEN substr(month, 6, 2) <= '09' THEN '07' ELSE '10' END";
  std::vector<Case> cases = {
      {"lead: consultations by month", lead, req("consultations", "month"),
       "SELECT month, COUNT(*) FROM stats_consultations WHERE month >= $1 AND month <= $2 AND centre_id = "
       "'centre-by-1' GROUP BY month",
       "SELECT month, SUM(records) FROM stats_agg WHERE measure = 'consultations' AND dim = '' AND month >= $1 AND "
       "month <= $2 AND centre_id = 'centre-by-1' GROUP BY month"},
      {"lead: cases opened by topic x gender", lead, req("cases_opened", "topic", "gender"),
       "SELECT topic, gender, COUNT(*) FROM stats_cases WHERE opened_month >= $1 AND opened_month <= $2 AND "
       "centre_id = 'centre-by-1' GROUP BY topic, gender"},
      {"coordinator: consultations by month x channel", coordinator, req("consultations", "month", "channel"),
       "SELECT month, channel, COUNT(*), SUM(rkey) FROM stats_consultations WHERE month >= $1 AND month <= $2 AND state = 'NW' "
       "GROUP BY month, channel",
       "SELECT month, val, SUM(records), SUM(key_sum) FROM stats_agg WHERE measure = 'consultations' AND dim = "
       "'channel' AND month >= $1 AND month <= $2 AND state = 'NW' GROUP BY month, val"},
      {"programme: cases opened by state x nationality", programme, req("cases_opened", "state", "nationality"),
       "SELECT state, nationality, COUNT(*), SUM(rkey) FROM stats_cases WHERE opened_month >= $1 AND opened_month <= $2 GROUP "
       "BY state, nationality",
       "SELECT state, val, SUM(records), SUM(key_sum) FROM stats_agg WHERE measure = 'cases_opened' AND dim = "
       "'nationality' AND month >= $1 AND month <= $2 GROUP BY state, val"},
      {"programme: consultations by state", programme, req("consultations", "state"),
       "SELECT state, COUNT(*), SUM(rkey) FROM stats_consultations WHERE month >= $1 AND month <= $2 GROUP BY state",
       "SELECT state, SUM(records), SUM(key_sum) FROM stats_agg WHERE measure = 'consultations' AND dim = '' AND "
       "month >= $1 AND month <= $2 GROUP BY state"},
      {"programme: persons by year", programme, req("persons", "year"),
       "SELECT y, COUNT(*), SUM(person_rkey) FROM (SELECT DISTINCT substr(month, 1, 4) AS y, person_id, "
       "person_rkey FROM stats_consultations WHERE month >= $1 AND month <= $2) x GROUP BY y UNION ALL SELECT 'total', "
       "COUNT(*), SUM(person_rkey) FROM (SELECT DISTINCT person_id, person_rkey FROM stats_consultations WHERE month >= $1 "
       "AND month <= $2) t",
       persons_agg_hand("substr(month, 1, 4)", "substr(month, 1, 5) || '01'", "", "", "prev_all")},
      {"programme: wages recovered by sector group", programme, req("wages_recovered_cents", "sector_group"),
       "SELECT sector_group, SUM(wages_recovered_cents), COUNT(*), COUNT(DISTINCT person_id), SUM(rkey) FROM stats_cases "
       "WHERE closed_month >= $1 AND closed_month <= $2 AND wages_recovered_cents > 0 GROUP BY sector_group UNION ALL "
       "SELECT 'total', SUM(wages_recovered_cents), COUNT(*), COUNT(DISTINCT person_id), SUM(rkey) FROM stats_cases "
       "WHERE closed_month >= $1 AND closed_month <= $2 AND wages_recovered_cents > 0"},
      {"coordinator: persons by quarter x gender", coordinator, req("persons", "quarter", "gender"),
       persons_hand(quarter, "gender", "stats_consultations WHERE month >= $1 AND month <= $2 AND state = 'NW'"),
       persons_agg_hand(quarter, quarter_start, "gender", " AND state = 'NW'", "prev_state")},
      {"lead: persons by month x channel", lead, req("persons", "month", "channel"),
       persons_hand("month", "channel", "stats_consultations WHERE month >= $1 AND month <= $2 AND centre_id = 'centre-by-1'"),
       persons_agg_hand("month", "month", "channel", " AND centre_id = 'centre-by-1'", "prev_centre")},
      {"programme: wages recovered by state x topic", programme, req("wages_recovered_cents", "state", "topic"),
       wages_hand("state", "topic", "stats_cases WHERE closed_month >= $1 AND closed_month <= $2")},
      // Counts crossing two attributes (no pre-aggregate; the records by the covering index of
      // centre and month, migration 606): a state's consultations and nationwide cases.
      {"coordinator: consultations by topic x channel", coordinator, req("consultations", "topic", "channel"),
       "SELECT topic, channel, COUNT(*), SUM(rkey) FROM stats_consultations WHERE month >= $1 AND month <= $2 AND state = "
       "'NW' GROUP BY topic, channel"},
      {"programme: cases opened by topic x gender", programme, req("cases_opened", "topic", "gender"),
       "SELECT topic, gender, COUNT(*), SUM(rkey) FROM stats_cases WHERE opened_month >= $1 AND opened_month <= $2 GROUP BY "
       "topic, gender"},
  };
  // fairdesk as it answers (pre-aggregates where they serve), fairdesk reading the records only
  // (the baseline), hand-written SQL over the records, and over the pre-aggregates.
  std::printf(
      "| query | fairdesk p50 ms | p95 ms | records only / per margin p95 ms | hand SQL records p50 ms | p95 ms | hand SQL "
      "pre-aggregates p95 ms | ratio p95 (vs best hand SQL) |\n|---|---|---|---|---|---|---|---|\n");
  auto hand_run = [&](const std::string& sql, bool months = true) -> double {
    auto t0 = Clock::now();
    auto st = (*db)->Read([&](db::Session& s) -> Status {
      FD_TRY_VOID(stats::Service::PrepareRead(s));  // the same memory for sorts as fairdesk's reads
      if (months) FD_TRY_VOID(s.Query(db::Query{"bench.hand", sql}, {Month(from), Month(to)}));
      else FD_TRY_VOID(s.Query(db::Query{"bench.hand", sql}, {}));
      return {};
    });
    if (!st) {
      std::fprintf(stderr, "hand SQL: %s\n", st.error().internal.c_str());
      std::exit(1);
    }
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  };
  auto ours_run = [&](const Case& c) -> double {
    auto t0 = Clock::now();
    auto t = service.Query(c.who, c.req);
    if (!t) {
      std::fprintf(stderr, "%s: %s %s\n", c.name.c_str(), t.error().detail.c_str(), t.error().internal.c_str());
      std::exit(1);
    }
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  };
  for (const auto& c : cases) {
    std::vector<double> ours, raw, hand, hand_agg;
    for (int i = 0; i < reps; ++i) {
      service.UseAggregates(true);
      ours.push_back(ours_run(c));
      hand.push_back(hand_run(c.hand_sql));
      if (!c.hand_agg_sql.empty()) hand_agg.push_back(hand_run(c.hand_agg_sql));
      // The records-only baseline (slow at 1M: fewer repetitions); the same path where no
      // pre-aggregate serves the table. Persons and wages: one query per margin level (the path
      // before the single scan).
      if (i < std::max(3, reps / 4)) {
        if (!c.hand_agg_sql.empty()) {
          service.UseAggregates(false);
          raw.push_back(ours_run(c));
        } else if (c.req.measure == "persons" || c.req.measure == "wages_recovered_cents") {
          service.UseSingleScan(false);
          raw.push_back(ours_run(c));
          service.UseSingleScan(true);
        }
      }
    }
    service.UseAggregates(true);
    if (raw.empty()) raw = ours;
    auto a = Percentiles(ours), r = Percentiles(raw), b = Percentiles(hand);
    const double best = hand_agg.empty() ? b.p95 : std::min(b.p95, Percentiles(hand_agg).p95);
    const std::string agg_text = hand_agg.empty() ? "-" : std::to_string(Percentiles(hand_agg).p95).substr(0, 6);
    std::printf("| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %.2f |\n", c.name.c_str(), a.p50, a.p95, r.p95, b.p50,
                b.p95, agg_text.c_str(), a.p95 / best);
    std::fflush(stdout);
  }

  // The annual report of the last complete year: the whole PDF through the service (every table
  // of it, protection, drawing), against the hand-written SQL of the same figures in the same run.
  {
    const int year = to.year() - 1;
    const std::string y0 = std::to_string(year), y1 = std::to_string(year - 1);
    const std::vector<std::pair<std::string, Principal>> who = {{"programme (nationwide)", programme},
                                                                {"coordinator (NW)", coordinator},
                                                                {"lead (centre-by-1)", lead}};
    std::printf("\n| annual report %d | fairdesk PDF p50 ms | p95 ms | hand SQL p50 ms | p95 ms | ratio p95 |\n|---|---|---|---|---|---|\n", year);
    for (const auto& [name, p] : who) {
      std::string scope = p.centre_id ? " AND centre_id = '" + *p.centre_id + "'" : p.state ? " AND state = '" + *p.state + "'" : "";
      auto range = [&](const std::string& col, const std::string& y) {
        return " WHERE " + col + " >= '" + y + "-01' AND " + col + " <= '" + y + "-12'" + scope;
      };
      std::vector<std::string> sqls;
      for (const auto& y : {y0, y1}) {
        sqls.push_back("SELECT COUNT(*), SUM(rkey) FROM stats_consultations" + range("month", y));
        sqls.push_back("SELECT COUNT(*), SUM(person_rkey) FROM (SELECT DISTINCT person_id, person_rkey FROM stats_consultations" +
                       range("month", y) + ") x");
        sqls.push_back("SELECT COUNT(*), SUM(rkey) FROM stats_cases" + range("opened_month", y));
        sqls.push_back("SELECT COUNT(*), SUM(rkey), SUM(wages_recovered_cents), COUNT(DISTINCT CASE WHEN wages_recovered_cents > 0 "
                       "THEN person_id END) FROM stats_cases" + range("closed_month", y));
        sqls.push_back("SELECT month, COUNT(*), SUM(rkey) FROM stats_consultations" + range("month", y) + " GROUP BY month");
      }
      const std::string third = p.centre_id ? "channel" : p.state ? "centre_id" : "state";
      sqls.push_back("SELECT topic, COUNT(*), SUM(rkey) FROM stats_consultations" + range("month", y0) + " GROUP BY topic");
      sqls.push_back("SELECT " + third + ", COUNT(*), SUM(rkey) FROM stats_consultations" + range("month", y0) + " GROUP BY " + third);
      sqls.push_back("SELECT outcome, COUNT(*), SUM(rkey) FROM stats_cases" + range("closed_month", y0) + " GROUP BY outcome");
      std::vector<double> ours, hand;
      for (int i = 0; i < std::max(3, reps / 2); ++i) {
        auto t0 = Clock::now();
        auto pdf = stats::AnnualReportPdf(service, p, {.year = year, .lang = "de"});
        if (!pdf) {
          std::fprintf(stderr, "report: %s %s\n", pdf.error().detail.c_str(), pdf.error().internal.c_str());
          return 1;
        }
        ours.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        double h = 0;
        for (const auto& sql : sqls) h += hand_run(sql, false);
        hand.push_back(h);
      }
      auto a = Percentiles(ours), b = Percentiles(hand);
      std::printf("| %s | %.1f | %.1f | %.1f | %.1f | %.2f |\n", name.c_str(), a.p50, a.p95, b.p50, b.p95, a.p95 / b.p95);
      std::fflush(stdout);
    }
  }

  // Case list (the first page of a centre, newest first) alone, then while two threads load dashboards.
  auto case_list = [&] {
    auto t0 = Clock::now();
    auto st = (*db)->Read([&](db::Session& s) -> Status {
      FD_TRY_VOID(s.Query(db::Query{"bench.case_list",
                                    "SELECT id, number, status, opened_on FROM cases WHERE centre_id = 'centre-by-1' "
                                    "ORDER BY created_at DESC, id DESC LIMIT 50"},
                          {}));
      return {};
    });
    (void)st;
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  };
  std::vector<double> alone, loaded;
  for (int i = 0; i < reps * 5; ++i) alone.push_back(case_list());
  std::atomic<bool> stop{false};
  std::vector<std::thread> load;
  for (int k = 0; k < 2; ++k) {
    load.emplace_back([&, k] {
      while (!stop) (void)service.Query(cases[(k * 3) % cases.size()].who, cases[(k * 3) % cases.size()].req);
    });
  }
  for (int i = 0; i < reps * 5; ++i) loaded.push_back(case_list());
  stop = true;
  for (auto& t : load) t.join();
  auto a = Percentiles(alone), b = Percentiles(loaded);
  std::printf("\ncase list alone: p50 %.1f ms, p95 %.1f ms; while 2 dashboards load: p50 %.1f ms, p95 %.1f ms\n", a.p50,
              a.p95, b.p50, b.p95);
  return 0;
}
