#pragma once
/// Storage of case work. Every method runs on a session the service opened, so that one
/// transaction covers the change and its audit entry. Personal fields (Client::personal,
/// Consultation::notes, Referral::note) arrive and leave sealed: the service encrypts them with
/// the keyring before they get here.

#include <span>
#include <vector>

#include "cases/model.hpp"
#include "cases/routing.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"

namespace fairdesk::cases {

/// Tables topics, routing_rules, clients, cases, consultations, deadlines, referrals,
/// escalations, escalation_messages (versions 400-459). They refer to centres(id) and users(id).
std::span<const db::Migration> Migrations();

/// The statement of the case list in `sort` order (nullptr: no such order); by_key: the variant
/// that searches by case number or client code through their indexes (CaseFilter::key_prefix).
/// Its parameters are those Store::ListCases binds; the contract test explains it.
const db::Query* CaseListQuery(std::string_view sort, bool by_key);
/// The variant that searches for a text (CaseFilter::text_phrase) through the trigram indexes of
/// migration 413 ($15: the phrase; $5 the LIKE pattern as in the plain list).
const db::Query* CaseTextSearchQuery(std::string_view sort);

/// Distributes the messages of a case to their escalations, keeping their order.
void AttachMessages(std::vector<Escalation>& escalations, std::vector<EscalationMessage> messages);

class Store {
 public:
  // Reference data.
  Result<std::vector<Topic>> Topics(db::Session& s);
  Status ReplaceTopics(db::Session& s, const std::vector<Topic>& topics);
  Result<std::vector<RoutingRule>> RoutingRules(db::Session& s);
  Status ReplaceRoutingRules(db::Session& s, const std::vector<RoutingRule>& rules);
  Result<bool> Seeded(db::Session& s, std::string_view what);
  Status MarkSeeded(db::Session& s, std::string_view what);

  /// The user's centre and role, when the user exists and is enabled.
  Result<std::optional<std::pair<std::string, std::string>>> UserCentreRole(db::Session& s, std::string_view user_id);
  Result<std::optional<std::string>> UserIdByEmail(db::Session& s, std::string_view email);

  // Clients. Updates take the version the caller read (nullopt: any) and answer false when the
  // record has changed since (nothing written).
  Result<bool> ClientCodeExists(db::Session& s, std::string_view code);
  Status InsertClient(db::Session& s, const Client& c);
  Result<bool> UpdateClient(db::Session& s, const Client& c, std::optional<std::int64_t> expected_version = std::nullopt);
  Result<std::optional<Client>> FindClient(db::Session& s, std::string_view id);
  /// Clients of a centre, newest first. `code_like`: a LIKE pattern on the code; `hashes`: up to
  /// four blind-index hashes, any of which matches (only with `code_like`); `all_words`: two to four
  /// word hashes that must all be the client's (a name typed in another order; ignored otherwise).
  Result<std::vector<Client>> ListClients(db::Session& s, std::string_view centre_id, std::optional<std::string> code_like,
                                          std::optional<std::pair<std::int64_t, std::string>> after, int limit,
                                          const std::vector<std::string>& hashes = {},
                                          std::optional<std::int64_t> birth_year = std::nullopt,
                                          std::optional<std::string> nationality = std::nullopt,
                                          const std::vector<std::string>& all_words = {});
  Status DeleteClient(db::Session& s, std::string_view id);
  /// Replaces the blind-index hashes of a client.
  Status ReplaceSearchHashes(db::Session& s, std::string_view client_id, const std::vector<std::string>& hashes);
  /// Clients with identifying data but no blind-index hashes yet (older rows), at most `limit`.
  Result<std::vector<Client>> ClientsWithoutSearchIndex(db::Session& s, int limit);
  /// Moves every case of `from` to `to` (merge of two client records).
  Status MoveCasesOfClient(db::Session& s, std::string_view from, std::string_view to);
  /// Clients not yet anonymised, registered before `created_before` (unix seconds), without any
  /// case that is not anonymised (all of them anonymised, or none at all); at most `limit`.
  Result<std::vector<Client>> ClientsDueForAnonymisation(db::Session& s, std::int64_t created_before, int limit);
  /// Plaintext of version 401 still to be sealed: (id, text) of clients.employer and deadlines.note.
  Result<std::vector<std::pair<std::string, std::string>>> LegacyEmployers(db::Session& s, int limit);
  Status SealEmployer(db::Session& s, std::string_view id, std::string_view sealed);
  Result<std::vector<std::pair<std::string, std::string>>> LegacyDeadlineNotes(db::Session& s, int limit);
  Status SealDeadlineNote(db::Session& s, std::string_view id, std::string_view sealed);
  /// A named secret of case work, sealed by the keyring (the blind-index key).
  Result<std::optional<std::string>> Secret(db::Session& s, std::string_view name);
  Status InsertSecret(db::Session& s, std::string_view name, std::string_view sealed);

  // Cases.
  Result<std::int64_t> NextCaseSequence(db::Session& s, std::string_view prefix);
  Status InsertCase(db::Session& s, const Case& c, std::string_view search_text);
  Result<bool> UpdateCase(db::Session& s, const Case& c, std::string_view search_text,
                          std::optional<std::int64_t> expected_version = std::nullopt);
  Result<std::optional<Case>> FindCase(db::Session& s, std::string_view id);
  /// The case with everything its page shows: the client, consultations, deadlines, referrals,
  /// escalations with their messages and the pending transfer, in the orders of the single reads
  /// below (one round trip on PostgreSQL). nullopt: no such case. Read whatever centre the case
  /// belongs to: the caller checks that before using any of it.
  Result<std::optional<CaseDetail>> CaseWithTimeline(db::Session& s, std::string_view id);
  /// `filter.limit + 1` cases in `filter.sort` order (the extra one tells whether there is more):
  /// from the keyset position `after` (default order) or from `offset` (other orders).
  Result<std::vector<Case>> ListCases(db::Session& s, std::string_view centre_id, const CaseFilter& f,
                                      std::optional<std::pair<std::int64_t, std::string>> after,
                                      std::int64_t offset = 0, std::optional<std::string> today = std::nullopt);
  Result<std::vector<Case>> CasesOfClient(db::Session& s, std::string_view client_id);
  /// The ids of closed cases whose closing date is before `closed_before` and that are not yet
  /// anonymised, oldest first (ids only: at a million cases the retention job reads this once).
  Result<std::vector<std::string>> CaseIdsClosedBefore(db::Session& s, std::string_view closed_before);
  /// Removes every personal trace of a case (notes, hand-over notes, deadline notes, escalation
  /// texts, narrative, earlier versions) and marks it anonymised; statistical facts stay.
  Status AnonymiseCase(db::Session& s, std::string_view case_id);
  Status DeleteCase(db::Session& s, std::string_view case_id);
  Status MoveCase(db::Session& s, std::string_view case_id, std::string_view centre_id);
  /// Records a transfer with the client's consent; `status` pending (asked) or accepted.
  Status InsertTransfer(db::Session& s, std::string_view id, std::string_view case_id, std::string_view from,
                        std::string_view to, std::string_view consent_date, std::string_view by,
                        std::string_view status = "accepted");
  Result<std::optional<Transfer>> FindTransfer(db::Session& s, std::string_view id);
  /// Pending transfers to or from a centre.
  Result<std::vector<Transfer>> PendingTransfers(db::Session& s, std::string_view centre_id);
  /// Sets a pending transfer's outcome; false when it was no longer pending.
  Result<bool> DecideTransfer(db::Session& s, std::string_view id, std::string_view status, std::string_view by);
  Status MoveClient(db::Session& s, std::string_view client_id, std::string_view centre_id);
  /// Open cases and overdue deadlines (due before `today`) per member of a centre.
  Result<std::vector<Caseload>> CaseloadOfCentre(db::Session& s, std::string_view centre_id, std::string_view today);

  // Consultations.
  Status InsertConsultation(db::Session& s, const Consultation& c);
  Result<bool> UpdateConsultation(db::Session& s, const Consultation& c, std::optional<std::int64_t> expected_version);
  Result<std::optional<Consultation>> FindConsultation(db::Session& s, std::string_view id);
  Result<std::vector<Consultation>> Consultations(db::Session& s, std::string_view case_id);

  // Deadlines.
  Status InsertDeadline(db::Session& s, const Deadline& d);
  Result<bool> UpdateDeadline(db::Session& s, const Deadline& d, std::optional<std::int64_t> expected_version = std::nullopt);
  Result<std::optional<Deadline>> FindDeadline(db::Session& s, std::string_view id);
  Result<std::vector<Deadline>> Deadlines(db::Session& s, std::string_view case_id);
  /// Open deadlines of open cases of a centre due on or before `until` (overdue included).
  Result<std::vector<Deadline>> DueDeadlines(db::Session& s, std::string_view centre_id, std::string_view until,
                                             std::optional<std::string> assignee_id);

  // Referrals.
  Status InsertReferral(db::Session& s, const Referral& r);
  Result<bool> UpdateReferral(db::Session& s, const Referral& r, std::optional<std::int64_t> expected_version = std::nullopt);
  Result<std::optional<Referral>> FindReferral(db::Session& s, std::string_view id);
  Result<std::vector<Referral>> Referrals(db::Session& s, std::string_view case_id);

  // Earlier versions (before_json and reason arrive and leave sealed).
  Status InsertHistory(db::Session& s, const HistoryEntry& h);
  /// The history of a case, or of one record of it.
  Result<std::vector<HistoryEntry>> History(db::Session& s, std::string_view case_id,
                                            std::optional<std::string> record_id = std::nullopt);

  // Saved filters of a user.
  // Settings of admins and their history.
  Result<std::optional<StoredSetting>> Setting(db::Session& s, std::string_view name);
  Status PutSetting(db::Session& s, std::string_view name, std::string_view value, std::string_view user_id,
                    std::int64_t at);
  Status InsertSettingsChange(db::Session& s, const SettingsChange& c);
  /// Newest first; `kind` nullopt: every kind.
  Result<std::vector<SettingsChange>> SettingsChanges(db::Session& s, std::optional<std::string> kind, int limit);
  /// How many cases and consultations name the topic.
  Result<std::int64_t> TopicUse(db::Session& s, std::string_view code);

  Status InsertSavedFilter(db::Session& s, const SavedFilter& f);
  Result<bool> UpdateSavedFilter(db::Session& s, const SavedFilter& f);
  Result<bool> DeleteSavedFilter(db::Session& s, std::string_view user_id, std::string_view id);
  Result<std::vector<SavedFilter>> SavedFilters(db::Session& s, std::string_view user_id,
                                                std::optional<std::string> id = std::nullopt);

  // Escalations.
  Status InsertEscalation(db::Session& s, const Escalation& e);
  Status UpdateEscalationStatus(db::Session& s, std::string_view id, std::string_view status, std::int64_t now);
  Status AssignEscalation(db::Session& s, std::string_view id, std::optional<std::string> assignee, std::int64_t now);
  Result<std::optional<Escalation>> FindEscalation(db::Session& s, std::string_view id);
  /// Escalations of one centre, or of all centres when `centre_id` is empty.
  Result<std::vector<Escalation>> Escalations(db::Session& s, std::optional<std::string> centre_id,
                                              std::optional<std::string> status);
  Result<std::vector<Escalation>> EscalationsOfCase(db::Session& s, std::string_view case_id);
  Status InsertMessage(db::Session& s, const EscalationMessage& m);
  Result<std::vector<EscalationMessage>> Messages(db::Session& s, std::string_view escalation_id);
  /// The messages of every escalation of a case, in one query (ordered by escalation, then time).
  Result<std::vector<EscalationMessage>> MessagesOfCase(db::Session& s, std::string_view case_id);
  /// Marks the competence centre's answers of an escalation read (one, or all when nullopt).
  Result<std::int64_t> MarkAnswersRead(db::Session& s, std::string_view escalation_id, std::string_view by,
                                       std::optional<std::string> message_id);
  Result<std::vector<Transfer>> Transfers(db::Session& s, std::string_view case_id);
};

}  // namespace fairdesk::cases
