#pragma once
/// Dated legal tables: every legal figure the calculators use, one row per change in the law,
/// each with the date it took effect, its source and how well it is checked. A new figure (the
/// 2028 minimum wage, say) is one new row in tables.cpp and one case in testdata/cases.json.

#include <array>
#include <span>
#include <string_view>

#include "platform/core/date.hpp"
#include "platform/core/money.hpp"

namespace fairdesk::labour_law {

/// How a figure was checked (LABOUR_LAW.md): against the statute or ordinance text, from a named
/// secondary source, or not re-checked ("[K]": verify before relying on it).
enum class Tag { kVerified, kSecondary, kUnchecked };

template <typename T>
struct DatedRow {
  Date valid_from;
  T value;
  std::string_view source;  // the paragraph or ordinance, as shown in `legal_basis`
  Tag tag;
};

/// The row in force on `date`: the last row whose valid_from is not after it; nullptr before the
/// first row. Tables are sorted by valid_from (a test checks this).
template <typename T>
const DatedRow<T>* RowFor(std::span<const DatedRow<T>> table, Date date) {
  const DatedRow<T>* found = nullptr;
  for (const auto& row : table) {
    if (row.valid_from > date) {
      break;
    }
    found = &row;
  }
  return found;
}

/// § 1 Abs. 2 MiLoG and the MiLoV ordinances: gross minimum wage per hour worked.
std::span<const DatedRow<Cents>> MinimumWageTable();

/// The last month for which the minimum-wage table is known to be complete: MiLoV5 fixes the
/// rates up to and including 2027. Later months still get the 2027 rate (it stays in force until
/// a new ordinance) but with a warning.
inline constexpr int kMinimumWageKnownThroughYear = 2027;

/// § 17 Abs. 2 BBiG: minimum training allowance per month for the 1st to 4th training year,
/// fixed by the calendar year in which the training began. One row per start year; a start year
/// without a row has no published figure.
struct TrainingAllowance {
  std::array<Cents, 4> by_training_year;
};
std::span<const DatedRow<TrainingAllowance>> TrainingAllowanceTable();

/// § 8 Abs. 1a SGB IV (Geringfügigkeitsgrenze) and § 20 Abs. 2 SGB IV (upper end of the
/// Übergangsbereich), per month.
struct EarningsLimits {
  Cents minijob_limit;
  Cents midijob_upper;
};
std::span<const DatedRow<EarningsLimits>> EarningsLimitsTable();

/// § 3 Abs. 1 BUrlG: statutory minimum leave in Werktage (6-day week) per calendar year.
std::span<const DatedRow<int>> StatutoryLeaveTable();

/// § 622 Abs. 2 Satz 1 BGB: the employer's notice period grows with the years the employment has
/// lasted at receipt of the notice. Each row: at least `tenure_years` years → `months` months to
/// the end of a calendar month.
struct ExtendedNotice {
  int tenure_years;
  int months;
};
std::span<const DatedRow<ExtendedNotice>> ExtendedNoticeTable();

/// The current § 622 BGB (Kündigungsfristengesetz of 7.10.1993) took effect on 15.10.1993;
/// notices received earlier followed other rules and are not computed. [K] for the date.
Date NoticeRulesValidFrom();

/// § 622 Abs. 1 BGB: basic period of four weeks (28 days), to the 15th or the end of a month.
inline constexpr int kBasicNoticeDays = 28;
/// § 622 Abs. 3 BGB: two weeks to any day during an agreed probation of at most six months.
inline constexpr int kProbationNoticeDays = 14;
inline constexpr int kMaxProbationMonths = 6;

}  // namespace fairdesk::labour_law
