// Worked examples of the search normaliser (KNOWLEDGE_EVENTS.md, "Search in many languages").

#include <gtest/gtest.h>

#include "knowledge/search.hpp"
#include "knowledge/text.hpp"

namespace fairdesk::knowledge {
namespace {

TEST(Normalise, ArabicVowelMarksAreDropped) {
  // kataba with fatha on every letter, and without.
  EXPECT_EQ(Normalise("كَتَبَ"), "كتب");
  EXPECT_EQ(Normalise("كتب"), "كتب");
  // shadda, sukun, tanwin, superscript alef.
  EXPECT_EQ(Normalise("عُمّال"), "عمال");
  EXPECT_EQ(Normalise("أجْرٌ"), "اجر");
  EXPECT_EQ(Normalise("هٰذا"), "هذا");
}

TEST(Normalise, ArabicAlefFormsAndTatweel) {
  EXPECT_EQ(Normalise("أ"), "ا");
  EXPECT_EQ(Normalise("إ"), "ا");
  EXPECT_EQ(Normalise("آ"), "ا");
  EXPECT_EQ(Normalise("ٱ"), "ا");
  EXPECT_EQ(Normalise("الأجـــر"), "الاجر");  // tatweel
  EXPECT_EQ(Normalise("على"), "علي");       // alef maksura
}

TEST(Normalise, PersianLettersBecomeArabic) {
  // Farsi yeh ی (U+06CC) and keheh ک (U+06A9) vs Arabic ي (U+064A) and ك (U+0643).
  EXPECT_EQ(Normalise("کارگر"), Normalise("كارگر"));
  EXPECT_EQ(Normalise("قانونی"), Normalise("قانوني"));
  EXPECT_EQ(Normalise("\u06A9\u06CC"), "\u0643\u064A");
  // The zero-width non-joiner inside a Persian word does not split it: می‌خواهم.
  EXPECT_EQ(Normalise("می\u200Cخواهم"), Normalise("میخواهم"));
  EXPECT_EQ(Tokens("می\u200Cخواهم").size(), 1u);
}

TEST(Normalise, GermanUmlautsAndSharpS) {
  EXPECT_EQ(Normalise("Kündigung"), "kundigung");
  EXPECT_EQ(Normalise("KÜNDIGUNG"), "kundigung");
  EXPECT_EQ(Normalise("Straße"), "strasse");
  EXPECT_EQ(Normalise("STRASSE"), "strasse");
  EXPECT_EQ(Normalise("Überstunden"), "uberstunden");
  EXPECT_EQ(Normalise("Ärztin"), "arztin");
}

TEST(Normalise, CyrillicTurkishApostrophesDigits) {
  EXPECT_EQ(Normalise("ёлка"), Normalise("елка"));
  EXPECT_EQ(Normalise("Всё"), "все");
  EXPECT_EQ(Normalise("İSTANBUL"), "istanbul");
  EXPECT_EQ(Normalise("ışık"), "isik");
  EXPECT_EQ(Normalise("don’t"), Normalise("don't"));
  EXPECT_EQ(Normalise("don’t"), "dont");
  EXPECT_EQ(Normalise("٠١٢٣٤٥٦٧٨٩"), "0123456789");  // Arabic-Indic
  EXPECT_EQ(Normalise("۱۹۹۰"), "1990");              // Persian
  EXPECT_EQ(Normalise("ﬁ"), "fi");                   // NFKC ligature
}

TEST(Normalise, TheShortcutAgreesWithIcu) {
  std::string all;
  for (int c = 0x20; c < 0x7f; ++c) all += static_cast<char>(c);
  for (int c = 0xC0; c <= 0xFF; ++c) {
    all += static_cast<char>(0xC3);
    all += static_cast<char>(0x80 + (c - 0xC0));
  }
  for (std::size_t i = 0; i < all.size();) {
    std::size_t n = (static_cast<unsigned char>(all[i]) & 0x80) ? 2 : 1;
    std::string ch = all.substr(i, n);
    EXPECT_EQ(Normalise("X" + ch + "y"), NormaliseWithIcu("X" + ch + "y")) << ch;
    i += n;
  }
  EXPECT_EQ(Normalise("Kündigungsschutzklage, Straße & Œuvre"), NormaliseWithIcu("Kündigungsschutzklage, Straße & Œuvre"));
}

TEST(Words, KeepOriginalOffsets) {
  std::string text = "Die Kündigung, bitte!";
  auto words = Words(text);
  ASSERT_EQ(words.size(), 3u);
  EXPECT_EQ(text.substr(words[1].begin, words[1].end - words[1].begin), "Kündigung");
  EXPECT_EQ(words[1].norm, "kundigung");
  // Apostrophes inside a word stay inside it; quotes around it do not.
  auto w2 = Words("'l’employeur'");
  ASSERT_EQ(w2.size(), 1u);
  EXPECT_EQ(w2[0].norm, "lemployeur");
}

TEST(Stem, LanguagesWithAndWithoutStemmer) {
  EXPECT_EQ(Stem("de", "kundigungen"), Stem("de", "kundigung"));
  EXPECT_EQ(Stem("en", "dismissals"), Stem("en", "dismissal"));
  EXPECT_EQ(Stem("ru", "зарплаты"), Stem("ru", "зарплата"));
  EXPECT_EQ(Stem("uk", "зарплати"), "зарплати");  // no Ukrainian stemmer: the token itself
  EXPECT_TRUE(HasStemmer("ar"));
  EXPECT_FALSE(HasStemmer("fa"));
}

TEST(Compounds, SplitIntoGlossaryParts) {
  EXPECT_EQ(CompoundParts("kundigungsschutzklage"), (std::vector<std::string>{"kundigung", "schutz", "klage"}));
  EXPECT_EQ(CompoundParts("mindestlohn"), (std::vector<std::string>{"mindest", "lohn"}));
  EXPECT_EQ(CompoundParts("arbeitszeiten"), (std::vector<std::string>{"arbeit", "zeit"}));
  EXPECT_TRUE(CompoundParts("beispiel").empty());
  EXPECT_TRUE(CompoundParts("lohn").empty());
}

TEST(Query, ExpressionsForBothIndexes) {
  auto q = ParseQuery("Kündigung", "de");
  ASSERT_EQ(q.terms.size(), 1u);
  // The stem's prefix finds everything the word's prefix finds: the word index asks for it alone.
  EXPECT_NE(Fts5Expression(q).find("\"kundig\"*"), std::string::npos);
  EXPECT_EQ(Fts5Expression(q).find("\"kundigung\"*"), std::string::npos);
  // PostgreSQL: prefixes of up to 12 characters are lexemes of their own, longer ones prefix queries.
  EXPECT_NE(TsQueryLiteral(q).find("'kundig*'"), std::string::npos);
  EXPECT_NE(TsQueryLiteral(ParseQuery("Kündigungsschutzklage", "de")).find("'kundigungsschutzklag':*"),
            std::string::npos);
  EXPECT_EQ(PrefixLexemes("lohn"), (std::vector<std::string>{"lo*", "loh*", "lohn*"}));
  EXPECT_EQ(PrefixLexemes("звільнення").size(), 9u);  // characters, not bytes
  EXPECT_EQ(PrefixLexemes("kundigungsschutzklage").back(), "kundigungssc*");
  // Cross-language glossary: Kündigung also looks for dismissal.
  EXPECT_NE(Fts5Expression(q).find("\"dismissal\"*"), std::string::npos);
  // Stop words are dropped when other words remain.
  EXPECT_EQ(ParseQuery("die Kündigung", "de").terms.size(), 1u);
  EXPECT_TRUE(ParseQuery("  ,;! ", "de").empty());
}

TEST(Rank, MatchesWithAndWithoutMarksAndCompounds) {
  // RankInput holds views: the term strings live here.
  const std::string ar_title = IndexTerms("ar", "الحد الأدنى للأجور");
  const std::string ar_body = IndexTerms("ar", "الحد الأدنى للأجور في ألمانيا");
  RankInput doc{"ar", ar_title, ar_body};
  EXPECT_GT(Score(ParseQuery("الأَدْنَى", "ar"), doc, "ar"), 0);
  EXPECT_GT(Score(ParseQuery("الادني", "ar"), doc, "ar"), 0);
  const std::string de_title = IndexTerms("de", "Kündigungsschutzklage");
  const std::string de_body = IndexTerms("de", "Die Klage gegen die Kündigung");
  RankInput de{"de", de_title, de_body};
  EXPECT_GT(Score(ParseQuery("schutzklage", "de"), de, "de"), 0);
  EXPECT_GT(Score(ParseQuery("Kuendigungsschutz", "de"), de, "de"), 0);
  EXPECT_EQ(Score(ParseQuery("Urlaub", "de"), de, "de"), 0);
  // A title hit ranks above a body hit.
  const std::string urlaub = IndexTerms("de", "Urlaub"), text = IndexTerms("de", "Text");
  RankInput title{"de", urlaub, text};
  RankInput body{"de", text, urlaub};
  EXPECT_GT(Score(ParseQuery("Urlaub", "de"), title, "de"), Score(ParseQuery("Urlaub", "de"), body, "de"));
}

TEST(Rank, TermsCarryTheirCountsAndOldRowsStillRank) {
  EXPECT_EQ(IndexTerms("de", "Lohn Lohn Frist Lohn"), "frist lohn:3");
  EXPECT_EQ(IndexWords("frist lohn:3 urlaub"), "frist lohn urlaub");
  // A row indexed before the counts (each occurrence an entry) ranks the same.
  const std::string compact = IndexTerms("de", "Lohn Lohn Frist Lohn"), empty;
  const std::string repeated = "frist lohn lohn lohn";
  auto q = ParseQuery("Lohn", "de");
  EXPECT_EQ(Score(q, RankInput{"de", empty, compact}, "de"), Score(q, RankInput{"de", empty, repeated}, "de"));
  EXPECT_GT(Score(q, RankInput{"de", empty, compact}, "de"), Score(q, RankInput{"de", empty, "lohn"}, "de"));
}

TEST(Snippet, HighlightsEscapedWords) {
  auto q = ParseQuery("Kündigung", "de");
  auto s = Snippet(q, "de", "Erst <b>lesen</b>: Die Kündigung muss schriftlich sein.");
  EXPECT_NE(s.find("<mark>Kündigung</mark>"), std::string::npos) << s;
  EXPECT_NE(s.find("&lt;b&gt;"), std::string::npos) << s;
  EXPECT_EQ(s.find("<b>"), std::string::npos) << s;
  auto ar = Snippet(ParseQuery("كتب", "ar"), "ar", "هو كَتَبَ الرسالة");
  EXPECT_NE(ar.find("<mark>كَتَبَ</mark>"), std::string::npos) << ar;
}

}  // namespace
}  // namespace fairdesk::knowledge
