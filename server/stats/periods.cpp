// Closed reporting periods (docs/STATISTICS.md, "Closed periods"). Closing a period copies the
// statistics records of its months and scope into stats_frozen_cases / stats_frozen_consultations
// as revision 0; tables that lie within the period are answered from that copy from then on, so
// anonymisation, erasure, late entries and corrections no longer move them. A revision (with a
// reason) takes a new copy of the records as they are now; every revision stays readable.

#include "stats/periods.hpp"

#include <algorithm>

#include "audit/audit.hpp"
#include "platform/core/clock.hpp"
#include "platform/crypto/crypto.hpp"

namespace fairdesk::stats {
namespace {

constexpr db::Query kFindCentrePeriod{
    "stats.find_centre_period",
    "SELECT id, centre_id, label, from_month, to_month, closed_at, latest_revision FROM stats_periods "
    "WHERE from_month <= $1 AND to_month >= $2 AND (centre_id = $3 OR centre_id IS NULL) "
    "ORDER BY CASE WHEN centre_id IS NULL THEN 1 ELSE 0 END, from_month LIMIT 1"};
constexpr db::Query kFindNationwidePeriod{
    "stats.find_nationwide_period",
    "SELECT id, centre_id, label, from_month, to_month, closed_at, latest_revision FROM stats_periods "
    "WHERE from_month <= $1 AND to_month >= $2 AND centre_id IS NULL ORDER BY from_month LIMIT 1"};
constexpr db::Query kRevision{
    "stats.period_revision",
    "SELECT number, created_at, reason FROM stats_period_revisions WHERE period_id = $1 AND number = $2"};
constexpr db::Query kOverlapping{
    "stats.overlapping_period",
    "SELECT label FROM stats_periods WHERE from_month <= $1 AND to_month >= $2 AND "
    "COALESCE(centre_id, '') = $3 LIMIT 1"};
constexpr db::Query kInsertPeriod{
    "stats.insert_period",
    "INSERT INTO stats_periods (id, centre_id, label, from_month, to_month, closed_at, closed_by, latest_revision) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, 0)"};
constexpr db::Query kInsertRevision{
    "stats.insert_period_revision",
    "INSERT INTO stats_period_revisions (period_id, number, created_at, created_by, reason) VALUES ($1, $2, $3, $4, $5)"};
constexpr db::Query kSetLatest{"stats.set_latest_revision",
                               "UPDATE stats_periods SET latest_revision = $2 WHERE id = $1 AND latest_revision = $3"};
constexpr db::Query kPeriods{
    "stats.periods",
    "SELECT p.id, p.centre_id, p.label, p.from_month, p.to_month, p.closed_at, p.latest_revision, "
    "COALESCE(c.state, '') FROM stats_periods p LEFT JOIN centres c ON c.id = p.centre_id "
    "ORDER BY p.from_month DESC, p.to_month DESC, p.id"};
constexpr db::Query kPeriodById{
    "stats.period_by_id",
    "SELECT p.id, p.centre_id, p.label, p.from_month, p.to_month, p.closed_at, p.latest_revision, "
    "COALESCE(c.state, '') FROM stats_periods p LEFT JOIN centres c ON c.id = p.centre_id WHERE p.id = $1"};
constexpr db::Query kRevisions{
    "stats.period_revisions",
    "SELECT period_id, number, created_at, reason FROM stats_period_revisions ORDER BY period_id, number"};

// The copies: every attribute, no link to a case, consultation or statistics case record.
// $1 period, $2 revision, $3..$4 the months, $5 the centre ('' nationwide).
constexpr db::Query kFreezeCases{
    "stats.freeze_cases",
    "INSERT INTO stats_frozen_cases (period_id, revision, person_id, person_rkey, centre_id, state, opened_month, "
    "closed_month, topic, sector, sector_group, nationality, nationality_group, gender, age_band, "
    "employment_status, residence_status, abroad, referral_target, outcome, wages_recovered_cents, rkey) "
    "SELECT CAST($1 AS TEXT), CAST($2 AS INTEGER), person_id, person_rkey, centre_id, state, opened_month, "
    "closed_month, topic, sector, sector_group, nationality, nationality_group, gender, age_band, "
    "employment_status, residence_status, abroad, referral_target, outcome, wages_recovered_cents, rkey "
    "FROM stats_cases WHERE ((opened_month >= $3 AND opened_month <= $4) OR "
    "(closed_month >= $3 AND closed_month <= $4)) AND (CAST($5 AS TEXT) = '' OR centre_id = CAST($5 AS TEXT))"};
constexpr db::Query kFreezeConsultations{
    "stats.freeze_consultations",
    "INSERT INTO stats_frozen_consultations (period_id, revision, person_id, person_rkey, month, channel, language, "
    "kind, contact, centre_id, state, topic, sector, sector_group, nationality, nationality_group, gender, "
    "age_band, employment_status, residence_status, abroad, referral_target, outcome, rkey) "
    "SELECT CAST($1 AS TEXT), CAST($2 AS INTEGER), person_id, person_rkey, month, channel, language, kind, "
    "contact, centre_id, state, topic, sector, sector_group, nationality, nationality_group, gender, age_band, "
    "employment_status, residence_status, abroad, referral_target, outcome, rkey "
    "FROM stats_consultations WHERE month >= $3 AND month <= $4 AND "
    "(CAST($5 AS TEXT) = '' OR centre_id = CAST($5 AS TEXT))"};

// A fingerprint of what a period's figures are made of: records, their keys, closed cases and
// wages. Live and frozen differ when records were added, withdrawn, closed or their wages changed.
constexpr db::Query kLiveCasePrint{
    "stats.live_case_print",
    "SELECT COUNT(*), COALESCE(SUM(rkey), 0), "
    "COALESCE(SUM(CASE WHEN closed_month >= $1 AND closed_month <= $2 THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN closed_month >= $1 AND closed_month <= $2 THEN wages_recovered_cents ELSE 0 END), 0) "
    "FROM stats_cases WHERE ((opened_month >= $1 AND opened_month <= $2) OR "
    "(closed_month >= $1 AND closed_month <= $2)) AND (CAST($3 AS TEXT) = '' OR centre_id = CAST($3 AS TEXT))"};
constexpr db::Query kFrozenCasePrint{
    "stats.frozen_case_print",
    "SELECT COUNT(*), COALESCE(SUM(rkey), 0), "
    "COALESCE(SUM(CASE WHEN closed_month >= $1 AND closed_month <= $2 THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN closed_month >= $1 AND closed_month <= $2 THEN wages_recovered_cents ELSE 0 END), 0) "
    "FROM stats_frozen_cases WHERE period_id = $3 AND revision = $4"};
constexpr db::Query kLiveConsultationPrint{
    "stats.live_consultation_print",
    "SELECT COUNT(*), COALESCE(SUM(rkey), 0) FROM stats_consultations WHERE month >= $1 AND month <= $2 AND "
    "(CAST($3 AS TEXT) = '' OR centre_id = CAST($3 AS TEXT))"};
constexpr db::Query kFrozenConsultationPrint{
    "stats.frozen_consultation_print",
    "SELECT COUNT(*), COALESCE(SUM(rkey), 0) FROM stats_frozen_consultations WHERE period_id = $1 AND revision = $2"};

std::string Now() { return clock::FormatRfc3339(clock::NowUnix()); }
std::string Ym(YearMonth m) { return m.ToString(); }

ClosedPeriod PeriodFromRow(const db::Row& row) {
  ClosedPeriod p;
  p.id = row.Text(0);
  p.centre_id = row.OptText(1);
  p.label = row.Text(2);
  p.from = row.Text(3);
  p.to = row.Text(4);
  p.closed_at = row.Text(5);
  p.revisions.resize(static_cast<std::size_t>(row.Int(6)) + 1);
  p.state = row.Text(7);
  return p;
}

Status Freeze(db::Session& s, const ClosedPeriod& p, int revision) {
  const std::vector<db::Value> params{p.id, std::int64_t{revision}, p.from, p.to, p.centre_id.value_or("")};
  FD_TRY_VOID(s.Exec(kFreezeCases, params));
  FD_TRY_VOID(s.Exec(kFreezeConsultations, params));
  return {};
}

Result<bool> Changed(db::Session& s, const ClosedPeriod& p) {
  const int latest = static_cast<int>(p.revisions.size()) - 1;
  const std::string centre = p.centre_id.value_or("");
  auto live_cases = FD_TRY(s.One(kLiveCasePrint, {p.from, p.to, centre}));
  auto frozen_cases = FD_TRY(s.One(kFrozenCasePrint, {p.from, p.to, p.id, std::int64_t{latest}}));
  for (std::size_t i = 0; i < 4; ++i) {
    if (live_cases.OptInt(i).value_or(0) != frozen_cases.OptInt(i).value_or(0)) return true;
  }
  auto live_cons = FD_TRY(s.One(kLiveConsultationPrint, {p.from, p.to, centre}));
  auto frozen_cons = FD_TRY(s.One(kFrozenConsultationPrint, {p.id, std::int64_t{latest}}));
  for (std::size_t i = 0; i < 2; ++i) {
    if (live_cons.OptInt(i).value_or(0) != frozen_cons.OptInt(i).value_or(0)) return true;
  }
  return false;
}

// Who may see a period, and who may revise it: the centre lead of its centre (advisors see their
// centre's periods), the Competence Centre nationwide ones; state coordinators see nationwide ones
// and those of centres in their state; the Competence Centre and programme see all.
bool Visible(const Principal& u, const ClosedPeriod& p) {
  if (!p.centre_id) return u.role != Role::kAdmin;
  switch (u.role) {
    case Role::kAdvisor:
    case Role::kCentreLead:
      return u.centre_id && *u.centre_id == *p.centre_id;
    case Role::kStateCoordinator:
      return u.state && *u.state == p.state;
    case Role::kCompetenceCentre:
    case Role::kProgramme:
      return true;
    case Role::kAdmin:
      return false;
  }
  return false;
}

bool MayRevise(const Principal& u, const ClosedPeriod& p) {
  if (!p.centre_id) return u.role == Role::kCompetenceCentre;
  return u.role == Role::kCentreLead && u.centre_id && *u.centre_id == *p.centre_id;
}

}  // namespace

std::optional<std::pair<YearMonth, YearMonth>> ParsePeriodLabel(std::string_view label) {
  auto digits = [](std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }); };
  if (label.size() < 4 || !digits(label.substr(0, 4))) return std::nullopt;
  const int year = std::stoi(std::string(label.substr(0, 4)));
  if (label.size() == 4) {
    auto a = YearMonth::FromYm(year, 1), b = YearMonth::FromYm(year, 12);
    if (!a || !b) return std::nullopt;
    return std::pair{*a, *b};
  }
  if (label.size() == 7 && label[4] == '-' && label[5] == 'Q' && label[6] >= '1' && label[6] <= '4') {
    const int q = label[6] - '0';
    auto a = YearMonth::FromYm(year, q * 3 - 2), b = YearMonth::FromYm(year, q * 3);
    if (!a || !b) return std::nullopt;
    return std::pair{*a, *b};
  }
  if (label.size() == 7 && label[4] == '-' && digits(label.substr(5, 2))) {
    auto m = YearMonth::Parse(label);
    if (!m) return std::nullopt;
    return std::pair{*m, *m};
  }
  return std::nullopt;
}

Result<std::optional<FrozenInfo>> FindFrozen(db::Session& s, YearMonth from, YearMonth to,
                                            const std::optional<std::string>& centre, std::optional<int> revision) {
  auto rows = centre ? FD_TRY(s.Query(kFindCentrePeriod, {Ym(from), Ym(to), *centre}))
                     : FD_TRY(s.Query(kFindNationwidePeriod, {Ym(from), Ym(to)}));
  if (rows.empty()) {
    if (revision) return Fail(Error::Invalid("revision", "the table does not lie within a closed period"));
    return std::optional<FrozenInfo>{};
  }
  const auto& row = rows.front();
  FrozenInfo f;
  f.period_id = row.Text(0);
  f.centre_id = row.OptText(1);
  f.label = row.Text(2);
  f.from = row.Text(3);
  f.to = row.Text(4);
  f.closed_at = row.Text(5);
  f.latest_revision = static_cast<int>(row.Int(6));
  f.revision = revision.value_or(f.latest_revision);
  if (f.revision < 0 || f.revision > f.latest_revision) {
    return Fail(Error::Invalid("revision", "the closed period " + f.label + " has revisions 0 to " +
                                               std::to_string(f.latest_revision)));
  }
  auto rev = FD_TRY(s.One(kRevision, {f.period_id, std::int64_t{f.revision}}));
  f.revision_at = rev.Text(1);
  f.revision_reason = rev.OptText(2);
  return std::optional<FrozenInfo>{std::move(f)};
}

Status Service::FreezeAll(db::Session& s, const ClosedPeriod& p, int revision) {
  FD_TRY_VOID(Freeze(s, p, revision));
  const FreezeScope scope{p.id, revision, p.from, p.to, p.centre_id};
  for (FrozenSource* source : sources_) FD_TRY_VOID(source->Freeze(s, scope));
  return {};
}

Result<ClosedPeriod> Service::ClosePeriod(const Principal& u, const std::string& label) {
  std::optional<std::string> centre;
  if (u.role == Role::kCentreLead) {
    if (!u.centre_id) return Fail(Error::Forbidden("You belong to no centre."));
    centre = *u.centre_id;
  } else if (u.role != Role::kCompetenceCentre) {
    return Fail(Error::Forbidden("Only a centre lead (for the centre) or the Competence Centre (nationwide) closes a period."));
  }
  auto range = ParsePeriodLabel(label);
  if (!range) return Fail(Error::Invalid("period", "must be a year (2025), a quarter (2025-Q2) or a month (2025-05)"));
  if (range->first.year() < 2000) return Fail(Error::Invalid("period", "must be 2000 or later"));
  if (range->second > LatestProtectedMonth()) {
    return Fail(Error::Invalid("period", "must have ended: the latest month that can be closed is " +
                                             Ym(LatestProtectedMonth())));
  }
  ClosedPeriod p;
  p.id = crypto::NewId("spd");
  p.centre_id = centre;
  p.label = label;
  p.from = Ym(range->first);
  p.to = Ym(range->second);
  p.closed_at = Now();
  p.revisions = {PeriodRevision{0, p.closed_at, std::nullopt}};
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    auto overlap = FD_TRY(s.Query(kOverlapping, {p.to, p.from, centre.value_or("")}));
    if (!overlap.empty()) {
      return Fail(Error::Conflict("The period overlaps the closed period " + overlap.front().Text(0) + "."));
    }
    FD_TRY_VOID(s.Exec(kInsertPeriod, {p.id, db::Opt(centre), p.label, p.from, p.to, p.closed_at, u.user_id}));
    FD_TRY_VOID(s.Exec(kInsertRevision, {p.id, std::int64_t{0}, p.closed_at, u.user_id, db::Value{}}));
    FD_TRY_VOID(FreezeAll(s, p, 0));
    if (centre) {
      auto row = FD_TRY(s.One(kPeriodById, {p.id}));
      p.state = row.Text(7);
    }
    FD_TRY_VOID(audit::Record(s, u, audit::kCreate, "stats_period", p.id,
                              centre ? std::optional<std::string_view>(*centre) : std::nullopt));
    return {};
  }));
  p.can_revise = true;
  return p;
}

Result<ClosedPeriod> Service::RevisePeriod(const Principal& u, const std::string& id, const std::string& reason) {
  ClosedPeriod out;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    auto rows = FD_TRY(s.Query(kPeriodById, {id}));
    if (rows.empty()) return Fail(Error::NotFound("No such closed period."));
    ClosedPeriod p = PeriodFromRow(rows.front());
    if (!Visible(u, p)) return Fail(Error::NotFound("No such closed period."));
    if (!MayRevise(u, p)) {
      return Fail(Error::Forbidden(p.centre_id ? "Only the centre's lead revises its closed periods."
                                               : "Only the Competence Centre revises nationwide closed periods."));
    }
    const int latest = static_cast<int>(p.revisions.size()) - 1;
    const int next = latest + 1;
    const std::string now = Now();
    if (FD_TRY(s.Exec(kSetLatest, {p.id, std::int64_t{next}, std::int64_t{latest}})) != 1) {
      return Fail(Error::Conflict("The period was revised at the same time; please reload."));
    }
    FD_TRY_VOID(s.Exec(kInsertRevision, {p.id, std::int64_t{next}, now, u.user_id, reason}));
    FD_TRY_VOID(FreezeAll(s, p, next));
    FD_TRY_VOID(audit::Record(s, u, audit::kUpdate, "stats_period", p.id,
                              p.centre_id ? std::optional<std::string_view>(*p.centre_id) : std::nullopt));
    out = std::move(p);
    return {};
  }));
  // The list gives the revisions with their dates and reasons.
  auto all = FD_TRY(ListPeriods(u));
  for (auto& p : all) {
    if (p.id == id) return std::move(p);
  }
  return out;
}

Result<std::vector<ClosedPeriod>> Service::ReadPeriods(db::Session& s, const Principal& u) {
  std::vector<ClosedPeriod> out;
  for (const auto& row : FD_TRY(s.Query(kPeriods, {}))) {
    ClosedPeriod p = PeriodFromRow(row);
    if (Visible(u, p)) out.push_back(std::move(p));
  }
  if (out.empty()) return out;
  for (const auto& row : FD_TRY(s.Query(kRevisions, {}))) {
    auto it = std::find_if(out.begin(), out.end(), [&](const ClosedPeriod& p) { return p.id == row.Text(0); });
    if (it == out.end()) continue;
    const auto n = static_cast<std::size_t>(row.Int(1));
    if (n < it->revisions.size()) it->revisions[n] = PeriodRevision{static_cast<int>(n), row.Text(2), row.OptText(3)};
  }
  for (auto& p : out) {
    p.changed = FD_TRY(Changed(s, p));
    const FreezeScope latest{p.id, static_cast<int>(p.revisions.size()) - 1, p.from, p.to, p.centre_id};
    for (FrozenSource* source : sources_) {
      if (!p.changed) p.changed = FD_TRY(source->Changed(s, latest));
    }
    p.can_revise = MayRevise(u, p);
  }
  return out;
}

Result<std::vector<ClosedPeriod>> Service::ListPeriods(const Principal& u) {
  if (u.role == Role::kAdmin) return Fail(Error::Forbidden("Administrators see no statistics."));
  std::vector<ClosedPeriod> out;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(ReadPeriods(s, u));
    return {};
  }));
  return out;
}

}  // namespace fairdesk::stats
