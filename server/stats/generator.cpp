#include "stats/generator.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"
#include "stats/aggregate.hpp"
#include "stats/facts.hpp"
#include "stats/store.hpp"

namespace fairdesk::stats {
namespace {

// splitmix64: small, fast, good enough for synthetic data, and the same on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ull + 0x1234567ull) {}
  std::uint64_t Next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  int Below(int n) { return static_cast<int>(Next() % static_cast<std::uint64_t>(n)); }
  bool Chance(double p) { return Uniform() < p; }

 private:
  std::uint64_t s_;
};

template <typename T>
struct Weighted {
  std::vector<T> values;
  std::vector<double> cumulative;
  Weighted(std::initializer_list<std::pair<T, double>> items) {
    double sum = 0;
    for (const auto& [v, w] : items) {
      values.push_back(v);
      sum += w;
      cumulative.push_back(sum);
    }
    for (auto& c : cumulative) c /= sum;
  }
  const T& Pick(Rng& r) const {
    const double u = r.Uniform();
    auto it = std::lower_bound(cumulative.begin(), cumulative.end(), u);
    return values[std::min<std::size_t>(it - cumulative.begin(), values.size() - 1)];
  }
};

using W = Weighted<std::string>;

// States by share of the advised population (roughly the population; NW has two centres).
const W kStates{{"NW", 21}, {"BY", 16}, {"BW", 13}, {"NI", 9.6}, {"HE", 7.6}, {"SN", 4.9}, {"RP", 4.9},
                {"BE", 4.5}, {"SH", 3.5}, {"BB", 3.0}, {"ST", 2.6}, {"TH", 2.5}, {"HH", 2.2}, {"MV", 1.9},
                {"SL", 1.2}, {"HB", 0.8}};
// Syria, Afghanistan, Eritrea and Iraq lead (IQ press material); Ukraine since 2022.
const W kNationalities{{"SY", 24}, {"AF", 12}, {"ER", 7}, {"IQ", 7}, {"UA", 9}, {"TR", 6}, {"IN", 5},
                       {"VN", 3},  {"NG", 3},  {"PK", 3}, {"IR", 3}, {"SO", 2}, {"GE", 2}, {"MD", 2},
                       {"XK", 2},  {"RS", 2},  {"AL", 2}, {"BA", 1.5}, {"ET", 1.5}, {"GM", 1}, {"GN", 1},
                       {"PH", 1},  {"CO", 1},  {"MA", 1.5}, {"TN", 1}, {"EG", 1}, {"BD", 1}, {"LB", 1},
                       {"VE", 0.5}, {"CM", 0.5}, {"SD", 1.5}, {"YE", 0.5}};
// Pay, contract and dismissal: 61 % of cases (2023).
const W kTopics{{"wages", 30},          {"contract", 16},     {"dismissal", 15},    {"working_time", 8},
                {"sick_pay", 6},        {"leave", 5},         {"health_insurance", 4}, {"social_security", 4},
                {"occupational_safety", 3}, {"accommodation", 3}, {"discrimination", 2}, {"exploitation", 2},
                {"other", 2}};
const W kSectors{{"F", 15}, {"N", 14}, {"I", 15}, {"H", 14}, {"C", 10}, {"A", 6}, {"Q", 8}, {"G", 6},
                 {"T", 1},  {"M", 3},  {"J", 1},  {"P", 1},  {"S", 2}};
const W kEmployment{{"employed", 58}, {"marginal_employment", 10}, {"self_employed", 3}, {"in_training", 3},
                    {"internship", 1}, {"unemployed", 12}, {"not_employed", 6}, {"unknown", 7}};
const W kGenders{{"male", 62}, {"female", 35}, {"diverse", 1}, {"unspecified", 2}};
const W kResidence{{"asylum_seeker", 14}, {"tolerated", 7}, {"humanitarian", 22}, {"employment", 20},
                   {"study_training", 5}, {"family", 10}, {"settlement", 8}, {"none", 2}, {"unknown", 12}};
const W kChannels{{"in_person", 45}, {"phone", 30}, {"video", 5}, {"messenger", 12}, {"email", 5}, {"outreach", 3}};
const W kReferralTargets{{"trade_union", 30}, {"labour_court", 15}, {"migration_counselling", 20},
                         {"employment_agency", 10}, {"fair_mobility", 5}, {"anti_discrimination", 5},
                         {"health_insurance", 5}, {"customs_fks", 5}, {"anti_trafficking", 5}};

std::string LanguageOf(const std::string& nat, Rng& r) {
  if (r.Chance(0.05)) return "de";
  static const std::unordered_map<std::string, std::vector<std::string>> kLang = {
      {"SY", {"ar"}}, {"IQ", {"ar", "ar", "ku"}}, {"SD", {"ar"}}, {"YE", {"ar"}}, {"MA", {"ar", "fr"}}, {"TN", {"ar", "fr"}}, {"EG", {"ar"}},
      {"LB", {"ar", "fr"}}, {"AF", {"fa", "ps"}}, {"IR", {"fa"}}, {"ER", {"ti"}}, {"ET", {"am", "ti"}},
      {"UA", {"uk", "ru"}}, {"MD", {"ro", "ru"}}, {"GE", {"ka", "ru"}}, {"TR", {"tr", "ku"}},
      {"IN", {"en", "hi"}}, {"PK", {"ur", "en"}}, {"BD", {"bn", "en"}}, {"VN", {"vi"}}, {"NG", {"en"}},
      {"GM", {"en"}}, {"GN", {"fr"}}, {"CM", {"fr", "en"}}, {"SO", {"so"}}, {"PH", {"en"}}, {"CO", {"es"}},
      {"VE", {"es"}}, {"XK", {"sq"}}, {"AL", {"sq"}}, {"RS", {"sr"}}, {"BA", {"bs"}}};
  auto it = kLang.find(nat);
  if (it == kLang.end()) return "en";
  return it->second[r.Below(static_cast<int>(it->second.size()))];
}

// Seasonality: agriculture, hospitality and construction make spring and summer busier.
constexpr double kMonthWeight[12] = {0.80, 0.85, 1.00, 1.05, 1.10, 1.15, 1.15, 1.05, 1.10, 1.05, 0.95, 0.75};

std::string Base36(std::uint64_t v) {
  std::string s;
  do {
    s += "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
    v /= 36;
  } while (v);
  std::reverse(s.begin(), s.end());
  return s;
}

std::string JsonArray(const std::vector<std::string>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ",\"" : "\"") + v[i] + "\"";
  return s + "]";
}

constexpr db::Query kCentres{"stats.generator_centres", "SELECT id, state, kind FROM centres ORDER BY id"};
constexpr db::Query kTopicLabels{"stats.generator_topics", "SELECT code, label_de, label_en FROM case_topics"};
constexpr db::Query kCounters{"stats.generator_counters", "SELECT prefix, last_value FROM case_counters"};
constexpr db::Query kSetCounter{
    "stats.generator_set_counter",
    "INSERT INTO case_counters (prefix, last_value) VALUES ($1, $2) ON CONFLICT (prefix) DO UPDATE SET last_value = "
    "CASE WHEN excluded.last_value > case_counters.last_value THEN excluded.last_value ELSE "
    "case_counters.last_value END"};

struct MonthSlot {
  Date first;
  int days;
  double weight;
};

}  // namespace

Result<GenerateReport> Generate(db::Database& database, const GenerateOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  GenerateReport report;
  Rng rng(o.seed);
  const std::string tag = "g" + Base36(o.seed) + "x";

  // Reference data: centres by state, topic labels (for the case search text), case counters.
  std::map<std::string, std::vector<std::string>> centres_of_state;
  std::string competence_centre;
  std::unordered_map<std::string, std::string> topic_text;
  std::map<std::string, std::int64_t> counters;
  FD_TRY_VOID(database.Read([&](db::Session& s) -> Status {
    for (const auto& row : FD_TRY(s.Query(kCentres, {}))) {
      if (row.Text(2) == "competence_centre") competence_centre = row.Text(0);
      else centres_of_state[row.Text(1)].push_back(row.Text(0));
    }
    for (const auto& row : FD_TRY(s.Query(kTopicLabels, {}))) {
      topic_text[row.Text(0)] = row.Text(0) + " " + row.Text(1) + " " + row.Text(2);
    }
    for (const auto& row : FD_TRY(s.Query(kCounters, {}))) counters[row.Text(0)] = row.Int(1);
    return {};
  }));
  if (centres_of_state.empty()) return Fail(Error::Internal("generator: the directory has no centres"));

  // Months of the period with their weights: seasonality and a slow growth of demand.
  const Date today = *Date::Parse(clock::TodayIso());
  std::vector<MonthSlot> months;
  Date m = today.FirstOfMonth().AddMonths(-12 * o.years + 1);
  for (int i = 0; m <= today; ++i, m = m.AddMonths(1)) {
    const int days = m.year() == today.year() && m.month() == today.month() ? today.day() : DaysInMonth(m.year(), m.month());
    const double growth = 1.0 + 0.4 * i / (12.0 * o.years);
    months.push_back({m, days, kMonthWeight[m.month() - 1] * growth * days / 30.0});
  }
  std::vector<double> month_cum;
  double total_weight = 0;
  for (const auto& s : months) month_cum.push_back(total_weight += s.weight);

  const std::int64_t now = clock::NowUnix();
  const std::int64_t today_days = today.DaysSinceEpoch();

  BulkInsert clients("stats.generator_clients", "clients",
                     {"id", "centre_id", "code", "nationality", "birth_year", "gender", "languages",
                      "employment_status", "sector", "consent_storage", "consent_contact", "consent_anonymised_use",
                      "consent_date", "created_at", "updated_at", "residence_status", "abroad"},
                     400);
  BulkInsert cases("stats.generator_cases", "cases",
                   {"id", "centre_id", "client_id", "number", "topics", "status", "priority", "risk_flags",
                    "opened_on", "closed_on", "outcome_wages_recovered_cents", "outcome_claim_filed",
                    "outcome_settled", "outcome_referred", "outcome_no_further_action", "closing_reason",
                    "search_text", "created_at", "updated_at"},
                   400);
  BulkInsert consultations("stats.generator_consultations", "consultations",
                           {"id", "case_id", "date", "duration_minutes", "channel", "language", "interpreter",
                            "topics", "kind", "created_at"},
                           500);
  BulkInsert referrals("stats.generator_referrals", "referrals",
                       {"id", "case_id", "target", "status", "client_consent", "consent_date", "created_at",
                        "updated_at"},
                       500);
  BulkInsert persons("stats.generator_persons", "stats_persons", {"id", "client_id", "rkey"}, 500);
  BulkInsert case_facts("stats.generator_case_facts", "stats_cases", CaseFactColumns(), 400);
  BulkInsert consultation_facts("stats.generator_consultation_facts", "stats_consultations",
                                ConsultationFactColumns(), 300);

  // A returning client: some people come back with a new case at the same centre.
  struct KnownClient {
    std::string id, person_id;
    std::int64_t person_rkey;
    CaseInput attrs;
    std::string language;
  };
  std::unordered_map<std::string, std::vector<KnownClient>> recent;  // by centre

  std::int64_t done = 0;
  while (done < o.cases) {
    const std::int64_t batch = std::min(o.cases_per_transaction, o.cases - done);
    FD_TRY_VOID(database.Write([&](db::Session& s) -> Status {
      // Parents before children (foreign keys), every 100 cases and at the end.
      auto flush = [&]() -> Status {
        FD_TRY_VOID(clients.Flush(s));
        FD_TRY_VOID(persons.Flush(s));
        FD_TRY_VOID(cases.Flush(s));
        FD_TRY_VOID(referrals.Flush(s));
        FD_TRY_VOID(consultations.Flush(s));
        FD_TRY_VOID(case_facts.Flush(s));
        return consultation_facts.Flush(s);
      };
      for (std::int64_t k = 0; k < batch; ++k) {
        if (k % 100 == 0) FD_TRY_VOID(flush());
        const std::int64_t n = done + k;
        // Where and when.
        const std::string& state = kStates.Pick(rng);
        std::string centre_id;
        if (!competence_centre.empty() && rng.Chance(0.005)) {
          centre_id = competence_centre;
        } else {
          auto it = centres_of_state.find(state);
          if (it == centres_of_state.end()) it = centres_of_state.begin();
          centre_id = it->second[rng.Below(static_cast<int>(it->second.size()))];
        }
        const std::string& centre_state = centre_id == competence_centre ? std::string("BE") : state;
        const double u = rng.Uniform() * total_weight;
        const auto slot = std::min<std::size_t>(std::lower_bound(month_cum.begin(), month_cum.end(), u) - month_cum.begin(),
                                                months.size() - 1);
        const Date opened = months[slot].first.AddDays(rng.Below(months[slot].days));
        const std::string opened_on = opened.ToString();
        const std::int64_t opened_unix = opened.DaysSinceEpoch() * 86400 + 8 * 3600 + rng.Below(10 * 3600);

        // Who: a new client, or one who came before.
        auto& known = recent[centre_id];
        KnownClient client;
        bool returning = !known.empty() && rng.Chance(0.12);
        if (returning) {
          client = known[rng.Below(static_cast<int>(known.size()))];
        } else {
          client.id = "cli_" + tag + Base36(static_cast<std::uint64_t>(n));
          client.person_id = "sp_" + tag + Base36(static_cast<std::uint64_t>(n));
          client.person_rkey = static_cast<std::int64_t>(rng.Next() & 0x7fffffff);
          auto& a = client.attrs;
          a.nationality = kNationalities.Pick(rng);
          const double age = 18 + std::min(47.0, std::abs((rng.Uniform() + rng.Uniform() + rng.Uniform()) / 3 - 0.3) * 70);
          a.birth_year = rng.Chance(0.04) ? std::nullopt
                                          : std::optional<std::int64_t>(opened.year() - static_cast<int>(age));
          if (rng.Chance(0.01)) a.birth_year = opened.year() - 16 - rng.Below(2);
          a.gender = kGenders.Pick(rng);
          a.employment_status = kEmployment.Pick(rng);
          a.sector = rng.Chance(0.06) ? std::nullopt : std::optional<std::string>(kSectors.Pick(rng));
          a.abroad = rng.Chance(0.1) ? std::nullopt : std::optional<bool>(rng.Chance(0.03));
          if (a.abroad && *a.abroad) a.residence_status = "visa_abroad";
          else if (*a.nationality == "UA" && rng.Chance(0.85)) a.residence_status = "temporary_protection";
          else a.residence_status = kResidence.Pick(rng);
          if (*a.residence_status == "unknown") a.residence_status.reset();
          client.language = LanguageOf(*a.nationality, rng);
          const std::string code = state + "-" + opened_on.substr(0, 4) + "-Z" + tag + Base36(static_cast<std::uint64_t>(n));
          FD_TRY_VOID(clients.Add(
              s, {client.id, centre_id, code, *a.nationality, db::Opt(a.birth_year), a.gender,
                  JsonArray({client.language}), *a.employment_status, db::Opt(a.sector), std::int64_t{1},
                  std::int64_t{rng.Chance(0.7) ? 1 : 0}, std::int64_t{rng.Chance(0.5) ? 1 : 0}, opened_on,
                  opened_unix, opened_unix, db::Opt(a.residence_status),
                  a.abroad ? db::Value{std::int64_t{*a.abroad ? 1 : 0}} : db::Null()}));
          FD_TRY_VOID(persons.Add(s, {client.person_id, client.id, client.person_rkey}));
          ++report.clients;
          if (known.size() < 64) known.push_back(client);
          else known[rng.Below(64)] = client;
        }

        // The case.
        CaseInput in = client.attrs;
        in.centre_id = centre_id;
        in.state = centre_state;
        in.opened_on = opened_on;
        std::vector<std::string> topics{kTopics.Pick(rng)};
        if (rng.Chance(0.4)) {
          const std::string& second = kTopics.Pick(rng);
          if (second != topics[0]) topics.push_back(second);
        }
        in.first_topic = topics[0];
        const std::int64_t age_days = today_days - opened.DaysSinceEpoch();
        const bool closed = age_days > 20 && rng.Chance(std::min(0.95, age_days / 150.0));
        std::optional<std::string> closing_reason;
        if (closed) {
          const std::int64_t length = 3 + rng.Below(static_cast<int>(std::min<std::int64_t>(age_days - 2, 200)));
          in.closed_on = opened.AddDays(length).ToString();
          in.status = "closed";
          const double r = rng.Uniform();
          if (topics[0] == "wages" && r < 0.35) {
            in.settled = true;
            in.wages_recovered_cents = 100 * static_cast<std::int64_t>(std::exp(5.5 + 1.1 * (rng.Uniform() + rng.Uniform() - 1) * 1.7));
            closing_reason = "resolved";
          } else if (r < 0.45) {
            in.claim_filed = rng.Chance(0.3);
            in.referred = !in.claim_filed;
            closing_reason = in.referred ? "referred" : "resolved";
          } else if (r < 0.75) {
            in.no_further_action = true;
            closing_reason = "resolved";
          } else {
            closing_reason = rng.Chance(0.5) ? "no_contact" : "client_withdrew";
          }
        } else {
          const double r = rng.Uniform();
          in.status = r < 0.7 ? "open" : r < 0.9 ? "waiting" : "referred";
        }
        const std::string case_id = "case_" + tag + Base36(static_cast<std::uint64_t>(n));
        const std::string prefix = centre_state + "-" + opened_on.substr(0, 4);
        auto& counter = counters[prefix];
        std::string digits = std::to_string(++counter);
        if (digits.size() < 5) digits.insert(0, 5 - digits.size(), '0');
        const std::string number = prefix + "-" + digits;
        std::string search = number;
        for (const auto& t : topics) search += " " + topic_text[t];
        // Exactly as the app writes it (cases::Service::SearchText): lower case, so that the
        // search's lower-cased pattern finds generated cases on PostgreSQL too (LIKE is case-sensitive there).
        for (auto& ch : search) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        const bool has_outcome = closed;
        FD_TRY_VOID(cases.Add(
            s, {case_id, centre_id, client.id, number, JsonArray(topics), in.status, std::string(rng.Chance(0.1) ? "high" : "normal"),
                std::string("[]"), opened_on, db::Opt(in.closed_on),
                has_outcome ? db::Value{in.wages_recovered_cents} : db::Null(),
                has_outcome ? db::Value{std::int64_t{in.claim_filed}} : db::Null(),
                has_outcome ? db::Value{std::int64_t{in.settled}} : db::Null(),
                has_outcome ? db::Value{std::int64_t{in.referred}} : db::Null(),
                has_outcome ? db::Value{std::int64_t{in.no_further_action}} : db::Null(), db::Opt(closing_reason),
                search, opened_unix, in.closed_on ? opened_unix + age_days * 43200 / 2 : opened_unix}));

        // Referral for some cases.
        if (rng.Chance(in.referred || in.status == "referred" ? 1.0 : 0.12)) {
          in.referral_target = kReferralTargets.Pick(rng);
          FD_TRY_VOID(referrals.Add(s, {"ref_" + tag + Base36(static_cast<std::uint64_t>(n)), case_id, *in.referral_target,
                                        std::string("made"), std::int64_t{1}, opened_on, opened_unix, opened_unix}));
          ++report.referrals;
        }
        ++report.cases;

        // Statistics record of the case.
        CaseFactRow fact{.id = "sc_" + tag + Base36(static_cast<std::uint64_t>(n)),
                         .case_id = case_id,
                         .person_id = client.person_id,
                         .person_rkey = client.person_rkey,
                         .fact = DeriveCaseFact(in),
                         .rkey = static_cast<std::int64_t>(rng.Next() & 0x7fffffff)};
        FD_TRY_VOID(case_facts.Add(s, CaseFactValues(fact)));

        // Consultations: one to many (mean about 5), between opening and closing (or today).
        const std::int64_t last_day = in.closed_on ? Date::Parse(*in.closed_on)->DaysSinceEpoch() : today_days;
        int count = 1;
        while (count < 40 && rng.Chance(0.8)) ++count;
        std::vector<std::int64_t> days(count);
        days[0] = opened.DaysSinceEpoch();
        for (int i = 1; i < count; ++i) {
          days[i] = opened.DaysSinceEpoch() + rng.Below(static_cast<int>(std::max<std::int64_t>(1, last_day - opened.DaysSinceEpoch() + 1)));
        }
        std::sort(days.begin(), days.end());
        for (int i = 0; i < count; ++i) {
          const std::string date = Date::FromDaysSinceEpoch(days[i]).ToString();
          const std::string con_id = "con_" + tag + Base36(static_cast<std::uint64_t>(n)) + "_" + std::to_string(i);
          const std::string& channel = kChannels.Pick(rng);
          const std::string language = rng.Chance(0.95) ? client.language : std::string("de");
          const std::string kind = rng.Chance(0.22) ? "preventive" : "acute";
          const std::int64_t at = days[i] * 86400 + 8 * 3600 + rng.Below(10 * 3600);
          FD_TRY_VOID(consultations.Add(s, {con_id, case_id, date, std::int64_t{15 + 15 * rng.Below(6)}, channel, language,
                                            std::int64_t{rng.Chance(0.2) ? 1 : 0}, JsonArray({topics[0]}), kind, at}));
          ConsultationFactRow cf{.id = "sk_" + tag + Base36(static_cast<std::uint64_t>(n)) + "_" + std::to_string(i),
                                 .consultation_id = con_id,
                                 .stats_case_id = fact.id,
                                 .person_id = client.person_id,
                                 .person_rkey = client.person_rkey,
                                 .month = date.substr(0, 7),
                                 .channel = channel,
                                 .language = language,
                                 .kind = kind,
                                 .contact = i == 0 ? "first" : "follow_up",
                                 .rkey = static_cast<std::int64_t>(rng.Next() & 0x7fffffff)};
          FD_TRY_VOID(consultation_facts.Add(s, ConsultationFactValues(cf, fact.fact)));
          ++report.consultations;
        }
      }
      return flush();
    }));
    done += batch;
  }
  // Case numbers continue after the generated ones.
  FD_TRY_VOID(database.Write([&](db::Session& s) -> Status {
    for (const auto& [prefix, value] : counters) FD_TRY_VOID(s.Exec(kSetCounter, {prefix, value}));
    return {};
  }));
  // The monthly pre-aggregates, from all records (the bulk load bypasses SyncCase).
  FD_TRY_VOID(database.Write([&](db::Session& s) -> Status { return RebuildAggregates(s); }));
  (void)now;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace fairdesk::stats
