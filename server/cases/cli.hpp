#pragma once
/// `fairdesk retention run [--dry-run]`: anonymises closed cases older than the retention period.

#include <functional>

#include "cases/service.hpp"

namespace CLI {
class App;
}

namespace fairdesk::cases {

/// `run_retention(dry_run)` runs retention on the fully wired application (so that every module
/// holding data of a case — documents — takes part), and is called only when the command runs.
void RegisterCli(CLI::App& root, std::function<Result<RetentionReport>(bool dry_run)> run_retention);

}  // namespace fairdesk::cases
