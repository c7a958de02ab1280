#include "esf/model.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include "stats/protect.hpp"

namespace fairdesk::esf {
namespace {

bool Employed(std::string_view s) { return s == "employed" || s == "self_employed"; }

}  // namespace

std::string AgeBand(std::int64_t birth_year, std::string_view entry_date) {
  int year = 0;
  if (entry_date.size() >= 4) std::from_chars(entry_date.data(), entry_date.data() + 4, year);
  const std::int64_t age = year - birth_year;  // the age reached in the year of entry
  if (age < 18) return "under_18";
  if (age <= 29) return "18_29";
  if (age <= 54) return "30_54";
  return "55_plus";
}

// Annex I of Regulation (EU) 2021/1057 with the SFC2021 codes (LABOUR_LAW.md §5; the codes marked
// [K] there are inferred from their sequence). Rows without an SFC code are context for the reader
// (refusals, leavers) and are protected like the indicators.
const std::vector<Indicator> kIndicators = {
    {"EECO01", "Teilnehmende insgesamt", "Total number of participants", Basis::kEntry,
     [](const Facts&) { return true; }},
    {"EECO02", "Arbeitslose, einschließlich Langzeitarbeitslose", "Unemployed, including long-term unemployed",
     Basis::kEntry,
     [](const Facts& f) { return f.employment_status == "unemployed" || f.employment_status == "long_term_unemployed"; }},
    {"EECO03", "Langzeitarbeitslose", "Long-term unemployed", Basis::kEntry,
     [](const Facts& f) { return f.employment_status == "long_term_unemployed"; }},
    {"EECO04", "Nichterwerbstätige", "Inactive", Basis::kEntry,
     [](const Facts& f) { return f.employment_status == "inactive"; }},
    {"EECO05", "Erwerbstätige, auch Selbstständige", "Employed, including self-employed", Basis::kEntry,
     [](const Facts& f) { return Employed(f.employment_status); }},
    {"EECO06", "Kinder unter 18 Jahren", "Children below 18 years of age", Basis::kEntry,
     [](const Facts& f) { return f.age_band == "under_18"; }},
    {"EECO07", "Junge Menschen zwischen 18 und 29 Jahren", "Young people between 18 and 29 years of age",
     Basis::kEntry, [](const Facts& f) { return f.age_band == "18_29"; }},
    {"AGE_30_54", "30 bis 54 Jahre", "30 to 54 years", Basis::kEntry,
     [](const Facts& f) { return f.age_band == "30_54"; }, false},
    {"EECO08", "Teilnehmende ab 55 Jahren", "Participants aged 55 and above", Basis::kEntry,
     [](const Facts& f) { return f.age_band == "55_plus"; }},
    {"EECO09", "Höchstens Sekundarbereich I (ISCED 0–2)", "Lower secondary education or less (ISCED 0–2)",
     Basis::kEntry, [](const Facts& f) { return f.education == "isced_0_2"; }},
    {"EECO10", "Sekundarbereich II oder postsekundär (ISCED 3–4)",
     "Upper secondary or post-secondary education (ISCED 3–4)", Basis::kEntry,
     [](const Facts& f) { return f.education == "isced_3_4"; }},
    {"EECO11", "Tertiärbildung (ISCED 5–8)", "Tertiary education (ISCED 5–8)", Basis::kEntry,
     [](const Facts& f) { return f.education == "isced_5_8"; }},
    {"EECO12", "Teilnehmende mit Behinderungen", "Participants with disabilities", Basis::kEntry,
     [](const Facts& f) { return f.disability == "yes"; }},
    {"EECO13", "Drittstaatsangehörige", "Third-country nationals", Basis::kEntry,
     [](const Facts& f) { return f.third_country_national == "yes"; }},
    {"EECO14", "Teilnehmende ausländischer Herkunft", "Participants with a foreign background", Basis::kEntry,
     [](const Facts& f) { return f.foreign_background == "yes"; }},
    {"EECO15", "Minderheiten (einschließlich Roma)", "Minorities (including Roma)", Basis::kEntry,
     [](const Facts& f) { return f.minority == "yes"; }},
    {"EECO16", "Obdachlose oder von Ausgrenzung auf dem Wohnungsmarkt Betroffene",
     "Homeless or affected by housing exclusion", Basis::kEntry, [](const Facts& f) { return f.homeless == "yes"; }},
    {"EECO17", "Teilnehmende aus ländlichen Gebieten", "Participants from rural areas", Basis::kEntry,
     [](const Facts& f) { return f.rural == "yes"; }},
    {"REFUSED_DISABILITY", "Angabe zu Behinderung verweigert (kein Indikator)",
     "Refused to answer on disability (not an indicator)", Basis::kEntry,
     [](const Facts& f) { return f.disability == "refused"; }},
    {"REFUSED_MINORITY", "Angabe zu Minderheit verweigert (kein Indikator)",
     "Refused to answer on minority (not an indicator)", Basis::kEntry,
     [](const Facts& f) { return f.minority == "refused"; }},
    {"LEAVERS", "Austritte (kein Indikator)", "Leavers (not an indicator)", Basis::kExit,
     [](const Facts&) { return true; }},
    {"EECR01", "Nach Austritt arbeitsuchend", "Engaged in job searching upon leaving", Basis::kExit,
     [](const Facts& f) { return f.exit_status == "job_searching"; }},
    {"EECR02", "Nach Austritt in schulischer/beruflicher Bildung", "In education or training upon leaving",
     Basis::kExit, [](const Facts& f) { return f.exit_status == "education_training"; }},
    {"EECR03", "Nach Austritt mit Qualifikation", "Gaining a qualification upon leaving", Basis::kExit,
     [](const Facts& f) { return f.qualification == "yes"; }},
    {"EECR04", "Nach Austritt erwerbstätig, auch selbstständig", "In employment, including self-employment, upon leaving",
     Basis::kExit, [](const Facts& f) { return f.exit_status && Employed(*f.exit_status); }},
    {"EECR05", "Sechs Monate nach Austritt erwerbstätig, auch selbstständig",
     "In employment, including self-employment, six months after leaving", Basis::kExit,
     [](const Facts& f) { return f.long_term_status && Employed(*f.long_term_status); }},
    {"EXIT_OTHER", "Sonstiger Status nach Austritt", "Other status upon leaving", Basis::kExit,
     [](const Facts& f) {
       return !f.exit_status || (*f.exit_status != "job_searching" && *f.exit_status != "education_training" &&
                                 !Employed(*f.exit_status));
     },
     false},
    {"UNEMPLOYED_OTHER", "Arbeitslose ohne Langzeitarbeitslose", "Unemployed, not long-term", Basis::kEntry,
     [](const Facts& f) { return f.employment_status == "unemployed"; }, false},
    {"DISABILITY_NO", "Ohne Behinderung", "No disability", Basis::kEntry,
     [](const Facts& f) { return f.disability != "yes" && f.disability != "refused"; }, false},
    {"THIRD_COUNTRY_NO", "Keine Drittstaatsangehörigen", "Not third-country nationals", Basis::kEntry,
     [](const Facts& f) { return f.third_country_national != "yes"; }, false},
    {"FOREIGN_BACKGROUND_NO", "Ohne ausländische Herkunft", "No foreign background", Basis::kEntry,
     [](const Facts& f) { return f.foreign_background != "yes"; }, false},
    {"MINORITY_NO", "Keiner Minderheit angehörig", "No minority", Basis::kEntry,
     [](const Facts& f) { return f.minority != "yes" && f.minority != "refused"; }, false},
    {"HOMELESS_NO", "Nicht obdachlos", "Not homeless", Basis::kEntry,
     [](const Facts& f) { return f.homeless != "yes"; }, false},
    {"RURAL_NO", "Nicht aus ländlichen Gebieten", "Not from rural areas", Basis::kEntry,
     [](const Facts& f) { return f.rural != "yes"; }, false},
    {"QUALIFICATION_NO", "Ohne Qualifikation nach Austritt", "No qualification upon leaving", Basis::kExit,
     [](const Facts& f) { return f.qualification != "yes"; }, false},
    {"LONG_TERM_OTHER", "Sechs Monate nach Austritt nicht (bekannt) erwerbstätig",
     "Not (known to be) employed six months after leaving", Basis::kExit,
     [](const Facts& f) { return !(f.long_term_status && Employed(*f.long_term_status)); }, false},
};

// Rows that add up to another row, by gender. Helper rows (not published) complete a partition,
// so that what the published rows leave over (e.g. participants aged 30 to 54, or who answered
// "no") is protected like a published figure.
const std::vector<Block> kBlocks = {
    {"EECO01", {"EECO02", "EECO04", "EECO05"}},
    {"EECO02", {"EECO03", "UNEMPLOYED_OTHER"}},
    {"EECO01", {"EECO06", "EECO07", "AGE_30_54", "EECO08"}},
    {"EECO01", {"EECO09", "EECO10", "EECO11"}},
    {"EECO01", {"EECO12", "REFUSED_DISABILITY", "DISABILITY_NO"}},
    {"EECO01", {"EECO13", "THIRD_COUNTRY_NO"}},
    {"EECO01", {"EECO14", "FOREIGN_BACKGROUND_NO"}},
    {"EECO01", {"EECO15", "REFUSED_MINORITY", "MINORITY_NO"}},
    {"EECO01", {"EECO16", "HOMELESS_NO"}},
    {"EECO01", {"EECO17", "RURAL_NO"}},
    {"LEAVERS", {"EECR01", "EECR02", "EECR04", "EXIT_OTHER"}},
    {"LEAVERS", {"EECR03", "QUALIFICATION_NO"}},
    {"LEAVERS", {"EECR05", "LONG_TERM_OTHER"}},
};

Counts Count(const std::vector<Facts>& facts, std::string_view from, std::string_view to) {
  constexpr std::size_t G = std::size(kGenders);
  Counts c;
  c.value.assign(kIndicators.size(), std::vector<std::int64_t>(G + 1, 0));
  c.key.assign(kIndicators.size(), std::vector<std::int64_t>(G + 1, 0));
  auto in = [&](std::string_view m) { return m >= from && m <= to; };
  for (const auto& f : facts) {
    std::size_t g = G;  // an unknown gender counts in the total only
    for (std::size_t j = 0; j < G; ++j) {
      if (f.gender == kGenders[j]) g = j;
    }
    const bool entered = in(f.entry_month);
    const bool left = f.exit_month && in(*f.exit_month);
    for (std::size_t i = 0; i < kIndicators.size(); ++i) {
      const auto& ind = kIndicators[i];
      if (!(ind.basis == Basis::kEntry ? entered : left) || !ind.counts(f)) continue;
      if (g < G) {
        c.value[i][g] += 1;
        c.key[i][g] = (c.key[i][g] + f.rkey) & 0x7fffffff;
      }
      c.value[i][G] += 1;
      c.key[i][G] = (c.key[i][G] + f.rkey) & 0x7fffffff;
    }
  }
  return c;
}

// Protection of the whole indicator table (docs/STATISTICS.md, "ESF Plus"). The rows are linked:
// each indicator's genders add up to its total, and each block's rows add up to its margin row,
// column by column. stats::Suppress protects one table with its margins by rectangles of
// suppressed elements that can move together without changing a published figure. Here:
//  1. every row that is no block's inner row (the totals EECO01 and LEAVERS) is protected as a
//     table of its own (genders with the total);
//  2. every block is protected with its margin row below it, figures already hidden counting as
//     hidden (so blocks share the hidden margin figures); a margin that is itself an inner row of
//     another block (EECO02) is withheld instead (never a partner), so that no rectangle moves a
//     row of the block above;
//  3. a rectangle that moves a margin figure (or a hidden inner row that is another block's
//     margin) changes the sums of the other blocks below that margin. So, whenever a margin row
//     has a hidden figure in gender column j, every block below it hides, in column j and in the
//     rows' totals, rows whose column-j figures add up to at least min(figure, 5): moving the
//     margin by t then moves those rows along (column j and total by t) without changing a
//     published figure. This repeats until nothing changes.
// Helper rows are never published; they start hidden and free to lean on, but their small
// figures are protected like published ones. model_test.cpp audits the result by linear
// programming over all equations at once.
std::vector<std::vector<bool>> Protect(const Counts& c) {
  using E = stats::Grid::Element;
  constexpr int G = static_cast<int>(std::size(kGenders));
  const std::size_t N = kIndicators.size();
  std::vector<std::vector<bool>> hidden(N, std::vector<bool>(G + 1, false));
  for (std::size_t i = 0; i < N; ++i) {
    if (!kIndicators[i].published) hidden[i].assign(G + 1, true);
  }
  auto index = [&](std::string_view code) {
    std::size_t i = 0;
    while (i < N && kIndicators[i].code != code) ++i;
    return i;
  };
  struct Resolved {
    std::size_t margin;
    std::vector<std::size_t> rows;
  };
  std::vector<Resolved> blocks;
  std::vector<bool> inner(N, false);
  for (const auto& b : kBlocks) {
    Resolved r{index(b.margin), {}};
    for (auto code : b.rows) r.rows.push_back(index(code));
    if (r.margin == N || std::ranges::find(r.rows, N) != r.rows.end()) {
      // A mapping error (model_test checks there is none): publish nothing rather than too much.
      for (auto& row : hidden) row.assign(G + 1, true);
      return hidden;
    }
    for (auto i : r.rows) inner[i] = true;
    blocks.push_back(std::move(r));
  }
  // rows x genders with the total column, and the margin row below them: `margin`, or withheld
  // (zeros, never a rectangle partner) when it is nullopt.
  auto suppress = [&](const std::vector<std::size_t>& rows, std::optional<std::size_t> margin) {
    const int R = static_cast<int>(rows.size());
    stats::Grid g(R, G);
    auto source = [&](int i) -> std::optional<std::size_t> {
      return i < R ? std::optional(rows[static_cast<std::size_t>(i)]) : margin;
    };
    for (int i = 0; i <= R; ++i) {
      const auto src = source(i);
      if (!src) continue;
      for (int j = 0; j <= G; ++j) {
        E& x = g.at(i, j);
        x.value = c.value[*src][static_cast<std::size_t>(j)];
        x.key = c.key[*src][static_cast<std::size_t>(j)];
        if (hidden[*src][static_cast<std::size_t>(j)]) x.state = E::kSecondary;
      }
    }
    stats::Suppress(g, stats::Kind::kCount);
    for (int i = 0; i <= R; ++i) {
      const auto src = source(i);
      if (!src) continue;
      for (int j = 0; j <= G; ++j) {
        if (g.at(i, j).state != E::kPublished) hidden[*src][static_cast<std::size_t>(j)] = true;
      }
    }
  };
  for (std::size_t i = 0; i < N; ++i) {
    if (!inner[i]) suppress({i}, i);
  }
  for (const auto& b : blocks) suppress(b.rows, inner[b.margin] ? std::nullopt : std::optional(b.margin));
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& b : blocks) {
      for (std::size_t j = 0; j < static_cast<std::size_t>(G); ++j) {
        const std::int64_t v = c.value[b.margin][j];
        if (!hidden[b.margin][j] || v == 0) continue;
        const std::int64_t need = std::min(v, stats::kMinCount);
        std::int64_t have = 0;
        std::vector<std::size_t> more;
        for (auto r : b.rows) {
          if (hidden[r][j] && hidden[r][G]) have += c.value[r][j];
          else if (c.value[r][j] > 0) more.push_back(r);
        }
        std::ranges::sort(more, [&](auto x, auto y) { return c.value[x][j] > c.value[y][j]; });
        for (auto r : more) {
          if (have >= need) break;
          hidden[r][j] = hidden[r][G] = true;
          have += c.value[r][j];
          changed = true;
        }
      }
    }
  }
  return hidden;
}

}  // namespace fairdesk::esf
