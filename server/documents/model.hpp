#pragma once
/// A document of a case: a file a client brought (pay slip, contract, dismissal letter).
/// Its name and content are personal data: both are stored encrypted (crypto::Keyring).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fairdesk::documents {

/// Largest document accepted (the upload route's body limit; 413 beyond).
inline constexpr std::size_t kMaxDocumentBytes = std::size_t{20} << 20;

struct Document {
  std::string id;
  std::string case_id;
  std::string filename;
  std::string content_type;
  std::int64_t size_bytes = 0;
  std::int64_t uploaded_at = 0;  // unix seconds
  std::string uploaded_by;       // user id
  // A withdrawn document stays listed, marked, with who withdrew it, when and why.
  std::optional<std::int64_t> withdrawn_at;
  std::optional<std::string> withdrawn_by, withdraw_reason;
  std::optional<std::string> uploaded_by_name, withdrawn_by_name;  // joined
  // A correction: the new version names the one it replaces; the old one (withdrawn, with the
  // reason) names its successor. Both stay listed and can be downloaded.
  std::optional<std::string> replaces_id, replaced_by_id;
};

struct Download {
  Document document;
  std::string content;
};

struct Page {
  std::vector<Document> items;  // newest first
  std::optional<std::string> next_cursor;
};

}  // namespace fairdesk::documents
