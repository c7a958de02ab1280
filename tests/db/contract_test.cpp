// The storage contract (platform/db/database.hpp, migrations.hpp), proven on both backends.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <future>
#include <set>
#include <thread>
#include <vector>

#include "db/backends.hpp"
#include "platform/db/migrations.hpp"

namespace fairdesk::dbtest {
namespace {

using namespace std::chrono_literals;
using db::Blob;
using db::Migration;
using db::Query;
using db::Row;
using db::Rows;
using db::Session;
using db::Value;

// Migration 2 refers to migration 1 (foreign key), so applying them out of order would fail.
constexpr Migration kItems{
    1, "items",
    "CREATE TABLE items (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL UNIQUE, n BIGINT, note TEXT, "
    "data BYTEA, amount BIGINT CHECK (amount IS NULL OR amount >= 0))",
    "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, n BIGINT, "
    "note TEXT, data BLOB, amount BIGINT CHECK (amount IS NULL OR amount >= 0))",
};
constexpr Migration kChildren{
    2, "children and counters",
    "CREATE TABLE children (id BIGINT PRIMARY KEY, item_id BIGINT NOT NULL REFERENCES items (id));\n"
    "CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);\n"
    "INSERT INTO counters (name, value) VALUES ('total', 0);",
    "",
};
constexpr Migration kNotes{3, "notes", "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT)", ""};
constexpr Migration kSchema[] = {kItems, kChildren};

constexpr Query kInsertItem{
    "test.insert_item", "INSERT INTO items (email, n, note, data, amount) VALUES ($1, $2, $3, $4, $5) RETURNING id"};
constexpr Query kInsertEmail{"test.insert_email", "INSERT INTO items (email) VALUES ($1)"};
constexpr Query kItemByEmail{"test.item_by_email", "SELECT id, email, n, note, data, amount FROM items WHERE email = $1"};
constexpr Query kCountItems{"test.count_items", "SELECT COUNT(*) FROM items"};
constexpr Query kCountEmail{"test.count_email", "SELECT COUNT(*) FROM items WHERE email = $1"};
constexpr Query kEmails{"test.emails", "SELECT email FROM items ORDER BY id"};
constexpr Query kAddToCounter{"test.add_to_counter", "UPDATE counters SET value = value + $1 WHERE name = 'total'"};
constexpr Query kCounter{"test.counter", "SELECT value FROM counters WHERE name = 'total'"};
constexpr Query kInsertChild{"test.insert_child", "INSERT INTO children (id, item_id) VALUES ($1, $2)"};
constexpr Query kSetAmount{"test.set_amount", "UPDATE items SET amount = $2 WHERE email = $1"};
constexpr Query kSetEmailNull{"test.set_email_null", "UPDATE items SET email = NULL WHERE email = $1"};
constexpr Query kVersions{"test.versions", "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"};
constexpr Query kAnyItems{"test.any_items", "SELECT EXISTS (SELECT 1 FROM items)"};
constexpr Query kEcho{"test.echo", "SELECT '$1' || $1"};

class DbContract : public BackendTest {
 protected:
  void Migrated() { Must(db::Migrate(db(), kSchema)); }

  std::int64_t Count(db::Database& database, const Query& q, std::initializer_list<Value> params = {}) {
    std::int64_t count = -1;
    Must(database.Read([&](Session& s) -> Status {
      count = FD_TRY(s.One(q, params)).Int(0);
      return {};
    }));
    return count;
  }
  std::int64_t Items() { return Count(db(), kCountItems); }

  Status InsertEmail(const std::string& email) {
    return db().Write([&](Session& s) -> Status {
      FD_TRY(s.Exec(kInsertEmail, {Value{email}}));
      return {};
    });
  }
};

// --- migrations -------------------------------------------------------------------------------

TEST_P(DbContract, MigrationsAreAppliedOnceInVersionOrderAndAreIdempotent) {
  const Migration reversed[] = {kChildren, kItems};
  EXPECT_EQ(Must(db::Migrate(db(), reversed)), (std::vector<int>{1, 2}));
  EXPECT_EQ(Must(db::Migrate(db(), kSchema)), std::vector<int>{});

  const Migration more[] = {kItems, kChildren, kNotes};
  EXPECT_EQ(Must(db::Migrate(db(), more)), std::vector<int>{3});
  EXPECT_EQ(Must(db::Migrate(db(), more)), std::vector<int>{});

  Rows rows;
  Must(db().Read([&](Session& s) -> Status {
    rows = FD_TRY(s.Query(kVersions));
    return {};
  }));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].Int(0), 1);
  EXPECT_EQ(rows[0].Text(1), "items");
  EXPECT_EQ(rows[1].Text(1), "children and counters");
  EXPECT_EQ(rows[2].Int(0), 3);
  EXPECT_FALSE(rows[0].Text(2).empty());
  // The seed row of migration 2 is there once, so its script ran once.
  EXPECT_EQ(Count(db(), {"test.count_counters", "SELECT COUNT(*) FROM counters"}), 1);
}

TEST_P(DbContract, AFailingMigrationLeavesNoTraceAndStopsTheRun) {
  constexpr Migration kBroken{
      2, "broken", "CREATE TABLE half (id BIGINT); SELECT no_such_column FROM half", ""};
  const Migration broken[] = {kItems, kBroken, kNotes};
  auto result = db::Migrate(db(), broken);
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().internal.find("broken"), std::string::npos) << result.error().internal;

  EXPECT_EQ(Count(db(), {"test.count_versions", "SELECT COUNT(*) FROM schema_migrations"}), 1);
  // DDL is transactional on both backends: the table of the failed migration is gone.
  auto half = db().Read([](Session& s) -> Status {
    FD_TRY(s.Query({"test.half", "SELECT COUNT(*) FROM half"}));
    return {};
  });
  EXPECT_FALSE(half.has_value());

  const Migration fixed[] = {kItems, kChildren, kNotes};
  EXPECT_EQ(Must(db::Migrate(db(), fixed)), (std::vector<int>{2, 3}));
}

TEST_P(DbContract, DuplicateMigrationVersionsAreRejected) {
  const Migration twice[] = {kItems, kItems};
  auto result = db::Migrate(db(), twice);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::kInternal);
}

TEST_P(DbContract, ConcurrentStartUpsApplyEachMigrationOnce) {
  constexpr int kProcesses = 4;
  std::vector<std::unique_ptr<db::Database>> handles;
  for (int i = 0; i < kProcesses; ++i) {
    handles.push_back(Must(scratch().OpenAnother({.pool_size = 2})));
  }
  std::vector<Result<std::vector<int>>> results(kProcesses);
  std::vector<std::thread> threads;
  for (int i = 0; i < kProcesses; ++i) {
    threads.emplace_back([&, i] { results[i] = db::Migrate(*handles[i], kSchema); });
  }
  for (auto& t : threads) {
    t.join();
  }
  std::multiset<int> applied;
  for (const auto& r : results) {
    ASSERT_TRUE(r.has_value()) << Describe(r.error());
    applied.insert(r->begin(), r->end());
  }
  EXPECT_EQ(applied, (std::multiset<int>{1, 2}));
  EXPECT_EQ(Count(db(), {"test.count_counters", "SELECT COUNT(*) FROM counters"}), 1);
}

// --- values -----------------------------------------------------------------------------------

TEST_P(DbContract, EveryValueTypeRoundTrips) {
  Migrated();
  Blob all_bytes;
  for (int b = 0; b < 256; ++b) {
    all_bytes.bytes.push_back(static_cast<unsigned char>(b));
  }
  const Blob zeros{{0, 0, 'a', 0, 0xff, 0}};
  const std::string utf8 = "Grüße aus Köln – 日本語 – עברית – emoji 🎉";
  struct Case {
    std::string email;
    Value n;
    Value note;
    Value data;
  };
  const std::vector<Case> cases = {
      {"max", Value{std::int64_t{INT64_MAX}}, Value{utf8}, Value{all_bytes}},
      {"min", Value{std::int64_t{INT64_MIN}}, Value{std::string()}, Value{zeros}},
      {"nulls", db::Null(), db::Null(), db::Null()},
      {"empty blob", Value{std::int64_t{0}}, Value{std::string(" leading and trailing ")}, Value{Blob{}}},
  };
  Must(db().Write([&](Session& s) -> Status {
    for (const Case& c : cases) {
      Row row = FD_TRY(s.One(kInsertItem, {Value{c.email}, c.n, c.note, c.data, db::Null()}));
      EXPECT_GT(row.Int(0), 0);
    }
    return {};
  }));

  for (const Case& c : cases) {
    SCOPED_TRACE(c.email);
    Row row;
    Must(db().Read([&](Session& s) -> Status {
      row = FD_TRY(s.One(kItemByEmail, {Value{c.email}}));
      return {};
    }));
    ASSERT_EQ(row.size(), 6u);
    EXPECT_EQ(row.Text(1), c.email);
    if (const auto* n = std::get_if<std::int64_t>(&c.n)) {
      EXPECT_EQ(row.OptInt(2), *n);
    } else {
      EXPECT_TRUE(row.IsNull(2));
      EXPECT_EQ(row.OptInt(2), std::nullopt);
    }
    if (const auto* note = std::get_if<std::string>(&c.note)) {
      EXPECT_EQ(row.OptText(3), *note);
    } else {
      EXPECT_EQ(row.OptText(3), std::nullopt);
    }
    if (const auto* data = std::get_if<Blob>(&c.data)) {
      ASSERT_FALSE(row.IsNull(4));
      EXPECT_EQ(row.Bytes(4).bytes, data->bytes);
    } else {
      EXPECT_TRUE(row.IsNull(4));
    }
    EXPECT_TRUE(row.IsNull(5));
  }
}

TEST_P(DbContract, BooleanResultsReadAsIntegers) {
  Migrated();
  EXPECT_EQ(Count(db(), kAnyItems), 0);
  Must(InsertEmail("a@example.org"));
  Must(db().Read([&](Session& s) -> Status {
    EXPECT_TRUE(FD_TRY(s.One(kAnyItems, {})).Bool(0));
    return {};
  }));
}

TEST_P(DbContract, TextMustBeValidUtf8WithoutNul) {
  Migrated();
  for (const std::string& bad : {std::string("a\0b", 3), std::string("\xc3\x28"), std::string("\xed\xa0\x80")}) {
    auto result = InsertEmail(bad);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().kind, ErrorKind::kInvalid) << Describe(result.error());
  }
  EXPECT_EQ(Items(), 0);
}

TEST_P(DbContract, SqlMetaCharactersInParametersAreStoredVerbatim) {
  Migrated();
  const std::vector<std::string> nasty = {
      "'; DROP TABLE items; --",
      "Robert'); DROP TABLE items;--",
      "\" OR \"\"=\"",
      "' OR '1'='1",
      "$1 ?1 ? :name @p",
      "back\\slash \\x00 \\'",
      "100% _under_ [brackets]",
      "/* comment */ -- dash",
      "$$ dollar $$ quoted $$",
      "semi; colon;",
  };
  for (const std::string& text : nasty) {
    Must(InsertEmail(text));
  }
  Rows rows;
  Must(db().Read([&](Session& s) -> Status {
    rows = FD_TRY(s.Query(kEmails));
    return {};
  }));
  ASSERT_EQ(rows.size(), nasty.size());
  for (std::size_t i = 0; i < nasty.size(); ++i) {
    EXPECT_EQ(rows[i].Text(0), nasty[i]);
    EXPECT_EQ(Count(db(), kCountEmail, {Value{nasty[i]}}), 1) << nasty[i];
  }
  EXPECT_EQ(Items(), static_cast<std::int64_t>(nasty.size()));
}

TEST_P(DbContract, PlaceholdersInsideStringLiteralsAreText) {
  Must(db().Read([&](Session& s) -> Status {
    EXPECT_EQ(FD_TRY(s.One(kEcho, {Value{"x"}})).Text(0), "$1x");
    return {};
  }));
}

TEST_P(DbContract, OneAndMaybeOne) {
  Migrated();
  Must(InsertEmail("a@example.org"));
  Must(InsertEmail("b@example.org"));
  Must(db().Read([&](Session& s) -> Status {
    auto missing = s.One(kItemByEmail, {Value{"nobody@example.org"}});
    EXPECT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(FD_TRY(s.MaybeOne(kItemByEmail, {Value{"nobody@example.org"}})), std::nullopt);
    EXPECT_EQ(FD_TRY(s.One(kItemByEmail, {Value{"a@example.org"}})).Text(1), "a@example.org");
    auto many = s.MaybeOne(kEmails, {});
    EXPECT_FALSE(many.has_value());
    EXPECT_EQ(many.error().kind, ErrorKind::kInternal);
    return {};
  }));
}

TEST_P(DbContract, ExecAnswersTheChangedRows) {
  Migrated();
  Must(InsertEmail("a@example.org"));
  Must(InsertEmail("b@example.org"));
  Must(db().Write([&](Session& s) -> Status {
    EXPECT_EQ(FD_TRY(s.Exec({"test.touch_all", "UPDATE items SET n = 1"})), 2);
    EXPECT_EQ(FD_TRY(s.Exec(kSetAmount, {Value{"nobody"}, Value{std::int64_t{1}}})), 0);
    return {};
  }));
}

TEST_P(DbContract, AWrongNumberOfParametersIsAFaultOfTheCaller) {
  Migrated();
  auto result = db().Read([&](Session& s) -> Status {
    FD_TRY(s.Query(kItemByEmail, {Value{"a"}, Value{"b"}}));
    return {};
  });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::kInternal);
  EXPECT_NE(result.error().internal.find(kItemByEmail.name), std::string::npos);
}

TEST_P(DbContract, QueryAllAnswersTheRowsOfEachStatementInOrder) {
  Migrated();
  Must(InsertEmail("a@example.org"));
  Must(InsertEmail("b@example.org"));
  const std::vector<db::Statement> reads = {{&kItemByEmail, {Value{"b@example.org"}}},
                                            {&kCountItems, {}},
                                            {&kEmails, {}},
                                            {&kItemByEmail, {Value{"nobody@example.org"}}},
                                            {&kCountEmail, {Value{"a@example.org"}}}};
  auto check = [&](Session& s) -> Status {
    auto all = FD_TRY(s.QueryAll(reads));
    EXPECT_EQ(all.size(), 5u);
    if (all.size() != 5u) return {};
    EXPECT_EQ(all[0].size(), 1u);
    EXPECT_EQ(all[0].at(0).Text(1), "b@example.org");
    EXPECT_EQ(all[1].at(0).Int(0), 2);
    EXPECT_EQ(all[2].size(), 2u);
    EXPECT_EQ(all[2].at(1).Text(0), "b@example.org");
    EXPECT_TRUE(all[3].empty());
    EXPECT_EQ(all[4].at(0).Int(0), 1);
    // One statement, and none, take the plain path.
    EXPECT_EQ(FD_TRY(s.QueryAll(std::span(reads).first(1))).at(0).size(), 1u);
    EXPECT_TRUE(FD_TRY(s.QueryAll({})).empty());
    return {};
  };
  // Several times over, so that the pool's connections are reused after a pipeline.
  for (int i = 0; i < 6; ++i) Must(db().Read(check));
  Must(db().Write(check));
}

TEST_P(DbContract, AFailingStatementOfQueryAllFailsTheCallAndDoomsTheWrite) {
  Migrated();
  static constexpr Query kInsertAmount{"test.insert_amount",
                                       "INSERT INTO items (email, amount) VALUES ($1, $2) RETURNING id"};
  auto result = db().Write([&](Session& s) -> Status {
    const std::vector<db::Statement> batch = {{&kInsertAmount, {Value{"x@example.org"}, Value{std::int64_t{1}}}},
                                              {&kInsertAmount, {Value{"y@example.org"}, Value{std::int64_t{-1}}}},
                                              {&kCountItems, {}}};
    auto all = s.QueryAll(batch);
    EXPECT_FALSE(all.has_value());
    if (!all) {
      EXPECT_EQ(all.error().kind, ErrorKind::kInvalid);
    }
    return {};  // ignores the error
  });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::kInvalid);
  EXPECT_EQ(Items(), 0);
  // Every connection is clean again afterwards: reads and writes on all of them.
  for (int i = 0; i < 6; ++i) {
    Must(InsertEmail("next" + std::to_string(i) + "@example.org"));
    Must(db().Read([&](Session& s) -> Status {
      const std::vector<db::Statement> reads = {{&kCountItems, {}}, {&kEmails, {}}};
      auto all = FD_TRY(s.QueryAll(reads));
      EXPECT_EQ(all.at(0).at(0).Int(0), i + 1);
      EXPECT_EQ(all.at(1).size(), static_cast<std::size_t>(i + 1));
      return {};
    }));
  }
}

// --- errors and transactions ------------------------------------------------------------------

TEST_P(DbContract, UniqueConflictIsAConflictAndRollsBackTheTransaction) {
  Migrated();
  const std::string secret = "secret.person@example.org";
  Must(InsertEmail(secret));
  auto result = db().Write([&](Session& s) -> Status {
    FD_TRY(s.Exec(kInsertEmail, {Value{"first@example.org"}}));
    FD_TRY(s.Exec(kAddToCounter, {Value{std::int64_t{5}}}));
    FD_TRY(s.Exec(kInsertEmail, {Value{secret}}));
    ADD_FAILURE() << "the duplicate was accepted";
    return {};
  });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::kConflict) << Describe(result.error());
  // Neither the caller's message nor the log line may carry the value: it is personal data.
  EXPECT_EQ(result.error().detail.find("secret"), std::string::npos);
  EXPECT_EQ(result.error().internal.find("secret"), std::string::npos) << result.error().internal;
  EXPECT_NE(result.error().internal.find(kInsertEmail.name), std::string::npos) << result.error().internal;

  EXPECT_EQ(Items(), 1);
  EXPECT_EQ(Count(db(), kCountEmail, {Value{"first@example.org"}}), 0);
  EXPECT_EQ(Count(db(), kCounter), 0);
}

TEST_P(DbContract, AFailedStatementDoomsTheWriteEvenWhenTheFunctionCarriesOn) {
  Migrated();
  Must(InsertEmail("taken@example.org"));
  auto result = db().Write([&](Session& s) -> Status {
    FD_TRY(s.Exec(kInsertEmail, {Value{"new@example.org"}}));
    auto duplicate = s.Exec(kInsertEmail, {Value{"taken@example.org"}});
    EXPECT_FALSE(duplicate.has_value());
    return {};  // ignores the error
  });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(Items(), 1);
  // The connection is clean again afterwards.
  Must(InsertEmail("next@example.org"));
  EXPECT_EQ(Items(), 2);
}

TEST_P(DbContract, WriteRollsBackWhenTheFunctionFails) {
  Migrated();
  auto result = db().Write([&](Session& s) -> Status {
    FD_TRY(s.Exec(kInsertEmail, {Value{"a@example.org"}}));
    FD_TRY(s.Exec(kAddToCounter, {Value{std::int64_t{1}}}));
    return Fail(Error::Invalid("amount", "too large"));
  });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::kInvalid);
  EXPECT_EQ(Items(), 0);
  EXPECT_EQ(Count(db(), kCounter), 0);
}

TEST_P(DbContract, WriteRollsBackWhenTheFunctionThrows) {
  Migrated();
  EXPECT_THROW(db().Write([&](Session& s) -> Status {
                 FD_TRY(s.Exec(kInsertEmail, {Value{"a@example.org"}}));
                 throw std::runtime_error("fault of the environment");
               }),
               std::runtime_error);
  EXPECT_EQ(Items(), 0);
  Must(InsertEmail("b@example.org"));
  EXPECT_EQ(Items(), 1);
}

TEST_P(DbContract, ConstraintViolationsMapToErrorKinds) {
  Migrated();
  Must(InsertEmail("a@example.org"));
  const std::int64_t negative = -424242;

  auto foreign = db().Write([&](Session& s) -> Status {
    FD_TRY(s.Exec(kInsertChild, {Value{std::int64_t{1}}, Value{std::int64_t{987654}}}));
    return {};
  });
  ASSERT_FALSE(foreign.has_value());
  EXPECT_EQ(foreign.error().kind, ErrorKind::kConflict) << Describe(foreign.error());
  EXPECT_EQ(foreign.error().internal.find("987654"), std::string::npos) << foreign.error().internal;

  auto check = db().Write([&](Session& s) -> Status {
    FD_TRY(s.Exec(kSetAmount, {Value{"a@example.org"}, Value{negative}}));
    return {};
  });
  ASSERT_FALSE(check.has_value());
  EXPECT_EQ(check.error().kind, ErrorKind::kInvalid) << Describe(check.error());
  EXPECT_EQ(check.error().internal.find("424242"), std::string::npos) << check.error().internal;
  EXPECT_NE(check.error().internal.find(kSetAmount.name), std::string::npos);

  auto not_null = db().Write([&](Session& s) -> Status {
    FD_TRY(s.Exec(kSetEmailNull, {Value{"a@example.org"}}));
    return {};
  });
  ASSERT_FALSE(not_null.has_value());
  EXPECT_EQ(not_null.error().kind, ErrorKind::kInvalid) << Describe(not_null.error());

  auto syntax = db().Read([&](Session& s) -> Status {
    FD_TRY(s.Query({"test.broken", "SELEC 1"}));
    return {};
  });
  ASSERT_FALSE(syntax.has_value());
  EXPECT_EQ(syntax.error().kind, ErrorKind::kInternal);
  EXPECT_NE(syntax.error().internal.find("test.broken"), std::string::npos);
}

// --- concurrency ------------------------------------------------------------------------------

TEST_P(DbContract, ConcurrentWritersAllSucceedWithCorrectTotals) {
  Migrated();
  constexpr int kThreads = 8;
  constexpr int kWritesEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        auto r = db().Write([&](Session& s) -> Status {
          FD_TRY(s.Exec(kInsertEmail, {Value{"w" + std::to_string(t) + "-" + std::to_string(i)}}));
          FD_TRY(s.Exec(kAddToCounter, {Value{std::int64_t{2}}}));
          return {};
        });
        if (!r) {
          ++failures;
          ADD_FAILURE() << Describe(r.error());
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Items(), kThreads * kWritesEach);
  EXPECT_EQ(Count(db(), kCounter), 2 * kThreads * kWritesEach);
}

TEST_P(DbContract, ReadersSeeCommittedDataAndAreNotBlockedByAWrite) {
  Migrated();
  Must(InsertEmail("before@example.org"));
  std::promise<void> inserted;
  std::promise<void> read_done;
  auto read_done_future = read_done.get_future();
  std::thread writer([&] {
    Must(db().Write([&](Session& s) -> Status {
      FD_TRY(s.Exec(kInsertEmail, {Value{"during@example.org"}}));
      inserted.set_value();
      // Keeps the transaction open until the reader has looked (bounded, in case it hangs).
      read_done_future.wait_for(20s);
      return {};
    }));
  });
  inserted.get_future().wait();
  const auto start = std::chrono::steady_clock::now();
  const std::int64_t during = Count(db(), kCountEmail, {Value{"during@example.org"}});
  const std::int64_t total = Items();
  const auto waited = std::chrono::steady_clock::now() - start;
  read_done.set_value();
  writer.join();

  EXPECT_EQ(during, 0) << "a reader saw an uncommitted row";
  EXPECT_EQ(total, 1);
  EXPECT_LT(waited, 2s) << "the reader waited for the writer";
  EXPECT_EQ(Count(db(), kCountEmail, {Value{"during@example.org"}}), 1);
}

TEST_P(DbContract, AnExhaustedPoolAnswersUnavailableAfterTheTimeout) {
  Migrated();
  auto small = Must(scratch().OpenAnother({.pool_size = 1, .acquire_timeout = 200ms}));
  for (bool write : {false, true}) {
    SCOPED_TRACE(write ? "Write" : "Read");
    std::promise<void> holding;
    std::promise<void> release;
    auto release_future = release.get_future();
    auto hold = [&](Session&) -> Status {
      holding.set_value();
      release_future.wait_for(20s);
      return {};
    };
    // On SQLite the writer and the readers are separate: hold the kind that is asked for.
    std::thread holder([&] { Must(write ? small->Write(hold) : small->Read(hold)); });
    holding.get_future().wait();

    const auto start = std::chrono::steady_clock::now();
    auto noop = [](Session&) -> Status { return {}; };
    auto result = write ? small->Write(noop) : small->Read(noop);
    const auto waited = std::chrono::steady_clock::now() - start;
    release.set_value();
    holder.join();

    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().kind, ErrorKind::kUnavailable) << Describe(result.error());
    EXPECT_GE(waited, 150ms);
    EXPECT_LT(waited, 5s);
    Must(write ? small->Write(noop) : small->Read(noop));
  }
  EXPECT_GE(small->Stats().waits_total, 2);
  EXPECT_EQ(small->Stats().in_use, 0);
}

TEST_P(DbContract, PingAndStats) {
  Must(db().Ping());
  const db::PoolStats stats = db().Stats();
  EXPECT_GE(stats.size, 1);
  EXPECT_EQ(stats.in_use, 0);
  Must(db().Read([&](Session&) -> Status {
    EXPECT_GE(db().Stats().in_use, 1);
    return {};
  }));
}

// --- reconnect --------------------------------------------------------------------------------

TEST_P(DbContract, ReconnectsAfterTheServerRestarts) {
  if (!IsPostgres()) {
    GTEST_SKIP() << "SQLite is embedded: there is no server to restart";
  }
  const char* restart = std::getenv("FAIRDESK_TEST_PG_RESTART_CMD");
  if (restart == nullptr || *restart == '\0') {
    GTEST_SKIP() << "set FAIRDESK_TEST_PG_RESTART_CMD (e.g. 'scripts/pg-test-server restart') to run this test";
  }
  Migrated();
  Must(InsertEmail("before@example.org"));
  const int pool = db().Stats().size;
  // Runs `fn` on every connection of the pool at once: each thread holds its connection until all
  // are taken, so that every one of them has to cope with the restart.
  auto on_every_connection = [&](bool write, const std::function<Status(Session&, int)>& fn) {
    std::atomic<int> inside{0};
    std::vector<std::thread> threads;
    std::vector<Status> results(static_cast<std::size_t>(pool));
    for (int i = 0; i < pool; ++i) {
      threads.emplace_back([&, i] {
        auto body = [&](Session& s) -> Status {
          FD_TRY_VOID(fn(s, i));
          ++inside;
          const auto deadline = std::chrono::steady_clock::now() + 10s;
          while (inside.load() < pool && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(5ms);
          }
          return {};
        };
        results[static_cast<std::size_t>(i)] = write ? db().Write(body) : db().Read(body);
      });
    }
    for (auto& t : threads) {
      t.join();
    }
    for (const Status& r : results) {
      EXPECT_TRUE(r.has_value()) << Describe(r.error());
    }
    EXPECT_EQ(inside.load(), pool);
  };
  auto read = [&](Session& s, int) -> Status {
    FD_TRY(s.Query(kCountItems));
    return {};
  };
  on_every_connection(false, read);

  // Reads notice the dead connection, reconnect and retry once.
  ASSERT_EQ(std::system(restart), 0) << "restart command failed: " << restart;
  on_every_connection(false, read);

  // Writes notice it at BEGIN, before anything happened, and begin again on a new connection.
  ASSERT_EQ(std::system(restart), 0) << "restart command failed: " << restart;
  on_every_connection(true, [&](Session& s, int i) -> Status {
    FD_TRY(s.Exec(kInsertEmail, {Value{"after" + std::to_string(i) + "@example.org"}}));
    return {};
  });
  EXPECT_EQ(Items(), 1 + pool);
  Must(db().Ping());
}

FAIRDESK_INSTANTIATE_BACKENDS(DbContract);

// --- db::Open ---------------------------------------------------------------------------------

TEST(DbOpen, InMemorySqliteServesReadsAndWritesOnOneConnection) {
  auto database = Must(db::Open("sqlite::memory:"));
  EXPECT_EQ(database->backend(), db::Backend::kSqlite);
  EXPECT_EQ(Must(db::Migrate(*database, kSchema)), (std::vector<int>{1, 2}));
  Must(database->Write([](Session& s) -> Status {
    FD_TRY(s.Exec(kInsertEmail, {Value{"a@example.org"}}));
    return {};
  }));
  Must(database->Read([](Session& s) -> Status {
    EXPECT_EQ(FD_TRY(s.One(kCountItems, {})).Int(0), 1);
    return {};
  }));
}

TEST(DbOpen, UnknownSchemesAreRejectedWithoutEchoingTheUrl) {
  auto result = db::Open("mysql://user:hunter2@localhost/db");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().internal.find("hunter2"), std::string::npos);
}

TEST(DbOpen, AnUnreachablePostgresServerIsUnavailable) {
  auto result = db::Open("postgresql://fairdesk@127.0.0.1:1/nothing?connect_timeout=2");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::kUnavailable) << Describe(result.error());
}

}  // namespace
}  // namespace fairdesk::dbtest
