#pragma once
/// Storage of the statistics records (tables stats_*, versions 600-649) and the bulk writer the
/// data generator uses. Every method runs on a session the caller opened: the hook runs inside
/// the case work's own transaction.

#include <map>
#include <span>
#include <string>
#include <vector>

#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"
#include "stats/facts.hpp"

namespace fairdesk::stats {

std::span<const db::Migration> Migrations();

/// Multi-row INSERTs of up to `rows_per_statement` rows each (prepared once per connection), for
/// loading millions of rows inside a few large transactions. Add only collects; Flush writes, so
/// the caller flushes parent tables before child tables (foreign keys).
class BulkInsert {
 public:
  BulkInsert(std::string name, std::string table, std::vector<std::string> columns, int rows_per_statement);
  Status Add(db::Session& s, std::vector<db::Value> row);
  Status Flush(db::Session& s);
  std::int64_t rows() const { return total_; }

 private:
  std::string SqlFor(int rows) const;
  std::string name_, table_;
  std::vector<std::string> columns_;
  int per_statement_;
  std::map<int, std::string> sized_sql_;
  std::vector<db::Value> pending_;
  int pending_rows_ = 0;
  std::int64_t total_ = 0;
};

/// A fact row as written (the generator and the hook share this layout).
struct CaseFactRow {
  std::string id;
  std::optional<std::string> case_id;
  std::string person_id;
  std::int64_t person_rkey = 0;
  CaseFact fact;
  std::int64_t rkey = 0;
};

struct ConsultationFactRow {
  std::string id;
  std::optional<std::string> consultation_id;
  std::string stats_case_id, person_id;
  std::int64_t person_rkey = 0;
  std::string month, channel, language, kind, contact;  // contact: first or follow_up
  std::int64_t rkey = 0;
};

std::vector<std::string> CaseFactColumns();
std::vector<db::Value> CaseFactValues(const CaseFactRow& r);
std::vector<std::string> ConsultationFactColumns();
/// The consultation's own values followed by the case attributes it is counted under.
std::vector<db::Value> ConsultationFactValues(const ConsultationFactRow& r, const CaseFact& f);

/// A uniformly random record key in [0, 2^31) for the cell-key method.
std::int64_t NewRecordKey();

}  // namespace fairdesk::stats
