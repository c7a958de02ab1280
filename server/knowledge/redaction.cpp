#include "knowledge/redaction.hpp"

#include <algorithm>
#include <set>

#include "knowledge/text.hpp"

namespace fairdesk::knowledge {
namespace {

bool Has(std::vector<std::string>& out, const char* kind) {
  return std::find(out.begin(), out.end(), kind) != out.end();
}

// The normalised words of a text joined by single spaces, padded, for whole-word containment.
std::string Joined(std::string_view text) {
  std::string out = " ";
  for (const auto& t : Tokens(text)) out += t + " ";
  return out;
}

constexpr std::string_view kMonthsDe[] = {"januar", "februar", "marz", "april", "mai", "juni",
                                         "juli", "august", "september", "oktober", "november", "dezember"};
constexpr std::string_view kMonthsEn[] = {"january", "february", "march", "april", "may", "june",
                                         "july", "august", "september", "october", "november", "december"};

// Every common written form of a date, as normalised token sequences.
std::vector<std::string> DateForms(const std::string& iso) {
  if (iso.size() != 10) return {};
  std::string y = iso.substr(0, 4), m = iso.substr(5, 2), d = iso.substr(8, 2);
  std::string m1 = m[0] == '0' ? m.substr(1) : m, d1 = d[0] == '0' ? d.substr(1) : d;
  int mi = std::stoi(m) - 1;
  if (mi < 0 || mi > 11) return {};
  std::vector<std::string> out;
  for (const auto& dd : {d, d1}) {
    for (const auto& mm : {m, m1}) {
      out.push_back(" " + dd + " " + mm + " " + y + " ");         // 1.2.1990, 01/02/1990, 01-02-1990
      out.push_back(" " + dd + " " + mm + " " + y.substr(2) + " ");  // 01.02.90
    }
    out.push_back(" " + dd + " " + std::string(kMonthsDe[mi]) + " " + y + " ");  // 1. Februar 1990
    out.push_back(" " + dd + " " + std::string(kMonthsEn[mi]) + " " + y + " ");  // 1 February 1990
  }
  out.push_back(" " + y + " " + m + " " + d + " ");  // 1990-02-01
  out.push_back(" " + y + " " + m1 + " " + d1 + " ");
  out.push_back(" " + std::string(kMonthsEn[mi]) + " " + d1 + " " + y + " ");  // February 1, 1990
  return out;
}

}  // namespace

std::string NationalDigits(std::string_view phone) {
  std::string digits;
  bool plus = false;
  for (const auto& t : Tokens(phone)) {
    for (char c : t) {
      if (c >= '0' && c <= '9') digits += c;
    }
  }
  for (char c : phone) {
    if (c == '+') plus = true;
    if (c >= '0' && c <= '9') break;
  }
  if (plus && digits.starts_with("49")) digits = "0" + digits.substr(2);
  else if (digits.starts_with("0049")) digits = "0" + digits.substr(4);
  if (digits.size() < 6) return "";
  return digits;
}

namespace {

std::size_t CallingCodeLength(std::string_view digits) {
  // ITU-T E.164 country calling codes are prefix-free: 1 and 7 have one digit, these two digits,
  // every other code three.
  static constexpr std::string_view kTwo[] = {"20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41",
                                              "43", "44", "45", "46", "47", "48", "49", "51", "52", "53", "54",
                                              "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66",
                                              "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98"};
  if (digits.empty()) return 0;
  if (digits[0] == '1' || digits[0] == '7') return 1;
  for (auto c : kTwo) {
    if (digits.starts_with(c)) return 2;
  }
  return 3;
}

std::string SignificantNumber(std::string_view phone) {
  std::string norm = Normalise(phone);  // Arabic-Indic and Persian digits become ASCII
  std::string digits;
  bool plus = false;
  for (char c : norm) {
    if (c == '+' && digits.empty()) plus = true;
    if (c >= '0' && c <= '9') digits += c;
  }
  if (plus) {
    digits = digits.substr(std::min(digits.size(), CallingCodeLength(digits)));
  } else if (digits.starts_with("00")) {
    digits = digits.substr(2);
    digits = digits.substr(std::min(digits.size(), CallingCodeLength(digits)));
  } else if (digits.starts_with("0")) {
    digits = digits.substr(1);  // a national number (German trunk prefix)
  }
  // Italy and a few others keep a leading 0 after the country code; it is not needed to match.
  while (digits.starts_with("0")) digits = digits.substr(1);
  if (digits.size() < 6) return "";
  return digits;
}

std::vector<std::string> DigitRuns(std::string_view text) {
  std::string norm = Normalise(text);
  std::vector<std::string> runs;
  std::string run;
  int gap = 0;  // separator characters since the last digit
  auto flush = [&] {
    if (!run.empty()) runs.push_back(std::move(run));
    run.clear();
    gap = 0;
  };
  for (std::size_t i = 0; i < norm.size();) {
    unsigned char c = static_cast<unsigned char>(norm[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::string_view ch(norm.data() + i, std::min(len, norm.size() - i));
    i += ch.size();
    if (c >= '0' && c <= '9') {
      run += static_cast<char>(c);
      gap = 0;
      continue;
    }
    // Separators people write inside a number: spaces of every width, dashes and hyphens of
    // every kind, slashes, brackets, dots, a plus sign.
    bool sep = ch == " " || ch == "-" || ch == "/" || ch == "(" || ch == ")" || ch == "." || ch == "+" ||
               ch == "\xC2\xA0" || ch == "\xE2\x88\x92" || (ch.size() == 3 && ch[0] == '\xE2' && ch[1] == '\x80' &&
                                                           static_cast<unsigned char>(ch[2]) <= 0x95) ||
               ch == "\xE2\x80\xAF" || ch == "\xE2\x81\xA0" || ch == "\xE2\x80\x8E" || ch == "\xE2\x80\x8F";
    if (sep && !run.empty() && ++gap <= 3) continue;
    if (!sep) flush();
    else if (run.empty()) continue;
    else flush();
  }
  flush();
  return runs;
}

}  // namespace

std::vector<std::string> FindPersonalData(const PersonalData& pd, std::string_view text) {
  std::vector<std::string> out;
  const std::string joined = Joined(text);
  auto add = [&](const char* kind) {
    if (!Has(out, kind)) out.push_back(kind);
  };
  // Names: every token of at least two letters, as a whole word.
  for (const auto& name : pd.names) {
    for (const auto& t : Tokens(name)) {
      if (CodePoints(t) >= 2 && joined.find(" " + t + " ") != std::string::npos) add("name");
    }
  }
  for (const auto& code : pd.codes) {
    std::string c = Joined(code);
    if (c.size() > 2 && joined.find(c) != std::string::npos) add("client_code");
  }
  // Phone numbers: the significant number of each recorded one (without country code or trunk
  // prefix, so a Ukrainian +380 number written nationally as 067 … is found too) inside any run
  // of digits with the separators people write between them.
  std::set<std::string> phones;
  for (const auto& p : pd.phones) {
    auto n = SignificantNumber(p);
    if (!n.empty()) phones.insert(n);
  }
  if (!phones.empty()) {
    for (const auto& run : DigitRuns(text)) {
      for (const auto& p : phones) {
        if (run.find(p) != std::string::npos) add("phone");
      }
    }
  }
  for (const auto& e : pd.emails) {
    std::string n = Normalise(e);
    if (n.size() > 3 && Normalise(text).find(n) != std::string::npos) add("email");
  }
  // Address: each line or comma-separated part with at least two words (street and number,
  // postcode and town).
  for (const auto& a : pd.addresses) {
    std::string part;
    auto check = [&] {
      auto j = Joined(part);
      part.clear();
      if (Tokens(j).size() >= 2 && joined.find(j) != std::string::npos) add("address");
    };
    for (char c : a) {
      if (c == ',' || c == '\n') check();
      else part += c;
    }
    check();
  }
  for (const auto& e : pd.employers) {
    auto j = Joined(e);
    if (CodePoints(j) >= 5 && joined.find(j) != std::string::npos) add("employer");
  }
  for (const auto& b : pd.birth_dates) {
    for (const auto& form : DateForms(b)) {
      if (joined.find(form) != std::string::npos) add("birth_date");
    }
  }
  return out;
}

}  // namespace fairdesk::knowledge
