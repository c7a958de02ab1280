#pragma once
/// Storage of ESF Plus participant records (named SQL in sql_store.cpp, one text for SQLite and
/// PostgreSQL). The store sees only sealed personal values: birth year, disability and minority
/// travel as one Keyring ciphertext (`personal_enc`) while the record is linked to a case.

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "esf/model.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"
#include "stats/service.hpp"

namespace fairdesk::esf {

/// What the service needs to know about the case a record belongs to.
struct CaseInfo {
  std::string centre_id, state;
  std::int64_t consultations = 0;  // not withdrawn
  bool anonymised = false;
};

/// A record as stored: the plain fields of Participant (birth_year, disability and minority left
/// empty) and the ciphertext that holds them.
struct Stored {
  Participant p;
  std::optional<std::string> personal_enc;
};

/// One participant's contribution to the indicators; `personal_enc` set while linked (the
/// disability and minority answers are sealed in it), unset once unlinked (then in `facts`).
struct StoredFacts {
  std::string id;
  Facts facts;
  std::optional<std::string> personal_enc;
  std::string centre_id, state;
  std::int64_t version = 0;  // of the live record (a frozen copy: the version it was taken from)
};

/// A participant's facts as frozen with a closed statistics period (revision): no case, no
/// record id; disability and minority sealed in `personal_enc` (associated data: the copy's id).
struct FrozenRecord {
  std::string id, period_id;
  int revision = 0;
  std::string centre_id, state;
  Facts facts;
  std::int64_t source_version = 0;
  std::string personal_enc;
};

/// Which records an indicator table reads: entry or exit month in [from, to], optionally one
/// state or one centre.
struct Scope {
  std::string from, to;  // YYYY-MM
  std::optional<std::string> state, centre;
};

/// A record with an exit and a result still missing.
struct OpenResult {
  std::string case_id, case_number, exit_date;
  bool has_exit_status = false, has_long_term_status = false;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual Result<std::optional<CaseInfo>> Case(db::Session& s, std::string_view case_id) = 0;
  virtual Result<std::optional<Stored>> FindByCase(db::Session& s, std::string_view case_id) = 0;
  virtual Status Insert(db::Session& s, const Stored& r) = 0;
  /// Writes `r` (with r.p.version already the new version) where the stored version is
  /// `expected_version`; false when it is not (someone else changed it).
  virtual Result<bool> Update(db::Session& s, const Stored& r, std::int64_t expected_version) = 0;
  virtual Result<std::vector<StoredFacts>> FactsIn(db::Session& s, const Scope& scope) = 0;
  /// The frozen copies of a closed period's revision within `scope` (id: the copy's).
  virtual Result<std::vector<StoredFacts>> FrozenFactsIn(db::Session& s, const Scope& scope,
                                                         std::string_view period_id, int revision) = 0;
  virtual Status InsertFrozen(db::Session& s, const FrozenRecord& r) = 0;
  /// Notes that a revision's copy was taken; false when it had been already.
  virtual Result<bool> MarkFrozen(db::Session& s, std::string_view period_id, int revision) = 0;
  virtual Result<bool> IsFrozen(db::Session& s, std::string_view period_id, int revision) = 0;
  /// Revisions of closed periods without a copy of the records (closed before the upgrade).
  virtual Result<std::vector<stats::FreezeScope>> UnfrozenRevisions(db::Session& s) = 0;
  /// Whether the live records of the period differ from its latest copy.
  virtual Result<bool> FrozenDiffers(db::Session& s, const stats::FreezeScope& latest) = 0;
  /// The state of a centre; nullopt when there is no such centre.
  virtual Result<std::optional<std::string>> CentreState(db::Session& s, std::string_view centre_id) = 0;
  /// Cuts the record of a case from the case: no case, no day dates, no birth year, no user;
  /// the coarse answers the indicators need stay (disability and minority as plain text).
  virtual Status Unlink(db::Session& s, std::string_view id, std::string_view disability,
                        std::string_view minority) = 0;
  /// Linked records of a centre with an exit whose immediate or longer-term result is missing,
  /// by exit date.
  virtual Result<std::vector<OpenResult>> OpenResults(db::Session& s, std::string_view centre_id) = 0;
  /// The server secret of the cell-key method (created by the statistics module at start).
  virtual Result<std::optional<std::string>> CellKeySecret(db::Session& s) = 0;
  /// Demo data: open cases with a consultation, while there is no record at all (so that a
  /// second start with --demo adds none).
  virtual Result<std::vector<std::string>> DemoCandidates(db::Session& s, int limit) = 0;
};

std::unique_ptr<Store> MakeSqlStore();

/// Tables esf_participants, esf_frozen_participants, esf_frozen_revisions (versions 630-649).
std::span<const db::Migration> Migrations();

/// A column of a table as its migration declares it ("TEXT NOT NULL").
struct Column {
  std::string_view name, type;
};

/// The columns a frozen copy (esf_frozen_participants) shares with the live record
/// (esf_participants): one list for both tables' queries and the statement that freezes a record.
std::span<const Column> FrozenColumns();

}  // namespace fairdesk::esf
