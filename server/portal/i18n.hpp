#pragma once
/// The portal's strings: the same i18next JSON files the web app can use
/// (web/src/locales/portal/<lang>.json), built into the binary and read once at start-up.
/// Nested keys are flattened to "section.key"; `{{name}}` is interpolated (values HTML-escaped
/// by the caller where needed). A key missing in a language falls back to English, then German.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fairdesk::portal {

/// Languages of the portal, in the order of the language navigation.
inline constexpr std::string_view kLanguages[] = {"de", "en", "ar", "fa", "prs", "ps", "uk", "ru", "tr", "ti"};
bool IsPortalLanguage(std::string_view lang);
bool IsRtl(std::string_view lang);
/// The language named in itself ("Deutsch", "العربية", ...), also for languages the centres
/// speak beyond the portal's ("fr", "so", ...). Falls back to the code.
std::string Autonym(std::string_view code);
/// Every code with an autonym, for the finder's language choice.
const std::vector<std::string>& KnownLanguageCodes();

class Catalog {
 public:
  /// The catalog of the embedded locale files (parsed once).
  static const Catalog& Get();
  /// The string, or the key itself when no language has it.
  std::string T(std::string_view lang, std::string_view key,
                std::initializer_list<std::pair<std::string_view, std::string>> vars = {}) const;
  /// True when `lang` itself has the key (no fallback).
  bool Has(std::string_view lang, std::string_view key) const;

 private:
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> strings_;
};

/// The best portal language for an Accept-Language header ("" when none fits).
std::string SuggestLanguage(std::string_view accept_language);

}  // namespace fairdesk::portal
