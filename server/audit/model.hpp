#pragma once
/// Audit entries. They hold ids only — never names, notes or any other personal data — so that
/// the log itself may be kept longer than the records it describes and may be shown to admins.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fairdesk::audit {

struct Entry {
  std::int64_t seq = 0;
  std::int64_t at = 0;  // unix seconds
  std::string user_id;  // "system" for jobs without a signed-in user
  std::string role;     // the user's role at the time, "system" for jobs
  std::optional<std::string> centre_id;         // the acting user's centre
  std::string action;                           // one of kActions
  std::string record_type;                      // "case", "client", "consultation", "document", ...
  std::string record_id;                        // the record; for an entry naming several, the first
  /// Empty for an entry about one record. An entry about several records of one request (a list
  /// of 50 cases is one entry) names them all here, record_id being the first of them.
  std::vector<std::string> record_ids;
  std::optional<std::string> record_centre_id;  // the centre that owns the record, when known
  std::string prev_hash;
  std::string hash;
  // For display (issue 7), joined when Filter::with_labels: the acting user's name, and what the
  // record is called where people know it (case number, client code, user name; for a
  // consultation, deadline or document the number of its case). Not part of the chain.
  std::optional<std::string> user_name;
  std::optional<std::string> record_label;
};

/// A filter of the audit list; every field optional.
struct Filter {
  std::optional<std::string> record_type;
  std::optional<std::string> record_id;
  std::optional<std::string> user_id;
  std::optional<std::int64_t> from;    // at >= from
  std::optional<std::int64_t> until;   // at < until
  std::optional<std::string> centre;   // centre_id = centre OR record_centre_id = centre
  std::optional<std::int64_t> before;  // seq < before (the cursor)
  /// Join the labels (needs the users, cases, clients, ... tables of the whole application).
  bool with_labels = false;
};

struct Page {
  std::vector<Entry> items;  // newest first
  std::optional<std::string> next_cursor;
};

struct VerifyReport {
  bool intact = true;
  std::int64_t entries = 0;
  std::int64_t broken_seq = 0;  // the first seq that fails, when not intact
  std::string reason;           // why it fails
  std::string head_hash;        // hash of the last entry (record it elsewhere to detect truncation)
};

}  // namespace fairdesk::audit
