// Generated data on both backends: the statistics tables against independent SQL over the case
// tables, role scopes, protection of the figures, and bad input.

#include <gtest/gtest.h>

#include <map>

#include "app/app.hpp"
#include "db/backends.hpp"
#include "platform/core/clock.hpp"
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

FAIRDESK_INSTANTIATE_BACKENDS(StatsTest);

}  // namespace
}  // namespace fairdesk::stats
