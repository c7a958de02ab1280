#pragma once
/// The backends of the store contract suite. Every store test runs on SQLite and on PostgreSQL,
/// each time on a fresh, empty database:
///
///   class CaseStoreTest : public fairdesk::dbtest::BackendTest {};
///   TEST_P(CaseStoreTest, CreatesACase) { ... db() ... }
///   FAIRDESK_INSTANTIATE_BACKENDS(CaseStoreTest);
///
/// PostgreSQL needs FAIRDESK_TEST_PG_URL (see scripts/pg-test-server). Without it the PostgreSQL
/// tests fail, unless FAIRDESK_TEST_PG=skip asks explicitly to skip them: a suite that quietly
/// tested one backend would look green while proving half of what it claims.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "platform/db/database.hpp"

namespace fairdesk::dbtest {

enum class TestBackend { kSqlite, kPostgres };

/// Both backends, always; whether PostgreSQL is reachable is decided when a test starts.
std::vector<TestBackend> AllBackends();

/// "Sqlite" / "Postgres", for test names.
std::string BackendName(const ::testing::TestParamInfo<TestBackend>& info);
/// For gtest's messages ("where GetParam() = Postgres").
void PrintTo(TestBackend backend, std::ostream* out);

struct ScratchOptions {
  int pool_size = 4;
  std::chrono::milliseconds acquire_timeout{5000};
};

/// A fresh, empty database that is removed again when this object goes: an SQLite file in the
/// temporary directory, or a PostgreSQL schema t_<random> reached through the search_path.
class ScratchDatabase {
 public:
  /// The PostgreSQL variant needs `pg_url` (the server's database URL).
  static Result<std::unique_ptr<ScratchDatabase>> Create(TestBackend backend, const std::string& pg_url = "");
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;
  ~ScratchDatabase();

  TestBackend backend() const { return backend_; }
  /// The handle opened on creation.
  db::Database& db() { return *db_; }
  /// Another handle on the same database, as a second fairdesk process would have.
  Result<std::unique_ptr<db::Database>> OpenAnother(const ScratchOptions& options = {}) const;
  /// A URL for db::Open (and the fairdesk binary) that reaches this database.
  const std::string& url() const { return url_; }

 private:
  ScratchDatabase() = default;

  TestBackend backend_ = TestBackend::kSqlite;
  std::string url_;
  std::string sqlite_path_;
  std::string schema_;
  std::unique_ptr<db::Database> admin_;  // PostgreSQL: creates and drops the schema
  std::unique_ptr<db::Database> db_;
};

/// The base fixture of store tests: a scratch database per test on the parameter's backend.
/// A subclass that overrides SetUp calls BackendTest::SetUp() first and returns if
/// IsSkipped() or HasFatalFailure().
class BackendTest : public ::testing::TestWithParam<TestBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  db::Database& db() { return scratch_->db(); }
  ScratchDatabase& scratch() { return *scratch_; }
  bool IsPostgres() const { return GetParam() == TestBackend::kPostgres; }

 private:
  std::unique_ptr<ScratchDatabase> scratch_;
};

/// "kind: detail [internal]", for assertion messages.
std::string Describe(const Error& error);

/// The value of a result; an error fails the test (gtest reports the exception with the error).
template <typename T>
T Must(Result<T> result) {
  if (!result) {
    throw std::runtime_error(Describe(result.error()));
  }
  return std::move(*result);
}
inline void Must(Status status) {
  if (!status) {
    throw std::runtime_error(Describe(status.error()));
  }
}

}  // namespace fairdesk::dbtest

#define FAIRDESK_INSTANTIATE_BACKENDS(fixture)                                                   \
  INSTANTIATE_TEST_SUITE_P(Backends, fixture, ::testing::ValuesIn(::fairdesk::dbtest::AllBackends()), \
                           ::fairdesk::dbtest::BackendName)
