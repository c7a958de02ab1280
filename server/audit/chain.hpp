#pragma once
/// The hash chain, as pure functions: hash = SHA-256(prev_hash || canonical entry), hex encoded.
/// The first entry's prev_hash is kGenesisHash.

#include <optional>
#include <string>
#include <string_view>

#include "audit/model.hpp"

namespace fairdesk::audit {

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// The canonical text of an entry (every field but the hashes): a version line, then each field
/// as "<length>:<value>\n" ("~\n" for a missing optional), so that no two entries share a text.
/// An entry naming several records (record_ids) is version 2: the same fields, then the number of
/// ids and each id; entries about one record keep version 1, so existing chains still verify.
std::string CanonicalEntry(const Entry& e);
/// SHA-256 hex of prev_hash followed by the canonical entry.
std::string ChainHash(std::string_view prev_hash, const Entry& e);

/// Checks a chain entry by entry, in seq order. Feed answers false at the first broken entry;
/// `report()` then names it.
class ChainVerifier {
 public:
  bool Feed(const Entry& e);
  /// After the last entry: compares with the chain head (last seq and hash the writer recorded).
  bool Finish(std::int64_t head_seq, std::string_view head_hash);
  const VerifyReport& report() const { return report_; }

 private:
  bool Broken(std::int64_t seq, std::string reason);
  std::int64_t expected_seq_ = 1;
  std::string prev_hash_ = std::string(kGenesisHash);
  VerifyReport report_;
};

}  // namespace fairdesk::audit
