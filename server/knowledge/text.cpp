#include "knowledge/text.hpp"

#include <libstemmer.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include <map>
#include <memory>

namespace fairdesk::knowledge {
namespace {

std::u16string ToUtf16(std::string_view s) {
  std::u16string out(s.size() + 1, u'\0');
  int32_t len = 0;
  UErrorCode ec = U_ZERO_ERROR;
  u_strFromUTF8WithSub(out.data(), static_cast<int32_t>(out.size()), &len, s.data(), static_cast<int32_t>(s.size()),
                       0xFFFD, nullptr, &ec);
  if (U_FAILURE(ec)) return {};
  out.resize(static_cast<std::size_t>(len));
  return out;
}

std::string ToUtf8(const std::u16string& s) {
  std::string out(s.size() * 3 + 1, '\0');
  int32_t len = 0;
  UErrorCode ec = U_ZERO_ERROR;
  u_strToUTF8WithSub(out.data(), static_cast<int32_t>(out.size()), &len, s.data(), static_cast<int32_t>(s.size()),
                     0xFFFD, nullptr, &ec);
  if (U_FAILURE(ec)) return {};
  out.resize(static_cast<std::size_t>(len));
  return out;
}

std::u16string Apply(const UNormalizer2* n, const std::u16string& in) {
  if (in.empty()) return {};
  UErrorCode ec = U_ZERO_ERROR;
  int32_t cap = static_cast<int32_t>(in.size() * 4 + 16);
  std::u16string out(static_cast<std::size_t>(cap), u'\0');
  int32_t len = unorm2_normalize(n, in.data(), static_cast<int32_t>(in.size()), out.data(), cap, &ec);
  if (ec == U_BUFFER_OVERFLOW_ERROR) {
    ec = U_ZERO_ERROR;
    out.assign(static_cast<std::size_t>(len), u'\0');
    len = unorm2_normalize(n, in.data(), static_cast<int32_t>(in.size()), out.data(), len, &ec);
  }
  if (U_FAILURE(ec)) return {};
  out.resize(static_cast<std::size_t>(len));
  return out;
}

bool IsApostrophe(UChar32 c) {
  return c == 0x27 || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x02BB || c == 0x60 || c == 0xB4 ||
         c == 0x2032 || c == 0xFF07;
}

// Maps one code point after decomposition; -1 drops it.
UChar32 Fold(UChar32 c) {
  if (u_charType(c) == U_NON_SPACING_MARK || u_charType(c) == U_ENCLOSING_MARK) return -1;
  switch (c) {
    case 0x0640: return -1;        // tatweel
    case 0x200C: case 0x200D: case 0x00AD: case 0x200B: case 0xFEFF: return -1;  // joiners, soft hyphen
    case 0x0649: return 0x064A;    // alef maksura → yeh
    case 0x06CC: return 0x064A;    // Persian yeh → Arabic yeh
    case 0x06D2: return 0x064A;    // yeh barree
    case 0x06A9: return 0x0643;    // keheh (Persian kaf) → kaf
    case 0x06AA: return 0x0643;
    case 0x0671: return 0x0627;    // alef wasla → alef
    case 0x0131: return 'i';       // dotless i
    default: break;
  }
  if (IsApostrophe(c)) return -1;
  if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER) {
    int v = u_charDigitValue(c);
    if (v >= 0 && v <= 9) return '0' + v;
  }
  return c;
}

std::u16string NormaliseUtf16(const std::u16string& in) {
  UErrorCode ec = U_ZERO_ERROR;
  static const UNormalizer2* nfkc_cf = unorm2_getNFKCCasefoldInstance(&ec);
  static const UNormalizer2* nfd = unorm2_getNFDInstance(&ec);
  static const UNormalizer2* nfc = unorm2_getNFCInstance(&ec);
  std::u16string folded = Apply(nfd, Apply(nfkc_cf, in));
  std::u16string kept;
  kept.reserve(folded.size());
  for (int32_t i = 0; i < static_cast<int32_t>(folded.size());) {
    UChar32 c;
    U16_NEXT(folded.data(), i, static_cast<int32_t>(folded.size()), c);
    UChar32 m = Fold(c);
    if (m < 0) continue;
    if (m <= 0xFFFF) {
      kept.push_back(static_cast<char16_t>(m));
    } else {
      kept.push_back(static_cast<char16_t>(U16_LEAD(m)));
      kept.push_back(static_cast<char16_t>(U16_TRAIL(m)));
    }
  }
  return Apply(nfc, kept);
}

// A code point that belongs to a word of the original text.
bool IsWordChar(UChar32 c) {
  if (u_isalnum(c)) return true;
  auto t = u_charType(c);
  if (t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK || t == U_ENCLOSING_MARK) return true;
  return c == 0x0640 || c == 0x200C || c == 0x200D || c == 0x00AD;
}

bool IsTokenChar(UChar32 c) {
  return u_isalnum(c) || u_charType(c) == U_COMBINING_SPACING_MARK;
}

void SplitNormalised(const std::string& norm, std::vector<std::string>& out) {
  std::string cur;
  for (int32_t i = 0; i < static_cast<int32_t>(norm.size());) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(norm.data(), i, static_cast<int32_t>(norm.size()), c);
    if (c >= 0 && IsTokenChar(c)) {
      cur.append(norm, static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
}

const char* StemmerName(std::string_view language) {
  if (language == "de") return "german";
  if (language == "en") return "english";
  if (language == "ar") return "arabic";
  if (language == "ru") return "russian";
  if (language == "tr") return "turkish";
  return nullptr;
}

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

}  // namespace

std::string NormaliseWithIcu(std::string_view text) { return ToUtf8(NormaliseUtf16(ToUtf16(text))); }

namespace {
// Latin-1 letters whose normal form is one ASCII letter (what the ICU path gives: case folded,
// the diacritic dropped); 0 where the ICU path must decide. Indexed by the second byte of the
// two-byte UTF-8 sequence C3 xx (U+00C0..U+00FF).
constexpr char kLatin1[64] = {
    'a', 'a', 'a', 'a', 'a', 'a', 0,   'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',   // C0..CF
    0,   'n', 'o', 'o', 'o', 'o', 'o', 0,   0,   'u', 'u', 'u', 'u', 'y', 0,   0,     // D0..DF (DF: ß)
    'a', 'a', 'a', 'a', 'a', 'a', 0,   'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',   // E0..EF
    0,   'n', 'o', 'o', 'o', 'o', 'o', 0,   0,   'u', 'u', 'u', 'u', 'y', 0,   'y'};  // F0..FF
}  // namespace

std::string Normalise(std::string_view text) {
  // Fast path for ASCII and the common Latin-1 letters (German, French, Turkish words without
  // their special letters); anything else goes through ICU. Both give the same result
  // (text_test.cpp compares them).
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == '\'' || c == '`') continue;
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
    } else if (c == 0xC3 && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      auto d = static_cast<unsigned char>(text[i + 1]);
      if (d == 0x9F) {
        out += "ss";  // ß
      } else if (d >= 0x80 && kLatin1[d - 0x80] != 0) {
        out += kLatin1[d - 0x80];
      } else {
        return NormaliseWithIcu(text);
      }
      ++i;
    } else {
      return NormaliseWithIcu(text);
    }
  }
  return out;
}

std::vector<Word> Words(std::string_view text) {
  std::vector<Word> out;
  const auto* data = text.data();
  auto size = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < size) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(data, i, size, c);
    if (c < 0 || !IsWordChar(c)) continue;
    int32_t end = i;
    // Extend over word characters and apostrophes between word characters.
    while (end < size) {
      int32_t j = end;
      UChar32 d;
      U8_NEXT(data, j, size, d);
      if (d >= 0 && IsWordChar(d)) {
        end = j;
        continue;
      }
      if (d >= 0 && IsApostrophe(d) && j < size) {
        int32_t k = j;
        UChar32 e;
        U8_NEXT(data, k, size, e);
        if (e >= 0 && u_isalnum(e)) {
          end = k;
          continue;
        }
      }
      break;
    }
    i = end;
    std::string norm = Normalise(text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)));
    std::vector<std::string> parts;
    SplitNormalised(norm, parts);
    for (auto& p : parts) {
      out.push_back(Word{static_cast<std::size_t>(start), static_cast<std::size_t>(end), std::move(p)});
    }
  }
  return out;
}

std::vector<std::string> Tokens(std::string_view text) {
  std::vector<std::string> out;
  for (auto& w : Words(text)) out.push_back(std::move(w.norm));
  return out;
}

bool HasStemmer(std::string_view language) { return StemmerName(language) != nullptr; }

std::string Stem(std::string_view language, std::string_view token) {
  const char* name = StemmerName(language);
  if (name == nullptr || CodePoints(token) < 3) return std::string(token);
  // Snowball stemmers are not thread-safe: one per thread and language.
  thread_local std::map<std::string, std::unique_ptr<sb_stemmer, StemmerDeleter>, std::less<>> stemmers;
  auto it = stemmers.find(name);
  if (it == stemmers.end()) {
    it = stemmers.emplace(name, std::unique_ptr<sb_stemmer, StemmerDeleter>(sb_stemmer_new(name, "UTF_8"))).first;
  }
  if (!it->second) return std::string(token);
  const sb_symbol* r = sb_stemmer_stem(it->second.get(), reinterpret_cast<const sb_symbol*>(token.data()),
                                       static_cast<int>(token.size()));
  if (r == nullptr) return std::string(token);
  std::string stem(reinterpret_cast<const char*>(r), static_cast<std::size_t>(sb_stemmer_length(it->second.get())));
  return stem.empty() ? std::string(token) : stem;
}

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace fairdesk::knowledge
