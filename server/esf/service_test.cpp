// ESF Plus participant data on both backends: the one-off-advice rule, sealing of the personal
// and special-category answers, corrections with If-Match, the indicator counts, protection, and
// unlinking on anonymisation. Pure rules (age band, validation, counting) without a database.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "audit/audit.hpp"
#include "db/backends.hpp"
#include "esf/esf.hpp"
#include "platform/core/clock.hpp"
#include "platform/crypto/crypto.hpp"

namespace fairdesk::esf {
namespace {
using dbtest::Must;

// The part of the directory, cases and statistics schema this module reads.
constexpr db::Migration kStubs[] = {
    {400, "stubs",
     "CREATE TABLE users (id TEXT PRIMARY KEY, display_name TEXT NOT NULL);"
     "CREATE TABLE centres (id TEXT PRIMARY KEY, state TEXT NOT NULL);"
     "CREATE TABLE cases (id TEXT PRIMARY KEY, centre_id TEXT NOT NULL, anonymised_at BIGINT, opened_on TEXT NOT NULL "
     "DEFAULT '2024-01-01');"
     "CREATE TABLE consultations (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, withdrawn_at BIGINT);"
     "CREATE TABLE stats_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
     "CREATE TABLE stats_periods (id TEXT PRIMARY KEY, centre_id TEXT, label TEXT NOT NULL, from_month TEXT NOT NULL, "
     "to_month TEXT NOT NULL, closed_at TEXT NOT NULL, closed_by TEXT NOT NULL, latest_revision INTEGER NOT NULL);"
     "CREATE TABLE stats_period_revisions (period_id TEXT NOT NULL, number INTEGER NOT NULL, created_at TEXT NOT NULL, "
     "created_by TEXT NOT NULL, reason TEXT, PRIMARY KEY (period_id, number));"
     "INSERT INTO centres VALUES ('centre-be', 'BE'), ('centre-by', 'BY');"
     "INSERT INTO stats_settings VALUES ('cell_key_secret', 'test-secret')",
     {}},
};
constexpr db::Query kCase{"test.case", "INSERT INTO cases (id, centre_id) VALUES ($1, $2)"};
constexpr db::Query kConsultation{"test.consultation", "INSERT INTO consultations (id, case_id) VALUES ($1, $2)"};
// A closed period of centre-be, March 2024, revision 0 (as the statistics module records it).
constexpr db::Query kPeriod{"test.period",
                            "INSERT INTO stats_periods VALUES ('spd_1', 'centre-be', '2024-03', '2024-03', '2024-03', "
                            "'2024-04-02T10:00:00Z', 'usr_test', 0)"};
constexpr db::Query kPeriodRevision{
    "test.period_revision", "INSERT INTO stats_period_revisions VALUES ('spd_1', 0, '2024-04-02T10:00:00Z', 'usr_test', NULL)"};
constexpr db::Query kRaw{"test.raw",
                         "SELECT case_id, entry_date, personal_enc, disability, minority, special_asked_by FROM "
                         "esf_participants"};

// A table's columns as the database reports them: name, base type in capitals, NOT NULL.
constexpr db::Query kColumns{
    "test.columns",
    "SELECT column_name, upper(data_type), CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END "
    "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
    "SELECT name, upper(type), \"notnull\" FROM pragma_table_info($1)"};

Principal User(Role role, std::optional<std::string> centre, std::optional<std::string> state = std::nullopt) {
  Principal p;
  p.user_id = "usr_test";
  p.role = role;
  p.centre_id = std::move(centre);
  p.state = std::move(state);
  return p;
}

Participant Entry(std::string gender = "women") {
  Participant p;
  p.entry_date = "2024-03-12";
  p.gender = std::move(gender);
  p.birth_year = 1999;
  p.employment_status = "long_term_unemployed";
  p.education = "isced_0_2";
  p.third_country_national = "yes";
  p.foreign_background = "yes";
  p.homeless = "no";
  p.rural = "no";
  p.disability = "refused";
  p.minority = "no";
  return p;
}

TEST(EsfRules, AgeBandIsTheAgeReachedInTheYearOfEntry) {
  EXPECT_EQ(AgeBand(2008, "2025-01-02"), "under_18");
  EXPECT_EQ(AgeBand(2007, "2025-01-02"), "18_29");
  EXPECT_EQ(AgeBand(1996, "2025-12-31"), "18_29");
  EXPECT_EQ(AgeBand(1994, "2025-12-31"), "30_54");
  EXPECT_EQ(AgeBand(1970, "2025-06-01"), "55_plus");
}

TEST(EsfRules, ValidationNamesTheFields) {
  Participant p = Entry();
  EXPECT_TRUE(Validate(p, "2024-04-01").empty());
  p.exit_status = "employed";
  auto e = Validate(p, "2024-04-01");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].field, "exit_status");
  p.exit_date = "2024-03-20";
  p.long_term_status = "employed";
  e = Validate(p, "2024-09-19");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].field, "long_term_status");
  EXPECT_TRUE(Validate(p, "2024-09-20").empty());
  p.entry_date = "2020-12-31";
  p.disability = "unknown";
  e = Validate(p, "2024-09-20");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].field, "entry_date");
  EXPECT_EQ(e[1].field, "disability");
}

TEST(EsfRules, CountsFollowTheMappingTable) {
  auto at = [](std::string_view code) {
    for (std::size_t i = 0; i < kIndicators.size(); ++i) {
      if (kIndicators[i].code == code) return i;
    }
    return kIndicators.size();
  };
  Facts a{.entry_month = "2024-03", .exit_month = "2024-05", .gender = "women", .age_band = "18_29",
          .employment_status = "long_term_unemployed", .education = "isced_0_2", .third_country_national = "yes",
          .foreign_background = "yes", .homeless = "no", .rural = "no", .disability = "refused", .minority = "no",
          .exit_status = "self_employed", .qualification = "yes", .long_term_status = std::nullopt, .rkey = 7};
  Facts b = a;
  b.gender = "men";
  b.employment_status = "employed";
  b.entry_month = "2024-01";  // outside the period for the outputs, its exit inside
  b.rkey = 11;
  Facts c = a;
  c.gender = "diverse-unknown";  // counts in the total only
  c.exit_month.reset();
  const Counts n = Count({a, b, c}, "2024-03", "2024-05");
  EXPECT_EQ(n.value[at("EECO01")], (std::vector<std::int64_t>{1, 0, 0, 0, 2}));
  EXPECT_EQ(n.value[at("EECO02")][4], 2);
  EXPECT_EQ(n.value[at("EECO03")][4], 2);
  EXPECT_EQ(n.value[at("EECO05")][4], 0);
  EXPECT_EQ(n.value[at("EECO12")][4], 0);
  EXPECT_EQ(n.value[at("REFUSED_DISABILITY")][4], 2);
  EXPECT_EQ(n.value[at("LEAVERS")], (std::vector<std::int64_t>{1, 1, 0, 0, 2}));
  EXPECT_EQ(n.value[at("EECR04")][4], 2);
  EXPECT_EQ(n.key[at("LEAVERS")][4], 18);
}

// Databases migrated earlier ran these texts; the column lists they are now made of must not
// change them (a new column is a new migration).
TEST(EsfSchema, AppliedMigrationTextsStayTheSame) {
  const auto migrations = Migrations();
  ASSERT_GE(migrations.size(), 2u);
  EXPECT_EQ(migrations[0].version, 630);
  EXPECT_EQ(crypto::Sha256Hex(migrations[0].postgres_sql),
            "f03747746006178078caf36fe0dd43d02db3722f6bd2396cccb6be279f259452");
  EXPECT_EQ(migrations[1].version, 631);
  EXPECT_EQ(crypto::Sha256Hex(migrations[1].postgres_sql),
            "68261a23f6325ea42484f210b6439af5c82124b9e3caba0160e871d8e44f80c8");
  for (const auto& m : migrations) EXPECT_TRUE(m.sqlite_sql.empty()) << m.version;
}

class EsfTest : public dbtest::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<db::Migration> all(std::begin(kStubs), std::end(kStubs));
    for (auto span : {audit::Migrations(), Migrations()}) all.insert(all.end(), span.begin(), span.end());
    Must(db::Migrate(db(), all));
    keyring_ = crypto::Keyring::Ephemeral();
    service_ = std::make_unique<Service>(db(), *keyring_, MakeSqlStore());
  }
  void MakeCase(const std::string& id, const std::string& centre, int consultations) {
    Must(db().Write([&](db::Session& s) -> Status {
      FD_TRY(s.Exec(kCase, {id, centre}));
      for (int i = 0; i < consultations; ++i) FD_TRY(s.Exec(kConsultation, {id + "-k" + std::to_string(i), id}));
      return {};
    }));
  }
  std::unique_ptr<crypto::Keyring> keyring_;
  std::unique_ptr<Service> service_;
  Principal advisor_ = User(Role::kAdvisor, "centre-be", "BE");
};

// The frozen copy has exactly the live record's columns (FrozenColumns(), with the same type and
// nullability in both tables) and its own bookkeeping; the live record has its own as well. A
// column added to one table only fails here until it is added to the list or named as the
// table's own.
TEST_P(EsfTest, TheFrozenTableHasExactlyTheLiveRecordsColumns) {
  struct Declared {
    std::string type;
    bool not_null = false;
    bool operator==(const Declared&) const = default;
  };
  auto columns = [&](const std::string& table) {
    std::map<std::string, Declared> out;
    Must(db().Read([&](db::Session& s) -> Status {
      for (const auto& row : FD_TRY(s.Query(kColumns, {table}))) {
        out[row.Text(0)] = Declared{row.Text(1), row.Int(2) != 0};
      }
      return {};
    }));
    return out;
  };
  auto live = columns("esf_participants");
  auto frozen = columns("esf_frozen_participants");
  ASSERT_FALSE(live.empty());
  ASSERT_FALSE(frozen.empty());
  for (const auto& c : FrozenColumns()) {
    const std::string type(c.type);
    const Declared declared{type.substr(0, type.find(' ')), type.ends_with("NOT NULL")};
    ASSERT_TRUE(live.contains(std::string(c.name))) << c.name;
    ASSERT_TRUE(frozen.contains(std::string(c.name))) << c.name;
    EXPECT_EQ(live[std::string(c.name)], declared) << c.name;
    EXPECT_EQ(frozen[std::string(c.name)], declared) << c.name;
    live.erase(std::string(c.name));
    frozen.erase(std::string(c.name));
  }
  auto names = [](const std::map<std::string, Declared>& m) {
    std::set<std::string> out;
    for (const auto& [name, declared] : m) out.insert(name);
    return out;
  };
  EXPECT_EQ(names(live), (std::set<std::string>{"id", "case_id", "version", "entry_date", "exit_date",
                                                "special_asked_by", "special_asked_at", "created_at", "updated_at",
                                                "unlinked_at"}));
  EXPECT_EQ(names(frozen), (std::set<std::string>{"id", "period_id", "revision", "source_version"}));
}

TEST_P(EsfTest, OneOffAdviceIsRefusedAndOtherCentresSeeNothing) {
  MakeCase("cas_1", "centre-be", 1);
  auto r = service_->Create(advisor_, "cas_1", Entry());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalid);
  EXPECT_EQ(r.error().errors.at(0).field, "consultations");
  MakeCase("cas_2", "centre-be", 2);
  auto other = service_->Create(User(Role::kAdvisor, "centre-by", "BY"), "cas_2", Entry());
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, ErrorKind::kNotFound);
  EXPECT_FALSE(service_->Get(User(Role::kCentreLead, "centre-by", "BY"), "cas_2"));
  EXPECT_TRUE(service_->Create(advisor_, "cas_2", Entry()));
}

TEST_P(EsfTest, SpecialCategoryAnswersAreSealedAndUnlinkingKeepsOnlyTheIndicators) {
  MakeCase("cas_1", "centre-be", 2);
  auto created = Must(service_->Create(advisor_, "cas_1", Entry()));
  EXPECT_EQ(created.special_asked_by, "usr_test");
  Must(db().Read([&](db::Session& s) -> Status {
    auto row = FD_TRY(s.One(kRaw, {}));
    EXPECT_EQ(row.Text(0), "cas_1");
    EXPECT_TRUE(row.IsNull(3));  // disability not in plain text while linked
    EXPECT_EQ(row.Text(2).find("refused"), std::string::npos);
    EXPECT_EQ(row.Text(2).find("1999"), std::string::npos);
    return {};
  }));
  auto view = Must(service_->Get(advisor_, "cas_1"));
  ASSERT_TRUE(view.participant);
  EXPECT_EQ(view.participant->disability, "refused");
  EXPECT_EQ(view.participant->birth_year, 1999);

  const IndicatorRequest period{*YearMonth::FromYm(2024, 3), *YearMonth::FromYm(2024, 3), std::nullopt};
  const Principal lead = User(Role::kCentreLead, "centre-be", "BE");
  auto before = Must(service_->Indicators(lead, period));
  Must(db().Write([&](db::Session& s) { return UnlinkCase(s, *keyring_, "cas_1"); }));
  Must(db().Read([&](db::Session& s) -> Status {
    auto row = FD_TRY(s.One(kRaw, {}));
    EXPECT_TRUE(row.IsNull(0));  // no case
    EXPECT_TRUE(row.IsNull(1));  // no day date
    EXPECT_TRUE(row.IsNull(2));  // no sealed birth year
    EXPECT_EQ(row.Text(3), "refused");
    EXPECT_EQ(row.Text(4), "no");
    EXPECT_TRUE(row.IsNull(5));  // no user
    return {};
  }));
  auto after = Must(service_->Indicators(lead, period));
  ASSERT_EQ(before.rows.size(), after.rows.size());
  for (std::size_t i = 0; i < before.rows.size(); ++i) {
    EXPECT_EQ(before.rows[i].total.value, after.rows[i].total.value) << before.rows[i].code;
  }
  EXPECT_EQ(after.rows[0].total.value, 1);
}

TEST_P(EsfTest, StaleIfMatchChangesNothing) {
  MakeCase("cas_1", "centre-be", 3);
  auto created = Must(service_->Create(advisor_, "cas_1", Entry()));
  const std::string tag = MakeETag(created);
  auto exit = [](Participant& p) -> Status {
    p.exit_date = "2024-04-01";
    p.exit_status = "education_training";
    return {};
  };
  auto updated = Must(service_->Update(advisor_, "cas_1", {tag}, exit));
  EXPECT_EQ(updated.version, 2);
  auto stale = service_->Update(advisor_, "cas_1", {tag}, [](Participant& p) -> Status {
    p.rural = "yes";
    return {};
  });
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().kind, ErrorKind::kStale);
  auto view = Must(service_->Get(advisor_, "cas_1"));
  EXPECT_EQ(view.participant->rural, "no");
  EXPECT_EQ(view.participant->version, 2);
}

TEST_P(EsfTest, AClosedPeriodIsAnsweredFromItsCopy) {
  MakeCase("cas_1", "centre-be", 2);
  auto created = Must(service_->Create(advisor_, "cas_1", Entry()));
  const Principal lead = User(Role::kCentreLead, "centre-be", "BE");
  const IndicatorRequest march{*YearMonth::FromYm(2024, 3), *YearMonth::FromYm(2024, 3), std::nullopt, std::nullopt,
                               std::nullopt};
  auto row = [](const IndicatorTable& t, std::string_view code) {
    return std::find_if(t.rows.begin(), t.rows.end(), [&](const auto& r) { return r.code == code; })->total.value;
  };
  // Closing: the statistics module records the period and calls every frozen source.
  Must(db().Write([&](db::Session& s) -> Status {
    FD_TRY(s.Exec(kPeriod));
    FD_TRY(s.Exec(kPeriodRevision));
    return service_->Freeze(s, stats::FreezeScope{"spd_1", 0, "2024-03", "2024-03", std::string("centre-be")});
  }));
  const stats::FreezeScope latest{"spd_1", 0, "2024-03", "2024-03", std::string("centre-be")};
  auto changed = [&] {
    bool out = false;
    Must(db().Read([&](db::Session& s) -> Status {
      out = FD_TRY(service_->Changed(s, latest));
      return {};
    }));
    return out;
  };
  EXPECT_FALSE(changed());
  // The copy holds every shared column as the live record has it; disability and minority only
  // sealed, in its own ciphertext.
  std::string shared;
  for (const auto& c : FrozenColumns()) {
    if (c.name == "personal_enc" || c.name == "disability" || c.name == "minority") continue;
    shared += (shared.empty() ? "" : ", ") + std::string(c.name);
  }
  const std::string live_sql = "SELECT " + shared + ", version FROM esf_participants";
  const std::string frozen_sql = "SELECT " + shared + ", source_version FROM esf_frozen_participants";
  const std::string sealed_sql = "SELECT f.personal_enc, f.disability, f.minority, p.personal_enc FROM "
                                 "esf_frozen_participants f, esf_participants p";
  Must(db().Read([&](db::Session& s) -> Status {
    auto live_row = FD_TRY(s.One(db::Query{"test.live_copy", live_sql}, {}));
    auto frozen_row = FD_TRY(s.One(db::Query{"test.frozen_copy", frozen_sql}, {}));
    EXPECT_EQ(live_row.size(), frozen_row.size());
    for (std::size_t i = 0; i < std::min(live_row.size(), frozen_row.size()); ++i) EXPECT_EQ(live_row.OptText(i), frozen_row.OptText(i)) << i;
    auto sealed = FD_TRY(s.One(db::Query{"test.sealed_copy", sealed_sql}, {}));
    EXPECT_FALSE(sealed.IsNull(0));
    EXPECT_TRUE(sealed.IsNull(1));
    EXPECT_TRUE(sealed.IsNull(2));
    EXPECT_NE(sealed.OptText(0), sealed.OptText(3));
    return {};
  }));
  Must(service_->Update(advisor_, "cas_1", {MakeETag(created)}, [](Participant& p) -> Status {
    p.employment_status = "employed";
    return {};
  }));
  EXPECT_TRUE(changed());
  auto t = Must(service_->Indicators(lead, march));
  ASSERT_TRUE(t.frozen);
  EXPECT_EQ(t.frozen->period_id, "spd_1");
  EXPECT_EQ(row(t, "EECO03"), 1);
  EXPECT_EQ(row(t, "EECO05"), 0);
  // Freezing the same revision twice takes no second copy; Init finds nothing left to copy.
  Must(db().Write([&](db::Session& s) -> Status { return service_->Freeze(s, latest); }));
  Must(service_->Init());
  EXPECT_EQ(row(Must(service_->Indicators(lead, march)), "EECO01"), 1);
}

TEST_P(EsfTest, ProtectedIndicatorsSuppressSmallCountsAndPerturbTheRest) {
  // 9 women and 2 men in Berlin, 1 non-binary participant in Bavaria.
  int n = 0;
  auto add = [&](const std::string& centre, const std::string& gender) {
    const std::string id = "cas_" + std::to_string(n++);
    MakeCase(id, centre, 2);
    Must(service_->Create(User(Role::kAdvisor, centre), id, Entry(gender)));
  };
  for (int i = 0; i < 9; ++i) add("centre-be", "women");
  for (int i = 0; i < 2; ++i) add("centre-be", "men");
  add("centre-by", "non_binary");
  const IndicatorRequest period{*YearMonth::FromYm(2024, 3), *YearMonth::FromYm(2024, 3), std::nullopt};
  auto exact = Must(service_->Indicators(User(Role::kCentreLead, "centre-be", "BE"), period));
  EXPECT_FALSE(exact.protected_);
  EXPECT_EQ(exact.rows[0].by_gender[0].value, 9);
  EXPECT_EQ(exact.rows[0].by_gender[1].value, 2);
  EXPECT_EQ(exact.rows[0].total.value, 11);

  auto prot = Must(service_->Indicators(User(Role::kProgramme, std::nullopt), period));
  EXPECT_TRUE(prot.protected_);
  const auto& total = prot.rows[0];
  EXPECT_TRUE(total.by_gender[1].suppressed);  // 2 men
  EXPECT_TRUE(total.by_gender[2].suppressed);  // 1 non-binary
  EXPECT_EQ(total.by_gender[3].value, 0);      // 0 stays 0
  ASSERT_TRUE(total.total.value);
  EXPECT_LE(std::abs(*total.total.value - 12), 2);
  // The women's figure is published (perturbed) or hidden as the partner of a suppressed cell;
  // either way nobody learns the two small counts from the total.
  if (!total.by_gender[0].suppressed) {
    EXPECT_LE(std::abs(*total.by_gender[0].value - 9), 2);
  }
  // Asked again: the same values.
  auto again = Must(service_->Indicators(User(Role::kProgramme, std::nullopt), period));
  EXPECT_EQ(again.rows[0].total.value, total.total.value);
  // Roles without an export.
  EXPECT_EQ(service_->Indicators(advisor_, period).error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(service_->Indicators(User(Role::kAdmin, std::nullopt), period).error().kind, ErrorKind::kForbidden);
  auto sc = Must(service_->Indicators(User(Role::kStateCoordinator, std::nullopt, "BY"), period));
  EXPECT_EQ(sc.rows[0].total.suppressed, true);  // a single participant in Bavaria
}

TEST_P(EsfTest, RowsThatAddUpToTheTotalAreProtectedTogether) {
  // Women: 10 unemployed, 2 inactive, 8 employed; men: 9 unemployed, 7 employed.
  int n = 0;
  auto add = [&](const std::string& gender, const std::string& employment, int count) {
    for (int i = 0; i < count; ++i) {
      const std::string id = "cas_" + std::to_string(n++);
      MakeCase(id, "centre-be", 2);
      Participant p = Entry(gender);
      p.employment_status = employment;
      Must(service_->Create(advisor_, id, p));
    }
  };
  add("women", "unemployed", 10);
  add("women", "inactive", 2);
  add("women", "employed", 8);
  add("men", "unemployed", 9);
  add("men", "employed", 7);
  const IndicatorRequest period{*YearMonth::FromYm(2024, 3), *YearMonth::FromYm(2024, 3), std::nullopt};
  auto t = Must(service_->Indicators(User(Role::kProgramme, std::nullopt), period));
  auto row = [&](std::string_view code) -> const IndicatorTable::Row& {
    for (const auto& r : t.rows) {
      if (r.code == code) return r;
    }
    throw std::runtime_error("no row");
  };
  for (const auto& r : t.rows) {
    EXPECT_NE(r.code, "AGE_30_54");  // helper rows are never published
    for (const auto& f : r.by_gender) {
      if (!f.suppressed) {
        EXPECT_TRUE(*f.value == 0 || *f.value >= 5) << r.code;
      }
    }
  }
  EXPECT_TRUE(row("EECO04").by_gender[0].suppressed);
  // Inactive women = all women - unemployed women - employed women: one of those is hidden too.
  EXPECT_TRUE(row("EECO01").by_gender[0].suppressed || row("EECO02").by_gender[0].suppressed ||
              row("EECO05").by_gender[0].suppressed);
  // And within the row: the total of inactive participants (2) is hidden as well.
  EXPECT_TRUE(row("EECO04").total.suppressed);
}

FAIRDESK_INSTANTIATE_BACKENDS(EsfTest);

}  // namespace
}  // namespace fairdesk::esf
