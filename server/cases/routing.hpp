#pragma once
/// Intake routing (PRODUCT.md §3.1): from nationality, topics and postcode, who is responsible.
/// The rules are data (table routing_rules, maintained by the competence centre); evaluating them
/// is this pure function, so that it is tested without a database.

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace fairdesk::cases {

/// A topic of the maintained taxonomy. `in_scope`: a labour or social law topic the Fair
/// Integration centres advise on (job search, residence and recognition are not).
struct Topic {
  std::string code, label_de, label_en;
  bool in_scope = true;
  int position = 0;
};

/// One routing rule. A rule matches when every condition holds; matching rules give one
/// suggestion each, in rule order. `stop` ends the evaluation after a match.
struct RoutingRule {
  std::string id;
  std::string nationality = "any";  // any | eu_eea_ch | third_country
  std::vector<std::string> topics;  // any of these; empty: no condition on listed topics
  bool in_scope_topics = false;     // at least one labour/social law topic
  std::vector<std::string> flags;   // all of these intake flags
  std::string target;
  std::optional<std::string> organisation_id;  // fixed organisation; empty: resolved
  bool stop = false;
  bool enabled = true;
  std::string reason_de, reason_en;
};

struct IntakeInput {
  std::string nationality;  // ISO 3166-1 alpha-2
  std::vector<std::string> topics;
  std::optional<std::string> postcode;
  std::vector<std::string> flags;
};

/// What the directory knows, resolved for one intake by the service.
struct RoutingContext {
  struct Org {
    std::string id, kind, name;
    std::optional<std::string> state;  // empty: nationwide
    std::vector<std::string> languages;
  };
  std::optional<Org> centre;  // the advice centre serving the postcode
  std::vector<Org> partners;
  std::vector<Topic> topics;
};

struct Suggestion {
  std::string target;
  std::optional<std::string> organisation_id;
  std::optional<std::string> organisation_name;
  std::vector<std::string> languages;
  std::vector<std::string> topics;  // the client's topics this suggestion answers
  std::string rule_id;
  std::string reason_de, reason_en;
  // The organisation's contact data from the directory (filled by the service).
  std::optional<std::string> phone, email, website, address;
};

/// Evaluates `rules` in order. Suggestions with the same target and organisation are merged.
/// Organisations: a rule's fixed one; for `centre` the centre serving the postcode; otherwise the
/// partner of the target's kind in the centre's state, else a nationwide one.
std::vector<Suggestion> Route(std::span<const RoutingRule> rules, const IntakeInput& input,
                              const RoutingContext& context);

/// The rules seeded into a new database.
std::vector<RoutingRule> DefaultRoutingRules();

}  // namespace fairdesk::cases
