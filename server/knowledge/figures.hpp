#pragma once
/// Live legal figures in knowledge items: placeholders such as `{{minimum_wage}}` in a body
/// (Markdown) are resolved when the item is rendered, against the row of the labour-law tables
/// (server/labour_law/tables) valid on the day of rendering, so that an item never shows a
/// figure that has since changed (the minimum wage of 1 January 2027, say).
///
/// Syntax (docs/DECISIONS.md, "Live figures in knowledge items"):
///   {{name}}        the value and the date it is valid from: "13,90 € (seit 1. Januar 2026)"
///   {{name:value}}  the value only: "13,90 €"
///   {{name:since}}  the date only: "1. Januar 2026"
///   \{{             a literal "{{" (the backslash is Markdown's escape)
/// Spaces inside the braces are allowed (`{{ minimum_wage }}`). A placeholder never spans lines.
/// Numbers and dates are written as the language of the text writes them (ICU/CLDR, Gregorian
/// calendar always). Every `{{…}}` that names no figure is refused on save (422 naming `body`
/// and the placeholder) — except the fill-in fields of letter templates (`{{client_name}}`),
/// which the advisor fills in when printing.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/date.hpp"
#include "platform/core/error.hpp"

namespace fairdesk::knowledge {

enum class FigureUnit { kEuro, kDays };

/// A figure a placeholder may name, with where it comes from.
struct FigureDef {
  std::string_view name;
  FigureUnit unit;
  std::string_view table;  // the labour-law table and column it is read from
};

/// Every figure placeholders may name, in the order the editor lists them.
std::span<const FigureDef> FigureDefs();

/// A figure's value on a day: the table row in force then.
struct FigureValue {
  std::string_view name;
  FigureUnit unit;
  std::int64_t amount = 0;  // cents for kEuro, a count for kDays
  Date valid_from;
  std::string_view source;  // the paragraph or ordinance of the row
};

/// The value of `name` on `day`; nullopt for an unknown name or a day before the table's first row.
std::optional<FigureValue> FigureOn(std::string_view name, Date day);

/// "13,90 €" (de), "€13.90" (en), "١٣٫٩٠ €" (ar): whole euros without cents ("603 €").
std::string FormatFigureValue(const FigureValue& v, std::string_view lang);
/// "1. Januar 2026" (de), "1 January 2026" (en), "١ يناير ٢٠٢٦" (ar): Gregorian, long form.
std::string FormatLongDate(Date date, std::string_view lang);
/// "13,90 € (seit 1. Januar 2026)": the value and the date it is valid from.
std::string FormatFigure(const FigureValue& v, std::string_view lang);

/// One `{{…}}` in a text: its byte range, the name and the part asked for ("", "value", "since";
/// anything else makes it unknown). `raw` is the text between the braces, trimmed.
struct Placeholder {
  std::size_t begin = 0, end = 0;
  std::string raw;
  std::string name;
  std::string part;
};
std::vector<Placeholder> FindPlaceholders(std::string_view text);

/// True if the placeholder names a figure and a known part.
bool IsFigure(const Placeholder& p);
/// True for a letter template's fill-in field: a lower-case name of letters, digits and `_`, no part.
bool IsFillInField(const Placeholder& p);

/// Adds one error naming `field` and every placeholder that is neither a figure nor (where
/// `fill_in_fields`) a fill-in field, with the names that are known.
void CheckPlaceholders(std::string_view text, std::string_view field, bool fill_in_fields,
                       std::vector<FieldError>& errors);

/// What a placeholder that names no figure becomes when rendered.
enum class Unresolved {
  kKeep,      // left as written (letter templates: the reader fills it in)
  kEllipsis,  // "…" (never raw braces for a reader; such text was saved before the check existed)
};

/// What the resolved text is for: Markdown to render (a value such as "1. Januar" gets its dot
/// escaped, or it could start an ordered list), or text shown as it is (a letter, a snippet).
enum class Output { kMarkdown, kText };

/// The text with every figure placeholder replaced by its value on `day`, written for a text in
/// `lang`.
std::string ResolveFigures(std::string_view markdown, std::string_view lang, Date day, Unresolved unresolved,
                           Output as = Output::kMarkdown);

/// The text with every placeholder removed (for the word index: figures change on dates nothing
/// re-indexes, so their values are not searchable; see docs/DECISIONS.md).
std::string WithoutPlaceholders(std::string_view text);

/// Today in Germany (Europe/Berlin), the day figures are resolved for.
Date FigureDay();

}  // namespace fairdesk::knowledge
