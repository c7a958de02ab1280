#pragma once
#include <CLI/CLI.hpp>

namespace fairdesk::calculators {
/// `fairdesk calc NAME`: one JSON object on standard input, the result on standard output
/// (exit 0); invalid input: a problem object on standard output, one line on standard error,
/// exit 2 (API.md).
void RegisterCli(CLI::App& root);
}  // namespace fairdesk::calculators
