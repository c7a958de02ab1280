#pragma once
/// Small-cell protection of a table (docs/STATISTICS.md): primary suppression, secondary
/// suppression so that no suppressed cell can be narrowed down from the margins and the published
/// cells, and the cell-key perturbation of published values. Pure functions, no I/O.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fairdesk::stats {

/// A table of R x C inner cells with its margins: element (i, C) is row i's total, (R, j) column
/// j's total, (R, C) the grand total. For a table of one dimension C is 1.
struct Grid {
  int rows = 0, cols = 0;
  struct Element {
    std::int64_t value = 0;   // the true figure
    std::int64_t base = 0;    // persons behind a sum (sums only)
    std::int64_t contributors = 0;  // records with a non-zero amount (sums only)
    std::int64_t key = 0;     // cell key: sum of the record keys, mod 2^31
    std::int64_t largest = 0;  // the largest single record's amount (sums only)
    enum State : std::uint8_t { kPublished, kPrimary, kSecondary } state = kPublished;
  };
  std::vector<Element> e;  // (rows + 1) x (cols + 1), row-major
  Grid(int r, int c) : rows(r), cols(c), e(static_cast<std::size_t>((r + 1) * (c + 1))) {}
  Element& at(int i, int j) { return e[static_cast<std::size_t>(i * (cols + 1) + j)]; }
  const Element& at(int i, int j) const { return e[static_cast<std::size_t>(i * (cols + 1) + j)]; }
};

enum class Kind { kCount, kSum };

inline constexpr std::int64_t kMinCount = 5;         // counts 1..4 are suppressed
inline constexpr std::int64_t kMinBase = 5;          // sums over fewer persons are suppressed
inline constexpr std::int64_t kMinContributors = 3;  // and sums of fewer non-zero records

/// Marks primary suppressions (counts 1-4; sums with a base below 5 persons or fewer than 3
/// contributors), then secondary ones: for every primary element a rectangle of suppressed
/// elements (margins included) that lets its value range, for anyone reasoning from the published
/// figures, at least from 0 to 5 (counts) or from 0 to twice its value (sums). See protect.cpp.
void Suppress(Grid& g, Kind kind);

/// The published value of a figure that is not suppressed: counts get a bounded perturbation of
/// -2..+2 drawn from the cell key and the server secret (0 stays 0, a published count stays >= 5),
/// sums one of at most ±5 % of the sum or ±50 % of its `largest` single record, whichever is more
/// (so that no one record's amount can be read off a sum it dominates, nor off the difference of
/// two sums that differ by it), rounded to whole euros. The same records give the same cell key
/// and so the same value in every table and query.
std::int64_t Perturb(std::int64_t value, std::int64_t key, Kind kind, std::string_view secret, std::string_view measure,
                     std::int64_t largest = 0);

inline constexpr double kSumSpread = 0.05;      // of the sum
inline constexpr double kLargestSpread = 0.5;   // of the largest record in it

}  // namespace fairdesk::stats
