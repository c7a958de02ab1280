// Worked examples of the redaction check of case descriptions.

#include <gtest/gtest.h>

#include "knowledge/redaction.hpp"

namespace fairdesk::knowledge {
namespace {

PersonalData Client() {
  PersonalData pd;
  pd.names = {"Samira Al-Haddad", "سميرة الحداد"};
  pd.phones = {"+49 151 2345 6789"};
  pd.emails = {"samira.h@example.org"};
  pd.addresses = {"Lindenstraße 12, 10969 Berlin"};
  pd.employers = {"Blitzblank Gebäudereinigung GmbH"};
  pd.birth_dates = {"1990-02-01"};
  pd.codes = {"BE-2026-ABCD"};
  return pd;
}

using Kinds = std::vector<std::string>;

TEST(Redaction, NamesInEveryScriptFolded) {
  auto pd = Client();
  EXPECT_EQ(FindPersonalData(pd, "Frau SAMIRA kam in die Beratung."), Kinds{"name"});
  EXPECT_EQ(FindPersonalData(pd, "Die Klientin (al-haddad) …"), Kinds{"name"});
  EXPECT_EQ(FindPersonalData(pd, "جاءت سَمِيرَة إلى الاستشارة"), Kinds{"name"});  // with vowel marks
  EXPECT_TRUE(FindPersonalData(pd, "Eine Reinigungskraft aus Syrien.").empty());
}

TEST(Redaction, PhoneNumbersInAnyFormat) {
  auto pd = Client();
  for (const char* text : {"Tel. 0151 2345 6789", "Tel. 0151/23456789", "+49 (151) 234-56789", "0049 151 23456789",
                           "رقم الهاتف ٠١٥١٢٣٤٥٦٧٨٩", "Handy: 0151-2345-6789."}) {
    EXPECT_EQ(FindPersonalData(pd, text), Kinds{"phone"}) << text;
  }
  EXPECT_TRUE(FindPersonalData(pd, "Aktenzeichen 0151 2345").empty());
  EXPECT_EQ(NationalDigits("+49 151 2345 6789"), "015123456789");
  // Typeset separators: non-breaking and thin spaces, en dashes.
  EXPECT_EQ(FindPersonalData(pd, "Tel.\u00a00151\u2009234\u201356789"), Kinds{"phone"});
}

TEST(Redaction, ForeignNumbersWrittenNationallyOrInternationally) {
  PersonalData pd;
  pd.phones = {"+380 67 123 4567", "00963 944 123 456"};
  for (const char* text : {"Her Ukrainian mobile 067 123 45 67", "+380671234567", "00380 (67) 123-4567",
                           "الرقم السوري ٠٩٤٤١٢٣٤٥٦", "+963 944 123 456"}) {
    EXPECT_EQ(FindPersonalData(pd, text), Kinds{"phone"}) << text;
  }
  EXPECT_TRUE(FindPersonalData(pd, "Az. 067 123").empty());
}

TEST(Redaction, BirthDateInGermanIsoShortAndArabicDigits) {
  auto pd = Client();
  for (const char* text : {"geboren am 1.2.1990", "geb. 01.02.1990", "geb. 01.02.90", "DOB 1990-02-01",
                           "geboren am 1. Februar 1990", "born February 1, 1990", "مواليد ١‏/٢‏/١٩٩٠"}) {
    EXPECT_EQ(FindPersonalData(pd, text), Kinds{"birth_date"}) << text;
  }
  EXPECT_TRUE(FindPersonalData(pd, "seit dem 1.2.2020 beschäftigt").empty());
}

TEST(Redaction, EmailAddressEmployerCode) {
  auto pd = Client();
  EXPECT_EQ(FindPersonalData(pd, "Mail an Samira.H@example.org"), (Kinds{"name", "email"}));
  EXPECT_EQ(FindPersonalData(pd, "wohnt in der Lindenstrasse 12"), Kinds{"address"});
  EXPECT_EQ(FindPersonalData(pd, "10969 Berlin"), Kinds{"address"});
  EXPECT_TRUE(FindPersonalData(pd, "in Berlin").empty());
  EXPECT_EQ(FindPersonalData(pd, "bei blitzblank gebaudereinigung gmbh angestellt"), Kinds{"employer"});
  EXPECT_EQ(FindPersonalData(pd, "Fall BE-2026-ABCD"), Kinds{"client_code"});
}

}  // namespace
}  // namespace fairdesk::knowledge
