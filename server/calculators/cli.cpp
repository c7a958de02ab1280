#include "calculators/cli.hpp"

#include <iostream>
#include <iterator>

#include "calculators/routes.hpp"
#include "platform/core/json_output.hpp"
#include "platform/http/problem.hpp"

namespace fairdesk::calculators {

void RegisterCli(CLI::App& root) {
  auto* calc = root.add_subcommand("calc", "Run a labour-law calculator: JSON on standard input, JSON result on standard output");
  auto name = std::make_shared<std::string>();
  calc->add_option("name", *name, "minimum-wage, training-allowance, notice-period, dismissal-claim-deadline, "
                                  "leave-entitlement, limitation, sick-pay, working-time, mini-job, exclusion-clause, holidays")
      ->required();
  calc->callback([name] {
    std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    auto result = Run(*name, input);
    if (result) {
      std::cout << ToJsonText(*result) << "\n";
      return;
    }
    const Error& e = result.error();
    std::cout << http::Problem(e).body << "\n";
    std::string line = e.detail;
    if (!e.errors.empty()) line += " " + e.errors.front().field + ": " + e.errors.front().message;
    std::cerr << "fairdesk calc: " << line << "\n";
    throw CLI::RuntimeError(2);
  });
}

}  // namespace fairdesk::calculators
