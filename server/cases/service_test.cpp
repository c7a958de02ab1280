// The case-work service on both backends, against the real schema: the rules the review of
// issue 3 found broken (nested database calls, reassignment, anonymised escalations).

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "audit/audit.hpp"
#include "auth/auth.hpp"
#include "cases/service.hpp"
#include "cases/store.hpp"
#include "db/backends.hpp"
#include "platform/core/clock.hpp"
#include "directory/service.hpp"
#include "directory/store.hpp"
#include "stats/store.hpp"

namespace fairdesk::cases {
namespace {
using dbtest::Must;

// A session that counts the statements it runs, by query name.
class CountingSession final : public db::Session {
 public:
  CountingSession(db::Session& inner, std::map<std::string, int, std::less<>>& counts)
      : inner_(inner), counts_(counts) {}
  using db::Session::Exec;
  using db::Session::Query;
  Result<db::Rows> Query(const db::Query& q, std::span<const db::Value> params) override {
    ++counts_[std::string(q.name)];
    return inner_.Query(q, params);
  }
  Result<std::int64_t> Exec(const db::Query& q, std::span<const db::Value> params) override {
    ++counts_[std::string(q.name)];
    return inner_.Exec(q, params);
  }
  Status ExecScript(std::string_view sql) override { return inner_.ExecScript(sql); }
  db::Backend backend() const override { return inner_.backend(); }

 private:
  db::Session& inner_;
  std::map<std::string, int, std::less<>>& counts_;
};

// A database that refuses a Read or Write from inside another one (database.hpp: no nesting) and
// counts statements. The tests run on one thread, so a plain depth counter is enough.
class NestingGuard final : public db::Database {
 public:
  explicit NestingGuard(db::Database& inner) : inner_(inner) {}
  db::Backend backend() const override { return inner_.backend(); }
  Status Read(const std::function<Status(db::Session&)>& fn) override {
    return Guarded([&] { return inner_.Read(Counted(fn)); });
  }
  Status Write(const std::function<Status(db::Session&)>& fn) override {
    return Guarded([&] { return inner_.Write(Counted(fn)); });
  }
  std::map<std::string, int, std::less<>> counts;
  Status Ping() override { return inner_.Ping(); }
  db::PoolStats Stats() const override { return inner_.Stats(); }
  int nested = 0;

 private:
  std::function<Status(db::Session&)> Counted(const std::function<Status(db::Session&)>& fn) {
    return [this, &fn](db::Session& s) {
      CountingSession counting(s, counts);
      return fn(counting);
    };
  }
  template <typename F>
  Status Guarded(F f) {
    if (depth_ > 0) {
      ++nested;
      return Fail(Error::Internal("nested database call"));
    }
    ++depth_;
    Status st = f();
    --depth_;
    return st;
  }
  db::Database& inner_;
  int depth_ = 0;
};

// A database that cannot be reached (every call answers kUnavailable, as a PostgreSQL outage).
class UnreachableDatabase final : public db::Database {
 public:
  explicit UnreachableDatabase(db::Backend backend) : backend_(backend) {}
  db::Backend backend() const override { return backend_; }
  Status Read(const std::function<Status(db::Session&)>&) override { return Fail(Error::Unavailable("down")); }
  Status Write(const std::function<Status(db::Session&)>&) override { return Fail(Error::Unavailable("down")); }
  Status Ping() override { return Fail(Error::Unavailable("down")); }
  db::PoolStats Stats() const override { return {}; }

 private:
  db::Backend backend_;
};

constexpr db::Query kInsertUser{
    "test.insert_user",
    "INSERT INTO users (id, email, display_name, role, centre_id, password_hash, created_at, updated_at) "
    "VALUES ($1, $2, $1, $3, $4, 'x', 0, 0)"};

Principal User(std::string id, Role role, std::string centre) {
  Principal p;
  p.user_id = std::move(id);
  p.role = role;
  p.centre_id = std::move(centre);
  return p;
}

class CasesServiceTest : public dbtest::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<db::Migration> all;
    // stats::Migrations: version 600 adds the clients' reporting columns (residence status, abroad).
    for (auto span : {directory::Migrations(), auth::Migrations(), audit::Migrations(), Migrations(),
                      stats::Migrations()}) {
      all.insert(all.end(), span.begin(), span.end());
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    Must(db::Migrate(db(), all));
    guard_ = std::make_unique<NestingGuard>(db());
    directory_ = std::make_unique<directory::Service>(directory::MakeSqlStore(*guard_));
    Must(directory_->ImportSeedIfEmpty());
    Must(db().Write([](db::Session& s) -> Status {
      for (const auto& [id, role] : {std::pair{"usr_a", "advisor"}, std::pair{"usr_b", "advisor"},
                                     std::pair{"usr_lead", "centre_lead"}}) {
        FD_TRY(s.Exec(kInsertUser, {std::string(id), std::string(id) + "@example.org", std::string(role),
                                    std::string("centre-be-1")}));
      }
      return {};
    }));
    keyring_ = crypto::Keyring::Ephemeral();
    service_ = std::make_unique<Service>(*guard_, *directory_, *keyring_, Options{});
    Must(service_->SeedReferenceData());
  }

  Case NewCase(const Principal& p, std::optional<std::string> assignee = std::nullopt) {
    Client client;
    client.nationality = "SY";
    client.personal.name = "Amina Beispiel";
    client.personal.email = "amina@example.org";
    client.personal.phone = "+49 30 1234567";
    client_ = Must(service_->CreateClient(p, client));
    Case c;
    c.client_id = client_.id;
    c.topics = {"wages"};
    c.assignee_id = std::move(assignee);
    return Must(service_->CreateCase(p, c));
  }

  std::unique_ptr<NestingGuard> guard_;
  std::unique_ptr<directory::Service> directory_;
  std::unique_ptr<crypto::Keyring> keyring_;
  std::unique_ptr<Service> service_;
  Client client_;
  Principal advisor_ = User("usr_a", Role::kAdvisor, "centre-be-1");
  Principal colleague_ = User("usr_b", Role::kAdvisor, "centre-be-1");
  Principal lead_ = User("usr_lead", Role::kCentreLead, "centre-be-1");
};

// Review finding 2: changing a case's topics checked them with a Read inside the Write.
TEST_P(CasesServiceTest, UpdateCaseMakesNoNestedDatabaseCall) {
  Case k = NewCase(advisor_);
  auto updated = service_->UpdateCase(advisor_, k.id, IfMatch{}, [](Case& c) -> Status {
    c.topics = {"wages", "leave"};
    return {};
  });
  ASSERT_TRUE(updated) << updated.error().internal;
  EXPECT_EQ(updated->c.topics, (std::vector<std::string>{"wages", "leave"}));
  auto invalid = service_->UpdateCase(advisor_, k.id, IfMatch{}, [](Case& c) -> Status {
    c.topics = {"no_such_topic"};
    return {};
  });
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().kind, ErrorKind::kInvalid);
  EXPECT_EQ(guard_->nested, 0);
}

// Review finding 4: escalations go to the competence centre and must not identify the client.
TEST(IdentifiesClient, NameCodeEmailPhone) {
  Client c;
  c.code = "BE-2026-AB12";
  c.personal.name = "Amina Beispiel";
  c.personal.email = "amina@example.org";
  c.personal.phone = "+49 30 1234567";
  EXPECT_TRUE(IdentifiesClient("Frau amina beispiel fragt", c));
  EXPECT_TRUE(IdentifiesClient("Frau Beispiel fragt", c));
  EXPECT_TRUE(IdentifiesClient("Fall be-2026-ab12", c));
  EXPECT_TRUE(IdentifiesClient("Mail: Amina@Example.org", c));
  EXPECT_TRUE(IdentifiesClient("Tel. 030 / 123 45 67", c));
  EXPECT_TRUE(IdentifiesClient("Tel. +49-30-1234567", c));
  EXPECT_FALSE(IdentifiesClient("Saisonkraft, Unterkunft verrechnet; Beispielrechnung 1.200 EUR", c));
  EXPECT_FALSE(IdentifiesClient("Lohn 1234 EUR, 567 Stunden", c));
  Client pseudonymous;
  pseudonymous.code = "BE-2026-XY34";
  EXPECT_FALSE(IdentifiesClient("s", pseudonymous));
}

TEST_P(CasesServiceTest, EscalationTextsMustNotIdentifyTheClient) {
  Case k = NewCase(advisor_);
  Escalation e;
  e.summary = "Saisonkraft, Frau Beispiel, Unterkunft verrechnet";
  e.question = "Zulässig? Rückruf unter 030 1234567";
  auto refused = service_->CreateEscalation(advisor_, k.id, e);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::kInvalid);
  ASSERT_EQ(refused.error().errors.size(), 2u);
  EXPECT_EQ(refused.error().errors[0].field, "summary");
  EXPECT_EQ(refused.error().errors[1].field, "question");
  EXPECT_EQ(refused.error().errors[0].message.find("Beispiel"), std::string::npos);
  e.summary = "Saisonkraft, Unterkunft verrechnet";
  e.question = "Zulässig?";
  auto created = Must(service_->CreateEscalation(advisor_, k.id, e));
  auto message = service_->AddMessage(advisor_, created.id, "Code " + client_.code);
  ASSERT_FALSE(message);
  ASSERT_EQ(message.error().errors.size(), 1u);
  EXPECT_EQ(message.error().errors[0].field, "body");
  Must(service_->AddMessage(advisor_, created.id, "Noch offen: Frist?"));
  EXPECT_EQ(guard_->nested, 0);
}

// Review finding 10: a case read loads the messages of all its escalations in one query.
TEST_P(CasesServiceTest, GetCaseLoadsEscalationMessagesInOneQuery) {
  Case k = NewCase(advisor_);
  for (int i = 0; i < 3; ++i) {
    Escalation e;
    e.summary = "Saisonkraft " + std::to_string(i);
    e.question = "Zulässig?";
    auto created = Must(service_->CreateEscalation(advisor_, k.id, e));
    Must(service_->AddMessage(advisor_, created.id, "erste Nachricht " + std::to_string(i)));
    Must(service_->AddMessage(advisor_, created.id, "zweite Nachricht " + std::to_string(i)));
  }
  guard_->counts.clear();
  auto detail = Must(service_->GetCase(advisor_, k.id));
  ASSERT_EQ(detail.escalations.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(detail.escalations[i].messages.size(), 2u);
    EXPECT_EQ(detail.escalations[i].messages[0].escalation_id, detail.escalations[i].id);
  }
  int message_queries = 0;
  for (const auto& [name, n] : guard_->counts) {
    if (name.find("message") != std::string::npos) message_queries += n;
  }
  EXPECT_EQ(message_queries, 1);
}

// Review finding 7: only centre leads reassign; an advisor may only take an unassigned case.
TEST_P(CasesServiceTest, OnlyCentreLeadsReassign) {
  auto assign = [&](const Principal& who, const std::string& id, std::optional<std::string> to) {
    return service_->UpdateCase(who, id, IfMatch{}, [&](Case& c) -> Status {
      c.assignee_id = to;
      return {};
    });
  };
  Case k = NewCase(advisor_);
  ASSERT_EQ(k.assignee_id, std::optional<std::string>("usr_a"));
  auto take_over = assign(colleague_, k.id, "usr_b");
  ASSERT_FALSE(take_over);
  EXPECT_EQ(take_over.error().kind, ErrorKind::kForbidden);
  auto unassign = assign(colleague_, k.id, std::nullopt);
  ASSERT_FALSE(unassign);
  EXPECT_EQ(unassign.error().kind, ErrorKind::kForbidden);
  auto own_unassign = assign(advisor_, k.id, std::nullopt);
  ASSERT_FALSE(own_unassign);
  EXPECT_EQ(own_unassign.error().kind, ErrorKind::kForbidden);
  // The lead reassigns and unassigns; then an advisor may take the unassigned case.
  Case reassigned = Must(assign(lead_, k.id, "usr_b")).c;
  EXPECT_EQ(reassigned.assignee_id, std::optional<std::string>("usr_b"));
  EXPECT_EQ(reassigned.assignee_name, std::optional<std::string>("usr_b"));  // the new assignee's name
  Case unassigned = Must(assign(lead_, k.id, std::nullopt)).c;
  EXPECT_FALSE(unassigned.assignee_id);
  EXPECT_FALSE(unassigned.assignee_name);
  auto give = assign(advisor_, k.id, "usr_b");
  ASSERT_FALSE(give);
  EXPECT_EQ(give.error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(Must(assign(advisor_, k.id, "usr_a")).c.assignee_id, std::optional<std::string>("usr_a"));
}

// The case list shows the client's code and the assignee's name: joined in the list query, not
// read per row.
TEST_P(CasesServiceTest, CaseListJoinsClientCodeAndAssigneeName) {
  Case mine = NewCase(advisor_);
  const std::string code = client_.code;
  EXPECT_EQ(mine.client_code, std::optional<std::string>(code));
  EXPECT_EQ(mine.assignee_name, std::optional<std::string>("usr_a"));  // the test users' names are their ids
  NewCase(lead_, "usr_b");
  NewCase(lead_);
  guard_->counts.clear();
  auto page = Must(service_->ListCases(lead_, CaseFilter{}));
  ASSERT_EQ(page.items.size(), 3u);
  for (const Case& c : page.items) {
    EXPECT_TRUE(c.client_code && !c.client_code->empty());
    EXPECT_EQ(c.assignee_name, c.assignee_id);
  }
  std::vector<std::string> names;
  for (const Case& c : page.items) names.push_back(c.assignee_name.value_or(""));
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"usr_a", "usr_b", "usr_lead"}));
  int case_queries = 0, other_queries = 0;
  for (const auto& [name, n] : guard_->counts) {
    if (name.rfind("cases.list_cases", 0) == 0) case_queries += n;
    else if (name.rfind("audit.", 0) != 0) other_queries += n;
  }
  EXPECT_EQ(case_queries, 1);
  EXPECT_EQ(other_queries, 0);
  EXPECT_EQ(Must(service_->GetCase(lead_, mine.id)).c.client_code, std::optional<std::string>(code));
}

// The list without filters (its own query texts, issue 13) pages through every case of the centre
// exactly once, newest first with the id deciding ties of the same second, like the filtered list.
TEST_P(CasesServiceTest, PlainCaseListPagesLikeTheFilteredList) {
  std::vector<Case> made;
  for (int i = 0; i < 5; ++i) made.push_back(NewCase(advisor_));
  std::sort(made.begin(), made.end(), [](const Case& a, const Case& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  });
  auto pages = [&](CaseFilter f) {
    std::vector<std::string> ids;
    f.limit = 2;
    for (int n = 0; n < 10; ++n) {
      auto page = Must(service_->ListCases(advisor_, f));
      for (const Case& c : page.items) ids.push_back(c.id);
      if (!page.next_cursor) break;
      f.cursor = page.next_cursor;
    }
    return ids;
  };
  guard_->counts.clear();
  std::vector<std::string> plain = pages(CaseFilter{});
  std::vector<std::string> expected;
  for (const Case& c : made) expected.push_back(c.id);
  EXPECT_EQ(plain, expected);
  EXPECT_EQ(guard_->counts["cases.list_cases_plain_3"], 1);  // a page of 2 and one more
  EXPECT_EQ(guard_->counts["cases.list_cases_plain_after_3"], 2);
  CaseFilter active;
  active.status = "active";
  EXPECT_EQ(pages(active), expected);
}

// Review finding 9: retention in batches; clients left without a live case are anonymised,
// including clients who never had a case.
TEST_P(CasesServiceTest, RetentionAnonymisesOldCasesAndClientsWithoutCases) {
  Case k = NewCase(advisor_);
  Client with_case = client_;
  Must(service_->UpdateCase(advisor_, k.id, IfMatch{}, [](Case& c) -> Status {
    c.status = "closed";
    c.outcome = Outcome{};
    c.outcome->no_further_action = true;
    c.closing_reason = "resolved";
    return {};
  }));
  Client lone;
  lone.nationality = "UA";
  lone.personal.name = "Olena Ohnefall";
  lone = Must(service_->CreateClient(advisor_, lone));
  Case open = NewCase(advisor_);  // an open case keeps its client
  Client active = client_;

  clock::SetOffsetSeconds(4 * 366 * 86400);
  auto report = service_->RunRetention(false);
  auto again = service_->RunRetention(false);
  clock::SetOffsetSeconds(0);
  ASSERT_TRUE(report) << report.error().internal;
  EXPECT_EQ(report->case_ids, std::vector<std::string>{k.id});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->case_ids.empty());
  EXPECT_TRUE(Must(service_->GetCase(advisor_, k.id)).c.anonymised_at);
  EXPECT_FALSE(Must(service_->GetCase(advisor_, open.id)).c.anonymised_at);
  auto gone = Must(service_->GetClient(advisor_, with_case.id));
  EXPECT_TRUE(gone.anonymised_at);
  EXPECT_FALSE(gone.personal.name);
  EXPECT_EQ(gone.nationality, std::optional<std::string>("SY"));
  auto lone_after = Must(service_->GetClient(advisor_, lone.id));
  EXPECT_TRUE(lone_after.anonymised_at);
  EXPECT_FALSE(lone_after.personal.name);
  auto kept = Must(service_->RevealClient(advisor_, active.id));
  EXPECT_FALSE(kept.anonymised_at);
  EXPECT_EQ(kept.personal.name, std::optional<std::string>("Amina Beispiel"));
  EXPECT_EQ(guard_->nested, 0);
}

// Review finding 8: a directory that cannot be read is a 503, not an exception from
// errors.at(0) of an error without field errors.
TEST_P(CasesServiceTest, RoutingRulesPassAnUnavailableDirectoryThrough) {
  UnreachableDatabase down(db().backend());
  directory::Service unreachable(directory::MakeSqlStore(down));
  Service service(*guard_, unreachable, *keyring_, Options{});
  auto rules = Must(service.RoutingRules());
  ASSERT_FALSE(rules.empty());
  rules.front().target = "trade_union";
  rules.front().organisation_id = "org-some-union";
  Status st;
  ASSERT_NO_THROW(st = service.ReplaceRoutingRules(lead_, rules));
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::kUnavailable);
}

FAIRDESK_INSTANTIATE_BACKENDS(CasesServiceTest);

}  // namespace

// Store contract (both databases): versions guard updates, the blind index finds returning
// clients, history and saved filters round-trip.
TEST_P(CasesServiceTest, StaleVersionsAreRefusedAndNothingChanges) {
  Case k = NewCase(advisor_);
  IfMatch stale{{MakeETag(k.id, k.version)}};
  auto first = service_->UpdateCase(advisor_, k.id, stale, [](Case& c) -> Status {
    c.priority = "high";
    return {};
  });
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_EQ(first->c.version, k.version + 1);
  auto second = service_->UpdateCase(advisor_, k.id, stale, [](Case& c) -> Status {
    c.priority = "low";
    return {};
  });
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, ErrorKind::kStale);
  EXPECT_EQ(Must(service_->GetCase(advisor_, k.id)).c.priority, "high");
  EXPECT_EQ(guard_->nested, 0);
}

TEST_P(CasesServiceTest, BlindIndexFindsReturningClientsWithoutDecrypting) {
  NewCase(advisor_);  // Amina Beispiel, +49 30 1234567, amina@example.org
  auto find = [&](std::string q) {
    ClientQuery query;
    query.q = std::move(q);
    auto page = Must(service_->ListClients(advisor_, query));
    std::vector<std::string> ids;
    for (const auto& c : page.items) ids.push_back(c.id);
    return ids;
  };
  const std::vector<std::string> want{client_.id};
  EXPECT_EQ(find("amina   BEISPIEL"), want);
  EXPECT_EQ(find("Beispiel"), want);
  EXPECT_EQ(find("030 123 45 67"), want);
  EXPECT_EQ(find("AMINA@example.org"), want);
  EXPECT_TRUE(find("Amina Beispie").empty());
  // The index holds keyed hashes only: no plaintext of the name in it.
  Must(db().Read([&](db::Session& s) -> Status {
    static constexpr db::Query kAll{"test.search_index", "SELECT hash FROM client_search_index"};
    for (const auto& r : FD_TRY(s.Query(kAll))) {
      EXPECT_EQ(r.Text(0).find("beispiel"), std::string::npos);
      EXPECT_EQ(r.Text(0).size(), 22u);
    }
    return {};
  }));
  EXPECT_EQ(guard_->nested, 0);
}

TEST_P(CasesServiceTest, CorrectionsKeepTheEarlierVersion) {
  Case k = NewCase(advisor_);
  Consultation con;
  con.date = "2026-01-05";
  con.duration_minutes = 30;
  con.channel = "phone";
  con.language = "ar";
  con.notes = "alt";
  con = Must(service_->AddConsultation(advisor_, k.id, con));
  Correction fix;
  fix.reason = "Tippfehler";
  auto corrected = Must(service_->CorrectConsultation(lead_, con.id, fix, [](Consultation& c) -> Status {
    c.notes = "neu";
    return {};
  }));
  EXPECT_TRUE(corrected.marks.corrected_at);
  EXPECT_EQ(corrected.marks.corrected_by, std::optional<std::string>("usr_lead"));
  auto history = Must(service_->CaseHistory(advisor_, k.id));
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].action, "correct");
  EXPECT_NE(history[0].before_json->find("\"alt\""), std::string::npos);
  EXPECT_EQ(history[0].reason, std::optional<std::string>("Tippfehler"));
  Correction no_reason;
  auto refused = service_->CorrectConsultation(colleague_, con.id, no_reason, [](Consultation& c) -> Status {
    c.notes = "x";
    return {};
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::kForbidden);  // not the author, not the lead
}

TEST_P(CasesServiceTest, SavedFiltersBelongToTheirUser) {
  auto f = Must(service_->SaveFilter(advisor_, std::nullopt, "Meine", "assignee=me"));
  EXPECT_EQ(Must(service_->SavedFilters(advisor_)).size(), 1u);
  EXPECT_TRUE(Must(service_->SavedFilters(colleague_)).empty());
  EXPECT_FALSE(service_->DeleteSavedFilter(colleague_, f.id));
  EXPECT_TRUE(service_->DeleteSavedFilter(advisor_, f.id));
}


// Issue 13: a search by case number or client code (any case, whole or its beginning) is answered
// through the indexes of migration 412, on both databases; other text still searches the topics.
TEST_P(CasesServiceTest, SearchFindsCasesByNumberClientCodeAndWord) {
  Case first = NewCase(advisor_);
  const std::string first_code = client_.code;
  Case second = NewCase(advisor_);
  Must(service_->UpdateCase(advisor_, second.id, IfMatch{}, [](Case& c) -> Status {
    c.topics = {"dismissal"};
    return {};
  }));
  auto search = [&](std::string q) {
    CaseFilter f;
    f.q = std::move(q);
    guard_->counts.clear();
    std::vector<std::string> ids;
    for (const Case& c : Must(service_->ListCases(lead_, f)).items) ids.push_back(c.id);
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  auto lower = [](std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  };
  const std::vector<std::string> only_first{first.id};
  EXPECT_EQ(search(first.number), only_first);
  EXPECT_EQ(guard_->counts["cases.list_cases_by_key"], 1);
  EXPECT_EQ(guard_->counts["cases.list_cases"], 0);
  EXPECT_EQ(search(" " + lower(first.number) + " "), only_first);
  EXPECT_EQ(search(first_code), only_first);
  EXPECT_EQ(search(lower(first_code)), only_first);
  EXPECT_EQ(guard_->counts["cases.list_cases_by_key"], 1);
  // A beginning shared by both numbers (state and year) finds both; one beyond finds none.
  std::vector<std::string> both{first.id, second.id};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(search(lower(first.number.substr(0, 7))), both);
  EXPECT_EQ(search(first.number + "9"), std::vector<std::string>{});
  // A word of a topic label is free text (through the trigram indexes of migration 413), in any case.
  EXPECT_EQ(search("DISMISSAL"), std::vector<std::string>{second.id});
  EXPECT_EQ(guard_->counts["cases.list_cases_by_text"], 1);
  EXPECT_EQ(guard_->counts["cases.list_cases"], 0);
  EXPECT_EQ(search("Kündigung"), std::vector<std::string>{second.id});
  EXPECT_EQ(search("ndigun"), std::vector<std::string>{second.id});  // inside a word
  EXPECT_EQ(search("wages"), only_first);
  EXPECT_EQ(search("lohn gehalt"), std::vector<std::string>{});  // a substring, not two words
  // Inside a client code (not its beginning): the client-code index.
  EXPECT_EQ(search(first_code.substr(3)), only_first);
  EXPECT_EQ(guard_->counts["cases.list_cases_by_text"], 1);
  // LIKE's wildcards and quotes are plain characters.
  EXPECT_EQ(search("w_ges"), std::vector<std::string>{});
  EXPECT_EQ(search("%ages"), std::vector<std::string>{});
  EXPECT_EQ(search("\"wages"), std::vector<std::string>{});
  // Fewer than three characters: no trigram to look up; the centre's cases are filtered.
  EXPECT_EQ(search("ü"), std::vector<std::string>{second.id});
  EXPECT_EQ(guard_->counts["cases.list_cases"], 1);
  EXPECT_EQ(guard_->counts["cases.list_cases_by_text"], 0);
}

// The free-text search reads the trigram indexes (FTS5 on SQLite; on PostgreSQL the GIN index of
// centre and text, migration 414, and pg_trgm's of the client codes), not the centre's cases
// filtered row by row; a case whose text changes is found by its new text only.
TEST_P(CasesServiceTest, SearchByTextUsesTheTrigramIndexes) {
  Case c = NewCase(advisor_);
  auto search = [&](std::string q) {
    CaseFilter f;
    f.q = std::move(q);
    std::vector<std::string> ids;
    for (const Case& k : Must(service_->ListCases(lead_, f)).items) ids.push_back(k.id);
    return ids;
  };
  EXPECT_EQ(search("wages"), std::vector<std::string>{c.id});
  Must(service_->UpdateCase(advisor_, c.id, IfMatch{}, [](Case& k) -> Status {
    k.topics = {"dismissal"};
    return {};
  }));
  EXPECT_EQ(search("wages"), std::vector<std::string>{});
  EXPECT_EQ(search("dismissal"), std::vector<std::string>{c.id});

  const db::Query* q = CaseTextSearchQuery("-created");
  ASSERT_NE(q, nullptr);
  const std::string_view sql = !IsPostgres() && !q->sqlite_sql.empty() ? q->sqlite_sql : q->sql;
  const std::string text = std::string(IsPostgres() ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + std::string(sql);
  const db::Query explain{"test.explain_case_search_by_text", text, text};
  std::vector<db::Value> p = {std::string("centre-be-1"), db::Null(), db::Null(), db::Null(),
                              std::string("%dismissal%"), db::Null(), db::Null(), std::int64_t{51},
                              db::Null(), db::Null(), db::Null(), db::Null(), db::Null(), std::int64_t{0},
                              std::string("\"dismissal\"")};
  std::string plan;
  if (IsPostgres()) {
    // A table of a few rows would be read whole, or the centre's few cases walked through any
    // index that has the centre, whatever the text's index (at 1M cases the planner takes that
    // one by itself). So the plan is asked for in a transaction that prices out sequential scans and
    // drops the other indexes with the centre, and is rolled back: it shows that the centre and the
    // text are served together by one index.
    auto rolled_back = db().Write([&](db::Session& s) -> Status {
      FD_TRY(s.Exec(db::Query{"test.no_seqscan", "SET LOCAL enable_seqscan = off"}));
      FD_TRY(s.Exec(db::Query{"test.no_centre_index",
                              "DROP INDEX cases_centre, cases_centre_number, cases_centre_updated, cases_centre_status"}));
      FD_TRY(s.Exec(db::Query{"test.no_centre_key", "ALTER TABLE cases DROP CONSTRAINT cases_id_centre_id_key CASCADE"}));
      for (const auto& row : FD_TRY(s.Query(explain, p))) plan += row.Text(row.size() - 1) + "\n";
      return Fail(Error::Conflict("rolled back on purpose"));
    });
    EXPECT_FALSE(rolled_back.has_value());
  } else {
    Must(db().Read([&](db::Session& s) -> Status {
      for (const auto& row : FD_TRY(s.Query(explain, p))) plan += row.Text(row.size() - 1) + "\n";
      return {};
    }));
  }
  if (IsPostgres()) {
    EXPECT_NE(plan.find("cases_centre_search_trgm"), std::string::npos) << plan;
    EXPECT_NE(plan.find("clients_code_trgm"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("Seq Scan on cases"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("Seq Scan on clients"), std::string::npos) << plan;
  } else {
    EXPECT_NE(plan.find("SCAN cases_search VIRTUAL TABLE INDEX"), std::string::npos) << plan;
    EXPECT_NE(plan.find("SCAN clients_search VIRTUAL TABLE INDEX"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN k\n"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN c2"), std::string::npos) << plan;
  }
}

// Issue 13: the free-text search through the trigram indexes answers, in every order, page and
// with other filters, what the list filtered by LIKE alone answers (on PostgreSQL the matches are
// filtered, ordered and cut before the page is joined; a match by the search text and one by the
// client's code are both found, and a case matching by both is listed once).
TEST_P(CasesServiceTest, SearchByTextAnswersWhatTheFilteredListAnswers) {
  for (int i = 0; i < 7; ++i) {
    Case c = NewCase(i % 3 == 0 ? colleague_ : advisor_, i % 3 == 0 ? std::optional<std::string>("usr_b") : std::nullopt);
    Must(service_->UpdateCase(advisor_, c.id, IfMatch{}, [i](Case& k) -> Status {
      k.topics = i % 2 == 0 ? std::vector<std::string>{"dismissal"} : std::vector<std::string>{"wages", "dismissal"};
      k.priority = i % 3 == 0 ? "urgent" : i % 3 == 1 ? "low" : "high";
      return {};
    }));
  }
  std::string code = client_.code.substr(3);  // the last client's code after its state: only that client's
  for (auto& ch : code) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto ids = [&](const db::Query& q, const std::vector<db::Value>& p) {
    std::vector<std::string> out;
    Must(db().Read([&](db::Session& s) -> Status {
      for (const auto& r : FD_TRY(s.Query(q, p))) out.push_back(r.Text(0));
      return {};
    }));
    return out;
  };
  const std::vector<std::string> sorts = {"-created", "created", "-updated", "updated", "number", "-number",
                                          "priority", "-priority", "next_deadline", "-next_deadline", "status"};
  for (const std::string text : {"dismissal", "wages", code.c_str(), "-20"}) {
    for (const db::Value assignee : {db::Null(), db::Value{std::string("usr_b")}}) {
      for (const auto& sort : sorts) {
        for (std::int64_t offset : {0, 3, 6}) {
          std::vector<db::Value> p = {std::string("centre-be-1"), db::Null(), db::Null(), assignee,
                                      "%" + text + "%", db::Null(), db::Null(), std::int64_t{3},
                                      db::Null(), db::Null(), db::Null(), db::Null(), db::Null(), offset};
          const auto plain = ids(*CaseListQuery(sort, false), p);
          p.emplace_back("\"" + text + "\"");
          const auto found = ids(*CaseTextSearchQuery(sort), p);
          EXPECT_EQ(found, plain) << text << " " << sort << " offset " << offset;
          if (offset == 0 && text != "wages" && !std::holds_alternative<std::string>(assignee)) {
            EXPECT_EQ(found.size(), text == code ? 1u : 3u) << text << " " << sort;
          }
        }
      }
    }
  }
}

// Issue 13: the list sorted by number, last change or status (either direction) reads an index in
// that order (migration 415): no sort of the centre's cases (EXPLAIN QUERY PLAN on SQLite; EXPLAIN
// on PostgreSQL with sequential scans and sorts priced out, as a table of a few rows would otherwise
// be read whole and sorted whatever the indexes).
TEST_P(CasesServiceTest, SortedListsReadAnIndexInOrder) {
  NewCase(advisor_);
  const std::vector<std::pair<std::string, std::string>> sorts = {
      {"number", "cases_centre_number"},   {"-number", "cases_centre_number"},
      {"updated", "cases_centre_updated"}, {"-updated", "cases_centre_updated"},
      {"status", "cases_centre_status"}};
  for (const auto& [sort, index] : sorts) {
    const db::Query* q = CaseListQuery(sort, false);
    ASSERT_NE(q, nullptr);
    const std::string text = std::string(IsPostgres() ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + std::string(q->sql);
    const db::Query explain{"test.explain_sorted_case_list", text};
    std::vector<db::Value> p = {std::string("centre-be-1"), db::Null(), db::Null(), db::Null(),
                                db::Null(), db::Null(), db::Null(), std::int64_t{51},
                                db::Null(), db::Null(), db::Null(), db::Null(), db::Null(), std::int64_t{0}};
    std::string plan;
    Must(db().Read([&](db::Session& s) -> Status {
      if (IsPostgres()) FD_TRY(s.Exec(db::Query{"test.no_seqscan_sort", "SET enable_seqscan = off"}));
      if (IsPostgres()) FD_TRY(s.Exec(db::Query{"test.no_sort", "SET enable_sort = off"}));
      auto rows = s.Query(explain, p);
      if (IsPostgres()) FD_TRY(s.Exec(db::Query{"test.seqscan", "RESET enable_seqscan"}));
      if (IsPostgres()) FD_TRY(s.Exec(db::Query{"test.sort", "RESET enable_sort"}));
      for (const auto& row : FD_TRY(std::move(rows))) plan += row.Text(row.size() - 1) + "\n";
      return {};
    }));
    EXPECT_NE(plan.find(index), std::string::npos) << sort << "\n" << plan;
    if (IsPostgres()) {
      EXPECT_EQ(plan.find("Sort"), std::string::npos) << sort << "\n" << plan;
    } else {
      EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << sort << "\n" << plan;
    }
  }
}

// The search by number/code reads the indexes, not the centre's cases (EXPLAIN QUERY PLAN on
// SQLite; EXPLAIN on PostgreSQL with sequential scans priced out, as a table of a few rows would
// otherwise be read whole whatever the indexes).
TEST_P(CasesServiceTest, SearchByNumberOrCodeUsesTheIndexes) {
  NewCase(advisor_);
  const db::Query* q = CaseListQuery("-created", true);
  ASSERT_NE(q, nullptr);
  const std::string text = std::string(IsPostgres() ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + std::string(q->sql);
  const db::Query explain{"test.explain_case_search_by_key", text};
  std::vector<db::Value> p = {std::string("centre-be-1"), db::Null(), db::Null(), db::Null(),
                              db::Null(), db::Null(), db::Null(), std::int64_t{51},
                              db::Null(), db::Null(), db::Null(), db::Null(), db::Null(), std::int64_t{0},
                              std::string("be-2026"), std::string("be-2027")};
  std::string plan;
  Must(db().Read([&](db::Session& s) -> Status {
    if (IsPostgres()) FD_TRY(s.Exec(db::Query{"test.no_seqscan", "SET enable_seqscan = off"}));
    auto rows = s.Query(explain, p);
    if (IsPostgres()) FD_TRY(s.Exec(db::Query{"test.seqscan", "RESET enable_seqscan"}));
    for (const auto& row : FD_TRY(std::move(rows))) plan += row.Text(row.size() - 1) + "\n";
    return {};
  }));
  EXPECT_NE(plan.find("cases_number_search"), std::string::npos) << plan;
  EXPECT_NE(plan.find("clients_code_search"), std::string::npos) << plan;
  if (IsPostgres()) {
    EXPECT_EQ(plan.find("Seq Scan on cases"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("cases_centre"), std::string::npos) << plan;
  } else {
    EXPECT_EQ(plan.find("SCAN k"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("cases_centre"), std::string::npos) << plan;
  }
}

}  // namespace fairdesk::cases
