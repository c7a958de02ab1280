#include "cases/cli.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "cases/service.hpp"
#include "directory/service.hpp"

namespace fairdesk::cases {

void RegisterCli(CLI::App& root, std::function<Result<std::unique_ptr<db::Database>>()> open_db,
                 std::function<int()> retention_years) {
  auto* retention = root.add_subcommand("retention", "Retention of closed cases");
  retention->require_subcommand(1);
  auto* run = retention->add_subcommand(
      "run", "Anonymise closed cases older than the retention period (personal data, notes and documents go; "
             "statistical facts stay)");
  auto dry_run = std::make_shared<bool>(false);
  run->add_flag("--dry-run", *dry_run, "Only list what would be anonymised");
  run->callback([open_db, retention_years, dry_run] {
    auto fail = [](const Error& e) {
      std::cerr << "fairdesk: " << e.detail << (e.internal.empty() ? "" : " (" + e.internal + ")") << "\n";
      throw CLI::RuntimeError(1);
    };
    auto db = open_db();
    if (!db) fail(db.error());
    directory::Service directory(directory::MakeSqlStore(**db));
    // Retention never decrypts: an ephemeral keyring is enough.
    auto keyring = crypto::Keyring::Ephemeral();
    Service service(**db, directory, *keyring, Options{.retention_years = retention_years()});
    auto report = service.RunRetention(*dry_run);
    if (!report) fail(report.error());
    std::cout << (*dry_run ? "would anonymise " : "anonymised ") << report->case_ids.size()
              << " case(s) closed before " << report->closed_before << "\n";
    for (const auto& id : report->case_ids) std::cout << "  " << id << "\n";
  });
}

}  // namespace fairdesk::cases
