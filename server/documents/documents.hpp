#pragma once
/// The documents module: files of a case (pay slips, contracts, dismissal letters), type-checked
/// by content, encrypted at rest, every access audited. What the app wires:
///
///   documents::Migrations()                  // version 460-479, after the cases module's tables
///   documents::Service docs(db, keyring, documents::MakeSqlStore());
///   documents::RegisterRoutes(router, docs);
///   documents::RegisterKeysCli(app, open_db, state_dir, columns);   // fairdesk keys ...
///
/// For retention and erasure: documents::DeleteForCase(tx, case_id) (store.hpp).

#include <boost/json.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "documents/service.hpp"
#include "platform/crypto/keyring.hpp"
#include "platform/db/migrations.hpp"
#include "platform/http/router.hpp"

namespace CLI {
class App;
}

namespace fairdesk::documents {

std::span<const db::Migration> Migrations();

/// The data-subject export of a case's documents (cases::Service::OnCaseExport), inside the
/// export's read snapshot: adds "documents" to `out`, each with its metadata, decrypted file name
/// and the path of its file in the archive, and appends that file to `files`. The content is read
/// later by ExportContent, one document at a time, outside any transaction (issue 8 #4).
struct ExportedFile {
  std::string document_id;
  std::string path;
  std::int64_t uploaded_at = 0;
};
Status ExportForCase(db::Session& tx, const crypto::Keyring& keyring, std::string_view case_id,
                     boost::json::object& out, std::vector<ExportedFile>& files);
/// The decrypted content of one exported document, in its own short read. Conflict when the
/// document left the case (deleted, erased) since the manifest was read.
Result<std::string> ExportContent(db::Database& database, const crypto::Keyring& keyring, std::string_view document_id,
                                  std::string_view case_id);

/// POST/GET /api/v1/cases/{id}/documents, GET/DELETE /api/v1/documents/{id}.
void RegisterRoutes(http::Router& router, Service& service);

/// For other modules' raw-body uploads (knowledge attachments): the X-Filename header decoded and
/// checked as for documents (422 naming `filename`), and the Content-Disposition of a download.
Result<std::string> UploadFilename(const http::Request& req);
std::string DownloadDisposition(std::string_view filename);

/// The encrypted columns of this module, for `fairdesk keys reencrypt`.
std::vector<crypto::EncryptedColumn> EncryptedColumns();

/// `fairdesk keys list|rotate|reencrypt|drop`: key rotation (docs/OPERATIONS.md). `state_dir`
/// answers the folder holding keys/ (read when the command runs, after the flags are parsed);
/// `columns` every encrypted column of every module.
void RegisterKeysCli(CLI::App& root, std::function<Result<std::unique_ptr<db::Database>>()> open_db,
                     std::function<std::filesystem::path()> state_dir,
                     std::function<std::vector<crypto::EncryptedColumn>()> columns);

/// Moves every value of `columns` to the keyring's active key, in batches, each in its own
/// transaction. A value changed meanwhile by the running server is left alone (it was written
/// under a current key). Answers how many values it re-encrypted.
struct ReencryptReport {
  std::int64_t examined = 0;
  std::int64_t reencrypted = 0;
  std::int64_t skipped_changed = 0;
};
Result<ReencryptReport> ReencryptColumns(db::Database& database, const crypto::Keyring& keyring,
                                         std::span<const crypto::EncryptedColumn> columns);

}  // namespace fairdesk::documents
