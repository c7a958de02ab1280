#pragma once
/// The application: opens the database, applies every module's migrations, builds the services
/// and registers their routes. main.cpp only parses the command line and calls into here.

#include <memory>

#include "app/module.hpp"
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

/// The demo logins printed by `serve --demo` and `demo-data`.
std::string DemoLoginsText();

}  // namespace fairdesk::app
