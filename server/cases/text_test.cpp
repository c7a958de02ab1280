#include "cases/text.hpp"

#include <gtest/gtest.h>

namespace fairdesk::cases {
namespace {

TEST(FoldForMatch, InvisibleCharactersWidthCaseAndConfusables) {
  EXPECT_EQ(FoldForMatch("Ha\u200Bd\u00ADdad"), FoldForMatch("haddad"));
  EXPECT_EQ(FoldForMatch("\uFF28\uFF21\uFF24\uFF24\uFF21\uFF24"), FoldForMatch("Haddad"));   // full width
  EXPECT_EQ(FoldForMatch("H\u0430dd\u0430d"), FoldForMatch("haddad"));                     // Cyrillic a
  EXPECT_EQ(FoldForMatch("  Stra\u00DFe \t 5 "), FoldForMatch("strasse 5"));
  EXPECT_NE(FoldForMatch("Haddad"), FoldForMatch("Hadad"));
}

TEST(Normalise, PhonesNamesEmails) {
  EXPECT_EQ(NormalisePhone("+49 30 1234567"), "0301234567");
  EXPECT_EQ(NormalisePhone("+49 (0)30 123-4567"), "0301234567");
  EXPECT_EQ(NormalisePhone("0049 30 1234567"), "0301234567");
  EXPECT_EQ(NormalisePhone("030/123 45 67"), "0301234567");
  EXPECT_EQ(NormalisePhone("+33 1 23 45 67 89"), "+33123456789");
  EXPECT_EQ(NormalisePhone("12"), "");
  EXPECT_EQ(NormaliseName("Kovalenko-Shevchenko, Olena"), NormaliseName("kovalenko shevchenko olena"));
  EXPECT_EQ(NameTokens("Olena  Kovalenko-Shevchenko"), (std::vector<std::string>{"olena", "kovalenko", "shevchenko"}));
  EXPECT_EQ(NormaliseEmail(" Olena.K@Example.ORG "), "olena.k@example.org");
  EXPECT_EQ(DigitsOf("9876x5432"), "98765432");
}

// Issue 8 #14: the identity check normalises and covers address, employer and birth date.
TEST(IdentifyingData, FindsDisguisedData) {
  Client c;
  c.code = "BE-2026-AB12";
  c.personal.name = "Mariam Haddad";
  c.personal.phone = "0176 98765432";
  c.personal.email = "mariam@example.org";
  c.personal.birth_date = "1992-11-03";
  c.personal.address = "Lindenallee 17, 12345 Berlin";
  c.employer = "Geb\u00E4udereinigung Sauberwind GmbH";
  auto kinds = [&](std::string_view text) { return IdentifyingData(text, c); };
  using V = std::vector<std::string>;
  EXPECT_EQ(kinds("Frau Ha\u200Bddad"), V{"name"});
  EXPECT_EQ(kinds("Frau Had\u00ADdad"), V{"name"});
  EXPECT_EQ(kinds("Frau H\u0430ddad"), V{"name"});
  EXPECT_EQ(kinds("Mariam.Haddad schrieb"), V{"name"});
  EXPECT_EQ(kinds("R\u00FCckruf 9876x5432"), V{"phone"});
  EXPECT_EQ(kinds("Tel +49 176 987 654 32"), V{"phone"});
  EXPECT_EQ(kinds("geboren 3.11.1992"), V{"birth_date"});
  EXPECT_EQ(kinds("geb. 1992-11-03"), V{"birth_date"});
  EXPECT_EQ(kinds("bei SAUBERWIND"), V{"employer"});
  EXPECT_EQ(kinds("Lindenallee 17"), V{"address"});
  EXPECT_EQ(kinds("mariam@example.org"), (V{"email", "name"}));
  EXPECT_EQ(kinds("be 2026 ab12"), V{"code"});
  EXPECT_TRUE(kinds("Reinigungskraft, Lohn fehlt seit M\u00E4rz 2024, 1.200 EUR, 17 Stunden").empty());
  EXPECT_TRUE(kinds("Die Lindenallee ist lang; Gebäude 1992").empty());
}

}  // namespace
}  // namespace fairdesk::cases
