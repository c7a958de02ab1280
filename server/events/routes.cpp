#include <boost/json.hpp>

#include <charconv>

#include "events/events.hpp"
#include "platform/core/body.hpp"
#include "platform/core/clock.hpp"

namespace fairdesk::events {
namespace json = boost::json;
namespace {

constexpr std::string_view kAttendanceStatuses[] = {"attended", "no_show"};
constexpr std::string_view kScopes[] = {"upcoming", "past", "mine", "organised", "all"};

bool IsLocalTimeText(std::string_view s) { return s.size() == 16 && s[10] == 'T'; }

const auto kSessionBody = body::Body<SessionFields>()
                              .Text("start", &SessionFields::start, Need::kRequired,
                                    {.max = 16, .min = 16, .valid = IsLocalTimeText,
                                     .invalid = "must be a local time YYYY-MM-DDTHH:MM (Europe/Berlin)",
                                     .pattern = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$"})
                              .Text("end", &SessionFields::end, Need::kRequired,
                                    {.max = 16, .min = 16, .valid = IsLocalTimeText,
                                     .invalid = "must be a local time YYYY-MM-DDTHH:MM (Europe/Berlin)",
                                     .pattern = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$"})
                              .Text("place", &SessionFields::place, Need::kOptional, {.max = 300})
                              .Text("online_url", &SessionFields::online_url, Need::kOptional, {.max = 500});

const auto kEventBody =
    body::Body<EventFields>()
        .Enum("kind", &EventFields::kind, Need::kRequired, kKinds)
        .Text("title", &EventFields::title, Need::kRequired, {.max = 200, .min = 1})
        .Text("description", &EventFields::description, Need::kOptional, {.max = 5000, .multiline = true})
        .Text("organiser_centre_id", &EventFields::organiser_centre_id, Need::kOptional, {.max = 64})
        .Enums("languages", &EventFields::languages, Need::kRequired, kLanguages,
               {.max_items = 20, .min_items = 1, .unique = true})
        .Texts("topics", &EventFields::topics, Need::kOptional, {.max_items = 30, .max_len = 64, .unique = true})
        .Int("capacity", &EventFields::capacity, Need::kRequired, {.min = 1, .max = kMaxCapacity})
        .Date("registration_deadline", &EventFields::registration_deadline, Need::kRequired)
        .Enum("audience", &EventFields::audience, Need::kRequired, kAudiences)
        .Enum("audience_state", &EventFields::audience_state, Need::kOptional, kStates)
        .Text("partner", &EventFields::partner, Need::kOptional, {.max = 300})
        .Texts("knowledge_ids", &EventFields::knowledge_ids, Need::kOptional, {.max_items = 30, .max_len = 64, .unique = true})
        .Int("offer_hours", &EventFields::offer_hours, Need::kOptional, {.min = 1, .max = 336})
        .Objects("sessions", &EventFields::sessions, Need::kRequired, kSessionBody, {.max_items = kMaxSessions, .min_items = 1});

struct CancelBody {
  std::string reason;
};
const auto kCancelBody = body::Body<CancelBody>().Text("reason", &CancelBody::reason, Need::kOptional, {.max = 500});

struct RegisterBody {
  std::optional<std::string> client_code;
};
const auto kRegisterBody =
    body::Body<RegisterBody>().Text("client_code", &RegisterBody::client_code, Need::kOptional, {.max = 64, .min = 1});

const auto kMarkBody = body::Body<Attendance>()
                           .Text("registration_id", &Attendance::registration_id, Need::kRequired, {.max = 64, .min = 1})
                           .Enum("status", &Attendance::status, Need::kRequired, kAttendanceStatuses);
struct AttendanceBody {
  std::vector<Attendance> marks;
};
const auto kAttendanceBody =
    body::Body<AttendanceBody>().Objects("marks", &AttendanceBody::marks, Need::kRequired, kMarkBody, {.max_items = kMaxCapacity});

const auto kHeadCountBody = body::Body<HeadCount>()
                                .Text("session_id", &HeadCount::session_id, Need::kOptional, {.max = 64})
                                .Enum("language", &HeadCount::language, Need::kRequired, kLanguages)
                                .Enum("gender", &HeadCount::gender, Need::kRequired, kGenders)
                                .Int("count", &HeadCount::count, Need::kRequired, {.min = 0, .max = kMaxCapacity});
struct HeadCountsBody {
  std::vector<HeadCount> counts;
};
const auto kHeadCountsBody =
    body::Body<HeadCountsBody>().Objects("counts", &HeadCountsBody::counts, Need::kRequired, kHeadCountBody, {.max_items = 500});

json::value Opt(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }
json::value OptTime(const std::optional<std::int64_t>& t) {
  return t ? json::value(clock::FormatRfc3339(*t)) : json::value(nullptr);
}
json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.push_back(json::value(s));
  return a;
}

json::object ToJson(const Registration& r) {
  json::object o{{"id", r.id},
                 {"event_id", r.event_id},
                 {"participant", r.participant},
                 {"status", r.status},
                 {"user_id", Opt(r.user_id)},
                 {"name", Opt(r.name)},
                 {"client_code", Opt(r.client_code)},
                 {"centre_id", r.centre_id},
                 {"from_waitlist", r.from_waitlist},
                 {"offer_expires_at", OptTime(r.offer_expires_at)},
                 {"cancel_reason", r.cancel_reason.empty() ? json::value(nullptr) : json::value(r.cancel_reason)},
                 {"certificate_number", Opt(r.certificate_number)},
                 {"created_at", clock::FormatRfc3339(r.created_at)},
                 {"updated_at", clock::FormatRfc3339(r.updated_at)}};
  o["position"] = r.position ? json::value(*r.position) : json::value(nullptr);
  return o;
}

json::object ToJson(const Event& e) {
  json::array sessions;
  for (const auto& s : e.sessions) {
    sessions.push_back(json::object{{"id", s.id},
                                    {"start", s.start},
                                    {"end", s.end},
                                    {"start_utc", clock::FormatRfc3339(s.start_utc)},
                                    {"end_utc", clock::FormatRfc3339(s.end_utc)},
                                    {"place", s.place},
                                    {"online_url", s.online_url}});
  }
  std::int64_t free = std::max<std::int64_t>(0, e.capacity - e.counts.confirmed - e.counts.offered);
  return json::object{{"id", e.id},
                      {"kind", e.kind},
                      {"title", e.title},
                      {"description", e.description},
                      {"organiser_centre_id", e.organiser_centre_id},
                      {"organiser_name", e.organiser_name},
                      {"status", e.status},
                      {"languages", Strings(e.languages)},
                      {"topics", Strings(e.topics)},
                      {"capacity", e.capacity},
                      {"registration_deadline", e.registration_deadline},
                      {"audience", e.audience},
                      {"audience_state", Opt(e.audience_state)},
                      {"partner", e.partner},
                      {"knowledge_ids", Strings(e.knowledge_ids)},
                      {"offer_hours", e.offer_hours},
                      {"sequence", e.sequence},
                      {"cancel_reason", e.cancel_reason},
                      {"sessions", std::move(sessions)},
                      {"confirmed", e.counts.confirmed},
                      {"offered", e.counts.offered},
                      {"waitlisted", e.counts.waitlisted},
                      {"head_count", e.counts.head_count},
                      {"seats_left", e.counts.waitlisted > 0 ? 0 : free},
                      {"created_at", clock::FormatRfc3339(e.created_at)},
                      {"updated_at", clock::FormatRfc3339(e.updated_at)}};
}

json::object ToJson(const EventView& v) {
  json::object o = ToJson(v.event);
  o["can_manage"] = v.can_manage;
  o["can_register_self"] = v.can_register_self;
  o["can_register_clients"] = v.can_register_clients;
  o["my_registration"] = v.mine ? json::value(ToJson(*v.mine)) : json::value(nullptr);
  return o;
}

Result<void> OnlyParams(const http::Request& req, std::initializer_list<std::string_view> allowed) {
  std::vector<FieldError> errors;
  for (const auto& [k, v] : req.query) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) errors.push_back({k.substr(0, 64), "unknown query parameter"});
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return {};
}

http::Response Calendar(std::string body, std::string_view filename) {
  http::Response r;
  r.content_type = "text/calendar; charset=utf-8";
  r.body = std::move(body);
  r.With("Content-Disposition", "inline; filename=\"" + std::string(filename) + "\"");
  r.With("Cache-Control", "no-store");
  return r;
}

json::object Schema(std::string_view text) { return json::parse(text).as_object(); }

constexpr std::string_view kEventSchema = R"({"type":"object","properties":{
 "id":{"type":"string"},"kind":{"type":"string"},"title":{"type":"string"},"status":{"enum":["draft","published","cancelled","completed"]},
 "languages":{"type":"array","items":{"type":"string"}},"capacity":{"type":"integer"},"registration_deadline":{"type":"string","format":"date"},
 "audience":{"enum":["advisors","state","public"]},"sequence":{"type":"integer"},
 "sessions":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"},"start":{"type":"string"},"end":{"type":"string"}}}},
 "confirmed":{"type":"integer"},"offered":{"type":"integer"},"waitlisted":{"type":"integer"},"seats_left":{"type":"integer"}}})";
constexpr std::string_view kRegistrationSchema = R"({"type":"object","properties":{
 "id":{"type":"string"},"status":{"enum":["confirmed","waitlisted","offered","cancelled","attended","no_show"]},
 "position":{"type":["integer","null"]},"offer_expires_at":{"type":["string","null"],"format":"date-time"}}})";

}  // namespace

void RegisterRoutes(http::Router& router, Service& service) {
  const std::vector<Role> kStaff = {Role::kAdvisor, Role::kCentreLead, Role::kStateCoordinator, Role::kCompetenceCentre,
                                    Role::kProgramme, Role::kAdmin};

  // Literal paths first: the router takes the first pattern that matches.
  auto& notifications = router.Get("/api/v1/events/notifications", [&service](http::Request& req) -> Result<http::Response> {
    auto list = FD_TRY(service.Notifications(req.User()));
    json::array items;
    for (const auto& n : list) {
      items.push_back(json::object{{"id", n.id}, {"event_id", n.event_id}, {"event_title", n.event_title},
                                   {"kind", n.kind}, {"created_at", clock::FormatRfc3339(n.created_at)}, {"read", n.read}});
    }
    return http::Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  notifications.doc = {"The caller's event notifications (offers, expiries, cancellations), newest first", "events"};

  auto& read = router.Post("/api/v1/events/notifications/read", [&service](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(service.MarkNotificationsRead(req.User()));
    return http::Response::NoContent();
  });
  read.json_body = false;
  read.doc = {"Marks the caller's event notifications as read", "events", nullptr, nullptr, {}, 204};

  auto& report = router.Get("/api/v1/events/report", [&service](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(OnlyParams(req, {"from", "to", "state", "centre"}));
    ReportFilter f{req.Query("from"), req.Query("to"), req.Query("centre"), req.Query("state")};
    auto r = FD_TRY(service.ReportCounts(req.User(), f));
    json::array rows, heads;
    for (const auto& x : r.rows) {
      rows.push_back(json::object{{"month", x.month}, {"organiser_centre_id", x.organiser_centre_id}, {"state", x.state},
                                  {"kind", x.kind}, {"events", x.events}, {"sessions", x.sessions},
                                  {"registrations", x.registrations}, {"attended", x.attended},
                                  {"no_shows", x.no_shows}, {"waitlisted", x.waitlisted}});
    }
    for (const auto& x : r.head_counts) {
      heads.push_back(json::object{{"month", x.month}, {"organiser_centre_id", x.organiser_centre_id}, {"state", x.state},
                                   {"language", x.language}, {"gender", x.gender}, {"count", x.count}});
    }
    return http::Response::Json(json::object{{"rows", std::move(rows)}, {"head_counts", std::move(heads)}});
  });
  report.slow = true;
  report.roles = {Role::kCentreLead, Role::kStateCoordinator, Role::kCompetenceCentre, Role::kProgramme, Role::kAdmin};
  report.doc = {"Counts for reporting: events, sessions, registrations, attendance, waiting list per month, organiser, "
                "state and kind; head counts by language and gender",
                "events", nullptr, nullptr, {"from", "to", "state", "centre"}};

  auto& feed_get = router.Get("/api/v1/events/calendar-feed", [&service](http::Request& req) -> Result<http::Response> {
    bool has = FD_TRY(service.HasFeedToken(req.User()));
    return http::Response::Json(json::object{{"active", has}});
  });
  feed_get.doc = {"Whether the caller has a calendar feed (the token itself is shown only when created)", "events"};

  auto& feed_new = router.Post("/api/v1/events/calendar-feed", [&service](http::Request& req) -> Result<http::Response> {
    std::string token = FD_TRY(service.RotateFeedToken(req.User()));
    return http::Response::Json(json::object{{"token", token},
                                             {"registrations_path", "/api/v1/calendar/" + token + "/registrations.ics"},
                                             {"events_path", "/api/v1/calendar/" + token + "/events.ics"}},
                                201);
  });
  feed_new.json_body = false;
  feed_new.doc = {"Creates the caller's calendar feed, or replaces it (the old link stops working). The links carry a "
                  "secret token, not the session.",
                  "events", nullptr, nullptr, {}, 201};

  auto& feed_del = router.Delete("/api/v1/events/calendar-feed", [&service](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(service.RevokeFeedToken(req.User()));
    return http::Response::NoContent();
  });
  feed_del.doc = {"Revokes the caller's calendar feed", "events", nullptr, nullptr, {}, 204};

  for (std::string scope : {"registrations", "events"}) {
    auto& feed = router.Get("/api/v1/calendar/{token}/" + scope + ".ics",
                            [&service, scope](http::Request& req) -> Result<http::Response> {
                              auto ics = FD_TRY(service.Feed(req.Param("token"), scope));
                              return Calendar(std::move(ics), scope + ".ics");
                            });
    feed.access = http::Access::kPublic;
    feed.doc = {scope == "registrations" ? "iCalendar feed of the token owner's registrations"
                                         : "iCalendar feed of every published event the token owner may see",
                "events"};
  }

  auto& pub_feed = router.Get("/api/v1/public/events/calendar.ics", [&service](http::Request&) -> Result<http::Response> {
    return Calendar(FD_TRY(service.PublicFeed()), "events.ics");
  });
  pub_feed.access = http::Access::kPublic;
  pub_feed.doc = {"iCalendar feed of the published public events", "events"};

  auto& verify = router.Get("/api/v1/public/certificates/{code}", [&service](http::Request& req) -> Result<http::Response> {
    auto c = FD_TRY(service.Verify(req.Param("code")));
    return http::Response::Json(json::object{{"valid", true},
                                             {"number", c.number},
                                             {"name", c.name},
                                             {"event_title", c.event_title},
                                             {"organiser", c.organiser_name},
                                             {"dates", Strings(c.dates)},
                                             {"issued_at", clock::FormatRfc3339(c.issued_at)}});
  });
  verify.access = http::Access::kPublic;
  verify.doc = {"Checks a certificate of attendance by its verification code (404 when unknown)", "events"};

  auto& list = router.Get("/api/v1/events", [&service](http::Request& req) -> Result<http::Response> {
    FD_TRY_VOID(OnlyParams(req, {"scope", "status", "limit", "cursor"}));
    ListFilter f;
    std::vector<FieldError> errors;
    if (auto v = req.Query("scope")) {
      if (std::find(std::begin(kScopes), std::end(kScopes), *v) == std::end(kScopes)) {
        errors.push_back({"scope", "must be upcoming, past, mine, organised or all"});
      }
      f.scope = *v;
    }
    if (auto v = req.Query("status")) {
      if (std::find(std::begin(kEventStatuses), std::end(kEventStatuses), *v) == std::end(kEventStatuses)) {
        errors.push_back({"status", "is not an event status"});
      }
      f.status = *v;
    }
    if (auto v = req.Query("limit")) {
      auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), f.limit);
      if (ec != std::errc{} || end != v->data() + v->size() || f.limit < 1 || f.limit > 200) {
        errors.push_back({"limit", "must be an integer from 1 to 200"});
      }
    }
    f.cursor = req.Query("cursor").value_or("");
    if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    auto page = FD_TRY(service.List(req.User(), f));
    json::array items;
    for (const auto& e : page.items) items.push_back(ToJson(e));
    return http::Response::Json(json::object{
        {"items", std::move(items)},
        {"next_cursor", page.next_cursor ? json::value(*page.next_cursor) : json::value(nullptr)}});
  });
  list.doc = {"Events the caller may see, by first session. scope: upcoming (default), past, mine (registered), "
              "organised (the caller's centre), all",
              "events", nullptr, nullptr, {"scope", "status", "limit", "cursor"}};

  auto& create = router.Post("/api/v1/events", [&service](http::Request& req) -> Result<http::Response> {
    auto fields = FD_TRY(kEventBody.Parse(req.body));
    auto e = FD_TRY(service.Create(req.User(), fields));
    auto r = http::Response::Json(ToJson(e), 201);
    r.With("Location", "/api/v1/events/" + e.id);
    return r;
  });
  create.doc = {"Creates an event as a draft. Session times are local (Europe/Berlin); a time that does not exist "
                "(the hour skipped when the clocks go forward) is refused.",
                "events", kEventBody.Schema(), Schema(kEventSchema), {}, 201};

  auto& get = router.Get("/api/v1/events/{id}", [&service](http::Request& req) -> Result<http::Response> {
    return http::Response::Json(ToJson(FD_TRY(service.Get(req.User(), req.Param("id")))));
  });
  get.doc = {"One event, with the caller's registration and what the caller may do", "events", nullptr, Schema(kEventSchema)};

  auto& patch = router.Patch("/api/v1/events/{id}", [&service](http::Request& req) -> Result<http::Response> {
    auto value = FD_TRY(ParseJsonBody(req.body));
    auto fields = FD_TRY(service.Fields(req.User(), req.Param("id")));
    FD_TRY(kEventBody.Apply(value, fields));
    return http::Response::Json(ToJson(FD_TRY(service.Update(req.User(), req.Param("id"), fields))));
  });
  patch.doc = {"Changes an event (the fields sent). Raises the calendar SEQUENCE; a capacity increase offers the new "
               "seats to the waiting list at once; a capacity below the seats taken is refused.",
               "events", kEventBody.Schema(body::Mode::kPatch), Schema(kEventSchema)};

  auto& publish = router.Post("/api/v1/events/{id}/publish", [&service](http::Request& req) -> Result<http::Response> {
    return http::Response::Json(ToJson(FD_TRY(service.Publish(req.User(), req.Param("id")))));
  });
  publish.json_body = false;
  publish.doc = {"Publishes a draft", "events", nullptr, Schema(kEventSchema)};

  auto& cancel = router.Post("/api/v1/events/{id}/cancel", [&service](http::Request& req) -> Result<http::Response> {
    CancelBody b;
    if (!req.body.empty()) b = FD_TRY(kCancelBody.Parse(req.body));
    return http::Response::Json(ToJson(FD_TRY(service.Cancel(req.User(), req.Param("id"), b.reason))));
  });
  cancel.doc = {"Cancels an event: every registrant is notified; it stays in calendars with STATUS:CANCELLED", "events",
                kCancelBody.Schema(), Schema(kEventSchema)};

  auto& complete = router.Post("/api/v1/events/{id}/complete", [&service](http::Request& req) -> Result<http::Response> {
    return http::Response::Json(ToJson(FD_TRY(service.Complete(req.User(), req.Param("id")))));
  });
  complete.json_body = false;
  complete.doc = {"Marks a held event as completed (ends the waiting list)", "events", nullptr, Schema(kEventSchema)};

  auto& regs = router.Get("/api/v1/events/{id}/registrations", [&service](http::Request& req) -> Result<http::Response> {
    auto list = FD_TRY(service.Participants(req.User(), req.Param("id")));
    json::array items;
    for (const auto& r : list) items.push_back(ToJson(r));
    return http::Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  regs.doc = {"Registrations of an event in list order (organiser; other centres see the clients they registered)",
              "events"};

  auto& reg = router.Post("/api/v1/events/{id}/registrations", [&service](http::Request& req) -> Result<http::Response> {
    RegisterBody b;
    if (!req.body.empty()) b = FD_TRY(kRegisterBody.Parse(req.body));
    auto r = FD_TRY(service.Register(req.User(), req.Param("id"), RegisterInput{b.client_code}));
    return http::Response::Json(ToJson(r), 201);
  });
  reg.doc = {"Registers the signed-in user (trainings, networking meetings) or, with client_code, a client of the "
             "caller's centre (client events). Answers status confirmed, or waitlisted with the position.",
             "events", kRegisterBody.Schema(), Schema(kRegistrationSchema), {}, 201};

  auto& unreg = router.Delete("/api/v1/events/{id}/registrations/{rid}", [&service](http::Request& req) -> Result<http::Response> {
    return http::Response::Json(ToJson(FD_TRY(service.CancelRegistration(req.User(), req.Param("id"), req.Param("rid")))));
  });
  unreg.doc = {"Cancels a registration, leaves the waiting list or declines an offer (participant), or cancels it "
               "(organiser); a freed seat is offered to the next person waiting",
               "events", nullptr, Schema(kRegistrationSchema)};

  auto& accept = router.Post("/api/v1/events/{id}/registrations/{rid}/accept",
                             [&service](http::Request& req) -> Result<http::Response> {
                               return http::Response::Json(ToJson(
                                   FD_TRY(service.AcceptOffer(req.User(), req.Param("id"), req.Param("rid")))));
                             });
  accept.json_body = false;
  accept.doc = {"Accepts an offered seat (before it expires)", "events", nullptr, Schema(kRegistrationSchema)};

  auto& decline = router.Post("/api/v1/events/{id}/registrations/{rid}/decline",
                              [&service](http::Request& req) -> Result<http::Response> {
                                return http::Response::Json(ToJson(
                                    FD_TRY(service.DeclineOffer(req.User(), req.Param("id"), req.Param("rid")))));
                              });
  decline.json_body = false;
  decline.doc = {"Declines an offered seat; it passes to the next person", "events", nullptr, Schema(kRegistrationSchema)};

  auto& attendance = router.Put("/api/v1/events/{id}/sessions/{sid}/attendance",
                                [&service](http::Request& req) -> Result<http::Response> {
                                  auto b = FD_TRY(kAttendanceBody.Parse(req.body));
                                  FD_TRY_VOID(service.RecordAttendance(req.User(), req.Param("id"), req.Param("sid"), b.marks));
                                  return http::Response::NoContent();
                                });
  attendance.doc = {"Records attendance of one session (organiser; from one hour before it starts)", "events",
                    kAttendanceBody.Schema(), nullptr, {}, 204};

  auto& att_get = router.Get("/api/v1/events/{id}/attendance", [&service](http::Request& req) -> Result<http::Response> {
    json::array items;
    for (const auto& a : FD_TRY(service.AttendanceOf(req.User(), req.Param("id")))) {
      items.push_back(json::object{{"registration_id", a.registration_id}, {"session_id", a.session_id}, {"status", a.status}});
    }
    return http::Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  att_get.doc = {"Attendance of every session (organiser)", "events"};

  auto& heads = router.Put("/api/v1/events/{id}/head-counts", [&service](http::Request& req) -> Result<http::Response> {
    auto b = FD_TRY(kHeadCountsBody.Parse(req.body));
    FD_TRY_VOID(service.SetHeadCounts(req.User(), req.Param("id"), b.counts));
    return http::Response::NoContent();
  });
  heads.doc = {"Replaces the anonymous head counts (by language and gender, optionally per session) of a client event",
               "events", kHeadCountsBody.Schema(), nullptr, {}, 204};

  auto& heads_get = router.Get("/api/v1/events/{id}/head-counts", [&service](http::Request& req) -> Result<http::Response> {
    json::array items;
    for (const auto& h : FD_TRY(service.HeadCounts(req.User(), req.Param("id")))) {
      items.push_back(json::object{{"session_id", Opt(h.session_id)}, {"language", h.language}, {"gender", h.gender},
                                   {"count", h.count}});
    }
    return http::Response::Json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  heads_get.doc = {"Head counts of an event", "events"};

  auto& cert = router.Get("/api/v1/events/{id}/registrations/{rid}/certificate.pdf",
                          [&service](http::Request& req) -> Result<http::Response> {
                            auto file = FD_TRY(service.CertificatePdf(req.User(), req.Param("id"), req.Param("rid")));
                            http::Response r;
                            r.content_type = "application/pdf";
                            r.body = std::move(file.pdf);
                            r.With("Content-Disposition",
                                   "attachment; filename=\"Teilnahmebescheinigung-" + file.certificate.number + ".pdf\"");
                            r.With("X-Certificate-Number", file.certificate.number);
                            r.With("Cache-Control", "no-store");
                            return r;
                          });
  cert.slow = true;
  cert.doc = {"Certificate of attendance (PDF) of a training, for the participant or the organiser; numbered on first "
              "issue, with a public verification code",
              "events", nullptr, json::object{{"type", "string"}, {"format", "binary"}}};

  auto& ics = router.Get("/api/v1/events/{id}/calendar.ics", [&service](http::Request& req) -> Result<http::Response> {
    return Calendar(FD_TRY(service.EventCalendar(req.User(), req.Param("id"))), "event.ics");
  });
  ics.doc = {"The event as iCalendar (one VEVENT per session)", "events"};
  (void)kStaff;
}

}  // namespace fairdesk::events
