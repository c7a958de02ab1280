#include "documents/store.hpp"

namespace fairdesk::documents {
namespace {

// The cases table (cases module, versions 400-459) comes first. Content lives in the last column
// so that listing a case's documents never reads the large values.
constexpr db::Migration kMigrations[] = {
    {460, "documents", R"SQL(
CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  filename_sealed BYTEA NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  uploaded_at BIGINT NOT NULL,
  uploaded_by TEXT NOT NULL,
  content_sealed BYTEA NOT NULL
);
CREATE INDEX documents_case ON documents (case_id, uploaded_at, id);
)SQL",
     R"SQL(
CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  filename_sealed BLOB NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  uploaded_at BIGINT NOT NULL,
  uploaded_by TEXT NOT NULL,
  content_sealed BLOB NOT NULL
);
CREATE INDEX documents_case ON documents (case_id, uploaded_at, id);
)SQL"},
    {461, "documents: withdrawal with a reason", R"SQL(
ALTER TABLE documents ADD COLUMN withdrawn_at BIGINT;
ALTER TABLE documents ADD COLUMN withdrawn_by TEXT;
ALTER TABLE documents ADD COLUMN withdraw_reason_enc TEXT;
)SQL",
     {}},
    {462, "documents: correction by a new version (the old one stays, withdrawn, in the history)", R"SQL(
ALTER TABLE documents ADD COLUMN replaces_id TEXT;
ALTER TABLE documents ADD COLUMN replaced_by_id TEXT;
)SQL",
     {}},
};

constexpr db::Query kCaseCentre{"documents.case_centre", "SELECT centre_id FROM cases WHERE id = $1"};
// In the writing transaction of an upload: the case row is locked on PostgreSQL, so that two
// uploads to one case check the quota one after the other (SQLite has one writer anyway).
constexpr db::Query kCaseState{"documents.case_state",
                               "SELECT centre_id, anonymised_at, status FROM cases WHERE id = $1 FOR UPDATE",
                               "SELECT centre_id, anonymised_at, status FROM cases WHERE id = $1"};
constexpr db::Query kCaseUsage{"documents.case_usage",
                               "SELECT COUNT(*), COALESCE(SUM(size_bytes), 0) FROM documents WHERE case_id = $1"};
// The marks of a withdrawn document and the names of the people involved.
#define FD_DOC_MARK_COLUMNS \
  ", d.withdrawn_at, d.withdrawn_by, d.withdraw_reason_enc, uu.display_name, uw.display_name, d.replaces_id, " \
  "d.replaced_by_id"
#define FD_DOC_FROM                                                                                             \
  " FROM documents d JOIN cases c ON c.id = d.case_id LEFT JOIN users uu ON uu.id = d.uploaded_by LEFT JOIN users " \
  "uw ON uw.id = d.withdrawn_by"
#define FD_DOC_MARKS FD_DOC_MARK_COLUMNS FD_DOC_FROM
constexpr db::Query kInsert{
    "documents.insert",
    "INSERT INTO documents (id, case_id, filename_sealed, content_type, size_bytes, uploaded_at, uploaded_by, "
    "content_sealed, replaces_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
constexpr db::Query kList{
    "documents.list",
    "SELECT d.id, d.case_id, c.centre_id, d.filename_sealed, d.content_type, d.size_bytes, d.uploaded_at, "
    "d.uploaded_by" FD_DOC_MARKS " WHERE d.case_id = $1 "
    "AND ($2::BIGINT IS NULL OR d.uploaded_at < $2 OR (d.uploaded_at = $2 AND d.id < $3)) "
    "ORDER BY d.uploaded_at DESC, d.id DESC LIMIT $4",
    "SELECT d.id, d.case_id, c.centre_id, d.filename_sealed, d.content_type, d.size_bytes, d.uploaded_at, "
    "d.uploaded_by" FD_DOC_MARKS " WHERE d.case_id = $1 "
    "AND ($2 IS NULL OR d.uploaded_at < $2 OR (d.uploaded_at = $2 AND d.id < $3)) "
    "ORDER BY d.uploaded_at DESC, d.id DESC LIMIT $4"};
constexpr db::Query kGet{
    "documents.get",
    "SELECT d.id, d.case_id, c.centre_id, d.filename_sealed, d.content_type, d.size_bytes, d.uploaded_at, "
    "d.uploaded_by" FD_DOC_MARKS " WHERE d.id = $1"};
constexpr db::Query kGetWithContent{
    "documents.get_with_content",
    "SELECT d.id, d.case_id, c.centre_id, d.filename_sealed, d.content_type, d.size_bytes, d.uploaded_at, "
    "d.uploaded_by" FD_DOC_MARK_COLUMNS ", d.content_sealed" FD_DOC_FROM " WHERE d.id = $1"};
constexpr db::Query kWithdraw{"documents.withdraw",
                              "UPDATE documents SET withdrawn_at = $3, withdrawn_by = $2, withdraw_reason_enc = $4 "
                              "WHERE id = $1 AND withdrawn_at IS NULL"};
constexpr db::Query kMarkReplaced{"documents.mark_replaced",
                                  "UPDATE documents SET replaced_by_id = $2 WHERE id = $1 AND replaced_by_id IS NULL"};
constexpr db::Query kDelete{"documents.delete", "DELETE FROM documents WHERE id = $1"};
constexpr db::Query kIdsOfCase{"documents.ids_of_case", "SELECT id FROM documents WHERE case_id = $1 ORDER BY id"};
constexpr db::Query kDeleteOfCase{"documents.delete_of_case", "DELETE FROM documents WHERE case_id = $1"};

db::Blob ToBlob(std::string_view bytes) {
  return db::Blob{std::vector<unsigned char>(bytes.begin(), bytes.end())};
}

std::string FromBlob(const db::Blob& blob) { return std::string(blob.bytes.begin(), blob.bytes.end()); }

StoredDocument FromRow(const db::Row& r, bool with_content) {
  StoredDocument d;
  d.id = r.Text(0);
  d.case_id = r.Text(1);
  d.centre_id = r.Text(2);
  d.filename_sealed = FromBlob(r.Bytes(3));
  d.content_type = r.Text(4);
  d.size_bytes = r.Int(5);
  d.uploaded_at = r.Int(6);
  d.uploaded_by = r.Text(7);
  d.withdrawn_at = r.OptInt(8);
  d.withdrawn_by = r.OptText(9);
  d.withdraw_reason_enc = r.OptText(10);
  d.uploaded_by_name = r.OptText(11);
  d.withdrawn_by_name = r.OptText(12);
  d.replaces_id = r.OptText(13);
  d.replaced_by_id = r.OptText(14);
  if (with_content) d.content_sealed = FromBlob(r.Bytes(15));
  return d;
}

class SqlStore final : public Store {
 public:
  Result<std::optional<std::string>> CaseCentre(db::Session& s, std::string_view case_id) override {
    auto row = FD_TRY(s.MaybeOne(kCaseCentre, {std::string(case_id)}));
    if (!row || row->IsNull(0)) return std::optional<std::string>{};
    return std::optional<std::string>{row->Text(0)};
  }

  Result<std::optional<CaseState>> FindCaseState(db::Session& s, std::string_view case_id) override {
    auto row = FD_TRY(s.MaybeOne(kCaseState, {std::string(case_id)}));
    if (!row || row->IsNull(0)) return std::optional<CaseState>{};
    return std::optional<CaseState>{CaseState{row->Text(0), !row->IsNull(1), row->Text(2) == "closed"}};
  }

  Result<CaseUsage> UsageOfCase(db::Session& s, std::string_view case_id) override {
    auto row = FD_TRY(s.One(kCaseUsage, {std::string(case_id)}));
    return CaseUsage{row.Int(0), row.Int(1)};
  }

  Status Insert(db::Session& s, const StoredDocument& d) override {
    FD_TRY(s.Exec(kInsert, {d.id, d.case_id, ToBlob(d.filename_sealed), d.content_type, d.size_bytes, d.uploaded_at,
                            d.uploaded_by, ToBlob(d.content_sealed), db::Opt(d.replaces_id)}));
    return {};
  }

  Result<std::vector<StoredDocument>> ListForCase(db::Session& s, std::string_view case_id,
                                                  const std::optional<ListCursor>& after, int limit) override {
    auto rows = FD_TRY(s.Query(kList, {std::string(case_id), after ? db::Value{after->uploaded_at} : db::Null(),
                                       after ? db::Value{after->id} : db::Null(), std::int64_t{limit}}));
    std::vector<StoredDocument> out;
    for (const auto& r : rows) out.push_back(FromRow(r, false));
    return out;
  }

  Result<std::optional<StoredDocument>> Get(db::Session& s, std::string_view id, bool with_content) override {
    auto row = FD_TRY(s.MaybeOne(with_content ? kGetWithContent : kGet, {std::string(id)}));
    if (!row) return std::optional<StoredDocument>{};
    return std::optional<StoredDocument>{FromRow(*row, with_content)};
  }

  Result<bool> Delete(db::Session& s, std::string_view id) override {
    return FD_TRY(s.Exec(kDelete, {std::string(id)})) > 0;
  }

  Result<bool> Withdraw(db::Session& s, std::string_view id, std::string_view by, std::int64_t at,
                        std::string_view reason_enc) override {
    return FD_TRY(s.Exec(kWithdraw, {std::string(id), std::string(by), at, std::string(reason_enc)})) == 1;
  }

  Result<bool> MarkReplaced(db::Session& s, std::string_view id, std::string_view by_id) override {
    return FD_TRY(s.Exec(kMarkReplaced, {std::string(id), std::string(by_id)})) == 1;
  }
};

}  // namespace

std::unique_ptr<Store> MakeSqlStore() { return std::make_unique<SqlStore>(); }
std::span<const db::Migration> StoreMigrations() { return kMigrations; }

Result<std::vector<std::string>> DeleteForCase(db::Session& tx, std::string_view case_id) {
  std::vector<std::string> ids;
  for (const auto& r : FD_TRY(tx.Query(kIdsOfCase, {std::string(case_id)}))) ids.push_back(r.Text(0));
  if (!ids.empty()) FD_TRY(tx.Exec(kDeleteOfCase, {std::string(case_id)}));
  return ids;
}

}  // namespace fairdesk::documents
