#pragma once
/// The application: opens the database, applies every module's migrations, builds the services
/// and registers their routes. main.cpp only parses the command line and calls into here.

#include <memory>

#include "app/module.hpp"
#include "platform/db/migrations.hpp"
#include "cases/service.hpp"
#include "platform/http/server.hpp"

namespace fairdesk::app {

class App {
 public:
  /// Opens the database and migrates it (every module, in version order).
  static Result<std::unique_ptr<App>> Open(const Settings& settings);
  ~App();

  /// Loads demo users and cases into an empty database (the directory seed loads always).
  Status LoadDemoData();
  /// Anonymises closed cases past the retention period (`fairdesk retention run`, daily job).
  Result<cases::RetentionReport> RunRetention(bool dry_run);
  /// Serves HTTP until SIGTERM/SIGINT.
  int Serve(http::ServerOptions options);

  db::Database& database();

 private:
  App();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Opens and migrates the database of `url` (for CLI commands that need only the store).
Result<std::unique_ptr<db::Database>> OpenMigrated(const std::string& url);

/// Opens the database of `url` for a command that only reads it (`audit verify`, `backup`,
/// `user list`, ...): never migrates or writes. Refuses, with a message saying what to do, a
/// SQLite file that does not exist, a database without fairdesk's schema, and one whose schema is
/// older than this binary (run `fairdesk migrate` first).
Result<std::unique_ptr<db::Database>> OpenReadOnly(const std::string& url);

/// The derived tables (search indexes) of every module and how to rebuild them on a database that
/// `fairdesk restore` or `fairdesk copy` filled (ops::Derived).
std::vector<std::string> DerivedTables();
Status RebuildDerivedData(db::Database& database);

/// Every module's migrations, in version order.
std::vector<db::Migration> AllMigrations();

/// The demo logins printed by `serve --demo` and `demo-data`.
std::string DemoLoginsText();

}  // namespace fairdesk::app
