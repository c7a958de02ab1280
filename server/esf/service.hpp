#pragma once
/// ESF Plus participant data: entry and exit records on a case (advisors and centre leads of the
/// owning centre), and the common indicators of a period (centre lead: own centre, exact; state
/// coordinator: own state, protected; Competence Centre and programme: nationwide, protected).

#include <boost/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "esf/model.hpp"
#include "esf/store.hpp"
#include "platform/core/access.hpp"
#include "platform/core/date.hpp"
#include "platform/core/error.hpp"
#include "platform/crypto/keyring.hpp"
#include "platform/db/database.hpp"
#include "stats/service.hpp"

namespace fairdesk::esf {

/// The entity tag of a record version.
std::string MakeETag(const Participant& p);

/// What the case page shows: whether the client can be recorded (not short one-off advice) and
/// the record, if any.
struct CaseView {
  std::int64_t consultations = 0;
  bool eligible = false;
  std::optional<Participant> participant;
};

struct IndicatorRequest {
  YearMonth from = *YearMonth::FromYm(2026, 1), to = *YearMonth::FromYm(2026, 1);
  std::optional<std::string> state, centre;
  std::optional<int> revision;  // of the closed period the table lies in (default: the latest)
};

/// The pseudonymised record export of a centre's participants (entry or exit in the period): one
/// row per participant, coarse items only (months, age band), the Annex I codes it counts in.
struct RecordRow {
  std::string pseudonym;  // stable per record, keyed with the server secret; not the record id
  Facts facts;
  std::vector<std::string> codes;
};
struct RecordExport {
  std::string from, to, centre;
  std::vector<RecordRow> rows;
};

/// A result still to be recorded for a participant who left: the immediate result (the last
/// status within 28 days after leaving, due from the 28th day) or the longer-term one (due six
/// months after leaving).
struct DueItem {
  std::string case_id, case_number, kind, exit_date, due_from;  // kind: "exit_status" or "long_term_status"
  bool due = false;                                 // due_from is today or earlier
};

/// Also a stats::FrozenSource: closing or revising a statistics period takes a copy of the
/// participants' facts in its months and scope (app wiring: stats.AddFrozenSource(&esf)), and the
/// indicator tables within a closed period are answered from that copy.
class Service : public stats::FrozenSource {
 public:
  Service(db::Database& db, const crypto::Keyring& keyring, std::unique_ptr<Store> store);

  /// At start: copies for the revisions of periods closed before ESF Plus records were frozen
  /// with them (taken from the records as they are then).
  Status Init();
  Status Freeze(db::Session& s, const stats::FreezeScope& scope) override;
  Result<bool> Changed(db::Session& s, const stats::FreezeScope& latest) override;

  /// The participant record of a case (audited read); 404 when there is none or the caller may
  /// not open the case.
  Result<CaseView> Get(const Principal& p, std::string_view case_id);
  /// Records the entry (and, if given, the exit). 422 when the case is short one-off advice.
  Result<Participant> Create(const Principal& p, std::string_view case_id, Participant entry);
  /// A correction or the exit: `change` edits a copy of the current record. `if_match`: the
  /// entity tags the caller last saw (empty: no precondition); a stale one is Error::Stale (412).
  Result<Participant> Update(const Principal& p, std::string_view case_id, const std::vector<std::string>& if_match,
                             const std::function<Status(Participant&)>& change);

  /// The indicator table of a period, scoped and protected by the caller's role: exact where the
  /// statistics tables are (the own centre), from the closed period's copy where the table lies
  /// within one.
  Result<IndicatorTable> Indicators(const Principal& p, const IndicatorRequest& r);

  /// The pseudonymised record export of the centre lead's centre for a period (audited export).
  Result<RecordExport> Records(const Principal& p, YearMonth from, YearMonth to);

  /// The results still to be recorded at the caller's centre (roles with case work: advisors,
  /// centre leads, the Competence Centre for its own centre), by date due.
  Result<std::vector<DueItem>> Due(const Principal& p);

  /// Demo data: a few participants on demo cases. A participant is counselled more than once, so
  /// `follow_up(case_id, centre_id)` first adds a consultation where a case has only one.
  Status SeedDemo(const std::function<Status(const std::string&, const std::string&)>& follow_up);

 private:
  Result<Participant> Open(Stored r) const;
  Result<Stored> Seal(const Participant& p) const;

  db::Database& db_;
  const crypto::Keyring& keyring_;
  std::unique_ptr<Store> store_;
};

/// Checks a record against the rules that need more than one field or today's date; the errors
/// name the fields. Pure (today passed in) so that it is unit tested.
std::vector<FieldError> Validate(const Participant& p, std::string_view today);

/// Cuts the record of a case from the case and the person when the case is anonymised by
/// retention or erased (same transaction): what the indicators need stays, unlinked.
Status UnlinkCase(db::Session& tx, const crypto::Keyring& keyring, std::string_view case_id);

/// The data-subject export of a case (Art. 15 GDPR): the ESF Plus record, decrypted, as
/// `out["esf_participant"]` (nothing when the case has none).
Status ExportForCase(db::Session& tx, const crypto::Keyring& keyring, std::string_view case_id, boost::json::object& out);

/// The record as JSON (the API's shape).
boost::json::object ToJson(const Participant& p);

/// The sealed columns (for `fairdesk keys reencrypt`).
std::vector<crypto::EncryptedColumn> EncryptedColumns();

}  // namespace fairdesk::esf
