#pragma once
/// Text normalisation for search, identical for the index and the query, so that SQLite and
/// PostgreSQL (used only as word indexes) see the same tokens. KNOWLEDGE_EVENTS.md explains why
/// neither database's own tokenizer will do for Arabic, Persian, German compounds or Cyrillic.
///
/// Normalise(): ICU NFKC with case folding (ß→ss, Turkish İ→i, default-ignorables such as the
/// zero-width non-joiner removed), then canonical decomposition with every non-spacing mark
/// dropped (Latin and Cyrillic diacritics: ä→a, ё→е; Arabic vowel marks U+064B–065F, U+0670,
/// hamza above/below, so أ إ آ → ا), tatweel removed, ى/ی→ي, ک→ك, ٱ→ا, ı→i, apostrophe variants
/// removed, every decimal digit (Arabic-Indic, Persian, …) to ASCII, and NFC again.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fairdesk::knowledge {

/// The normalised form of a whole text (spaces and punctuation kept).
std::string Normalise(std::string_view text);
/// The same, always through ICU (Normalise takes a shortcut for ASCII and common Latin-1 letters).
std::string NormaliseWithIcu(std::string_view text);

/// A word of the original text: its byte range and its normalised form (only letters and digits).
struct Word {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string norm;
};

/// Splits the original text into words (letters, digits and the marks, joiners and apostrophes
/// inside them) and normalises each. Words whose normal form is empty are left out.
std::vector<Word> Words(std::string_view text);

/// Normalised tokens of a text, in order (duplicates kept).
std::vector<std::string> Tokens(std::string_view text);

/// The Snowball stem of a normalised token in `language` (de, en, ar, ru, tr; others: the
/// token itself). Tokens shorter than 3 characters are not stemmed.
std::string Stem(std::string_view language, std::string_view token);

/// True where a stemmer exists for `language`.
bool HasStemmer(std::string_view language);

/// Number of code points of a UTF-8 string.
std::size_t CodePoints(std::string_view s);

}  // namespace fairdesk::knowledge
