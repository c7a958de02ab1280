#include "audit/service.hpp"

#include <charconv>

#include "audit/audit.hpp"
#include "audit/chain.hpp"
#include "platform/core/clock.hpp"

namespace fairdesk::audit {
namespace {

bool IsRecordType(std::string_view s) {
  return !s.empty() && s.size() <= 40 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

bool IsAction(std::string_view s) { return std::find(std::begin(kActions), std::end(kActions), s) != std::end(kActions); }

Result<Entry> Make(std::string user_id, std::string role, std::optional<std::string> centre_id,
                   std::string_view action, std::string_view record_type, std::string_view record_id,
                   std::optional<std::string_view> record_centre_id) {
  if (!IsAction(action)) return Fail(Error::Internal("audit: unknown action"));
  if (!IsRecordType(record_type)) return Fail(Error::Internal("audit: invalid record type"));
  if (record_id.empty() || record_id.size() > 200) return Fail(Error::Internal("audit: invalid record id"));
  Entry e;
  e.at = clock::NowUnix();
  e.user_id = std::move(user_id);
  e.role = std::move(role);
  e.centre_id = std::move(centre_id);
  e.action = action;
  e.record_type = record_type;
  e.record_id = record_id;
  if (record_centre_id) e.record_centre_id = std::string(*record_centre_id);
  return e;
}

Status Append(db::Session& tx, std::string user_id, std::string role, std::optional<std::string> centre_id,
              std::string_view action, std::string_view record_type, std::string_view record_id,
              std::optional<std::string_view> record_centre_id) {
  return AppendEntry(tx, FD_TRY(Make(std::move(user_id), std::move(role), std::move(centre_id), action, record_type,
                                     record_id, record_centre_id)));
}

}  // namespace

Result<Entry> MakeEntry(const Principal& principal, std::string_view action, std::string_view record_type,
                        std::string_view record_id, std::optional<std::string_view> record_centre_id) {
  if (principal.user_id.empty()) return Fail(Error::Internal("audit: principal without user id"));
  return Make(principal.user_id, std::string(RoleName(principal.role)), principal.centre_id, action, record_type,
              record_id, record_centre_id);
}

std::span<const db::Migration> Migrations() { return StoreMigrations(); }

Status Record(db::Session& tx, const Principal& principal, std::string_view action, std::string_view record_type,
              std::string_view record_id, std::optional<std::string_view> record_centre_id) {
  if (principal.user_id.empty()) return Fail(Error::Internal("audit: principal without user id"));
  return Append(tx, principal.user_id, std::string(RoleName(principal.role)), principal.centre_id, action,
                record_type, record_id, record_centre_id);
}

Status RecordSystem(db::Session& tx, std::string_view action, std::string_view record_type,
                    std::string_view record_id, std::optional<std::string_view> record_centre_id) {
  return Append(tx, "system", "system", std::nullopt, action, record_type, record_id, record_centre_id);
}

Result<Page> Service::List(const Principal& principal, Filter filter, int limit, std::string_view cursor) {
  if (principal.role == Role::kCentreLead) {
    // A centre lead without a centre sees nothing rather than everything.
    if (!principal.centre_id) return Fail(Error::Forbidden());
    filter.centre = principal.centre_id;
  } else if (principal.role != Role::kAdmin) {
    return Fail(Error::Forbidden());
  }
  if (!cursor.empty()) {
    std::int64_t before = 0;
    auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), before);
    if (ec != std::errc{} || end != cursor.data() + cursor.size() || before < 1) {
      return Fail(Error::Invalid("cursor", "is not a valid cursor"));
    }
    filter.before = before;
  }
  auto rows = FD_TRY(store_->List(filter, limit + 1));
  Page page;
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(limit);
    page.next_cursor = std::to_string(rows.back().seq);
  }
  page.items = std::move(rows);
  return page;
}

Result<VerifyReport> Service::Verify() {
  ChainVerifier verifier;
  std::int64_t head_seq = 0;
  std::string head_hash;
  FD_TRY_VOID(store_->Walk([&](const Entry& e) { return verifier.Feed(e); }, head_seq, head_hash));
  if (verifier.report().intact) verifier.Finish(head_seq, head_hash);
  return verifier.report();
}

}  // namespace fairdesk::audit
