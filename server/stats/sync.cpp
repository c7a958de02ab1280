// The statistics record follows case work inside the same transaction (stats.hpp).

#include <boost/json.hpp>

#include <algorithm>

#include "platform/crypto/crypto.hpp"
#include "stats/aggregate.hpp"
#include "stats/stats.hpp"

namespace fairdesk::stats {
namespace {

constexpr db::Query kCaseInput{
    "stats.case_input",
    "SELECT c.centre_id, ce.state, c.opened_on, c.closed_on, c.status, c.topics, cl.nationality, cl.sector, "
    "cl.employment_status, cl.residence_status, cl.birth_year, cl.abroad, cl.gender, "
    "(SELECT r.target FROM referrals r WHERE r.case_id = c.id AND r.withdrawn_at IS NULL ORDER BY r.created_at, r.id LIMIT 1), "
    "c.outcome_wages_recovered_cents, c.outcome_claim_filed, c.outcome_settled, c.outcome_referred, "
    "c.outcome_no_further_action, c.client_id, c.anonymised_at "
    "FROM cases c JOIN centres ce ON ce.id = c.centre_id LEFT JOIN clients cl ON cl.id = c.client_id WHERE c.id = $1"};
constexpr db::Query kPersonOfClient{"stats.person_of_client", "SELECT id, rkey FROM stats_persons WHERE client_id = $1"};
constexpr db::Query kInsertPerson{"stats.insert_person", "INSERT INTO stats_persons (id, client_id, rkey) VALUES ($1, $2, $3)"};
constexpr db::Query kCaseFact{
    "stats.case_fact",
    "SELECT id, person_id, person_rkey, centre_id, state, opened_month, age_band, employment_status "
    "FROM stats_cases WHERE case_id = $1"};
constexpr db::Query kUpdateCaseFact{
    "stats.update_case_fact",
    "UPDATE stats_cases SET closed_month = $2, topic = $3, sector = $4, sector_group = $5, nationality = $6, "
    "nationality_group = $7, gender = $8, residence_status = $9, abroad = $10, referral_target = $11, outcome = $12, "
    "wages_recovered_cents = $13 WHERE id = $1"};
constexpr db::Query kUpdateConsultationFacts{
    "stats.update_consultation_facts",
    "UPDATE stats_consultations SET topic = $2, sector = $3, sector_group = $4, nationality = $5, "
    "nationality_group = $6, gender = $7, residence_status = $8, abroad = $9, referral_target = $10, outcome = $11 "
    "WHERE stats_case_id = $1"};
constexpr db::Query kNewConsultations{
    "stats.new_consultations",
    "SELECT co.id, co.date, co.channel, co.language, co.kind, "
    "(SELECT COUNT(*) FROM stats_consultations sk WHERE sk.stats_case_id = $2) "
    "FROM consultations co WHERE co.case_id = $1 AND co.withdrawn_at IS NULL AND NOT EXISTS "
    "(SELECT 1 FROM stats_consultations sk WHERE sk.consultation_id = co.id) ORDER BY co.date, co.created_at, co.id"};
// Corrections of consultations (date, channel, language, kind) follow; withdrawn ones are no
// longer counted.
constexpr db::Query kCorrectConsultationFacts{
    "stats.correct_consultation_facts",
    "UPDATE stats_consultations SET "
    "month = (SELECT substr(co.date, 1, 7) FROM consultations co WHERE co.id = stats_consultations.consultation_id), "
    "channel = (SELECT co.channel FROM consultations co WHERE co.id = stats_consultations.consultation_id), "
    "language = (SELECT co.language FROM consultations co WHERE co.id = stats_consultations.consultation_id), "
    "kind = (SELECT co.kind FROM consultations co WHERE co.id = stats_consultations.consultation_id) "
    "WHERE stats_case_id = $1 AND consultation_id IN (SELECT co.id FROM consultations co WHERE co.case_id = $2 AND "
    "co.withdrawn_at IS NULL)"};
constexpr db::Query kDropWithdrawn{
    "stats.drop_withdrawn",
    "DELETE FROM stats_consultations WHERE stats_case_id = $1 AND consultation_id IN "
    "(SELECT co.id FROM consultations co WHERE co.case_id = $2 AND co.withdrawn_at IS NOT NULL)"};
// Merged clients: the records of the case follow the person of its (new) client.
constexpr db::Query kMovePerson{"stats.move_person_cases",
                                "UPDATE stats_cases SET person_id = $2, person_rkey = $3 WHERE id = $1"};
constexpr db::Query kMovePersonConsultations{
    "stats.move_person_consultations",
    "UPDATE stats_consultations SET person_id = $2, person_rkey = $3 WHERE stats_case_id = $1"};
constexpr db::Query kUnlinkCase{"stats.unlink_case", "UPDATE stats_cases SET case_id = NULL WHERE case_id = $1 RETURNING id, person_id"};
constexpr db::Query kUnlinkConsultations{"stats.unlink_consultations",
                                         "UPDATE stats_consultations SET consultation_id = NULL WHERE stats_case_id = $1"};
constexpr db::Query kUnlinkPerson{
    "stats.unlink_person",
    "UPDATE stats_persons SET client_id = NULL WHERE id = $1 AND NOT EXISTS "
    "(SELECT 1 FROM stats_cases sc WHERE sc.person_id = $1 AND sc.case_id IS NOT NULL)"};

std::string ConsultationFactInsertSql() {
  auto cols = ConsultationFactColumns();
  std::string sql = "INSERT INTO stats_consultations (";
  for (std::size_t i = 0; i < cols.size(); ++i) sql += (i ? ", " : "") + cols[i];
  sql += ") VALUES (";
  for (std::size_t i = 0; i < cols.size(); ++i) sql += (i ? ", $" : "$") + std::to_string(i + 1);
  return sql + ")";
}

std::string CaseFactInsertSql() {
  auto cols = CaseFactColumns();
  std::string sql = "INSERT INTO stats_cases (";
  for (std::size_t i = 0; i < cols.size(); ++i) sql += (i ? ", " : "") + cols[i];
  sql += ") VALUES (";
  for (std::size_t i = 0; i < cols.size(); ++i) sql += (i ? ", $" : "$") + std::to_string(i + 1);
  return sql + ")";
}

bool Flag(const db::Row& r, std::size_t i) { return r.OptInt(i).value_or(0) != 0; }

}  // namespace

Status SyncCase(db::Session& tx, std::string_view case_id) {
  auto row = FD_TRY(tx.MaybeOne(kCaseInput, {std::string(case_id)}));
  if (!row || !row->IsNull(20)) return {};  // gone, or anonymised: the record is unlinked already
  const db::Row& r = *row;
  CaseInput in;
  in.centre_id = r.Text(0);
  in.state = r.Text(1);
  in.opened_on = r.Text(2);
  in.closed_on = r.OptText(3);
  in.status = r.Text(4);
  auto topics = boost::json::parse(r.Text(5));
  if (topics.is_array() && !topics.as_array().empty() && topics.as_array()[0].is_string()) {
    in.first_topic = std::string(topics.as_array()[0].as_string());
  }
  in.nationality = r.OptText(6);
  in.sector = r.OptText(7);
  in.employment_status = r.OptText(8);
  in.residence_status = r.OptText(9);
  in.birth_year = r.OptInt(10);
  if (auto a = r.OptInt(11)) in.abroad = *a != 0;
  in.gender = r.OptText(12).value_or("unspecified");
  in.referral_target = r.OptText(13);
  in.wages_recovered_cents = r.OptInt(14).value_or(0);
  in.claim_filed = Flag(r, 15);
  in.settled = Flag(r, 16);
  in.referred = Flag(r, 17);
  in.no_further_action = Flag(r, 18);
  const auto client_id = r.OptText(19);
  CaseFact f = DeriveCaseFact(in);

  std::string stats_case_id, person_id;
  std::int64_t person_rkey = 0;
  AggMap before;  // what the case's records added to the pre-aggregates before this change
  // The persons whose records change (the case's, and on a merge the one it moves to) and what
  // their records added to the distinct-person pre-aggregates before.
  std::vector<std::string> persons;
  PersonAggMap persons_before, persons_after;
  auto add_contribution = [&](const std::string& id, PersonAggMap& into) -> Status {
    for (const auto& [k, v] : FD_TRY(PersonContribution(tx, id))) {
      auto& sum = into[k];
      sum.persons += v.persons;
      sum.key_sum += v.key_sum;
    }
    return {};
  };
  auto touch_person = [&](const std::string& id) -> Status {
    if (std::find(persons.begin(), persons.end(), id) != persons.end()) return {};
    persons.push_back(id);
    return add_contribution(id, persons_before);
  };
  if (auto existing = FD_TRY(tx.MaybeOne(kCaseFact, {std::string(case_id)}))) {
    stats_case_id = existing->Text(0);
    before = FD_TRY(CaseContribution(tx, stats_case_id));
    FD_TRY_VOID(touch_person(existing->Text(1)));
    person_id = existing->Text(1);
    person_rkey = existing->Int(2);
    // Where and when the case was opened, and the person's situation at first contact, stay.
    f.centre_id = existing->Text(3);
    f.state = existing->Text(4);
    f.opened_month = existing->Text(5);
    f.age_band = existing->Text(6);
    f.employment_status = existing->Text(7);
    FD_TRY_VOID(tx.Exec(kUpdateCaseFact, {stats_case_id, db::Opt(f.closed_month), f.topic, f.sector, f.sector_group,
                                          f.nationality, f.nationality_group, f.gender, f.residence_status, f.abroad,
                                          f.referral_target, f.outcome, f.wages_recovered_cents}));
    FD_TRY_VOID(tx.Exec(kUpdateConsultationFacts, {stats_case_id, f.topic, f.sector, f.sector_group, f.nationality,
                                                   f.nationality_group, f.gender, f.residence_status, f.abroad,
                                                   f.referral_target, f.outcome}));
    FD_TRY_VOID(tx.Exec(kCorrectConsultationFacts, {stats_case_id, std::string(case_id)}));
    FD_TRY_VOID(tx.Exec(kDropWithdrawn, {stats_case_id, std::string(case_id)}));
    if (client_id) {
      auto p = FD_TRY(tx.MaybeOne(kPersonOfClient, {*client_id}));
      if (p && p->Text(0) != person_id) {
        FD_TRY_VOID(touch_person(p->Text(0)));
        person_id = p->Text(0);
        person_rkey = p->Int(1);
        FD_TRY_VOID(tx.Exec(kMovePerson, {stats_case_id, person_id, person_rkey}));
        FD_TRY_VOID(tx.Exec(kMovePersonConsultations, {stats_case_id, person_id, person_rkey}));
      }
    }
  } else {
    if (client_id) {
      if (auto p = FD_TRY(tx.MaybeOne(kPersonOfClient, {*client_id}))) {
        person_id = p->Text(0);
        person_rkey = p->Int(1);
      }
    }
    if (person_id.empty()) {
      person_id = crypto::NewId("sp");
      person_rkey = NewRecordKey();
      FD_TRY_VOID(tx.Exec(kInsertPerson, {person_id, db::Opt(client_id), person_rkey}));
    }
    FD_TRY_VOID(touch_person(person_id));
    stats_case_id = crypto::NewId("sc");
    CaseFactRow fr{.id = stats_case_id, .case_id = std::string(case_id), .person_id = person_id,
                   .person_rkey = person_rkey, .fact = f, .rkey = NewRecordKey()};
    static const std::string sql = CaseFactInsertSql();
    auto values = CaseFactValues(fr);
    FD_TRY_VOID(tx.Exec(db::Query{"stats.insert_case_fact", sql}, std::span<const db::Value>(values)));
  }

  // A record per consultation not yet counted; the first of the case is the first contact.
  auto fresh = FD_TRY(tx.Query(kNewConsultations, {std::string(case_id), stats_case_id}));
  std::int64_t counted = fresh.empty() ? 0 : fresh.front().Int(5);
  static const std::string insert_sql = ConsultationFactInsertSql();
  for (const auto& c : fresh) {
    ConsultationFactRow cr{.id = crypto::NewId("sk"), .consultation_id = c.Text(0), .stats_case_id = stats_case_id,
                           .person_id = person_id, .person_rkey = person_rkey, .month = c.Text(1).substr(0, 7),
                           .channel = c.Text(2), .language = c.Text(3), .kind = c.Text(4),
                           .contact = counted == 0 ? "first" : "follow_up", .rkey = NewRecordKey()};
    ++counted;
    auto values = ConsultationFactValues(cr, f);
    FD_TRY_VOID(tx.Exec(db::Query{"stats.insert_consultation_fact", insert_sql}, std::span<const db::Value>(values)));
  }
  FD_TRY_VOID(ApplyContributionChange(tx, before, FD_TRY(CaseContribution(tx, stats_case_id))));
  for (const auto& id : persons) FD_TRY_VOID(add_contribution(id, persons_after));
  return ApplyPersonChange(tx, persons_before, persons_after);
}

Status UnlinkCase(db::Session& tx, std::string_view case_id) {
  auto rows = FD_TRY(tx.Query(kUnlinkCase, {std::string(case_id)}));
  for (const auto& r : rows) {
    FD_TRY_VOID(tx.Exec(kUnlinkConsultations, {r.Text(0)}));
    FD_TRY_VOID(tx.Exec(kUnlinkPerson, {r.Text(1)}));
  }
  return {};
}

}  // namespace fairdesk::stats
