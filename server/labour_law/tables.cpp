#include "labour_law/tables.hpp"

namespace fairdesk::labour_law {
namespace {

constexpr Tag kV = Tag::kVerified;
constexpr Tag kS = Tag::kSecondary;
constexpr Tag kK = Tag::kUnchecked;

Date D(int y, int m, int d) { return Date::Ymd(y, m, d); }

}  // namespace

std::span<const DatedRow<Cents>> MinimumWageTable() {
  // LABOUR_LAW.md § 1.1. Every change took effect on the 1st of a month, so one rate per calendar
  // month is exact. 2018 has no row: the 2017 rate stayed in force.
  static const DatedRow<Cents> kTable[] = {
      {D(2015, 1, 1), Cents(850), "§ 1 Abs. 2 Satz 1 MiLoG (a.F.)", kV},
      {D(2017, 1, 1), Cents(884), "§ 1 MiLoV", kV},
      {D(2019, 1, 1), Cents(919), "§ 1 Buchst. a MiLoV2", kV},
      {D(2020, 1, 1), Cents(935), "§ 1 Buchst. b MiLoV2", kV},
      {D(2021, 1, 1), Cents(950), "§ 1 Nr. 1 MiLoV3", kV},
      {D(2021, 7, 1), Cents(960), "§ 1 Nr. 2 MiLoV3", kV},
      {D(2022, 1, 1), Cents(982), "§ 1 Nr. 3 MiLoV3", kV},
      {D(2022, 7, 1), Cents(1045), "§ 1 Nr. 4 MiLoV3", kV},
      {D(2022, 10, 1), Cents(1200), "§ 1 Abs. 2 Satz 1 MiLoG", kV},
      {D(2024, 1, 1), Cents(1241), "§ 1 Nr. 1 MiLoV4", kV},
      {D(2025, 1, 1), Cents(1282), "§ 1 Nr. 2 MiLoV4", kV},
      {D(2026, 1, 1), Cents(1390), "§ 1 Nr. 1 MiLoV5", kV},
      {D(2027, 1, 1), Cents(1460), "§ 1 Nr. 2 MiLoV5", kV},
  };
  return kTable;
}

std::span<const DatedRow<TrainingAllowance>> TrainingAllowanceTable() {
  // LABOUR_LAW.md § 1.3. 2020–2023: fixed 1st-year amounts of § 17 Abs. 2 Satz 1 Nr. 1 BBiG, the
  // later years exactly +18 %, +35 %, +40 % (Nr. 2–4). From 2024 the BMBF announces the amounts,
  // rounded to whole euros. No 2027 row: not yet announced (due by 1.11.2026).
  static const DatedRow<TrainingAllowance> kTable[] = {
      {D(2020, 1, 1), {{Cents(51500), Cents(60770), Cents(69525), Cents(72100)}},
       "§ 17 Abs. 2 Satz 1 Nr. 1 Buchst. a BBiG", kV},
      {D(2021, 1, 1), {{Cents(55000), Cents(64900), Cents(74250), Cents(77000)}},
       "§ 17 Abs. 2 Satz 1 Nr. 1 Buchst. b BBiG", kV},
      {D(2022, 1, 1), {{Cents(58500), Cents(69030), Cents(78975), Cents(81900)}},
       "§ 17 Abs. 2 Satz 1 Nr. 1 Buchst. c BBiG", kV},
      {D(2023, 1, 1), {{Cents(62000), Cents(73160), Cents(83700), Cents(86800)}},
       "§ 17 Abs. 2 Satz 1 Nr. 1 Buchst. d BBiG", kV},
      {D(2024, 1, 1), {{Cents(64900), Cents(76600), Cents(87600), Cents(90900)}},
       "§ 17 Abs. 2 Satz 2 BBiG, Bekanntmachung BGBl. 2023 I Nr. 279", kS},
      {D(2025, 1, 1), {{Cents(68200), Cents(80500), Cents(92100), Cents(95500)}},
       "§ 17 Abs. 2 Satz 2 BBiG, Bekanntmachung BGBl. 2024 I Nr. 305", kS},
      {D(2026, 1, 1), {{Cents(72400), Cents(85400), Cents(97700), Cents(101400)}},
       "§ 17 Abs. 2 Satz 2 BBiG, Bekanntmachung BGBl. 2025 I Nr. 235", kS},
  };
  return kTable;
}

std::span<const DatedRow<EarningsLimits>> EarningsLimitsTable() {
  // LABOUR_LAW.md § 4.5. From 2022-10 the mini-job limit is the minimum wage × 130 / 3 rounded up
  // to the euro (§ 8 Abs. 1a SGB IV); a test recomputes it from MinimumWageTable().
  static const DatedRow<EarningsLimits> kTable[] = {
      {D(2013, 1, 1), {Cents(45000), Cents(85000)}, "§ 8 Abs. 1 Nr. 1 SGB IV (a.F.)", kS},
      {D(2019, 7, 1), {Cents(45000), Cents(130000)}, "§ 8 Abs. 1 Nr. 1 SGB IV (a.F.)", kS},
      {D(2022, 10, 1), {Cents(52000), Cents(160000)}, "§ 8 Abs. 1a SGB IV", kS},
      {D(2023, 1, 1), {Cents(52000), Cents(200000)}, "§ 8 Abs. 1a SGB IV", kS},
      {D(2024, 1, 1), {Cents(53800), Cents(200000)}, "§ 8 Abs. 1a SGB IV", kS},
      {D(2025, 1, 1), {Cents(55600), Cents(200000)}, "§ 8 Abs. 1a SGB IV", kS},
      {D(2026, 1, 1), {Cents(60300), Cents(200000)}, "§ 8 Abs. 1a SGB IV", kS},
      {D(2027, 1, 1), {Cents(63300), Cents(200000)}, "§ 8 Abs. 1a SGB IV", kS},
  };
  return kTable;
}

std::span<const DatedRow<int>> StatutoryLeaveTable() {
  // 24 Werktage is [V] (LABOUR_LAW.md § 3). The date is [K]: § 3 Abs. 1 BUrlG was raised from
  // 18 to 24 Werktage by the Arbeitszeitrechtsgesetz of 6.6.1994 with effect from 1.1.1995.
  // Earlier years are not computed (the new Länder had their own rule until 1994).
  static const DatedRow<int> kTable[] = {
      {D(1995, 1, 1), 24, "§ 3 Abs. 1 BUrlG", kK},
  };
  return kTable;
}

std::span<const DatedRow<ExtendedNotice>> ExtendedNoticeTable() {
  // § 622 Abs. 2 Satz 1 BGB [V]; in force since 15.10.1993 [K]. The former Satz 2 (years before
  // the age of 25 do not count) is not applied: CJEU C-555/07 Kücükdeveci, deleted from 1.1.2019.
  static const Date kFrom = D(1993, 10, 15);
  static const DatedRow<ExtendedNotice> kTable[] = {
      {kFrom, {2, 1}, "§ 622 Abs. 2 Satz 1 Nr. 1 BGB", kV},
      {kFrom, {5, 2}, "§ 622 Abs. 2 Satz 1 Nr. 2 BGB", kV},
      {kFrom, {8, 3}, "§ 622 Abs. 2 Satz 1 Nr. 3 BGB", kV},
      {kFrom, {10, 4}, "§ 622 Abs. 2 Satz 1 Nr. 4 BGB", kV},
      {kFrom, {12, 5}, "§ 622 Abs. 2 Satz 1 Nr. 5 BGB", kV},
      {kFrom, {15, 6}, "§ 622 Abs. 2 Satz 1 Nr. 6 BGB", kV},
      {kFrom, {20, 7}, "§ 622 Abs. 2 Satz 1 Nr. 7 BGB", kV},
  };
  return kTable;
}

Date NoticeRulesValidFrom() { return ExtendedNoticeTable().front().valid_from; }

Date MinimumWageValidFrom() { return MinimumWageTable().front().valid_from; }

Date MinimumWageWithoutExceptionsFrom() { return D(2018, 1, 1); }

Date TrainingAllowanceValidFrom() { return TrainingAllowanceTable().front().valid_from; }

Date TextFormClauseRuleValidFrom() { return D(2016, 10, 1); }

// Schuldrechtsmodernisierungsgesetz of 26.11.2001 (BGBl. I S. 3138), in force 1.1.2002; transition
// Art. 229 § 6 EGBGB. [S]
Date LimitationRulesValidFrom() { return D(2002, 1, 1); }

// EFZG = Art. 53 PflegeVG of 26.5.1994 (BGBl. I S. 1014), in force 1.6.1994. [S]
Date SickPayActValidFrom() { return D(1994, 6, 1); }

// § 3 Abs. 3 EFZG, Art. 3 Arbeitsrechtliches Beschäftigungsförderungsgesetz of 25.9.1996
// (BGBl. I S. 1476), in force 1.10.1996. [S]
Date SickPayWaitingPeriodValidFrom() { return D(1996, 10, 1); }

// ArbZG = Art. 1 ArbZRG of 6.6.1994 (BGBl. I S. 1170), in force 1.7.1994 (Art. 21 ArbZRG). [S]
Date WorkingTimeActValidFrom() { return D(1994, 7, 1); }

}  // namespace fairdesk::labour_law
