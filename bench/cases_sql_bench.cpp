// The baseline of bench/cases-scale: the SQL of a case-work request written by hand (literal
// values, no session, no audit entry, no JSON, no HTTP), run on the same database in the same run:
//
//   cases_sql_bench DB_URL CONNECTIONS SECONDS SQL [SQL...]
//
// CONNECTIONS threads, each on a connection of its own, run the statements one after the other
// (one "request", all rows read) as often as they can for SECONDS. Prints one JSON object:
// {"n": requests, "rps": requests per second, "p50": ms, "p99": ms}.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "platform/db/database.hpp"

using namespace fairdesk;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: cases_sql_bench DB_URL CONNECTIONS SECONDS SQL [SQL...]\n");
    return 2;
  }
  const int connections = std::max(1, std::atoi(argv[2]));
  const double seconds = std::atof(argv[3]);
  std::vector<std::string> names;
  std::vector<db::Query> queries;
  for (int i = 4; i < argc; ++i) names.push_back("hand_" + std::to_string(i - 4));
  for (int i = 4; i < argc; ++i) queries.push_back(db::Query{names[i - 4], argv[i]});
  auto opened = db::Open(argv[1], connections);
  if (!opened) {
    std::fprintf(stderr, "open: %s\n", opened.error().internal.c_str());
    return 1;
  }
  db::Database& database = **opened;
  auto run_once = [&]() -> Status {
    return database.Read([&](db::Session& s) -> Status {
      for (const auto& q : queries) FD_TRY(s.Query(q, {}));
      return {};
    });
  };
  // Once on each connection first (prepared statements, warm pages), not counted.
  for (int i = 0; i < connections; ++i) {
    if (auto st = run_once(); !st) {
      std::fprintf(stderr, "query: %s\n", st.error().internal.c_str());
      return 1;
    }
  }
  std::mutex mu;
  std::vector<double> all;
  std::atomic<bool> failed{false};
  const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  const auto started = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < connections; ++t) {
    threads.emplace_back([&] {
      std::vector<double> mine;
      while (Clock::now() < end && !failed) {
        const auto t0 = Clock::now();
        if (!run_once()) failed = true;
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
      std::lock_guard lock(mu);
      all.insert(all.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  if (failed || all.empty()) {
    std::fprintf(stderr, "a query failed\n");
    return 1;
  }
  std::sort(all.begin(), all.end());
  auto at = [&](double p) {
    const auto rank = static_cast<std::size_t>(std::max(1.0, p / 100.0 * static_cast<double>(all.size()) + 0.999999));
    return all[std::min(all.size(), rank) - 1];
  };
  std::printf("{\"n\":%zu,\"rps\":%.0f,\"p50\":%.2f,\"p99\":%.2f}\n", all.size(), static_cast<double>(all.size()) / elapsed,
              at(50), at(99));
  return 0;
}
