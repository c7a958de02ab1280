// Generated data on both backends: the statistics tables against independent SQL over the case
// tables, role scopes, protection of the figures, and bad input.

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "app/app.hpp"
#include "db/backends.hpp"
#include "platform/core/clock.hpp"
#include "stats/aggregate.hpp"
#include "stats/stats.hpp"

namespace fairdesk::stats {
namespace {
using dbtest::Must;

class StatsTest : public dbtest::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    database_ = Must(app::OpenMigrated(scratch().url()));
    report_ = Must(Generate(*database_, {.cases = 800, .seed = 11, .years = 2, .cases_per_transaction = 300}));
    service_ = std::make_unique<Service>(*database_);
    Must(service_->Init());
  }
  void TearDown() override {
    service_.reset();
    database_.reset();
    BackendTest::TearDown();
  }
  std::map<std::string, std::int64_t> Independent(const std::string& sql, const std::vector<db::Value>& params) {
    std::map<std::string, std::int64_t> out;
    Must(database_->Read([&](db::Session& s) -> Status {
      for (const auto& row : FD_TRY(s.Query(db::Query{"test.independent", sql}, std::span<const db::Value>(params)))) {
        out[row.Text(0)] = row.Int(1);
      }
      return {};
    }));
    return out;
  }
  static Principal As(Role role, std::optional<std::string> centre, std::optional<std::string> state) {
    Principal p;
    p.user_id = "u";
    p.role = role;
    p.centre_id = std::move(centre);
    p.state = std::move(state);
    return p;
  }
  TableRequest Req(std::string measure, std::string rows, std::optional<std::string> cols = std::nullopt) {
    TableRequest r;
    r.measure = std::move(measure);
    r.rows = std::move(rows);
    r.cols = std::move(cols);
    r.to = Service::LatestProtectedMonth();
    r.from = YearMonth::Of(r.to.FirstDay().AddMonths(-17));
    return r;
  }
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<Service> service_;
  GenerateReport report_;
};

TEST_P(StatsTest, GeneratorLoadsCasesConsultationsAndTheirRecords) {
  EXPECT_EQ(report_.cases, 800);
  EXPECT_GT(report_.consultations, 800 * 3);
  auto counts = Independent(
      "SELECT 'cases', COUNT(*) FROM cases UNION ALL SELECT 'stats_cases', COUNT(*) FROM stats_cases UNION ALL "
      "SELECT 'consultations', COUNT(*) FROM consultations UNION ALL SELECT 'stats_consultations', COUNT(*) FROM "
      "stats_consultations",
      {});
  EXPECT_EQ(counts["cases"], 800);
  EXPECT_EQ(counts["stats_cases"], 800);
  EXPECT_EQ(counts["consultations"], report_.consultations);
  EXPECT_EQ(counts["stats_consultations"], report_.consultations);
}

TEST_P(StatsTest, ExactFiguresOfTheOwnCentreEqualIndependentSql) {
  auto lead = As(Role::kCentreLead, "centre-by-1", "BY");
  auto req = Req("consultations", "month");
  auto t = Must(service_->Query(lead, req));
  EXPECT_FALSE(t.protected_);
  auto expected = Independent(
      "SELECT substr(co.date, 1, 7), COUNT(*) FROM consultations co JOIN cases c ON c.id = co.case_id WHERE "
      "c.centre_id = 'centre-by-1' AND substr(co.date, 1, 7) >= $1 AND substr(co.date, 1, 7) <= $2 GROUP BY 1",
      {t.from, t.to});
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < t.row_keys.size(); ++i) {
    EXPECT_EQ(t.cells[i].value.value_or(-1), expected[t.row_keys[i]]) << t.row_keys[i];
    sum += expected[t.row_keys[i]];
  }
  EXPECT_EQ(t.total.value.value_or(-1), sum);

  // Persons: distinct clients with a consultation in the period.
  auto persons = Must(service_->Query(lead, Req("persons", "year")));
  auto distinct = Independent(
      "SELECT 'n', COUNT(DISTINCT c.client_id) FROM consultations co JOIN cases c ON c.id = co.case_id WHERE "
      "c.centre_id = 'centre-by-1' AND substr(co.date, 1, 7) >= $1 AND substr(co.date, 1, 7) <= $2",
      {persons.from, persons.to});
  EXPECT_EQ(persons.total.value.value_or(-1), distinct["n"]);

  // Cases opened by topic and gender, and wages recovered.
  auto opened = Must(service_->Query(lead, Req("cases_opened", "topic", "gender")));
  std::map<std::string, std::int64_t> by_topic;
  if (!IsPostgres()) {
    by_topic = Independent(
        "SELECT json_extract(c.topics, '$[0]'), COUNT(*) FROM cases c WHERE c.centre_id = 'centre-by-1' AND "
        "substr(c.opened_on, 1, 7) >= $1 AND substr(c.opened_on, 1, 7) <= $2 GROUP BY 1",
        {opened.from, opened.to});
  } else {
    by_topic = Independent(
        "SELECT c.topics::jsonb->>0, COUNT(*) FROM cases c WHERE c.centre_id = 'centre-by-1' AND "
        "substr(c.opened_on, 1, 7) >= $1 AND substr(c.opened_on, 1, 7) <= $2 GROUP BY 1",
        {opened.from, opened.to});
  }
  ASSERT_EQ(opened.row_keys.size(), opened.row_totals.size());
  for (std::size_t i = 0; i < opened.row_keys.size(); ++i) {
    EXPECT_EQ(opened.row_totals[i].value.value_or(-1), by_topic[opened.row_keys[i]]) << opened.row_keys[i];
  }
  auto wages = Must(service_->Query(lead, Req("wages_recovered_cents", "year")));
  auto wage_sum = Independent(
      "SELECT 'n', COALESCE(SUM(outcome_wages_recovered_cents), 0) FROM cases WHERE centre_id = 'centre-by-1' AND "
      "status = 'closed' AND substr(closed_on, 1, 7) >= $1 AND substr(closed_on, 1, 7) <= $2",
      {wages.from, wages.to});
  EXPECT_EQ(wages.total.value.value_or(-1), wage_sum["n"]);
}

TEST_P(StatsTest, ProtectedViewsSuppressSmallCellsAndPerturbTheRestSlightly) {
  auto programme = As(Role::kProgramme, std::nullopt, std::nullopt);
  auto req = Req("cases_opened", "state", "nationality");
  auto t = Must(service_->Query(programme, req));
  EXPECT_TRUE(t.protected_);
  auto lead_view = As(Role::kAdmin, std::nullopt, std::nullopt);
  (void)lead_view;
  auto truth = Independent(
      "SELECT state || '/' || nationality, COUNT(*) FROM stats_cases WHERE opened_month >= $1 AND opened_month <= $2 "
      "GROUP BY state, nationality",
      {t.from, t.to});
  int suppressed = 0, published = 0;
  for (std::size_t i = 0; i < t.row_keys.size(); ++i) {
    for (std::size_t j = 0; j < t.col_keys.size(); ++j) {
      const auto& f = t.cells[i * t.col_keys.size() + j];
      const auto v = truth[t.row_keys[i] + "/" + t.col_keys[j]];
      if (v >= 1 && v <= 4) EXPECT_TRUE(f.suppressed) << t.row_keys[i] << "/" << t.col_keys[j];
      if (v == 0) EXPECT_EQ(f.value.value_or(-1), 0);
      if (f.suppressed) {
        ++suppressed;
        EXPECT_FALSE(f.value.has_value());
      } else {
        ++published;
        EXPECT_LE(std::abs(*f.value - v), 2);
        if (v > 0) {
          EXPECT_GE(*f.value, 5);
        }
      }
    }
  }
  EXPECT_GT(suppressed, 0);
  EXPECT_GT(published, 0);
  // The same request gives the same figures (no fresh noise to average away).
  auto again = Must(service_->Query(programme, req));
  for (std::size_t k = 0; k < t.cells.size(); ++k) EXPECT_EQ(again.cells[k].value, t.cells[k].value);

  // A state coordinator sees their state only, protected; the competence centre exact for its own centre.
  auto coordinator = Must(service_->Query(As(Role::kStateCoordinator, std::nullopt, "BE"), Req("consultations", "centre")));
  EXPECT_TRUE(coordinator.protected_);
  // Berlin's advice centre and the Competence Centre (located in Berlin).
  for (const auto& k : coordinator.row_keys) EXPECT_TRUE(k == "centre-be-1" || k == "centre-fachstelle") << k;
  auto own = Req("consultations", "month");
  own.centre = "centre-fachstelle";
  EXPECT_FALSE(Must(service_->Query(As(Role::kCompetenceCentre, "centre-fachstelle", "BE"), own)).protected_);
}

TEST_P(StatsTest, BadInputNamesTheFieldAndLeaksNothing) {
  auto lead = As(Role::kCentreLead, "centre-be-1", "BE");
  auto field_of = [&](const Principal& p, TableRequest r) {
    auto result = service_->Query(p, std::move(r));
    EXPECT_FALSE(result.has_value());
    if (result || result.error().errors.empty()) return std::string("(none)");
    return result.error().errors.front().field;
  };
  EXPECT_EQ(field_of(lead, Req("consultations", "shoe_size")), "rows");
  EXPECT_EQ(field_of(lead, Req("nothing", "month")), "measure");
  EXPECT_EQ(field_of(lead, Req("cases_opened", "channel")), "rows");
  EXPECT_EQ(field_of(lead, Req("consultations", "month", "month")), "cols");
  auto other = Req("consultations", "month");
  other.centre = "centre-by-1";
  EXPECT_EQ(field_of(lead, other), "centre");
  auto coordinator = As(Role::kStateCoordinator, std::nullopt, "BE");
  auto elsewhere = Req("consultations", "month");
  elsewhere.centre = "centre-by-1";
  auto missing = Req("consultations", "month");
  missing.centre = "centre-xx-9";
  // A centre that exists elsewhere and one that does not exist answer alike.
  auto a = service_->Query(coordinator, elsewhere), b = service_->Query(coordinator, missing);
  ASSERT_FALSE(a.has_value());
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(a.error().errors.front().message, b.error().errors.front().message);
  auto running = Req("consultations", "month");
  running.to = YearMonth::Of(*Date::Parse(clock::TodayIso()));
  EXPECT_EQ(field_of(coordinator, running), "to");
  EXPECT_TRUE(service_->Query(lead, running).has_value());  // exact views show the running month
  auto exact = Req("consultations", "month");
  exact.exact = true;
  EXPECT_EQ(field_of(coordinator, exact), "exact");
  EXPECT_FALSE(service_->Query(As(Role::kAdmin, std::nullopt, std::nullopt), Req("consultations", "month")).has_value());
}

// The monthly pre-aggregates give the same tables as the records, for every scope and every
// table shape they serve, also after case work changed, corrected and withdrew records.
void ExpectSameTable(const Table& a, const Table& b, const std::string& what) {
  ASSERT_EQ(a.row_keys, b.row_keys) << what;
  ASSERT_EQ(a.col_keys, b.col_keys) << what;
  ASSERT_EQ(a.cells.size(), b.cells.size()) << what;
  auto same = [&](const Figure& x, const Figure& y, const std::string& where) {
    EXPECT_EQ(x.value, y.value) << what << " " << where;
    EXPECT_EQ(x.suppressed, y.suppressed) << what << " " << where;
  };
  for (std::size_t i = 0; i < a.cells.size(); ++i) same(a.cells[i], b.cells[i], "cell " + std::to_string(i));
  ASSERT_EQ(a.row_totals.size(), b.row_totals.size()) << what;
  for (std::size_t i = 0; i < a.row_totals.size(); ++i) same(a.row_totals[i], b.row_totals[i], "row total");
  ASSERT_EQ(a.col_totals.size(), b.col_totals.size()) << what;
  for (std::size_t i = 0; i < a.col_totals.size(); ++i) same(a.col_totals[i], b.col_totals[i], "col total");
  same(a.total, b.total, "total");
}

TEST_P(StatsTest, PreAggregatesGiveTheSameTablesAsTheRecordsAlsoAfterCaseWork) {
  const std::vector<std::pair<std::string, Principal>> viewers = {
      {"lead", As(Role::kCentreLead, "centre-by-1", "BY")},
      {"coordinator", As(Role::kStateCoordinator, std::nullopt, "BY")},
      {"competence centre", As(Role::kCompetenceCentre, std::nullopt, std::nullopt)},
      {"programme", As(Role::kProgramme, std::nullopt, std::nullopt)}};
  struct Shape {
    std::string measure, rows;
    std::optional<std::string> cols;
  };
  const std::vector<Shape> shapes = {
      {"consultations", "month", std::nullopt},        {"consultations", "quarter", "channel"},
      {"consultations", "state", std::nullopt},        {"consultations", "language", "year"},
      {"consultations", "centre", "contact"},          {"consultations", "nationality_group", std::nullopt},
      {"cases_opened", "state", "nationality"},        {"cases_opened", "month", "topic"},
      {"cases_opened", "residence_status", std::nullopt}, {"cases_closed", "outcome", "quarter"},
      {"cases_closed", "year", std::nullopt},          {"cases_closed", "sector_group", "state"},
      // Wages read only the cases that recovered any and name the other categories from the
      // pre-aggregates of closed cases; without them every closed case is read.
      {"wages_recovered_cents", "residence_status", "state"}, {"wages_recovered_cents", "outcome", std::nullopt},
      // Distinct persons from their pre-aggregates (stats_person_agg).
      {"persons", "year", std::nullopt}, {"persons", "quarter", "gender"}, {"persons", "month", "channel"},
      {"persons", "centre", "topic"}, {"persons", "state", "year"},
      // Two attribute dimensions: from the records (wages: only the cases that recovered any);
      // counts and persons by the covering index by centre and month, of the centres named by
      // the pre-aggregates where the scope is a state or nationwide.
      {"persons", "topic", "gender"}, {"wages_recovered_cents", "topic", "gender"},
      {"cases_opened", "topic", "gender"}, {"consultations", "language", "channel"},
      {"cases_closed", "outcome", "sector_group"}};
  auto compare_all = [&](const std::string& when) {
    for (const auto& [who, p] : viewers) {
      for (const auto& sh : shapes) {
        const std::string what = when + ": " + who + " " + sh.measure + " by " + sh.rows + (sh.cols ? " x " + *sh.cols : "");
        service_->UseAggregates(true);
        auto fast = Must(service_->Query(p, Req(sh.measure, sh.rows, sh.cols)));
        service_->UseAggregates(false);
        auto raw = Must(service_->Query(p, Req(sh.measure, sh.rows, sh.cols)));
        ExpectSameTable(fast, raw, what);
      }
    }
    service_->UseAggregates(true);
  };
  compare_all("generated");

  // Case work on a case whose state the query fixes: an open case of the lead's centre with
  // consultations in the shown period is closed with wages recovered, its client gets a
  // residence status, one consultation is withdrawn, one corrected, one added.
  const auto shown_from = Req("consultations", "month").from;
  auto picked = Independent(
      "SELECT c.id, COUNT(*) FROM cases c JOIN consultations co ON co.case_id = c.id WHERE c.centre_id = 'centre-by-1' "
      "AND c.status <> 'closed' AND co.date >= $1 GROUP BY c.id HAVING COUNT(*) >= 3 ORDER BY c.id",
      {shown_from.FirstDay().ToString()});
  ASSERT_FALSE(picked.empty());
  const std::string case_id = picked.begin()->first;
  const std::string closed_on = Service::LatestProtectedMonth().FirstDay().ToString();
  Must(database_->Write([&](db::Session& s) -> Status {
    FD_TRY_VOID(s.Exec(db::Query{"test.close", "UPDATE cases SET status = 'closed', closed_on = $2, "
                                               "outcome_wages_recovered_cents = 123456, outcome_settled = 1 WHERE id = $1"},
                       {case_id, closed_on}));
    FD_TRY_VOID(s.Exec(db::Query{"test.residence", "UPDATE clients SET residence_status = 'tolerated', abroad = 1 WHERE id = "
                                                   "(SELECT client_id FROM cases WHERE id = $1)"},
                       {case_id}));
    auto mine = FD_TRY(s.Query(db::Query{"test.mine", "SELECT id FROM consultations WHERE case_id = $1 ORDER BY id"}, {case_id}));
    FD_TRY_VOID(s.Exec(db::Query{"test.withdraw", "UPDATE consultations SET withdrawn_at = 1 WHERE id = $1"}, {mine[0].Text(0)}));
    FD_TRY_VOID(s.Exec(db::Query{"test.correct", "UPDATE consultations SET channel = 'outreach', date = $2 WHERE id = $1"},
                       {mine[1].Text(0), closed_on}));
    FD_TRY_VOID(s.Exec(db::Query{"test.add", "INSERT INTO consultations (id, case_id, date, duration_minutes, channel, "
                                             "language, interpreter, topics, kind, created_at) VALUES ('con_test_added', $1, "
                                             "$2, 30, 'phone', 'ar', 0, '[\"wages\"]', 'acute', 1)"},
                       {case_id, closed_on}));
    return SyncCase(s, case_id);
  }));
  // The aggregates kept by SyncCase equal the ones rebuilt from the records.
  auto snapshot = [&] {
    std::map<std::string, std::int64_t> rows;
    Must(database_->Read([&](db::Session& s) -> Status {
      for (const auto& r : FD_TRY(s.Query(db::Query{"test.agg", "SELECT measure, dim, val, month, centre_id, state, records, "
                                                                "key_sum, wages, wage_records, wage_key_sum FROM stats_agg"}))) {
        const std::string k = r.Text(0) + "|" + r.Text(1) + "|" + r.Text(2) + "|" + r.Text(3) + "|" + r.Text(4) + "|" + r.Text(5);
        rows[k + "|records"] = r.Int(6);
        rows[k + "|key_sum"] = r.Int(7);
        rows[k + "|wages"] = r.Int(8);
        rows[k + "|wage_records"] = r.Int(9);
        rows[k + "|wage_key_sum"] = r.Int(10);
      }
      return {};
    }));
    return rows;
  };
  auto kept = snapshot();
  EXPECT_GT(kept.size(), 1000u);
  // Rebuilt in pages of 97 records (many pages), the generator's build used the default size.
  Must(database_->Write([&](db::Session& s) { return RebuildAggregates(s, 97); }));
  auto rebuilt = snapshot();
  EXPECT_EQ(kept.size(), rebuilt.size());
  for (const auto& [k, v] : rebuilt) EXPECT_EQ(kept[k], v) << k;
  compare_all("after case work");
  // The withdrawn consultation no longer counts, the added one does, the case counts as closed.
  auto closed = Must(service_->Query(As(Role::kCentreLead, "centre-by-1", "BY"), Req("cases_closed", "residence_status")));
  auto it = std::find(closed.row_keys.begin(), closed.row_keys.end(), "tolerated");
  ASSERT_NE(it, closed.row_keys.end());
  EXPECT_GE(closed.row_totals[it - closed.row_keys.begin()].value.value_or(0), 1);
}

// Distinct persons and wages in one scan (cells and margins summed in memory) give the tables of
// one query per margin level, figures, suppression and perturbation alike.
TEST_P(StatsTest, PersonsAndWagesInOneScanGiveTheSameTablesAsOneQueryPerMargin) {
  const std::vector<std::pair<std::string, Principal>> viewers = {
      {"lead", As(Role::kCentreLead, "centre-by-1", "BY")},
      {"coordinator", As(Role::kStateCoordinator, std::nullopt, "BY")},
      {"programme", As(Role::kProgramme, std::nullopt, std::nullopt)}};
  struct Shape {
    std::string measure, rows;
    std::optional<std::string> cols;
  };
  const std::vector<Shape> shapes = {
      {"persons", "year", std::nullopt},          {"persons", "month", "channel"},
      {"persons", "state", "gender"},             {"persons", "topic", std::nullopt},
      {"persons", "quarter", "age_band"},         {"wages_recovered_cents", "sector_group", std::nullopt},
      {"wages_recovered_cents", "state", "gender"}, {"wages_recovered_cents", "year", "outcome"},
      {"wages_recovered_cents", "month", std::nullopt},   {"wages_recovered_cents", "topic", "gender"},
      {"wages_recovered_cents", "centre", "residence_status"}};
  // Both from the records (the pre-aggregates of persons and wages would answer both otherwise).
  service_->UseAggregates(false);
  int non_zero = 0;
  for (const auto& [who, p] : viewers) {
    for (const auto& sh : shapes) {
      const std::string what = who + " " + sh.measure + " by " + sh.rows + (sh.cols ? " x " + *sh.cols : "");
      service_->UseSingleScan(true);
      auto one = Must(service_->Query(p, Req(sh.measure, sh.rows, sh.cols)));
      service_->UseSingleScan(false);
      auto per_margin = Must(service_->Query(p, Req(sh.measure, sh.rows, sh.cols)));
      ExpectSameTable(one, per_margin, what);
      if (one.total.value.value_or(0) > 0) ++non_zero;
    }
  }
  service_->UseAggregates(true);
  service_->UseSingleScan(true);
  EXPECT_GT(non_zero, 10);
}

// Distinct persons (and the persons of wages recovered) from their pre-aggregates against a
// brute-force count over the records, on the generated data after random case work: clients merged across centres and states (persons
// seen in several scopes), consultations moved to other months, withdrawn and added.
TEST_P(StatsTest, PersonAggregatesEqualABruteForceCountOverTheRecords) {
  std::mt19937 rng(20261207);
  auto below = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const YearMonth latest = Service::LatestProtectedMonth();
  auto month_back = [&](int back) { return YearMonth::Of(latest.FirstDay().AddMonths(-back)); };
  auto month_text = [](YearMonth m) { return m.FirstDay().ToString().substr(0, 7); };
  auto cases = Independent("SELECT id, 0 FROM cases ORDER BY id", {});
  auto clients = Independent("SELECT id, 0 FROM clients ORDER BY id", {});
  std::vector<std::string> case_ids, client_ids;
  for (const auto& [id, _] : cases) case_ids.push_back(id);
  for (const auto& [id, _] : clients) client_ids.push_back(id);
  ASSERT_GT(case_ids.size(), 100u);
  for (int round = 0; round < 60; ++round) {
    const std::string case_id = case_ids[below(case_ids.size())];
    Must(database_->Write([&](db::Session& s) -> Status {
      const int what = static_cast<int>(below(5));
      if (what == 0) {  // the case's client is merged into another one (often of another centre)
        FD_TRY_VOID(s.Exec(db::Query{"test.merge", "UPDATE cases SET client_id = $2 WHERE id = $1"},
                           {case_id, client_ids[below(client_ids.size())]}));
      }
      auto mine = FD_TRY(s.Query(db::Query{"test.mine", "SELECT id FROM consultations WHERE case_id = $1 AND "
                                                        "withdrawn_at IS NULL ORDER BY id"},
                                 {case_id}));
      const std::string date = month_back(static_cast<int>(below(20))).FirstDay().AddDays(static_cast<int>(below(27))).ToString();
      if (what == 1 && !mine.empty()) {  // a consultation corrected into another month and channel
        FD_TRY_VOID(s.Exec(db::Query{"test.move", "UPDATE consultations SET date = $2, channel = 'video' WHERE id = $1"},
                           {mine[below(mine.size())].Text(0), date}));
      }
      if (what == 2 && mine.size() > 1) {  // one withdrawn
        FD_TRY_VOID(s.Exec(db::Query{"test.withdraw", "UPDATE consultations SET withdrawn_at = 1 WHERE id = $1"},
                           {mine[below(mine.size())].Text(0)}));
      }
      if (what == 4) {  // closed with wages recovered
        FD_TRY_VOID(s.Exec(db::Query{"test.close", "UPDATE cases SET status = 'closed', closed_on = $2, "
                                                   "outcome_wages_recovered_cents = 50000, outcome_settled = 1 WHERE id = $1"},
                           {case_id, date}));
      }
      if (what == 3) {  // one added
        FD_TRY_VOID(s.Exec(db::Query{"test.add", "INSERT INTO consultations (id, case_id, date, duration_minutes, channel, "
                                                 "language, interpreter, topics, kind, created_at) VALUES ($1, $2, $3, 30, "
                                                 "'phone', 'de', 0, '[\"wages\"]', 'acute', 1)"},
                           {"con_random_" + std::to_string(round), case_id, date}));
      }
      return SyncCase(s, case_id);
    }));
  }

  // The pre-aggregates kept by SyncCase equal a rebuild (in pages of 7 persons).
  auto snapshot = [&] {
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> rows;
    Must(database_->Read([&](db::Session& s) -> Status {
      for (const auto& r : FD_TRY(s.Query(db::Query{
               "test.person_agg",
               "SELECT 'persons', dim, val, month, centre_id, state, prev_centre, prev_state, prev_all, persons, key_sum FROM "
               "stats_person_agg UNION ALL SELECT 'wages', dim, val, month, centre_id, state, prev_centre, prev_state, "
               "prev_all, persons, key_sum FROM stats_wage_person_agg"}))) {
        std::string k;
        for (std::size_t i = 0; i < 9; ++i) k += r.Text(i) + "|";
        rows[k] = {r.Int(9), r.Int(10)};
      }
      return {};
    }));
    return rows;
  };
  auto kept = snapshot();
  EXPECT_GT(kept.size(), 1000u);
  Must(database_->Write([&](db::Session& s) { return RebuildPersonAggregates(s, 7); }));
  EXPECT_EQ(kept, snapshot());

  // Brute force: every consultation record, the distinct persons of a range, scope and group
  // counted in memory, against the sum over the pre-aggregates the tables read.
  struct Record {
    std::string person, month, centre, state, channel, gender;
    std::int64_t person_rkey;
  };
  std::vector<Record> records;
  std::vector<std::string> centres, states;
  Must(database_->Read([&](db::Session& s) -> Status {
    for (const auto& r : FD_TRY(s.Query(db::Query{"test.records", "SELECT person_id, month, centre_id, state, channel, gender, "
                                                                  "person_rkey FROM stats_consultations"}))) {
      records.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6)});
      centres.push_back(r.Text(2));
      states.push_back(r.Text(3));
    }
    return {};
  }));
  // The closed cases that recovered wages, as records of the wage persons (channel: outcome).
  std::vector<Record> wage_records;
  Must(database_->Read([&](db::Session& s) -> Status {
    for (const auto& r : FD_TRY(s.Query(db::Query{"test.wage_records", "SELECT person_id, closed_month, centre_id, state, outcome, "
                                                                       "gender, person_rkey FROM stats_cases WHERE closed_month "
                                                                       "IS NOT NULL AND wages_recovered_cents > 0"}))) {
      wage_records.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6)});
    }
    return {};
  }));
  ASSERT_GT(wage_records.size(), 20u);
  std::map<std::string, std::set<std::string>> centres_of;
  for (const auto& rec : records) centres_of[rec.person].insert(rec.centre);
  int across = 0;
  for (const auto& [_, c] : centres_of) across += c.size() > 1;
  EXPECT_GT(across, 3) << "the case work made persons seen in several centres";
  int non_zero = 0;
  for (int round = 0; round < 150; ++round) {
    const std::string a = month_text(month_back(static_cast<int>(below(24))));
    const std::string b = month_text(month_back(static_cast<int>(below(24))));
    const std::string from = std::min(a, b), to = std::max(a, b);
    const int scope = static_cast<int>(below(3));  // 0 nationwide, 1 a state, 2 a centre
    const std::string centre = centres[below(centres.size())], state = states[below(states.size())];
    const bool wage = round % 3 == 0;  // the persons of wages recovered (channel: outcome)
    const std::string dim = std::vector<std::string>{"", wage ? "outcome" : "channel", "gender"}[below(3)];
    std::string val;
    if (dim == "channel") val = std::vector<std::string>{"phone", "in_person", "video", "email"}[below(4)];
    if (dim == "outcome") val = std::vector<std::string>{"settled", "claim_filed", "referred", "closed_other"}[below(4)];
    if (dim == "gender") val = std::vector<std::string>{"female", "male", "diverse", "unspecified"}[below(4)];
    std::set<std::string> seen;
    std::int64_t keys = 0;
    for (const auto& rec : wage ? wage_records : records) {
      if (rec.month < from || rec.month > to) continue;
      if ((scope == 1 && rec.state != state) || (scope == 2 && rec.centre != centre)) continue;
      if ((!dim.empty() && dim != "gender" && rec.channel != val) || (dim == "gender" && rec.gender != val)) continue;
      if (seen.insert(rec.person).second) keys += rec.person_rkey;
    }
    const std::string prev = scope == 0 ? "prev_all" : scope == 1 ? "prev_state" : "prev_centre";
    const std::string where = scope == 0 ? "$5 = $5" : scope == 1 ? "state = $5" : "centre_id = $5";
    const std::string table = wage ? "stats_wage_person_agg" : "stats_person_agg";
    const std::string rows = " FROM " + table + " WHERE dim = $1 AND val = $2 AND month >= $3 AND month <= $4 AND " + where +
                             " AND " + prev + " < $3";
    auto sum = Independent("SELECT 'n', COALESCE(SUM(persons), 0)" + rows + " UNION ALL SELECT 'k', COALESCE(SUM(key_sum), 0)" + rows,
                           {dim, val, from, to, scope == 1 ? state : centre});
    const std::string what = table + " " + from + ".." + to + " scope " + std::to_string(scope) + " " + dim + "=" + val;
    EXPECT_EQ(sum["n"], static_cast<std::int64_t>(seen.size())) << what;
    EXPECT_EQ(sum["k"], keys) << what;
    if (!seen.empty()) ++non_zero;
  }
  EXPECT_GT(non_zero, 50);

  // The tables, figures, suppression and perturbation alike, from the pre-aggregates and from
  // the records, for every scope and random shapes and ranges; exact ones also by brute force.
  const std::vector<std::pair<std::string, Principal>> viewers = {
      {"lead", As(Role::kCentreLead, "centre-by-1", "BY")},
      {"coordinator", As(Role::kStateCoordinator, std::nullopt, "BY")},
      {"competence centre", As(Role::kCompetenceCentre, std::nullopt, std::nullopt)},
      {"programme", As(Role::kProgramme, std::nullopt, std::nullopt)}};
  const std::vector<std::string> dims = {"month", "quarter", "year", "state", "centre", "channel", "gender", "topic"};
  for (int round = 0; round < 80; ++round) {
    const auto& [who, p] = viewers[below(viewers.size())];
    const bool wages = round % 2 == 1;  // wages recovered: their base is the persons of the wage cases
    auto dim = [&] {
      std::string d = dims[below(dims.size())];
      return wages && d == "channel" ? std::string("outcome") : d;
    };
    TableRequest req = Req(wages ? "wages_recovered_cents" : "persons", dim());
    if (below(3) > 0) {
      std::string cols = dim();
      auto attribute = [](const std::string& d) { return d == "channel" || d == "gender" || d == "topic" || d == "outcome"; };
      if (cols != req.rows && !(attribute(req.rows) && attribute(cols))) req.cols = cols;
    }
    const YearMonth x = month_back(static_cast<int>(below(24))), y = month_back(static_cast<int>(below(24)));
    req.from = std::min(x, y);
    req.to = std::max(x, y);
    const std::string what = who + " " + req.measure + " by " + req.rows + (req.cols ? " x " + *req.cols : "") + " " +
                             month_text(req.from) + ".." + month_text(req.to);
    service_->UseAggregates(true);
    auto fast = Must(service_->Query(p, req));
    service_->UseAggregates(false);
    auto raw = Must(service_->Query(p, req));
    service_->UseAggregates(true);
    ExpectSameTable(fast, raw, what);
    if (!wages && !fast.protected_ && !req.cols && req.rows == "month") {
      for (std::size_t i = 0; i < fast.row_keys.size(); ++i) {
        std::set<std::string> seen;
        for (const auto& rec : records) {
          if (rec.month == fast.row_keys[i] && rec.centre == "centre-by-1") seen.insert(rec.person);
        }
        EXPECT_EQ(fast.row_totals[i].value.value_or(-1), static_cast<std::int64_t>(seen.size())) << what;
      }
    }
  }
}

FAIRDESK_INSTANTIATE_BACKENDS(StatsTest);

}  // namespace
}  // namespace fairdesk::stats
