#include "esf/model.hpp"

#include <charconv>

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

}  // namespace fairdesk::esf
