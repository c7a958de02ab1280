#pragma once
/// `fairdesk backup [verify]`, `fairdesk restore`, `fairdesk copy`, `fairdesk keys backup|restore`
/// (see ops/transfer.hpp and docs/OPERATIONS.md).

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "ops/transfer.hpp"
#include "platform/db/migrations.hpp"

namespace CLI {
class App;
}

namespace fairdesk::ops {

struct CliDeps {
  /// The --db setting and the --state-dir setting, read when a command runs.
  std::function<std::string()> db_url;
  std::function<std::filesystem::path()> state_dir;
  /// Opens a database to read without migrating (refuses an old schema): app::OpenReadOnly.
  std::function<Result<std::unique_ptr<db::Database>>(const std::string&)> open_read_only;
  /// This binary's migrations: app::AllMigrations.
  std::function<std::vector<db::Migration>()> migrations;
  /// Derived tables (search indexes) and how to rebuild them after restore and copy.
  std::function<Derived()> derived;
};

/// Call after the module that registers `keys` (documents), so `keys backup|restore` join it.
void RegisterCli(CLI::App& root, CliDeps deps);

}  // namespace fairdesk::ops
