// The events module on both backends: input rules (DST, order, languages), the capacity
// invariant under 50 concurrent registrations for the last seat, the FIFO waiting list with
// offers that expire and pass on, attendance, certificates read back with pdftotext, calendars,
// reporting counts and the deletion of client data. Pure parts (Berlin time, iCalendar) too.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "audit/audit.hpp"
#include "db/backends.hpp"
#include "events/berlin_time.hpp"
#include "events/events.hpp"
#include "events/ical.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"

namespace fairdesk::events {
namespace {
using dbtest::Must;

// ---- pure parts ----

TEST(BerlinTime, TheSkippedHourDoesNotExistAndTheRepeatedHourIsSummerTime) {
  EXPECT_EQ(Classify(*ParseLocalTime("2026-03-29T02:30")), LocalKind::kNonexistent);
  EXPECT_FALSE(ToUtc(*ParseLocalTime("2026-03-29T02:30")));
  EXPECT_EQ(*ToUtc(*ParseLocalTime("2026-03-29T01:59")), 1774745940);  // 00:59 UTC (CET)
  EXPECT_EQ(*ToUtc(*ParseLocalTime("2026-03-29T03:00")), 1774746000);  // 01:00 UTC (CEST)
  EXPECT_EQ(Classify(*ParseLocalTime("2026-10-25T02:30")), LocalKind::kAmbiguous);
  EXPECT_EQ(*ToUtc(*ParseLocalTime("2026-10-25T02:30")), 1792888200);  // 00:30 UTC, the first one
  EXPECT_EQ(*ToUtc(*ParseLocalTime("2026-07-01T12:00")), 1782900000);  // 10:00 UTC
  EXPECT_EQ(*ToUtc(*ParseLocalTime("2026-01-15T12:00")), 1768474800);  // 11:00 UTC
  EXPECT_EQ(FromUtc(1782900000).ToString(), "2026-07-01T12:00");
  EXPECT_EQ(FromUtc(1774746000).ToString(), "2026-03-29T03:00");
  EXPECT_FALSE(ParseLocalTime("2026-02-30T10:00"));
  EXPECT_FALSE(ParseLocalTime("2026-03-06T24:00"));
  EXPECT_FALSE(ParseLocalTime("2026-03-06 10:00"));
  EXPECT_FALSE(ParseLocalTime("1999-03-06T10:00"));
  EXPECT_EQ(*EndOfLocalDay("2026-07-01"), 1782943200);  // 2026-07-02 00:00 CEST
}

TEST(Ical, FoldsAt75OctetsWithoutSplittingUtf8AndEscapesText) {
  std::string title = "Workshop; Arbeitsrecht, Teil 1\\2 — ";
  for (int i = 0; i < 12; ++i) title += "حقوق العمال ";
  std::string cal = ical::Calendar("Test", {{.uid = "ses_1@fairdesk",
                                             .summary = title,
                                             .description = "Zeile 1\nZeile 2",
                                             .start_local = "2026-03-29T03:00",
                                             .end_local = "2026-03-29T05:00",
                                             .sequence = 3,
                                             .stamp = 1774746000,
                                             .status = "CANCELLED"}});
  // Every line ends with CRLF, is at most 75 octets and is valid UTF-8 on its own.
  std::size_t pos = 0;
  std::string unfolded;
  while (pos < cal.size()) {
    auto end = cal.find("\r\n", pos);
    ASSERT_NE(end, std::string::npos);
    std::string line = cal.substr(pos, end - pos);
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos);
    ASSERT_FALSE(line.empty());
    auto first = static_cast<unsigned char>(line[line[0] == ' ' ? 1 : 0]);
    EXPECT_NE(first & 0xC0, 0x80) << "a line starts inside a UTF-8 sequence";
    if (line[0] == ' ') {
      unfolded += line.substr(1);
    } else {
      unfolded += (unfolded.empty() ? "" : "\n") + line;
    }
    pos = end + 2;
  }
  EXPECT_NE(unfolded.find("SUMMARY:Workshop\\; Arbeitsrecht\\, Teil 1\\\\2 — حقوق"), std::string::npos) << unfolded;
  EXPECT_NE(unfolded.find("DESCRIPTION:Zeile 1\\nZeile 2"), std::string::npos);
  EXPECT_NE(unfolded.find("DTSTART;TZID=Europe/Berlin:20260329T030000"), std::string::npos);
  EXPECT_NE(unfolded.find("SEQUENCE:3"), std::string::npos);
  EXPECT_NE(unfolded.find("STATUS:CANCELLED"), std::string::npos);
  EXPECT_NE(unfolded.find("DTSTAMP:20260329T010000Z"), std::string::npos);
  EXPECT_NE(unfolded.find("BEGIN:VTIMEZONE\nTZID:Europe/Berlin"), std::string::npos);
}

// ---- on both backends ----

// The parts of other modules' schemas the events module reads (the real tables have more).
constexpr db::Migration kStubs[] = {
    {100, "centres stub", "CREATE TABLE centres (id TEXT PRIMARY KEY, name TEXT NOT NULL, state TEXT NOT NULL)", {}},
    {200, "users stub",
     "CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL, display_name TEXT NOT NULL, centre_id TEXT, "
     "language TEXT NOT NULL DEFAULT 'de')", {}},
    {400, "clients stub", "CREATE TABLE clients (id TEXT PRIMARY KEY, centre_id TEXT NOT NULL, code TEXT NOT NULL)", {}},
};
constexpr db::Query kInsertCentre{"test.centre", "INSERT INTO centres (id, name, state) VALUES ($1, $2, $3)"};
constexpr db::Query kInsertUser{"test.user",
                                "INSERT INTO users (id, email, display_name, centre_id) VALUES ($1, $2, $3, $4)"};
constexpr db::Query kInsertClient{"test.client", "INSERT INTO clients (id, centre_id, code) VALUES ($1, $2, $3)"};
constexpr db::Query kRetentionErasures{
    "test.retention_erasures", "SELECT COUNT(*) FROM audit_log WHERE action = 'erase' AND record_type = 'event_registrations'"};
constexpr db::Query kClientCodes{"test.client_codes",
                                 "SELECT COUNT(*) FROM event_registrations WHERE client_code IS NOT NULL"};

Principal User(std::string id, Role role, std::optional<std::string> centre, std::optional<std::string> state) {
  Principal p;
  p.user_id = std::move(id);
  p.role = role;
  p.centre_id = std::move(centre);
  p.state = std::move(state);
  return p;
}

std::string Day(int from_today) { return Date::Parse(clock::TodayIso())->AddDays(from_today).ToString(); }

EventFields Training(std::int64_t capacity) {
  EventFields f;
  f.kind = "training";
  f.title = "Arbeitsrecht kompakt";
  f.languages = {"de"};
  f.capacity = capacity;
  f.registration_deadline = Day(20);
  f.audience = "advisors";
  f.sessions = {{Day(30) + "T09:00", Day(30) + "T16:00", "Berlin", ""}, {Day(31) + "T09:00", Day(31) + "T13:00", "Berlin", ""}};
  return f;
}

class EventsTest : public dbtest::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    clock::SetOffsetSeconds(0);
    std::vector<db::Migration> all(std::begin(kStubs), std::end(kStubs));
    for (auto span : {audit::Migrations(), StoreMigrations()}) all.insert(all.end(), span.begin(), span.end());
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    Must(db::Migrate(db(), all));
    Must(db().Write([](db::Session& s) -> Status {
      FD_TRY(s.Exec(kInsertCentre, {std::string("centre-fachstelle"), std::string("Kompetenzstelle"), std::string("BE")}));
      FD_TRY(s.Exec(kInsertCentre, {std::string("centre-be-1"), std::string("Beratung Berlin"), std::string("BE")}));
      FD_TRY(s.Exec(kInsertCentre, {std::string("centre-by-1"), std::string("Beratung Bayern"), std::string("BY")}));
      FD_TRY(s.Exec(kInsertUser, {std::string("usr_cc"), std::string("cc@x"), std::string("Amina Haddad"), std::string("centre-fachstelle")}));
      FD_TRY(s.Exec(kInsertUser, {std::string("usr_ar"), std::string("ar@x"), std::string("محمد الأحمد"), std::string("centre-be-1")}));
      FD_TRY(s.Exec(kInsertUser, {std::string("usr_ti"), std::string("ti@x"), std::string("ሰላም ተስፋይ"), std::string("centre-by-1")}));
      FD_TRY(s.Exec(kInsertUser, {std::string("usr_de"), std::string("de@x"), std::string("Jürgen Größmann"), std::string("centre-by-1")}));
      for (int i = 0; i < 60; ++i) {
        FD_TRY(s.Exec(kInsertUser, {"usr_" + std::to_string(i), "u" + std::to_string(i) + "@x", "Person " + std::to_string(i),
                                    std::string("centre-be-1")}));
      }
      FD_TRY(s.Exec(kInsertClient, {std::string("cli_1"), std::string("centre-be-1"), std::string("BE-7Q2K")}));
      FD_TRY(s.Exec(kInsertClient, {std::string("cli_2"), std::string("centre-be-1"), std::string("BE-9X3M")}));
      return {};
    }));
    service_ = std::make_unique<Service>(db(), Options{.offer_hours = 48, .client_data_days = 30});
  }
  void TearDown() override {
    clock::SetOffsetSeconds(0);
    service_.reset();
    BackendTest::TearDown();
  }

  Principal cc_ = User("usr_cc", Role::kCompetenceCentre, "centre-fachstelle", "BE");
  Principal Advisor(const std::string& id, std::string centre = "centre-be-1") {
    return User(id, Role::kAdvisor, centre, centre == "centre-by-1" ? "BY" : "BE");
  }
  Event Published(std::int64_t capacity) {
    auto e = Must(service_->Create(cc_, Training(capacity)));
    return Must(service_->Publish(cc_, e.id));
  }
  std::unique_ptr<Service> service_;
};

std::vector<std::string> Fields(const Error& e) {
  std::vector<std::string> out;
  for (const auto& f : e.errors) out.push_back(f.field);
  return out;
}

TEST_P(EventsTest, RefusesImpossibleSessionsUnknownLanguagesAndAbsurdCapacities) {
  auto f = Training(20);
  f.sessions = {{"2026-03-29T02:30", "2026-03-29T04:00", "", ""}, {Day(30) + "T12:00", Day(30) + "T11:00", "", ""}};
  f.languages = {"de", "xx"};
  f.capacity = -3;
  f.registration_deadline = "2026-03-01";
  auto r = service_->Create(cc_, f);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalid);
  auto fields = Fields(r.error());
  for (std::string want : {"sessions[0].start", "sessions[1].end", "languages[1]", "capacity"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), want), fields.end()) << want;
  }
  EXPECT_EQ(Must(service_->List(cc_, {.scope = "all"})).items.size(), 0u);  // nothing stored
  // An advisor may not organise trainings.
  EXPECT_EQ(service_->Create(Advisor("usr_1"), Training(5)).error().kind, ErrorKind::kForbidden);
}

TEST_P(EventsTest, FiftyConcurrentRegistrationsForTheLastSeatTakeItOnce) {
  auto e = Published(10);
  for (int i = 50; i < 59; ++i) EXPECT_EQ(Must(service_->Register(Advisor("usr_" + std::to_string(i)), e.id, {})).status, "confirmed");
  std::vector<std::thread> threads;
  std::vector<Result<Registration>> results(50, Fail(Error::Internal("not run")));
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&, i] { results[i] = service_->Register(Advisor("usr_" + std::to_string(i)), e.id, {}); });
  }
  for (auto& t : threads) t.join();
  int confirmed = 0, waitlisted = 0;
  std::set<std::int64_t> positions;
  for (const auto& r : results) {
    ASSERT_TRUE(r) << dbtest::Describe(r.error());
    if (r->status == "confirmed") ++confirmed;
    if (r->status == "waitlisted") {
      ++waitlisted;
      positions.insert(*r->position);
    }
  }
  EXPECT_EQ(confirmed, 1);
  EXPECT_EQ(waitlisted, 49);
  EXPECT_EQ(positions.size(), 49u);  // each place on the list once
  auto view = Must(service_->Get(cc_, e.id));
  EXPECT_EQ(view.event.counts.confirmed, 10);
  EXPECT_EQ(view.event.counts.waitlisted, 49);
}

TEST_P(EventsTest, WaitingListMovesUpInOrderOffersExpireAndPassOn) {
  auto e = Published(1);
  auto a = Must(service_->Register(Advisor("usr_1"), e.id, {}));
  auto b = Must(service_->Register(Advisor("usr_2"), e.id, {}));
  auto c = Must(service_->Register(Advisor("usr_3"), e.id, {}));
  EXPECT_EQ(a.status, "confirmed");
  EXPECT_EQ(b.status, "waitlisted");
  EXPECT_EQ(*b.position, 1);
  EXPECT_EQ(*c.position, 2);
  // Leaving the list and coming back puts you at the end.
  Must(service_->CancelRegistration(Advisor("usr_2"), e.id, b.id));
  b = Must(service_->Register(Advisor("usr_2"), e.id, {}));
  EXPECT_EQ(*b.position, 2);

  // A cancels: the seat is offered to C (now first), not taken by a newcomer.
  Must(service_->CancelRegistration(Advisor("usr_1"), e.id, a.id));
  EXPECT_EQ(Must(service_->Get(Advisor("usr_3"), e.id)).mine->status, "offered");
  auto d = Must(service_->Register(Advisor("usr_4"), e.id, {}));
  EXPECT_EQ(d.status, "waitlisted");

  // The offer expires after 48 hours and passes to B.
  clock::SetOffsetSeconds(47 * 3600);
  EXPECT_EQ(Must(service_->ExpireOffers()), 0);
  clock::SetOffsetSeconds(48 * 3600 + 1);
  EXPECT_EQ(Must(service_->ExpireOffers()), 1);
  auto mine_c = Must(service_->Get(Advisor("usr_3"), e.id)).mine;
  EXPECT_FALSE(mine_c.has_value());  // cancelled, offer_expired
  auto offer_b = Must(service_->Get(Advisor("usr_2"), e.id)).mine;
  ASSERT_TRUE(offer_b);
  EXPECT_EQ(offer_b->status, "offered");
  auto notes = Must(service_->Notifications(Advisor("usr_3")));
  ASSERT_FALSE(notes.empty());
  EXPECT_EQ(notes.front().kind, "offer_expired");

  // B accepts; then cancels: the seat goes to D, not back to B.
  auto accepted = Must(service_->AcceptOffer(Advisor("usr_2"), e.id, offer_b->id));
  EXPECT_EQ(accepted.status, "confirmed");
  EXPECT_TRUE(accepted.from_waitlist);
  Must(service_->CancelRegistration(Advisor("usr_2"), e.id, accepted.id));
  EXPECT_EQ(Must(service_->Get(Advisor("usr_4"), e.id)).mine->status, "offered");
  // D declines; nobody waits, so the next newcomer gets the seat at once.
  auto d_offer = *Must(service_->Get(Advisor("usr_4"), e.id)).mine;
  EXPECT_EQ(Must(service_->DeclineOffer(Advisor("usr_4"), e.id, d_offer.id)).cancel_reason, "declined");
  EXPECT_EQ(Must(service_->Register(Advisor("usr_5"), e.id, {})).status, "confirmed");
}

TEST_P(EventsTest, OffersNeverOutliveTheDeadlineAndCapacityIncreasesOfferAtOnce) {
  auto f = Training(1);
  f.registration_deadline = Day(1);
  auto e = Must(service_->Publish(cc_, Must(service_->Create(cc_, f)).id));
  Must(service_->Register(Advisor("usr_1"), e.id, {}));
  Must(service_->Register(Advisor("usr_2"), e.id, {}));
  auto fields = Must(service_->Fields(cc_, e.id));
  fields.capacity = 2;
  auto changed = Must(service_->Update(cc_, e.id, fields));
  EXPECT_EQ(changed.sequence, e.sequence + 1);
  auto mine = *Must(service_->Get(Advisor("usr_2"), e.id)).mine;
  EXPECT_EQ(mine.status, "offered");
  EXPECT_LE(*mine.offer_expires_at, *EndOfLocalDay(Day(1)));
  EXPECT_LT(*mine.offer_expires_at, clock::NowUnix() + 48 * 3600);
  // Lowering the capacity below the seats taken is refused.
  fields.capacity = 1;
  auto low = service_->Update(cc_, e.id, fields);
  ASSERT_FALSE(low);
  EXPECT_EQ(Fields(low.error()), std::vector<std::string>{"capacity"});
  // After the deadline nobody registers.
  clock::SetOffsetSeconds(3 * 86400);
  auto late = service_->Register(Advisor("usr_3"), e.id, {});
  ASSERT_FALSE(late);
  EXPECT_EQ(Fields(late.error()), std::vector<std::string>{"registration_deadline"});
}

TEST_P(EventsTest, AttendanceCertificatesAndVerification) {
  auto e = Published(5);
  auto ar = Must(service_->Register(Advisor("usr_ar"), e.id, {}));
  auto ti = Must(service_->Register(Advisor("usr_ti", "centre-by-1"), e.id, {}));
  auto de = Must(service_->Register(Advisor("usr_de", "centre-by-1"), e.id, {}));
  // Not before the session.
  EXPECT_EQ(service_->RecordAttendance(cc_, e.id, e.sessions[0].id, {{ar.id, "", "attended"}}).error().kind,
            ErrorKind::kConflict);
  clock::SetOffsetSeconds(31 * 86400);
  Must(service_->RecordAttendance(cc_, e.id, e.sessions[0].id,
                                  {{ar.id, "", "attended"}, {ti.id, "", "attended"}, {de.id, "", "no_show"}}));
  // The second session is on the next day (at 09:00 Berlin): a day later it has surely begun,
  // whatever the time of day this runs at.
  clock::SetOffsetSeconds(32 * 86400);
  Must(service_->RecordAttendance(cc_, e.id, e.sessions[1].id, {{ar.id, "", "attended"}, {de.id, "", "no_show"}}));
  // No certificate for a no-show, nor for someone else's registration.
  EXPECT_EQ(service_->CertificatePdf(Advisor("usr_de", "centre-by-1"), e.id, de.id).error().kind, ErrorKind::kConflict);
  EXPECT_EQ(service_->CertificatePdf(Advisor("usr_ti", "centre-by-1"), e.id, ar.id).error().kind, ErrorKind::kNotFound);
  auto file = Must(service_->CertificatePdf(Advisor("usr_ar"), e.id, ar.id));
  EXPECT_TRUE(file.pdf.starts_with("%PDF"));
  auto again = Must(service_->CertificatePdf(cc_, e.id, ar.id));
  EXPECT_EQ(again.certificate.number, file.certificate.number);  // numbered once
  auto other = Must(service_->CertificatePdf(Advisor("usr_ti", "centre-by-1"), e.id, ti.id));
  EXPECT_NE(other.certificate.number, file.certificate.number);
  auto checked = Must(service_->Verify(file.certificate.verification_code));
  EXPECT_EQ(checked.name, "محمد الأحمد");
  EXPECT_EQ(checked.dates.size(), 2u);
  EXPECT_EQ(service_->Verify("NOPE-NOPE").error().kind, ErrorKind::kNotFound);

  auto dir = std::filesystem::temp_directory_path() / ("fd-cert-" + file.certificate.number);
  std::filesystem::create_directories(dir);
  std::string text;
  for (const auto& [name, pdf] : {std::pair{"ar.pdf", file.pdf}, std::pair{"ti.pdf", other.pdf}}) {
    std::ofstream(dir / name, std::ios::binary) << pdf;
    FILE* p = popen(("pdftotext -enc UTF-8 '" + (dir / name).string() + "' -").c_str(), "r");
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
    pclose(p);
  }
  std::filesystem::remove_all(dir);
  EXPECT_NE(text.find("محمد الأحمد"), std::string::npos) << text;
  EXPECT_NE(text.find("ሰላም ተስፋይ"), std::string::npos) << text;
  EXPECT_NE(text.find(file.certificate.number), std::string::npos);
  EXPECT_NE(text.find(file.certificate.verification_code), std::string::npos);
}

TEST_P(EventsTest, CancelledEventsStayInCalendarsAndTellRegistrants) {
  auto e = Published(5);
  Must(service_->Register(Advisor("usr_1"), e.id, {}));
  auto ics = Must(service_->EventCalendar(cc_, e.id));
  EXPECT_NE(ics.find("SEQUENCE:1"), std::string::npos);
  Must(service_->Cancel(cc_, e.id, "Referentin erkrankt"));
  ics = Must(service_->EventCalendar(Advisor("usr_1"), e.id));
  EXPECT_NE(ics.find("STATUS:CANCELLED"), std::string::npos);
  EXPECT_NE(ics.find("SEQUENCE:2"), std::string::npos);
  EXPECT_NE(ics.find("UID:" + e.sessions[0].id + "@fairdesk"), std::string::npos);
  EXPECT_EQ(Must(service_->Notifications(Advisor("usr_1"))).front().kind, "event_cancelled");
  // The feed of a token shows it; a rotated token no longer works.
  auto token = Must(service_->RotateFeedToken(Advisor("usr_1")));
  EXPECT_NE(Must(service_->Feed(token, "registrations")).find("STATUS:CANCELLED"), std::string::npos);
  Must(service_->RotateFeedToken(Advisor("usr_1")));
  EXPECT_EQ(service_->Feed(token, "registrations").error().kind, ErrorKind::kNotFound);
}

TEST_P(EventsTest, ClientWorkshopCountsAndClientDataDeletion) {
  auto lead = User("usr_1", Role::kCentreLead, "centre-be-1", "BE");
  EventFields f = Training(20);
  f.kind = "workshop";
  f.audience = "state";
  f.audience_state = "BE";
  f.languages = {"de", "ar"};
  f.partner = "Sprachschule Wedding";
  auto e = Must(service_->Publish(lead, Must(service_->Create(lead, f)).id));
  auto month = Day(30).substr(0, 7);  // of the first session, read before the clock moves
  // Not visible to another state's advisors.
  EXPECT_EQ(service_->Get(Advisor("usr_ti", "centre-by-1"), e.id).error().kind, ErrorKind::kNotFound);
  auto r = Must(service_->Register(lead, e.id, {.client_code = "BE-7Q2K"}));
  EXPECT_EQ(r.participant, "client");
  auto unknown = service_->Register(lead, e.id, {.client_code = "NOPE"});
  EXPECT_EQ(Fields(unknown.error()), std::vector<std::string>{"client_code"});
  Must(service_->SetHeadCounts(lead, e.id, {{std::nullopt, "ar", "female", 7}, {std::nullopt, "ar", "male", 4}}));
  auto bad = service_->SetHeadCounts(lead, e.id, {{std::nullopt, "xx", "female", -1}});
  ASSERT_FALSE(bad);
  clock::SetOffsetSeconds(31 * 86400);
  Must(service_->RecordAttendance(lead, e.id, e.sessions[0].id, {{r.id, "", "attended"}}));
  auto report = Must(service_->ReportCounts(cc_, ReportFilter{month, month, std::nullopt, "BE"}));
  ASSERT_EQ(report.rows.size(), 1u);
  EXPECT_EQ(report.rows[0].attended, 1);
  EXPECT_EQ(report.rows[0].sessions, 2);
  ASSERT_EQ(report.head_counts.size(), 2u);
  EXPECT_EQ(report.head_counts[0].count + report.head_counts[1].count, 11);
  // 30 days after the event the client's code is gone; the counts remain.
  EXPECT_EQ(Must(service_->RunRetention()), 0);
  clock::SetOffsetSeconds(63 * 86400);
  // Every app server runs the job (issue 13): two at once (two handles) delete the codes once,
  // with one audit entry.
  auto other_db = Must(scratch().OpenAnother());
  Service other(*other_db, Options{.offer_hours = 48, .client_data_days = 30});
  std::atomic<int> deleted{0};
  std::vector<std::thread> servers;
  for (Service* server : {service_.get(), &other}) {
    servers.emplace_back([&, server] { deleted += Must(server->RunRetention()); });
  }
  for (auto& t : servers) t.join();
  EXPECT_EQ(deleted.load(), 1);
  std::int64_t codes = -1, erasures = -1;
  Must(db().Read([&](db::Session& s) -> Status {
    codes = FD_TRY(s.One(kClientCodes, {})).Int(0);
    erasures = FD_TRY(s.One(kRetentionErasures, {})).Int(0);
    return {};
  }));
  EXPECT_EQ(codes, 0);
  EXPECT_EQ(erasures, 1);
  auto after = Must(service_->ReportCounts(cc_, ReportFilter{month, month, std::nullopt, "BE"}));
  EXPECT_EQ(after.rows[0].attended, 1);
}

TEST_P(EventsTest, WhoRegisteredAClientHearsOfItsOffer) {
  auto lead = User("usr_1", Role::kCentreLead, "centre-be-1", "BE");
  EventFields f = Training(1);
  f.kind = "group_offer";
  auto e = Must(service_->Publish(lead, Must(service_->Create(lead, f)).id));
  auto advisor = Advisor("usr_2");
  auto first = Must(service_->Register(advisor, e.id, {.client_code = "BE-7Q2K"}));
  EXPECT_EQ(Must(service_->Register(advisor, e.id, {.client_code = "BE-9X3M"})).status, "waitlisted");
  Must(service_->CancelRegistration(lead, e.id, first.id));
  auto notes = Must(service_->Notifications(advisor));
  ASSERT_FALSE(notes.empty());
  EXPECT_EQ(notes.front().kind, "offered");
}

TEST_P(EventsTest, NotificationsAreCopiedByEmailOnceWhereMailIsConfigured) {
  std::vector<MailMessage> sent;
  bool accept = false;
  service_ = std::make_unique<Service>(db(), Options{.send_mail = [&](db::Session&, const MailMessage& m) -> Status {
                                                       if (!accept) return Fail(Error::Unavailable("outbox: refused"));
                                                       sent.push_back(m);
                                                       return {};
                                                     }});
  auto e = Published(1);
  Must(service_->Register(Advisor("usr_1"), e.id, {}));
  Must(service_->Register(Advisor("usr_2"), e.id, {}));
  EXPECT_FALSE(service_->SendPendingMail());  // the outbox refused: the claim rolled back, next round
  accept = true;
  EXPECT_EQ(Must(service_->SendPendingMail()), 2);  // the confirmation and the waiting-list notice
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(sent[0].text.find("Sie sind angemeldet."), std::string::npos);
  EXPECT_NE(sent[1].text.find("Warteliste"), std::string::npos);
  // The event is weeks away: no reminder yet.
  EXPECT_EQ(Must(service_->SendReminders()), 0);
  sent.clear();
  Must(service_->Cancel(cc_, e.id, "Raum fehlt"));
  EXPECT_EQ(Must(service_->SendPendingMail()), 2);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].subject, "fairdesk Veranstaltung: Arbeitsrecht kompakt");
  EXPECT_NE(sent[0].text.find("abgesagt"), std::string::npos);
  std::set<std::string> to{sent[0].to, sent[1].to};
  EXPECT_EQ(to, (std::set<std::string>{"u1@x", "u2@x"}));
  EXPECT_EQ(Must(service_->SendPendingMail()), 0);  // each notification once
}

// Issue 13: every app server runs the mail job; two servers that read the same pending
// notifications at once (two handles on one database, each with its own service) send each
// mail once between them.
TEST_P(EventsTest, TwoServersSendEachMailOnce) {
  std::mutex mu;
  std::vector<std::string> sent;
  const auto outbox = [&](db::Session&, const MailMessage& m) -> Status {
    std::lock_guard lock(mu);
    sent.push_back(m.to);
    return {};
  };
  auto e = Published(10);
  for (int i = 0; i < 20; ++i) Must(service_->Register(Advisor("usr_" + std::to_string(i)), e.id, {}));
  auto other_db = Must(scratch().OpenAnother());
  Service one(db(), Options{.send_mail = outbox});
  Service two(*other_db, Options{.send_mail = outbox});
  std::atomic<int> counted{0};
  std::vector<std::thread> threads;
  for (Service* server : {&one, &two, &one, &two}) {
    threads.emplace_back([&, server] { counted += Must(server->SendPendingMail()); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(counted.load(), 20);
  std::set<std::string> to(sent.begin(), sent.end());
  EXPECT_EQ(sent.size(), 20u);  // 10 confirmations and 10 waiting-list notices, none twice
  EXPECT_EQ(to.size(), 20u);
  EXPECT_EQ(Must(one.SendPendingMail()) + Must(two.SendPendingMail()), 0);
}

FAIRDESK_INSTANTIATE_BACKENDS(EventsTest);

}  // namespace
}  // namespace fairdesk::events
