#include "knowledge/figures.hpp"

#include <unicode/datefmt.h>
#include <unicode/locid.h>
#include <unicode/numberformatter.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <map>
#include <memory>

#include "knowledge/model.hpp"
#include "labour_law/tables.hpp"
#include "platform/core/clock.hpp"

namespace fairdesk::knowledge {
namespace {

namespace ll = labour_law;

constexpr FigureDef kFigures[] = {
    {"minimum_wage", FigureUnit::kEuro, "MinimumWageTable (gross per hour, § 1 MiLoG and the MiLoV)"},
    {"minijob_limit", FigureUnit::kEuro, "EarningsLimitsTable.minijob_limit (per month, § 8 Abs. 1a SGB IV)"},
    {"midijob_upper", FigureUnit::kEuro, "EarningsLimitsTable.midijob_upper (per month, § 20 Abs. 2 SGB IV)"},
    {"leave_days_six_day_week", FigureUnit::kDays, "StatutoryLeaveTable (Werktage a year, § 3 Abs. 1 BUrlG)"},
    {"leave_days_five_day_week", FigureUnit::kDays,
     "StatutoryLeaveTable × 5 / 6 (working days a year in a five-day week, § 3 Abs. 1, 2 BUrlG)"},
};

template <typename T, typename Get>
std::optional<FigureValue> From(std::span<const ll::DatedRow<T>> table, Date day, const FigureDef& def, Get get) {
  const auto* row = ll::RowFor(table, day);
  if (!row) return std::nullopt;
  return FigureValue{def.name, def.unit, get(row->value), row->valid_from, row->source};
}

/// The ICU locale of a text language: Dari is Afghan Persian; English as written in Europe
/// ("1 January 2026"); every calendar Gregorian (the Persian and Pashto defaults are not).
icu::Locale LocaleOf(std::string_view lang) {
  std::string base = lang == "prs" ? "fa_AF" : lang == "en" ? "en_GB" : std::string(lang);
  return icu::Locale((base + "@calendar=gregorian").c_str());
}

std::string Utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

struct Since {
  std::string_view lang, before, after;
};
// "(seit …)" in each language of items (model.hpp kLanguages); German and English written here,
// the others machine-made and unreviewed, like the other portal translations.
constexpr Since kSince[] = {
    {"de", "seit ", ""},      {"en", "since ", ""},          {"ar", "منذ ", ""},        {"fa", "از ", ""},
    {"prs", "از ", ""},        {"ps", "له ", " راهیسې"},       {"uk", "з ", ""},          {"ru", "с ", ""},
    {"tr", "", " tarihinden beri"}, {"ti", "ካብ ", ""},       {"fr", "depuis le ", ""},  {"es", "desde el ", ""},
    {"pl", "od ", ""},         {"ro", "din ", ""},            {"bg", "от ", ""},         {"ku", "ji ", " ve"},
    {"so", "laga bilaabo ", ""}, {"sq", "që nga ", ""},
};

bool IsNameChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::span<const FigureDef> FigureDefs() { return kFigures; }

std::optional<FigureValue> FigureOn(std::string_view name, Date day) {
  for (const auto& def : kFigures) {
    if (def.name != name) continue;
    if (name == "minimum_wage") return From(ll::MinimumWageTable(), day, def, [](Cents c) { return c.value(); });
    if (name == "minijob_limit") {
      return From(ll::EarningsLimitsTable(), day, def, [](const ll::EarningsLimits& l) { return l.minijob_limit.value(); });
    }
    if (name == "midijob_upper") {
      return From(ll::EarningsLimitsTable(), day, def, [](const ll::EarningsLimits& l) { return l.midijob_upper.value(); });
    }
    if (name == "leave_days_six_day_week") return From(ll::StatutoryLeaveTable(), day, def, [](int d) { return std::int64_t{d}; });
    if (name == "leave_days_five_day_week") {
      return From(ll::StatutoryLeaveTable(), day, def,
                  [](int d) { return std::int64_t{d} * 5 / ll::kWerktagePerWeek; });
    }
  }
  return std::nullopt;
}

namespace {

/// ICU formatters of one language, made once per thread (about 0.15 ms each to make; a search
/// page resolves placeholders in every snippet). DateFormat is not thread-safe, so per thread.
struct Formatters {
  std::unique_ptr<icu::DateFormat> date;
  std::optional<icu::number::LocalizedNumberFormatter> cents, euros, count;
};

Formatters& FormattersFor(std::string_view lang) {
  // Languages of items only (so the cache stays small); any other is written as in English.
  if (std::find(std::begin(kLanguages), std::end(kLanguages), lang) == std::end(kLanguages)) lang = "en";
  thread_local std::map<std::string, Formatters, std::less<>> cache;
  auto it = cache.find(lang);
  if (it != cache.end()) return it->second;
  auto locale = LocaleOf(lang);
  Formatters f;
  f.date.reset(icu::DateFormat::createDateInstance(icu::DateFormat::kLong, locale));
  if (f.date) f.date->setTimeZone(*icu::TimeZone::getGMT());
  UErrorCode status = U_ZERO_ERROR;
  icu::CurrencyUnit eur(u"EUR", status);
  auto money = icu::number::NumberFormatter::withLocale(locale).unit(eur);
  f.cents = money.precision(icu::number::Precision::fixedFraction(2));
  f.euros = money.precision(icu::number::Precision::integer());
  f.count = icu::number::NumberFormatter::withLocale(locale);
  return cache.emplace(std::string(lang), std::move(f)).first->second;
}

}  // namespace

std::string FormatFigureValue(const FigureValue& v, std::string_view lang) {
  auto& f = FormattersFor(lang);
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out;
  if (v.unit == FigureUnit::kEuro) {
    const auto& money = v.amount % 100 == 0 ? *f.euros : *f.cents;  // whole euros without cents
    out = money.formatDouble(static_cast<double>(v.amount) / 100.0, status).toString(status);
  } else {
    out = f.count->formatInt(v.amount, status).toString(status);
  }
  if (U_FAILURE(status)) return std::to_string(v.amount);
  return Utf8(out);
}

std::string FormatLongDate(Date date, std::string_view lang) {
  auto& f = FormattersFor(lang);
  if (!f.date) return date.ToString();
  icu::UnicodeString out;
  f.date->format(static_cast<UDate>(date.DaysSinceEpoch()) * 86400000.0, out);
  return Utf8(out);
}

std::string FormatFigure(const FigureValue& v, std::string_view lang) {
  const Since* since = &kSince[1];  // English for a language without its own words
  for (const auto& s : kSince) {
    if (s.lang == lang) since = &s;
  }
  return FormatFigureValue(v, lang) + " (" + std::string(since->before) + FormatLongDate(v.valid_from, lang) +
         std::string(since->after) + ")";
}

std::vector<Placeholder> FindPlaceholders(std::string_view text) {
  std::vector<Placeholder> out;
  std::size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    if (pos > 0 && text[pos - 1] == '\\') {  // \{{ is a literal
      pos += 2;
      continue;
    }
    auto close = text.find("}}", pos + 2);
    auto newline = text.find('\n', pos + 2);
    if (close == std::string_view::npos || (newline != std::string_view::npos && newline < close)) {
      pos += 2;
      continue;
    }
    Placeholder p;
    p.begin = pos;
    p.end = close + 2;
    auto inner = Trim(text.substr(pos + 2, close - pos - 2));
    p.raw = std::string(inner);
    auto colon = inner.find(':');
    p.name = std::string(Trim(inner.substr(0, colon)));
    if (colon != std::string_view::npos) p.part = std::string(Trim(inner.substr(colon + 1)));
    out.push_back(std::move(p));
    pos = close + 2;
  }
  return out;
}

bool IsFigure(const Placeholder& p) {
  if (p.part != "" && p.part != "value" && p.part != "since") return false;
  for (const auto& def : kFigures) {
    if (def.name == p.name) return true;
  }
  return false;
}

bool IsFillInField(const Placeholder& p) {
  if (p.name.empty() || p.raw.find(':') != std::string::npos || p.name.size() > 60) return false;
  for (char c : p.name) {
    if (!IsNameChar(c)) return false;
  }
  return !(p.name[0] >= '0' && p.name[0] <= '9');
}

void CheckPlaceholders(std::string_view text, std::string_view field, bool fill_in_fields,
                       std::vector<FieldError>& errors) {
  std::string unknown;
  for (const auto& p : FindPlaceholders(text)) {
    if (IsFigure(p) || (fill_in_fields && IsFillInField(p))) continue;
    if (!unknown.empty()) unknown += ", ";
    unknown += "{{" + p.raw + "}}";
  }
  if (unknown.empty()) return;
  std::string known;
  for (const auto& def : kFigures) known += (known.empty() ? "" : ", ") + std::string(def.name);
  errors.push_back({std::string(field), "has an unknown placeholder " + unknown + "; the figures are " + known +
                                            " (optionally with :value or :since)"});
}

std::string ResolveFigures(std::string_view markdown, std::string_view lang, Date day, Unresolved unresolved,
                           Output as) {
  auto found = FindPlaceholders(markdown);
  if (found.empty()) return std::string(markdown);
  std::string out;
  out.reserve(markdown.size() + 32 * found.size());
  std::size_t at = 0;
  for (const auto& p : found) {
    out.append(markdown.substr(at, p.begin - at));
    at = p.end;
    std::optional<FigureValue> v = IsFigure(p) ? FigureOn(p.name, day) : std::nullopt;
    if (!v) {
      if (unresolved == Unresolved::kKeep && !IsFigure(p)) {
        out.append(markdown.substr(p.begin, p.end - p.begin));
      } else {
        out += "…";
      }
      continue;
    }
    std::string text = p.part == "value" ? FormatFigureValue(*v, lang)
                       : p.part == "since" ? FormatLongDate(v->valid_from, lang)
                                           : FormatFigure(*v, lang);
    // "1. Januar 2026" would start an ordered list at the start of a line or a list item: in
    // Markdown the dot is escaped (it renders as a dot everywhere but in code).
    if (as == Output::kMarkdown) {
      std::size_t digits = 0;
      while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
      bool marker = digits > 0 && digits < text.size() && (text[digits] == '.' || text[digits] == ')') &&
                    (digits + 1 == text.size() || text[digits + 1] == ' ');
      if (marker) text.insert(digits, "\\");
    }
    out += text;
  }
  out.append(markdown.substr(at));
  return out;
}

std::string WithoutPlaceholders(std::string_view text) {
  auto found = FindPlaceholders(text);
  if (found.empty()) return std::string(text);
  std::string out;
  std::size_t at = 0;
  for (const auto& p : found) {
    out.append(text.substr(at, p.begin - at));
    out += ' ';
    at = p.end;
  }
  out.append(text.substr(at));
  return out;
}

Date FigureDay() {
  auto today = Date::Parse(clock::TodayIso());
  return today ? *today : Date();
}

}  // namespace fairdesk::knowledge
