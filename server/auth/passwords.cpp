#include "auth/passwords.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <unordered_set>

namespace fairdesk::embedded {
extern const std::string_view kCommonPasswords;
}

namespace fairdesk::auth {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const std::unordered_set<std::string>& CommonPasswords() {
  static const std::unordered_set<std::string> list = [] {
    std::unordered_set<std::string> out;
    std::string_view text = embedded::kCommonPasswords;
    while (!text.empty()) {
      const auto nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
      if (line.empty() || line.starts_with("#!comment")) continue;
      out.insert(Lower(line));
    }
    return out;
  }();
  return list;
}

std::size_t CodePoints(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// "abcabcabcabc" → "abc": the shortest unit that the text repeats, or the text itself.
std::string_view RepeatedUnit(std::string_view s) {
  for (std::size_t n = 1; n <= s.size() / 2; ++n) {
    if (s.size() % n != 0) continue;
    bool repeats = true;
    for (std::size_t i = n; i < s.size() && repeats; ++i) repeats = s[i] == s[i - n];
    if (repeats) return s.substr(0, n);
  }
  return s;
}

// Steps of +1 or -1 all the way ("123456789012" wraps 9→0, "abcdefghijkl", "zyxw...").
bool IsRun(std::string_view s) {
  if (s.size() < 2) return false;
  for (int dir : {1, -1}) {
    bool run = true;
    for (std::size_t i = 1; i < s.size() && run; ++i) {
      const int a = static_cast<unsigned char>(s[i - 1]);
      const int b = static_cast<unsigned char>(s[i]);
      const bool wrap_digit = std::isdigit(a) && std::isdigit(b) && ((dir == 1 && a == '9' && b == '0') || (dir == -1 && a == '0' && b == '9'));
      run = b - a == dir || wrap_digit;
    }
    if (run) return true;
  }
  return false;
}

}  // namespace

bool IsCommonPassword(std::string_view candidate) { return CommonPasswords().contains(Lower(candidate)); }

std::optional<std::string> WeakPasswordReason(std::string_view password, std::string_view email) {
  const std::string lower = Lower(password);
  std::string trimmed = lower;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.pop_back();
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) trimmed.erase(trimmed.begin());
  if (trimmed.empty()) return "must not be only spaces";
  std::set<char32_t> distinct;
  for (unsigned char c : lower) distinct.insert(c);
  if (distinct.size() < 5 || CodePoints(trimmed) < 8) return "is too simple: use more different characters";
  if (IsRun(trimmed)) return "is too simple: a run of consecutive characters";
  const std::string e = Lower(email);
  if (!e.empty()) {
    if (trimmed == e) return "must not be the e-mail address";
    const std::string local = e.substr(0, e.find('@'));
    if (local.size() >= 4 && trimmed.find(local) != std::string::npos &&
        trimmed.size() - local.size() <= 6) {
      return "must not be based on the e-mail address";
    }
  }
  // The list itself, a listed password repeated, and a listed password with digits, symbols or
  // spaces before or after it ("password1234", "!!qwerty2024").
  if (IsCommonPassword(trimmed) || IsCommonPassword(RepeatedUnit(trimmed))) return "is a commonly used password";
  std::string core = trimmed;
  auto is_filler = [](char c) { return !std::isalpha(static_cast<unsigned char>(c)); };
  while (!core.empty() && is_filler(core.back())) core.pop_back();
  std::size_t start = 0;
  while (start < core.size() && is_filler(core[start])) ++start;
  core = core.substr(start);
  if (core.size() >= 4 && core.size() < trimmed.size() && (IsCommonPassword(core) || IsCommonPassword(RepeatedUnit(core)))) {
    return "is a commonly used password with digits or symbols added";
  }
  return std::nullopt;
}

}  // namespace fairdesk::auth
