#include "portal/i18n.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace fairdesk::embedded {
extern const std::string_view kPortalLocale_de, kPortalLocale_en, kPortalLocale_ar, kPortalLocale_fa,
    kPortalLocale_prs, kPortalLocale_ps, kPortalLocale_uk, kPortalLocale_ru, kPortalLocale_tr, kPortalLocale_ti;
}

namespace fairdesk::portal {
namespace json = boost::json;
namespace {

void Flatten(const json::value& v, const std::string& prefix, std::map<std::string, std::string, std::less<>>& out) {
  if (v.is_object()) {
    for (const auto& [k, child] : v.as_object()) {
      Flatten(child, prefix.empty() ? std::string(k) : prefix + "." + std::string(k), out);
    }
  } else if (v.is_string()) {
    out[prefix] = std::string(v.as_string());
  }
}

struct AutonymEntry {
  std::string_view code, name;
};
constexpr AutonymEntry kAutonyms[] = {
    {"de", "Deutsch"},  {"en", "English"},   {"ar", "العربية"},     {"fa", "فارسی"},    {"prs", "دری"},
    {"ps", "پښتو"},     {"uk", "Українська"}, {"ru", "Русский"},    {"tr", "Türkçe"},   {"ti", "ትግርኛ"},
    {"fr", "Français"}, {"es", "Español"},   {"so", "Soomaali"},   {"ku", "Kurdî"},    {"vi", "Tiếng Việt"},
    {"pl", "Polski"},   {"ro", "Română"},    {"bg", "Български"},  {"sq", "Shqip"},    {"am", "አማርኛ"},
};

}  // namespace

bool IsPortalLanguage(std::string_view lang) {
  return std::find(std::begin(kLanguages), std::end(kLanguages), lang) != std::end(kLanguages);
}

bool IsRtl(std::string_view lang) { return lang == "ar" || lang == "fa" || lang == "prs" || lang == "ps"; }

std::string Autonym(std::string_view code) {
  for (const auto& a : kAutonyms) {
    if (a.code == code) return std::string(a.name);
  }
  return std::string(code);
}

const std::vector<std::string>& KnownLanguageCodes() {
  static const std::vector<std::string> codes = [] {
    std::vector<std::string> v;
    for (const auto& a : kAutonyms) v.emplace_back(a.code);
    return v;
  }();
  return codes;
}

const Catalog& Catalog::Get() {
  static const Catalog catalog = [] {
    Catalog c;
    const std::pair<std::string_view, std::string_view> files[] = {
        {"de", embedded::kPortalLocale_de}, {"en", embedded::kPortalLocale_en}, {"ar", embedded::kPortalLocale_ar},
        {"fa", embedded::kPortalLocale_fa}, {"prs", embedded::kPortalLocale_prs}, {"ps", embedded::kPortalLocale_ps},
        {"uk", embedded::kPortalLocale_uk}, {"ru", embedded::kPortalLocale_ru}, {"tr", embedded::kPortalLocale_tr},
        {"ti", embedded::kPortalLocale_ti}};
    for (const auto& [lang, text] : files) {
      auto& table = c.strings_[std::string(lang)];
      Flatten(json::parse(text), "", table);
    }
    return c;
  }();
  return catalog;
}

bool Catalog::Has(std::string_view lang, std::string_view key) const {
  auto l = strings_.find(lang);
  return l != strings_.end() && l->second.find(key) != l->second.end();
}

std::string Catalog::T(std::string_view lang, std::string_view key,
                       std::initializer_list<std::pair<std::string_view, std::string>> vars) const {
  const std::string* found = nullptr;
  for (std::string_view l : {lang, std::string_view("en"), std::string_view("de")}) {
    auto table = strings_.find(l);
    if (table == strings_.end()) continue;
    if (auto it = table->second.find(key); it != table->second.end()) {
      found = &it->second;
      break;
    }
  }
  if (!found) return std::string(key);
  std::string out;
  out.reserve(found->size());
  std::string_view s = *found;
  for (std::size_t i = 0; i < s.size();) {
    if (s.compare(i, 2, "{{") == 0) {
      auto end = s.find("}}", i + 2);
      if (end != std::string_view::npos) {
        std::string_view name = s.substr(i + 2, end - i - 2);
        for (const auto& [k, v] : vars) {
          if (k == name) out += v;
        }
        i = end + 2;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

std::string SuggestLanguage(std::string_view header) {
  // "uk-UA,uk;q=0.9,en;q=0.8": the first (highest q) tag whose primary subtag is a portal
  // language. fa-AF is Dari.
  std::string best;
  double best_q = -1;
  std::size_t pos = 0;
  while (pos < header.size()) {
    auto comma = header.find(',', pos);
    std::string_view part = header.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    pos = comma == std::string_view::npos ? header.size() : comma + 1;
    auto semi = part.find(';');
    std::string tag(part.substr(0, semi));
    tag.erase(std::remove(tag.begin(), tag.end(), ' '), tag.end());
    std::transform(tag.begin(), tag.end(), tag.begin(), [](unsigned char c) { return std::tolower(c); });
    double q = 1.0;
    if (semi != std::string_view::npos) {
      auto qpos = part.find("q=", semi);
      if (qpos != std::string_view::npos) {
        try {
          q = std::stod(std::string(part.substr(qpos + 2, 5)));
        } catch (...) {
          q = 0;
        }
      }
    }
    std::string primary = tag.substr(0, tag.find('-'));
    std::string lang = tag == "fa-af" ? "prs" : primary;
    if (IsPortalLanguage(lang) && q > best_q) {
      best = lang;
      best_q = q;
    }
  }
  return best;
}

}  // namespace fairdesk::portal
