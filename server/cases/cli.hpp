#pragma once
/// `fairdesk retention run [--dry-run]`: anonymises closed cases older than the retention period.

#include <functional>
#include <memory>

#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace CLI {
class App;
}

namespace fairdesk::cases {

/// `open_db` must answer a migrated database; `retention_years` is read when the command runs.
void RegisterCli(CLI::App& root, std::function<Result<std::unique_ptr<db::Database>>()> open_db,
                 std::function<int()> retention_years);

}  // namespace fairdesk::cases
