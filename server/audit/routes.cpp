#include <boost/json.hpp>

#include <charconv>

#include "audit/audit.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"

namespace fairdesk::audit {
namespace json = boost::json;
namespace {

constexpr std::string_view kParams[] = {"record_type", "record_id", "user_id", "from", "to", "limit", "cursor"};

bool IsId(std::string_view s) {
  return !s.empty() && s.size() <= 100 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
  });
}

int Digits(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// `YYYY-MM-DD` (a whole day in UTC) or RFC 3339 `YYYY-MM-DDTHH:MM:SSZ`. Answers the first second
// and the second after the last one, so that `from` is inclusive and `to` inclusive too.
std::optional<std::pair<std::int64_t, std::int64_t>> ParseInstant(std::string_view s) {
  auto date = Date::Parse(s.substr(0, 10));
  if (!date) return std::nullopt;
  const std::int64_t day = date->DaysSinceEpoch() * 86400;
  if (s.size() == 10) return std::pair{day, day + 86400};
  if (s.size() != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') return std::nullopt;
  int h = Digits(s, 11, 2), m = Digits(s, 14, 2), sec = Digits(s, 17, 2);
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return std::nullopt;
  const std::int64_t at = day + h * 3600 + m * 60 + sec;
  return std::pair{at, at + 1};
}

struct ListQuery {
  Filter filter;
  int limit = 50;
  std::string cursor;
};

Result<ListQuery> ReadQuery(const http::Request& req) {
  ListQuery q;
  std::vector<FieldError> errors;
  for (const auto& [k, v] : req.query) {
    if (std::find(std::begin(kParams), std::end(kParams), k) == std::end(kParams)) {
      errors.push_back({k.substr(0, 64), "unknown query parameter"});
    }
  }
  if (auto v = req.Query("record_type"); v && !v->empty()) {
    if (v->size() > 40 || !std::all_of(v->begin(), v->end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; })) {
      errors.push_back({"record_type", "must be a record type such as case, client or document"});
    }
    q.filter.record_type = *v;
  }
  for (auto [name, field] : {std::pair{"record_id", &q.filter.record_id}, std::pair{"user_id", &q.filter.user_id}}) {
    if (auto v = req.Query(name); v && !v->empty()) {
      if (!IsId(*v)) errors.push_back({name, "is not a valid id"});
      *field = *v;
    }
  }
  if (auto v = req.Query("from"); v && !v->empty()) {
    if (auto t = ParseInstant(*v)) q.filter.from = t->first;
    else errors.push_back({"from", "must be a date YYYY-MM-DD or a timestamp YYYY-MM-DDTHH:MM:SSZ"});
  }
  if (auto v = req.Query("to"); v && !v->empty()) {
    if (auto t = ParseInstant(*v)) q.filter.until = t->second;
    else errors.push_back({"to", "must be a date YYYY-MM-DD or a timestamp YYYY-MM-DDTHH:MM:SSZ"});
  }
  if (q.filter.from && q.filter.until && *q.filter.until <= *q.filter.from) {
    errors.push_back({"to", "must not be before from"});
  }
  if (auto v = req.Query("limit")) {
    int value = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), value);
    if (ec != std::errc{} || end != v->data() + v->size() || value < 1 || value > 200) {
      errors.push_back({"limit", "must be an integer from 1 to 200"});
    }
    q.limit = value;
  }
  q.cursor = req.Query("cursor").value_or("");
  if (q.cursor.size() > 20) errors.push_back({"cursor", "is not a valid cursor"});
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return q;
}

json::value OptString(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

json::object ToJson(const Entry& e) {
  json::array ids;
  if (e.record_ids.empty()) {
    ids.emplace_back(e.record_id);
  } else {
    for (const auto& id : e.record_ids) ids.emplace_back(id);
  }
  return json::object{{"seq", e.seq},
                      {"at", clock::FormatRfc3339(e.at)},
                      {"user_id", e.user_id},
                      {"role", e.role},
                      {"centre_id", OptString(e.centre_id)},
                      {"action", e.action},
                      {"record_type", e.record_type},
                      {"record_id", e.record_id},
                      {"record_ids", std::move(ids)},
                      {"record_centre_id", OptString(e.record_centre_id)},
                      {"user_name", OptString(e.user_name)},
                      {"record_label", OptString(e.record_label)},
                      {"hash", e.hash}};
}

constexpr std::string_view kEntrySchema = R"({"type":"object","properties":{
  "seq":{"type":"integer"},"at":{"type":"string","format":"date-time"},"user_id":{"type":"string"},
  "role":{"type":"string"},"centre_id":{"type":["string","null"]},
  "action":{"enum":["read","create","update","delete","download","export","erase","transfer"]},
  "record_type":{"type":"string"},"record_id":{"type":"string","description":"the record; the first of record_ids"},
  "record_ids":{"type":"array","items":{"type":"string"},"description":"every record the entry names: one, or all records a list showed"},
  "record_centre_id":{"type":["string","null"]},
  "user_name":{"type":["string","null"]},"record_label":{"type":["string","null"],"description":"case number, client code or user name"},
  "hash":{"type":"string","description":"SHA-256 over the previous entry's hash and this entry"}}})";

}  // namespace

void RegisterRoutes(http::Router& router, Service& service) {
  auto& list = router.Get("/api/v1/audit", [&service](http::Request& req) -> Result<http::Response> {
    auto q = FD_TRY(ReadQuery(req));
    q.filter.with_labels = true;  // case numbers, client codes and names instead of bare ids (issue 7)
    auto page = FD_TRY(service.List(req.User(), std::move(q.filter), q.limit, q.cursor));
    json::array items;
    for (const auto& e : page.items) items.push_back(ToJson(e));
    return http::Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", OptString(page.next_cursor)}});
  });
  list.roles = {Role::kCentreLead, Role::kAdmin};
  list.doc = {"Audit trail, newest first (centre leads: their centre's entries; admins: all). Ids only.",
              "audit",
              nullptr,
              json::object{{"type", "object"},
                           {"properties", json::object{{"items", json::object{{"type", "array"},
                                                                              {"items", json::parse(kEntrySchema)}}},
                                                       {"next_cursor", json::object{{"type", json::array{"string", "null"}}}}}}},
              {"record_type", "record_id", "user_id", "from", "to", "limit", "cursor"}};
}

}  // namespace fairdesk::audit
