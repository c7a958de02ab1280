#include "knowledge/search.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <set>
#include <unordered_map>

#include "knowledge/glossary.hpp"
#include "knowledge/text.hpp"

namespace fairdesk::knowledge {
namespace {

constexpr std::size_t kMaxQueryWords = 10;

// Words that alone say nothing; dropped from a query that has other words.
const std::set<std::string, std::less<>>& StopWords() {
  static const std::set<std::string, std::less<>> words = [] {
    std::set<std::string, std::less<>> out;
    for (auto w : {"der", "die", "das", "und", "oder", "in", "im", "ein", "eine", "zu", "von", "mit", "fur", "ist",
                   "the", "a", "an", "and", "or", "of", "to", "in", "for", "is", "on", "what", "how",
                   "и", "в", "на", "з", "с", "та", "що", "что", "في", "من", "على", "و", "ve", "bir", "ile"}) {
      out.insert(Normalise(w));
    }
    return out;
  }();
  return words;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(0, p.size()) == p; }

std::vector<std::string_view> SplitSpaces(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    auto j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

void AddAlternative(Term& t, std::vector<std::string> prefixes) {
  prefixes.erase(std::remove_if(prefixes.begin(), prefixes.end(), [](const auto& p) { return p.empty(); }),
                 prefixes.end());
  if (prefixes.empty()) return;
  for (const auto& a : t.alternatives) {
    if (a.prefixes == prefixes) return;
  }
  t.alternatives.push_back(Alternative{std::move(prefixes)});
}

std::string UmlautVariant(std::string_view w) {
  std::string out;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i + 1 < w.size() && w[i + 1] == 'e' && (w[i] == 'a' || w[i] == 'o' || w[i] == 'u')) {
      out += w[i];
      ++i;
    } else {
      out += w[i];
    }
  }
  return out;
}

bool IsPrefixToken(std::string_view p) { return CodePoints(p) >= 2; }

std::string EscapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> CompoundParts(std::string_view token) {
  if (CodePoints(token) < 7) return {};
  const auto& lexicon = CompoundLexicon();
  static constexpr std::string_view kLinkers[] = {"", "s", "es", "n", "en"};
  // Fewest parts covering the token; the last part may carry an inflection of up to 3 bytes.
  std::unordered_map<std::size_t, std::optional<std::vector<std::string>>> memo;
  std::function<std::optional<std::vector<std::string>>(std::size_t)> split =
      [&](std::size_t pos) -> std::optional<std::vector<std::string>> {
    if (auto it = memo.find(pos); it != memo.end()) return it->second;
    std::optional<std::vector<std::string>> best;
    for (const auto& part : lexicon) {
      if (token.compare(pos, part.size(), part) != 0) continue;
      std::size_t next = pos + part.size();
      if (token.size() - next <= 3) {
        std::vector<std::string> one{part};
        if (!best || best->size() > 1) best = one;
        continue;
      }
      for (auto linker : kLinkers) {
        if (token.compare(next, linker.size(), linker) != 0) continue;
        auto rest = split(next + linker.size());
        if (!rest) continue;
        std::vector<std::string> cand{part};
        cand.insert(cand.end(), rest->begin(), rest->end());
        if (!best || cand.size() < best->size()) best = cand;
      }
    }
    memo[pos] = best;
    return best;
  };
  auto parts = split(0);
  if (!parts || parts->size() < 2) return {};
  return *parts;
}

SearchQuery ParseQuery(std::string_view q, std::string_view lang) {
  std::string language = lang.empty() ? "de" : std::string(lang);
  auto words = Tokens(q);
  std::vector<std::string> kept;
  for (auto& w : words) {
    if (!StopWords().contains(w)) kept.push_back(w);
  }
  if (kept.empty()) kept = words;
  // Duplicates add nothing.
  std::vector<std::string> unique;
  for (auto& w : kept) {
    if (std::find(unique.begin(), unique.end(), w) == unique.end()) unique.push_back(w);
  }
  if (unique.size() > kMaxQueryWords) unique.resize(kMaxQueryWords);

  SearchQuery out;
  for (const auto& w : unique) {
    Term t;
    t.word = w;
    AddAlternative(t, {w});
    AddAlternative(t, {Stem(language, w)});
    std::string variant = UmlautVariant(w);
    if (variant != w) {
      AddAlternative(t, {variant});
      AddAlternative(t, {Stem(language, variant)});
    }
    for (const auto& base : {w, variant}) {
      auto parts = CompoundParts(base);
      if (!parts.empty()) AddAlternative(t, parts);
    }
    std::string stem = Stem(language, w);
    for (const auto& group : SynonymGroups()) {
      bool member = false;
      for (const auto& m : group) {
        if (m.find(' ') != std::string::npos) continue;
        if (m == w || m == variant || (CodePoints(stem) >= 4 && Stem(language, m) == stem)) {
          member = true;
          break;
        }
      }
      if (!member) continue;
      for (const auto& m : group) {
        auto toks = Tokens(m);
        if (toks.size() == 1) {
          AddAlternative(t, {toks[0]});
          // A member is written in its own language; its German stem finds inflected forms.
          AddAlternative(t, {Stem("de", toks[0])});
        } else {
          AddAlternative(t, toks);
        }
      }
    }
    out.terms.push_back(std::move(t));
  }
  return out;
}

namespace {

// The alternatives a word index needs to find a term's candidates: an alternative is left out
// when another one finds all it finds (every prefix of the other begins some prefix of this one:
// "leav" finds all "leave" finds). Same candidates, fewer prefix scans for the index.
std::vector<Alternative> IndexAlternatives(const Term& t) {
  const auto& alts = t.alternatives;
  auto finds_all_of = [](const Alternative& a, const Alternative& b) {
    for (const auto& p : a.prefixes) {
      bool covered = false;
      for (const auto& r : b.prefixes) {
        if (r == p || (IsPrefixToken(p) && StartsWith(r, p))) covered = true;
      }
      if (!covered) return false;
    }
    return true;
  };
  std::vector<Alternative> out;
  for (std::size_t j = 0; j < alts.size(); ++j) {
    bool redundant = false;
    for (std::size_t k = 0; k < alts.size() && !redundant; ++k) {
      if (k == j || !finds_all_of(alts[k], alts[j])) continue;
      // Of two that find the same, the first is kept.
      redundant = !finds_all_of(alts[j], alts[k]) || k < j;
    }
    if (!redundant) out.push_back(alts[j]);
  }
  return out;
}

}  // namespace

std::string Fts5Expression(const SearchQuery& q) {
  std::string out;
  for (std::size_t i = 0; i < q.terms.size(); ++i) {
    if (i) out += " AND ";
    out += "(";
    const auto alts = IndexAlternatives(q.terms[i]);
    for (std::size_t j = 0; j < alts.size(); ++j) {
      if (j) out += " OR ";
      out += "(";
      for (std::size_t k = 0; k < alts[j].prefixes.size(); ++k) {
        if (k) out += " AND ";
        out += '"';
        for (char c : alts[j].prefixes[k]) {
          if (c == '"') out += '"';
          out += c;
        }
        out += '"';
        if (IsPrefixToken(alts[j].prefixes[k])) out += '*';
      }
      out += ")";
    }
    out += ")";
  }
  return out;
}

std::string TsQueryLiteral(const SearchQuery& q) {
  std::string out;
  for (std::size_t i = 0; i < q.terms.size(); ++i) {
    if (i) out += " & ";
    out += "(";
    const auto alts = IndexAlternatives(q.terms[i]);
    for (std::size_t j = 0; j < alts.size(); ++j) {
      if (j) out += " | ";
      out += "(";
      for (std::size_t k = 0; k < alts[j].prefixes.size(); ++k) {
        if (k) out += " & ";
        const auto& p = alts[j].prefixes[k];
        bool prefix = IsPrefixToken(p);
        bool indexed = prefix && CodePoints(p) <= kIndexedPrefixMax;
        out += '\'';
        for (char c : p) {
          if (c == '\'' || c == '\\') out += c;
          out += c;
        }
        if (indexed) out += '*';
        out += '\'';
        if (prefix && !indexed) out += ":*";
      }
      out += ")";
    }
    out += ")";
  }
  return out;
}

std::vector<std::string> PrefixLexemes(std::string_view term) {
  std::vector<std::string> out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < term.size();) {
    std::size_t next = i + 1;
    while (next < term.size() && (static_cast<unsigned char>(term[next]) & 0xC0) == 0x80) ++next;
    ++chars;
    if (chars > kIndexedPrefixMax) break;
    if (chars >= 2) out.push_back(std::string(term.substr(0, next)) + '*');
    i = next;
  }
  return out;
}

std::string IndexTerms(std::string_view language, std::string_view text) {
  std::vector<std::string> terms;
  for (auto& t : Tokens(text)) {
    auto stem = Stem(language, t);
    for (auto& p : CompoundParts(t)) terms.push_back(std::move(p));
    if (stem != t) terms.push_back(std::move(stem));
    terms.push_back(std::move(t));
  }
  // Sorted: a word index does not need the order, and ranking finds prefixes by binary search.
  // Each distinct term once, with ":n" when it occurs n > 1 times (the term frequency the
  // ranking needs, in less than half the bytes the repeated terms took).
  std::sort(terms.begin(), terms.end());
  std::string out;
  for (std::size_t i = 0; i < terms.size();) {
    std::size_t j = i + 1;
    while (j < terms.size() && terms[j] == terms[i]) ++j;
    if (!terms[i].empty()) {
      if (!out.empty()) out += ' ';
      out += terms[i];
      if (j - i > 1) out += ':' + std::to_string(j - i);
    }
    i = j;
  }
  return out;
}

std::string_view TermOf(std::string_view entry) {
  auto colon = entry.find(':');
  return colon == std::string_view::npos ? entry : entry.substr(0, colon);
}

std::string IndexWords(std::string_view terms) {
  std::string out;
  out.reserve(terms.size());
  for (auto entry : SplitSpaces(terms)) {
    if (!out.empty()) out += ' ';
    out += TermOf(entry);
  }
  return out;
}

std::int64_t Score(const SearchQuery& q, const RankInput& doc, std::string_view preferred_language) {
  if (q.empty()) return 0;
  // Entries "term" or "term:n" (n occurrences), sorted by term; rows indexed by an older version
  // hold each occurrence as an entry of its own and may not be sorted. Counts add up either way.
  struct Entry {
    std::string_view term;
    std::int64_t count;
  };
  auto parse = [](std::string_view terms, std::int64_t& total) {
    std::vector<Entry> out;
    for (auto e : SplitSpaces(terms)) {
      std::int64_t n = 1;
      auto colon = e.find(':');
      if (colon != std::string_view::npos) {
        n = 0;
        for (char c : e.substr(colon + 1)) {
          if (c >= '0' && c <= '9') n = n * 10 + (c - '0');
        }
        if (n < 1) n = 1;
        e = e.substr(0, colon);
      }
      total += n;
      out.push_back({e, n});
    }
    auto by_term = [](const Entry& a, const Entry& b) { return a.term < b.term; };
    if (!std::is_sorted(out.begin(), out.end(), by_term)) std::sort(out.begin(), out.end(), by_term);
    return out;
  };
  std::int64_t title_words = 0, body_words = 0;
  auto title = parse(doc.title_terms, title_words);
  auto body = parse(doc.body_terms, body_words);
  // Every term with prefix p follows p itself in sorted order, one after the other.
  auto count = [](const std::vector<Entry>& terms, std::string_view p, bool& exact) {
    std::int64_t n = 0;
    bool prefix = IsPrefixToken(p);
    auto it = std::lower_bound(terms.begin(), terms.end(), p, [](const Entry& e, std::string_view v) { return e.term < v; });
    for (; it != terms.end(); ++it) {
      if (it->term == p) {
        n += it->count;
        exact = true;
      } else if (prefix && StartsWith(it->term, p)) {
        n += it->count;
      } else {
        break;
      }
    }
    return n;
  };
  std::int64_t total = 0;
  for (const auto& term : q.terms) {
    std::int64_t best = 0;
    for (std::size_t j = 0; j < term.alternatives.size(); ++j) {
      const auto& alt = term.alternatives[j];
      bool in_title = true;
      std::int64_t tf = -1;
      bool exact = false;
      for (const auto& p : alt.prefixes) {
        bool e = false;
        if (count(title, p, e) == 0) in_title = false;
        std::int64_t n = count(body, p, e);
        tf = tf < 0 ? n : std::min(tf, n);
        exact = exact || e;
      }
      if (!in_title && tf <= 0) continue;
      std::int64_t s = (in_title ? 3000 : 0) +
                       (tf > 0 ? 1000 + static_cast<std::int64_t>(std::llround(300.0 * std::log2(1.0 + static_cast<double>(tf)))) : 0) +
                       (exact ? 500 : 0);
      // The word itself and its stem count fully, compound parts and glossary terms less.
      if (j >= 2) s = s * 7 / 10;
      best = std::max(best, s);
    }
    if (best == 0) return 0;
    total += best;
  }
  if (doc.language == preferred_language) total += 200;
  total -= std::min<std::int64_t>(body_words / 20, 500);
  return std::max<std::int64_t>(total, 1);
}

std::string Snippet(const SearchQuery& q, std::string_view language, std::string_view plain, int max_words) {
  if (plain.size() > 20000) {
    std::size_t cut = 20000;
    while (cut > 0 && (static_cast<unsigned char>(plain[cut]) & 0xC0) == 0x80) --cut;
    plain = plain.substr(0, cut);
  }
  auto words = Words(plain);
  if (words.empty()) return "";
  std::vector<char> hit(words.size(), 0);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto& w = words[i].norm;
    std::string stem;
    bool matched = false;
    for (const auto& term : q.terms) {
      for (const auto& alt : term.alternatives) {
        for (const auto& p : alt.prefixes) {
          bool prefix = IsPrefixToken(p);
          if (w == p || (prefix && StartsWith(w, p))) matched = true;
          else if (prefix && CodePoints(p) >= 4 && w.find(p) != std::string::npos) matched = true;
          else if (prefix) {
            if (stem.empty()) stem = Stem(language, w);
            if (StartsWith(stem, p)) matched = true;
          }
          if (matched) break;
        }
        if (matched) break;
      }
      if (matched) break;
    }
    hit[i] = matched ? 1 : 0;
  }
  // The window of max_words words with the most hits (the earliest on a tie).
  std::size_t n = words.size();
  std::size_t width = std::min<std::size_t>(n, static_cast<std::size_t>(max_words));
  int cur = 0;
  for (std::size_t i = 0; i < width; ++i) cur += hit[i];
  int best_hits = cur;
  std::size_t best_start = 0;
  for (std::size_t s = 1; s + width <= n; ++s) {
    cur += hit[s + width - 1] - hit[s - 1];
    if (cur > best_hits) {
      best_hits = cur;
      best_start = s;
    }
  }
  // Start a little before the first hit of the window, so it is not the very first word.
  if (best_hits > 0 && best_start > 0) {
    std::size_t first = best_start;
    while (first < best_start + width && !hit[first]) ++first;
    std::size_t back = std::min<std::size_t>(3, first);
    best_start = std::min(first - back, n - width);
  }
  std::size_t last = best_start + width - 1;
  std::string out;
  if (best_start > 0) out += "… ";
  std::size_t pos = words[best_start].begin;
  for (std::size_t i = best_start; i <= last; ++i) {
    // Several tokens may share a word of the original; mark each original word once.
    if (words[i].begin < pos) continue;
    out += EscapeHtml(plain.substr(pos, words[i].begin - pos));
    bool mark = hit[i] || (i + 1 <= last && words[i + 1].begin == words[i].begin && hit[i + 1]);
    if (mark) out += "<mark>";
    out += EscapeHtml(plain.substr(words[i].begin, words[i].end - words[i].begin));
    if (mark) out += "</mark>";
    pos = words[i].end;
  }
  // Whitespace inside the snippet is shown as single spaces.
  std::string collapsed;
  bool space = false;
  for (char c : out) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = true;
      continue;
    }
    if (space && !collapsed.empty()) collapsed += ' ';
    space = false;
    collapsed += c;
  }
  if (last + 1 < n) collapsed += " …";
  return collapsed;
}

}  // namespace fairdesk::knowledge
