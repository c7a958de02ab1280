#include "cases/cli.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace fairdesk::cases {

void RegisterCli(CLI::App& root, std::function<Result<RetentionReport>(bool dry_run)> run_retention) {
  auto* retention = root.add_subcommand("retention", "Retention of closed cases");
  retention->require_subcommand(1);
  auto* run = retention->add_subcommand(
      "run", "Anonymise closed cases older than the retention period (personal data, notes and documents go; "
             "statistical facts stay)");
  auto dry_run = std::make_shared<bool>(false);
  run->add_flag("--dry-run", *dry_run, "Only list what would be anonymised");
  run->callback([run_retention, dry_run] {
    auto report = run_retention(*dry_run);
    if (!report) {
      const Error& e = report.error();
      std::cerr << "fairdesk: " << e.detail << (e.internal.empty() ? "" : " (" + e.internal + ")") << "\n";
      throw CLI::RuntimeError(1);
    }
    std::cout << (*dry_run ? "would anonymise " : "anonymised ") << report->case_ids.size()
              << " case(s) closed before " << report->closed_before << "\n";
    for (const auto& id : report->case_ids) std::cout << "  " << id << "\n";
  });
}

}  // namespace fairdesk::cases
