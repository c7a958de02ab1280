// Demo content for `serve --demo`: a published training with a few seats left, a full networking
// meeting with a waiting list, a past workshop in a language course with head counts and
// attendance, and a cancelled information event. Times are relative to today, so the demo looks
// the same whenever it is loaded.

#include <fmt/format.h>

#include "audit/audit.hpp"
#include "events/berlin_time.hpp"
#include "events/service.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"
#include "platform/crypto/crypto.hpp"

namespace fairdesk::events {
namespace {

// A local time `days` from today at hh:mm, skipping the night the clocks change.
SessionSlot Slot(int days, int from_h, int to_h, std::string place) {
  Date today = *Date::Parse(clock::TodayIso());
  Date d = today.AddDays(days);
  SessionSlot s;
  s.id = crypto::NewId("ses");
  s.start = LocalTime{d.year(), d.month(), d.day(), from_h, 0}.ToString();
  s.end = LocalTime{d.year(), d.month(), d.day(), to_h, 0}.ToString();
  s.start_utc = *ToUtc(*ParseLocalTime(s.start));
  s.end_utc = *ToUtc(*ParseLocalTime(s.end));
  s.place = std::move(place);
  return s;
}

std::string DayFromToday(int days) { return Date::Parse(clock::TodayIso())->AddDays(days).ToString(); }

}  // namespace

Status Service::SeedDemo() {
  std::int64_t now = clock::NowUnix();
  return database_.Write([&](db::Session& s) -> Status {
    if (FD_TRY(store_.CountEvents(s)) > 0) return {};
    auto id_of = [&](std::string_view email) -> Result<std::string> {
      auto id = FD_TRY(store_.UserIdByEmail(s, email));
      if (!id) return Fail(Error::Internal("events demo: demo user missing"));
      return *id;
    };
    std::string fachstelle = FD_TRY(id_of("fachstelle@example.org"));
    std::string advisor_be = FD_TRY(id_of("advisor.berlin@example.org"));
    std::string advisor_by = FD_TRY(id_of("advisor.bayern@example.org"));
    std::string lead_be = FD_TRY(id_of("lead.berlin@example.org"));
    std::string coord_be = FD_TRY(id_of("coordinator.berlin@example.org"));
    std::int64_t seq = 0;
    auto make = [&](std::string kind, std::string title, std::string centre, std::string status, std::int64_t capacity,
                    int deadline_days, std::vector<SessionSlot> sessions) {
      Event e;
      e.id = crypto::NewId("evt");
      e.kind = std::move(kind);
      e.title = std::move(title);
      e.organiser_centre_id = std::move(centre);
      e.status = std::move(status);
      e.capacity = capacity;
      e.registration_deadline = DayFromToday(deadline_days);
      e.audience = "advisors";
      e.offer_hours = 48;
      e.sequence = 1;
      e.created_by = fachstelle;
      e.created_at = e.updated_at = now;
      e.sessions = std::move(sessions);
      return e;
    };
    auto reg = [&](const Event& e, std::optional<std::string> user, std::optional<std::pair<std::string, std::string>> client,
                   std::string status, std::string centre) -> Result<Registration> {
      Registration r;
      r.id = crypto::NewId("reg");
      r.event_id = e.id;
      r.participant = user ? "user" : "client";
      r.user_id = user;
      if (client) {
        r.client_id = client->first;
        r.client_code = client->second;
      }
      r.centre_id = std::move(centre);
      r.status = std::move(status);
      r.queue_seq = ++seq;
      r.created_at = r.updated_at = now;
      FD_TRY_VOID(store_.InsertRegistration(s, r));
      return r;
    };

    // 1. A two-day training of the Competence Centre: 6 seats, 4 taken.
    Event training = make("training", "Arbeitsrecht kompakt: Mindestlohn, Kündigung, Fristen", "centre-fachstelle",
                          "published", 6, 20,
                          {Slot(21, 9, 16, "Kompetenzstelle, Raum 2.14, Berlin"), Slot(22, 9, 13, "Kompetenzstelle, Raum 2.14, Berlin")});
    training.description = "Grundlagen und Fallbeispiele für Beraterinnen und Berater der Beratungsstellen.";
    training.languages = {"de"};
    training.topics = {"minimum_wage", "dismissal"};
    FD_TRY_VOID(store_.InsertEvent(s, training));
    FD_TRY(reg(training, advisor_be, std::nullopt, "confirmed", "centre-be-1"));
    FD_TRY(reg(training, advisor_by, std::nullopt, "confirmed", "centre-by-1"));
    FD_TRY(reg(training, lead_be, std::nullopt, "confirmed", "centre-be-1"));
    FD_TRY(reg(training, coord_be, std::nullopt, "confirmed", ""));

    // 2. A full networking meeting (online) with a waiting list.
    Event meeting = make("networking_meeting", "Austauschtreffen Ost: Saisonarbeit und Unterkunft", "centre-fachstelle",
                         "published", 2, 9, {Slot(10, 14, 16, "")});
    meeting.sessions.front().online_url = "https://meet.example.org/austausch-ost";
    meeting.languages = {"de"};
    meeting.topics = {"seasonal_work"};
    FD_TRY_VOID(store_.InsertEvent(s, meeting));
    FD_TRY(reg(meeting, advisor_by, std::nullopt, "confirmed", "centre-by-1"));
    FD_TRY(reg(meeting, lead_be, std::nullopt, "confirmed", "centre-be-1"));
    FD_TRY(reg(meeting, coord_be, std::nullopt, "waitlisted", ""));

    // 3. A past workshop of the Berlin centre inside an integration course, with head counts
    // and the attendance of the clients it registered.
    Event workshop = make("workshop", "Deine Rechte bei der Arbeit (Integrationskurs B1)", "centre-be-1", "completed", 25,
                          -15, {Slot(-14, 10, 12, "Sprachschule Wedding, Kursraum 3")});
    workshop.languages = {"de", "ar", "uk"};
    workshop.topics = {"wages", "working_time"};
    workshop.partner = "Sprachschule Wedding (Integrationskursträger)";
    workshop.created_by = lead_be;
    FD_TRY_VOID(store_.InsertEvent(s, workshop));
    FD_TRY_VOID(store_.ReplaceHeadCounts(s, workshop.id,
                                         {{std::nullopt, "ar", "female", 6},
                                          {std::nullopt, "ar", "male", 5},
                                          {std::nullopt, "uk", "female", 7},
                                          {std::nullopt, "uk", "male", 2},
                                          {std::nullopt, "de", "diverse", 1}},
                                         lead_be, now));
    for (const auto& client : FD_TRY(store_.SomeClients(s, "centre-be-1", 2))) {
      auto r = FD_TRY(reg(workshop, std::nullopt, client, "attended", "centre-be-1"));
      FD_TRY_VOID(store_.UpsertAttendance(s, {r.id, workshop.sessions.front().id, "attended"}, lead_be, now));
    }

    // 4. A cancelled information event (stays in calendars as cancelled).
    Event info = make("information_event", "Infoabend: Minijob und Mindestlohn", "centre-be-1", "cancelled", 40, 5,
                      {Slot(6, 18, 20, "Beratungsstelle Berlin, Saal")});
    info.languages = {"de", "ar", "fa"};
    info.audience = "public";
    info.cancel_reason = "Referentin erkrankt";
    info.sequence = 2;
    info.created_by = lead_be;
    FD_TRY_VOID(store_.InsertEvent(s, info));
    return audit::RecordSystem(s, audit::kCreate, "event", "demo");
  });
}

}  // namespace fairdesk::events
