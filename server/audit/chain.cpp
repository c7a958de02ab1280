#include "audit/chain.hpp"

#include "platform/crypto/crypto.hpp"

namespace fairdesk::audit {
namespace {

void Field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += '\n';
}

void OptField(std::string& out, const std::optional<std::string>& value) {
  if (value) {
    Field(out, *value);
  } else {
    out += "~\n";
  }
}

}  // namespace

std::string CanonicalEntry(const Entry& e) {
  std::string out = e.record_ids.empty() ? "fairdesk-audit-v1\n" : "fairdesk-audit-v2\n";
  Field(out, std::to_string(e.seq));
  Field(out, std::to_string(e.at));
  Field(out, e.user_id);
  Field(out, e.role);
  OptField(out, e.centre_id);
  Field(out, e.action);
  Field(out, e.record_type);
  Field(out, e.record_id);
  OptField(out, e.record_centre_id);
  if (!e.record_ids.empty()) {
    Field(out, std::to_string(e.record_ids.size()));
    for (const auto& id : e.record_ids) Field(out, id);
  }
  return out;
}

std::string ChainHash(std::string_view prev_hash, const Entry& e) {
  std::string data(prev_hash);
  data += CanonicalEntry(e);
  return crypto::Sha256Hex(data);
}

bool ChainVerifier::Broken(std::int64_t seq, std::string reason) {
  report_.intact = false;
  report_.broken_seq = seq;
  report_.reason = std::move(reason);
  return false;
}

bool ChainVerifier::Feed(const Entry& e) {
  if (!report_.intact) return false;
  if (e.seq != expected_seq_) {
    // seq is the primary key and entries come in seq order, so a jump means deleted entries.
    return Broken(expected_seq_, e.seq > expected_seq_ ? "entry is missing (deleted)" : "entry out of order");
  }
  if (e.prev_hash != prev_hash_) {
    return Broken(e.seq, "prev_hash does not match the previous entry (entries deleted, reordered or rewritten)");
  }
  if (ChainHash(e.prev_hash, e) != e.hash) {
    return Broken(e.seq, "hash does not match the entry (entry changed)");
  }
  prev_hash_ = e.hash;
  ++expected_seq_;
  ++report_.entries;
  report_.head_hash = e.hash;
  return true;
}

bool ChainVerifier::Finish(std::int64_t head_seq, std::string_view head_hash) {
  if (!report_.intact) return false;
  const std::int64_t last = expected_seq_ - 1;
  if (head_seq > last) {
    return Broken(last + 1, "entry is missing (the log ends before the recorded chain head)");
  }
  if (head_seq < last) {
    return Broken(head_seq + 1, "entry is not covered by the recorded chain head (appended outside fairdesk)");
  }
  if (head_hash != (last == 0 ? std::string(kGenesisHash) : prev_hash_)) {
    return Broken(last == 0 ? 1 : last, "the recorded chain head does not match the last entry");
  }
  if (last == 0) report_.head_hash = std::string(kGenesisHash);
  return true;
}

}  // namespace fairdesk::audit
