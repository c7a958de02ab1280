// Knowledge search at scale: 20,000 items × 3 languages (German, Arabic, Ukrainian) indexed on
// SQLite and, with FAIRDESK_BENCH_PG_URL, on PostgreSQL; then a mix of queries through
// knowledge::Service::Search (word index + ranking + snippets), reporting p50/p95/max per backend.
// Not a test: run by hand (docs/PERFORMANCE.md quotes the result).
//
//   build/bench/bench/knowledge_bench [items] [queries]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "knowledge/knowledge.hpp"
#include "knowledge/markdown.hpp"
#include "knowledge/search.hpp"
#include "platform/db/database.hpp"

using namespace fairdesk;
using namespace fairdesk::knowledge;

namespace {

const std::vector<std::string> kDe = {
    "Lohn", "Mindestlohn", "Kündigung", "Kündigungsschutzklage", "Arbeitszeit", "Urlaub", "Krankheit",
    "Arbeitgeber", "Vertrag", "Frist", "Woche", "Stunden", "Pause", "Ruhezeit", "Beratung", "Abrechnung",
    "Überstunden", "Zuschlag", "Nachtarbeit", "Unterkunft", "Miete", "Ausbeutung", "Krankenversicherung",
    "Gericht", "Klage", "schriftlich", "zahlen", "prüfen", "erhalten", "Anspruch", "Verjährung", "Saison",
    "Erntehelfer", "Reinigung", "Pflege", "Baustelle", "Paketdienst", "Gastronomie", "Schicht", "Minijob"};
const std::vector<std::string> kAr = {
    "الأجر", "الحد", "الأدنى", "للأجور", "الفصل", "العمل", "ساعات", "الإجازة", "المرض", "صاحب", "عقد",
    "مهلة", "أسبوع", "استراحة", "الراحة", "استشارة", "كشف", "الراتب", "إضافية", "السكن", "الإيجار",
    "استغلال", "التأمين", "الصحي", "محكمة", "دعوى", "كتابياً", "يدفع", "حق", "موسم"};
const std::vector<std::string> kUk = {
    "зарплата", "мінімальна", "звільнення", "робочий", "час", "відпустка", "хвороба", "роботодавець",
    "договір", "строк", "тиждень", "години", "перерва", "відпочинок", "консультація", "розрахунковий",
    "лист", "понаднормові", "житло", "оренда", "експлуатація", "страхування", "суд", "позов", "письмово",
    "платити", "право", "сезон", "прибирання", "догляд"};

std::string Sentence(std::mt19937& rng, const std::vector<std::string>& words, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i) out += ' ';
    out += words[rng() % words.size()];
  }
  return out + ".";
}

double Ms(std::chrono::steady_clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void Run(const std::string& name, const std::string& url, int items, int queries) {
  if (url.starts_with("sqlite:")) std::filesystem::remove(url.substr(7));
  auto database = db::Open(url, 4);
  if (!database) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), database.error().internal.c_str());
    return;
  }
  auto& d = **database;
  std::vector<db::Migration> all;
  for (auto span : {audit::Migrations(), Migrations()}) all.insert(all.end(), span.begin(), span.end());
  if (!db::Migrate(d, all)) std::abort();
  auto store = MakeSqlStore();
  std::mt19937 rng(42);
  auto t0 = std::chrono::steady_clock::now();
  static const char* kTypes[] = {"dossier", "case_description", "checklist", "letter_template", "faq", "training_material"};
  static const char* kTopics[] = {"wages", "working_time", "leave", "dismissal", "sick_pay", "health_insurance", "exploitation"};
  const int batch = 500;
  for (int start = 0; start < items; start += batch) {
    auto st = d.Write([&](db::Session& s) -> Status {
      for (int i = start; i < std::min(items, start + batch); ++i) {
        Item item;
        item.id = "kni_bench" + std::to_string(i);
        item.type = kTypes[i % 6];
        item.topic = kTopics[i % 7];
        item.audience = i % 3 == 0 ? "internal" : "public";
        item.source_language = "de";
        item.created_by = "usr_bench";
        FD_TRY_VOID(store->InsertItem(s, item));
        for (const auto* lang : {"de", "ar", "uk"}) {
          const auto& words = std::string(lang) == "de" ? kDe : std::string(lang) == "ar" ? kAr : kUk;
          Translation t;
          t.id = "knt_bench" + std::to_string(i) + lang;
          t.item_id = item.id;
          t.language = lang;
          t.status = "published";
          t.current_revision = 1;
          t.published_revision = 1;
          FD_TRY_VOID(store->InsertTranslation(s, t));
          IndexDoc doc;
          doc.translation_id = t.id;
          doc.item_id = item.id;
          doc.language = lang;
          doc.type = item.type;
          doc.topic = item.topic;
          doc.audience = item.audience;
          doc.title = Sentence(rng, words, 4);
          std::string body;
          for (int k = 0; k < 8; ++k) body += Sentence(rng, words, 10) + " ";
          doc.body_plain = body;
          doc.title_terms = IndexTerms(lang, doc.title);
          doc.body_terms = IndexTerms(lang, body);
          FD_TRY_VOID(store->Index(s, t.id, doc));
        }
      }
      return {};
    });
    if (!st) {
      std::fprintf(stderr, "%s: load failed: %s\n", name.c_str(), st.error().internal.c_str());
      return;
    }
  }
  std::printf("%s: indexed %d items x 3 languages in %.1f s\n", name.c_str(), items,
              Ms(std::chrono::steady_clock::now() - t0) / 1000);

  Service service(d, MakeSqlStore());
  Principal advisor;
  advisor.user_id = "usr_bench";
  advisor.role = Role::kAdvisor;
  const std::vector<std::pair<std::string, std::string>> mix = {
      {"Kündigungsschutzklage", "de"}, {"Mindestlohn Nachtarbeit", "de"}, {"schutzklage", "de"},
      {"Urlaub Krankheit", "de"},      {"Erntehelfer Unterkunft Miete", "de"}, {"الْأَجْرُ", "ar"},
      {"الحد الأدنى للأجور", "ar"},    {"دعوى محكمة", "ar"},           {"звільнення позов", "uk"},
      {"відпустка", "uk"},             {"dismissal", "en"},            {"Lohn", "de"}};
  std::vector<double> times;
  std::size_t hits = 0;
  for (int i = 0; i < queries; ++i) {
    const auto& [q, lang] = mix[static_cast<std::size_t>(i) % mix.size()];
    SearchParams p;
    p.q = q;
    p.lang = lang;
    p.limit = 20;
    if (i % 4 == 1) p.type = "dossier";
    auto a = std::chrono::steady_clock::now();
    auto page = i % 5 == 0 ? service.Search(nullptr, p) : service.Search(&advisor, p);
    times.push_back(Ms(std::chrono::steady_clock::now() - a));
    if (!page) std::abort();
    hits += page->items.size();
  }
  std::sort(times.begin(), times.end());
  auto pct = [&](double q) { return times[static_cast<std::size_t>(q * static_cast<double>(times.size() - 1))]; };
  std::printf("%s: %d queries, %zu hits shown; p50 %.1f ms, p95 %.1f ms, max %.1f ms\n", name.c_str(), queries, hits,
              pct(0.5), pct(0.95), times.back());
}

}  // namespace

int main(int argc, char** argv) {
  int items = argc > 1 ? std::atoi(argv[1]) : 20000;
  int queries = argc > 2 ? std::atoi(argv[2]) : 600;
  Run("sqlite", "sqlite:" + (std::filesystem::temp_directory_path() / "fairdesk-knowledge-bench.db").string(), items,
      queries);
  if (const char* pg = std::getenv("FAIRDESK_BENCH_PG_URL"); pg && *pg) Run("postgresql", pg, items, queries);
  return 0;
}
