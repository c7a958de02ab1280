#pragma once
/// Search in one place, for both databases: what is indexed for a text, how a query becomes a
/// word-index query (FTS5 on SQLite, tsquery on PostgreSQL: both only find candidates), and how
/// candidates are ranked and snippeted in C++, so that SQLite and PostgreSQL answer the same.
///
/// A query is a conjunction of terms; a term is a disjunction of alternatives; an alternative is
/// a conjunction of token prefixes. Alternatives of a query word: its normalised form, its stem
/// in the query language, the ae/oe/ue→a/o/u variant, its compound parts (glossary of German word
/// parts), and the synonyms and cross-language terms of the glossary.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fairdesk::knowledge {

struct Alternative {
  std::vector<std::string> prefixes;  // all must occur (as a token prefix)
};
struct Term {
  std::string word;  // the normalised query word
  std::vector<Alternative> alternatives;
};
struct SearchQuery {
  std::vector<Term> terms;
  bool empty() const { return terms.empty(); }
};

/// Builds the query of `q` in language `lang` (the stemmer used; empty: German).
SearchQuery ParseQuery(std::string_view q, std::string_view lang);

/// Prefixes of up to this many characters are indexed as words of their own: FTS5 keeps prefix
/// indexes of 2 to 12 characters, and the PostgreSQL tsvector holds "p*" for every prefix p of
/// 2 to 12 characters of each term (PrefixLexemes), so that a prefix query reads one list of rows
/// instead of merging the lists of every word with that prefix.
inline constexpr std::size_t kIndexedPrefixMax = 12;

/// The FTS5 MATCH expression and the PostgreSQL tsquery literal of a query (a prefix p of up to
/// kIndexedPrefixMax characters is the lexeme "p*", a longer one p:*).
std::string Fts5Expression(const SearchQuery& q);
std::string TsQueryLiteral(const SearchQuery& q);

/// The "p*" lexemes of a term for the PostgreSQL index: its prefixes of 2 to kIndexedPrefixMax
/// characters (the whole term included when it is that short).
std::vector<std::string> PrefixLexemes(std::string_view term);

/// The index terms of a text in `language`: every normalised token, its stem and its compound
/// parts, space separated and sorted, each distinct term once with ":n" appended when it occurs
/// n > 1 times (term frequency counts for ranking).
std::string IndexTerms(std::string_view language, std::string_view text);

/// The words of IndexTerms output for a word index: the terms without their counts.
std::string IndexWords(std::string_view terms);

/// German compound parts of a normalised token (at least two), or empty.
std::vector<std::string> CompoundParts(std::string_view token);

struct RankInput {
  std::string_view language;  // of the document
  std::string_view title_terms;
  std::string_view body_terms;
};
/// A deterministic integer score (higher is better); 0 when the document does not match every
/// term (the word index's candidates are checked again here).
std::int64_t Score(const SearchQuery& q, const RankInput& doc, std::string_view preferred_language);

/// A snippet of `plain` around the best cluster of matches: HTML-escaped text with the matched
/// words in <mark>…</mark>, "…" where cut.
std::string Snippet(const SearchQuery& q, std::string_view language, std::string_view plain, int max_words = 28);

}  // namespace fairdesk::knowledge
