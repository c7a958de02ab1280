#pragma once
/// Storage of documents. Every method runs on a session the service opened (Database::Read or
/// Write), so that a change and its audit entry commit together. Name and content arrive and
/// leave encrypted; the store never sees plaintext.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"

namespace fairdesk::documents {

struct StoredDocument {
  std::string id;
  std::string case_id;
  std::string centre_id;  // of the case (read through the cases table)
  std::string filename_sealed;
  std::string content_type;
  std::int64_t size_bytes = 0;
  std::int64_t uploaded_at = 0;
  std::string uploaded_by;
  std::string content_sealed;  // empty unless asked for
  std::optional<std::int64_t> withdrawn_at;
  std::optional<std::string> withdrawn_by, withdraw_reason_enc;  // the reason sealed (base64 text)
  std::optional<std::string> uploaded_by_name, withdrawn_by_name;
  std::optional<std::string> replaces_id, replaced_by_id;  // a correction: the version before / after
};

/// Position in a case's list: documents strictly older than (uploaded_at, id).
/// What a write needs to know about the case a document belongs to.
struct CaseState {
  std::string centre_id;
  bool anonymised = false;  // retention or erasure has anonymised the case: no new personal data
  bool closed = false;      // a closed case takes no new entries until it is reopened
};

/// What a case holds: documents (withdrawn ones included) and their bytes.
struct CaseUsage {
  std::int64_t documents = 0;
  std::int64_t bytes = 0;
};

struct ListCursor {
  std::int64_t uploaded_at = 0;
  std::string id;
};

class Store {
 public:
  virtual ~Store() = default;
  /// The centre of a case, or nullopt when there is no such case.
  virtual Result<std::optional<std::string>> CaseCentre(db::Session& s, std::string_view case_id) = 0;
  /// The centre of a case and whether it is anonymised, or nullopt when there is no such case. In
  /// a write transaction on PostgreSQL the case row stays locked until the transaction ends.
  virtual Result<std::optional<CaseState>> FindCaseState(db::Session& s, std::string_view case_id) = 0;
  /// In a write transaction: locks the case (PostgreSQL) until it ends.
  virtual Result<CaseUsage> UsageOfCase(db::Session& s, std::string_view case_id) = 0;
  virtual Status Insert(db::Session& s, const StoredDocument& d) = 0;
  /// Newest first, at most `limit`; content not loaded.
  virtual Result<std::vector<StoredDocument>> ListForCase(db::Session& s, std::string_view case_id,
                                                          const std::optional<ListCursor>& after, int limit) = 0;
  virtual Result<std::optional<StoredDocument>> Get(db::Session& s, std::string_view id, bool with_content) = 0;
  /// Answers whether a row was deleted.
  virtual Result<bool> Delete(db::Session& s, std::string_view id) = 0;
  /// Marks a document withdrawn; false when it already was.
  virtual Result<bool> Withdraw(db::Session& s, std::string_view id, std::string_view by, std::int64_t at,
                                std::string_view reason_enc) = 0;
  /// Links a document to the version that corrects it; false when it already has one.
  virtual Result<bool> MarkReplaced(db::Session& s, std::string_view id, std::string_view by_id) = 0;
};

std::unique_ptr<Store> MakeSqlStore();
std::span<const db::Migration> StoreMigrations();

/// Deletes every document of a case (retention, erasure) on `tx`; answers the ids deleted, so the
/// caller can audit each one.
Result<std::vector<std::string>> DeleteForCase(db::Session& tx, std::string_view case_id);

}  // namespace fairdesk::documents
