#pragma once
/// Statistics tables: one measure by one or two dimensions over a range of months, scoped to what
/// the caller may see, protected where the caller could not open the underlying cases.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/core/access.hpp"
#include "platform/core/date.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace fairdesk::stats {

inline constexpr std::string_view kMeasures[] = {"consultations", "cases_opened", "cases_closed", "persons",
                                                 "wages_recovered_cents"};
inline constexpr std::string_view kDimensions[] = {
    "month",  "quarter", "year",   "state",    "centre",            "topic",           "sector",
    "sector_group", "nationality", "nationality_group", "channel", "language", "gender", "age_band",
    "employment_status", "residence_status", "abroad", "kind", "contact", "referral_target", "outcome"};
inline constexpr std::string_view kStates[] = {"BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV",
                                               "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"};

struct TableRequest {
  std::string measure, rows;
  std::optional<std::string> cols;
  YearMonth from = *YearMonth::FromYm(2026, 1), to = *YearMonth::FromYm(2026, 1);
  std::optional<std::string> state, centre;
  std::optional<int> revision;  // of the closed period the table lies in (default: the latest)
  bool exact = false;  // the caller insists on exact figures (refused where they would be protected)
};

/// The closed reporting period a table was answered from (docs/STATISTICS.md, "Closed periods").
struct FrozenInfo {
  std::string period_id, label, from, to, closed_at;
  std::optional<std::string> centre_id;  // nullopt: closed nationwide
  int revision = 0, latest_revision = 0;
  std::string revision_at;
  std::optional<std::string> revision_reason;
};

struct PeriodRevision {
  int number = 0;
  std::string created_at;
  std::optional<std::string> reason;  // nullopt for revision 0, the closing itself
};

/// A closed reporting period: its figures are a copy of the statistics records taken when it was
/// closed (revision 0) and at every later revision.
struct ClosedPeriod {
  std::string id, label, from, to, closed_at;
  std::optional<std::string> centre_id;  // nullopt: nationwide
  std::string state;                     // of the centre; empty when nationwide
  std::vector<PeriodRevision> revisions;
  bool changed = false;                  // the live records differ from the latest revision
  bool can_revise = false;               // the caller may record a revision
};

struct Figure {
  std::optional<std::int64_t> value;  // nullopt when suppressed
  bool suppressed = false;
};

struct Table {
  std::string measure, rows;
  std::optional<std::string> cols;
  std::string from, to;
  bool protected_ = false;
  std::vector<std::string> row_keys, col_keys;  // col_keys empty without cols
  std::vector<Figure> cells;                    // row-major, row_keys x max(1, col_keys)
  std::vector<Figure> row_totals, col_totals;
  Figure total;
  std::optional<std::string> scope_state, scope_centre;
  std::optional<FrozenInfo> frozen;  // answered from a closed period
};

/// Names for a report: topics (de, en) and centres, by code.
struct ReportLabels {
  std::map<std::string, std::pair<std::string, std::string>> topics;  // code -> (de, en)
  std::map<std::string, std::string> centres;                         // id -> name
};

/// One copy of a closed period (its scope and revision), as FrozenSource sees it.
struct FreezeScope {
  std::string period_id;
  int revision = 0;
  std::string from, to;               // YYYY-MM
  std::optional<std::string> centre;  // nullopt: nationwide
};

/// Records another module freezes with a closed period (ESF Plus participants): a copy of them is
/// taken in the same transaction whenever a period is closed or revised, and the period shows as
/// changed when the live records differ from the latest copy.
class FrozenSource {
 public:
  virtual ~FrozenSource() = default;
  virtual Status Freeze(db::Session& s, const FreezeScope& scope) = 0;
  virtual Result<bool> Changed(db::Session& s, const FreezeScope& latest) = 0;
};

class Service {
 public:
  explicit Service(db::Database& db) : db_(db) {}
  /// Reads (or creates) the server secret of the cell-key method.
  Status Init();
  Result<Table> Query(const Principal& p, TableRequest r);
  /// Closes a reporting period ("2025", "2025-Q2" or "2025-05"): a centre lead for their centre,
  /// the Competence Centre nationwide. Copies the statistics records of the period (revision 0).
  Result<ClosedPeriod> ClosePeriod(const Principal& p, const std::string& label);
  /// Records a revision of a closed period: a new copy of the records, with the reason.
  Result<ClosedPeriod> RevisePeriod(const Principal& p, const std::string& id, const std::string& reason);
  /// The closed periods the caller can report on, newest first.
  Result<std::vector<ClosedPeriod>> ListPeriods(const Principal& p);
  /// Whether a table of `centre` (or wider) would be protected for the caller (Query decides the
  /// same way; the annual report uses it to end a protected year with the last complete month).
  static bool ProtectedFor(const Principal& p, const std::optional<std::string>& centre);
  Result<ReportLabels> Labels();
  /// Before the reads of one table: on PostgreSQL 64 MB for the sorts and hashes of this
  /// transaction (work_mem; the default 4 MB spills the grouping of distinct persons to disk).
  static Status PrepareRead(db::Session& s);
  /// The latest month a protected view may show (the month before the running one).
  static YearMonth LatestProtectedMonth();
  /// Also freeze `source`'s records with every closed period (not owned; outlives the service).
  void AddFrozenSource(FrozenSource* source) { sources_.push_back(source); }
  /// Off: every table from the statistics records (the contract test and the benchmark compare).
  void UseAggregates(bool on) { use_aggregates_ = on; }
  /// Off: distinct persons and wages by one query per margin level (the path before; the contract
  /// test and the benchmark compare).
  void UseSingleScan(bool on) { single_scan_ = on; }

 private:
  db::Database& db_;
  std::string secret_;
  bool use_aggregates_ = true;
  bool single_scan_ = true;
  std::vector<FrozenSource*> sources_;
  Status FreezeAll(db::Session& s, const ClosedPeriod& p, int revision);
  Result<std::vector<ClosedPeriod>> ReadPeriods(db::Session& s, const Principal& p);
};

}  // namespace fairdesk::stats
