#include "cases/routing.hpp"

#include <algorithm>

#include "cases/reference.hpp"

namespace fairdesk::cases {
namespace {

bool HasAny(const std::vector<std::string>& haystack, const std::vector<std::string>& needles) {
  return std::any_of(needles.begin(), needles.end(), [&](const auto& n) {
    return std::find(haystack.begin(), haystack.end(), n) != haystack.end();
  });
}

bool IsInScope(const RoutingContext& context, const std::string& code) {
  for (const auto& t : context.topics) {
    if (t.code == code) return t.in_scope;
  }
  return false;
}

std::vector<std::string> MatchedTopics(const RoutingRule& rule, const IntakeInput& input,
                                       const RoutingContext& context) {
  std::vector<std::string> out;
  for (const auto& t : input.topics) {
    bool listed = std::find(rule.topics.begin(), rule.topics.end(), t) != rule.topics.end();
    bool scoped = rule.in_scope_topics && IsInScope(context, t);
    if (listed || scoped) out.push_back(t);
  }
  return out;
}

bool Matches(const RoutingRule& rule, const IntakeInput& input, const RoutingContext& context) {
  if (!rule.enabled) return false;
  bool eu = IsEuEeaSwiss(input.nationality);
  if (rule.nationality == "eu_eea_ch" && !eu) return false;
  if (rule.nationality == "third_country" && eu) return false;
  for (const auto& f : rule.flags) {
    if (std::find(input.flags.begin(), input.flags.end(), f) == input.flags.end()) return false;
  }
  if (!rule.topics.empty() && !HasAny(input.topics, rule.topics)) return false;
  if (rule.in_scope_topics &&
      std::none_of(input.topics.begin(), input.topics.end(), [&](const auto& t) { return IsInScope(context, t); })) {
    return false;
  }
  return true;
}

const RoutingContext::Org* FindOrg(const RoutingContext& context, const std::string& id) {
  if (context.centre && context.centre->id == id) return &*context.centre;
  for (const auto& p : context.partners) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const RoutingContext::Org* ResolvePartner(const RoutingContext& context, const std::string& kind) {
  std::optional<std::string> state = context.centre ? std::optional(context.centre->state) : std::nullopt;
  if (state) {
    for (const auto& p : context.partners) {
      if (p.kind == kind && p.state == state) return &p;
    }
  }
  for (const auto& p : context.partners) {
    if (p.kind == kind && !p.state) return &p;
  }
  return nullptr;
}

}  // namespace

std::vector<Suggestion> Route(std::span<const RoutingRule> rules, const IntakeInput& input,
                              const RoutingContext& context) {
  std::vector<Suggestion> out;
  for (const auto& rule : rules) {
    if (!Matches(rule, input, context)) continue;
    Suggestion s;
    s.target = rule.target;
    s.rule_id = rule.id;
    s.reason_de = rule.reason_de;
    s.reason_en = rule.reason_en;
    s.topics = MatchedTopics(rule, input, context);
    if (s.topics.empty()) s.topics = input.topics;
    const RoutingContext::Org* org = nullptr;
    if (rule.organisation_id) {
      org = FindOrg(context, *rule.organisation_id);
      s.organisation_id = rule.organisation_id;
    } else if (rule.target == "centre") {
      org = context.centre ? &*context.centre : nullptr;
    } else {
      org = ResolvePartner(context, rule.target);
    }
    if (org) {
      s.organisation_id = org->id;
      s.organisation_name = org->name;
      s.languages = org->languages;
    }
    auto same = std::find_if(out.begin(), out.end(), [&](const Suggestion& o) {
      return o.target == s.target && o.organisation_id == s.organisation_id;
    });
    if (same == out.end()) {
      out.push_back(std::move(s));
    } else {
      for (auto& t : s.topics) {
        if (std::find(same->topics.begin(), same->topics.end(), t) == same->topics.end()) same->topics.push_back(t);
      }
    }
    if (rule.stop) break;
  }
  return out;
}

std::vector<RoutingRule> DefaultRoutingRules() {
  std::vector<RoutingRule> r;
  auto add = [&r](std::string id, std::string nationality, std::vector<std::string> topics, bool in_scope,
                  std::vector<std::string> flags, std::string target, std::string de, std::string en) {
    RoutingRule rule;
    rule.id = std::move(id);
    rule.nationality = std::move(nationality);
    rule.topics = std::move(topics);
    rule.in_scope_topics = in_scope;
    rule.flags = std::move(flags);
    rule.target = std::move(target);
    rule.reason_de = std::move(de);
    rule.reason_en = std::move(en);
    r.push_back(std::move(rule));
  };
  add("eu-fair-mobility", "eu_eea_ch", {}, true, {}, "fair_mobility",
      "Staatsangehörige der EU, des EWR und der Schweiz berät das DGB-Netzwerk Faire Mobilität zu Arbeits- und "
      "Sozialrecht.",
      "Nationals of the EU, the EEA and Switzerland are advised on labour and social law by the DGB's Fair "
      "Mobility network.");
  add("third-country-centre", "third_country", {}, true, {}, "centre",
      "Arbeits- und sozialrechtliche Fragen von Drittstaatsangehörigen berät die Beratungsstelle Faire "
      "Integration, die für die Postleitzahl zuständig ist.",
      "Labour and social law questions of third-country nationals are advised by the Fair Integration centre "
      "serving the postcode.");
  add("job-search", "any", {"job_search"}, false, {}, "employment_agency",
      "Für die Arbeitssuche sind Agentur für Arbeit und Jobcenter zuständig.",
      "The employment agency and the job centre are responsible for job search.");
  add("residence-status", "any", {"residence_status"}, false, {}, "migration_counselling",
      "Fragen zum Aufenthaltsstatus klärt die Migrationsberatung (MBE/JMD).",
      "Questions of residence status are handled by migration counselling (MBE/JMD).");
  add("recognition", "any", {"recognition"}, false, {}, "recognition_counselling",
      "Die Anerkennung ausländischer Berufsabschlüsse begleitet die IQ-Anerkennungsberatung.",
      "Recognition of foreign qualifications is handled by IQ recognition counselling.");
  add("exploitation", "any", {"exploitation"}, false, {}, "anti_trafficking",
      "Bei Anzeichen von Arbeitsausbeutung zusätzlich eine Fachberatung gegen Arbeitsausbeutung und "
      "Menschenhandel einbeziehen.",
      "Where there are signs of labour exploitation, also involve specialist counselling against labour "
      "exploitation and human trafficking.");
  add("discrimination", "any", {"discrimination"}, false, {}, "anti_discrimination",
      "Bei Diskriminierung zusätzlich eine Antidiskriminierungsstelle einbeziehen.",
      "For discrimination, also involve an anti-discrimination office.");
  add("undeclared-work", "any", {"wages", "exploitation"}, false, {"undeclared_work"}, "customs_fks",
      "Bei Schwarzarbeit oder Mindestlohnverstößen kann die Finanzkontrolle Schwarzarbeit des Zolls informiert "
      "werden (nur mit Einverständnis der ratsuchenden Person).",
      "Undeclared work or minimum-wage violations can be reported to customs' Financial Control of Undeclared "
      "Work (only with the client's consent).");
  return r;
}

}  // namespace fairdesk::cases
