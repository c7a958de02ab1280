#pragma once
/// The rules of case work: who sees which client and case (the caller's centre only), what a
/// valid change is, what is encrypted, what is audited. No HTTP and no SQL: routes.cpp speaks
/// HTTP, the Store speaks SQL. Every read and write of client, case, consultation, referral and
/// escalation data runs in one write transaction together with its audit entry.

#include <boost/json.hpp>

#include <functional>
#include <mutex>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cases/model.hpp"
#include "cases/routing.hpp"
#include "cases/store.hpp"
#include "platform/core/access.hpp"
#include "platform/crypto/keyring.hpp"

namespace fairdesk::directory {
class Service;
}

namespace fairdesk::cases {

struct Options {
  int retention_years = 3;
};

/// A case change and what the caller should know about it (closing with open deadlines or
/// referrals: codes "open_deadlines", "open_referrals").
struct CaseUpdate {
  Case c;
  std::vector<std::pair<std::string, std::int64_t>> warnings;  // code, count
};

/// A correction or withdrawal of a timeline entry: the reason is required for every change of
/// content; `withdraw` marks the entry withdrawn (it stays visible, struck through).
struct Correction {
  IfMatch if_match;
  std::optional<std::string> reason;
  bool withdraw = false;
};

/// Search of returning clients (GET /api/v1/clients).
struct ClientQuery {
  std::optional<std::string> q;  // client code, name, phone or e-mail
  std::optional<std::int64_t> birth_year;
  std::optional<std::string> nationality;
  int limit = 50;
  std::optional<std::string> cursor;
};

/// A file of a data-subject export besides its manifest: its path in the archive and how to read
/// its content (its own short read, outside any transaction, when it is about to be sent).
struct ExportFile {
  std::string path;
  std::int64_t modified_at = 0;
  std::function<Result<std::string>()> read;
};

struct ClientExport {
  boost::json::object manifest;
  std::vector<ExportFile> files;
};

struct RetentionReport {
  std::vector<std::string> case_ids;  // a dry run: the cases due; a run: the cases anonymised
  std::string closed_before;
  bool dry_run = true;
  std::size_t clients_anonymised = 0;
  /// `proceed` answered false between two batches (the server is stopping): what is done is
  /// committed, the rest is still due and the next run takes it up.
  bool stopped = false;
};

/// A deadline from a calculator: the server recomputes it.
struct CalculatorSource {
  std::string calculator;
  boost::json::value input;
};

/// Checks codes against a loaded taxonomy (no database call, so usable inside a transaction);
/// `field` names the JSON path for errors.
Status CheckTopicCodes(const std::vector<Topic>& known, const std::vector<std::string>& topics,
                       const std::string& field);

/// Whether `text` contains the client's code, name (or a part of it), e-mail, phone number, birth
/// date, employer or address (`client` decrypted), after normalising (see text.hpp).
/// Escalations go to the competence centre and must be anonymised.
bool IdentifiesClient(std::string_view text, const Client& client);

class Service {
 public:
  Service(db::Database& database, directory::Service& directory, const crypto::Keyring& keyring, Options options);

  /// Seeds topics and routing rules once into a new database.
  Status SeedReferenceData();
  /// Seals plaintext columns of version 401 (employer, deadline notes) and gives clients recorded
  /// before the blind index their hashes; idempotent, run at start-up with the real keyring.
  Status UpgradeData();
  /// Demo clients and cases for centre-be-1 and centre-by-1 (after the demo users).
  Status SeedDemoCases();

  // Topics and routing.
  Result<std::vector<Topic>> Topics();
  Result<std::vector<RoutingRule>> RoutingRules();
  Status ReplaceRoutingRules(const Principal& p, std::vector<RoutingRule> rules, const IfMatch& if_match = {});
  // Settings of admins (settings.cpp): every change is audited and kept in a history.
  /// Replaces the topic taxonomy; a topic that cases, consultations or routing rules use cannot
  /// be removed (it can be marked out of scope).
  Status ReplaceTopics(const Principal& p, std::vector<Topic> topics, const IfMatch& if_match = {});
  /// The retention period of closed cases (the admins' setting, else the start-up default).
  Result<RetentionSettings> Retention();
  Result<RetentionSettings> SetRetention(const Principal& p, int years, const IfMatch& if_match = {});
  /// The entity tag of a settings list as the API shows it ("topics", "routing_rules", "retention"):
  /// a digest of its JSON, so any change by anyone gives a new tag.
  static std::string SettingsETag(std::string_view kind, const boost::json::value& content);
  static boost::json::value TopicsContent(const std::vector<Topic>& topics);
  static boost::json::value RulesContent(const std::vector<RoutingRule>& rules);
  static boost::json::value RetentionContent(const RetentionSettings& r);
  /// Changes of the settings, newest first (`kind`: routing_rules, topics or retention).
  Result<std::vector<SettingsChange>> SettingsHistory(std::optional<std::string> kind, int limit);
  Result<std::vector<Suggestion>> RouteIntake(const IntakeInput& input);
  /// Checks codes against the taxonomy; `field` names the JSON path for errors.
  Status CheckTopics(const std::vector<std::string>& topics, const std::string& field);

  // Clients. Reads and lists carry no identifying data; RevealClient answers it (audited).
  Result<Client> CreateClient(const Principal& p, Client c);
  Result<Client> GetClient(const Principal& p, std::string_view id);
  /// The decrypted personal fields of a client (an explicit "show", audited).
  Result<Client> RevealClient(const Principal& p, std::string_view id);
  /// Applies `change` to the stored client (validated by the caller) and saves it.
  Result<Client> UpdateClient(const Principal& p, std::string_view id, const IfMatch& if_match,
                              const std::function<Status(Client&)>& change);
  Result<Page<Client>> ListClients(const Principal& p, ClientQuery query);
  /// Merges `source` into `target` (centre leads, same centre): the cases move, the source's
  /// recorded fields fill the target's empty ones, the source is deleted.
  Result<Client> MergeClients(const Principal& p, std::string_view target_id, std::string_view source_id);
  /// Everything stored about a client (data-subject access), audited as export: the manifest
  /// (every record, read in one snapshot, no write transaction held) and the files (documents)
  /// that the caller reads one by one while it sends them (issue 8 #4).
  Result<ClientExport> ExportClient(const Principal& p, std::string_view id);
  /// Erasure on request: deletes the client's personal data and cases.
  Status EraseClient(const Principal& p, std::string_view id);
  Status EraseClientRecords(const Principal& p, std::string_view id);

  // Cases.
  Result<Case> CreateCase(const Principal& p, Case c);
  Result<CaseDetail> GetCase(const Principal& p, std::string_view id);
  /// `reason`: required to reopen a closed case.
  Result<CaseUpdate> UpdateCase(const Principal& p, std::string_view id, const IfMatch& if_match,
                                const std::function<Status(Case&)>& change, std::optional<std::string> reason = {});
  Result<Page<Case>> ListCases(const Principal& p, CaseFilter filter);
  /// Centre leads: assigns several cases at once (nullopt: unassign); all or nothing.
  Result<std::vector<Case>> AssignCases(const Principal& p, const std::vector<std::string>& case_ids,
                                        std::optional<std::string> assignee_id);
  /// Centre leads: open cases and overdue deadlines per member of the centre.
  Result<std::vector<Caseload>> CaseloadOfCentre(const Principal& p);
  /// Asks another advice centre to take the case over (with the client's consent); the case stays
  /// with the sender until the receiving centre accepts.
  Result<Transfer> TransferCase(const Principal& p, std::string_view id, std::string_view centre_id,
                                std::string consent_date, bool client_consent);
  /// Pending transfers to and from the caller's centre.
  Result<std::vector<Transfer>> PendingTransfers(const Principal& p);
  /// `decision`: "accept", "decline" (receiving centre) or "cancel" (sending centre).
  Result<Transfer> DecideTransfer(const Principal& p, std::string_view transfer_id, std::string_view decision);
  /// Earlier versions of a case's records (decrypted), oldest first.
  Result<std::vector<HistoryEntry>> CaseHistory(const Principal& p, std::string_view case_id);

  Result<Consultation> AddConsultation(const Principal& p, std::string_view case_id, Consultation c);
  Result<std::vector<Consultation>> ListConsultations(const Principal& p, std::string_view case_id);
  Result<Consultation> GetConsultation(const Principal& p, std::string_view id);
  Result<Consultation> CorrectConsultation(const Principal& p, std::string_view id, const Correction& correction,
                                           const std::function<Status(Consultation&)>& change);

  /// `confirm_past`: a due date before today is recorded only when confirmed.
  Result<Deadline> AddDeadline(const Principal& p, std::string_view case_id, Deadline d,
                               std::optional<CalculatorSource> source, bool confirm_past = false);
  /// Marking done needs no reason; a change of kind, date or note is a correction.
  Result<Deadline> UpdateDeadline(const Principal& p, std::string_view id, const Correction& correction,
                                  const std::function<Status(Deadline&)>& change, bool confirm_past = false);
  Result<Deadline> GetDeadline(const Principal& p, std::string_view id);
  Result<std::vector<Deadline>> ListDeadlines(const Principal& p, std::string_view case_id);
  /// Open deadlines due within `days` (and overdue ones) of the caller's centre; `mine`: only
  /// cases assigned to the caller.
  Result<std::vector<Deadline>> DueDeadlines(const Principal& p, int days, bool mine);

  Result<Referral> AddReferral(const Principal& p, std::string_view case_id, Referral r);
  /// Moving the status on (suggested, made, confirmed, completed, or declined) and the consent
  /// need no reason; any other change is a correction. `case_id` empty: any case of the centre.
  /// `step_date`: the date of a new status (default today).
  Result<Referral> UpdateReferral(const Principal& p, std::string_view case_id, std::string_view id,
                                  const Correction& correction, const std::function<Status(Referral&)>& change,
                                  std::optional<std::string> step_date = {});
  Result<Referral> GetReferral(const Principal& p, std::string_view id);
  Result<std::vector<Referral>> ListReferrals(const Principal& p, std::string_view case_id);

  Result<Escalation> CreateEscalation(const Principal& p, std::string_view case_id, Escalation e);
  Result<std::vector<Escalation>> ListEscalations(const Principal& p, std::optional<std::string> status);
  Result<Escalation> GetEscalation(const Principal& p, std::string_view id);
  /// For the knowledge base (a case description from an answered escalation): the escalation with
  /// its messages and, in memory only, what the redaction check compares the description with —
  /// the client's consent to anonymised use, code, employer and identifying data. Competence
  /// centre only; audited as a read of the escalation. The data never leaves the server.
  struct EscalationSource {
    Escalation escalation;
    bool anonymised_use = false;
    std::string client_code;
    std::optional<std::string> employer;
    Personal personal;
  };
  Result<EscalationSource> EscalationForCaseDescription(const Principal& p, std::string_view id);
  Result<EscalationMessage> AddMessage(const Principal& p, std::string_view escalation_id, std::string body);
  Result<Escalation> SetEscalationStatus(const Principal& p, std::string_view id, std::string status);
  /// The competence centre assigns an escalation to one of its members (nullopt: nobody).
  Result<Escalation> AssignEscalation(const Principal& p, std::string_view id, std::optional<std::string> assignee);
  /// The asking centre marks the competence centre's answers read (one, or all).
  Result<Escalation> MarkAnswersRead(const Principal& p, std::string_view id, std::optional<std::string> message_id);

  // Saved filters of the case list (per user).
  Result<std::vector<SavedFilter>> SavedFilters(const Principal& p);
  Result<SavedFilter> SaveFilter(const Principal& p, std::optional<std::string> id, std::string name,
                                 std::string query);
  Status DeleteSavedFilter(const Principal& p, std::string_view id);

  /// Anonymises closed cases older than the retention period (`fairdesk retention run`, and the
  /// daily job). One transaction per batch of cases; `proceed` (if given) is asked before each
  /// batch, and a false answer ends the run early with `stopped` set (a server shutting down).
  Result<RetentionReport> RunRetention(bool dry_run, const std::function<bool()>& proceed = {});

  /// Called inside the transaction that anonymises or erases a case, so that modules holding data
  /// of a case (documents) delete theirs in the same transaction.
  using CaseEraser = std::function<Status(db::Session&, std::string_view case_id)>;
  void OnCaseAnonymised(CaseEraser eraser) { erasers_.push_back(std::move(eraser)); }

  /// Called inside the transaction of every change of a case, its consultations, its referrals or
  /// its client, so that modules deriving figures from case work (stats) follow in the same
  /// transaction.
  using CaseHook = std::function<Status(db::Session&, std::string_view case_id)>;
  void OnCaseChanged(CaseHook hook) { changed_.push_back(std::move(hook)); }

  /// Called inside the data-subject export's read snapshot for each case, so that modules holding
  /// data of a case (documents) add theirs to the case's JSON object, and files whose content is
  /// read later, outside the snapshot, one at a time.
  using CaseExporter = std::function<Status(db::Session&, std::string_view case_id, boost::json::object& out,
                                            std::vector<ExportFile>& files)>;
  void OnCaseExport(CaseExporter exporter) { exporters_.push_back(std::move(exporter)); }

  /// The columns holding keyring ciphertexts (for `fairdesk keys reencrypt`).
  static std::vector<crypto::EncryptedColumn> EncryptedColumns();

 private:
  Result<std::string> CallerCentre(const Principal& p);
  Result<Case> LoadCase(db::Session& s, const Principal& p, std::string_view id);
  Result<Client> LoadClient(db::Session& s, const Principal& p, std::string_view id);
  Status CheckAssignee(db::Session& s, const Principal& p, const std::string& centre_id,
                       const std::optional<std::string>& assignee);
  /// Refuses (422 naming the field) texts that identify the case's client.
  Status CheckAnonymous(db::Session& s, const std::string& client_id,
                        std::initializer_list<std::pair<std::string_view, const std::string*>> texts);
  Status CheckOrganisation(const std::string& target, const std::optional<std::string>& organisation_id);
  Result<Client> Seal(Client c) const;
  Result<Client> Open(Client c) const;
  /// The key of the blind index (sealed in case_secrets, created on first use).
  Result<std::string> BlindKey();
  std::string BlindHash(const std::string& key, std::string_view kind, std::string_view value) const;
  /// The blind-index hashes of a decrypted client (name, its words, phone, e-mail).
  std::vector<std::string> SearchHashes(const std::string& key, const Client& c) const;
  /// Refuses changes to a case that is closed, anonymised or being transferred (field: `field`).
  Status CheckEditable(db::Session& s, const Case& k, std::string_view field);
  /// Whether the caller may correct an entry made by `author` (the author or the centre lead).
  Status CheckCorrector(const Principal& p, const std::string& author);
  /// An "assign" entry in the case history: the assignee before the change.
  Status SaveAssignment(db::Session& s, const Principal& p, const Case& before);
  Status SaveHistory(db::Session& s, const Principal& p, const std::string& case_id, std::string_view type,
                     const std::string& record_id, std::int64_t version, std::string_view action,
                     const boost::json::object& before, const std::optional<std::string>& reason);
  void FillOrganisationNames(std::vector<Referral>& referrals);
  template <typename T>
  Result<T> OpenMarks(T record, std::string_view table) const;
  /// The case's employment sealed into `employment_sealed` (nothing recorded: NULL) and back.
  Status SealEmployment(Case& c) const;
  Status OpenEmployment(Case& c) const;
  Result<std::optional<std::string>> SealField(const std::optional<std::string>& v, std::string_view table,
                                               std::string_view column, std::string_view id) const;
  Result<std::optional<std::string>> OpenField(const std::optional<std::string>& v, std::string_view table,
                                               std::string_view column, std::string_view id) const;
  std::string SearchText(const Case& c, const std::vector<Topic>& topics) const;
  Status SaveSettingsChange(db::Session& s, const Principal& p, std::string_view kind, boost::json::value before,
                            boost::json::value after);
  Result<RetentionSettings> RetentionIn(db::Session& s);

  db::Database& db_;
  directory::Service& directory_;
  const crypto::Keyring& keyring_;
  Options options_;
  Store store_;
  std::vector<CaseEraser> erasers_;
  std::mutex blind_mutex_;
  std::string blind_key_;
  std::vector<CaseHook> changed_;
  Status CaseChanged(db::Session& s, std::string_view case_id);
  std::vector<CaseExporter> exporters_;
};

}  // namespace fairdesk::cases
