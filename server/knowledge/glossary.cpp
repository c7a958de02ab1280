#include "knowledge/glossary.hpp"

#include <algorithm>

#include "knowledge/text.hpp"

namespace fairdesk::knowledge {
namespace {

// Parts of the compounds advisors search for. A compound is split only into parts of this list
// (with the linking -s-, -es-, -n-, -en-), so ordinary words are left alone.
constexpr std::string_view kParts[] = {
    "Kündigung", "Schutz", "Klage", "Lohn", "Löhne", "Mindest", "Arbeit", "Zeit", "Vertrag", "Urlaub", "Krank",
    "Krankheit", "Kranken", "Geld", "Versicherung", "Kasse", "Frist", "Gericht", "Recht", "Nehmer", "Geber",
    "Stunde", "Zuschlag", "Nacht", "Sonntag", "Feiertag", "Entgelt", "Fortzahlung", "Ausbeutung", "Menschen",
    "Handel", "Bescheinigung", "Aufhebung", "Abmahnung", "Abrechnung", "Steuer", "Sozial", "Unfall", "Schicht",
    "Pause", "Ruhe", "Mutter", "Eltern", "Teil", "Leih", "Unterkunft", "Miete", "Wohnung", "Aufenthalt", "Titel",
    "Erlaubnis", "Beratung", "Stelle", "Pflicht", "Antrag", "Anspruch", "Verjährung", "Ausschluss", "Probe",
    "Tarif", "Beitrag", "Melde", "Gesundheit", "Zwang", "Lage", "Nachweis", "Dauer", "Höchst", "Brief", "Vorlage",
    "Muster", "Schreiben", "Kontrolle", "Fall", "Beschreibung", "Prüf", "Liste", "Saison", "Bau", "Pflege",
    "Reinigung", "Gastronomie", "Landwirtschaft", "Betrieb", "Rat", "Gewerkschaft", "Zoll", "Schwarz", "Erwerb",
};

// Synonyms and cross-language terms: a query word that is a member (or has the same stem in
// the query language) also finds every other member.
const std::vector<std::vector<std::string_view>> kGroups = {
    {"Mindestlohn", "minimum wage", "мінімальна зарплата", "минимальная зарплата", "الحد الأدنى للأجور", "asgari ücret"},
    {"Kündigung", "Entlassung", "dismissal", "termination", "звільнення", "увольнение", "فصل", "işten çıkarma"},
    {"Lohn", "Gehalt", "Entgelt", "wage", "salary", "зарплата", "заробітна", "أجر", "راتب", "ücret", "maaş"},
    {"Urlaub", "leave", "vacation", "відпустка", "отпуск", "إجازة", "izin"},
    {"krank", "Krankheit", "sick", "illness", "лікарняний", "больничный", "مرض", "hastalık"},
    {"Arbeitszeit", "working time", "working hours", "робочий час", "рабочее время", "ساعات العمل", "çalışma süresi"},
    {"Krankenversicherung", "Krankenkasse", "health insurance", "медичне страхування", "медицинская страховка",
     "التأمين الصحي", "sağlık sigortası"},
    {"Ausbeutung", "exploitation", "експлуатація", "эксплуатация", "استغلال", "sömürü"},
    {"Arbeitsvertrag", "employment contract", "трудовий договір", "трудовой договор", "عقد العمل", "iş sözleşmesi"},
    {"Kündigungsschutzklage", "unfair dismissal claim", "позов про звільнення", "دعوى الفصل"},
    {"Arbeitgeber", "employer", "роботодавець", "работодатель", "صاحب العمل", "işveren"},
    {"Überstunden", "overtime", "понаднормові", "сверхурочные", "ساعات إضافية", "fazla mesai"},
};

}  // namespace

const std::vector<std::string>& CompoundLexicon() {
  static const std::vector<std::string> lexicon = [] {
    std::vector<std::string> out;
    for (auto p : kParts) out.push_back(Normalise(p));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.size() > b.size() || (a.size() == b.size() && a < b); });
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }();
  return lexicon;
}

const std::vector<std::vector<std::string>>& SynonymGroups() {
  static const std::vector<std::vector<std::string>> groups = [] {
    std::vector<std::vector<std::string>> out;
    for (const auto& g : kGroups) {
      std::vector<std::string> members;
      for (auto m : g) members.push_back(Normalise(m));
      out.push_back(std::move(members));
    }
    return out;
  }();
  return groups;
}

}  // namespace fairdesk::knowledge
