#pragma once
/// The audit module: an append-only log, chained by SHA-256, of every read and write of client,
/// case, consultation and document data. Entries hold ids only, never personal data.
///
/// What other modules call, inside the write transaction of the change they audit (so the entry
/// and the change commit or roll back together):
///
///   FD_TRY_VOID(audit::Record(tx, principal, audit::kUpdate, "case", case_id, case_centre_id));
///
/// Reads are NOT audited inside a transaction: read with Database::Read, then, before answering,
///
///   FD_TRY_VOID(audit::RecordReads(db, principal, "case", refs));   // a list: one entry naming all
///   FD_TRY_VOID(audit::RecordRead(db, principal, "case", id, centre));
///
/// which queues the entry for the group commit (one transaction for the entries of concurrent
/// requests, on a committer thread). Inside an HTTP handler it returns at once and the server
/// sends the answer only after the commit (or answers its failure instead); elsewhere it returns
/// once the entry is committed. Appends are serialised (on PostgreSQL by a row lock on the chain head held until
/// commit), so call Record late in the transaction and keep audited transactions short.
///
/// What the app wires:
///   audit::Migrations()                      // versions 300-349
///   audit::Service audit_service(audit::MakeSqlStore(db));
///   audit::RegisterRoutes(router, audit_service);   // GET /api/v1/audit
///   audit::RegisterCli(app, open_db);               // fairdesk audit verify

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "audit/model.hpp"
#include "audit/service.hpp"
#include "platform/core/access.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"
#include "platform/http/router.hpp"

namespace CLI {
class App;
}

namespace fairdesk::audit {

/// The actions of the log.
inline constexpr std::string_view kRead = "read";
inline constexpr std::string_view kCreate = "create";
inline constexpr std::string_view kUpdate = "update";
inline constexpr std::string_view kDelete = "delete";
inline constexpr std::string_view kDownload = "download";
inline constexpr std::string_view kExport = "export";
inline constexpr std::string_view kErase = "erase";
inline constexpr std::string_view kTransfer = "transfer";
inline constexpr std::string_view kActions[] = {kRead,   kCreate, kUpdate,   kDelete,
                                                 kDownload, kExport, kErase, kTransfer};

/// Tables audit_log and audit_head (versions 300-349).
std::span<const db::Migration> Migrations();

/// Appends one entry on `tx` (a Database::Write session): who (user, role, centre of
/// `principal`), what (`action`, one of kActions), which record (`record_type`: lower-case
/// letters and '_', e.g. "client", "case", "consultation", "document"; `record_id`). Pass
/// `record_centre_id`, the centre that owns the record, where known: the centre lead of that
/// centre then sees the entry even when someone of another centre acted. A bad action or record
/// type is a programming error and answers kInternal (which rolls the caller's transaction back).
Status Record(db::Session& tx, const Principal& principal, std::string_view action, std::string_view record_type,
              std::string_view record_id, std::optional<std::string_view> record_centre_id = std::nullopt);

/// A record shown to the caller: its id and the centre that owns it (where known).
struct ReadRef {
  std::string_view id;
  std::optional<std::string_view> centre_id;
};

/// Records that `principal` read `records` (all of `record_type`; ids of letters, digits and
/// "_-.:") outside any transaction: one entry per owning centre naming all its records, appended
/// by group commit. Inside an HTTP handler (a PendingWork scope) it returns at once and the HTTP
/// server holds the answer until the entry is committed, answering the failure if it is not;
/// elsewhere it returns when the entry is committed (answer only after an OK). Must not be called inside Database::Read or Write (it runs its own Write). Nothing to record
/// when `records` is empty.
Status RecordReads(db::Database& db, const Principal& principal, std::string_view record_type,
                   std::span<const ReadRef> records);
/// The same for one record.
Status RecordRead(db::Database& db, const Principal& principal, std::string_view record_type,
                  std::string_view record_id, std::optional<std::string_view> record_centre_id = std::nullopt);

/// Batches (transactions) and entries appended by RecordReads on `db` since start.
struct GroupCommitStats {
  std::int64_t batches = 0;
  std::int64_t entries = 0;
};
GroupCommitStats ReadStats(db::Database& db);

/// Commits the reads still queued for `db` and ends its committer thread: called before `db` is
/// closed (the app server, after its last request), so that the thread never outlives it.
void StopReads(db::Database& db);

/// An entry (not yet appended) for `principal`; validates action, type and id.
Result<Entry> MakeEntry(const Principal& principal, std::string_view action, std::string_view record_type,
                        std::string_view record_id, std::optional<std::string_view> record_centre_id);

/// The same for jobs without a signed-in user (retention, `fairdesk keys reencrypt`): user and
/// role are "system".
Status RecordSystem(db::Session& tx, std::string_view action, std::string_view record_type,
                    std::string_view record_id, std::optional<std::string_view> record_centre_id = std::nullopt);

/// GET /api/v1/audit (centre leads: their centre; admins: all).
void RegisterRoutes(http::Router& router, Service& service);

/// `fairdesk audit verify`: exits 0 with "audit chain intact: N entries", or 1 naming the first
/// broken seq. `open_db` must answer a migrated database.
void RegisterCli(CLI::App& root, std::function<Result<std::unique_ptr<db::Database>>()> open_db);

}  // namespace fairdesk::audit
