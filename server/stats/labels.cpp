// Fixed names of measures, dimensions and coded dimension values (the web app has the same in
// web/src/features/stats/locales; the annual report and the table exports use these).

#include "stats/labels.hpp"

#include <cstdio>

namespace fairdesk::stats {
namespace {

// One table: measures (dim "(measure)"), dimensions (dim "(dimension)") and coded values by
// their dimension.
struct Names {
  std::string_view dim, code, de, en;
};

constexpr std::string_view kMeasure = "(measure)", kDimension = "(dimension)";

constexpr Names kNames[] = {
    {kMeasure, "consultations", "Beratungskontakte", "Consultations"},
    {kMeasure, "persons", "Beratene Personen", "Persons counselled"},
    {kMeasure, "cases_opened", "Eröffnete Fälle", "Cases opened"},
    {kMeasure, "cases_closed", "Abgeschlossene Fälle", "Cases closed"},
    {kMeasure, "wages_recovered_cents", "Gesicherte Löhne", "Wages recovered"},
    {kDimension, "month", "Monat", "Month"},
    {kDimension, "quarter", "Quartal", "Quarter"},
    {kDimension, "year", "Jahr", "Year"},
    {kDimension, "state", "Land", "State"},
    {kDimension, "centre", "Beratungsstelle", "Advice centre"},
    {kDimension, "topic", "Thema", "Topic"},
    {kDimension, "sector_group", "Branchengruppe", "Sector group"},
    {kDimension, "sector", "Wirtschaftsabschnitt (WZ 2008)", "Sector (WZ 2008 section)"},
    {kDimension, "nationality", "Staatsangehörigkeit", "Nationality"},
    {kDimension, "nationality_group", "Herkunftsregion", "Region of origin"},
    {kDimension, "channel", "Kanal", "Channel"},
    {kDimension, "language", "Sprache", "Language"},
    {kDimension, "gender", "Geschlecht", "Gender"},
    {kDimension, "age_band", "Altersgruppe", "Age band"},
    {kDimension, "employment_status", "Erwerbsstatus", "Employment status"},
    {kDimension, "residence_status", "Aufenthaltsstatus", "Residence status"},
    {kDimension, "abroad", "Wohnort", "Place of residence"},
    {kDimension, "kind", "Art (präventiv/akut)", "Kind (preventive/acute)"},
    {kDimension, "contact", "Erst-/Folgekontakt", "First/follow-up contact"},
    {kDimension, "referral_target", "Weitervermittlung an", "Referred to"},
    {kDimension, "outcome", "Ergebnis", "Outcome"},
    {"state", "BW", "Baden-Württemberg", "Baden-Württemberg"},
    {"state", "BY", "Bayern", "Bavaria"},
    {"state", "BE", "Berlin", "Berlin"},
    {"state", "BB", "Brandenburg", "Brandenburg"},
    {"state", "HB", "Bremen", "Bremen"},
    {"state", "HH", "Hamburg", "Hamburg"},
    {"state", "HE", "Hessen", "Hesse"},
    {"state", "MV", "Mecklenburg-Vorpommern", "Mecklenburg-Western Pomerania"},
    {"state", "NI", "Niedersachsen", "Lower Saxony"},
    {"state", "NW", "Nordrhein-Westfalen", "North Rhine-Westphalia"},
    {"state", "RP", "Rheinland-Pfalz", "Rhineland-Palatinate"},
    {"state", "SL", "Saarland", "Saarland"},
    {"state", "SN", "Sachsen", "Saxony"},
    {"state", "ST", "Sachsen-Anhalt", "Saxony-Anhalt"},
    {"state", "SH", "Schleswig-Holstein", "Schleswig-Holstein"},
    {"state", "TH", "Thüringen", "Thuringia"},
    {"channel", "in_person", "persönlich", "in person"},
    {"channel", "phone", "Telefon", "phone"},
    {"channel", "video", "Video", "video"},
    {"channel", "messenger", "Messenger", "messenger"},
    {"channel", "email", "E-Mail", "e-mail"},
    {"channel", "outreach", "aufsuchend", "outreach"},
    {"outcome", "open", "offen", "open"},
    {"outcome", "settled", "Einigung", "settled"},
    {"outcome", "claim_filed", "Klage eingereicht", "claim filed"},
    {"outcome", "referred", "verwiesen", "referred"},
    {"outcome", "no_further_action", "keine weiteren Schritte", "no further action"},
    {"outcome", "closed_other", "anders abgeschlossen", "closed otherwise"},
    {"gender", "female", "weiblich", "female"},
    {"gender", "male", "männlich", "male"},
    {"gender", "diverse", "divers", "diverse"},
    {"gender", "unspecified", "ohne Angabe", "not stated"},
    {"age_band", "under_18", "unter 18", "under 18"},
    {"age_band", "18_29", "18–29", "18–29"},
    {"age_band", "30_44", "30–44", "30–44"},
    {"age_band", "45_54", "45–54", "45–54"},
    {"age_band", "55_plus", "55 und älter", "55 and over"},
    {"sector_group", "construction", "Bau", "Construction"},
    {"sector_group", "cleaning", "Reinigung", "Cleaning"},
    {"sector_group", "hospitality", "Gastgewerbe", "Hospitality"},
    {"sector_group", "transport_logistics", "Transport, Logistik, Paketzustellung", "Transport, logistics, parcel delivery"},
    {"sector_group", "meat_food", "Fleisch- und Lebensmittelindustrie", "Meat and food industry"},
    {"sector_group", "agriculture", "Landwirtschaft, Saisonarbeit", "Agriculture, seasonal work"},
    {"sector_group", "care", "Pflege, häusliche Betreuung", "Care, home care"},
    {"sector_group", "other", "Sonstige", "Other"},
    {"kind", "preventive", "präventiv", "preventive"},
    {"kind", "acute", "akut", "acute"},
    {"contact", "first", "Erstkontakt", "first contact"},
    {"contact", "follow_up", "Folgekontakt", "follow-up"},
    {"abroad", "germany", "in Deutschland", "in Germany"},
    {"abroad", "abroad", "im Ausland", "abroad"},
    {"residence_status", "asylum_seeker", "Aufenthaltsgestattung", "asylum seeker (Gestattung)"},
    {"residence_status", "tolerated", "Duldung", "tolerated (Duldung)"},
    {"residence_status", "humanitarian", "humanitär (§§ 22–26)", "humanitarian (§§ 22–26)"},
    {"residence_status", "temporary_protection", "vorübergehender Schutz (§ 24)", "temporary protection (§ 24)"},
    {"residence_status", "employment", "Erwerbstätigkeit", "employment"},
    {"residence_status", "study_training", "Studium, Ausbildung", "study, training"},
    {"residence_status", "family", "Familiennachzug", "family"},
    {"residence_status", "settlement", "Niederlassung, Daueraufenthalt-EU", "settlement, EU long-term"},
    {"residence_status", "visa_abroad", "Visum, im Ausland", "visa, abroad"},
    {"residence_status", "none", "ohne Titel", "no title"},
    {"employment_status", "employed", "beschäftigt", "employed"},
    {"employment_status", "marginal_employment", "geringfügig beschäftigt", "marginal employment"},
    {"employment_status", "self_employed", "selbstständig", "self-employed"},
    {"employment_status", "in_training", "in Ausbildung", "in training"},
    {"employment_status", "internship", "Praktikum", "internship"},
    {"employment_status", "unemployed", "arbeitslos", "unemployed"},
    {"employment_status", "not_employed", "nicht erwerbstätig", "not employed"},
    {"nationality_group", "eu_eea_ch", "EU/EWR/Schweiz", "EU/EEA/Switzerland"},
    {"nationality_group", "western_balkans", "Westbalkan", "Western Balkans"},
    {"nationality_group", "eastern_europe", "Osteuropa, Kaukasus, Türkei", "Eastern Europe, Caucasus, Turkey"},
    {"nationality_group", "middle_east_north_africa", "Naher Osten, Nordafrika", "Middle East, North Africa"},
    {"nationality_group", "sub_saharan_africa", "Afrika südlich der Sahara", "Sub-Saharan Africa"},
    {"nationality_group", "south_central_asia", "Süd- und Zentralasien", "South and Central Asia"},
    {"nationality_group", "east_southeast_asia", "Ost- und Südostasien", "East and Southeast Asia"},
    {"nationality_group", "americas", "Amerika", "Americas"},
    {"nationality_group", "other", "Sonstige", "Other"},
    {"referral_target", "none", "keine Weitervermittlung", "no referral"},
    {"referral_target", "trade_union", "Gewerkschaft", "trade union"},
    {"referral_target", "labour_court", "Arbeitsgericht", "labour court"},
    {"referral_target", "migration_counselling", "Migrationsberatung", "migration counselling"},
    {"referral_target", "employment_agency", "Agentur für Arbeit", "employment agency"},
    {"referral_target", "fair_mobility", "Faire Mobilität", "Fair Mobility"},
    {"referral_target", "anti_discrimination", "Antidiskriminierungsstelle", "anti-discrimination office"},
    {"referral_target", "health_insurance", "Krankenkasse", "health insurance"},
    {"referral_target", "customs_fks", "Zoll (FKS)", "customs (FKS)"},
    {"referral_target", "anti_trafficking", "Fachberatung Menschenhandel", "anti-trafficking counselling"},
    {"referral_target", "recognition_counselling", "Anerkennungsberatung", "recognition counselling"},
    {"referral_target", "centre", "andere Beratungsstelle", "another advice centre"},
};

std::string Lookup(std::string_view dim, std::string_view code, bool de) {
  for (const auto& n : kNames) {
    if (n.dim == dim && n.code == code) return std::string(de ? n.de : n.en);
  }
  return std::string(code);
}

}  // namespace

std::string MeasureName(std::string_view measure, bool de) { return Lookup(kMeasure, measure, de); }

std::string DimensionName(std::string_view dim, bool de) { return Lookup(kDimension, dim, de); }

std::string ValueName(std::string_view dim, const std::string& key, bool de, const ReportLabels& labels) {
  if (key == "unknown") return de ? "unbekannt" : "unknown";
  if (dim == "topic") {
    if (auto it = labels.topics.find(key); it != labels.topics.end()) return de ? it->second.first : it->second.second;
  }
  if (dim == "centre") {
    if (auto it = labels.centres.find(key); it != labels.centres.end()) return it->second;
  }
  return Lookup(dim, key, de);
}

std::string FormatFigure(std::int64_t v, bool money, bool de) {
  const bool negative = v < 0;
  const std::uint64_t a = negative ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  const std::string digits = std::to_string(money ? a / 100 : a);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += de ? '.' : ',';
    grouped += digits[i];
  }
  std::string out = (negative ? "-" : "") + grouped;
  if (money) {
    char cents[8];
    std::snprintf(cents, sizeof cents, "%02llu", static_cast<unsigned long long>(a % 100));
    out = de ? out + "," + cents + " €" : "€" + out + "." + cents;
  }
  return out;
}

}  // namespace fairdesk::stats
