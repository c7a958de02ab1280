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

  // Clients.
  Result<bool> ClientCodeExists(db::Session& s, std::string_view code);
  Status InsertClient(db::Session& s, const Client& c);
  Status UpdateClient(db::Session& s, const Client& c);
  Result<std::optional<Client>> FindClient(db::Session& s, std::string_view id);
  Result<std::vector<Client>> ListClients(db::Session& s, std::string_view centre_id, std::optional<std::string> code_like,
                                          std::optional<std::pair<std::int64_t, std::string>> after, int limit);
  Status DeleteClient(db::Session& s, std::string_view id);
  /// Clients not yet anonymised, registered before `created_before` (unix seconds), without any
  /// case that is not anonymised (all of them anonymised, or none at all); at most `limit`.
  Result<std::vector<Client>> ClientsDueForAnonymisation(db::Session& s, std::int64_t created_before, int limit);

  // Cases.
  Result<std::int64_t> NextCaseSequence(db::Session& s, std::string_view prefix);
  Status InsertCase(db::Session& s, const Case& c, std::string_view search_text);
  Status UpdateCase(db::Session& s, const Case& c, std::string_view search_text);
  Result<std::optional<Case>> FindCase(db::Session& s, std::string_view id);
  Result<std::vector<Case>> ListCases(db::Session& s, std::string_view centre_id, const CaseFilter& f,
                                      std::optional<std::pair<std::int64_t, std::string>> after);
  Result<std::vector<Case>> CasesOfClient(db::Session& s, std::string_view client_id);
  /// Closed cases whose closing date is before `closed_before` and that are not yet anonymised.
  Result<std::vector<Case>> CasesClosedBefore(db::Session& s, std::string_view closed_before);
  /// Removes every personal trace of a case (notes, hand-over notes, deadline notes, escalation
  /// texts) and marks it anonymised; statistical facts stay.
  Status AnonymiseCase(db::Session& s, std::string_view case_id);
  Status DeleteCase(db::Session& s, std::string_view case_id);
  Status MoveCase(db::Session& s, std::string_view case_id, std::string_view centre_id);
  /// Records a transfer with the client's consent.
  Status InsertTransfer(db::Session& s, std::string_view id, std::string_view case_id, std::string_view from,
                        std::string_view to, std::string_view consent_date, std::string_view by);
  Status MoveClient(db::Session& s, std::string_view client_id, std::string_view centre_id);

  // Consultations.
  Status InsertConsultation(db::Session& s, const Consultation& c);
  Result<std::vector<Consultation>> Consultations(db::Session& s, std::string_view case_id);

  // Deadlines.
  Status InsertDeadline(db::Session& s, const Deadline& d);
  Status UpdateDeadline(db::Session& s, const Deadline& d);
  Result<std::optional<Deadline>> FindDeadline(db::Session& s, std::string_view id);
  Result<std::vector<Deadline>> Deadlines(db::Session& s, std::string_view case_id);
  /// Open deadlines of open cases of a centre due on or before `until` (overdue included).
  Result<std::vector<Deadline>> DueDeadlines(db::Session& s, std::string_view centre_id, std::string_view until,
                                             std::optional<std::string> assignee_id);

  // Referrals.
  Status InsertReferral(db::Session& s, const Referral& r);
  Status UpdateReferral(db::Session& s, const Referral& r);
  Result<std::optional<Referral>> FindReferral(db::Session& s, std::string_view id);
  Result<std::vector<Referral>> Referrals(db::Session& s, std::string_view case_id);

  // Escalations.
  Status InsertEscalation(db::Session& s, const Escalation& e);
  Status UpdateEscalationStatus(db::Session& s, std::string_view id, std::string_view status, std::int64_t now);
  Result<std::optional<Escalation>> FindEscalation(db::Session& s, std::string_view id);
  /// Escalations of one centre, or of all centres when `centre_id` is empty.
  Result<std::vector<Escalation>> Escalations(db::Session& s, std::optional<std::string> centre_id,
                                              std::optional<std::string> status);
  Result<std::vector<Escalation>> EscalationsOfCase(db::Session& s, std::string_view case_id);
  Status InsertMessage(db::Session& s, const EscalationMessage& m);
  Result<std::vector<EscalationMessage>> Messages(db::Session& s, std::string_view escalation_id);
  /// The messages of every escalation of a case, in one query (ordered by escalation, then time).
  Result<std::vector<EscalationMessage>> MessagesOfCase(db::Session& s, std::string_view case_id);
  Result<std::vector<Transfer>> Transfers(db::Session& s, std::string_view case_id);
};

}  // namespace fairdesk::cases
