#include "cases/text.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "platform/core/date.hpp"

namespace fairdesk::cases {
namespace {

bool Invisible(UChar32 c) {
  return c == 0x00AD || c == 0x034F || c == 0x061C || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5 ||
         c == 0x180E || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x206F) || c == 0x3164 || c == 0xFEFF || c == 0xFFA0 || (c >= 0xFE00 && c <= 0xFE0F) ||
         (c >= 0xE0000 && c <= 0xE0FFF);
}

struct SpoofCloser {
  void operator()(USpoofChecker* c) const { uspoof_close(c); }
};

// NFKC + case folding, with invisible characters dropped before and after.
icu::UnicodeString Normalised(std::string_view text) {
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString visible;
  for (int32_t i = 0; i < in.length();) {
    UChar32 c = in.char32At(i);
    if (!Invisible(c)) visible.append(c);
    i += U16_LENGTH(c);
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || nfkc == nullptr) return visible;
  icu::UnicodeString out = nfkc->normalize(visible, status);
  if (U_FAILURE(status)) return visible;
  icu::UnicodeString clean;
  for (int32_t i = 0; i < out.length();) {
    UChar32 c = out.char32At(i);
    if (!Invisible(c)) clean.append(c);
    i += U16_LENGTH(c);
  }
  return clean;
}

std::string Skeleton(const std::string& utf8) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<USpoofChecker, SpoofCloser> checker(uspoof_open(&status));
  if (U_FAILURE(status)) return utf8;
  std::string out(utf8.size() * 4 + 16, '\0');
  int32_t n = uspoof_getSkeletonUTF8(checker.get(), 0, utf8.c_str(), static_cast<int32_t>(utf8.size()), out.data(),
                                     static_cast<int32_t>(out.size()), &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    status = U_ZERO_ERROR;
    out.assign(static_cast<std::size_t>(n) + 1, '\0');
    n = uspoof_getSkeletonUTF8(checker.get(), 0, utf8.c_str(), static_cast<int32_t>(utf8.size()), out.data(),
                               static_cast<int32_t>(out.size()), &status);
  }
  if (U_FAILURE(status)) return utf8;
  out.resize(static_cast<std::size_t>(n));
  // The skeleton may bring back capitals (and maps some letters to sequences): fold ASCII again.
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

bool IsWordByte(char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || (ch & 0x80); }

// `needle` occurs in `text` as a whole word (both folded).
bool ContainsWord(std::string_view text, std::string_view needle) {
  if (needle.empty()) return false;
  for (auto at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + 1)) {
    bool starts = at == 0 || !IsWordByte(text[at - 1]);
    bool ends = at + needle.size() == text.size() || !IsWordByte(text[at + needle.size()]);
    if (starts && ends) return true;
  }
  return false;
}

// Letters and digits of a folded text, everything else removed (spaces and punctuation).
std::string Compact(std::string_view folded) {
  std::string out;
  for (char ch : folded) {
    if (IsWordByte(ch)) out += ch;
  }
  return out;
}

std::vector<std::string> Words(std::string_view folded) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : folded) {
    if (IsWordByte(ch)) {
      cur += ch;
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

}  // namespace

std::string FoldForMatch(std::string_view text) {
  std::string utf8;
  Normalised(text).toUTF8String(utf8);
  std::string skeleton = Skeleton(utf8);
  std::string out;
  bool space = false;
  for (char ch : skeleton) {
    if (std::isspace(static_cast<unsigned char>(ch))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

std::string DigitsOf(std::string_view text) {
  std::string utf8;
  Normalised(text).toUTF8String(utf8);
  std::string out;
  for (char ch : utf8) {
    if (ch >= '0' && ch <= '9') out += ch;
  }
  return out;
}

std::string NormalisePhone(std::string_view phone) {
  std::string digits = DigitsOf(phone);
  bool plus = false;
  for (char ch : phone) {
    if (ch == '+') plus = true;
    if (std::isdigit(static_cast<unsigned char>(ch))) break;
  }
  // The national trunk zero may stand in brackets after the country code: +49 (0)30 ...
  auto national = [](std::string rest) {
    while (rest.starts_with("0")) rest.erase(0, 1);
    return "0" + rest;
  };
  if (plus && digits.starts_with("49")) {
    digits = national(digits.substr(2));
  } else if (digits.starts_with("0049")) {
    digits = national(digits.substr(4));
  } else if (plus) {
    digits = "+" + digits;
  }
  if (DigitsOf(digits).size() < 5) return {};
  return digits;
}

std::string NormaliseName(std::string_view name) { return Compact(FoldForMatch(name)); }

std::vector<std::string> NameTokens(std::string_view name) {
  std::vector<std::string> out;
  for (auto& w : Words(FoldForMatch(name))) {
    if (w.size() >= 2 && std::find(out.begin(), out.end(), w) == out.end()) out.push_back(std::move(w));
  }
  return out;
}

std::string NormaliseEmail(std::string_view email) {
  std::string out;
  for (char ch : email) {
    if (!std::isspace(static_cast<unsigned char>(ch))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out;
}

std::vector<std::string> IdentifyingData(std::string_view text, const Client& client) {
  std::vector<std::string> found;
  const std::string folded = FoldForMatch(text);
  const std::string compact = Compact(folded);
  auto add = [&](const char* kind) {
    if (std::find(found.begin(), found.end(), kind) == found.end()) found.emplace_back(kind);
  };
  if (!client.code.empty() && compact.find(Compact(FoldForMatch(client.code))) != std::string::npos) add("code");
  if (client.personal.email && !client.personal.email->empty()) {
    std::string email = FoldForMatch(*client.personal.email);
    if (folded.find(email) != std::string::npos || compact.find(Compact(email)) != std::string::npos) add("email");
  }
  if (client.personal.name) {
    // The whole name, and each part of it long enough to identify (a family name on its own).
    std::string name = FoldForMatch(*client.personal.name);
    if (ContainsWord(folded, name)) add("name");
    for (const auto& part : Words(name)) {
      if (part.size() >= 4 && ContainsWord(folded, part)) add("name");
    }
    // Written without spaces or with other separators ("AminaTest", "amina.test").
    std::string whole = Compact(name);
    if (whole.size() >= 6 && compact.find(whole) != std::string::npos) add("name");
  }
  if (client.personal.phone) {
    // Compared by digits only, whatever stands between them (+49 30 1234567, 030-1234567,
    // 9876x5432): the last eight digits of the number (national and international form alike).
    std::string digits = DigitsOf(*client.personal.phone);
    if (digits.size() >= 6) {
      std::string tail = digits.substr(digits.size() - std::min<std::size_t>(digits.size(), 8));
      if (DigitsOf(text).find(tail) != std::string::npos) add("phone");
    }
  }
  if (client.personal.birth_date) {
    if (auto d = Date::Parse(*client.personal.birth_date)) {
      auto two = [](int v) { return (v < 10 ? "0" : "") + std::to_string(v); };
      const std::string y = std::to_string(d->year()), m = std::to_string(d->month()), dd = std::to_string(d->day());
      // Any separator (or none) between the parts: 07.03.1990, 7/3/1990, 1990-03-07, 07031990.
      std::string digits = DigitsOf(text);
      for (const auto& form : {two(d->day()) + two(d->month()) + y, y + two(d->month()) + two(d->day()),
                               dd + m + y}) {
        if (form.size() >= 6 && digits.find(form) != std::string::npos) add("birth_date");
      }
    }
  }
  if (client.employer && !client.employer->empty()) {
    std::string employer = FoldForMatch(*client.employer);
    std::string whole = Compact(employer);
    if (ContainsWord(folded, employer) || (whole.size() >= 5 && compact.find(whole) != std::string::npos)) add("employer");
    for (const auto& word : Words(employer)) {
      // Distinctive words of the employer's name (not "gmbh" and the like).
      static constexpr std::string_view kCommon[] = {"gmbh", "mbh", "gbr", "kg", "ohg", "ag", "ug", "co", "und", "the",
                                                      "hotel", "restaurant", "service", "services", "bau"};
      if (word.size() >= 5 && std::find(std::begin(kCommon), std::end(kCommon), word) == std::end(kCommon) &&
          ContainsWord(folded, word)) {
        add("employer");
      }
    }
  }
  if (client.personal.address && !client.personal.address->empty()) {
    // The street with its number (the part before the first comma or line break).
    std::string first(*client.personal.address);
    if (auto cut = first.find_first_of(",\n"); cut != std::string::npos) first.resize(cut);
    std::string street = Compact(FoldForMatch(first));
    if (street.size() >= 6 && compact.find(street) != std::string::npos) add("address");
  }
  return found;
}

}  // namespace fairdesk::cases
