// Named SQL of the ESF Plus participant records; one text for SQLite and PostgreSQL.

#include <algorithm>
#include <array>
#include <optional>

#include "esf/store.hpp"
#include "platform/core/clock.hpp"

namespace fairdesk::esf {
namespace {

// The columns a participant's frozen copy shares with its live record, X(name, SQL type), in the
// order ReadFacts reads them; the live and the frozen table's queries and the statement that
// freezes a record are made from this one list. The migrations list the columns in the runs
// below, so that their texts stay what databases migrated earlier ran (service_test pins them and
// compares both tables' columns with FrozenColumns() on each backend).
#define FD_ESF_PLACE_COLUMNS(X) X(centre_id, "TEXT NOT NULL") X(state, "TEXT NOT NULL")
#define FD_ESF_ATTRIBUTE_COLUMNS(X)                                                                              \
  X(gender, "TEXT NOT NULL") X(age_band, "TEXT NOT NULL") X(employment_status, "TEXT NOT NULL")                  \
  X(education, "TEXT NOT NULL") X(third_country_national, "TEXT NOT NULL") X(foreign_background, "TEXT NOT NULL") \
  X(homeless, "TEXT NOT NULL") X(rural, "TEXT NOT NULL")
#define FD_ESF_SPECIAL_COLUMNS(X) X(disability, "TEXT") X(minority, "TEXT")
#define FD_ESF_RESULT_COLUMNS(X) X(exit_status, "TEXT") X(qualification, "TEXT") X(long_term_status, "TEXT")
#define FD_ESF_FROZEN_COLUMNS(X)                                                                                 \
  X(entry_month, "TEXT NOT NULL") X(exit_month, "TEXT") FD_ESF_ATTRIBUTE_COLUMNS(X) FD_ESF_SPECIAL_COLUMNS(X)   \
  FD_ESF_RESULT_COLUMNS(X) X(rkey, "BIGINT NOT NULL") X(personal_enc, "TEXT") FD_ESF_PLACE_COLUMNS(X)
// A column's line in CREATE TABLE; ", name" in a column list; one per column (placeholder count).
#define FD_ESF_DEFINE(name, type) "  " #name " " type ",\n"
#define FD_ESF_NAME(name, type) ", " #name
#define FD_ESF_ONE(name, type) +1

constexpr Column kFrozenColumns[] = {
#define FD_ESF_ENTRY(name, type) Column{#name, type},
    FD_ESF_FROZEN_COLUMNS(FD_ESF_ENTRY)
#undef FD_ESF_ENTRY
};

constexpr db::Migration kMigrations[] = {
    {630, "esf participants", R"SQL(
CREATE TABLE esf_participants (
  id TEXT PRIMARY KEY,
  case_id TEXT UNIQUE REFERENCES cases(id) ON DELETE SET NULL,
)SQL" FD_ESF_PLACE_COLUMNS(FD_ESF_DEFINE) R"SQL(  version BIGINT NOT NULL,
  entry_date TEXT,
  entry_month TEXT NOT NULL,
)SQL" FD_ESF_ATTRIBUTE_COLUMNS(FD_ESF_DEFINE) R"SQL(  personal_enc TEXT,
)SQL" FD_ESF_SPECIAL_COLUMNS(FD_ESF_DEFINE) R"SQL(  exit_date TEXT,
  exit_month TEXT,
)SQL" FD_ESF_RESULT_COLUMNS(FD_ESF_DEFINE) R"SQL(  special_asked_by TEXT,
  special_asked_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  unlinked_at BIGINT,
  rkey BIGINT NOT NULL
);
CREATE INDEX esf_participants_entry ON esf_participants (entry_month, centre_id);
CREATE INDEX esf_participants_exit ON esf_participants (exit_month, centre_id);
)SQL",
     {}},
    {631, "esf participants frozen with closed statistics periods", R"SQL(
CREATE TABLE esf_frozen_participants (
  id TEXT PRIMARY KEY,
  period_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
)SQL" FD_ESF_PLACE_COLUMNS(FD_ESF_DEFINE) R"SQL(  entry_month TEXT NOT NULL,
  exit_month TEXT,
)SQL" FD_ESF_ATTRIBUTE_COLUMNS(FD_ESF_DEFINE) FD_ESF_SPECIAL_COLUMNS(FD_ESF_DEFINE)
        FD_ESF_RESULT_COLUMNS(FD_ESF_DEFINE) R"SQL(  rkey BIGINT NOT NULL,
  source_version BIGINT NOT NULL,
  personal_enc TEXT
);
CREATE INDEX esf_frozen_participants_period ON esf_frozen_participants (period_id, revision);
CREATE TABLE esf_frozen_revisions (
  period_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  frozen_at BIGINT NOT NULL,
  PRIMARY KEY (period_id, revision)
);
)SQL",
     {}},
};

constexpr db::Query kCase{"esf.case",
                          "SELECT c.centre_id, ce.state, c.anonymised_at, "
                          "(SELECT COUNT(*) FROM consultations k WHERE k.case_id = c.id AND k.withdrawn_at IS NULL) "
                          "FROM cases c JOIN centres ce ON ce.id = c.centre_id WHERE c.id = $1"};

#define FD_ESF_COLUMNS                                                                                         \
  "id, case_id, centre_id, state, version, entry_date, gender, employment_status, education, "                 \
  "third_country_national, foreign_background, homeless, rural, exit_date, exit_status, qualification, "       \
  "long_term_status, special_asked_by, special_asked_at, created_at, updated_at, rkey, personal_enc"

constexpr db::Query kFindByCase{"esf.find_by_case", "SELECT " FD_ESF_COLUMNS " FROM esf_participants WHERE case_id = $1"};

constexpr db::Query kInsert{
    "esf.insert",
    "INSERT INTO esf_participants (id, case_id, centre_id, state, version, entry_date, entry_month, gender, age_band, "
    "employment_status, education, third_country_national, foreign_background, homeless, rural, personal_enc, "
    "exit_date, exit_month, exit_status, qualification, long_term_status, special_asked_by, special_asked_at, "
    "created_at, updated_at, rkey) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
    "$17, $18, $19, $20, $21, $22, $23, $24, $25, $26)"};

// The same values as kInsert ($1-$26; what identifies the record is written unchanged), where the
// stored version is $27.
constexpr db::Query kUpdate{
    "esf.update",
    "UPDATE esf_participants SET case_id = $2, centre_id = $3, state = $4, version = $5, entry_date = $6, "
    "entry_month = $7, gender = $8, age_band = $9, employment_status = $10, education = $11, "
    "third_country_national = $12, foreign_background = $13, homeless = $14, rural = $15, personal_enc = $16, "
    "exit_date = $17, exit_month = $18, exit_status = $19, qualification = $20, long_term_status = $21, "
    "special_asked_by = $22, special_asked_at = $23, created_at = $24, updated_at = $25, rkey = $26 "
    "WHERE id = $1 AND version = $27"};

#define FD_ESF_IN_SCOPE                                                                              \
  "((entry_month >= $1 AND entry_month <= $2) OR (exit_month >= $1 AND exit_month <= $2)) "        \
  "AND ($3 = '' OR state = $3) AND ($4 = '' OR centre_id = $4)"

// A participant's facts (ReadFacts), live or frozen: id, the shared columns, the version.
constexpr db::Query kFacts{"esf.facts", "SELECT id" FD_ESF_FROZEN_COLUMNS(FD_ESF_NAME)
                                        ", version FROM esf_participants WHERE " FD_ESF_IN_SCOPE};

constexpr db::Query kFrozenFacts{"esf.frozen_facts",
                                 "SELECT id" FD_ESF_FROZEN_COLUMNS(FD_ESF_NAME)
                                 ", source_version FROM esf_frozen_participants WHERE " FD_ESF_IN_SCOPE
                                 " AND period_id = $5 AND revision = $6"};

// The copy of a record: id, period_id, revision, the shared columns, source_version (InsertFrozen
// writes the values in this order).
constexpr std::size_t kInsertFrozenValues = 4 FD_ESF_FROZEN_COLUMNS(FD_ESF_ONE);
constexpr db::Query kInsertFrozen{
    "esf.insert_frozen",
    "INSERT INTO esf_frozen_participants (id, period_id, revision" FD_ESF_FROZEN_COLUMNS(FD_ESF_NAME)
    ", source_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, "
    "$20, $21, $22, $23)"};
constexpr std::size_t Placeholders(std::string_view sql) { return static_cast<std::size_t>(std::ranges::count(sql, '$')); }
static_assert(Placeholders(kInsertFrozen.sql) == kInsertFrozenValues, "one placeholder per column of the copy");

constexpr db::Query kInsertFrozenRevision{
    "esf.insert_frozen_revision",
    "INSERT INTO esf_frozen_revisions (period_id, revision, frozen_at) VALUES ($1, $2, $3)"};

constexpr db::Query kHasFrozenRevision{
    "esf.has_frozen_revision",
    "SELECT 1 FROM esf_frozen_revisions WHERE period_id = $1 AND revision = $2"};

// The revisions of closed periods taken before the ESF Plus records were frozen with them.
constexpr db::Query kUnfrozenRevisions{
    "esf.unfrozen_revisions",
    "SELECT p.id, r.number, p.from_month, p.to_month, p.centre_id FROM stats_periods p "
    "JOIN stats_period_revisions r ON r.period_id = p.id WHERE NOT EXISTS (SELECT 1 FROM esf_frozen_revisions f "
    "WHERE f.period_id = p.id AND f.revision = r.number) ORDER BY p.id, r.number"};

// What the figures of a closed period are made of: records, their keys and versions. Live and
// frozen differ when a record was added, corrected or its exit recorded.
constexpr db::Query kLivePrint{
    "esf.live_print",
    "SELECT COUNT(*), COALESCE(SUM(rkey), 0), COALESCE(SUM(version), 0) FROM esf_participants WHERE "
    FD_ESF_IN_SCOPE};
constexpr db::Query kFrozenPrint{
    "esf.frozen_print",
    "SELECT COUNT(*), COALESCE(SUM(rkey), 0), COALESCE(SUM(source_version), 0) FROM esf_frozen_participants "
    "WHERE period_id = $1 AND revision = $2"};

constexpr db::Query kCentreState{"esf.centre_state", "SELECT state FROM centres WHERE id = $1"};

constexpr db::Query kUnlink{
    "esf.unlink",
    "UPDATE esf_participants SET case_id = NULL, entry_date = NULL, exit_date = NULL, personal_enc = NULL, "
    "disability = $2, minority = $3, special_asked_by = NULL, special_asked_at = NULL, unlinked_at = $4 "
    "WHERE id = $1"};

constexpr db::Query kOpenResults{
    "esf.open_results",
    "SELECT p.case_id, c.number, p.exit_date, CASE WHEN p.exit_status IS NULL THEN 0 ELSE 1 END, "
    "CASE WHEN p.long_term_status IS NULL THEN 0 ELSE 1 END "
    "FROM esf_participants p JOIN cases c ON c.id = p.case_id "
    "WHERE p.centre_id = $1 AND p.exit_date IS NOT NULL "
    "AND (p.exit_status IS NULL OR p.long_term_status IS NULL) ORDER BY p.exit_date, p.id"};

constexpr db::Query kSecret{"esf.cell_key_secret",
                            "SELECT value FROM stats_settings WHERE name = 'cell_key_secret'"};

constexpr db::Query kDemoCandidates{
    "esf.demo_candidates",
    "SELECT c.id FROM cases c WHERE c.anonymised_at IS NULL AND c.status <> 'closed' "
    "AND NOT EXISTS (SELECT 1 FROM esf_participants) "
    "AND (SELECT COUNT(*) FROM consultations k WHERE k.case_id = c.id AND k.withdrawn_at IS NULL) >= 1 "
    "ORDER BY c.opened_on, c.id LIMIT $1"};

db::Value Text(const std::string& s) { return db::Value{s}; }

// The values of FD_ESF_ATTRIBUTE_COLUMNS in their order, from a live record (Participant, with
// its age band) or a frozen copy's Facts: kInsert, kUpdate and kInsertFrozen bind them alike.
template <class Attributes>
void AddAttributes(std::vector<db::Value>& v, const Attributes& a, const std::string& age_band) {
  for (const std::string* x : {&a.gender, &age_band, &a.employment_status, &a.education, &a.third_country_national,
                               &a.foreign_background, &a.homeless, &a.rural}) {
    v.push_back(Text(*x));
  }
}
static_assert(0 FD_ESF_ATTRIBUTE_COLUMNS(FD_ESF_ONE) == 8, "AddAttributes binds every attribute column");

// The values of kInsert ($1-$26), then the expected version of kUpdate ($27).
std::vector<db::Value> RecordValues(const Stored& r, std::optional<std::int64_t> expected_version) {
  const auto& p = r.p;
  std::vector<db::Value> v{Text(p.id),    Text(p.case_id),    Text(p.centre_id),           Text(p.state),
                           p.version,     Text(p.entry_date), Text(p.entry_date.substr(0, 7))};
  AddAttributes(v, p, AgeBand(p.birth_year, p.entry_date));
  v.insert(v.end(), {db::Opt(r.personal_enc), db::Opt(p.exit_date),
                     p.exit_date ? db::Value{p.exit_date->substr(0, 7)} : db::Null(), db::Opt(p.exit_status),
                     db::Opt(p.qualification), db::Opt(p.long_term_status), db::Opt(p.special_asked_by),
                     db::Opt(p.special_asked_at), p.created_at, p.updated_at, p.rkey, expected_version.value_or(0)});
  return v;
}

std::vector<db::Value> ScopeValues(const Scope& scope) {
  return {scope.from, scope.to, scope.state.value_or(""), scope.centre.value_or("")};
}

// Rows of kFacts or kFrozenFacts.
std::vector<StoredFacts> ReadFacts(const std::vector<db::Row>& rows) {
  std::vector<StoredFacts> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    StoredFacts f;
    f.id = row.Text(0);
    f.facts.entry_month = row.Text(1);
    f.facts.exit_month = row.OptText(2);
    f.facts.gender = row.Text(3);
    f.facts.age_band = row.Text(4);
    f.facts.employment_status = row.Text(5);
    f.facts.education = row.Text(6);
    f.facts.third_country_national = row.Text(7);
    f.facts.foreign_background = row.Text(8);
    f.facts.homeless = row.Text(9);
    f.facts.rural = row.Text(10);
    f.facts.disability = row.OptText(11).value_or("");
    f.facts.minority = row.OptText(12).value_or("");
    f.facts.exit_status = row.OptText(13);
    f.facts.qualification = row.OptText(14);
    f.facts.long_term_status = row.OptText(15);
    f.facts.rkey = row.Int(16);
    f.personal_enc = row.OptText(17);
    f.centre_id = row.Text(18);
    f.state = row.Text(19);
    f.version = row.Int(20);
    out.push_back(std::move(f));
  }
  return out;
}

class SqlStore final : public Store {
 public:
  Result<std::optional<CaseInfo>> Case(db::Session& s, std::string_view case_id) override {
    auto row = FD_TRY(s.MaybeOne(kCase, {std::string(case_id)}));
    if (!row) return std::optional<CaseInfo>();
    CaseInfo c;
    c.centre_id = row->Text(0);
    c.state = row->OptText(1).value_or("");
    c.anonymised = !row->IsNull(2);
    c.consultations = row->Int(3);
    return std::optional(c);
  }

  Result<std::optional<Stored>> FindByCase(db::Session& s, std::string_view case_id) override {
    auto row = FD_TRY(s.MaybeOne(kFindByCase, {std::string(case_id)}));
    if (!row) return std::optional<Stored>();
    Stored r;
    auto& p = r.p;
    p.id = row->Text(0);
    p.case_id = row->OptText(1).value_or("");
    p.centre_id = row->Text(2);
    p.state = row->Text(3);
    p.version = row->Int(4);
    p.entry_date = row->OptText(5).value_or("");
    p.gender = row->Text(6);
    p.employment_status = row->Text(7);
    p.education = row->Text(8);
    p.third_country_national = row->Text(9);
    p.foreign_background = row->Text(10);
    p.homeless = row->Text(11);
    p.rural = row->Text(12);
    p.exit_date = row->OptText(13);
    p.exit_status = row->OptText(14);
    p.qualification = row->OptText(15);
    p.long_term_status = row->OptText(16);
    p.special_asked_by = row->OptText(17);
    p.special_asked_at = row->OptInt(18);
    p.created_at = row->Int(19);
    p.updated_at = row->Int(20);
    p.rkey = row->Int(21);
    r.personal_enc = row->OptText(22);
    return std::optional(std::move(r));
  }

  Status Insert(db::Session& s, const Stored& r) override {
    const auto v = RecordValues(r, std::nullopt);
    FD_TRY_VOID(s.Exec(kInsert, std::span<const db::Value>(v.data(), v.size() - 1)));
    return {};
  }

  Result<bool> Update(db::Session& s, const Stored& r, std::int64_t expected_version) override {
    const auto v = RecordValues(r, expected_version);
    return FD_TRY(s.Exec(kUpdate, std::span<const db::Value>(v))) == 1;
  }

  Result<std::vector<StoredFacts>> FactsIn(db::Session& s, const Scope& scope) override {
    return ReadFacts(FD_TRY(s.Query(kFacts, ScopeValues(scope))));
  }

  Result<std::vector<StoredFacts>> FrozenFactsIn(db::Session& s, const Scope& scope, std::string_view period_id,
                                                 int revision) override {
    auto params = ScopeValues(scope);
    params.emplace_back(std::string(period_id));
    params.emplace_back(std::int64_t{revision});
    return ReadFacts(FD_TRY(s.Query(kFrozenFacts, params)));
  }

  Status InsertFrozen(db::Session& s, const FrozenRecord& r) override {
    const Facts& f = r.facts;
    // Disability and minority travel sealed in personal_enc (the facts' plain fields are empty).
    auto plain = [](const std::string& v) { return v.empty() ? db::Null() : Text(v); };
    std::vector<db::Value> v{Text(r.id), Text(r.period_id), std::int64_t{r.revision}, Text(f.entry_month),
                             db::Opt(f.exit_month)};
    AddAttributes(v, f, f.age_band);
    v.insert(v.end(), {plain(f.disability), plain(f.minority), db::Opt(f.exit_status), db::Opt(f.qualification),
                       db::Opt(f.long_term_status), f.rkey, Text(r.personal_enc), Text(r.centre_id),
                       Text(r.state), r.source_version});
    if (v.size() != kInsertFrozenValues) return Fail(Error::Internal("esf: the frozen copy's values do not fit"));
    FD_TRY_VOID(s.Exec(kInsertFrozen, v));
    return {};
  }

  Result<bool> MarkFrozen(db::Session& s, std::string_view period_id, int revision) override {
    if (FD_TRY(s.MaybeOne(kHasFrozenRevision, {std::string(period_id), std::int64_t{revision}}))) return false;
    FD_TRY_VOID(s.Exec(kInsertFrozenRevision, {std::string(period_id), std::int64_t{revision}, clock::NowUnix()}));
    return true;
  }

  Result<bool> IsFrozen(db::Session& s, std::string_view period_id, int revision) override {
    return FD_TRY(s.MaybeOne(kHasFrozenRevision, {std::string(period_id), std::int64_t{revision}})).has_value();
  }

  Result<std::vector<stats::FreezeScope>> UnfrozenRevisions(db::Session& s) override {
    std::vector<stats::FreezeScope> out;
    for (const auto& row : FD_TRY(s.Query(kUnfrozenRevisions, {}))) {
      out.push_back({row.Text(0), static_cast<int>(row.Int(1)), row.Text(2), row.Text(3), row.OptText(4)});
    }
    return out;
  }

  Result<bool> FrozenDiffers(db::Session& s, const stats::FreezeScope& latest) override {
    auto live = FD_TRY(s.One(kLivePrint, {latest.from, latest.to, std::string(), latest.centre.value_or("")}));
    auto frozen = FD_TRY(s.One(kFrozenPrint, {latest.period_id, std::int64_t{latest.revision}}));
    for (std::size_t i = 0; i < 3; ++i) {
      if (live.OptInt(i).value_or(0) != frozen.OptInt(i).value_or(0)) return true;
    }
    return false;
  }

  Result<std::optional<std::string>> CentreState(db::Session& s, std::string_view centre_id) override {
    auto row = FD_TRY(s.MaybeOne(kCentreState, {std::string(centre_id)}));
    if (!row) return std::optional<std::string>();
    return row->OptText(0);
  }

  Status Unlink(db::Session& s, std::string_view id, std::string_view disability, std::string_view minority) override {
    FD_TRY_VOID(s.Exec(kUnlink, {std::string(id), std::string(disability), std::string(minority),
                                 clock::NowUnix()}));
    return {};
  }

  Result<std::vector<OpenResult>> OpenResults(db::Session& s, std::string_view centre_id) override {
    std::vector<OpenResult> out;
    for (const auto& row : FD_TRY(s.Query(kOpenResults, {std::string(centre_id)}))) {
      out.push_back({row.Text(0), row.Text(1), row.Text(2), row.Bool(3), row.Bool(4)});
    }
    return out;
  }

  Result<std::optional<std::string>> CellKeySecret(db::Session& s) override {
    auto row = FD_TRY(s.MaybeOne(kSecret, {}));
    if (!row) return std::optional<std::string>();
    return row->OptText(0);
  }

  Result<std::vector<std::string>> DemoCandidates(db::Session& s, int limit) override {
    std::vector<std::string> out;
    for (const auto& row : FD_TRY(s.Query(kDemoCandidates, {std::int64_t{limit}}))) out.push_back(row.Text(0));
    return out;
  }
};

}  // namespace

std::unique_ptr<Store> MakeSqlStore() { return std::make_unique<SqlStore>(); }

std::span<const db::Migration> Migrations() { return kMigrations; }

std::span<const Column> FrozenColumns() { return kFrozenColumns; }

}  // namespace fairdesk::esf
