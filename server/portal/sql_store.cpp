#include "portal/store.hpp"

#include <algorithm>

namespace fairdesk::portal {
namespace {

// Sign-language (DGS) videos of portal pages (BITV 2.0 § 4): a link, or a file served here; the
// file's column is BYTEA on PostgreSQL and BLOB on SQLite.
#define FD_SIGN_VIDEOS_TABLE(bytes)                                                                             \
  "CREATE TABLE portal_sign_videos (id TEXT PRIMARY KEY, page TEXT NOT NULL, title TEXT NOT NULL, url TEXT, "  \
  "content_type TEXT NOT NULL, size_bytes BIGINT NOT NULL, duration_seconds BIGINT NOT NULL, width BIGINT NOT " \
  "NULL, height BIGINT NOT NULL, fps BIGINT NOT NULL, captions TEXT NOT NULL, transcript TEXT NOT NULL, "       \
  "content " bytes ", created_at BIGINT NOT NULL, created_by TEXT NOT NULL); "                                  \
  "CREATE INDEX portal_sign_videos_page ON portal_sign_videos (page, created_at);"

constexpr db::Migration kMigrations[] = {
    {650, "portal: contact requests, used challenges, legal pages", R"SQL(
CREATE TABLE contact_requests (
  id TEXT PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  centre_id TEXT NOT NULL REFERENCES centres(id),
  location_id TEXT,
  postcode TEXT,
  language TEXT NOT NULL,
  topic TEXT NOT NULL,
  name_enc TEXT NOT NULL,
  reach_enc TEXT NOT NULL,
  message_enc TEXT NOT NULL,
  status TEXT NOT NULL,
  verified INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  client_id TEXT,
  case_id TEXT,
  handled_by TEXT,
  handled_at BIGINT
);
CREATE INDEX contact_requests_centre ON contact_requests (centre_id, status, created_at);
CREATE TABLE portal_used_challenges (
  challenge TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE INDEX portal_used_challenges_expiry ON portal_used_challenges (expires_at);
CREATE TABLE portal_legal_pages (
  page TEXT NOT NULL,
  lang TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (page, lang)
);
)SQL",
     {}},
    // The contact form's rate limit per IPv4 address or IPv6 /64, shared by every app server on
    // the database (issue 13): one row a key with its fixed window, counted by one upsert.
    {651, "portal: rate limits in the database", R"SQL(
CREATE TABLE portal_rate_limits (
  rate_key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  used BIGINT NOT NULL
);
CREATE INDEX portal_rate_limits_window ON portal_rate_limits (window_start);
CREATE TABLE portal_secrets (
  name TEXT PRIMARY KEY,
  value_enc TEXT NOT NULL
);
)SQL",
     {}},
    {652, "portal: sign-language videos", FD_SIGN_VIDEOS_TABLE("BYTEA"), FD_SIGN_VIDEOS_TABLE("BLOB")},
    // A version per video: its ETag, for If-Match on changes and If-Range on the file.
    {653, "portal: sign-language video versions",
     "ALTER TABLE portal_sign_videos ADD COLUMN version BIGINT NOT NULL DEFAULT 1;", {}},
    // Used challenges and the shared secret moved to the tables every module shares
    // (platform/cluster, migration 90: used_challenges, shared_secrets); since then nothing read or
    // wrote portal_used_challenges and portal_secrets. Nothing in them is carried over: the used
    // challenges were signed with the old portal secret, which no server verifies any more (they
    // cannot be replayed), and that secret only signed forms and rate-limit pseudonyms, which
    // started afresh under shared_secrets' `portal` when migration 90 came (docs/DECISIONS.md).
    {654, "portal: the retired secret and used-challenge tables dropped",
     "DROP TABLE portal_used_challenges;\nDROP TABLE portal_secrets;\n", {}},
};

constexpr db::Query kInsert{
    "portal.insert_request",
    "INSERT INTO contact_requests (id, reference, centre_id, location_id, postcode, language, topic, name_enc, "
    "reach_enc, message_enc, status, verified, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
    "$12, $13)"};
constexpr db::Query kReferenceExists{"portal.reference_exists",
                                     "SELECT COUNT(*) FROM contact_requests WHERE reference = $1"};
constexpr db::Query kListAll{
    "portal.list_requests",
    "SELECT id, reference, centre_id, location_id, postcode, language, topic, name_enc, reach_enc, message_enc, "
    "status, verified, created_at, client_id, case_id, handled_by, handled_at FROM contact_requests "
    "WHERE centre_id = $1 AND status <> 'suspected_spam' ORDER BY created_at DESC, id LIMIT $2"};
constexpr db::Query kListStatus{
    "portal.list_requests_status",
    "SELECT id, reference, centre_id, location_id, postcode, language, topic, name_enc, reach_enc, message_enc, "
    "status, verified, created_at, client_id, case_id, handled_by, handled_at FROM contact_requests "
    "WHERE centre_id = $1 AND status = $3 ORDER BY created_at DESC, id LIMIT $2"};
constexpr db::Query kFind{
    "portal.find_request",
    "SELECT id, reference, centre_id, location_id, postcode, language, topic, name_enc, reach_enc, message_enc, "
    "status, verified, created_at, client_id, case_id, handled_by, handled_at FROM contact_requests WHERE id = $1"};
constexpr db::Query kSetHandled{
    "portal.set_handled",
    "UPDATE contact_requests SET status = $2, client_id = $3, case_id = $4, handled_by = $5, handled_at = $6 "
    "WHERE id = $1"};
constexpr db::Query kCount{"portal.count_requests", "SELECT COUNT(*) FROM contact_requests"};
// Requests older than the cut-off that did not become a case, or whose case has since been
// anonymised or erased (the case's retention then applies to the request too).
constexpr db::Query kExpired{
    "portal.expired_requests",
    "SELECT id, centre_id FROM contact_requests r WHERE r.created_at < $1 AND (r.status <> 'converted' OR "
    "r.case_id IS NULL OR NOT EXISTS (SELECT 1 FROM cases k WHERE k.id = r.case_id AND k.anonymised_at IS NULL)) "
    "ORDER BY r.created_at, r.id LIMIT $2"};
constexpr db::Query kDeleteRequest{"portal.delete_request", "DELETE FROM contact_requests WHERE id = $1"};
constexpr db::Query kLegal{"portal.legal",
                           "SELECT page, lang, title, body, updated_at, updated_by FROM portal_legal_pages "
                           "WHERE page = $1 AND lang = $2"};
constexpr db::Query kListLegal{"portal.list_legal",
                               "SELECT page, lang, title, body, updated_at, updated_by FROM portal_legal_pages "
                               "ORDER BY page, lang"};
constexpr db::Query kDeleteLegal{"portal.delete_legal", "DELETE FROM portal_legal_pages WHERE page = $1 AND lang = $2"};
constexpr db::Query kInsertLegal{
    "portal.insert_legal",
    "INSERT INTO portal_legal_pages (page, lang, title, body, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6)"};

// Spends $3 units of key $1's budget $5 at time $2: a window that started at or before $4 (now
// minus the window's length) is over and starts again at $2. The WHERE refuses a spend beyond
// the budget without changing the row (no row comes back). PostgreSQL's upsert locks the row and
// checks the WHERE against its latest version, so parallel spends from several servers add up;
// SQLite has one writer anyway.
constexpr db::Query kSpendRate{
    "portal.spend_rate",
    "INSERT INTO portal_rate_limits (rate_key, window_start, used) VALUES ($1, $2, $3) "
    "ON CONFLICT (rate_key) DO UPDATE SET "
    "window_start = CASE WHEN portal_rate_limits.window_start <= $4 THEN $2 ELSE portal_rate_limits.window_start END, "
    "used = CASE WHEN portal_rate_limits.window_start <= $4 THEN $3 ELSE portal_rate_limits.used + $3 END "
    "WHERE portal_rate_limits.window_start <= $4 OR portal_rate_limits.used + $3 <= $5 "
    "RETURNING window_start"};
constexpr db::Query kRateWindow{"portal.rate_window", "SELECT window_start FROM portal_rate_limits WHERE rate_key = $1"};
constexpr db::Query kForgetRates{"portal.forget_rates", "DELETE FROM portal_rate_limits WHERE window_start <= $1"};

ContactRequest FromRow(const db::Row& r) {
  ContactRequest c;
  c.id = r.Text(0);
  c.reference = r.Text(1);
  c.centre_id = r.Text(2);
  c.location_id = r.OptText(3);
  c.postcode = r.OptText(4);
  c.language = r.Text(5);
  c.topic = r.Text(6);
  c.name = r.Text(7);
  c.reach = r.Text(8);
  c.message = r.Text(9);
  c.status = r.Text(10);
  c.verified = r.Bool(11);
  c.created_at = r.Int(12);
  c.client_id = r.OptText(13);
  c.case_id = r.OptText(14);
  c.handled_by = r.OptText(15);
  c.handled_at = r.OptInt(16);
  return c;
}

class SqlStore final : public Store {
 public:
  Result<std::optional<std::int64_t>> SpendRate(db::Session& s, const std::string& key, std::int64_t cost,
                                                std::int64_t budget, std::int64_t now, std::int64_t window) override {
    if (cost > budget) return std::optional<std::int64_t>(window);
    if (FD_TRY(s.MaybeOne(kSpendRate, {key, now, cost, now - window, budget}))) return std::optional<std::int64_t>();
    auto row = FD_TRY(s.MaybeOne(kRateWindow, {key}));
    std::int64_t start = row ? row->Int(0) : now;
    return std::optional<std::int64_t>(std::max<std::int64_t>(1, start + window - now));
  }

  Result<std::int64_t> ForgetRates(db::Session& s, std::int64_t ended_before) override {
    return FD_TRY(s.Exec(kForgetRates, {ended_before}));
  }

  Status Insert(db::Session& s, const ContactRequest& r) override {
    FD_TRY_VOID(s.Exec(kInsert, {r.id, r.reference, r.centre_id, db::Opt(r.location_id), db::Opt(r.postcode), r.language,
                                 r.topic, r.name, r.reach, r.message, r.status, std::int64_t{r.verified}, r.created_at}));
    return {};
  }

  Result<bool> ReferenceExists(db::Session& s, const std::string& reference) override {
    auto row = FD_TRY(s.One(kReferenceExists, {reference}));
    return row.Int(0) > 0;
  }

  Result<std::vector<ContactRequest>> List(db::Session& s, const std::string& centre_id,
                                           const std::optional<std::string>& status, std::size_t limit) override {
    std::vector<ContactRequest> out;
    auto rows = status ? FD_TRY(s.Query(kListStatus, {centre_id, static_cast<std::int64_t>(limit), *status}))
                       : FD_TRY(s.Query(kListAll, {centre_id, static_cast<std::int64_t>(limit)}));
    for (const auto& r : rows) out.push_back(FromRow(r));
    return out;
  }

  Result<std::optional<ContactRequest>> Find(db::Session& s, const std::string& id) override {
    auto row = FD_TRY(s.MaybeOne(kFind, {id}));
    if (!row) return std::optional<ContactRequest>();
    return std::optional<ContactRequest>(FromRow(*row));
  }

  Status SetHandled(db::Session& s, const ContactRequest& r) override {
    FD_TRY_VOID(s.Exec(kSetHandled, {r.id, r.status, db::Opt(r.client_id), db::Opt(r.case_id), db::Opt(r.handled_by),
                                     db::Opt(r.handled_at)}));
    return {};
  }

  Result<std::int64_t> Count(db::Session& s) override {
    auto row = FD_TRY(s.One(kCount, {}));
    return row.Int(0);
  }

  Result<std::vector<std::pair<std::string, std::string>>> Expired(db::Session& s, std::int64_t cutoff,
                                                                   std::size_t limit) override {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& r : FD_TRY(s.Query(kExpired, {cutoff, static_cast<std::int64_t>(limit)}))) {
      out.emplace_back(r.Text(0), r.Text(1));
    }
    return out;
  }

  Status Delete(db::Session& s, const std::string& id) override {
    FD_TRY_VOID(s.Exec(kDeleteRequest, {id}));
    return {};
  }

  Result<std::optional<LegalPage>> Legal(db::Session& s, const std::string& page, const std::string& lang) override {
    auto row = FD_TRY(s.MaybeOne(kLegal, {page, lang}));
    if (!row) return std::optional<LegalPage>();
    return std::optional<LegalPage>(
        LegalPage{row->Text(0), row->Text(1), row->Text(2), row->Text(3), row->Int(4), row->Text(5)});
  }

  Result<std::vector<LegalPage>> LegalPages(db::Session& s) override {
    std::vector<LegalPage> out;
    for (const auto& r : FD_TRY(s.Query(kListLegal, {}))) {
      out.push_back(LegalPage{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Text(5)});
    }
    return out;
  }

  Result<bool> DeleteLegal(db::Session& s, const std::string& page, const std::string& lang) override {
    return FD_TRY(s.Exec(kDeleteLegal, {page, lang})) > 0;
  }

  Status SaveLegal(db::Session& s, const LegalPage& p) override {
    FD_TRY_VOID(s.Exec(kDeleteLegal, {p.page, p.lang}));
    FD_TRY_VOID(s.Exec(kInsertLegal, {p.page, p.lang, p.title, p.body, p.updated_at, p.updated_by}));
    return {};
  }
};

}  // namespace

std::unique_ptr<Store> MakeSqlStore() { return std::make_unique<SqlStore>(); }
std::span<const db::Migration> Migrations() { return kMigrations; }

}  // namespace fairdesk::portal
