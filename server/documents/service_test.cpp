// Documents on both backends: access by centre, encryption at rest, auditing, and
// re-encryption after a key rotation.

#include <gtest/gtest.h>

#include "audit/audit.hpp"
#include "db/backends.hpp"
#include "documents/documents.hpp"

namespace fairdesk::documents {
namespace {
using dbtest::Must;

// The part of the cases module's schema documents depend on (the real table has more columns).
constexpr db::Migration kCasesStub[] = {
    {400, "cases stub",
     "CREATE TABLE cases (id TEXT PRIMARY KEY, centre_id TEXT NOT NULL, anonymised_at BIGINT, status TEXT NOT NULL "
     "DEFAULT 'open'); CREATE TABLE users (id TEXT PRIMARY KEY, display_name TEXT NOT NULL)",
     {}},
};
constexpr db::Query kInsertCase{"test.insert_case", "INSERT INTO cases (id, centre_id) VALUES ($1, $2)"};
constexpr db::Query kAnonymiseCase{"test.anonymise_case", "UPDATE cases SET anonymised_at = 1 WHERE id = $1"};
constexpr db::Query kMoveCase{"test.move_case", "UPDATE cases SET centre_id = $2 WHERE id = $1"};
constexpr db::Query kRawDocument{"test.raw_document", "SELECT filename_sealed, content_sealed FROM documents WHERE id = $1"};
constexpr db::Query kAuditActions{"test.audit_actions",
                                  "SELECT action, record_type, record_id FROM audit_log ORDER BY seq"};

Principal User(Role role, std::optional<std::string> centre) {
  Principal p;
  p.user_id = "usr_test";
  p.role = role;
  p.centre_id = std::move(centre);
  return p;
}

const std::string kText = "Lohnabrechnung März: 1.200,00 EUR brutto\n";

class DocumentsTest : public dbtest::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<db::Migration> all(std::begin(kCasesStub), std::end(kCasesStub));
    for (auto span : {audit::Migrations(), Migrations()}) all.insert(all.end(), span.begin(), span.end());
    Must(db::Migrate(db(), all));
    Must(db().Write([](db::Session& s) -> Status {
      FD_TRY(s.Exec(kInsertCase, {std::string("cas_be"), std::string("centre-be")}));
      FD_TRY(s.Exec(kInsertCase, {std::string("cas_by"), std::string("centre-by")}));
      return {};
    }));
    keyring_ = crypto::Keyring::Ephemeral();
    service_ = std::make_unique<Service>(db(), *keyring_, MakeSqlStore());
  }

  std::vector<std::string> AuditTrail() {
    std::vector<std::string> out;
    Must(db().Read([&](db::Session& s) -> Status {
      for (const auto& r : FD_TRY(s.Query(kAuditActions))) out.push_back(r.Text(0) + " " + r.Text(1) + " " + r.Text(2));
      return {};
    }));
    return out;
  }

  std::unique_ptr<crypto::Keyring> keyring_;
  std::unique_ptr<Service> service_;
  Principal advisor_be_ = User(Role::kAdvisor, "centre-be");
  Principal advisor_by_ = User(Role::kAdvisor, "centre-by");
};

// Review finding 1: no personal data may be added to a case retention or erasure anonymised.
TEST_P(DocumentsTest, UploadToAnonymisedCaseIsAConflict) {
  Must(db().Write([](db::Session& s) -> Status {
    FD_TRY(s.Exec(kAnonymiseCase, {std::string("cas_be")}));
    return {};
  }));
  auto doc = service_->Upload(advisor_be_, "cas_be", "text/plain", "Lohn.txt", kText);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(Must(service_->List(advisor_be_, "cas_be", 50, "")).items.size(), 0u);
  // Another centre still learns nothing about the case.
  auto other = service_->Upload(advisor_by_, "cas_be", "text/plain", "Lohn.txt", kText);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, ErrorKind::kNotFound);
}

TEST_P(DocumentsTest, WithdrawKeepsTheDocumentMarked) {
  auto doc = Must(service_->Upload(advisor_be_, "cas_be", "text/plain", "Lohn.txt", kText));
  auto no_reason = service_->Withdraw(advisor_be_, doc.id, "");
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().kind, ErrorKind::kInvalid);
  EXPECT_EQ(service_->Withdraw(advisor_by_, doc.id, "x").error().kind, ErrorKind::kNotFound);
  auto withdrawn = Must(service_->Withdraw(advisor_be_, doc.id, "falscher Fall"));
  EXPECT_TRUE(withdrawn.withdrawn_at);
  EXPECT_EQ(withdrawn.withdraw_reason, std::optional<std::string>("falscher Fall"));
  auto page = Must(service_->List(advisor_be_, "cas_be", 50, ""));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_TRUE(page.items[0].withdrawn_at);
  EXPECT_EQ(service_->Withdraw(advisor_be_, doc.id, "again").error().kind, ErrorKind::kConflict);
}

TEST_P(DocumentsTest, UploadListDownloadDelete) {
  auto doc = Must(service_->Upload(advisor_be_, "cas_be", "text/plain", "Lohn März – Nowak.txt", kText));
  EXPECT_EQ(doc.content_type, "text/plain");
  EXPECT_EQ(doc.size_bytes, static_cast<std::int64_t>(kText.size()));
  EXPECT_TRUE(doc.id.starts_with("doc_"));

  auto page = Must(service_->List(advisor_be_, "cas_be", 50, ""));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].filename, "Lohn März – Nowak.txt");
  EXPECT_FALSE(page.next_cursor);

  auto download = Must(service_->Fetch(advisor_be_, doc.id));
  EXPECT_EQ(download.content, kText);
  EXPECT_EQ(download.document.filename, "Lohn März – Nowak.txt");

  Must(service_->Remove(advisor_be_, doc.id));
  EXPECT_EQ(service_->Fetch(advisor_be_, doc.id).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(AuditTrail(), (std::vector<std::string>{"create document " + doc.id, "read case_documents cas_be",
                                                    "download document " + doc.id, "delete document " + doc.id}));
  EXPECT_TRUE(Must(audit::Service(audit::MakeSqlStore(db())).Verify()).intact);
}

TEST_P(DocumentsTest, NameAndContentAreEncryptedAtRest) {
  auto doc = Must(service_->Upload(advisor_be_, "cas_be", "text/plain", "Nowak.txt", kText));
  Must(db().Read([&](db::Session& s) -> Status {
    auto row = FD_TRY(s.One(kRawDocument, {doc.id}));
    auto name = row.Bytes(0).bytes;
    auto content = row.Bytes(1).bytes;
    std::string name_s(name.begin(), name.end()), content_s(content.begin(), content.end());
    EXPECT_EQ(name_s.find("Nowak"), std::string::npos);
    EXPECT_EQ(content_s.find("Lohnabrechnung"), std::string::npos);
    EXPECT_EQ(content_s.size(), kText.size() + crypto::kCiphertextOverhead);
    return {};
  }));
}

TEST_P(DocumentsTest, OtherCentresAndRolesSeeNothing) {
  auto doc = Must(service_->Upload(advisor_be_, "cas_be", "text/plain", "a.txt", kText));
  EXPECT_EQ(service_->Upload(advisor_by_, "cas_be", "text/plain", "a.txt", kText).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(service_->Upload(advisor_be_, "cas_missing", "text/plain", "a.txt", kText).error().kind,
            ErrorKind::kNotFound);
  EXPECT_EQ(service_->List(advisor_by_, "cas_be", 50, "").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(service_->Fetch(advisor_by_, doc.id).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(service_->Remove(advisor_by_, doc.id).error().kind, ErrorKind::kNotFound);
  for (Role role : {Role::kAdmin, Role::kStateCoordinator, Role::kProgramme}) {
    EXPECT_FALSE(service_->Fetch(User(role, "centre-be"), doc.id));
  }
  EXPECT_TRUE(service_->Fetch(User(Role::kCentreLead, "centre-be"), doc.id));

  // A transferred case takes its documents along; the old centre loses access.
  Must(db().Write([](db::Session& s) -> Status {
    FD_TRY(s.Exec(kMoveCase, {std::string("cas_be"), std::string("centre-by")}));
    return {};
  }));
  EXPECT_EQ(service_->Fetch(advisor_be_, doc.id).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(Must(service_->Fetch(advisor_by_, doc.id)).content, kText);
}

TEST_P(DocumentsTest, RefusedUploadsStoreNothing) {
  auto r = service_->Upload(advisor_be_, "cas_be", "application/pdf", "x.pdf", "just text\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().errors.at(0).field, "content_type");
  EXPECT_TRUE(Must(service_->List(advisor_be_, "cas_be", 50, "")).items.empty());
  EXPECT_EQ(AuditTrail().size(), 1u);  // the listing only
}

TEST_P(DocumentsTest, ListPages) {
  for (int i = 0; i < 5; ++i) {
    Must(service_->Upload(advisor_be_, "cas_be", "text/plain", "n" + std::to_string(i) + ".txt", kText));
  }
  auto first = Must(service_->List(advisor_be_, "cas_be", 2, ""));
  ASSERT_EQ(first.items.size(), 2u);
  ASSERT_TRUE(first.next_cursor);
  auto second = Must(service_->List(advisor_be_, "cas_be", 2, *first.next_cursor));
  auto third = Must(service_->List(advisor_be_, "cas_be", 2, *second.next_cursor));
  EXPECT_EQ(third.items.size(), 1u);
  EXPECT_FALSE(third.next_cursor);
  std::set<std::string> ids;
  for (const auto* p : {&first, &second, &third}) {
    for (const auto& d : p->items) ids.insert(d.id);
  }
  EXPECT_EQ(ids.size(), 5u);
  EXPECT_FALSE(service_->List(advisor_be_, "cas_be", 2, "garbage"));
}

TEST_P(DocumentsTest, ReencryptionAfterRotation) {
  auto doc = Must(service_->Upload(advisor_be_, "cas_be", "text/plain", "a.txt", kText));
  ASSERT_EQ(Must(keyring_->Rotate()), 2u);
  auto cols = EncryptedColumns();
  auto report = Must(ReencryptColumns(db(), *keyring_, cols));
  EXPECT_EQ(report.examined, 2);
  EXPECT_EQ(report.reencrypted, 2);
  Must(db().Read([&](db::Session& s) -> Status {
    auto row = FD_TRY(s.One(kRawDocument, {doc.id}));
    auto content = row.Bytes(1).bytes;
    EXPECT_EQ(crypto::Keyring::KeyIdOf(std::string(content.begin(), content.end())), 2u);
    return {};
  }));
  Must(keyring_->Drop(1));
  EXPECT_EQ(Must(service_->Fetch(advisor_be_, doc.id)).content, kText);
  // A second run has nothing left to do.
  EXPECT_EQ(Must(ReencryptColumns(db(), *keyring_, cols)).reencrypted, 0);
}

FAIRDESK_INSTANTIATE_BACKENDS(DocumentsTest);

}  // namespace
}  // namespace fairdesk::documents
