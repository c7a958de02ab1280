// The audit log on both backends: appending inside a transaction, the append-only triggers,
// tampering (changed, deleted, reordered entries) detected by Verify, and the list's scoping.

#include <gtest/gtest.h>

#include "audit/audit.hpp"
#include "db/backends.hpp"

#include <thread>

namespace fairdesk::audit {
namespace {
using dbtest::Must;

constexpr db::Query kDropTriggersSqlite1{"test.drop_trigger_1", "DROP TRIGGER audit_log_no_update"};
constexpr db::Query kDropTriggersSqlite2{"test.drop_trigger_2", "DROP TRIGGER audit_log_no_delete"};
constexpr db::Query kDropTriggerPg{"test.drop_trigger_pg", "DROP TRIGGER audit_log_no_change ON audit_log"};
constexpr db::Query kTamperAction{"test.tamper_action", "UPDATE audit_log SET action = 'update' WHERE seq = $1"};
constexpr db::Query kTamperDelete{"test.tamper_delete", "DELETE FROM audit_log WHERE seq = $1"};
constexpr db::Query kTamperMove{"test.tamper_move", "UPDATE audit_log SET seq = $2 WHERE seq = $1"};
constexpr db::Query kTamperIds{"test.tamper_ids",
                                "UPDATE audit_log SET record_ids = replace(record_ids, 'cas_7', 'cas_8') WHERE seq = $1"};
constexpr db::Query kCountIndex{"test.count_index", "SELECT COUNT(*) FROM audit_log_records"};
constexpr db::Query kOldIndexRow{"test.old_index_row", "INSERT INTO audit_log_records (record_id, seq) VALUES ($1, $2)"};
constexpr db::Query kBatchRow303{"test.batch_row_303",
                                  "INSERT INTO audit_log_records (record_id, seq, last_seq) VALUES ($1, $2, $3)"};
constexpr db::Query kForgetIndexed{"test.forget_indexed", "UPDATE audit_head SET indexed_seq = NULL"};
constexpr db::Query kPlainUpdate{"test.plain_update", "UPDATE audit_log SET action = 'update' WHERE seq = 1"};
constexpr db::Query kPlainDelete{"test.plain_delete", "DELETE FROM audit_log WHERE seq = 1"};

Principal Advisor(std::string id, std::string centre) {
  Principal p;
  p.user_id = std::move(id);
  p.role = Role::kAdvisor;
  p.centre_id = std::move(centre);
  return p;
}

class AuditTest : public dbtest::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Must(db::Migrate(db(), Migrations()));
    service_ = std::make_unique<Service>(MakeSqlStore(db()));
  }

  void RecordMany(int n) {
    for (int i = 1; i <= n; ++i) {
      Must(db().Write([&](db::Session& tx) -> Status {
        return Record(tx, Advisor("usr_" + std::to_string(i % 2), i % 2 ? "centre-be" : "centre-by"), kRead, "case",
                      "cas_" + std::to_string(i), i % 2 ? "centre-be" : "centre-by");
      }));
    }
  }

  void Tamper(const db::Query& q, std::vector<db::Value> params) {
    Must(db().Write([&](db::Session& tx) -> Status {
      if (!triggers_dropped_) {
        if (IsPostgres()) {
          FD_TRY(tx.Exec(kDropTriggerPg));
        } else {
          FD_TRY(tx.Exec(kDropTriggersSqlite1));
          FD_TRY(tx.Exec(kDropTriggersSqlite2));
        }
      }
      FD_TRY(tx.Exec(q, params));
      return {};
    }));
    triggers_dropped_ = true;
  }

  std::unique_ptr<Service> service_;
  bool triggers_dropped_ = false;
};

TEST_P(AuditTest, IntactChainVerifies) {
  auto empty = Must(service_->Verify());
  EXPECT_TRUE(empty.intact);
  EXPECT_EQ(empty.entries, 0);
  RecordMany(5);
  Must(db().Write([](db::Session& tx) { return RecordSystem(tx, kErase, "client", "cli_1"); }));
  auto r = Must(service_->Verify());
  EXPECT_TRUE(r.intact) << r.reason;
  EXPECT_EQ(r.entries, 6);
  EXPECT_EQ(r.head_hash.size(), 64u);
}

TEST_P(AuditTest, EntryRollsBackWithTheCallersTransaction) {
  auto failed = db().Write([](db::Session& tx) -> Status {
    FD_TRY_VOID(Record(tx, Advisor("usr_1", "centre-be"), kUpdate, "case", "cas_1"));
    return Fail(Error::Conflict("the change failed"));
  });
  EXPECT_FALSE(failed);
  EXPECT_EQ(Must(service_->Verify()).entries, 0);
  RecordMany(1);
  EXPECT_TRUE(Must(service_->Verify()).intact);
}

TEST_P(AuditTest, RefusesUnknownActionsAndTypes) {
  auto p = Advisor("usr_1", "centre-be");
  EXPECT_FALSE(db().Write([&](db::Session& tx) { return Record(tx, p, "peek", "case", "cas_1"); }));
  EXPECT_FALSE(db().Write([&](db::Session& tx) { return Record(tx, p, kRead, "Case; DROP", "cas_1"); }));
  EXPECT_FALSE(db().Write([&](db::Session& tx) { return Record(tx, p, kRead, "case", ""); }));
  EXPECT_EQ(Must(service_->Verify()).entries, 0);
}

TEST_P(AuditTest, TriggersRefuseUpdateAndDelete) {
  RecordMany(2);
  EXPECT_FALSE(db().Write([](db::Session& tx) -> Status {
    FD_TRY(tx.Exec(kPlainUpdate));
    return {};
  }));
  EXPECT_FALSE(db().Write([](db::Session& tx) -> Status {
    FD_TRY(tx.Exec(kPlainDelete));
    return {};
  }));
  EXPECT_TRUE(Must(service_->Verify()).intact);
}

TEST_P(AuditTest, ChangedEntryIsDetectedAtItsSeq) {
  RecordMany(5);
  Tamper(kTamperAction, {std::int64_t{3}});
  auto r = Must(service_->Verify());
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.broken_seq, 3);
}

TEST_P(AuditTest, DeletedEntryIsDetected) {
  RecordMany(5);
  Tamper(kTamperDelete, {std::int64_t{2}});
  auto r = Must(service_->Verify());
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.broken_seq, 2);
}

TEST_P(AuditTest, DeletedLastEntryIsDetected) {
  RecordMany(5);
  Tamper(kTamperDelete, {std::int64_t{5}});
  auto r = Must(service_->Verify());
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.broken_seq, 5);
}

TEST_P(AuditTest, ReorderedEntriesAreDetected) {
  RecordMany(5);
  // Swaps entries 2 and 3 (through -1: seq is the primary key).
  Tamper(kTamperMove, {std::int64_t{2}, std::int64_t{-1}});
  Tamper(kTamperMove, {std::int64_t{3}, std::int64_t{2}});
  Tamper(kTamperMove, {std::int64_t{-1}, std::int64_t{3}});
  auto r = Must(service_->Verify());
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.broken_seq, 2);
}

TEST_P(AuditTest, ConcurrentAppendsKeepOneChain) {
  auto other = Must(scratch().OpenAnother());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      db::Database& d = t % 2 ? *other : db();
      for (int i = 0; i < 10; ++i) {
        Must(d.Write([&](db::Session& tx) {
          return Record(tx, Advisor("usr_" + std::to_string(t), "centre-be"), kRead, "case", "cas_" + std::to_string(i));
        }));
      }
    });
  }
  for (auto& th : threads) th.join();
  auto r = Must(service_->Verify());
  EXPECT_TRUE(r.intact) << r.reason << " at " << r.broken_seq;
  EXPECT_EQ(r.entries, 40);
}

TEST_P(AuditTest, CentreLeadsSeeTheirCentreAdminsAll) {
  RecordMany(6);  // odd: centre-be, even: centre-by
  Principal lead;
  lead.user_id = "usr_lead";
  lead.role = Role::kCentreLead;
  lead.centre_id = "centre-be";
  auto page = Must(service_->List(lead, {}, 50, ""));
  ASSERT_EQ(page.items.size(), 3u);
  for (const auto& e : page.items) EXPECT_EQ(e.centre_id, "centre-be");
  EXPECT_EQ(page.items.front().seq, 5);  // newest first

  Principal admin;
  admin.user_id = "usr_admin";
  admin.role = Role::kAdmin;
  auto first = Must(service_->List(admin, {}, 4, ""));
  ASSERT_EQ(first.items.size(), 4u);
  ASSERT_TRUE(first.next_cursor);
  auto second = Must(service_->List(admin, {}, 4, *first.next_cursor));
  ASSERT_EQ(second.items.size(), 2u);
  EXPECT_FALSE(second.next_cursor);
  EXPECT_EQ(second.items.back().seq, 1);

  Filter by_record;
  by_record.record_type = "case";
  by_record.record_id = "cas_4";
  EXPECT_EQ(Must(service_->List(admin, by_record, 50, "")).items.size(), 1u);
  EXPECT_TRUE(Must(service_->List(lead, by_record, 50, "")).items.empty());

  Filter by_user;
  by_user.user_id = "usr_1";
  by_user.from = 0;
  by_user.until = 4102444800;
  EXPECT_EQ(Must(service_->List(admin, by_user, 50, "")).items.size(), 3u);

  EXPECT_FALSE(service_->List(admin, {}, 50, "x"));
  EXPECT_FALSE(service_->List(Advisor("usr_1", "centre-be"), {}, 50, ""));
}

TEST_P(AuditTest, EntriesOfOtherCentresOnTheLeadsRecordsAreVisible) {
  Must(db().Write([](db::Session& tx) {
    return Record(tx, Advisor("usr_cc", "centre-cc"), kRead, "escalation", "esc_1", std::string_view("centre-be"));
  }));
  Principal lead;
  lead.user_id = "usr_lead";
  lead.role = Role::kCentreLead;
  lead.centre_id = "centre-be";
  EXPECT_EQ(Must(service_->List(lead, {}, 50, "")).items.size(), 1u);
}

std::vector<ReadRef> Refs(const std::vector<std::string>& ids, std::string_view centre) {
  std::vector<ReadRef> out;
  for (const auto& id : ids) out.push_back({id, centre});
  return out;
}

TEST_P(AuditTest, AListIsOneEntryNamingEveryRecord) {
  std::vector<std::string> ids;
  for (int i = 0; i < 50; ++i) ids.push_back("cas_" + std::to_string(i));
  Must(RecordReads(db(), Advisor("usr_1", "centre-be"), "case", Refs(ids, "centre-be")));
  Must(RecordRead(db(), Advisor("usr_1", "centre-be"), "client", "cli_1", std::string_view("centre-be")));
  Must(RecordReads(db(), Advisor("usr_1", "centre-be"), "case", {}));  // nothing shown, nothing recorded
  auto r = Must(service_->Verify());
  EXPECT_TRUE(r.intact) << r.reason;
  EXPECT_EQ(r.entries, 2);

  Principal admin;
  admin.user_id = "usr_admin";
  admin.role = Role::kAdmin;
  auto all = Must(service_->List(admin, {}, 50, ""));
  ASSERT_EQ(all.items.size(), 2u);
  EXPECT_EQ(all.items[1].record_ids, ids);
  EXPECT_EQ(all.items[1].record_id, "cas_0");
  EXPECT_TRUE(all.items[0].record_ids.empty());  // one record: an ordinary entry
  // "Who saw cas_37" finds the list entry.
  Filter by_record;
  by_record.record_id = "cas_37";
  auto found = Must(service_->List(admin, by_record, 50, ""));
  ASSERT_EQ(found.items.size(), 1u);
  EXPECT_EQ(found.items[0].seq, 1);
  Principal lead;
  lead.user_id = "usr_lead";
  lead.role = Role::kCentreLead;
  lead.centre_id = "centre-be";
  EXPECT_EQ(Must(service_->List(lead, by_record, 50, "")).items.size(), 1u);
}

TEST_P(AuditTest, AListSpanningCentresIsOneEntryPerCentre) {
  std::vector<ReadRef> refs{{"esc_1", "centre-be"}, {"esc_2", "centre-by"}, {"esc_3", "centre-be"}, {"esc_1", "centre-be"}};
  Must(RecordReads(db(), Advisor("usr_cc", "centre-cc"), "escalation", refs));
  Principal lead;
  lead.user_id = "usr_lead";
  lead.role = Role::kCentreLead;
  lead.centre_id = "centre-be";
  auto page = Must(service_->List(lead, {}, 50, ""));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].record_ids, (std::vector<std::string>{"esc_1", "esc_3"}));  // duplicates named once
  EXPECT_EQ(Must(service_->Verify()).entries, 2);
}

TEST_P(AuditTest, AnEditedIdInAListEntryIsDetected) {
  RecordMany(2);
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) ids.push_back("cas_" + std::to_string(i));
  Must(RecordReads(db(), Advisor("usr_1", "centre-be"), "case", Refs(ids, "centre-be")));
  RecordMany(2);
  EXPECT_TRUE(Must(service_->Verify()).intact);
  Tamper(kTamperIds, {std::int64_t{3}});
  auto r = Must(service_->Verify());
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.broken_seq, 3);
}

TEST_P(AuditTest, ConcurrentReadsAreGroupCommittedIntoOneChain) {
  // 8 threads, each like a request: one list read at a time, while 2 more threads write.
  constexpr int kReaders = 8, kPerReader = 25, kWriters = 2, kPerWriter = 10;
  auto before = ReadStats(db());
  std::vector<std::thread> threads;
  for (int t = 0; t < kReaders; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerReader; ++i) {
        std::vector<std::string> ids{"cas_" + std::to_string(t) + "_" + std::to_string(i), "cas_x" + std::to_string(t)};
        Must(RecordReads(db(), Advisor("usr_" + std::to_string(t), "centre-be"), "case", Refs(ids, "centre-be")));
      }
    });
  }
  for (int t = 0; t < kWriters; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerWriter; ++i) {
        Must(db().Write([&](db::Session& tx) {
          return Record(tx, Advisor("usr_w", "centre-be"), kUpdate, "case", "cas_w" + std::to_string(t));
        }));
      }
    });
  }
  for (auto& th : threads) th.join();
  auto r = Must(service_->Verify());
  EXPECT_TRUE(r.intact) << r.reason << " at " << r.broken_seq;
  EXPECT_EQ(r.entries, kReaders * kPerReader + kWriters * kPerWriter);
  auto after = ReadStats(db());
  EXPECT_EQ(after.entries - before.entries, kReaders * kPerReader);
  // "Who saw" finds every read, whether its batch is indexed yet or not.
  Principal admin;
  admin.user_id = "usr_admin";
  admin.role = Role::kAdmin;
  for (int t = 0; t < kReaders; ++t) {
    Filter shared;
    shared.record_id = "cas_x" + std::to_string(t);
    EXPECT_EQ(Must(service_->List(admin, shared, 50, "")).items.size(), static_cast<std::size_t>(kPerReader));
    for (int i = 0; i < kPerReader; ++i) {
      Filter own;
      own.record_id = "cas_" + std::to_string(t) + "_" + std::to_string(i);
      auto found = Must(service_->List(admin, own, 50, ""));
      ASSERT_EQ(found.items.size(), 1u) << *own.record_id;
      EXPECT_EQ(found.items[0].user_id, "usr_" + std::to_string(t));
    }
  }
}

TEST_P(AuditTest, IndexRowsOfEarlierVersionsAreFound) {
  // Before migration 303 every list entry had a row per record and audit_head no indexed_seq.
  std::vector<std::string> ids{"cas_1", "cas_2", "cas_3"};
  for (int n = 0; n < 3; ++n) Must(RecordReads(db(), Advisor("usr_1", "centre-be"), "case", Refs(ids, "centre-be")));
  Must(db().Write([&](db::Session& tx) -> Status {
    for (std::int64_t seq = 1; seq <= 3; ++seq) {
      for (const auto& id : ids) FD_TRY(tx.Exec(kOldIndexRow, {id, seq}));
    }
    FD_TRY(tx.Exec(kForgetIndexed));
    return {};
  }));
  Must(RecordReads(db(), Advisor("usr_1", "centre-be"), "case", Refs(ids, "centre-be")));  // after: the tail
  // A row pointing at an entry that does not name the record (migration 303 wrote batches with
  // +seq) does not make that entry a read of it.
  Must(RecordReads(db(), Advisor("usr_1", "centre-be"), "case", Refs({"cas_7", "cas_8"}, "centre-be")));
  Must(db().Write([&](db::Session& tx) -> Status {
    FD_TRY(tx.Exec(kBatchRow303, {std::string("cas_2"), std::int64_t{5}, std::int64_t{5}}));
    return {};
  }));
  Principal admin;
  admin.user_id = "usr_admin";
  admin.role = Role::kAdmin;
  Filter f;
  f.record_id = "cas_2";
  EXPECT_EQ(Must(service_->List(admin, f, 50, "")).items.size(), 4u);
}

TEST_P(AuditTest, TheIndexOfListReadsIsWrittenInBatches) {
  // 100 lists of the same 50 cases: far fewer index rows than 100 x 50, and every list found
  // for every case (indexed batches and the unindexed tail alike), newest first, paged.
  std::vector<std::string> ids;
  for (int i = 0; i < 50; ++i) ids.push_back("cas_" + std::to_string(i));
  constexpr int kLists = 100;
  for (int n = 0; n < kLists; ++n) {
    Must(RecordReads(db(), Advisor("usr_1", "centre-be"), "case", Refs(ids, "centre-be")));
    if (n % 10 == 0) RecordMany(1);  // entries of one record in between
  }
  std::int64_t rows = 0;
  Must(db().Read([&](db::Session& s) -> Status {
    rows = FD_TRY(s.One(kCountIndex, {})).Int(0);
    return {};
  }));
  EXPECT_GT(rows, 0);
  EXPECT_LT(rows, kLists * 50 / 4);
  Principal admin;
  admin.user_id = "usr_admin";
  admin.role = Role::kAdmin;
  for (const auto* id : {"cas_0", "cas_17", "cas_49"}) {
    Filter f;
    f.record_id = id;
    std::vector<std::int64_t> seqs;
    std::string cursor;
    for (;;) {
      auto page = Must(service_->List(admin, f, 30, cursor));
      for (const auto& e : page.items) {
        EXPECT_TRUE(e.seq < (seqs.empty() ? INT64_MAX : seqs.back()));
        seqs.push_back(e.seq);
      }
      if (!page.next_cursor) break;
      cursor = *page.next_cursor;
    }
    // The lists only: RecordMany's single entries name cas_1.
    EXPECT_EQ(seqs.size(), static_cast<std::size_t>(kLists)) << id;
  }
  Filter none;
  none.record_id = "cas_50";
  EXPECT_TRUE(Must(service_->List(admin, none, 50, "")).items.empty());
  EXPECT_TRUE(Must(service_->Verify()).intact);
}

FAIRDESK_INSTANTIATE_BACKENDS(AuditTest);

}  // namespace
}  // namespace fairdesk::audit
