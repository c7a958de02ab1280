#include "db/backends.hpp"

#include <cstdlib>
#include <filesystem>
#include <random>

#include "platform/db/postgres/postgres_database.hpp"
#include "platform/db/sqlite/sqlite_database.hpp"

namespace fairdesk::dbtest {

namespace {

std::string RandomSuffix() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device device;
  std::string out;
  for (int i = 0; i < 16; ++i) {
    out.push_back(kHex[device() % 16]);
  }
  return out;
}

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string_view KindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest: return "bad_request";
    case ErrorKind::kUnauthenticated: return "unauthenticated";
    case ErrorKind::kForbidden: return "forbidden";
    case ErrorKind::kNotFound: return "not_found";
    case ErrorKind::kMethodNotAllowed: return "method_not_allowed";
    case ErrorKind::kConflict: return "conflict";
    case ErrorKind::kTooLarge: return "too_large";
    case ErrorKind::kUnsupportedMedia: return "unsupported_media";
    case ErrorKind::kInvalid: return "invalid";
    case ErrorKind::kTooManyRequests: return "too_many_requests";
    case ErrorKind::kUnavailable: return "unavailable";
    case ErrorKind::kInternal: return "internal";
  }
  return "?";
}

}  // namespace

std::vector<TestBackend> AllBackends() { return {TestBackend::kSqlite, TestBackend::kPostgres}; }

std::string BackendName(const ::testing::TestParamInfo<TestBackend>& info) {
  return info.param == TestBackend::kSqlite ? "Sqlite" : "Postgres";
}

void PrintTo(TestBackend backend, std::ostream* out) {
  *out << (backend == TestBackend::kSqlite ? "Sqlite" : "Postgres");
}

std::string Describe(const Error& error) {
  return std::string(KindName(error.kind)) + ": " + error.detail + " [" + error.internal + "]";
}

Result<std::unique_ptr<ScratchDatabase>> ScratchDatabase::Create(TestBackend backend, const std::string& pg_url) {
  std::unique_ptr<ScratchDatabase> scratch(new ScratchDatabase());
  scratch->backend_ = backend;
  if (backend == TestBackend::kSqlite) {
    scratch->sqlite_path_ =
        (std::filesystem::temp_directory_path() / ("fairdesk-test-" + RandomSuffix() + ".db")).string();
    scratch->url_ = "sqlite:" + scratch->sqlite_path_;
  } else {
    if (pg_url.empty()) {
      return Fail(Error::Internal("no PostgreSQL URL given"));
    }
    scratch->admin_ = FD_TRY(db::postgres::Open({.url = pg_url, .pool_size = 1}));
    scratch->schema_ = "t_" + RandomSuffix();
    const std::string create = "CREATE SCHEMA " + scratch->schema_;
    FD_TRY_VOID(scratch->admin_->Write([&](db::Session& s) { return s.ExecScript(create); }));
    // libpq passes "options" to the server as command-line switches: -c search_path=<schema>.
    // Every connection of the pool then creates and finds its tables in the scratch schema.
    scratch->url_ = pg_url + (pg_url.find('?') == std::string::npos ? "?" : "&") +
                    "options=-csearch_path%3D" + scratch->schema_;
  }
  scratch->db_ = FD_TRY(scratch->OpenAnother());
  return scratch;
}

Result<std::unique_ptr<db::Database>> ScratchDatabase::OpenAnother(const ScratchOptions& options) const {
  if (backend_ == TestBackend::kSqlite) {
    return db::sqlite::Open({.path = sqlite_path_, .readers = options.pool_size, .acquire_timeout = options.acquire_timeout});
  }
  return db::postgres::Open({.url = url_, .pool_size = options.pool_size, .acquire_timeout = options.acquire_timeout});
}

ScratchDatabase::~ScratchDatabase() {
  db_.reset();
  if (backend_ == TestBackend::kSqlite) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(sqlite_path_ + suffix, ignored);
    }
    return;
  }
  if (admin_) {
    const std::string drop = "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE";
    auto dropped = admin_->Write([&](db::Session& s) { return s.ExecScript(drop); });
    if (!dropped) {
      ADD_FAILURE() << "could not drop scratch schema " << schema_ << ": " << Describe(dropped.error());
    }
  }
}

void BackendTest::SetUp() {
  std::string pg_url;
  if (GetParam() == TestBackend::kPostgres) {
    pg_url = Env("FAIRDESK_TEST_PG_URL");
    if (pg_url.empty()) {
      if (Env("FAIRDESK_TEST_PG") == "skip") {
        GTEST_SKIP() << "PostgreSQL skipped on request (FAIRDESK_TEST_PG=skip)";
      }
      FAIL() << "FAIRDESK_TEST_PG_URL is not set. Start a server with `scripts/pg-test-server start` and "
                "export FAIRDESK_TEST_PG_URL=$(scripts/pg-test-server url), or set FAIRDESK_TEST_PG=skip to "
                "skip the PostgreSQL tests on purpose.";
    }
  }
  auto scratch = ScratchDatabase::Create(GetParam(), pg_url);
  ASSERT_TRUE(scratch.has_value()) << "cannot create a scratch database: " << Describe(scratch.error());
  scratch_ = std::move(*scratch);
}

void BackendTest::TearDown() { scratch_.reset(); }

}  // namespace fairdesk::dbtest
