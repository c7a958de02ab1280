#include "documents/service.hpp"

#include <boost/json.hpp>

#include <charconv>

#include <fmt/format.h>

#include "audit/audit.hpp"
#include "documents/content_type.hpp"
#include "documents/documents.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/zip.hpp"
#include "platform/crypto/crypto.hpp"

namespace fairdesk::documents {
namespace {

constexpr std::string_view kTable = "documents";

bool MaySeeCentre(const Principal& p, std::string_view centre_id) {
  return HasCaseAccess(p.role) && p.centre_id && *p.centre_id == centre_id;
}

std::string EncodeCursor(const StoredDocument& d) { return std::to_string(d.uploaded_at) + "." + d.id; }

Result<ListCursor> DecodeCursor(std::string_view cursor) {
  auto dot = cursor.find('.');
  ListCursor c;
  if (dot != std::string_view::npos) {
    auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + dot, c.uploaded_at);
    c.id = std::string(cursor.substr(dot + 1));
    if (ec == std::errc{} && end == cursor.data() + dot && !c.id.empty() && c.id.size() <= 64) return c;
  }
  return Fail(Error::Invalid("cursor", "is not a valid cursor"));
}

}  // namespace

std::string FilenameAd(std::string_view document_id) {
  return crypto::AssociatedData(kTable, "filename_sealed", document_id);
}
std::string ReasonAd(std::string_view document_id) {
  return crypto::AssociatedData(kTable, "withdraw_reason_enc", document_id);
}
std::string ContentAd(std::string_view document_id) {
  return crypto::AssociatedData(kTable, "content_sealed", document_id);
}

Service::Service(db::Database& database, const crypto::Keyring& keyring, std::unique_ptr<Store> store, Quota quota)
    : database_(database), keyring_(keyring), store_(std::move(store)), quota_(quota) {}

Result<Document> Service::Open(const StoredDocument& d) const {
  Document doc;
  doc.id = d.id;
  doc.case_id = d.case_id;
  doc.filename = FD_TRY(keyring_.Decrypt(d.filename_sealed, FilenameAd(d.id)));
  doc.content_type = d.content_type;
  doc.size_bytes = d.size_bytes;
  doc.uploaded_at = d.uploaded_at;
  doc.uploaded_by = d.uploaded_by;
  doc.uploaded_by_name = d.uploaded_by_name;
  doc.withdrawn_at = d.withdrawn_at;
  doc.withdrawn_by = d.withdrawn_by;
  doc.withdrawn_by_name = d.withdrawn_by_name;
  if (d.withdraw_reason_enc) {
    doc.withdraw_reason = FD_TRY(keyring_.DecryptText(*d.withdraw_reason_enc, ReasonAd(d.id)));
  }
  doc.replaces_id = d.replaces_id;
  doc.replaced_by_id = d.replaced_by_id;
  return doc;
}

// The case's quota (issue 8 #4), counted in the writing transaction after FindCaseState locked
// the case: what a case holds stays bounded, and so does its export.
Status Service::CheckQuota(db::Session& s, std::string_view case_id, std::int64_t adding_bytes) {
  auto usage = FD_TRY(store_->UsageOfCase(s, case_id));
  if (usage.documents + 1 <= quota_.max_documents && usage.bytes + adding_bytes <= quota_.max_bytes) return {};
  Error e{ErrorKind::kInvalid, "This case holds as many documents as it may."};
  e.slug = "case-quota";
  e.errors.push_back({"file", usage.documents + 1 > quota_.max_documents
                                  ? "exceeds the case's quota of " + std::to_string(quota_.max_documents) + " documents"
                                  : "exceeds the case's quota of " + std::to_string(quota_.max_bytes >> 20) + " MiB"});
  return Fail(std::move(e));
}

Result<Document> Service::Upload(const Principal& p, std::string_view case_id, std::string_view declared_type,
                                 std::string filename, std::string_view content) {
  if (!HasCaseAccess(p.role)) return Fail(Error::NotFound());
  // Existence and access first: the caller learns nothing about another centre's case, not even
  // whether the file would have been accepted.
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    auto centre = FD_TRY(store_->CaseCentre(s, case_id));
    if (!centre || !MaySeeCentre(p, *centre)) return Fail(Error::NotFound("No such case."));
    return {};
  }));
  if (content.size() > kMaxDocumentBytes) return Fail(Error::TooLarge("A document may have at most 20 MiB."));
  std::string type = FD_TRY(CheckUpload(declared_type, filename, content));
  filename = StoredFilename(filename, type);

  StoredDocument d;
  d.id = crypto::NewId("doc");
  d.case_id = std::string(case_id);
  d.content_type = type;
  d.size_bytes = static_cast<std::int64_t>(content.size());
  d.uploaded_at = clock::NowUnix();
  d.uploaded_by = p.user_id;
  // Sealed before the transaction: encryption of 20 MiB must not hold the writer.
  d.filename_sealed = FD_TRY(keyring_.Encrypt(filename, FilenameAd(d.id)));
  d.content_sealed = FD_TRY(keyring_.Encrypt(content, ContentAd(d.id)));

  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    // Checked again in the writing transaction: the case may have moved to another centre, or
    // retention or erasure may have anonymised it meanwhile. An anonymised case takes no new
    // personal data: retention would never look at it again.
    auto state = FD_TRY(store_->FindCaseState(s, case_id));
    if (!state || !MaySeeCentre(p, state->centre_id)) return Fail(Error::NotFound("No such case."));
    if (state->anonymised) return Fail(Error::Conflict("This case has been anonymised."));
    if (state->closed) {
      Error e{ErrorKind::kConflict, "This case cannot be changed now."};
      e.errors.push_back({"case.status", "cannot be changed while the case is closed: reopen the case first "
                                         "(status open with a reason)"});
      return Fail(std::move(e));
    }
    FD_TRY_VOID(CheckQuota(s, case_id, d.size_bytes));
    d.centre_id = state->centre_id;
    FD_TRY_VOID(store_->Insert(s, d));
    if (auto again = FD_TRY(store_->Get(s, d.id, false))) d.uploaded_by_name = again->uploaded_by_name;
    return audit::Record(s, p, audit::kCreate, "document", d.id, d.centre_id);
  }));

  Document doc;
  doc.id = d.id;
  doc.case_id = d.case_id;
  doc.filename = std::move(filename);
  doc.content_type = d.content_type;
  doc.size_bytes = d.size_bytes;
  doc.uploaded_at = d.uploaded_at;
  doc.uploaded_by = d.uploaded_by;
  doc.uploaded_by_name = d.uploaded_by_name;
  return doc;
}

Result<Page> Service::List(const Principal& p, std::string_view case_id, int limit, std::string_view cursor) {
  if (!HasCaseAccess(p.role)) return Fail(Error::NotFound());
  std::optional<ListCursor> after;
  if (!cursor.empty()) after = FD_TRY(DecodeCursor(cursor));
  std::vector<StoredDocument> rows;
  // A listing shows file names (personal data), so it is audited (group commit, before answering).
  std::optional<std::string> centre;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    centre = FD_TRY(store_->CaseCentre(s, case_id));
    if (!centre || !MaySeeCentre(p, *centre)) return Fail(Error::NotFound("No such case."));
    rows = FD_TRY(store_->ListForCase(s, case_id, after, limit + 1));
    return {};
  }));
  FD_TRY_VOID(audit::RecordRead(database_, p, "case_documents", case_id, *centre));
  Page page;
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(limit);
    page.next_cursor = EncodeCursor(rows.back());
  }
  for (const auto& r : rows) page.items.push_back(FD_TRY(Open(r)));
  return page;
}

Result<Download> Service::Fetch(const Principal& p, std::string_view document_id) {
  if (!HasCaseAccess(p.role)) return Fail(Error::NotFound());
  std::optional<StoredDocument> stored;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    stored = FD_TRY(store_->Get(s, document_id, true));
    return {};
  }));
  if (!stored || !MaySeeCentre(p, stored->centre_id)) return Fail(Error::NotFound("No such document."));
  Download out;
  out.document = FD_TRY(Open(*stored));
  out.content = FD_TRY(keyring_.Decrypt(stored->content_sealed, ContentAd(stored->id)));
  // The download is recorded before a byte leaves; if the audit log cannot be written, nothing
  // is sent. The content was read outside this transaction to keep the single writer free.
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    return audit::Record(s, p, audit::kDownload, "document", stored->id, stored->centre_id);
  }));
  return out;
}

Status Service::Remove(const Principal& p, std::string_view document_id) {
  if (!HasCaseAccess(p.role)) return Fail(Error::NotFound());
  return database_.Write([&](db::Session& s) -> Status {
    auto stored = FD_TRY(store_->Get(s, document_id, false));
    if (!stored || !MaySeeCentre(p, stored->centre_id)) return Fail(Error::NotFound("No such document."));
    FD_TRY(store_->Delete(s, document_id));
    return audit::Record(s, p, audit::kDelete, "document", stored->id, stored->centre_id);
  });
}

Result<StoredDocument> Service::LoadForChange(db::Session& s, const Principal& p, std::string_view document_id,
                                              std::string_view verb) {
  auto stored = FD_TRY(store_->Get(s, document_id, false));
  if (!stored || !MaySeeCentre(p, stored->centre_id)) return Fail(Error::NotFound("No such document."));
  auto state = FD_TRY(store_->FindCaseState(s, stored->case_id));
  if (!state || state->anonymised) return Fail(Error::Conflict("This case has been anonymised."));
  if (state->closed) {
    Error e{ErrorKind::kConflict, "This case cannot be changed now."};
    e.errors.push_back({"case.status", "cannot be changed while the case is closed: reopen the case first"});
    return Fail(std::move(e));
  }
  if (p.user_id != stored->uploaded_by && p.role != Role::kCentreLead) {
    return Fail(Error::Forbidden(
        fmt::format("Only the person who uploaded this document or the centre lead may {} it.", verb)));
  }
  return std::move(*stored);
}

Result<Document> Service::Withdraw(const Principal& p, std::string_view document_id, std::string reason) {
  if (!HasCaseAccess(p.role)) return Fail(Error::NotFound());
  if (reason.empty()) return Fail(Error::Invalid("reason", "is required to withdraw a document"));
  const std::string sealed = FD_TRY(keyring_.EncryptToText(reason, ReasonAd(document_id)));
  std::optional<StoredDocument> after;
  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    auto stored = FD_TRY(LoadForChange(s, p, document_id, "withdraw"));
    if (!FD_TRY(store_->Withdraw(s, stored.id, p.user_id, clock::NowUnix(), sealed))) {
      Error e{ErrorKind::kConflict, "This document has already been withdrawn."};
      e.errors.push_back({"withdrawn", "this document has been withdrawn and is kept as it was"});
      return Fail(std::move(e));
    }
    after = FD_TRY(store_->Get(s, stored.id, false));
    return audit::Record(s, p, audit::kUpdate, "document", stored.id, stored.centre_id);
  }));
  return Open(*after);
}

Result<Document> Service::Correct(const Principal& p, std::string_view document_id, std::string_view declared_type,
                                  std::string filename, std::string_view content, std::string reason) {
  if (!HasCaseAccess(p.role)) return Fail(Error::NotFound());
  std::optional<StoredDocument> old;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    old = FD_TRY(store_->Get(s, document_id, false));
    return {};
  }));
  if (!old || !MaySeeCentre(p, old->centre_id)) return Fail(Error::NotFound("No such document."));
  if (reason.empty()) return Fail(Error::Invalid("reason", "is required to correct a document"));
  if (content.size() > kMaxDocumentBytes) return Fail(Error::TooLarge("A document may have at most 20 MiB."));
  std::string type = FD_TRY(CheckUpload(declared_type, filename, content));
  filename = StoredFilename(filename, type);

  StoredDocument d;
  d.id = crypto::NewId("doc");
  d.case_id = old->case_id;
  d.content_type = type;
  d.size_bytes = static_cast<std::int64_t>(content.size());
  d.uploaded_at = clock::NowUnix();
  d.uploaded_by = p.user_id;
  d.replaces_id = old->id;
  d.filename_sealed = FD_TRY(keyring_.Encrypt(filename, FilenameAd(d.id)));
  d.content_sealed = FD_TRY(keyring_.Encrypt(content, ContentAd(d.id)));
  const std::string sealed_reason = FD_TRY(keyring_.EncryptToText(reason, ReasonAd(old->id)));

  FD_TRY_VOID(database_.Write([&](db::Session& s) -> Status {
    auto stored = FD_TRY(LoadForChange(s, p, document_id, "correct"));
    // The new version counts towards the case's quota like an upload (the old one stays).
    FD_TRY_VOID(CheckQuota(s, stored.case_id, d.size_bytes));
    if (!FD_TRY(store_->Withdraw(s, stored.id, p.user_id, d.uploaded_at, sealed_reason))) {
      Error e{ErrorKind::kConflict, "This document has already been withdrawn or corrected."};
      e.errors.push_back({"withdrawn", "this document has been withdrawn and is kept as it was; correct its newer "
                                       "version instead"});
      return Fail(std::move(e));
    }
    FD_TRY_VOID(store_->Insert(s, d));
    FD_TRY(store_->MarkReplaced(s, stored.id, d.id));
    FD_TRY_VOID(audit::Record(s, p, audit::kUpdate, "document", stored.id, stored.centre_id));
    return audit::Record(s, p, audit::kCreate, "document", d.id, stored.centre_id);
  }));
  std::optional<StoredDocument> created;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    created = FD_TRY(store_->Get(s, d.id, false));
    return {};
  }));
  if (!created) return Fail(Error::NotFound("No such document."));
  return Open(*created);
}

Status ExportForCase(db::Session& tx, const crypto::Keyring& keyring, std::string_view case_id,
                     boost::json::object& out, std::vector<ExportedFile>& files) {
  auto store = MakeSqlStore();
  boost::json::array list;
  std::optional<ListCursor> after;
  for (;;) {
    auto page = FD_TRY(store->ListForCase(tx, case_id, after, 100));
    for (const auto& row : page) {
      auto name = FD_TRY(keyring.Decrypt(row.filename_sealed, FilenameAd(row.id)));
      ExportedFile file{row.id, zip::SafeEntryName("documents/" + row.id + "/" + name), row.uploaded_at};
      boost::json::object o{{"id", row.id},
                            {"filename", name},
                            {"content_type", row.content_type},
                            {"size_bytes", row.size_bytes},
                            {"uploaded_at", clock::FormatRfc3339(row.uploaded_at)},
                            {"uploaded_by", row.uploaded_by},
                            {"file", file.path}};
      if (row.withdrawn_at) o["withdrawn_at"] = clock::FormatRfc3339(*row.withdrawn_at);
      if (row.replaces_id) o["replaces_id"] = *row.replaces_id;
      if (row.replaced_by_id) o["replaced_by_id"] = *row.replaced_by_id;
      list.push_back(std::move(o));
      files.push_back(std::move(file));
    }
    if (page.size() < 100) break;
    after = ListCursor{page.back().uploaded_at, page.back().id};
  }
  out["documents"] = std::move(list);
  return {};
}

Result<std::string> ExportContent(db::Database& database, const crypto::Keyring& keyring, std::string_view document_id,
                                  std::string_view case_id) {
  auto store = MakeSqlStore();
  std::optional<StoredDocument> stored;
  FD_TRY_VOID(database.Read([&](db::Session& s) -> Status {
    stored = FD_TRY(store->Get(s, document_id, true));
    return {};
  }));
  // Erased or deleted while the export was being sent: the export stops incomplete.
  if (!stored || stored->case_id != case_id) return Fail(Error::Conflict("The document changed during the export."));
  return keyring.Decrypt(stored->content_sealed, ContentAd(stored->id));
}

}  // namespace fairdesk::documents
