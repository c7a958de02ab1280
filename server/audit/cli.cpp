#include <CLI/CLI.hpp>

#include <iostream>

#include "audit/audit.hpp"

namespace fairdesk::audit {

void RegisterCli(CLI::App& root, std::function<Result<std::unique_ptr<db::Database>>()> open_db) {
  auto* audit = root.add_subcommand("audit", "Audit log tools");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify", "Walk the audit hash chain; exit 0 when intact, 1 naming the first broken entry");
  verify->callback([open_db] {
    auto database = open_db();
    if (!database) {
      std::cerr << "fairdesk: cannot open the database: " << database.error().detail;
      if (!database.error().internal.empty()) std::cerr << " (" << database.error().internal << ")";
      std::cerr << "\n";
      throw CLI::RuntimeError(1);
    }
    Service service(MakeSqlStore(**database));
    auto report = service.Verify();
    if (!report) {
      std::cerr << "fairdesk: audit verify failed: " << report.error().detail << " (" << report.error().internal
                << ")\n";
      throw CLI::RuntimeError(1);
    }
    if (!report->intact) {
      std::cerr << "audit chain broken at seq " << report->broken_seq << ": " << report->reason << "\n";
      throw CLI::RuntimeError(1);
    }
    std::cout << "audit chain intact: " << report->entries << " entries\n"
              << "head hash: " << report->head_hash << "\n";
  });
}

}  // namespace fairdesk::audit
