// libFuzzer target for the calculators' JSON input (not part of the default build; the glob in
// fd_module skips *_fuzz.cpp). It needs a clang whose C++23 mode can use libstdc++'s
// std::expected (clang 16 or later: conditionally trivial destructors, P0848); clang 14 cannot.
//   clang++ -std=c++2b -g -O1 -fsanitize=fuzzer,address,undefined -Iserver \
//     server/labour_law/calc_fuzz.cpp $(ls server/labour_law/*.cpp | grep -v -e _test -e _fuzz) \
//     server/platform/core/date.cpp -lboost_json -o calc_fuzz
//   ./calc_fuzz -max_total_time=300 corpus/
// The seeded fuzz_test.cpp runs the same checks in every ctest run.
// The first byte picks the calculator, the rest is JSON text.

#include <boost/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "labour_law/calculators.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  const auto names = fairdesk::labour_law::CalculatorNames();
  const std::string_view name = names[data[0] % names.size()];
  boost::system::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 64;
  const boost::json::value input =
      boost::json::parse(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), ec, {}, options);
  if (ec) {
    return 0;
  }
  const auto out = fairdesk::labour_law::RunCalculator(name, input);
  using Kind = fairdesk::labour_law::CalcOutcome::Kind;
  if (out.kind == Kind::kUnknownCalculator || (out.kind == Kind::kInvalid && out.errors.empty())) {
    std::abort();
  }
  for (const auto& e : out.errors) {
    if (e.field.empty()) {
      std::abort();
    }
  }
  if (out.kind == Kind::kOk) {
    boost::json::parse(boost::json::serialize(out.result), ec);
    if (ec) {
      std::abort();
    }
  }
  return 0;
}
