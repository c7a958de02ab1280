// Named SQL of the ESF Plus participant records; one text for SQLite and PostgreSQL.

#include <array>

#include "esf/store.hpp"
#include "platform/core/clock.hpp"

namespace fairdesk::esf {
namespace {

constexpr db::Migration kMigrations[] = {
    {630, "esf participants", R"SQL(
CREATE TABLE esf_participants (
  id TEXT PRIMARY KEY,
  case_id TEXT UNIQUE REFERENCES cases(id) ON DELETE SET NULL,
  centre_id TEXT NOT NULL,
  state TEXT NOT NULL,
  version BIGINT NOT NULL,
  entry_date TEXT,
  entry_month TEXT NOT NULL,
  gender TEXT NOT NULL,
  age_band TEXT NOT NULL,
  employment_status TEXT NOT NULL,
  education TEXT NOT NULL,
  third_country_national TEXT NOT NULL,
  foreign_background TEXT NOT NULL,
  homeless TEXT NOT NULL,
  rural TEXT NOT NULL,
  personal_enc TEXT,
  disability TEXT,
  minority TEXT,
  exit_date TEXT,
  exit_month TEXT,
  exit_status TEXT,
  qualification TEXT,
  long_term_status TEXT,
  special_asked_by TEXT,
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

constexpr db::Query kUpdate{
    "esf.update",
    "UPDATE esf_participants SET version = $2, entry_date = $3, entry_month = $4, gender = $5, age_band = $6, "
    "employment_status = $7, education = $8, third_country_national = $9, foreign_background = $10, homeless = $11, "
    "rural = $12, personal_enc = $13, exit_date = $14, exit_month = $15, exit_status = $16, qualification = $17, "
    "long_term_status = $18, special_asked_by = $19, special_asked_at = $20, updated_at = $21 "
    "WHERE id = $1 AND version = $22"};

constexpr db::Query kFacts{
    "esf.facts",
    "SELECT id, entry_month, exit_month, gender, age_band, employment_status, education, third_country_national, "
    "foreign_background, homeless, rural, disability, minority, exit_status, qualification, long_term_status, rkey, "
    "personal_enc FROM esf_participants "
    "WHERE ((entry_month >= $1 AND entry_month <= $2) OR (exit_month >= $1 AND exit_month <= $2)) "
    "AND ($3 = '' OR state = $3) AND ($4 = '' OR centre_id = $4)"};

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
    const auto& p = r.p;
    std::array<db::Value, 26> v{Text(p.id),
                                Text(p.case_id),
                                Text(p.centre_id),
                                Text(p.state),
                                p.version,
                                Text(p.entry_date),
                                Text(p.entry_date.substr(0, 7)),
                                Text(p.gender),
                                Text(AgeBand(p.birth_year, p.entry_date)),
                                Text(p.employment_status),
                                Text(p.education),
                                Text(p.third_country_national),
                                Text(p.foreign_background),
                                Text(p.homeless),
                                Text(p.rural),
                                db::Opt(r.personal_enc),
                                db::Opt(p.exit_date),
                                p.exit_date ? db::Value{p.exit_date->substr(0, 7)} : db::Null(),
                                db::Opt(p.exit_status),
                                db::Opt(p.qualification),
                                db::Opt(p.long_term_status),
                                db::Opt(p.special_asked_by),
                                db::Opt(p.special_asked_at),
                                p.created_at,
                                p.updated_at,
                                p.rkey};
    FD_TRY_VOID(s.Exec(kInsert, std::span<const db::Value>(v)));
    return {};
  }

  Result<bool> Update(db::Session& s, const Stored& r, std::int64_t expected_version) override {
    const auto& p = r.p;
    std::array<db::Value, 22> v{Text(p.id),
                                p.version,
                                Text(p.entry_date),
                                Text(p.entry_date.substr(0, 7)),
                                Text(p.gender),
                                Text(AgeBand(p.birth_year, p.entry_date)),
                                Text(p.employment_status),
                                Text(p.education),
                                Text(p.third_country_national),
                                Text(p.foreign_background),
                                Text(p.homeless),
                                Text(p.rural),
                                db::Opt(r.personal_enc),
                                db::Opt(p.exit_date),
                                p.exit_date ? db::Value{p.exit_date->substr(0, 7)} : db::Null(),
                                db::Opt(p.exit_status),
                                db::Opt(p.qualification),
                                db::Opt(p.long_term_status),
                                db::Opt(p.special_asked_by),
                                db::Opt(p.special_asked_at),
                                p.updated_at,
                                expected_version};
    return FD_TRY(s.Exec(kUpdate, std::span<const db::Value>(v))) == 1;
  }

  Result<std::vector<StoredFacts>> FactsIn(db::Session& s, const Scope& scope) override {
    auto rows = FD_TRY(s.Query(kFacts, {scope.from, scope.to, scope.state.value_or(""), scope.centre.value_or("")}));
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
      out.push_back(std::move(f));
    }
    return out;
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

}  // namespace fairdesk::esf
