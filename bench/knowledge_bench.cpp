// Knowledge search at scale: 20,000 items × 3 languages (German, Arabic, Ukrainian) indexed on
// SQLite and, with FAIRDESK_BENCH_PG_URL, on PostgreSQL; then a mix of queries through
// knowledge::Service::Search (word index + ranking + snippets), reporting p50/p95/max per backend.
// Not a test: run by hand (docs/PERFORMANCE.md quotes the result).
//
//   build/bench/bench/knowledge_bench [items] [queries]

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

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

// CPU time (ms) used so far by the PostgreSQL backends serving this database: on a loaded
// machine, wall-clock times mostly measure waiting for a core, the CPU time what a search costs.
double BackendCpuMs(const std::vector<long>& pids) {
  double ticks = 0;
  for (long pid : pids) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(f, line)) continue;
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string field;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
    }
  }
  return 1000.0 * ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double Ms(std::chrono::steady_clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void Run(const std::string& name, const std::string& url, int items, int queries) {
  // FAIRDESK_BENCH_REUSE=1 keeps an index of the same size from an earlier run (profiling the queries).
  const char* reuse_env = std::getenv("FAIRDESK_BENCH_REUSE");
  bool reuse = reuse_env && std::string(reuse_env) == "1";
  if (!reuse && url.starts_with("sqlite:")) std::filesystem::remove(url.substr(7));
  auto database = db::Open(url, 4);
  if (!database) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), database.error().internal.c_str());
    return;
  }
  auto& d = **database;
  std::vector<db::Migration> all;
  for (auto span : {audit::Migrations(), Migrations()}) all.insert(all.end(), span.begin(), span.end());
  if (!db::Migrate(d, all)) std::abort();
  if (!reuse) {
    // A database left by an earlier run starts empty.
    auto st = d.Write([&](db::Session& s) -> Status {
      for (const db::Query q : {db::Query{"bench.clear_docs", "DELETE FROM knowledge_docs"},
                                db::Query{"bench.clear_items", "DELETE FROM knowledge_items"}}) {
        FD_TRY(s.Exec(q, {}));
      }
      if (s.backend() == db::Backend::kSqlite) FD_TRY(s.Exec(db::Query{"bench.clear_fts", "DELETE FROM knowledge_fts"}, {}));
      return {};
    });
    if (!st) std::abort();
  }
  auto store = MakeSqlStore();
  std::int64_t indexed = 0;
  if (reuse) {
    auto st = d.Read([&](db::Session& s) -> Status {
      indexed = FD_TRY(store->CountIndexed(s));
      return {};
    });
    if (!st) std::abort();
  }
  std::mt19937 rng(42);
  auto t0 = std::chrono::steady_clock::now();
  static const char* kTypes[] = {"dossier", "case_description", "checklist", "letter_template", "faq", "training_material"};
  static const char* kTopics[] = {"wages", "working_time", "leave", "dismissal", "sick_pay", "health_insurance", "exploitation"};
  const int batch = 500;
  for (int start = indexed == std::int64_t{items} * 3 ? items : 0; start < items; start += batch) {
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
  // The backends of this database (PostgreSQL on this machine): their CPU time over the run.
  std::vector<long> backends;
  if (!url.starts_with("sqlite:")) {
    for (int warm = 0; warm < 8; ++warm) {
      SearchParams p;
      p.q = "Lohn";
      if (!service.Search(&advisor, p)) std::abort();
    }
    auto st = d.Read([&](db::Session& s) -> Status {
      for (const auto& r : FD_TRY(s.Query(db::Query{"bench.backends",
                                                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"},
                                          {}))) {
        backends.push_back(static_cast<long>(r.Int(0)));
      }
      return {};
    });
    if (!st) std::abort();
  }
  double backend_cpu0 = BackendCpuMs(backends);
  std::vector<double> times, cpu;
  std::vector<std::vector<double>> by_query(mix.size());
  std::size_t hits = 0;
  for (int i = 0; i < queries; ++i) {
    const auto& [q, lang] = mix[static_cast<std::size_t>(i) % mix.size()];
    SearchParams p;
    p.q = q;
    p.lang = lang;
    p.limit = 20;
    if (i % 4 == 1) p.type = "dossier";
    auto a = std::chrono::steady_clock::now();
    auto c0 = std::clock();
    auto page = i % 5 == 0 ? service.Search(nullptr, p) : service.Search(&advisor, p);
    times.push_back(Ms(std::chrono::steady_clock::now() - a));
    cpu.push_back(1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
    by_query[static_cast<std::size_t>(i) % mix.size()].push_back(times.back());
    if (!page) std::abort();
    hits += page->items.size();
  }
  if (std::getenv("FAIRDESK_BENCH_DETAIL")) {
    for (std::size_t k = 0; k < mix.size(); ++k) {
      auto& t = by_query[k];
      if (t.empty()) continue;
      std::sort(t.begin(), t.end());
      std::printf("  %-32s (%s) median %.1f ms, max %.1f ms\n", mix[k].first.c_str(), mix[k].second.c_str(),
                  t[t.size() / 2], t.back());
      if (std::string(std::getenv("FAIRDESK_BENCH_DETAIL")) == "2") {
        std::printf("    %s\n    %s\n", Fts5Expression(ParseQuery(mix[k].first, mix[k].second)).c_str(),
                    TsQueryLiteral(ParseQuery(mix[k].first, mix[k].second)).c_str());
      }
    }
  }
  double backend_cpu = BackendCpuMs(backends) - backend_cpu0;
  std::sort(times.begin(), times.end());
  std::sort(cpu.begin(), cpu.end());
  auto pct = [](const std::vector<double>& t, double q) {
    return t[static_cast<std::size_t>(q * static_cast<double>(t.size() - 1))];
  };
  std::printf("%s: %d queries, %zu hits shown; wall p50 %.1f ms, p95 %.1f ms, max %.1f ms; "
              "CPU of this process p50 %.1f ms, p95 %.1f ms\n",
              name.c_str(), queries, hits, pct(times, 0.5), pct(times, 0.95), times.back(), pct(cpu, 0.5),
              pct(cpu, 0.95));
  if (!backends.empty()) {
    std::printf("%s: CPU of the database server's backends: %.1f ms per query on average\n", name.c_str(),
                backend_cpu / queries);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  int items = argc > 1 ? std::atoi(argv[1]) : 20000;
  int queries = argc > 2 ? std::atoi(argv[2]) : 600;
  Run("sqlite", "sqlite:" + (std::filesystem::temp_directory_path() / "fairdesk-knowledge-bench.db").string(), items,
      queries);
  if (const char* pg = std::getenv("FAIRDESK_BENCH_PG_URL"); pg && *pg) Run("postgresql", pg, items, queries);
  return 0;
}
