// Worked examples of live figures in knowledge items (knowledge/figures.hpp): every render date is
// fixed here, never today.

#include "knowledge/figures.hpp"

#include <gtest/gtest.h>

#include "knowledge/markdown.hpp"

namespace fairdesk::knowledge {
namespace {

Date D(int y, int m, int d) { return Date::Ymd(y, m, d); }

TEST(Figures, MinimumWageBeforeAndAfterTheFirstOfJanuary2027) {
  // MiLoV5 § 1 Nr. 1 and Nr. 2: 13.90 from 1.1.2026, 14.60 from 1.1.2027.
  auto before = FigureOn("minimum_wage", D(2026, 12, 31));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->amount, 1390);
  EXPECT_EQ(before->valid_from, D(2026, 1, 1));
  EXPECT_EQ(before->source, "§ 1 Nr. 1 MiLoV5");
  auto after = FigureOn("minimum_wage", D(2027, 1, 1));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->amount, 1460);
  EXPECT_EQ(after->source, "§ 1 Nr. 2 MiLoV5");

  const std::string body = "Der Mindestlohn beträgt {{minimum_wage}} brutto pro Stunde.";
  EXPECT_EQ(ResolveFigures(body, "de", D(2026, 12, 31), Unresolved::kEllipsis),
            "Der Mindestlohn beträgt 13,90\u00a0€ (seit 1. Januar 2026) brutto pro Stunde.");
  EXPECT_EQ(ResolveFigures(body, "de", D(2027, 1, 1), Unresolved::kEllipsis),
            "Der Mindestlohn beträgt 14,60\u00a0€ (seit 1. Januar 2027) brutto pro Stunde.");
  // The example of the issue: on a day in 2025.
  EXPECT_EQ(ResolveFigures("{{minimum_wage}}", "de", D(2025, 6, 30), Unresolved::kEllipsis, Output::kText),
            "12,82\u00a0€ (seit 1. Januar 2025)");
}

TEST(Figures, ValueAndSinceParts) {
  Date day = D(2027, 3, 15);
  EXPECT_EQ(ResolveFigures("{{minimum_wage:value}}", "en", day, Unresolved::kEllipsis), "€14.60");
  EXPECT_EQ(ResolveFigures("{{ minimum_wage : since }}", "en", day, Unresolved::kEllipsis), "1 January 2027");
  EXPECT_EQ(ResolveFigures("{{minimum_wage}}", "en", day, Unresolved::kEllipsis), "€14.60 (since 1 January 2027)");
  // Whole euros are written without cents: the mini-job limit (603 € in 2026, 633 € in 2027).
  EXPECT_EQ(ResolveFigures("{{minijob_limit:value}}", "de", D(2026, 7, 1), Unresolved::kEllipsis), "603\u00a0€");
  EXPECT_EQ(ResolveFigures("{{minijob_limit:value}}", "de", day, Unresolved::kEllipsis), "633\u00a0€");
  EXPECT_EQ(ResolveFigures("{{midijob_upper:value}}", "de", day, Unresolved::kEllipsis), "2.000\u00a0€");
  EXPECT_EQ(ResolveFigures("{{leave_days_six_day_week:value}} / {{leave_days_five_day_week:value}}", "de", day,
                           Unresolved::kEllipsis),
            "24 / 20");
}

TEST(Figures, ArabicAndPersianDigitsAndGregorianMonths) {
  Date day = D(2027, 1, 1);
  auto ar = ResolveFigures("{{minimum_wage}}", "ar", day, Unresolved::kEllipsis, Output::kText);
  EXPECT_NE(ar.find("١٤٫٦٠"), std::string::npos) << ar;
  EXPECT_NE(ar.find("منذ ١ يناير ٢٠٢٧"), std::string::npos) << ar;
  // Farsi and Dari: Persian digits, the Gregorian month (ژانویه / جنوری), never the Persian calendar.
  auto fa = ResolveFigures("{{minimum_wage:since}}", "fa", day, Unresolved::kEllipsis, Output::kText);
  EXPECT_NE(fa.find("ژانویه"), std::string::npos) << fa;
  EXPECT_NE(fa.find("۲۰۲۷"), std::string::npos) << fa;
  auto prs = ResolveFigures("{{minimum_wage:since}}", "prs", day, Unresolved::kEllipsis, Output::kText);
  EXPECT_NE(prs.find("۲۰۲۷"), std::string::npos) << prs;
  auto ps = ResolveFigures("{{minimum_wage}}", "ps", day, Unresolved::kEllipsis, Output::kText);
  EXPECT_NE(ps.find("۲۰۲۷"), std::string::npos) << ps;
  EXPECT_NE(ps.find("راهیسې"), std::string::npos) << ps;
  auto uk = ResolveFigures("{{minimum_wage}}", "uk", day, Unresolved::kEllipsis, Output::kText);
  EXPECT_NE(uk.find("14,60"), std::string::npos) << uk;
  EXPECT_NE(uk.find("з 1 січня 2027"), std::string::npos) << uk;
}

TEST(Figures, UnknownPlaceholdersAreNamedAndNeverShownRaw) {
  std::vector<FieldError> errors;
  CheckPlaceholders("Lohn {{mindestlohn}} und {{minimum_wage:amount}}, {{minimum_wage}}", "body", false, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "body");
  EXPECT_NE(errors[0].message.find("{{mindestlohn}}"), std::string::npos);
  EXPECT_NE(errors[0].message.find("{{minimum_wage:amount}}"), std::string::npos);
  EXPECT_EQ(errors[0].message.find("{{minimum_wage}}"), std::string::npos);

  // Letter templates keep their fill-in fields; a figure with a wrong part is still refused.
  errors.clear();
  CheckPlaceholders("{{client_name}} {{amount}} {{minimum_wage}}", "body", true, errors);
  EXPECT_TRUE(errors.empty());
  CheckPlaceholders("{{minimum_wage:amount}} {{Client Name}}", "body", true, errors);
  ASSERT_EQ(errors.size(), 1u);

  // Rendered anyway (text saved before the check): "…" for a reader, kept in a letter template.
  EXPECT_EQ(ResolveFigures("a {{foo}} b", "de", D(2026, 5, 1), Unresolved::kEllipsis), "a … b");
  EXPECT_EQ(ResolveFigures("a {{foo}} b", "de", D(2026, 5, 1), Unresolved::kKeep), "a {{foo}} b");
  // Before the table's first row there is no figure: never raw braces.
  EXPECT_EQ(ResolveFigures("{{minimum_wage}}", "de", D(2014, 12, 31), Unresolved::kKeep), "…");
}

TEST(Figures, EscapesAndLines) {
  // \{{ is a literal; a placeholder never spans lines; an unclosed {{ is text.
  EXPECT_TRUE(FindPlaceholders("\\{{minimum_wage}}").empty());
  EXPECT_TRUE(FindPlaceholders("{{minimum\n_wage}}").empty());
  EXPECT_TRUE(FindPlaceholders("a {{ b").empty());
  auto found = FindPlaceholders("x {{minijob_limit}} y {{minimum_wage:since}}");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[1].name, "minimum_wage");
  EXPECT_EQ(found[1].part, "since");
  EXPECT_EQ(WithoutPlaceholders("bis {{minijob_limit}} im Monat"), "bis   im Monat");
}

TEST(Figures, ADateAtTheStartOfALineStaysText) {
  // "1. Januar 2026" would start an ordered list; rendered, it is a paragraph with the date.
  auto md = ResolveFigures("{{minimum_wage:since}} galt der neue Satz.", "de", D(2026, 3, 1), Unresolved::kEllipsis);
  EXPECT_EQ(md, "1\\. Januar 2026 galt der neue Satz.");
  EXPECT_EQ(RenderHtml(md), "<p>1. Januar 2026 galt der neue Satz.</p>\n");
}

}  // namespace
}  // namespace fairdesk::knowledge
