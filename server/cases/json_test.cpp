// The case list's JSON, written directly (CasePageJson), is the text the API has always sent:
// the members in their order, escaped strings, nulls for what is unknown.

#include <gtest/gtest.h>

#include "cases/json.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/json_output.hpp"

namespace fairdesk::cases {
namespace {
namespace json = boost::json;

Case Full() {
  Case c;
  c.id = "cas_1";
  c.number = "BE-2026-00001";
  c.centre_id = "centre-be";
  c.client_id = "cli_1";
  c.client_code = "BE-2026-\"x\"";
  c.topics = {"wages", "housing"};
  c.status = "closed";
  c.priority = "high";
  c.assignee_id = "usr_1";
  c.assignee_name = "Ana Müller\n";
  c.risk_flags = {"violence"};
  c.opened_on = "2026-01-02";
  c.closed_on = "2026-02-03";
  c.outcome = Outcome{12345, true, false, true, false};
  c.closing_reason = "resolved";
  c.narrative = "a\\b\tc";
  Employment e;
  e.employer = "ACME";
  e.weekly_hours = 38.5;
  e.hourly_wage_cents = 1282;
  c.employment = e;
  c.next_deadline = "2000-01-01";
  c.pending_transfer_to = "centre-by";
  c.anonymised_at = 5;
  c.created_at = 1767225600;
  c.updated_at = 1767312000;
  c.version = 7;
  return c;
}

// The members in the order of API.md's case, built as a boost::json object.
json::object Expected(const Case& c) {
  auto opt = [](const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); };
  auto list = [](const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
  };
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
          {"client_code", opt(c.client_code)},
          {"topics", list(c.topics)},
          {"status", c.status},
          {"priority", c.priority},
          {"assignee_id", opt(c.assignee_id)},
          {"assignee_name", opt(c.assignee_name)},
          {"risk_flags", list(c.risk_flags)},
          {"opened_on", c.opened_on},
          {"closed_on", opt(c.closed_on)},
          {"outcome", outcome},
          {"closing_reason", opt(c.closing_reason)},
          {"narrative", opt(c.narrative)},
          {"employment", c.employment ? json::value(ToJson(*c.employment)) : json::value(nullptr)},
          {"next_deadline", opt(c.next_deadline)},
          {"overdue", c.next_deadline.has_value() && *c.next_deadline < clock::TodayIso()},
          {"pending_transfer_to", opt(c.pending_transfer_to)},
          {"anonymised", c.anonymised_at.has_value()},
          {"created_at", clock::FormatRfc3339(c.created_at)},
          {"updated_at", clock::FormatRfc3339(c.updated_at)},
          {"version", c.version},
          {"etag", MakeETag(c.id, c.version)}};
}

TEST(CaseListJson, TheListIsWrittenAsTheCaseObjectsWere) {
  Case empty;  // every optional member unset
  empty.id = "cas_2";
  empty.number = "BE-2026-00002";
  empty.centre_id = "centre-be";
  empty.opened_on = "2026-01-02";
  Page<Case> page;
  page.items = {Full(), empty};
  page.next_cursor = "abc";
  json::array items{Expected(page.items[0]), Expected(page.items[1])};
  EXPECT_EQ(CasePageJson(page), ToJsonText(json::object{{"items", items}, {"next_cursor", "abc"}}));
  page.items.clear();
  page.next_cursor.reset();
  EXPECT_EQ(CasePageJson(page), R"({"items":[],"next_cursor":null})");
  // A single case (the case page, transfers) has the same members.
  EXPECT_EQ(ToJsonText(ToJson(Full())), ToJsonText(Expected(Full())));
}

}  // namespace
}  // namespace fairdesk::cases
