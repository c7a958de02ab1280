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
  // Phone numbers: runs of digits with the separators people write between them.
  std::set<std::string> phones;
  for (const auto& p : pd.phones) {
    auto n = NationalDigits(p);
    if (!n.empty()) phones.insert(n.substr(1));  // without the trunk 0
  }
  if (!phones.empty()) {
    std::string norm = Normalise(text);  // Arabic-Indic digits become ASCII
    std::string run;
    auto flush = [&] {
      auto n = NationalDigits(run);
      run.clear();
      if (n.size() < 6) return;
      for (const auto& p : phones) {
        if (n.find(p) != std::string::npos) add("phone");
      }
    };
    for (std::size_t i = 0; i < norm.size(); ++i) {
      char c = norm[i];
      bool digit = c >= '0' && c <= '9';
      bool sep = c == ' ' || c == '-' || c == '/' || c == '(' || c == ')' || c == '.' || (c == '+' && run.empty());
      if (digit || (sep && !run.empty()) || (c == '+' && run.empty())) {
        run += c;
      } else {
        flush();
      }
    }
    flush();
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
