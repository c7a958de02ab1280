#pragma once
/// JSON of the case-work API (API.md: snake_case, dates YYYY-MM-DD, timestamps RFC 3339).

#include <boost/json.hpp>

#include "cases/model.hpp"
#include "cases/routing.hpp"

namespace fairdesk::cases {

/// `personal`: with name, contact and safe-contact note (only single-client reads).
boost::json::object ToJson(const Client& c, bool personal);
boost::json::object ToJson(const Case& c);
/// A page of cases, {"items":[...],"next_cursor":...}: the same text as ToJsonText of a page of
/// ToJson(c), written directly (the case list, issue 13: no boost::json object per case).
std::string CasePageJson(const Page<Case>& page);
/// The employment of a case; also its stored (sealed) form. Every key present, null when unknown.
boost::json::object ToJson(const Employment& e);
/// Reads the stored form back (unknown keys ignored, wrong types skipped).
Employment EmploymentFromJson(std::string_view text);
boost::json::object ToJson(const Consultation& c);
boost::json::object ToJson(const Deadline& d);
boost::json::object ToJson(const Referral& r);
/// `with_case`: include the case id (only for the escalating centre itself).
boost::json::object ToJson(const Escalation& e, bool with_case);
boost::json::object ToJson(const EscalationMessage& m);
boost::json::object ToJson(const Transfer& t);
boost::json::object ToJson(const HistoryEntry& h);
boost::json::object ToJson(const SavedFilter& f);
boost::json::object ToJson(const Caseload& c);
boost::json::object ToJson(const Topic& t);
boost::json::object ToJson(const RoutingRule& r);
boost::json::object ToJson(const SettingsChange& c);
boost::json::object ToJson(const RetentionSettings& r);
/// `language`: "de" or "en", the language of `reason`.
boost::json::object ToJson(const Suggestion& s, std::string_view language);

}  // namespace fairdesk::cases
