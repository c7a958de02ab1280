#pragma once
/// Documents of a case. Who may do what: advisors, centre leads and competence-centre staff of
/// the centre the case belongs to (right now — a transferred case's documents go with it).
/// Anyone else gets 404 for the case and its documents, whether they exist or not.
/// Every upload, listing, download and deletion is written to the audit log in the same
/// transaction.

#include <memory>
#include <string>
#include <string_view>

#include "documents/model.hpp"
#include "documents/store.hpp"
#include "platform/core/access.hpp"
#include "platform/crypto/keyring.hpp"

namespace fairdesk::documents {

/// How much one case may hold (issue 8 #4): documents, withdrawn ones included, and their bytes.
struct Quota {
  std::int64_t max_documents = 200;
  std::int64_t max_bytes = std::int64_t{400} << 20;
};

class Service {
 public:
  Service(db::Database& database, const crypto::Keyring& keyring, std::unique_ptr<Store> store, Quota quota = {});

  /// Checks the content against the declared type (see content_type.hpp), encrypts name and
  /// content, stores them. `filename` must already be decoded and validated by the caller.
  Result<Document> Upload(const Principal& p, std::string_view case_id, std::string_view declared_type,
                          std::string filename, std::string_view content);
  Result<Page> List(const Principal& p, std::string_view case_id, int limit, std::string_view cursor);
  Result<Download> Fetch(const Principal& p, std::string_view document_id);
  Status Remove(const Principal& p, std::string_view document_id);
  /// Withdraws a document with a reason (its uploader or the centre lead): it stays listed,
  /// marked, and can no longer be downloaded by mistake for the current state of the case.
  Result<Document> Withdraw(const Principal& p, std::string_view document_id, std::string reason);
  /// Corrects a document by a new version (its uploader or the centre lead, with a reason): the
  /// new file is stored like an upload and names the one it replaces; the old one is withdrawn
  /// with the reason and names its successor. Both stay in the case's list.
  Result<Document> Correct(const Principal& p, std::string_view document_id, std::string_view declared_type,
                           std::string filename, std::string_view content, std::string reason);

 private:
  Result<Document> Open(const StoredDocument& d) const;
  Status CheckQuota(db::Session& s, std::string_view case_id, std::int64_t adding_bytes);
  /// In a write transaction: the document `p` may change (`verb`: "withdraw", "correct"), on a case
  /// that is neither anonymised nor closed, by its uploader or the centre lead.
  Result<StoredDocument> LoadForChange(db::Session& s, const Principal& p, std::string_view document_id,
                                       std::string_view verb);

  db::Database& database_;
  const crypto::Keyring& keyring_;
  std::unique_ptr<Store> store_;
  Quota quota_;
};

/// The associated data of a document's sealed name and content (crypto::AssociatedData).
std::string FilenameAd(std::string_view document_id);
std::string ContentAd(std::string_view document_id);
std::string ReasonAd(std::string_view document_id);

}  // namespace fairdesk::documents
