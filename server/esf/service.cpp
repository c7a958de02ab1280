#include "esf/service.hpp"

#include <boost/json.hpp>
#include <sodium.h>

#include <algorithm>
#include <tuple>

#include "audit/audit.hpp"
#include "platform/core/clock.hpp"
#include "platform/crypto/crypto.hpp"
#include "stats/periods.hpp"
#include "stats/protect.hpp"

namespace fairdesk::esf {
namespace json = boost::json;
namespace {

constexpr std::string_view kTable = "esf_participants";
constexpr std::string_view kFrozenTable = "esf_frozen_participants";
constexpr std::string_view kColumn = "personal_enc";
constexpr std::string_view kRecordType = "esf_participant";

bool In(std::span<const std::string_view> list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

bool MayOpen(const Principal& p, const CaseInfo& c) {
  return HasCaseAccess(p.role) && p.centre_id && *p.centre_id == c.centre_id;
}

json::value OptJson(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

std::string MonthText(YearMonth m) { return m.FirstDay().ToString().substr(0, 7); }

// The period of a table or export: from 2021-01 (ESF Plus 2021-2027), at most 120 months, not in
// the future; protected views end with the last complete month.
Status CheckPeriod(YearMonth from, YearMonth to, bool protected_view) {
  std::vector<FieldError> errors;
  const YearMonth now = YearMonth::Of(*Date::Parse(clock::TodayIso()));
  const YearMonth latest_protected = YearMonth::Of(now.FirstDay().AddMonths(-1));
  const int span = (to.year() - from.year()) * 12 + to.month() - from.month() + 1;
  if (MonthText(from) < kEarliestEntry.substr(0, 7)) errors.push_back({"from", "must be 2021-01 or later"});
  if (to > now) errors.push_back({"to", "must not be in the future"});
  else if (to < from) errors.push_back({"to", "must not be before from"});
  else if (span > 120) errors.push_back({"to", "a table covers at most 120 months"});
  else if (protected_view && to > latest_protected) {
    errors.push_back({"to", "the running month is not shown in protected views; the latest is " +
                                MonthText(latest_protected)});
  }
  if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
  return {};
}

struct Personal {
  std::int64_t birth_year = 0;
  std::string disability, minority;
};

Result<Personal> OpenPersonal(const crypto::Keyring& keyring, const std::string& sealed, std::string_view id,
                              std::string_view table = kTable) {
  auto text = FD_TRY(keyring.DecryptText(sealed, crypto::AssociatedData(table, kColumn, id)));
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Fail(Error::Internal("esf: sealed personal data is not a JSON object"));
  const auto& o = v.as_object();
  Personal out;
  if (const auto* x = o.if_contains("birth_year"); x && x->is_int64()) out.birth_year = x->as_int64();
  if (const auto* x = o.if_contains("disability"); x && x->is_string()) out.disability = std::string(x->as_string());
  if (const auto* x = o.if_contains("minority"); x && x->is_string()) out.minority = std::string(x->as_string());
  return out;
}

// The facts of records read from `table` with disability and minority opened where they are sealed.
Result<std::vector<Facts>> OpenFacts(const crypto::Keyring& keyring, std::vector<StoredFacts> rows,
                                     std::string_view table) {
  std::vector<Facts> facts;
  facts.reserve(rows.size());
  for (auto& row : rows) {
    if (row.personal_enc) {
      auto personal = FD_TRY(OpenPersonal(keyring, *row.personal_enc, row.id, table));
      row.facts.disability = personal.disability;
      row.facts.minority = personal.minority;
    }
    facts.push_back(std::move(row.facts));
  }
  return facts;
}

}  // namespace

std::string MakeETag(const Participant& p) { return "\"" + p.id + "." + std::to_string(p.version) + "\""; }

std::vector<FieldError> Validate(const Participant& p, std::string_view today) {
  std::vector<FieldError> errors;
  auto need = [&](std::string_view field, std::span<const std::string_view> list, const std::string& v) {
    if (!In(list, v)) errors.push_back({std::string(field), "is not one of the allowed values"});
  };
  auto entry = Date::Parse(p.entry_date);
  if (!entry) {
    errors.push_back({"entry_date", "must be a date YYYY-MM-DD"});
  } else if (p.entry_date < kEarliestEntry) {
    errors.push_back({"entry_date", "must be 2021-01-01 or later (ESF Plus 2021-2027)"});
  } else if (p.entry_date > today) {
    errors.push_back({"entry_date", "must not be in the future"});
  }
  if (p.birth_year < 1900 || (entry && p.birth_year > entry->year())) {
    errors.push_back({"birth_year", "must be a year from 1900 to the year of entry"});
  }
  need("gender", kGenders, p.gender);
  need("employment_status", kEmployment, p.employment_status);
  need("education", kEducation, p.education);
  need("third_country_national", kYesNo, p.third_country_national);
  need("foreign_background", kYesNo, p.foreign_background);
  need("homeless", kYesNo, p.homeless);
  need("rural", kYesNo, p.rural);
  need("disability", kSpecialAnswers, p.disability);
  need("minority", kSpecialAnswers, p.minority);
  if (p.exit_status) need("exit_status", kExitStatus, *p.exit_status);
  if (p.qualification) need("qualification", kYesNo, *p.qualification);
  if (p.long_term_status) need("long_term_status", kLongTermStatus, *p.long_term_status);
  if (p.exit_date) {
    auto exit = Date::Parse(*p.exit_date);
    if (!exit) errors.push_back({"exit_date", "must be a date YYYY-MM-DD"});
    else if (*p.exit_date > today) errors.push_back({"exit_date", "must not be in the future"});
    else if (*p.exit_date < p.entry_date) errors.push_back({"exit_date", "must not be before the entry date"});
    else if (p.long_term_status && exit->AddMonths(6).ToString() > today) {
      errors.push_back({"long_term_status", "can be recorded six months after leaving, from " +
                                                exit->AddMonths(6).ToString()});
    }
  } else {
    for (auto [name, set] : {std::pair{"exit_status", p.exit_status.has_value()},
                             std::pair{"qualification", p.qualification.has_value()},
                             std::pair{"long_term_status", p.long_term_status.has_value()}}) {
      if (set) errors.push_back({name, "needs an exit_date"});
    }
  }
  return errors;
}

Service::Service(db::Database& db, const crypto::Keyring& keyring, std::unique_ptr<Store> store)
    : db_(db), keyring_(keyring), store_(std::move(store)) {}

Result<Participant> Service::Open(Stored r) const {
  if (r.personal_enc) {
    auto personal = FD_TRY(OpenPersonal(keyring_, *r.personal_enc, r.p.id));
    r.p.birth_year = personal.birth_year;
    r.p.disability = personal.disability;
    r.p.minority = personal.minority;
  }
  return r.p;
}

Result<Stored> Service::Seal(const Participant& p) const {
  Stored r;
  r.p = p;
  r.p.birth_year = 0;
  r.p.disability.clear();
  r.p.minority.clear();
  const std::string text = json::serialize(
      json::object{{"birth_year", p.birth_year}, {"disability", p.disability}, {"minority", p.minority}});
  r.personal_enc = FD_TRY(keyring_.EncryptToText(text, crypto::AssociatedData(kTable, kColumn, p.id)));
  // The stored age band is computed from the plain record (the store derives it).
  r.p.birth_year = p.birth_year;
  return r;
}

Result<CaseView> Service::Get(const Principal& p, std::string_view case_id) {
  CaseView view;
  std::optional<Stored> stored;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    auto info = FD_TRY(store_->Case(s, case_id));
    if (!info || !MayOpen(p, *info)) return Fail(Error::NotFound("No such case."));
    view.consultations = info->consultations;
    view.eligible = info->consultations >= kMinConsultations && !info->anonymised;
    stored = FD_TRY(store_->FindByCase(s, case_id));
    return {};
  }));
  if (stored) {
    FD_TRY_VOID(audit::RecordRead(db_, p, kRecordType, stored->p.id, stored->p.centre_id));
    view.participant = FD_TRY(Open(std::move(*stored)));
  }
  return view;
}

Result<Participant> Service::Create(const Principal& p, std::string_view case_id, Participant in) {
  Participant out;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    auto info = FD_TRY(store_->Case(s, case_id));
    if (!info || !MayOpen(p, *info)) return Fail(Error::NotFound("No such case."));
    if (info->anonymised) return Fail(Error::Conflict("The case is anonymised."));
    if (info->consultations < kMinConsultations) {
      return Fail(Error::Invalid(
          "consultations",
          "ESF Plus participant data is recorded only for clients counselled more than once: short one-off advice "
          "is not a participation (the case needs at least 2 consultations)"));
    }
    if (FD_TRY(store_->FindByCase(s, case_id))) {
      return Fail(Error::Conflict("The case already has an ESF Plus record; correct it with PATCH."));
    }
    auto errors = Validate(in, clock::TodayIso());
    if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    out = std::move(in);
    out.id = crypto::NewId("esf");
    out.case_id = std::string(case_id);
    out.centre_id = info->centre_id;
    out.state = info->state;
    out.version = 1;
    out.created_at = out.updated_at = clock::NowUnix();
    out.special_asked_by = p.user_id;
    out.special_asked_at = out.created_at;
    out.rkey = static_cast<std::int64_t>(randombytes_uniform(0x7fffffff));
    FD_TRY_VOID(store_->Insert(s, FD_TRY(Seal(out))));
    return audit::Record(s, p, audit::kCreate, kRecordType, out.id, out.centre_id);
  }));
  return out;
}

Result<Participant> Service::Update(const Principal& p, std::string_view case_id,
                                    const std::vector<std::string>& if_match,
                                    const std::function<Status(Participant&)>& change) {
  Participant out;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    auto info = FD_TRY(store_->Case(s, case_id));
    if (!info || !MayOpen(p, *info)) return Fail(Error::NotFound("No such case."));
    auto stored = FD_TRY(store_->FindByCase(s, case_id));
    if (!stored) return Fail(Error::NotFound("The case has no ESF Plus record yet."));
    const Participant before = FD_TRY(Open(std::move(*stored)));
    if (!if_match.empty()) {
      const std::string tag = MakeETag(before);
      if (std::none_of(if_match.begin(), if_match.end(), [&](const std::string& t) { return t == "*" || t == tag; })) {
        return Fail(Error::Stale("The ESF Plus record"));
      }
    }
    Participant next = before;
    FD_TRY_VOID(change(next));
    // What identifies the record and when it began stays.
    next.id = before.id;
    next.case_id = before.case_id;
    next.centre_id = before.centre_id;
    next.state = before.state;
    next.created_at = before.created_at;
    next.rkey = before.rkey;
    auto errors = Validate(next, clock::TodayIso());
    if (!errors.empty()) return Fail(Error::Invalid(std::move(errors)));
    next.version = before.version + 1;
    next.updated_at = clock::NowUnix();
    if (next.disability != before.disability || next.minority != before.minority) {
      next.special_asked_by = p.user_id;
      next.special_asked_at = next.updated_at;
    }
    if (!FD_TRY(store_->Update(s, FD_TRY(Seal(next)), before.version))) return Fail(Error::Stale("The ESF Plus record"));
    out = next;
    return audit::Record(s, p, audit::kUpdate, kRecordType, out.id, out.centre_id);
  }));
  return out;
}

Result<IndicatorTable> Service::Indicators(const Principal& p, const IndicatorRequest& r) {
  IndicatorTable t;
  Scope scope;
  std::optional<std::string> centre_state;
  if (r.centre) {
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      centre_state = FD_TRY(store_->CentreState(s, *r.centre));
      return {};
    }));
  }
  const std::string kNotYours = "is not a centre you can report on";
  // Who reports on what: as the statistics tables (stats::Service::Query), without advisors.
  switch (p.role) {
    case Role::kCentreLead:
      if (!p.centre_id) return Fail(Error::Forbidden("You belong to no centre."));
      if (r.centre && *r.centre != *p.centre_id) return Fail(Error::Invalid("centre", kNotYours));
      if (r.state && (!p.state || *r.state != *p.state)) {
        return Fail(Error::Invalid("state", "is outside what you can report on"));
      }
      scope.centre = *p.centre_id;
      break;
    case Role::kStateCoordinator:
      if (!p.state) return Fail(Error::Forbidden("You coordinate no state."));
      if (r.state && *r.state != *p.state) return Fail(Error::Invalid("state", "is outside what you can report on"));
      if (r.centre && centre_state != p.state) return Fail(Error::Invalid("centre", kNotYours));
      scope.state = *p.state;
      scope.centre = r.centre;
      break;
    case Role::kCompetenceCentre:
    case Role::kProgramme:
      if (r.centre && (!centre_state || (r.state && *centre_state != *r.state))) {
        return Fail(Error::Invalid("centre", kNotYours));
      }
      scope.state = r.state;
      scope.centre = r.centre;
      break;
    case Role::kAdvisor:
      return Fail(Error::Forbidden("The centre lead exports the ESF Plus indicators of the centre."));
    case Role::kAdmin:
      return Fail(Error::Forbidden("Administrators see no statistics."));
  }
  // Exact only where the statistics tables are exact: the own centre (the Competence Centre's too).
  t.protected_ = stats::Service::ProtectedFor(p, scope.centre);
  FD_TRY_VOID(CheckPeriod(r.from, r.to, t.protected_));
  scope.from = MonthText(r.from);
  scope.to = MonthText(r.to);
  t.from = scope.from;
  t.to = scope.to;
  t.state = scope.state;
  t.centre = scope.centre;

  // Within a closed period: from the copy taken when it was closed (or of the revision asked for).
  std::vector<StoredFacts> rows;
  std::string secret;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    t.frozen = FD_TRY(stats::FindFrozen(s, r.from, r.to, scope.centre, r.revision));
    if (t.frozen && FD_TRY(store_->IsFrozen(s, t.frozen->period_id, t.frozen->revision))) {
      rows = FD_TRY(store_->FrozenFactsIn(s, scope, t.frozen->period_id, t.frozen->revision));
    } else {
      if (t.frozen) return Fail(Error::Internal("esf: a closed period without a copy of the records"));
      rows = FD_TRY(store_->FactsIn(s, scope));
    }
    secret = FD_TRY(store_->CellKeySecret(s)).value_or("");
    return {};
  }));
  if (t.protected_ && secret.empty()) return Fail(Error::Internal("esf: no cell-key secret"));
  const std::vector<Facts> facts = FD_TRY(OpenFacts(keyring_, std::move(rows), t.frozen ? kFrozenTable : kTable));
  const Counts counts = Count(facts, scope.from, scope.to);
  constexpr int G = static_cast<int>(std::size(kGenders));
  const std::size_t N = kIndicators.size();
  const std::vector<std::vector<bool>> hidden =
      t.protected_ ? Protect(counts) : std::vector<std::vector<bool>>(N, std::vector<bool>(G + 1, false));
  for (std::size_t i = 0; i < N; ++i) {
    const auto& ind = kIndicators[i];
    if (!ind.published) continue;
    IndicatorTable::Row row{std::string(ind.code), std::string(ind.label_de), std::string(ind.label_en), {}, {}};
    const std::string measure = "esf:" + std::string(ind.code);
    auto figure = [&](int j) -> Figure {
      if (!t.protected_) return {counts.value[i][j], false};
      if (hidden[i][j]) return {std::nullopt, true};
      return {stats::Perturb(counts.value[i][j], counts.key[i][j], stats::Kind::kCount, secret, measure), false};
    };
    for (int j = 0; j < G; ++j) row.by_gender.push_back(figure(j));
    row.total = figure(G);
    t.rows.push_back(std::move(row));
  }
  return t;
}

Status Service::Freeze(db::Session& s, const stats::FreezeScope& scope) {
  if (!FD_TRY(store_->MarkFrozen(s, scope.period_id, scope.revision))) return {};
  const Scope in{scope.from, scope.to, std::nullopt, scope.centre};
  for (auto& row : FD_TRY(store_->FactsIn(s, in))) {
    FrozenRecord f{crypto::NewId("esz"), scope.period_id, scope.revision, row.centre_id, row.state, row.facts,
                   row.version, {}};
    std::string disability = row.facts.disability, minority = row.facts.minority;
    if (row.personal_enc) {
      auto personal = FD_TRY(OpenPersonal(keyring_, *row.personal_enc, row.id));
      disability = personal.disability;
      minority = personal.minority;
    }
    f.facts.disability.clear();
    f.facts.minority.clear();
    f.personal_enc = FD_TRY(keyring_.EncryptToText(
        json::serialize(json::object{{"disability", disability}, {"minority", minority}}),
        crypto::AssociatedData(kFrozenTable, kColumn, f.id)));
    FD_TRY_VOID(store_->InsertFrozen(s, f));
  }
  return {};
}

Result<bool> Service::Changed(db::Session& s, const stats::FreezeScope& latest) {
  // A copy taken at the upgrade that added it (Init) is what the period is answered from.
  if (!FD_TRY(store_->IsFrozen(s, latest.period_id, latest.revision))) return false;
  return store_->FrozenDiffers(s, latest);
}

Status Service::Init() {
  return db_.Write([&](db::Session& s) -> Status {
    for (const auto& scope : FD_TRY(store_->UnfrozenRevisions(s))) FD_TRY_VOID(Freeze(s, scope));
    return {};
  });
}

Result<RecordExport> Service::Records(const Principal& p, YearMonth from, YearMonth to) {
  if (p.role != Role::kCentreLead) {
    return Fail(Error::Forbidden("The centre lead exports the ESF Plus records of the centre."));
  }
  if (!p.centre_id) return Fail(Error::Forbidden("You belong to no centre."));
  FD_TRY_VOID(CheckPeriod(from, to, false));
  RecordExport out{MonthText(from), MonthText(to), *p.centre_id, {}};
  const Scope scope{out.from, out.to, std::nullopt, out.centre};
  std::vector<StoredFacts> rows;
  std::string secret;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    rows = FD_TRY(store_->FactsIn(s, scope));
    secret = FD_TRY(store_->CellKeySecret(s)).value_or("");
    // One entry per export: who took the centre's records of which months.
    return audit::Record(s, p, audit::kExport, "esf_records", out.centre + ":" + out.from + ":" + out.to, out.centre);
  }));
  if (secret.empty()) return Fail(Error::Internal("esf: no server secret for the pseudonyms"));
  for (auto& row : rows) {
    if (row.personal_enc) {
      auto personal = FD_TRY(OpenPersonal(keyring_, *row.personal_enc, row.id));
      row.facts.disability = personal.disability;
      row.facts.minority = personal.minority;
    }
    RecordRow r{"P" + crypto::Sha256Hex(secret + ":esf-record:" + row.id).substr(0, 16), std::move(row.facts), {}};
    const Counts one = Count({r.facts}, out.from, out.to);
    for (std::size_t i = 0; i < kIndicators.size(); ++i) {
      if (kIndicators[i].published && one.value[i].back() > 0) r.codes.emplace_back(kIndicators[i].code);
    }
    out.rows.push_back(std::move(r));
  }
  std::ranges::sort(out.rows, [](const RecordRow& a, const RecordRow& b) {
    return std::tie(a.facts.entry_month, a.pseudonym) < std::tie(b.facts.entry_month, b.pseudonym);
  });
  return out;
}

Result<std::vector<DueItem>> Service::Due(const Principal& p) {
  if (!HasCaseAccess(p.role)) return Fail(Error::Forbidden("The results are recorded by the centre's advisors."));
  if (!p.centre_id) return Fail(Error::Forbidden("You belong to no centre."));
  std::vector<OpenResult> open;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    open = FD_TRY(store_->OpenResults(s, *p.centre_id));
    return {};
  }));
  const std::string today = clock::TodayIso();
  std::vector<DueItem> out;
  for (const auto& r : open) {
    auto exit = Date::Parse(r.exit_date);
    if (!exit) continue;
    if (!r.has_exit_status) {
      const std::string from = exit->AddDays(28).ToString();
      out.push_back({r.case_id, r.case_number, "exit_status", r.exit_date, from, from <= today});
    }
    if (!r.has_long_term_status) {
      const std::string from = exit->AddMonths(6).ToString();
      out.push_back({r.case_id, r.case_number, "long_term_status", r.exit_date, from, from <= today});
    }
  }
  std::ranges::stable_sort(out, [](const DueItem& a, const DueItem& b) { return a.due_from < b.due_from; });
  return out;
}

Status Service::SeedDemo(const std::function<Status(const std::string&, const std::string&)>& follow_up) {
  const std::string today = clock::TodayIso();
  const Date t = *Date::Parse(today);
  std::vector<std::string> ids;
  std::vector<CaseInfo> infos;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    ids = FD_TRY(store_->DemoCandidates(s, 5));
    for (const auto& id : ids) infos.push_back(FD_TRY(store_->Case(s, id)).value_or(CaseInfo{}));
    return {};
  }));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (infos[i].consultations < kMinConsultations && !infos[i].centre_id.empty()) {
      FD_TRY_VOID(follow_up(ids[i], infos[i].centre_id));
    }
  }
  return db_.Write([&](db::Session& s) -> Status {
    int n = 0;
    for (const auto& case_id : ids) {
      auto info = FD_TRY(store_->Case(s, case_id));
      if (!info || info->anonymised || info->consultations < kMinConsultations) continue;
      Participant p;
      p.id = crypto::NewId("esf");
      p.case_id = case_id;
      p.centre_id = info->centre_id;
      p.state = info->state;
      // Entries in the two months before the running one, so that the demo figures show up in
      // the indicator table of the last complete months.
      p.entry_date = t.FirstOfMonth().AddMonths(-1 - (n % 2)).AddDays(3 + n).ToString();
      p.gender = std::string(kGenders[n % 3]);
      p.birth_year = t.year() - (22 + 9 * n);
      p.employment_status = std::string(kEmployment[n % std::size(kEmployment)]);
      p.education = std::string(kEducation[n % std::size(kEducation)]);
      p.third_country_national = "yes";
      p.foreign_background = "yes";
      p.homeless = n == 3 ? "yes" : "no";
      p.rural = n % 3 == 2 ? "yes" : "no";
      p.disability = n == 1 ? "refused" : (n == 4 ? "yes" : "no");
      p.minority = n == 2 ? "refused" : "no";
      if (n % 2 == 0) {
        p.exit_date = t.FirstOfMonth().AddMonths(-1).AddDays(20).ToString();
        if (*p.exit_date < p.entry_date) p.exit_date = p.entry_date;
        p.exit_status = n == 0 ? "employed" : (n == 2 ? "job_searching" : "education_training");
        p.qualification = n == 4 ? "yes" : "no";
      }
      p.created_at = p.updated_at = clock::NowUnix();
      p.special_asked_at = p.created_at;
      p.rkey = static_cast<std::int64_t>(randombytes_uniform(0x7fffffff));
      if (!Validate(p, today).empty()) continue;
      FD_TRY_VOID(store_->Insert(s, FD_TRY(Seal(p))));
      FD_TRY_VOID(audit::RecordSystem(s, audit::kCreate, kRecordType, p.id, p.centre_id));
      ++n;
    }
    return {};
  });
}

Status UnlinkCase(db::Session& tx, const crypto::Keyring& keyring, std::string_view case_id) {
  auto store = MakeSqlStore();
  auto stored = FD_TRY(store->FindByCase(tx, case_id));
  if (!stored) return {};
  Personal personal;
  if (stored->personal_enc) personal = FD_TRY(OpenPersonal(keyring, *stored->personal_enc, stored->p.id));
  FD_TRY_VOID(store->Unlink(tx, stored->p.id, personal.disability, personal.minority));
  return audit::RecordSystem(tx, audit::kErase, kRecordType, stored->p.id, stored->p.centre_id);
}

json::object ToJson(const Participant& p) {
  return json::object{
      {"id", p.id},
      {"case_id", p.case_id},
      {"centre_id", p.centre_id},
      {"version", p.version},
      {"entry_date", p.entry_date},
      {"gender", p.gender},
      {"birth_year", p.birth_year},
      {"age_band", AgeBand(p.birth_year, p.entry_date)},
      {"employment_status", p.employment_status},
      {"education", p.education},
      {"third_country_national", p.third_country_national},
      {"foreign_background", p.foreign_background},
      {"homeless", p.homeless},
      {"rural", p.rural},
      {"disability", p.disability},
      {"minority", p.minority},
      {"special_asked_at",
       p.special_asked_at ? json::value(clock::FormatRfc3339(*p.special_asked_at)) : json::value(nullptr)},
      {"exit_date", OptJson(p.exit_date)},
      {"exit_status", OptJson(p.exit_status)},
      {"qualification", OptJson(p.qualification)},
      {"long_term_status", OptJson(p.long_term_status)},
      {"created_at", clock::FormatRfc3339(p.created_at)},
      {"updated_at", clock::FormatRfc3339(p.updated_at)},
  };
}

Status ExportForCase(db::Session& tx, const crypto::Keyring& keyring, std::string_view case_id, json::object& out) {
  auto store = MakeSqlStore();
  auto stored = FD_TRY(store->FindByCase(tx, case_id));
  if (!stored) return {};
  if (stored->personal_enc) {
    auto personal = FD_TRY(OpenPersonal(keyring, *stored->personal_enc, stored->p.id));
    stored->p.birth_year = personal.birth_year;
    stored->p.disability = personal.disability;
    stored->p.minority = personal.minority;
  }
  json::object o = ToJson(stored->p);
  o.erase("centre_id");
  out["esf_participant"] = std::move(o);
  return {};
}

std::vector<crypto::EncryptedColumn> EncryptedColumns() {
  return {{std::string(kTable), "id", std::string(kColumn), crypto::EncryptedColumn::Encoding::kBase64Text},
          {std::string(kFrozenTable), "id", std::string(kColumn), crypto::EncryptedColumn::Encoding::kBase64Text}};
}

}  // namespace fairdesk::esf
