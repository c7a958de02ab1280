#include "events/service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "audit/audit.hpp"
#include "events/berlin_time.hpp"
#include "events/ical.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"
#include "platform/crypto/crypto.hpp"
#include "platform/crypto/keyring.hpp"
#include "platform/db/job_stats.hpp"
#include "platform/log/log.hpp"
#include "platform/pdf/pdf.hpp"

namespace fairdesk::events {

bool IsAdvisorKind(std::string_view kind) { return kind == "training" || kind == "networking_meeting"; }

namespace {
constexpr std::string_view kPublicTable = "event_public_registrants";
}  // namespace

std::vector<crypto::EncryptedColumn> EncryptedColumns() {
  std::vector<crypto::EncryptedColumn> out;
  for (auto col : {"name_enc", "email_enc", "token_enc"}) {
    out.push_back({std::string(kPublicTable), "registration_id", col, crypto::EncryptedColumn::Encoding::kBase64Text});
  }
  return out;
}

namespace {

template <std::size_t N>
bool In(const std::string_view (&set)[N], std::string_view v) {
  return std::find(std::begin(set), std::end(set), v) != std::end(set);
}

bool SeesAll(const Principal& p) {
  return p.role == Role::kCompetenceCentre || p.role == Role::kProgramme || p.role == Role::kAdmin;
}

bool MayOrganiseKind(const Principal& p, std::string_view kind) {
  if (!p.centre_id) return false;
  if (p.role == Role::kCompetenceCentre || p.role == Role::kCentreLead) return true;
  return p.role == Role::kAdvisor && !IsAdvisorKind(kind);
}

bool CanManage(const Principal& p, const Event& e) {
  return p.centre_id && *p.centre_id == e.organiser_centre_id && MayOrganiseKind(p, e.kind);
}

bool CanSee(const Principal& p, const Event& e) {
  bool organiser = p.centre_id && *p.centre_id == e.organiser_centre_id;
  if (e.status == "draft") return organiser;
  if (e.audience == "state") return organiser || SeesAll(p) || (p.state && e.audience_state == p.state);
  return true;
}

bool CanRegisterSelf(const Principal& p, const Event& e) {
  return IsAdvisorKind(e.kind) && p.role != Role::kProgramme && p.role != Role::kAdmin;
}

bool CanRegisterClients(const Principal& p, const Event& e) {
  return !IsAdvisorKind(e.kind) && HasCaseAccess(p.role) && p.centre_id.has_value();
}

bool IsLive(const Registration& r) { return r.status != "cancelled" && r.status != "pending"; }
bool HoldsSeat(const Registration& r) {
  return r.status == "confirmed" || r.status == "attended" || r.status == "no_show" || r.status == "offered";
}

// Registrations close at the end of the deadline day (Berlin).
bool DeadlinePassed(const Event& e, std::int64_t now) {
  auto end = EndOfLocalDay(e.registration_deadline);
  return !end || now >= *end;
}

std::string MonthOf(std::int64_t t) { return FromUtc(t).Date().substr(0, 7); }

bool PlainCode(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':';
  });
}

// Checks what the body's declaration cannot: times that exist, order, deadlines, audiences.
Result<std::vector<SessionSlot>> CheckFields(const EventFields& f, std::int64_t now) {
  std::vector<FieldError> errors;
  if (!In(kKinds, f.kind)) errors.push_back({"kind", "is not a known kind"});
  if (f.title.empty() || f.title.size() > 200) errors.push_back({"title", "must have 1 to 200 characters"});
  if (f.capacity < 1 || f.capacity > kMaxCapacity) {
    errors.push_back({"capacity", fmt::format("must be a whole number from 1 to {}", kMaxCapacity)});
  }
  if (f.languages.empty()) errors.push_back({"languages", "must name at least one language"});
  for (std::size_t i = 0; i < f.languages.size(); ++i) {
    if (!In(kLanguages, f.languages[i])) errors.push_back({fmt::format("languages[{}]", i), "is not a known language"});
  }
  for (std::size_t i = 0; i < f.topics.size(); ++i) {
    if (!PlainCode(f.topics[i])) errors.push_back({fmt::format("topics[{}]", i), "must be a topic code"});
  }
  for (std::size_t i = 0; i < f.knowledge_ids.size(); ++i) {
    if (!PlainCode(f.knowledge_ids[i])) errors.push_back({fmt::format("knowledge_ids[{}]", i), "must be an id"});
  }
  if (!In(kAudiences, f.audience)) errors.push_back({"audience", "must be advisors, state or public"});
  if (f.audience == "state" && (!f.audience_state || !In(kStates, *f.audience_state))) {
    errors.push_back({"audience_state", "must name the federal state (BE, BY, …) when the audience is one state"});
  }
  if (f.audience != "state" && f.audience_state) {
    errors.push_back({"audience_state", "is only for the audience state"});
  }
  if (f.offer_hours && (*f.offer_hours < 1 || *f.offer_hours > 336)) {
    errors.push_back({"offer_hours", "must be from 1 to 336 hours"});
  }
  if (f.sessions.empty()) errors.push_back({"sessions", "must have at least one session"});
  if (f.sessions.size() > static_cast<std::size_t>(kMaxSessions)) {
    errors.push_back({"sessions", fmt::format("may have at most {} sessions", kMaxSessions)});
  }
  std::vector<SessionSlot> slots;
  std::optional<std::string> first_day;
  for (std::size_t i = 0; i < f.sessions.size(); ++i) {
    const auto& s = f.sessions[i];
    SessionSlot slot;
    slot.start = s.start;
    slot.end = s.end;
    slot.place = s.place;
    slot.online_url = s.online_url;
    bool ok = true;
    for (auto [name, text, out] : {std::tuple{"start", &s.start, &slot.start_utc}, std::tuple{"end", &s.end, &slot.end_utc}}) {
      std::string field = fmt::format("sessions[{}].{}", i, name);
      auto local = ParseLocalTime(*text);
      if (!local) {
        errors.push_back({field, "must be a local time YYYY-MM-DDTHH:MM (Europe/Berlin) between 2000 and 2100"});
        ok = false;
        continue;
      }
      auto utc = ToUtc(*local);
      if (!utc) {
        errors.push_back({field, "does not exist in Germany: the clocks go forward from 02:00 to 03:00 that night"});
        ok = false;
        continue;
      }
      *out = *utc;
    }
    if (ok && slot.end_utc <= slot.start_utc) {
      errors.push_back({fmt::format("sessions[{}].end", i), "must be after the start"});
    }
    if (ok && slot.end_utc - slot.start_utc > 24 * 3600) {
      errors.push_back({fmt::format("sessions[{}].end", i), "a session may last at most 24 hours"});
    }
    if (!s.online_url.empty() && !s.online_url.starts_with("https://") && !s.online_url.starts_with("http://")) {
      errors.push_back({fmt::format("sessions[{}].online_url", i), "must be an http(s) link"});
    }
    if (ok && (!first_day || s.start.substr(0, 10) < *first_day)) first_day = s.start.substr(0, 10);
    slot.id = "";
    slots.push_back(std::move(slot));
  }
  auto deadline = Date::Parse(f.registration_deadline);
  if (!deadline) {
    errors.push_back({"registration_deadline", "must be a date YYYY-MM-DD"});
  } else if (first_day && f.registration_deadline > *first_day) {
    errors.push_back({"registration_deadline", "must be on or before the day of the first session"});
  }
  (void)now;
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  std::sort(slots.begin(), slots.end(), [](const auto& a, const auto& b) { return a.start_utc < b.start_utc; });
  return slots;
}

std::string NewVerificationCode() {
  // 10 characters of Crockford-like base32 from 50 random bits; unambiguous to read aloud.
  std::string raw = crypto::RandomToken(16);
  std::string b32 = crypto::Base32Encode(raw);
  return b32.substr(0, 5) + "-" + b32.substr(5, 5);
}

}  // namespace

Service::Service(db::Database& database, Options options) : database_(database), options_(std::move(options)) {}

Service::~Service() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (jobs_.joinable()) jobs_.join();
}

std::span<const db::Migration> Service::Migrations() const { return StoreMigrations(); }

// ---- internal helpers on an open write transaction ----

namespace {

struct Tx {
  Store& store;
  db::Session& s;
  std::int64_t now;
};

Status Touch(Tx& t, Event& e) {
  e.sequence += 1;
  e.updated_at = t.now;
  return t.store.UpdateEvent(t.s, e);
}

Status NotifyRegistrant(Tx& t, const Registration& r, std::string_view kind) {
  // A client has no account: the notification goes to whoever registered them (centre staff).
  if (r.user_id) return t.store.Notify(t.s, *r.user_id, r.event_id, kind, t.now);
  // A person registered on the portal: addressed by the registration (mailed only).
  if (r.participant == "public") return t.store.Notify(t.s, r.id, r.event_id, kind, t.now);
  if (r.registered_by) return t.store.Notify(t.s, *r.registered_by, r.event_id, kind, t.now);
  return {};
}

// Offers free seats to the waiting list, in order.
Status Promote(Tx& t, const Event& e) {
  if (e.status != "published" || DeadlinePassed(e, t.now)) return {};
  auto counts = FD_TRY(t.store.CountsOf(t.s, e.id));
  std::int64_t free = e.capacity - counts.confirmed - counts.offered;
  auto deadline_end = EndOfLocalDay(e.registration_deadline).value_or(t.now);
  while (free > 0) {
    auto next = FD_TRY(t.store.NextWaiting(t.s, e.id));
    if (!next) break;
    next->status = "offered";
    next->offer_expires_at = std::min(t.now + e.offer_hours * 3600, deadline_end);
    next->updated_at = t.now;
    FD_TRY_VOID(t.store.UpdateRegistration(t.s, *next));
    FD_TRY_VOID(NotifyRegistrant(t, *next, "offered"));
    FD_TRY_VOID(audit::RecordSystem(t.s, audit::kUpdate, "event_registration", next->id, e.organiser_centre_id));
    --free;
  }
  return {};
}

// Expires the event's offers that ran out, then passes the seats on.
Result<int> ExpireIn(Tx& t, const Event& e) {
  auto expired = FD_TRY(t.store.ExpiredOffers(t.s, e.id, t.now));
  for (auto& r : expired) {
    r.status = "cancelled";
    r.cancel_reason = "offer_expired";
    r.updated_at = t.now;
    FD_TRY_VOID(t.store.UpdateRegistration(t.s, r));
    FD_TRY_VOID(NotifyRegistrant(t, r, "offer_expired"));
    FD_TRY_VOID(audit::RecordSystem(t.s, audit::kUpdate, "event_registration", r.id, e.organiser_centre_id));
  }
  if (!expired.empty()) FD_TRY_VOID(Promote(t, e));
  return static_cast<int>(expired.size());
}

Result<Event> LockedEvent(Tx& t, std::string_view id) {
  if (!FD_TRY(t.store.LockEvent(t.s, id))) return Fail(Error::NotFound("No such event."));
  auto e = FD_TRY(t.store.GetEvent(t.s, id));
  if (!e) return Fail(Error::NotFound("No such event."));
  return std::move(*e);
}

// The participant takes the seat they were offered.
Status TakeOffer(Tx& t, Registration& r) {
  if (r.status != "offered") {
    return Fail(Error::Conflict(r.cancel_reason == "offer_expired" ? "The offer has expired."
                                                                     : "There is no open offer for this registration."));
  }
  r.status = "confirmed";
  r.from_waitlist = true;
  r.offer_expires_at.reset();
  r.updated_at = t.now;
  FD_TRY_VOID(t.store.UpdateRegistration(t.s, r));
  return NotifyRegistrant(t, r, "confirmed");
}

// Ends a registration, by the organiser or by the participant (the reason follows from the state
// it was in), tells the registrant (`notify`, if not empty), and offers a freed seat to the next
// person waiting (never back to this one: a new registration would join the end of the list).
Status EndRegistration(Tx& t, const Event& e, Registration& r, bool by_organiser, std::string_view notify) {
  if (r.status == "cancelled") return Fail(Error::Conflict("This registration is already cancelled."));
  if (r.status == "attended" || r.status == "no_show") {
    return Fail(Error::Conflict("Attendance has been recorded for this registration."));
  }
  const std::string before = r.status;
  r.status = "cancelled";
  r.cancel_reason = by_organiser             ? "organiser"
                    : before == "waitlisted" ? "left_list"
                    : before == "offered"    ? "declined"
                                             : "participant";
  r.offer_expires_at.reset();
  r.updated_at = t.now;
  FD_TRY_VOID(t.store.UpdateRegistration(t.s, r));
  if (!notify.empty()) FD_TRY_VOID(NotifyRegistrant(t, r, notify));
  if (before == "confirmed" || before == "offered") FD_TRY_VOID(Promote(t, e));
  return {};
}

Result<int64_t> WaitingPosition(Tx& t, const Registration& r) {
  auto all = FD_TRY(t.store.Registrations(t.s, r.event_id));
  std::int64_t pos = 0;
  for (const auto& x : all) {
    if (x.status == "waitlisted") {
      ++pos;
      if (x.id == r.id) return pos;
    }
  }
  return std::int64_t{0};
}

}  // namespace

// ---- events ----

Result<Event> Service::Create(const Principal& p, const EventFields& f) {
  if (!p.centre_id || !MayOrganiseKind(p, f.kind.empty() ? "training" : f.kind)) {
    if (In(kKinds, f.kind) || f.kind.empty()) return Fail(Error::Forbidden("You may not organise events of this kind."));
  }
  std::int64_t now = clock::NowUnix();
  auto slots = FD_TRY(CheckFields(f, now));
  if (!MayOrganiseKind(p, f.kind)) return Fail(Error::Forbidden("You may not organise events of this kind."));
  if (f.organiser_centre_id && f.organiser_centre_id != p.centre_id) {
    return Fail(Error::Invalid("organiser_centre_id", "must be your own centre"));
  }
  Event e;
  e.id = crypto::NewId("evt");
  e.kind = f.kind;
  e.title = f.title;
  e.description = f.description;
  e.organiser_centre_id = *p.centre_id;
  e.status = "draft";
  e.languages = f.languages;
  e.topics = f.topics;
  e.capacity = f.capacity;
  e.registration_deadline = f.registration_deadline;
  e.audience = f.audience;
  e.audience_state = f.audience_state;
  e.partner = f.partner;
  e.knowledge_ids = f.knowledge_ids;
  e.offer_hours = f.offer_hours.value_or(options_.offer_hours);
  e.created_by = p.user_id;
  e.created_at = e.updated_at = now;
  for (auto& s : slots) s.id = crypto::NewId("ses");
  e.sessions = std::move(slots);
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    FD_TRY_VOID(store_.InsertEvent(s, e));
    return audit::Record(s, p, audit::kCreate, "event", e.id, e.organiser_centre_id);
  }));
  return FD_TRY(Get(p, e.id)).event;
}

Result<EventFields> Service::Fields(const Principal& p, std::string_view id) {
  auto view = FD_TRY(Get(p, id));
  if (!view.can_manage) return Fail(Error::Forbidden("Only the organiser may change this event."));
  const Event& e = view.event;
  EventFields f;
  f.kind = e.kind;
  f.title = e.title;
  f.description = e.description;
  f.organiser_centre_id = e.organiser_centre_id;
  f.languages = e.languages;
  f.topics = e.topics;
  f.capacity = e.capacity;
  f.registration_deadline = e.registration_deadline;
  f.audience = e.audience;
  f.audience_state = e.audience_state;
  f.partner = e.partner;
  f.knowledge_ids = e.knowledge_ids;
  f.offer_hours = e.offer_hours;
  for (const auto& s : e.sessions) f.sessions.push_back(SessionFields{s.start, s.end, s.place, s.online_url});
  return f;
}

Result<Event> Service::Update(const Principal& p, std::string_view id, const EventFields& f) {
  std::int64_t now = clock::NowUnix();
  auto slots = FD_TRY(CheckFields(f, now));
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    Tx t{store_, s, now};
    Event e = FD_TRY(LockedEvent(t, id));
    if (!CanSee(p, e)) return Fail(Error::NotFound("No such event."));
    if (!CanManage(p, e)) return Fail(Error::Forbidden("Only the organiser may change this event."));
    if (e.status == "cancelled" || e.status == "completed") {
      return Fail(Error::Conflict("A cancelled or completed event cannot be changed."));
    }
    if (f.kind != e.kind && e.status != "draft") return Fail(Error::Invalid("kind", "cannot change once published"));
    if (!MayOrganiseKind(p, f.kind)) return Fail(Error::Forbidden("You may not organise events of this kind."));
    if (f.organiser_centre_id && *f.organiser_centre_id != e.organiser_centre_id) {
      return Fail(Error::Invalid("organiser_centre_id", "cannot change"));
    }
    auto counts = FD_TRY(store_.CountsOf(s, e.id));
    if (f.capacity < counts.confirmed + counts.offered) {
      return Fail(Error::Invalid("capacity", fmt::format("must be at least the {} seats already taken or offered",
                                                         counts.confirmed + counts.offered)));
    }
    // Sessions keep their ids (stable calendar UIDs) where their position is unchanged.
    for (std::size_t i = 0; i < slots.size(); ++i) {
      slots[i].id = i < e.sessions.size() ? e.sessions[i].id : crypto::NewId("ses");
    }
    bool sessions_changed = slots.size() != e.sessions.size();
    for (std::size_t i = 0; !sessions_changed && i < slots.size(); ++i) {
      sessions_changed = slots[i].start != e.sessions[i].start || slots[i].end != e.sessions[i].end ||
                         slots[i].place != e.sessions[i].place || slots[i].online_url != e.sessions[i].online_url;
    }
    if (sessions_changed && !FD_TRY(store_.AttendanceOf(s, e.id)).empty()) {
      return Fail(Error::Conflict("Attendance has been taken: the sessions cannot change any more."));
    }
    e.title = f.title;
    e.kind = f.kind;
    e.description = f.description;
    e.languages = f.languages;
    e.topics = f.topics;
    e.capacity = f.capacity;
    e.registration_deadline = f.registration_deadline;
    e.audience = f.audience;
    e.audience_state = f.audience_state;
    e.partner = f.partner;
    e.knowledge_ids = f.knowledge_ids;
    e.offer_hours = f.offer_hours.value_or(e.offer_hours);
    e.sessions = slots;
    FD_TRY_VOID(Touch(t, e));
    if (sessions_changed) FD_TRY_VOID(store_.ReplaceSessions(s, e.id, e.sessions));
    if (e.status == "published") {
      for (const auto& r : FD_TRY(store_.Registrations(s, e.id))) {
        if (IsLive(r) && sessions_changed) FD_TRY_VOID(NotifyRegistrant(t, r, "event_changed"));
      }
      // A capacity increase offers the new seats at once.
      FD_TRY_VOID(Promote(t, e));
    }
    return audit::Record(s, p, audit::kUpdate, "event", e.id, e.organiser_centre_id);
  }));
  Kick();
  return FD_TRY(Get(p, id)).event;
}

namespace {

// One step of an event's lifecycle (publish, cancel, complete) in one write transaction: the
// event locked, visible to and managed by the caller, changed by `step`, touched and audited.
template <typename Step>
Status LifecycleStep(db::Database& database, Store& store, const Principal& p, std::string_view id,
                     std::string_view action, Step step) {
  return database.Write([&](db::Session& s) -> Status {
    Tx t{store, s, clock::NowUnix()};
    Event e = FD_TRY(LockedEvent(t, id));
    if (!CanSee(p, e)) return Fail(Error::NotFound("No such event."));
    if (!CanManage(p, e)) return Fail(Error::Forbidden(fmt::format("Only the organiser may {} this event.", action)));
    FD_TRY_VOID(step(t, e));
    FD_TRY_VOID(Touch(t, e));
    return audit::Record(s, p, audit::kUpdate, "event", e.id, e.organiser_centre_id);
  });
}

}  // namespace

Result<Event> Service::Publish(const Principal& p, std::string_view id) {
  FD_TRY_VOID(LifecycleStep(database_, store_, p, id, "publish", [](Tx&, Event& e) -> Status {
    if (e.status != "draft") return Fail(Error::Conflict("Only a draft can be published."));
    e.status = "published";
    return {};
  }));
  return FD_TRY(Get(p, id)).event;
}

Result<Event> Service::Cancel(const Principal& p, std::string_view id, std::string_view reason) {
  FD_TRY_VOID(LifecycleStep(database_, store_, p, id, "cancel", [&](Tx& t, Event& e) -> Status {
    if (e.status == "cancelled" || e.status == "completed") {
      return Fail(Error::Conflict("This event is already cancelled or completed."));
    }
    const bool was_published = e.status == "published";
    e.status = "cancelled";
    e.cancel_reason = std::string(reason);
    // Every registrant is told; registrations stay (the event stays in calendars as cancelled).
    if (was_published) {
      for (const auto& r : FD_TRY(t.store.Registrations(t.s, e.id))) {
        if (IsLive(r)) FD_TRY_VOID(NotifyRegistrant(t, r, "event_cancelled"));
      }
    }
    return {};
  }));
  Kick();
  return FD_TRY(Get(p, id)).event;
}

Result<Event> Service::Complete(const Principal& p, std::string_view id) {
  FD_TRY_VOID(LifecycleStep(database_, store_, p, id, "complete", [](Tx& t, Event& e) -> Status {
    if (e.status != "published") return Fail(Error::Conflict("Only a published event can be completed."));
    if (!e.sessions.empty() && e.sessions.front().start_utc > t.now) {
      return Fail(Error::Conflict("An event that has not started cannot be completed."));
    }
    e.status = "completed";
    // Offers and the waiting list end with the event.
    for (auto r : FD_TRY(t.store.Registrations(t.s, e.id))) {
      if (r.status == "waitlisted" || r.status == "offered") {
        r.status = "cancelled";
        r.cancel_reason = "event_completed";
        r.updated_at = t.now;
        FD_TRY_VOID(t.store.UpdateRegistration(t.s, r));
      }
    }
    return {};
  }));
  return FD_TRY(Get(p, id)).event;
}

Result<EventView> Service::Get(const Principal& p, std::string_view id) {
  std::int64_t now = clock::NowUnix();
  // Lazy expiry: a read never shows an offer that has run out.
  bool has_expired = false;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    has_expired = !FD_TRY(store_.ExpiredOffers(s, id, now)).empty();
    return {};
  }));
  if (has_expired) {
    FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
      Tx t{store_, s, now};
      Event e = FD_TRY(LockedEvent(t, id));
      FD_TRY(ExpireIn(t, e));
      return {};
    }));
    Kick();
  }
  EventView v;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    auto e = FD_TRY(store_.GetEvent(s, id));
    if (!e || !CanSee(p, *e)) return Fail(Error::NotFound("No such event."));
    v.event = std::move(*e);
    v.mine = FD_TRY(store_.LiveRegistrationOfUser(s, id, p.user_id));
    if (v.mine && v.mine->status == "waitlisted") {
      Tx t{store_, s, now};
      v.mine->position = FD_TRY(WaitingPosition(t, *v.mine));
    }
    return {};
  }));
  v.can_manage = CanManage(p, v.event);
  v.can_register_self = CanRegisterSelf(p, v.event);
  v.can_register_clients = CanRegisterClients(p, v.event);
  return v;
}

Result<EventPage> Service::List(const Principal& p, const ListFilter& f) {
  std::int64_t now = clock::NowUnix();
  FD_TRY(ExpireOffers());  // lazy expiry across events (cheap when nothing expired)
  ListQuery q;
  q.viewer = Viewer{p.centre_id, p.state, SeesAll(p)};
  q.limit = f.limit + 1;
  q.status = f.status;
  if (f.scope == "upcoming") q.ends_after = now;
  if (f.scope == "past") q.ends_before = now;
  if (f.scope == "mine") q.registered_user = p.user_id;
  if (f.scope == "organised") q.organised_only = true;
  if (!f.cursor.empty()) {
    auto dot = f.cursor.find('.');
    std::int64_t t = 0;
    if (dot == std::string::npos ||
        std::from_chars(f.cursor.data(), f.cursor.data() + dot, t).ec != std::errc{} || f.cursor.size() > 100) {
      return Fail(Error::Invalid("cursor", "is not a valid cursor"));
    }
    q.after = std::pair{t, f.cursor.substr(dot + 1)};
  }
  EventPage page;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    page.items = FD_TRY(store_.ListEvents(s, q));
    return {};
  }));
  if (static_cast<int>(page.items.size()) > f.limit) {
    page.items.resize(f.limit);
    const auto& last = page.items.back();
    page.next_cursor = fmt::format("{}.{}", last.sessions.empty() ? 0 : last.sessions.front().start_utc, last.id);
  }
  return page;
}

// ---- registrations ----

Result<Registration> Service::Register(const Principal& p, std::string_view event_id, const RegisterInput& in) {
  std::int64_t now = clock::NowUnix();
  Registration r;
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    Tx t{store_, s, now};
    // The event row is locked first: concurrent registrations for the same event queue here, so
    // the count below is exact when the new row is written.
    Event e = FD_TRY(LockedEvent(t, event_id));
    if (!CanSee(p, e)) return Fail(Error::NotFound("No such event."));
    FD_TRY(ExpireIn(t, e));
    if (e.status != "published") return Fail(Error::Conflict("Registration is only open for published events."));
    if (DeadlinePassed(e, now)) {
      return Fail(Error::Invalid("registration_deadline",
                                 "registration closed at the end of " + e.registration_deadline));
    }
    r.id = crypto::NewId("reg");
    r.event_id = e.id;
    r.created_at = r.updated_at = now;
    r.registered_by = p.user_id;
    if (in.client_code) {
      if (!CanRegisterClients(p, e)) {
        return Fail(Error::Invalid("client_code", "clients are registered only for client events, by centre staff"));
      }
      auto client = FD_TRY(store_.ClientByCode(s, *p.centre_id, *in.client_code));
      if (!client) return Fail(Error::Invalid("client_code", "is not a client of your centre"));
      if (FD_TRY(store_.LiveRegistrationOfClient(s, e.id, *client))) {
        return Fail(Error::Conflict("This client is already registered."));
      }
      r.participant = "client";
      r.client_id = *client;
      r.client_code = *in.client_code;
      r.centre_id = *p.centre_id;
      r.user_id = std::nullopt;
    } else {
      if (!CanRegisterSelf(p, e)) {
        return Fail(Error::Invalid("client_code", "this event is for clients: register a client by client code"));
      }
      if (FD_TRY(store_.LiveRegistrationOfUser(s, e.id, p.user_id))) {
        return Fail(Error::Conflict("You are already registered or on the waiting list."));
      }
      r.participant = "user";
      r.user_id = p.user_id;
      r.centre_id = p.centre_id.value_or("");
    }
    auto counts = FD_TRY(store_.CountsOf(s, e.id));
    r.queue_seq = FD_TRY(store_.NextQueueSeq(s, e.id));
    // Full while anyone waits or holds an offer: nobody jumps the queue.
    bool seat = counts.waitlisted == 0 && counts.confirmed + counts.offered < e.capacity;
    r.status = seat ? "confirmed" : "waitlisted";
    FD_TRY_VOID(store_.InsertRegistration(s, r));
    if (seat) {
      r.position.reset();
    } else {
      r.position = counts.waitlisted + 1;
    }
    // Advisors registering themselves get a confirmation (in the app and by e-mail); staff who
    // register a client see the result on the spot.
    if (r.participant == "user") FD_TRY_VOID(NotifyRegistrant(t, r, seat ? "registered" : "waitlisted"));
    return audit::Record(s, p, audit::kCreate, "event_registration", r.id, e.organiser_centre_id);
  }));
  Kick();
  return r;
}

Result<Registration> Service::CancelRegistration(const Principal& p, std::string_view event_id, std::string_view id) {
  std::int64_t now = clock::NowUnix();
  Registration r;
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    Tx t{store_, s, now};
    Event e = FD_TRY(LockedEvent(t, event_id));
    if (!CanSee(p, e)) return Fail(Error::NotFound("No such event."));
    auto found = FD_TRY(store_.GetRegistration(s, event_id, id));
    if (!found) return Fail(Error::NotFound("No such registration."));
    r = *found;
    bool own = r.user_id && *r.user_id == p.user_id;
    bool centre_client = r.participant == "client" && p.centre_id && r.centre_id == *p.centre_id && HasCaseAccess(p.role);
    bool organiser = CanManage(p, e);
    if (!own && !centre_client && !organiser) return Fail(Error::NotFound("No such registration."));
    const bool by_organiser = !own && organiser && !centre_client;
    const std::string_view notify = by_organiser                      ? "registration_cancelled"
                                    : own && r.participant == "user" ? "self_cancelled"
                                                                      : "";
    FD_TRY_VOID(EndRegistration(t, e, r, by_organiser, notify));
    return audit::Record(s, p, audit::kUpdate, "event_registration", r.id, e.organiser_centre_id);
  }));
  Kick();
  return r;
}

Result<Registration> Service::AcceptOffer(const Principal& p, std::string_view event_id, std::string_view id) {
  std::int64_t now = clock::NowUnix();
  Registration r;
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    Tx t{store_, s, now};
    Event e = FD_TRY(LockedEvent(t, event_id));
    if (!CanSee(p, e)) return Fail(Error::NotFound("No such event."));
    FD_TRY(ExpireIn(t, e));
    auto found = FD_TRY(store_.GetRegistration(s, event_id, id));
    bool own = found && found->user_id && *found->user_id == p.user_id;
    bool centre_client = found && found->participant == "client" && p.centre_id && found->centre_id == *p.centre_id &&
                         HasCaseAccess(p.role);
    if (!found || (!own && !centre_client)) return Fail(Error::NotFound("No such registration."));
    r = *found;
    FD_TRY_VOID(TakeOffer(t, r));
    return audit::Record(s, p, audit::kUpdate, "event_registration", r.id, e.organiser_centre_id);
  }));
  Kick();
  return r;
}

Result<Registration> Service::DeclineOffer(const Principal& p, std::string_view event_id, std::string_view id) {
  return CancelRegistration(p, event_id, id);
}

Result<std::vector<Registration>> Service::Participants(const Principal& p, std::string_view event_id) {
  FD_TRY(Get(p, event_id));  // visibility and lazy expiry
  std::vector<Registration> out;
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    auto e = FD_TRY(store_.GetEvent(s, event_id));
    if (!e || !CanSee(p, *e)) return Fail(Error::NotFound("No such event."));
    bool organiser = CanManage(p, *e);
    bool centre_staff = HasCaseAccess(p.role) && p.centre_id;
    if (!organiser && !centre_staff) return Fail(Error::Forbidden("Only the organiser sees the participants."));
    std::int64_t pos = 0;
    std::map<std::string, std::string> public_names;
    if (organiser && options_.open) {
      for (const auto& pr : FD_TRY(store_.PublicRegistrantsOf(s, event_id))) {
        if (!pr.name_enc) continue;
        auto name = options_.open(*pr.name_enc, crypto::AssociatedData(kPublicTable, "name_enc", pr.registration_id));
        if (name) public_names[pr.registration_id] = *name;
      }
    }
    for (auto& r : FD_TRY(store_.Registrations(s, event_id))) {
      if (r.status == "pending") continue;  // an e-mail address nobody has confirmed yet
      if (r.status == "waitlisted") r.position = ++pos;
      if (auto it = public_names.find(r.id); it != public_names.end()) r.name = it->second;
      // Other centres see only the clients they registered themselves.
      if (!organiser && !(r.participant == "client" && r.centre_id == *p.centre_id)) continue;
      r.client_id.reset();
      out.push_back(std::move(r));
    }
    return audit::Record(s, p, audit::kRead, "event_registrations", event_id, e->organiser_centre_id);
  }));
  return out;
}

// ---- attendance and head counts ----

Status Service::RecordAttendance(const Principal& p, std::string_view event_id, std::string_view session_id,
                                 const std::vector<Attendance>& marks) {
  std::int64_t now = clock::NowUnix();
  return database_.Write([&](db::Session& s) -> Status {
    Tx t{store_, s, now};
    Event e = FD_TRY(LockedEvent(t, event_id));
    if (!CanSee(p, e)) return Fail(Error::NotFound("No such event."));
    if (!CanManage(p, e)) return Fail(Error::Forbidden("Only the organiser takes attendance."));
    if (e.status != "published" && e.status != "completed") {
      return Fail(Error::Conflict("Attendance is taken for published or completed events."));
    }
    auto session = std::find_if(e.sessions.begin(), e.sessions.end(), [&](const auto& x) { return x.id == session_id; });
    if (session == e.sessions.end()) return Fail(Error::NotFound("No such session."));
    // Check-in opens one hour before the session starts.
    if (session->start_utc - 3600 > now) {
      return Fail(Error::Conflict("Attendance can be taken from one hour before the session starts."));
    }
    auto regs = FD_TRY(store_.Registrations(s, event_id));
    std::vector<FieldError> errors;
    for (std::size_t i = 0; i < marks.size(); ++i) {
      auto r = std::find_if(regs.begin(), regs.end(), [&](const auto& x) { return x.id == marks[i].registration_id; });
      if (r == regs.end() || !(r->status == "confirmed" || r->status == "attended" || r->status == "no_show")) {
        errors.push_back({fmt::format("marks[{}].registration_id", i), "is not a confirmed registration of this event"});
      }
    }
    if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    for (const auto& m : marks) {
      FD_TRY_VOID(store_.UpsertAttendance(s, Attendance{m.registration_id, std::string(session_id), m.status},
                                          p.user_id, now));
    }
    // The registration's status follows its sessions: attended if present at any, no-show if
    // recorded absent at every session taken so far.
    auto all = FD_TRY(store_.AttendanceOf(s, event_id));
    for (auto& r : regs) {
      if (!(r.status == "confirmed" || r.status == "attended" || r.status == "no_show")) continue;
      bool any = false, present = false;
      for (const auto& a : all) {
        if (a.registration_id != r.id) continue;
        any = true;
        present = present || a.status == "attended";
      }
      if (!any) continue;
      std::string next = present ? "attended" : "no_show";
      if (next != r.status) {
        r.status = next;
        r.updated_at = now;
        FD_TRY_VOID(store_.UpdateRegistration(s, r));
      }
    }
    return audit::Record(s, p, audit::kUpdate, "event_attendance", session_id, e.organiser_centre_id);
  });
}

Result<std::vector<Attendance>> Service::AttendanceOf(const Principal& p, std::string_view event_id) {
  auto view = FD_TRY(Get(p, event_id));
  if (!view.can_manage) return Fail(Error::Forbidden("Only the organiser sees the attendance."));
  std::vector<Attendance> out;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(store_.AttendanceOf(s, event_id));
    return {};
  }));
  return out;
}

Status Service::SetHeadCounts(const Principal& p, std::string_view event_id, const std::vector<HeadCount>& counts) {
  std::int64_t now = clock::NowUnix();
  return database_.Write([&](db::Session& s) -> Status {
    Tx t{store_, s, now};
    Event e = FD_TRY(LockedEvent(t, event_id));
    if (!CanSee(p, e)) return Fail(Error::NotFound("No such event."));
    if (!CanManage(p, e)) return Fail(Error::Forbidden("Only the organiser records head counts."));
    if (IsAdvisorKind(e.kind)) return Fail(Error::Invalid("counts", "head counts are for client events"));
    std::vector<FieldError> errors;
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      const auto& c = counts[i];
      if (c.session_id && std::none_of(e.sessions.begin(), e.sessions.end(), [&](const auto& x) { return x.id == *c.session_id; })) {
        errors.push_back({fmt::format("counts[{}].session_id", i), "is not a session of this event"});
      }
      if (!In(kLanguages, c.language)) errors.push_back({fmt::format("counts[{}].language", i), "is not a known language"});
      if (!In(kGenders, c.gender)) errors.push_back({fmt::format("counts[{}].gender", i), "must be female, male, diverse or unknown"});
      if (c.count < 0 || c.count > kMaxCapacity) {
        errors.push_back({fmt::format("counts[{}].count", i), fmt::format("must be from 0 to {}", kMaxCapacity)});
      }
      if (!seen.insert({c.session_id.value_or(""), c.language, c.gender}).second) {
        errors.push_back({fmt::format("counts[{}]", i), "repeats a session, language and gender"});
      }
    }
    if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    FD_TRY_VOID(store_.ReplaceHeadCounts(s, event_id, counts, p.user_id, now));
    return audit::Record(s, p, audit::kUpdate, "event_head_counts", event_id, e.organiser_centre_id);
  });
}

Result<std::vector<HeadCount>> Service::HeadCounts(const Principal& p, std::string_view event_id) {
  FD_TRY(Get(p, event_id));
  std::vector<HeadCount> out;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(store_.HeadCounts(s, event_id));
    return {};
  }));
  return out;
}

// ---- certificates ----

namespace {

std::string GermanDate(std::string_view iso) {
  return std::string(iso.substr(8, 2)) + "." + std::string(iso.substr(5, 2)) + "." + std::string(iso.substr(0, 4));
}

Result<std::string> RenderCertificate(const Certificate& c, const Event& e, const std::vector<SessionSlot>& attended,
                                      const std::string& base_url) {
  pdf::Document doc({.title = "Teilnahmebescheinigung " + c.number,
                     .author = c.organiser_name,
                     .subject = c.event_title,
                     .footer = "Nr. " + c.number,
                     .creation_date = clock::FormatRfc3339(c.issued_at)});
  doc.Paragraph("Fair Integration · " + c.organiser_name, {.size = 10, .grey = 0.35});
  doc.Spacer(30);
  doc.Paragraph("Teilnahmebescheinigung", {.size = 26, .bold = true, .align = pdf::Align::kCenter, .space_after = 2});
  doc.Paragraph("Certificate of attendance", {.size = 13, .align = pdf::Align::kCenter, .space_after = 28, .grey = 0.3});
  doc.Paragraph("Hiermit wird bescheinigt, dass / This is to certify that", {.align = pdf::Align::kCenter, .space_after = 14});
  doc.Paragraph(c.name, {.size = 22, .bold = true, .align = pdf::Align::kCenter, .space_after = 14});
  doc.Paragraph("an der Fortbildung / attended the training", {.align = pdf::Align::kCenter, .space_after = 10});
  doc.Paragraph(c.event_title, {.size = 16, .bold = true, .align = pdf::Align::kCenter, .space_after = 20});
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : attended) {
    rows.push_back({GermanDate(s.start.substr(0, 10)), s.start.substr(11, 5) + "–" + s.end.substr(11, 5),
                    s.place.empty() ? (s.online_url.empty() ? "" : "online") : s.place});
  }
  doc.Paragraph("teilgenommen hat / on these dates:", {.align = pdf::Align::kCenter, .space_after = 8});
  doc.Table({"Datum / Date", "Zeit / Time", "Ort / Place"}, rows, {0.3, 0.3, 0.4});
  doc.Spacer(30);
  doc.Paragraph("Ausgestellt am / Issued on " + GermanDate(clock::FormatRfc3339(c.issued_at).substr(0, 10)) + " · " +
                c.organiser_name);
  doc.Rule();
  doc.Paragraph("Bescheinigungsnummer / Certificate number: " + c.number, {.size = 9});
  doc.Paragraph("Prüfcode / Verification code: " + c.verification_code, {.size = 9, .bold = true});
  doc.Paragraph("Echtheit prüfen / Verify: " + base_url + "/verify/" + c.verification_code +
                    "  (API: " + base_url + "/api/v1/public/certificates/" + c.verification_code + ")",
                {.size = 9});
  return doc.Finish();
}

}  // namespace

Result<CertificateFile> Service::CertificatePdf(const Principal& p, std::string_view event_id, std::string_view id) {
  std::int64_t now = clock::NowUnix();
  CertificateFile out;
  Event event;
  std::vector<SessionSlot> attended;
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    auto e = FD_TRY(store_.GetEvent(s, event_id));
    if (!e || !CanSee(p, *e)) return Fail(Error::NotFound("No such event."));
    auto r = FD_TRY(store_.GetRegistration(s, event_id, id));
    bool own = r && r->user_id && *r->user_id == p.user_id;
    if (!r || (!own && !CanManage(p, *e))) return Fail(Error::NotFound("No such registration."));
    if (e->kind != "training") return Fail(Error::Conflict("Certificates of attendance are issued for trainings."));
    if (r->status != "attended" || r->participant != "user") {
      return Fail(Error::Conflict("A certificate is issued only to someone who attended."));
    }
    for (const auto& a : FD_TRY(store_.AttendanceOf(s, event_id))) {
      if (a.registration_id != r->id || a.status != "attended") continue;
      for (const auto& x : e->sessions) {
        if (x.id == a.session_id) attended.push_back(x);
      }
    }
    auto existing = FD_TRY(store_.CertificateOfRegistration(s, r->id));
    if (existing) {
      out.certificate = *existing;
    } else {
      Certificate c;
      std::int64_t serial = FD_TRY(store_.NextCertificateSerial(s));
      c.number = fmt::format("FD-{}-{:06}", clock::FormatRfc3339(now).substr(0, 4), serial);
      c.verification_code = NewVerificationCode();
      c.name = r->name.value_or("");
      c.event_id = e->id;
      c.event_title = e->title;
      c.event_kind = e->kind;
      c.organiser_name = e->organiser_name;
      for (const auto& x : attended) c.dates.push_back(x.start.substr(0, 10));
      c.issued_at = now;
      FD_TRY_VOID(store_.InsertCertificate(s, c, r->id));
      FD_TRY_VOID(audit::Record(s, p, audit::kCreate, "event_certificate", c.number, e->organiser_centre_id));
      out.certificate = c;
    }
    event = *e;
    return audit::Record(s, p, audit::kDownload, "event_certificate", out.certificate.number, e->organiser_centre_id);
  }));
  out.pdf = FD_TRY(RenderCertificate(out.certificate, event, attended, options_.public_base_url));
  return out;
}

Result<Certificate> Service::Verify(std::string_view code) {
  if (code.size() > 20) return Fail(Error::NotFound("No such certificate."));
  std::optional<Certificate> c;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    c = FD_TRY(store_.CertificateByCode(s, code));
    return {};
  }));
  if (!c) return Fail(Error::NotFound("No such certificate."));
  return *c;
}

// ---- calendars ----

namespace {

ical::Entry EntryOf(const Event& e, const SessionSlot& s, std::size_t index) {
  ical::Entry x;
  x.uid = s.id + "@fairdesk";
  x.summary = e.sessions.size() > 1 ? fmt::format("{} ({}/{})", e.title, index + 1, e.sessions.size()) : e.title;
  std::string languages;
  for (const auto& l : e.languages) languages += (languages.empty() ? "" : ", ") + l;
  x.description = e.description;
  if (!x.description.empty()) x.description += "\n\n";
  x.description += e.organiser_name + "\n" + languages;
  if (e.status == "cancelled") x.description = "ABGESAGT / CANCELLED\n" + x.description;
  x.location = s.place.empty() ? s.online_url : s.place;
  if (!s.online_url.empty()) x.url = s.online_url;
  x.start_local = s.start;
  x.end_local = s.end;
  x.sequence = e.sequence;
  x.stamp = e.updated_at;
  x.status = e.status == "cancelled" ? "CANCELLED" : e.status == "draft" ? "TENTATIVE" : "CONFIRMED";
  x.categories = {e.kind};
  return x;
}

void AddEntries(std::vector<ical::Entry>& out, const Event& e) {
  for (std::size_t i = 0; i < e.sessions.size(); ++i) out.push_back(EntryOf(e, e.sessions[i], i));
}

}  // namespace

Result<std::string> Service::EventCalendar(const Principal& p, std::string_view event_id) {
  auto view = FD_TRY(Get(p, event_id));
  std::vector<ical::Entry> entries;
  AddEntries(entries, view.event);
  return ical::Calendar(view.event.title, entries);
}

Result<std::string> Service::RotateFeedToken(const Principal& p) {
  std::string token = crypto::RandomToken(32);
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    FD_TRY_VOID(store_.SetFeedToken(s, p.user_id, crypto::Sha256Hex(token), clock::NowUnix()));
    return audit::Record(s, p, audit::kUpdate, "event_feed_token", p.user_id);
  }));
  return token;
}

Status Service::RevokeFeedToken(const Principal& p) {
  return database_.Write([&](db::Session& s) -> Status {
    FD_TRY_VOID(store_.DeleteFeedToken(s, p.user_id));
    return audit::Record(s, p, audit::kDelete, "event_feed_token", p.user_id);
  });
}

Result<bool> Service::HasFeedToken(const Principal& p) {
  bool has = false;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    has = FD_TRY(store_.HasFeedToken(s, p.user_id));
    return {};
  }));
  return has;
}

Result<std::string> Service::Feed(std::string_view token, std::string_view scope) {
  if (token.empty() || token.size() > 100) return Fail(Error::NotFound("No such feed."));
  std::optional<std::string> user_id;
  std::optional<std::pair<std::string, std::optional<std::string>>> info;
  Principal p;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    user_id = FD_TRY(store_.UserOfFeedToken(s, crypto::Sha256Hex(token)));
    if (!user_id) return Fail(Error::NotFound("No such feed."));
    info = FD_TRY(store_.UserInfo(s, *user_id));
    if (!info) return Fail(Error::NotFound("No such feed."));
    p.user_id = *user_id;
    p.centre_id = info->second;
    if (p.centre_id) p.state = FD_TRY(store_.CentreState(s, *p.centre_id));
    return {};
  }));
  // The feed sees what an advisor of the user's centre sees; drafts are never in a feed.
  p.role = Role::kAdvisor;
  ListQuery q;
  q.viewer = Viewer{p.centre_id, p.state, false};
  q.limit = 500;
  if (scope == "registrations") q.registered_user = p.user_id;
  std::vector<ical::Entry> entries;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    for (const auto& e : FD_TRY(store_.ListEvents(s, q))) {
      if (e.status == "draft") continue;
      AddEntries(entries, e);
    }
    return {};
  }));
  return ical::Calendar(scope == "registrations" ? "fairdesk: meine Veranstaltungen" : "fairdesk: Veranstaltungen",
                        entries);
}

Result<std::string> Service::PublicFeed() {
  ListQuery q;
  q.limit = 500;
  std::vector<ical::Entry> entries;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    for (const auto& e : FD_TRY(store_.ListEvents(s, q))) {
      if (e.status == "draft" || e.audience != "public") continue;
      AddEntries(entries, e);
    }
    return {};
  }));
  return ical::Calendar("Fair Integration: öffentliche Veranstaltungen", entries);
}

// ---- public self-registration ----

namespace {

// Code points of valid UTF-8 without control characters; -1 otherwise.
long PlainCodePoints(std::string_view s) {
  long n = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return -1;
    for (int k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return -1;
    }
    if (len == 1 && (c < 0x20 || c == 0x7f)) return -1;
    i += len;
    ++n;
  }
  return n;
}

std::string TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

bool PlausibleEmail(std::string_view e) {
  auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || e.rfind('@') != at || e.size() > 254) return false;
  auto domain = e.substr(at + 1);
  auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size()) return false;
  for (char c : e) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' || c == ':' ||
        c == '\\' || c == '"' || c == '[' || c == ']') {
      return false;
    }
  }
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsPublicEvent(const Event& e) { return e.audience == "public" && e.status != "draft"; }

}  // namespace

bool Service::PublicRegistrationOpen() const {
  return options_.send_mail && options_.compose_public_mail && options_.seal && options_.open;
}

Result<std::vector<Event>> Service::PublicEvents() {
  ListQuery q;
  q.viewer = Viewer{std::nullopt, std::nullopt, true};
  q.ends_after = clock::NowUnix();
  q.limit = 200;
  std::vector<Event> out;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    for (auto& e : FD_TRY(store_.ListEvents(s, q))) {
      if (IsPublicEvent(e)) out.push_back(std::move(e));
    }
    return {};
  }));
  return out;
}

Result<Event> Service::PublicEvent(std::string_view id) {
  if (id.size() > 64) return Fail(Error::NotFound("No such event."));
  std::optional<Event> e;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    e = FD_TRY(store_.GetEvent(s, id));
    return {};
  }));
  if (!e || !IsPublicEvent(*e)) return Fail(Error::NotFound("No such event."));
  return std::move(*e);
}

Status Service::CheckPublicInput(const PublicRegistrationInput& in) {
  std::vector<FieldError> errors;
  std::string name = TrimSpace(in.name);
  std::string email = TrimSpace(in.email);
  long n = PlainCodePoints(name);
  if (n < 0) errors.push_back({"name", "must be plain text"});
  else if (n == 0) errors.push_back({"name", "is required"});
  else if (n > 100) errors.push_back({"name", "must be at most 100 characters"});
  if (email.empty()) errors.push_back({"email", "is required"});
  else if (!PlausibleEmail(email)) errors.push_back({"email", "is not an e-mail address"});
  bool lang_ok = in.language.size() >= 2 && in.language.size() <= 3 &&
                 std::all_of(in.language.begin(), in.language.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  if (!lang_ok) errors.push_back({"language", "is not a portal language"});
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return {};
}

Status Service::RequestPublicRegistration(std::string_view event_id, const PublicRegistrationInput& in) {
  if (!PublicRegistrationOpen()) return Fail(Error::Conflict("Registration by e-mail is not available."));
  FD_TRY_VOID(CheckPublicInput(in));
  std::string name = TrimSpace(in.name);
  std::string email = TrimSpace(in.email);

  std::int64_t now = clock::NowUnix();
  std::string email_hash = crypto::Sha256Hex(Lower(email));
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    Tx t{store_, s, now};
    Event e = FD_TRY(LockedEvent(t, event_id));
    if (!IsPublicEvent(e)) return Fail(Error::NotFound("No such event."));
    if (e.status != "published") return Fail(Error::Conflict("Registration is only open for published events."));
    if (DeadlinePassed(e, now)) {
      return Fail(Error::Invalid("registration_deadline", "registration closed at the end of " + e.registration_deadline));
    }
    // The same address again: its existing link is sent once more (nothing new is created).
    if (auto existing = FD_TRY(store_.LivePublicByEmail(s, e.id, email_hash))) {
      return store_.Notify(s, existing->registration_id, e.id, "manage_link", now);
    }
    Registration r;
    r.id = crypto::NewId("reg");
    r.event_id = e.id;
    r.participant = "public";
    r.centre_id = e.organiser_centre_id;
    r.status = "pending";
    r.queue_seq = 0;
    r.created_at = r.updated_at = now;
    FD_TRY_VOID(store_.InsertRegistration(s, r));
    std::string token = crypto::RandomToken(32);
    PublicRegistrant pr;
    pr.registration_id = r.id;
    pr.event_id = e.id;
    pr.language = in.language;
    pr.created_at = now;
    pr.name_enc = FD_TRY(options_.seal(name, crypto::AssociatedData(kPublicTable, "name_enc", r.id)));
    pr.email_enc = FD_TRY(options_.seal(email, crypto::AssociatedData(kPublicTable, "email_enc", r.id)));
    pr.token_enc = FD_TRY(options_.seal(token, crypto::AssociatedData(kPublicTable, "token_enc", r.id)));
    FD_TRY_VOID(store_.InsertPublicRegistrant(s, pr, email_hash, crypto::Sha256Hex(token)));
    FD_TRY_VOID(store_.Notify(s, r.id, e.id, "confirm_request", now));
    return audit::RecordSystem(s, audit::kCreate, "event_registration", r.id, e.organiser_centre_id);
  }));
  Kick();
  return {};
}

Result<PublicRegistrationView> Service::PublicRegistration(std::string_view token) {
  if (token.empty() || token.size() > 100) return Fail(Error::NotFound("No such registration."));
  std::string hash = crypto::Sha256Hex(token);
  std::optional<PublicRegistrant> pr;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    pr = FD_TRY(store_.PublicByToken(s, hash));
    return {};
  }));
  if (!pr || !pr->token_enc) return Fail(Error::NotFound("No such registration."));
  // Lazy expiry of offers, as for signed-in readers.
  FD_TRY(ExpireOffers());
  PublicRegistrationView v;
  v.language = pr->language;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    auto e = FD_TRY(store_.GetEvent(s, pr->event_id));
    auto r = FD_TRY(store_.GetRegistration(s, pr->event_id, pr->registration_id));
    if (!e || !r) return Fail(Error::NotFound("No such registration."));
    v.event = std::move(*e);
    v.registration = std::move(*r);
    if (v.registration.status == "waitlisted") {
      Tx t{store_, s, clock::NowUnix()};
      v.registration.position = FD_TRY(WaitingPosition(t, v.registration));
    }
    return {};
  }));
  return v;
}

Result<PublicRegistrationView> Service::PublicAction(std::string_view token, std::string_view action) {
  auto view = FD_TRY(PublicRegistration(token));
  std::int64_t now = clock::NowUnix();
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    Tx t{store_, s, now};
    Event e = FD_TRY(LockedEvent(t, view.event.id));
    FD_TRY(ExpireIn(t, e));
    auto found = FD_TRY(store_.GetRegistration(s, e.id, view.registration.id));
    if (!found) return Fail(Error::NotFound("No such registration."));
    Registration r = *found;
    if (action == "confirm") {
      if (r.status != "pending") return {};  // confirmed before: the link is idempotent
      if (e.status != "published") return Fail(Error::Conflict("Registration is only open for published events."));
      if (DeadlinePassed(e, now)) {
        return Fail(Error::Invalid("registration_deadline", "registration closed at the end of " + e.registration_deadline));
      }
      auto counts = FD_TRY(store_.CountsOf(s, e.id));
      // The place in the queue is taken when the address is confirmed.
      FD_TRY_VOID(store_.SetQueueSeq(s, r.id, FD_TRY(store_.NextQueueSeq(s, e.id))));
      bool seat = counts.waitlisted == 0 && counts.confirmed + counts.offered < e.capacity;
      r.status = seat ? "confirmed" : "waitlisted";
      r.updated_at = now;
      FD_TRY_VOID(store_.UpdateRegistration(s, r));
      FD_TRY_VOID(NotifyRegistrant(t, r, seat ? "registered" : "waitlisted"));
    } else if (action == "accept") {
      FD_TRY_VOID(TakeOffer(t, r));
    } else if (action == "cancel") {
      FD_TRY_VOID(EndRegistration(t, e, r, false, r.status != "pending" ? "self_cancelled" : ""));
    } else {
      return Fail(Error::Invalid("action", "must be confirm, accept or cancel"));
    }
    return audit::RecordSystem(s, audit::kUpdate, "event_registration", r.id, e.organiser_centre_id);
  }));
  Kick();
  return PublicRegistration(token);
}

// ---- notifications ----

Result<std::vector<Notification>> Service::Notifications(const Principal& p) {
  FD_TRY(ExpireOffers());
  std::vector<Notification> out;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(store_.NotificationsOf(s, p.user_id, 50));
    return {};
  }));
  return out;
}

Status Service::MarkNotificationsRead(const Principal& p) {
  return database_.Write([&](db::Session& s) -> Status { return store_.MarkNotificationsRead(s, p.user_id); });
}

// ---- reporting ----

Result<Report> Service::ReportCounts(const Principal& p, ReportFilter f) {
  if (p.role == Role::kStateCoordinator) {
    if (!p.state) return Fail(Error::Forbidden());
    if (f.state && f.state != p.state) return Fail(Error::Forbidden("Only your state's figures."));
    f.state = p.state;
  } else if (p.role == Role::kCentreLead) {
    if (!p.centre_id) return Fail(Error::Forbidden());
    if (f.organiser_centre_id && f.organiser_centre_id != p.centre_id) {
      return Fail(Error::Forbidden("Only your centre's figures."));
    }
    f.organiser_centre_id = p.centre_id;
  } else if (!SeesAll(p)) {
    return Fail(Error::Forbidden("Reporting is for the Competence Centre, programme, coordinators and leads."));
  }
  return ReportCounts(f);
}

Result<Report> Service::ReportCounts(const ReportFilter& f) {
  std::vector<FieldError> errors;
  if (f.from && !YearMonth::Parse(*f.from)) errors.push_back({"from", "must be a month YYYY-MM"});
  if (f.to && !YearMonth::Parse(*f.to)) errors.push_back({"to", "must be a month YYYY-MM"});
  if (f.state && !In(kStates, *f.state)) errors.push_back({"state", "is not a federal state code"});
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  Report out;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(store_.ReportOf(s, f));
    return {};
  }));
  return out;
}

// ---- jobs ----

Result<int> Service::ExpireOffers() {
  std::int64_t now = clock::NowUnix();
  std::vector<std::string> events;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    events = FD_TRY(store_.EventsWithExpiredOffers(s, now));
    return {};
  }));
  int total = 0;
  for (const auto& id : events) {
    FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
      Tx t{store_, s, now};
      Event e = FD_TRY(LockedEvent(t, id));
      total += FD_TRY(ExpireIn(t, e));
      return {};
    }));
  }
  if (total > 0) Kick();
  return total;
}

Result<int> Service::DeleteUnconfirmed() {
  std::int64_t now = clock::NowUnix();
  int deleted = 0;
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    deleted = static_cast<int>(FD_TRY(store_.DeleteStalePending(s, now - options_.pending_hours * 3600)));
    return {};
  }));
  return deleted;
}

Result<int> Service::RunRetention() {
  std::int64_t now = clock::NowUnix();
  std::int64_t cutoff = now - options_.client_data_days * 86400;
  std::vector<std::string> events;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    events = FD_TRY(store_.EventsToAnonymise(s, cutoff));
    return {};
  }));
  // Every app server runs this: an event another server anonymised meanwhile is skipped, so it
  // is audited once (issue 13).
  int done = 0;
  for (const auto& id : events) {
    bool mine = false;
    FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
      mine = FD_TRY(store_.AnonymiseClientParticipants(s, id, now));
      return mine ? audit::RecordSystem(s, audit::kErase, "event_registrations", id) : Status{};
    }));
    done += mine ? 1 : 0;
  }
  return done;
}

namespace {

// The e-mail copy of a notification, in the user's language (German unless English). No link
// carries personal data; the mail names the event, its first date and what happened.
MailMessage Compose(const PendingMail& m, const std::string& base_url) {
  bool en = m.language == "en";
  auto pick = [en](std::string_view de, std::string_view english) { return std::string(en ? english : de); };
  std::string what;
  if (m.kind == "registered") {
    what = pick("Sie sind angemeldet.", "You are registered.");
  } else if (m.kind == "waitlisted") {
    what = pick("Die Veranstaltung ist ausgebucht: Sie stehen auf der Warteliste. Wird ein Platz frei, bekommen Sie "
                "ihn angeboten.",
                "The event is full: you are on the waiting list. When a seat becomes free, it will be offered to you.");
  } else if (m.kind == "confirmed") {
    what = pick("Sie haben den angebotenen Platz angenommen und sind angemeldet.",
                "You have accepted the seat and are registered.");
  } else if (m.kind == "offered") {
    what = pick("Für Sie ist ein Platz frei geworden. Bitte nehmen Sie ihn in fairdesk an oder lehnen Sie ihn ab, "
                "bevor das Angebot abläuft.",
                "A seat has become free for you. Please accept or decline it in fairdesk before the offer expires.");
  } else if (m.kind == "offer_expired") {
    what = pick("Ihr Platzangebot ist abgelaufen; der Platz ging an die nächste Person auf der Warteliste.",
                "Your seat offer has expired; the seat has gone to the next person on the waiting list.");
  } else if (m.kind == "event_cancelled") {
    what = pick("Die Veranstaltung wurde abgesagt.", "The event has been cancelled.");
  } else if (m.kind == "event_changed") {
    what = pick("Die Termine der Veranstaltung haben sich geändert.", "The dates of the event have changed.");
  } else if (m.kind == "self_cancelled") {
    what = pick("Sie haben Ihre Anmeldung storniert.", "You have cancelled your registration.");
  } else if (m.kind == "reminder") {
    what = pick("Erinnerung: Die Veranstaltung beginnt bald.", "Reminder: the event starts soon.");
  } else {
    what = pick("Der Veranstalter hat Ihre Anmeldung storniert.", "The organiser has cancelled your registration.");
  }
  auto start = FromUtc(m.first_start_utc);
  std::string when = en ? fmt::format("{:04}-{:02}-{:02} {:02}:{:02} (Berlin time)", start.year, start.month, start.day,
                                      start.hour, start.minute)
                        : fmt::format("{:02}.{:02}.{:04}, {:02}:{:02} Uhr", start.day, start.month, start.year,
                                      start.hour, start.minute);
  MailMessage out;
  out.to = m.email;
  out.subject = pick("fairdesk Veranstaltung: ", "fairdesk event: ") + m.event_title;
  out.text = pick("Guten Tag ", "Hello ") + m.name + ",\n\n" + m.event_title + "\n" + pick("Beginn: ", "Starts: ") +
             when + "\n\n" + what + "\n\n" + base_url + "/events/" + m.event_id + "\n";
  return out;
}

}  // namespace

Result<int> Service::SendReminders() {
  std::int64_t now = clock::NowUnix();
  std::vector<DueReminder> due;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    due = FD_TRY(store_.DueReminders(s, now, now + options_.reminder_hours * 3600, 500));
    return {};
  }));
  int count = 0;
  for (const auto& d : due) {
    FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
      if (!FD_TRY(store_.MarkReminded(s, d.registration_id, now))) return {};  // another server was first
      ++count;
      return store_.Notify(s, d.user_id, d.event_id, "reminder", now);
    }));
  }
  return count;
}

Result<int> Service::SendPendingMail() {
  if (!options_.send_mail) return 0;
  std::int64_t now = clock::NowUnix();
  std::vector<PendingMail> pending;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    pending = FD_TRY(store_.PendingMails(s, now - 86400, 200));
    return {};
  }));
  // Every app server runs this: each mail is claimed in the database and queued in the outbox in
  // the same transaction, so that two servers that read the same pending rows never both send it
  // (issue 13), and a claimed mail is never lost: if queuing fails, the claim rolls back with it
  // and the mail goes next round.
  int sent = 0;
  const auto claim_and_queue = [&](const std::string& id, const std::function<Result<MailMessage>()>& compose) -> Status {
    bool queued = false;
    FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
      if (!FD_TRY(store_.ClaimMail(s, id, now))) return {};  // another server sends it
      FD_TRY_VOID(options_.send_mail(s, FD_TRY(compose())));
      queued = true;
      return {};
    }));
    if (queued) ++sent;
    return {};
  };
  const auto done = [&] {
    if (sent > 0 && options_.mail_queued) options_.mail_queued();
  };
  for (const auto& m : pending) {
    Status queued = claim_and_queue(m.notification_id, [&]() -> Result<MailMessage> { return Compose(m, options_.public_base_url); });
    if (!queued) {
      done();
      return Fail(queued.error());
    }
  }
  if (!PublicRegistrationOpen()) {
    done();
    return sent;
  }
  std::vector<PendingPublicMail> public_pending;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    public_pending = FD_TRY(store_.PendingPublicMails(s, now - 86400, 200));
    return {};
  }));
  for (const auto& m : public_pending) {
    auto ad = [&](std::string_view col) { return crypto::AssociatedData(kPublicTable, col, m.who.registration_id); };
    auto name = options_.open(m.who.name_enc.value_or(""), ad("name_enc"));
    auto email = options_.open(m.who.email_enc.value_or(""), ad("email_enc"));
    auto token = options_.open(m.who.token_enc.value_or(""), ad("token_enc"));
    if (!name || !email || !token) {
      // Claimed all the same, so that it is not tried every round.
      bool mine = false;
      FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
        mine = FD_TRY(store_.ClaimMail(s, m.notification_id, now));
        return {};
      }));
      if (mine) log::Error("events_public_mail_unreadable", {{"notification", m.notification_id}});
      continue;
    }
    PublicMail pm{m.kind, m.who.language, *email, *name, m.event_id, m.event_title, m.first_start_utc,
                  options_.public_base_url + "/" + m.who.language + "/event-registration/" + *token};
    Status queued = claim_and_queue(m.notification_id, [&]() -> Result<MailMessage> { return options_.compose_public_mail(pm); });
    if (!queued) {
      done();
      return Fail(queued.error());
    }
  }
  done();
  return sent;
}

void Service::Kick() {
  {
    std::lock_guard lock(mu_);
    kicked_ = true;
  }
  wake_.notify_all();
}

void Service::StartJobs(std::chrono::seconds interval) {
  jobs_ = std::thread([this, interval] {
    std::unique_lock lock(mu_);
    auto last_retention = std::chrono::steady_clock::time_point{};
    while (!stopping_) {
      kicked_ = false;
      lock.unlock();
      // Every server runs these itself (they lock or conditionally mark the rows they change, so
      // two servers never do the same work twice); /metrics counts the runs per server.
      if (auto r = db::ObserveJobRun("events-offer-expiry", [&] { return ExpireOffers(); }); !r) {
        log::Error("events_expiry_failed", {{"internal", r.error().internal}});
      }
      if (auto r = db::ObserveJobRun("events-reminders", [&] { return SendReminders(); }); !r) {
        log::Error("events_reminders_failed", {{"internal", r.error().internal}});
      }
      if (auto r = db::ObserveJobRun("events-mail", [&] { return SendPendingMail(); }); !r) {
        log::Error("events_mail_failed", {{"internal", r.error().internal}});
      }
      if (std::chrono::steady_clock::now() - last_retention > std::chrono::hours(1)) {
        last_retention = std::chrono::steady_clock::now();
        if (auto r = db::ObserveJobRun("events-retention", [&] { return RunRetention(); }); !r) {
          log::Error("events_retention_failed", {{"internal", r.error().internal}});
        } else if (*r > 0) {
          log::Info("events_retention_run", {{"events", *r}});
        }
      }
      lock.lock();
      wake_.wait_for(lock, interval, [&] { return stopping_ || kicked_; });
    }
  });
}

}  // namespace fairdesk::events
