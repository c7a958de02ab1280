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
/// § 17 Abs. 2 Satz 1 Nr. 1–4 BBiG (in force 1.1.2020): amounts for the 1st to 4th training year;
/// later years keep the 4th-year amount.
inline constexpr int kTrainingAllowanceYears = 4;
struct TrainingAllowance {
  std::array<Cents, kTrainingAllowanceYears> by_training_year;
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

// ---------------------------------------------------------------------------------------------
// Rule start dates. Where a calculator asks "did this rule exist yet?", it asks one of these; each
// is the first row of a dated table above or the date a statute took effect, with its source.

/// The current § 622 BGB (Kündigungsfristengesetz of 7.10.1993) took effect on 15.10.1993;
/// notices received earlier followed other rules and are not computed. [K] for the date.
Date NoticeRulesValidFrom();

/// MiLoG: the minimum wage is owed for work from 1.1.2015 (§ 1 Abs. 2 MiLoG a.F., § 24 MiLoG a.F.);
/// the first row of MinimumWageTable(). Also the cut-off of BAG 18.9.2018 – 9 AZR 162/18: a
/// standard-form exclusion clause in a contract concluded after 31.12.2014 must except the
/// minimum wage. [V]
Date MinimumWageValidFrom();

/// § 24 MiLoG a.F.: sector minimum wages (AEntG/AÜG) and newspaper deliverers could lawfully stay
/// below the minimum wage until 31.12.2017; from 1.1.2018 it applies without exception. [S]
Date MinimumWageWithoutExceptionsFrom();

/// § 17 Abs. 2 BBiG (BBiMoG of 12.12.2019): the minimum training allowance applies to training
/// that starts on or after 1.1.2020 [S]; the first row of TrainingAllowanceTable(). Transitional
/// rule § 106 Abs. 1 BBiG [K].
Date TrainingAllowanceValidFrom();

/// § 309 Nr. 13 Buchst. b BGB (text form at most for the employee's assertion) applies to contracts
/// concluded from 1.10.2016 [S] (transitional rule Art. 229 § 37 EGBGB [K]).
Date TextFormClauseRuleValidFrom();

/// §§ 195, 199 BGB (Schuldrechtsmodernisierungsgesetz of 26.11.2001, BGBl. I S. 3138) took effect
/// on 1.1.2002 [S]. Claims that fell due earlier existed on that day and are governed by the
/// transition of Art. 229 § 6 EGBGB [S]: beginning and interruption before 1.1.2002 follow the old
/// law, and where the new period is longer the old one applies (Abs. 3) — for wage claims two years
/// from the end of the year (§§ 196 Abs. 1 Nr. 8, 9, 201 BGB a.F.) [K]. The limitation calculator
/// covers claims due from this date and rejects earlier ones (field `claim_due`).
Date LimitationRulesValidFrom();

/// The EFZG (Art. 53 Pflege-Versicherungsgesetz of 26.5.1994, BGBl. I S. 1014) took effect on
/// 1.6.1994 [S]; before, continued pay followed the LFZG (workers), § 616 BGB, § 63 HGB, § 133c GewO
/// and in the new Länder the AGB-DDR. Used for the wording of the sick-pay rejection.
Date SickPayActValidFrom();

/// § 3 Abs. 3 EFZG, the four-week waiting period, was inserted by Art. 3 of the Arbeitsrechtliches
/// Beschäftigungsförderungsgesetz of 25.9.1996 (BGBl. I S. 1476) with effect from 1.10.1996 [S]
/// (Haufe, Gemeinsames Rundschreiben of 25.6.1998). The claim arises with the incapacity, so the
/// sick-pay calculator covers incapacity beginning from this date and rejects earlier `sick_from`.
/// Employment that began earlier counts towards the four weeks (README "Choices") [K].
Date SickPayWaitingPeriodValidFrom();

/// The ArbZG (Art. 1 Arbeitszeitrechtsgesetz of 6.6.1994, BGBl. I S. 1170) took effect on 1.7.1994
/// (Art. 21 ArbZRG) [S] (buzer.de, dejure.org); it replaced the Arbeitszeitordnung of 1938. The
/// working-time calculator rejects shifts that start earlier (field `shifts[i].start`).
Date WorkingTimeActValidFrom();

// ---------------------------------------------------------------------------------------------
// Fixed statutory figures: one value for as long as the calculators apply them, so a named
// constant rather than a dated table (README "Where legal figures live"). Each names its source
// and the date it took effect. Where the law said something else before a date the calculator
// still accepts, the comment says so ("not modelled"). If such a figure ever changes, it becomes a
// dated table like the ones above.

// § 622 BGB, in the wording of the Kündigungsfristengesetz of 7.10.1993, in force 15.10.1993.
/// § 622 Abs. 1 BGB: basic period of four weeks (28 days), to the 15th or the end of a month.
inline constexpr int kBasicNoticeWeeks = 4;
inline constexpr int kBasicNoticeDays = kBasicNoticeWeeks * 7;
/// § 622 Abs. 1 BGB: "zum Fünfzehnten oder zum Ende eines Kalendermonats".
inline constexpr int kBasicNoticeMidMonthDay = 15;
/// § 622 Abs. 3 BGB: two weeks to any day during an agreed probation of at most six months.
inline constexpr int kProbationNoticeWeeks = 2;
inline constexpr int kProbationNoticeDays = kProbationNoticeWeeks * 7;
inline constexpr int kMaxProbationMonths = 6;

/// § 4 Satz 1 KSchG: the claim must be filed within three weeks (21 days) of receipt of the written
/// notice. Three weeks since the KSchG of 10.8.1951 (then § 3); for every ground of invalidity
/// since 1.1.2004 (Gesetz zu Reformen am Arbeitsmarkt of 24.12.2003). [V] for the period, [K] for
/// the dates.
inline constexpr int kClaimDeadlineWeeks = 3;
inline constexpr int kClaimDeadlineDays = kClaimDeadlineWeeks * 7;

/// § 195 BGB: regular limitation period of three years, from the end of the year (§ 199 Abs. 1
/// BGB); in force since LimitationRulesValidFrom() (1.1.2002). Claims due earlier are rejected,
/// not computed (two years under § 196 Abs. 1 Nr. 8, 9 BGB a.F., Art. 229 § 6 EGBGB). [V]
inline constexpr int kLimitationYears = 3;
/// § 196 Abs. 1 Nr. 8, 9, § 201 BGB a.F.: wage claims had two years from the end of the year, up to
/// 31.12.2001. Not computed: printed in the 422 for earlier claims and in the warning `transition_2002` for
/// claims due in 2002 that may already have existed on 1.1.2002 (Art. 229 § 6 Abs. 3 EGBGB). [K]
inline constexpr int kOldWageLimitationYears = 2;

/// Exclusion clauses in standard-form contracts: each stage needs at least three months (in
/// hundredths of a month, as the input is read). First stage: BAG 28.9.2005 – 5 AZR 52/05; second
/// stage: BAG 25.5.2005 – 5 AZR 572/04. Case law on §§ 307, 310 Abs. 4 BGB (in force 1.1.2002). [S]
inline constexpr int64_t kMinExclusionStageMonthsHundredths = 300;

// § 22 MiLoG (Art. 1 Tarifautonomiestärkungsgesetz of 11.8.2014), applied with the minimum wage
// from 1.1.2015 and unchanged since. [V]
/// § 22 Abs. 2 MiLoG: persons under 18 (§ 2 Abs. 1, 2 JArbSchG) without completed vocational
/// training are not employees for the MiLoG.
inline constexpr int kMinimumWageAdultAge = 18;
/// § 22 Abs. 1 Satz 2 Nr. 2, 3 MiLoG: orientation and accompanying internships of up to three
/// months are excluded (in hundredths of a month, as the input is read).
inline constexpr int64_t kInternshipExclusionMonthsHundredths = 300;
/// § 22 Abs. 4 Satz 1 MiLoG: no minimum wage for the first six months for people long-term
/// unemployed immediately before.
inline constexpr int kLongTermUnemployedExclusionMonths = 6;

// BUrlG of 8.1.1963; §§ 3 Abs. 2, 4, 5 unchanged since. [V]
/// § 3 Abs. 2 BUrlG: Werktage are all calendar days that are not Sundays or public holidays, so
/// the 24 Werktage of § 3 Abs. 1 are for a six-day week and convert as 24 × d / 6.
inline constexpr int kWerktagePerWeek = 6;
/// § 4 BUrlG: the full entitlement is first acquired after six months of employment.
inline constexpr int kLeaveWaitingMonths = 6;
/// § 5 Abs. 1 Buchst. c BUrlG: leaving "in der ersten Hälfte eines Kalenderjahres", i.e. up to
/// and including 30 June.
inline constexpr int kLeaveFirstHalfLastMonth = 6;
inline constexpr int kLeaveFirstHalfLastDay = 30;
/// § 5 Abs. 2 BUrlG: fractions of at least half a day (50 hundredths) are rounded up.
inline constexpr int64_t kLeaveRoundUpFromHundredths = 50;
/// The [K] date of StatutoryLeaveTable()'s first row is flagged for 1995 and 1996, the years
/// around the change from 18 to 24 Werktage. Not a legal figure: the reach of a warning.
inline constexpr int kStatutoryLeaveWarnThroughYear = 1996;

// ArbZG of 6.6.1994 (Art. 1 Arbeitszeitrechtsgesetz), in force WorkingTimeActValidFrom()
// (1.7.1994). [V] Earlier shifts fell under the Arbeitszeitordnung of 1938 and are rejected.
/// § 3 Satz 1 ArbZG: eight hours per working day; Satz 2: up to ten hours if averaged to eight.
inline constexpr int64_t kRegularDailyMinutes = 8 * 60;
inline constexpr int64_t kMaxDailyMinutes = 10 * 60;
/// § 4 Satz 1 ArbZG: 30 minutes of breaks for more than six up to nine hours, 45 minutes for more
/// than nine hours.
inline constexpr int64_t kShortBreakAfterMinutes = 6 * 60;
inline constexpr int64_t kShortBreakMinutes = 30;
inline constexpr int64_t kLongBreakAfterMinutes = 9 * 60;
inline constexpr int64_t kLongBreakMinutes = 45;
/// § 4 Satz 2 ArbZG: breaks may be split into blocks of at least 15 minutes each.
inline constexpr int64_t kMinBreakBlockMinutes = 15;
/// § 4 Satz 3 ArbZG: nobody may work more than six hours in a row without a break.
inline constexpr int64_t kMaxMinutesWithoutBreak = 6 * 60;
/// § 5 Abs. 1 ArbZG: at least eleven hours of uninterrupted rest after daily work.
inline constexpr int64_t kMinRestMinutes = 11 * 60;
/// § 5 Abs. 2 ArbZG: in the listed sectors the rest may be cut by up to one hour.
inline constexpr int64_t kMaxRestReductionMinutes = 60;
/// § 11 Abs. 3 Satz 1 ArbZG: Sunday work earns a replacement rest day within a period of two
/// weeks that includes the Sunday worked (14 days, so at most 13 days before or after it).
inline constexpr int kSundayReplacementWindowDays = 14;
/// § 11 Abs. 3 Satz 2 ArbZG: work on a public holiday that falls on a weekday earns a replacement
/// rest day within a period of eight weeks that includes the holiday (56 days).
inline constexpr int kHolidayReplacementWindowDays = 56;
/// § 11 Abs. 1 ArbZG: at least 15 Sundays a year must stay free of work.
inline constexpr int kMinFreeSundaysPerYear = 15;
/// § 2 Abs. 3 ArbZG: night time is 23:00 to 06:00 (minutes after midnight).
inline constexpr int64_t kNightStartMinute = 23 * 60;
inline constexpr int64_t kNightEndMinute = 6 * 60;
/// § 2 Abs. 4 ArbZG: night work is work of more than two hours of night time.
inline constexpr int64_t kNightWorkMinMinutes = 2 * 60;

// EFZG of 26.5.1994 (Art. 53 Pflege-Versicherungsgesetz), in force SickPayActValidFrom()
// (1.6.1994); the calculator covers incapacity from SickPayWaitingPeriodValidFrom() (1.10.1996).
/// § 3 Abs. 1 Satz 1 EFZG: 6 weeks = 42 calendar days. [V]
inline constexpr int kSickPayDays = 42;
/// § 3 Abs. 3 EFZG: 4 weeks = 28 days of uninterrupted employment. [V] In force since
/// SickPayWaitingPeriodValidFrom() [S]; incapacity beginning earlier is rejected.
inline constexpr int kSickPayWaitingDays = 28;

}  // namespace fairdesk::labour_law
