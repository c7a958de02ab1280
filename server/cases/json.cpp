#include "cases/json.hpp"

#include "platform/core/clock.hpp"

namespace fairdesk::cases {
namespace json = boost::json;
namespace {

json::value Opt(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}
std::string Time(std::int64_t t) { return clock::FormatRfc3339(t); }

}  // namespace

json::object ToJson(const Client& c, bool personal) {
  json::object o{{"id", c.id},
                 {"centre_id", c.centre_id},
                 {"code", c.code},
                 {"nationality", Opt(c.nationality)},
                 {"birth_year", c.birth_year ? json::value(*c.birth_year) : json::value(nullptr)},
                 {"gender", c.gender},
                 {"languages", Strings(c.languages)},
                 {"employment_status", Opt(c.employment_status)},
                 {"sector", Opt(c.sector)},
                 {"employer", Opt(c.employer)},
                 {"consents",
                  json::object{{"storage", c.consents.storage},
                               {"contact", c.consents.contact},
                               {"anonymised_use", c.consents.anonymised_use},
                               {"date", Opt(c.consents.date)}}},
                 {"anonymised", c.anonymised_at.has_value()},
                 {"created_at", Time(c.created_at)},
                 {"updated_at", Time(c.updated_at)}};
  if (personal) {
    o["name"] = Opt(c.personal.name);
    o["phone"] = Opt(c.personal.phone);
    o["email"] = Opt(c.personal.email);
    o["address"] = Opt(c.personal.address);
    o["safe_contact"] = Opt(c.personal.safe_contact);
  }
  return o;
}

json::object ToJson(const Case& c) {
  json::value outcome = nullptr;
  if (c.outcome) {
    outcome = json::object{{"wages_recovered_cents", c.outcome->wages_recovered_cents},
                           {"claim_filed", c.outcome->claim_filed},
                           {"settled", c.outcome->settled},
                           {"referred", c.outcome->referred},
                           {"no_further_action", c.outcome->no_further_action}};
  }
  return {{"id", c.id},
          {"number", c.number},
          {"centre_id", c.centre_id},
          {"client_id", c.client_id.empty() ? json::value(nullptr) : json::value(c.client_id)},
          {"client_code", Opt(c.client_code)},
          {"topics", Strings(c.topics)},
          {"status", c.status},
          {"priority", c.priority},
          {"assignee_id", Opt(c.assignee_id)},
          {"assignee_name", Opt(c.assignee_name)},
          {"risk_flags", Strings(c.risk_flags)},
          {"opened_on", c.opened_on},
          {"closed_on", Opt(c.closed_on)},
          {"outcome", outcome},
          {"closing_reason", Opt(c.closing_reason)},
          {"anonymised", c.anonymised_at.has_value()},
          {"created_at", Time(c.created_at)},
          {"updated_at", Time(c.updated_at)}};
}

json::object ToJson(const Consultation& c) {
  return {{"id", c.id},
          {"case_id", c.case_id},
          {"date", c.date},
          {"duration_minutes", c.duration_minutes},
          {"channel", c.channel},
          {"language", c.language},
          {"interpreter", c.interpreter},
          {"topics", Strings(c.topics)},
          {"kind", c.kind},
          {"notes", Opt(c.notes)},
          {"created_by", c.created_by},
          {"created_at", Time(c.created_at)}};
}

json::object ToJson(const Deadline& d) {
  json::value source = nullptr;
  if (d.source_json) {
    boost::system::error_code ec;
    source = json::parse(*d.source_json, ec);
    if (ec) source = nullptr;
  }
  return {{"id", d.id},
          {"case_id", d.case_id},
          {"case_number", d.case_number},
          {"assignee_id", Opt(d.assignee_id)},
          {"kind", d.kind},
          {"due_date", d.due_date},
          {"note", Opt(d.note)},
          {"done", d.done},
          {"source", source},
          {"created_at", Time(d.created_at)}};
}

json::object ToJson(const Referral& r) {
  return {{"id", r.id},
          {"case_id", r.case_id},
          {"target", r.target},
          {"organisation_id", Opt(r.organisation_id)},
          {"status", r.status},
          {"client_consent", r.client_consent},
          {"consent_date", Opt(r.consent_date)},
          {"note", Opt(r.note)},
          {"created_at", Time(r.created_at)},
          {"updated_at", Time(r.updated_at)}};
}

json::object ToJson(const EscalationMessage& m) {
  return {{"id", m.id}, {"author_role", m.author_role}, {"body", m.body}, {"created_at", Time(m.created_at)}};
}

json::object ToJson(const Escalation& e, bool with_case) {
  json::array messages;
  for (const auto& m : e.messages) messages.push_back(ToJson(m));
  json::object o{{"id", e.id},
                 {"centre_id", e.centre_id},
                 {"summary", e.summary},
                 {"question", e.question},
                 {"status", e.status},
                 {"messages", std::move(messages)},
                 {"created_at", Time(e.created_at)},
                 {"updated_at", Time(e.updated_at)}};
  if (with_case) o["case_id"] = e.case_id;
  return o;
}

json::object ToJson(const Topic& t) {
  return {{"code", t.code},
          {"labels", json::object{{"de", t.label_de}, {"en", t.label_en}}},
          {"in_scope", t.in_scope},
          {"position", t.position}};
}

json::object ToJson(const RoutingRule& r) {
  return {{"id", r.id},
          {"nationality", r.nationality},
          {"topics", Strings(r.topics)},
          {"in_scope_topics", r.in_scope_topics},
          {"flags", Strings(r.flags)},
          {"target", r.target},
          {"organisation_id", Opt(r.organisation_id)},
          {"stop", r.stop},
          {"enabled", r.enabled},
          {"reason", json::object{{"de", r.reason_de}, {"en", r.reason_en}}}};
}

json::object ToJson(const Suggestion& s, std::string_view language) {
  return {{"target", s.target},
          {"organisation_id", Opt(s.organisation_id)},
          {"organisation_name", Opt(s.organisation_name)},
          {"languages", Strings(s.languages)},
          {"topics", Strings(s.topics)},
          {"rule_id", s.rule_id},
          {"reason", language == "en" ? s.reason_en : s.reason_de},
          {"reasons", json::object{{"de", s.reason_de}, {"en", s.reason_en}}}};
}

}  // namespace fairdesk::cases
