// Demo clients and cases (`serve --demo`, `fairdesk demo-data`): pseudonymous, invented, for the
// Berlin and Bavaria demo centres.

#include "cases/service.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/date.hpp"

namespace fairdesk::cases {
namespace {

std::string DaysAgo(int days) {
  auto today = Date::Parse(clock::TodayIso());
  return today ? today->AddDays(-days).ToString() : clock::TodayIso();
}

}  // namespace

Status Service::SeedDemoCases() {
  bool seeded = false;
  std::optional<std::string> berlin, bavaria, lead;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    seeded = FD_TRY(store_.Seeded(s, "demo_cases"));
    berlin = FD_TRY(store_.UserIdByEmail(s, "advisor.berlin@example.org"));
    bavaria = FD_TRY(store_.UserIdByEmail(s, "advisor.bayern@example.org"));
    lead = FD_TRY(store_.UserIdByEmail(s, "lead.berlin@example.org"));
    if (!seeded) FD_TRY_VOID(store_.MarkSeeded(s, "demo_cases"));
    return {};
  }));
  if (seeded || !berlin || !bavaria) return {};

  auto principal = [](const std::string& id, Role role, std::string centre) {
    Principal p;
    p.user_id = id;
    p.role = role;
    p.centre_id = std::move(centre);
    return p;
  };
  Principal be = principal(*berlin, Role::kAdvisor, "centre-be-1");
  Principal by = principal(*bavaria, Role::kAdvisor, "centre-by-1");

  struct DemoCase {
    const Principal* who;
    std::string nationality;
    std::int64_t birth_year;
    std::string gender, language, sector, employment;
    std::vector<std::string> topics, flags;
    std::string status;
  };
  const std::vector<DemoCase> demo = {
      {&be, "SY", 1991, "male", "ar", "F", "employed", {"wages", "working_time"}, {}, "open"},
      {&be, "UA", 1985, "female", "uk", "Q", "employed", {"dismissal"}, {}, "open"},
      {&be, "VN", 1996, "female", "vi", "I", "marginal_employment", {"exploitation", "accommodation"},
       {"exploitation_indicators", "employer_tied_housing"}, "waiting_client"},
      {&be, "AF", 2001, "male", "fa", "H", "employed", {"sick_pay", "health_insurance"}, {}, "closed"},
      {&by, "IN", 1994, "male", "en", "C", "employed", {"wages", "leave"}, {}, "open"},
      {&by, "TR", 1979, "female", "tr", "N", "employed", {"contract", "working_time"}, {}, "referred"},
      {&by, "NG", 1988, "diverse", "en", "A", "employed", {"wages", "occupational_safety", "accommodation"},
       {"employer_tied_housing", "threats"}, "open"},
  };
  int n = 0;
  for (const auto& d : demo) {
    ++n;
    Client client;
    client.nationality = d.nationality;
    client.birth_year = d.birth_year;
    client.gender = d.gender;
    client.languages = {d.language};
    client.sector = d.sector;
    client.employment_status = d.employment;
    // Reporting fields: a plausible residence status per nationality; everyone lives in Germany.
    client.residence_status = d.nationality == "UA" ? "temporary_protection"
                              : d.nationality == "SY" || d.nationality == "AF" ? "humanitarian"
                                                                              : "employment";
    client.abroad = false;
    client.consents = {true, true, n % 2 == 0, DaysAgo(30 - n)};
    client.personal.safe_contact = "Demo: nur per Messenger, werktags nach 18 Uhr.";
    if (n == 1) {
      // A returning client to find again by name and phone (GET /api/v1/clients?q=).
      client.personal.name = "Demo Petrova";
      client.personal.phone = "+49 30 5550 1001";
    }
    auto created = FD_TRY(CreateClient(*d.who, client));
    Case c;
    c.client_id = created.id;
    c.topics = d.topics;
    c.risk_flags = d.flags;
    c.priority = d.flags.empty() ? "normal" : "high";
    auto k = FD_TRY(CreateCase(*d.who, c));
    Consultation con;
    con.date = DaysAgo(20 - n);
    con.duration_minutes = 45 + 5 * n;
    con.channel = n % 3 == 0 ? "phone" : "in_person";
    con.language = d.language;
    con.interpreter = n % 2 == 1;
    con.topics = d.topics;
    con.kind = "acute";
    con.notes = "Demo-Notiz: Erstgespräch, Unterlagen (Lohnabrechnungen, Arbeitsvertrag) angefordert.";
    FD_TRY_VOID(AddConsultation(*d.who, k.id, con));
    Deadline dl;
    dl.kind = n % 2 == 0 ? "dismissal_claim" : "exclusion_period";
    dl.due_date = DaysAgo(-(n * 2 - 3));  // some overdue, most within the next days
    dl.note = "Demo-Frist";
    FD_TRY_VOID(AddDeadline(*d.who, k.id, dl, std::nullopt, /*confirm_past=*/true));
    if (d.status == "referred") {
      Referral r;
      r.target = "trade_union";
      r.organisation_id = "partner-dgb";
      r.status = "made";
      r.client_consent = true;
      r.consent_date = DaysAgo(3);
      r.note = "Demo: Übergabe an die Gewerkschaft besprochen.";
      FD_TRY_VOID(AddReferral(*d.who, k.id, r));
    }
    if (d.status != "open") {
      FD_TRY_VOID(UpdateCase(*d.who, k.id, IfMatch{}, [&](Case& x) -> Status {
        x.status = d.status;
        if (d.status == "closed") {
          x.outcome = Outcome{184'500, false, true, false, false};
          x.closing_reason = "resolved";
        }
        return {};
      }));
    }
    if (n == 3) {
      Escalation e;
      e.summary = "Demo: Saisonkraft, Unterkunft beim Arbeitgeber, Lohn wird mit Miete verrechnet.";
      e.question = "Ist die Verrechnung der Miete mit dem Mindestlohn zulässig?";
      FD_TRY_VOID(CreateEscalation(*d.who, k.id, e));
    }
  }
  (void)lead;
  return {};
}

}  // namespace fairdesk::cases
