#include "cases/json.hpp"

#include "platform/core/clock.hpp"
#include "platform/core/json_output.hpp"

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
json::value OptTime(const std::optional<std::int64_t>& t) { return t ? json::value(Time(*t)) : json::value(nullptr); }

// The marks of a timeline entry: who made it, and whether (by whom, when, why) it was corrected
// or withdrawn.
void AddMarks(json::object& o, const std::string& created_by, const std::optional<std::string>& created_by_name,
              const Marks& m, const std::string& id, std::int64_t version) {
  o["created_by"] = created_by;
  o["created_by_name"] = Opt(created_by_name);
  o["corrected"] = m.corrected_at.has_value();
  o["corrected_at"] = OptTime(m.corrected_at);
  o["corrected_by"] = Opt(m.corrected_by);
  o["corrected_by_name"] = Opt(m.corrected_by_name);
  o["withdrawn"] = m.withdrawn_at.has_value();
  o["withdrawn_at"] = OptTime(m.withdrawn_at);
  o["withdrawn_by"] = Opt(m.withdrawn_by);
  o["withdrawn_by_name"] = Opt(m.withdrawn_by_name);
  o["change_reason"] = Opt(m.reason);
  o["version"] = version;
  o["etag"] = MakeETag(id, version);
}

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
                 {"residence_status", Opt(c.residence_status)},
                 {"abroad", c.abroad ? json::value(*c.abroad) : json::value(nullptr)},
                 {"consents",
                  json::object{{"storage", c.consents.storage},
                               {"contact", c.consents.contact},
                               {"anonymised_use", c.consents.anonymised_use},
                               {"date", Opt(c.consents.date)}}},
                 {"anonymised", c.anonymised_at.has_value()},
                 {"created_at", Time(c.created_at)},
                 {"updated_at", Time(c.updated_at)},
                 {"version", c.version},
                 {"etag", MakeETag(c.id, c.version)}};
  if (personal) {
    o["name"] = Opt(c.personal.name);
    o["phone"] = Opt(c.personal.phone);
    o["email"] = Opt(c.personal.email);
    o["address"] = Opt(c.personal.address);
    o["safe_contact"] = Opt(c.personal.safe_contact);
    o["birth_date"] = Opt(c.personal.birth_date);
  } else {
    // Which identifying fields are recorded (their content only through the audited "show").
    o["recorded"] = json::object{{"name", c.personal.name.has_value()},
                                 {"phone", c.personal.phone.has_value()},
                                 {"email", c.personal.email.has_value()},
                                 {"address", c.personal.address.has_value()},
                                 {"safe_contact", c.personal.safe_contact.has_value()},
                                 {"birth_date", c.personal.birth_date.has_value()}};
  }
  return o;
}

void WriteJson(JsonWriter& w, const Case& c, std::string_view today) {
  w.BeginObject();
  w.Key("id").String(c.id);
  w.Key("number").String(c.number);
  w.Key("centre_id").String(c.centre_id);
  w.Key("client_id");
  c.client_id.empty() ? w.Null() : w.String(c.client_id);
  w.Key("client_code").OptString(c.client_code);
  w.Key("topics").Strings(c.topics);
  w.Key("status").String(c.status);
  w.Key("priority").String(c.priority);
  w.Key("assignee_id").OptString(c.assignee_id);
  w.Key("assignee_name").OptString(c.assignee_name);
  w.Key("risk_flags").Strings(c.risk_flags);
  w.Key("opened_on").String(c.opened_on);
  w.Key("closed_on").OptString(c.closed_on);
  w.Key("outcome");
  if (c.outcome) {
    w.BeginObject();
    w.Key("wages_recovered_cents").Int(c.outcome->wages_recovered_cents);
    w.Key("claim_filed").Bool(c.outcome->claim_filed);
    w.Key("settled").Bool(c.outcome->settled);
    w.Key("referred").Bool(c.outcome->referred);
    w.Key("no_further_action").Bool(c.outcome->no_further_action);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("closing_reason").OptString(c.closing_reason);
  w.Key("narrative").OptString(c.narrative);
  w.Key("employment");
  c.employment ? w.Raw(ToJsonText(ToJson(*c.employment))) : w.Null();
  w.Key("next_deadline").OptString(c.next_deadline);
  w.Key("overdue").Bool(c.next_deadline.has_value() && *c.next_deadline < today);
  w.Key("pending_transfer_to").OptString(c.pending_transfer_to);
  w.Key("anonymised").Bool(c.anonymised_at.has_value());
  w.Key("created_at").String(Time(c.created_at));
  w.Key("updated_at").String(Time(c.updated_at));
  w.Key("version").Int(c.version);
  w.Key("etag").String(MakeETag(c.id, c.version));
  w.EndObject();
}

json::object ToJson(const Case& c) {
  // One shape for single cases and lists: the list writes it directly (CasePageJson).
  std::string text;
  JsonWriter w(text);
  WriteJson(w, c, clock::TodayIso());
  return json::parse(text).as_object();
}

std::string CasePageJson(const Page<Case>& page) {
  std::string out;
  out.reserve(page.items.size() * 700 + 64);
  JsonWriter w(out);
  const std::string today = clock::TodayIso();
  w.BeginObject().Key("items").BeginArray();
  for (const auto& c : page.items) WriteJson(w, c, today);
  w.EndArray().Key("next_cursor").OptString(page.next_cursor).EndObject();
  return out;
}

namespace {
// The employment's fields, once, for both directions (sent and stored encrypted as this JSON); the
// request body that validates them is kEmploymentBody in routes.cpp, the web's list EMPLOYMENT_KEYS.
constexpr std::pair<std::string_view, std::optional<std::string> Employment::*> kEmploymentTexts[] = {
    {"employer", &Employment::employer},
    {"work_state", &Employment::work_state},
    {"start", &Employment::start},
    {"end", &Employment::end},
    {"notice_received", &Employment::notice_received},
    {"notice_given_by", &Employment::notice_given_by},
    {"notice_form", &Employment::notice_form},
    {"contract_date", &Employment::contract_date},
    {"claim_due", &Employment::claim_due},
};
constexpr std::pair<std::string_view, std::optional<double> Employment::*> kEmploymentNumbers[] = {
    {"weekly_hours", &Employment::weekly_hours},
    {"workdays_per_week", &Employment::workdays_per_week},
};
constexpr std::pair<std::string_view, std::optional<std::int64_t> Employment::*> kEmploymentIntegers[] = {
    {"hourly_wage_cents", &Employment::hourly_wage_cents},
};
}  // namespace

json::object ToJson(const Employment& e) {
  json::object o;
  for (const auto& [name, member] : kEmploymentTexts) o[name] = Opt(e.*member);
  for (const auto& [name, member] : kEmploymentNumbers) o[name] = e.*member ? json::value(*(e.*member)) : json::value(nullptr);
  for (const auto& [name, member] : kEmploymentIntegers) o[name] = e.*member ? json::value(*(e.*member)) : json::value(nullptr);
  return o;
}

Employment EmploymentFromJson(std::string_view text) {
  Employment e;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return e;
  const auto& o = v.as_object();
  for (const auto& [name, member] : kEmploymentTexts) {
    if (auto* x = o.if_contains(name); x && x->is_string()) e.*member = std::string(x->as_string());
  }
  for (const auto& [name, member] : kEmploymentNumbers) {
    if (auto* x = o.if_contains(name); x && x->is_number()) e.*member = x->to_number<double>();
  }
  for (const auto& [name, member] : kEmploymentIntegers) {
    if (auto* x = o.if_contains(name); x && x->is_int64()) e.*member = x->as_int64();
  }
  return e;
}

json::object ToJson(const Consultation& c) {
  json::object o{{"id", c.id},
                 {"case_id", c.case_id},
                 {"date", c.date},
                 {"duration_minutes", c.duration_minutes},
                 {"channel", c.channel},
                 {"language", c.language},
                 {"interpreter", c.interpreter},
                 {"topics", Strings(c.topics)},
                 {"kind", c.kind},
                 {"notes", Opt(c.notes)},
                 {"created_at", Time(c.created_at)},
                 {"updated_at", Time(c.updated_at ? c.updated_at : c.created_at)}};
  AddMarks(o, c.created_by, c.created_by_name, c.marks, c.id, c.version);
  return o;
}

json::object ToJson(const Deadline& d) {
  json::value source = nullptr;
  if (d.source_json) {
    boost::system::error_code ec;
    source = json::parse(*d.source_json, ec);
    if (ec) source = nullptr;
  }
  json::object o{{"id", d.id},
                 {"case_id", d.case_id},
                 {"case_number", d.case_number},
                 {"assignee_id", Opt(d.assignee_id)},
                 {"kind", d.kind},
                 {"due_date", d.due_date},
                 {"note", Opt(d.note)},
                 {"done", d.done},
                 // Overdue: open, not withdrawn, and due before today (Europe/Berlin).
                 {"overdue", !d.done && !d.marks.withdrawn_at && d.due_date < clock::TodayIso()},
                 {"source", source},
                 {"created_at", Time(d.created_at)},
                 {"updated_at", Time(d.updated_at ? d.updated_at : d.created_at)}};
  AddMarks(o, d.created_by, d.created_by_name, d.marks, d.id, d.version);
  return o;
}

json::object ToJson(const Referral& r) {
  json::object o{{"id", r.id},
                 {"case_id", r.case_id},
                 {"target", r.target},
                 {"organisation_id", Opt(r.organisation_id)},
                 {"organisation_name", Opt(r.organisation_name)},
                 {"status", r.status},
                 {"status_dates", json::object{{"suggested", Time(r.created_at).substr(0, 10)},
                                               {"made", Opt(r.made_on)},
                                               {"confirmed", Opt(r.confirmed_on)},
                                               {"completed", Opt(r.completed_on)},
                                               {"declined", Opt(r.declined_on)}}},
                 {"client_consent", r.client_consent},
                 {"consent_date", Opt(r.consent_date)},
                 {"note", Opt(r.note)},
                 {"created_at", Time(r.created_at)},
                 {"updated_at", Time(r.updated_at)}};
  AddMarks(o, r.created_by, r.created_by_name, r.marks, r.id, r.version);
  return o;
}

json::object ToJson(const EscalationMessage& m) {
  return {{"id", m.id},
          {"author_role", m.author_role},
          {"author_name", Opt(m.author_name)},
          {"body", m.body},
          {"created_at", Time(m.created_at)},
          {"read_at", OptTime(m.read_at)}};
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
                 {"centre_name", Opt(e.centre_name)},
                 {"centre_state", Opt(e.centre_state)},
                 {"topics", Strings(e.topics)},
                 {"assignee_id", Opt(e.assignee_id)},
                 {"assignee_name", Opt(e.assignee_name)},
                 {"message_count", e.message_count},
                 {"unread_answers", e.unread_answers},
                 {"last_answer_at", OptTime(e.last_answer_at)},
                 // Waiting for the competence centre: since the last change while open.
                 {"waiting_since", e.status == "open" ? json::value(Time(e.updated_at)) : json::value(nullptr)},
                 {"created_by_name", Opt(e.created_by_name)},
                 {"created_at", Time(e.created_at)},
                 {"updated_at", Time(e.updated_at)}};
  if (with_case) o["case_id"] = e.case_id;
  return o;
}

json::object ToJson(const Transfer& t) {
  return {{"id", t.id},
          {"case_id", t.case_id},
          {"case_number", Opt(t.case_number)},
          {"from_centre_id", t.from_centre_id},
          {"to_centre_id", t.to_centre_id},
          {"status", t.status},
          {"client_consent", t.client_consent},
          {"consent_date", t.consent_date},
          {"requested_by", Opt(t.transferred_by)},
          {"requested_at", Time(t.transferred_at)},
          {"decided_by", Opt(t.decided_by)},
          {"decided_at", OptTime(t.decided_at)}};
}

json::object ToJson(const HistoryEntry& h) {
  json::value before = nullptr;
  if (h.before_json) {
    boost::system::error_code ec;
    before = json::parse(*h.before_json, ec);
    if (ec) before = nullptr;
  }
  return {{"id", h.id},
          {"record_type", h.record_type},
          {"record_id", h.record_id},
          {"version", h.version},
          {"action", h.action},
          {"before", before},
          {"reason", Opt(h.reason)},
          {"changed_by", h.changed_by},
          {"changed_by_name", Opt(h.changed_by_name)},
          {"changed_at", Time(h.changed_at)}};
}

json::object ToJson(const SavedFilter& f) {
  return {{"id", f.id}, {"name", f.name}, {"query", f.query}, {"created_at", Time(f.created_at)},
          {"updated_at", Time(f.updated_at)}};
}

json::object ToJson(const Caseload& c) {
  return {{"user_id", c.user_id}, {"display_name", c.display_name}, {"role", c.role},
          {"open_cases", c.open_cases}, {"overdue_deadlines", c.overdue_deadlines}};
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

json::object ToJson(const SettingsChange& c) {
  return {{"id", c.id},
          {"kind", c.kind},
          {"before", c.before},
          {"after", c.after},
          {"changed_by", Opt(c.changed_by)},
          {"changed_by_name", Opt(c.changed_by_name)},
          {"changed_at", Time(c.changed_at)}};
}

json::object ToJson(const RetentionSettings& r) {
  return {{"retention_years", r.years},
          {"default_years", r.default_years},
          {"from_setting", r.from_setting},
          {"updated_at", OptTime(r.updated_at)},
          {"updated_by_name", Opt(r.updated_by_name)}};
}

json::object ToJson(const Suggestion& s, std::string_view language) {
  return {{"target", s.target},
          {"organisation_id", Opt(s.organisation_id)},
          {"organisation_name", Opt(s.organisation_name)},
          {"languages", Strings(s.languages)},
          {"topics", Strings(s.topics)},
          {"rule_id", s.rule_id},
          {"contact", json::object{{"phone", Opt(s.phone)}, {"email", Opt(s.email)}, {"website", Opt(s.website)},
                                   {"address", Opt(s.address)}}},
          {"reason", language == "en" ? s.reason_en : s.reason_de},
          {"reasons", json::object{{"de", s.reason_de}, {"en", s.reason_en}}}};
}

}  // namespace fairdesk::cases
