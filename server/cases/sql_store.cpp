#include <algorithm>

#include <boost/json.hpp>

#include "cases/store.hpp"
#include "platform/core/clock.hpp"

namespace fairdesk::cases {
namespace json = boost::json;
namespace {

constexpr db::Migration kMigrations[] = {
    {400, "case work: reference data", R"SQL(
CREATE TABLE case_topics (
  code TEXT PRIMARY KEY,
  label_de TEXT NOT NULL,
  label_en TEXT NOT NULL,
  in_scope INTEGER NOT NULL,
  position INTEGER NOT NULL
);
CREATE TABLE routing_rules (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  nationality TEXT NOT NULL,
  topics TEXT NOT NULL,
  in_scope_topics INTEGER NOT NULL,
  flags TEXT NOT NULL,
  target TEXT NOT NULL,
  organisation_id TEXT,
  stop INTEGER NOT NULL,
  enabled INTEGER NOT NULL,
  reason_de TEXT NOT NULL,
  reason_en TEXT NOT NULL
);
CREATE TABLE case_seeds (
  what TEXT PRIMARY KEY,
  seeded_at BIGINT NOT NULL
);
CREATE TABLE case_counters (
  prefix TEXT PRIMARY KEY,
  last_value BIGINT NOT NULL
);
)SQL",
     {}},
    {401, "case work: clients and cases", R"SQL(
CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  centre_id TEXT NOT NULL REFERENCES centres(id),
  code TEXT NOT NULL UNIQUE,
  nationality TEXT,
  birth_year INTEGER,
  gender TEXT NOT NULL,
  languages TEXT NOT NULL,
  employment_status TEXT,
  sector TEXT,
  employer TEXT,
  consent_storage INTEGER NOT NULL,
  consent_contact INTEGER NOT NULL,
  consent_anonymised_use INTEGER NOT NULL,
  consent_date TEXT,
  name_enc TEXT,
  phone_enc TEXT,
  email_enc TEXT,
  address_enc TEXT,
  safe_contact_enc TEXT,
  created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  anonymised_at BIGINT
);
CREATE INDEX clients_centre ON clients (centre_id, created_at);
CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  centre_id TEXT NOT NULL REFERENCES centres(id),
  client_id TEXT REFERENCES clients(id),
  number TEXT NOT NULL UNIQUE,
  topics TEXT NOT NULL,
  status TEXT NOT NULL,
  priority TEXT NOT NULL,
  assignee_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  risk_flags TEXT NOT NULL,
  opened_on TEXT NOT NULL,
  closed_on TEXT,
  outcome_wages_recovered_cents BIGINT,
  outcome_claim_filed INTEGER,
  outcome_settled INTEGER,
  outcome_referred INTEGER,
  outcome_no_further_action INTEGER,
  closing_reason TEXT,
  search_text TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  anonymised_at BIGINT,
  UNIQUE (id, centre_id)
);
CREATE INDEX cases_centre ON cases (centre_id, created_at);
CREATE INDEX cases_client ON cases (client_id);
CREATE TABLE consultations (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  date TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL,
  channel TEXT NOT NULL,
  language TEXT NOT NULL,
  interpreter INTEGER NOT NULL,
  topics TEXT NOT NULL,
  kind TEXT NOT NULL,
  notes_enc TEXT,
  created_by TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX consultations_case ON consultations (case_id);
CREATE TABLE deadlines (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  due_date TEXT NOT NULL,
  note TEXT,
  done INTEGER NOT NULL,
  source TEXT,
  created_by TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX deadlines_case ON deadlines (case_id);
CREATE INDEX deadlines_due ON deadlines (due_date);
CREATE TABLE referrals (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  target TEXT NOT NULL,
  organisation_id TEXT,
  status TEXT NOT NULL,
  client_consent INTEGER NOT NULL,
  consent_date TEXT,
  note_enc TEXT,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX referrals_case ON referrals (case_id);
CREATE TABLE escalations (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  centre_id TEXT NOT NULL REFERENCES centres(id),
  summary TEXT NOT NULL,
  question TEXT NOT NULL,
  status TEXT NOT NULL,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX escalations_centre ON escalations (centre_id, created_at);
CREATE TABLE escalation_messages (
  id TEXT PRIMARY KEY,
  escalation_id TEXT NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
  author_id TEXT,
  author_role TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX escalation_messages_escalation ON escalation_messages (escalation_id, created_at);
CREATE TABLE case_transfers (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  from_centre_id TEXT NOT NULL,
  to_centre_id TEXT NOT NULL,
  consent_date TEXT NOT NULL,
  transferred_by TEXT,
  transferred_at BIGINT NOT NULL
);
)SQL",
     {}},
    {402, "case work: daily use (versions, corrections, narrative, search index, saved filters, transfers)", R"SQL(
ALTER TABLE cases ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE cases ADD COLUMN narrative_enc TEXT;
UPDATE cases SET status = 'waiting_client' WHERE status = 'waiting';
ALTER TABLE clients ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE clients ADD COLUMN employer_enc TEXT;
ALTER TABLE clients ADD COLUMN birth_date_enc TEXT;
ALTER TABLE consultations ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE consultations ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE consultations ADD COLUMN corrected_at BIGINT;
ALTER TABLE consultations ADD COLUMN corrected_by TEXT;
ALTER TABLE consultations ADD COLUMN withdrawn_at BIGINT;
ALTER TABLE consultations ADD COLUMN withdrawn_by TEXT;
ALTER TABLE consultations ADD COLUMN change_reason_enc TEXT;
ALTER TABLE deadlines ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE deadlines ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE deadlines ADD COLUMN note_enc TEXT;
ALTER TABLE deadlines ADD COLUMN corrected_at BIGINT;
ALTER TABLE deadlines ADD COLUMN corrected_by TEXT;
ALTER TABLE deadlines ADD COLUMN withdrawn_at BIGINT;
ALTER TABLE deadlines ADD COLUMN withdrawn_by TEXT;
ALTER TABLE deadlines ADD COLUMN change_reason_enc TEXT;
ALTER TABLE referrals ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE referrals ADD COLUMN made_on TEXT;
ALTER TABLE referrals ADD COLUMN confirmed_on TEXT;
ALTER TABLE referrals ADD COLUMN completed_on TEXT;
ALTER TABLE referrals ADD COLUMN declined_on TEXT;
ALTER TABLE referrals ADD COLUMN corrected_at BIGINT;
ALTER TABLE referrals ADD COLUMN corrected_by TEXT;
ALTER TABLE referrals ADD COLUMN withdrawn_at BIGINT;
ALTER TABLE referrals ADD COLUMN withdrawn_by TEXT;
ALTER TABLE referrals ADD COLUMN change_reason_enc TEXT;
ALTER TABLE escalations ADD COLUMN assignee_id TEXT;
ALTER TABLE escalation_messages ADD COLUMN read_at BIGINT;
ALTER TABLE escalation_messages ADD COLUMN read_by TEXT;
ALTER TABLE case_transfers ADD COLUMN status TEXT NOT NULL DEFAULT 'accepted';
ALTER TABLE case_transfers ADD COLUMN client_consent INTEGER NOT NULL DEFAULT 1;
ALTER TABLE case_transfers ADD COLUMN decided_by TEXT;
ALTER TABLE case_transfers ADD COLUMN decided_at BIGINT;
CREATE INDEX case_transfers_pending ON case_transfers (to_centre_id, status);
CREATE INDEX case_transfers_case ON case_transfers (case_id, status);
CREATE TABLE case_record_history (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  action TEXT NOT NULL,
  before_enc TEXT,
  reason_enc TEXT,
  changed_by TEXT,
  changed_at BIGINT NOT NULL
);
CREATE INDEX case_record_history_case ON case_record_history (case_id, changed_at);
CREATE INDEX case_record_history_record ON case_record_history (record_id, changed_at);
CREATE TABLE client_search_index (
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  hash TEXT NOT NULL,
  PRIMARY KEY (client_id, hash)
);
CREATE INDEX client_search_index_hash ON client_search_index (hash);
CREATE TABLE case_secrets (
  name TEXT PRIMARY KEY,
  value_enc TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE case_saved_filters (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  query TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX case_saved_filters_user ON case_saved_filters (user_id, name);
)SQL",
     {}},
    {403, "case work: settings of admins (retention) and the history of settings changes", R"SQL(
CREATE TABLE case_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_by TEXT,
  updated_at BIGINT NOT NULL
);
CREATE TABLE case_settings_history (
  id TEXT PRIMARY KEY,
  seq BIGINT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  changed_by TEXT,
  changed_at BIGINT NOT NULL
);
CREATE INDEX case_settings_history_kind ON case_settings_history (kind, seq);
)SQL",
     {}},
    // The case list's order (newest first: created_at, then id) read straight from the index,
    // without sorting a centre's cases (SQLite sorted ties in a temporary B-tree per request).
    {410, "case work: the case list in index order", R"SQL(
DROP INDEX cases_centre;
CREATE INDEX cases_centre ON cases (centre_id, created_at, id);
)SQL",
     {}},
    {411, "case work: the employment a case is about (dates, employer, hours, wage) for the calculators", R"SQL(
ALTER TABLE cases ADD COLUMN employment_enc TEXT;
)SQL",
     {}},
    // Search by case number or client code through an index (issue 13: no scan of a centre's
    // cases): number_key/code_key hold the lower-cased number/code, kept in step by triggers (so
    // every writer - the store, the data generator, ops transfer - fills them), compared byte-wise
    // (COLLATE "C" on PostgreSQL, SQLite's default BINARY) so that a prefix is an index range.
    {412, "case work: search by case number and client code through an index", R"SQL(
ALTER TABLE cases ADD COLUMN number_key TEXT COLLATE "C";
UPDATE cases SET number_key = LOWER(number);
CREATE INDEX cases_number_search ON cases (number_key);
ALTER TABLE clients ADD COLUMN code_key TEXT COLLATE "C";
UPDATE clients SET code_key = LOWER(code);
CREATE INDEX clients_code_search ON clients (code_key);
CREATE FUNCTION cases_number_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.number_key := LOWER(NEW.number); RETURN NEW; END $$;
CREATE TRIGGER cases_number_key BEFORE INSERT OR UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION cases_number_key();
CREATE FUNCTION clients_code_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.code_key := LOWER(NEW.code); RETURN NEW; END $$;
CREATE TRIGGER clients_code_key BEFORE INSERT OR UPDATE ON clients FOR EACH ROW EXECUTE FUNCTION clients_code_key();
)SQL",
     R"SQL(
ALTER TABLE cases ADD COLUMN number_key TEXT;
UPDATE cases SET number_key = LOWER(number);
CREATE INDEX cases_number_search ON cases (number_key);
ALTER TABLE clients ADD COLUMN code_key TEXT;
UPDATE clients SET code_key = LOWER(code);
CREATE INDEX clients_code_search ON clients (code_key);
CREATE TRIGGER cases_number_key_insert AFTER INSERT ON cases BEGIN
  UPDATE cases SET number_key = LOWER(NEW.number) WHERE id = NEW.id;
END;
CREATE TRIGGER cases_number_key_update AFTER UPDATE OF number, number_key ON cases BEGIN
  UPDATE cases SET number_key = LOWER(NEW.number) WHERE id = NEW.id AND number_key IS NOT LOWER(NEW.number);
END;
CREATE TRIGGER clients_code_key_insert AFTER INSERT ON clients BEGIN
  UPDATE clients SET code_key = LOWER(NEW.code) WHERE id = NEW.id;
END;
CREATE TRIGGER clients_code_key_update AFTER UPDATE OF code, code_key ON clients BEGIN
  UPDATE clients SET code_key = LOWER(NEW.code) WHERE id = NEW.id AND code_key IS NOT LOWER(NEW.code);
END;
)SQL"},
    // Free-text search through an index (issue 13: no scan of a centre's cases): a substring of
    // the case's search text (number, topic codes and labels; no personal data) or of the client's
    // code. PostgreSQL: pg_trgm's GIN indexes answer LIKE '%q%' (the extension is trusted and ships
    // with postgresql-15; installed once per database into public, where every schema finds its
    // operator class by the qualified name). SQLite: FTS5 tables with the trigram tokenizer over
    // the same columns (external content: the text stays in cases/clients, the tables hold only
    // the index), kept in step by triggers; a phrase query "q" is a substring match there. The
    // list query keeps its exact LIKE filter, so both databases answer the same cases.
    {413, "case work: free-text search through a trigram index", R"SQL(
DO $$ BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL;
END $$;
CREATE INDEX cases_search_trgm ON cases USING gin (search_text public.gin_trgm_ops);
CREATE INDEX clients_code_trgm ON clients USING gin (code_key public.gin_trgm_ops);
)SQL",
     R"SQL(
CREATE VIRTUAL TABLE cases_search USING fts5(search_text, content = 'cases', content_rowid = 'rowid',
  tokenize = 'trigram');
INSERT INTO cases_search (cases_search) VALUES ('rebuild');
CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN
  INSERT INTO cases_search (rowid, search_text) VALUES (NEW.rowid, NEW.search_text);
END;
CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN
  INSERT INTO cases_search (cases_search, rowid, search_text) VALUES ('delete', OLD.rowid, OLD.search_text);
END;
CREATE TRIGGER cases_search_update AFTER UPDATE OF search_text ON cases
  WHEN OLD.search_text IS NOT NEW.search_text BEGIN
  INSERT INTO cases_search (cases_search, rowid, search_text) VALUES ('delete', OLD.rowid, OLD.search_text);
  INSERT INTO cases_search (rowid, search_text) VALUES (NEW.rowid, NEW.search_text);
END;
CREATE VIRTUAL TABLE clients_search USING fts5(code, content = 'clients', content_rowid = 'rowid',
  tokenize = 'trigram');
INSERT INTO clients_search (clients_search) VALUES ('rebuild');
CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN
  INSERT INTO clients_search (rowid, code) VALUES (NEW.rowid, NEW.code);
END;
CREATE TRIGGER clients_search_delete AFTER DELETE ON clients BEGIN
  INSERT INTO clients_search (clients_search, rowid, code) VALUES ('delete', OLD.rowid, OLD.code);
END;
CREATE TRIGGER clients_search_update AFTER UPDATE OF code ON clients WHEN OLD.code IS NOT NEW.code BEGIN
  INSERT INTO clients_search (clients_search, rowid, code) VALUES ('delete', OLD.rowid, OLD.code);
  INSERT INTO clients_search (rowid, code) VALUES (NEW.rowid, NEW.code);
END;
)SQL"},
    // The free-text search of a centre through one index (issue 13): cases_search_trgm answered
    // every matching case of the country before the centre was looked at (27,677 for a frequent
    // word at 1M cases, 212 ms). A GIN index over the centre and the search text answers only the
    // centre's matches: btree_gin gives GIN an operator class for the centre's plain text. Like
    // pg_trgm it ships with postgresql-15 and is a trusted extension, so the owner of the database
    // installs it (no superuser). SQLite keeps its FTS5 tables of 413 (the centre there is a filter
    // on the candidates, whose number the phrase bounds).
    {414, "case work: free-text search of a centre through one index", R"SQL(
DO $$ BEGIN
  CREATE EXTENSION IF NOT EXISTS btree_gin SCHEMA public;
EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL;
END $$;
CREATE INDEX cases_centre_search_trgm ON cases USING gin (centre_id public.text_ops, search_text public.gin_trgm_ops);
DROP INDEX cases_search_trgm;
)SQL",
     "-- SQLite: the FTS5 tables of 413 serve the search of a centre\n"},
    // The case list sorted by number, by last change or by status (columns of the web app's list)
    // read in index order, as the default order is (410): at 1M cases PostgreSQL sorted a
    // centre's cases (46,000 in Berlin: 0.5-1.3 s under load) or, by number, walked the unique
    // index of all numbers backwards and filtered by centre (15-17 s: the other states' numbers
    // sort after "BE-"). Both directions of each order are one index read forwards or backwards.
    {415, "case work: the case list by number, last change and status in index order", R"SQL(
CREATE INDEX cases_centre_number ON cases (centre_id, number, id);
CREATE INDEX cases_centre_updated ON cases (centre_id, updated_at, id);
CREATE INDEX cases_centre_status ON cases (centre_id, status, created_at DESC, id DESC);
)SQL",
     {}},
};

std::string ToJsonArray(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return json::serialize(a);
}

// An array of plain strings as ToJsonArray writes it (no space, no escape: codes and flags) is
// split directly, the rest goes through the JSON parser (100 parses per listed page otherwise).
std::vector<std::string> FromJsonArray(const std::string& s) {
  std::vector<std::string> out;
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']' && s.find('\\') == std::string::npos) {
    std::string_view rest(s.data() + 1, s.size() - 2);
    bool plain = true;
    while (plain && !rest.empty()) {
      const auto end = rest.size() > 1 && rest.front() == '"' ? rest.find('"', 1) : std::string_view::npos;
      if (end == std::string_view::npos) {
        plain = false;
        break;
      }
      out.emplace_back(rest.substr(1, end - 1));
      rest.remove_prefix(end + 1);
      if (!rest.empty()) {
        plain = rest.size() > 1 && rest.front() == ',';
        rest.remove_prefix(1);
      }
    }
    if (plain) return out;
    out.clear();
  }
  json::value parsed = json::parse(s);
  for (const auto& v : parsed.as_array()) out.emplace_back(v.as_string());
  return out;
}

db::Value OptInt(std::optional<std::int64_t> v) { return v ? db::Value{*v} : db::Null(); }
db::Value B(bool b) { return std::int64_t{b ? 1 : 0}; }

// Topics and rules.
constexpr db::Query kSelectTopics{"cases.select_topics",
                                  "SELECT code, label_de, label_en, in_scope, position FROM case_topics ORDER BY position, code"};
constexpr db::Query kDeleteTopics{"cases.delete_topics", "DELETE FROM case_topics"};
constexpr db::Query kInsertTopic{"cases.insert_topic",
                                 "INSERT INTO case_topics (code, label_de, label_en, in_scope, position) VALUES ($1, $2, $3, $4, $5)"};
constexpr db::Query kSelectRules{
    "cases.select_routing_rules",
    "SELECT id, nationality, topics, in_scope_topics, flags, target, organisation_id, stop, enabled, reason_de, "
    "reason_en FROM routing_rules ORDER BY position"};
constexpr db::Query kDeleteRules{"cases.delete_routing_rules", "DELETE FROM routing_rules"};
constexpr db::Query kInsertRule{
    "cases.insert_routing_rule",
    "INSERT INTO routing_rules (id, position, nationality, topics, in_scope_topics, flags, target, organisation_id, "
    "stop, enabled, reason_de, reason_en) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"};
constexpr db::Query kSeeded{"cases.seeded", "SELECT COUNT(*) FROM case_seeds WHERE what = $1"};
constexpr db::Query kMarkSeeded{"cases.mark_seeded",
                                "INSERT INTO case_seeds (what, seeded_at) VALUES ($1, $2) ON CONFLICT (what) DO NOTHING"};
constexpr db::Query kUserCentreRole{"cases.user_centre_role",
                                    "SELECT centre_id, role FROM users WHERE id = $1 AND disabled = 0"};
constexpr db::Query kUserByEmail{"cases.user_by_email", "SELECT id FROM users WHERE email = $1"};

// Clients. The employer is a free-text field that can identify the client: it is stored sealed in
// employer_enc (the plaintext column `employer` of version 401 is emptied by UpgradePlaintext).
#define FD_CLIENT_COLUMNS                                                                                      \
  "id, centre_id, code, nationality, birth_year, gender, languages, employment_status, sector, employer_enc, " \
  "consent_storage, consent_contact, consent_anonymised_use, consent_date, name_enc, phone_enc, email_enc, "  \
  "address_enc, safe_contact_enc, created_by, created_at, updated_at, anonymised_at, version, birth_date_enc, " \
  "residence_status, abroad"
constexpr db::Query kClientCodeExists{"cases.client_code_exists", "SELECT COUNT(*) FROM clients WHERE code = $1"};
constexpr db::Query kInsertClient{
    "cases.insert_client",
    "INSERT INTO clients (" FD_CLIENT_COLUMNS ") VALUES ($1, $2, "
    "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, 1, $24, $25, $26)"};
// $27: the version the caller read (NULL: any); the version grows by one with every update.
constexpr db::Query kUpdateClient{
    "cases.update_client",
    "UPDATE clients SET centre_id = $2, code = $3, nationality = $4, birth_year = $5, gender = $6, languages = $7, "
    "employment_status = $8, sector = $9, employer_enc = $10, consent_storage = $11, consent_contact = $12, "
    "consent_anonymised_use = $13, consent_date = $14, name_enc = $15, phone_enc = $16, email_enc = $17, "
    "address_enc = $18, safe_contact_enc = $19, created_by = $20, created_at = $21, updated_at = $22, "
    "anonymised_at = $23, birth_date_enc = $24, residence_status = $25, abroad = $26, version = version + 1 "
    "WHERE id = $1 AND (CAST($27 AS BIGINT) IS NULL OR version = $27)"};
constexpr db::Query kSelectClient{"cases.select_client", "SELECT " FD_CLIENT_COLUMNS " FROM clients WHERE id = $1"};
constexpr db::Query kSelectClientOfCase{
    "cases.select_client_of_case",
    "SELECT " FD_CLIENT_COLUMNS " FROM clients WHERE id = (SELECT client_id FROM cases WHERE id = $1)"};
// q matches the code (substring), one of the client's blind-index hashes ($6..$9), or has every
// one of its words ($12..$15, $16 of them) among the client's word hashes, in any order ("Popescu,
// Ion" finds "Ion Popescu"); birth year and nationality are plain statistical columns.
constexpr db::Query kListClients{
    "cases.list_clients",
    "SELECT " FD_CLIENT_COLUMNS " FROM clients "
    "WHERE centre_id = $1 AND (CAST($2 AS TEXT) IS NULL OR LOWER(code) LIKE $2 ESCAPE '!' "
    "OR id IN (SELECT client_id FROM client_search_index WHERE hash IN ($6, $7, $8, $9)) "
    "OR id IN (SELECT client_id FROM client_search_index WHERE hash IN ($12, $13, $14, $15) "
    "GROUP BY client_id HAVING COUNT(DISTINCT hash) = $16)) "
    "AND (CAST($10 AS BIGINT) IS NULL OR birth_year = $10) AND (CAST($11 AS TEXT) IS NULL OR nationality = $11) "
    "AND (CAST($3 AS BIGINT) IS NULL OR created_at < $3 OR (created_at = $3 AND id < $4)) "
    "ORDER BY created_at DESC, id DESC LIMIT $5"};
constexpr db::Query kClientsDueForAnonymisation{
    "cases.clients_due_for_anonymisation",
    "SELECT " FD_CLIENT_COLUMNS " FROM clients c "
    "WHERE c.anonymised_at IS NULL AND c.created_at < $1 "
    "AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.client_id = c.id AND k.anonymised_at IS NULL) "
    "ORDER BY c.created_at, c.id LIMIT $2"};
constexpr db::Query kDeleteClient{"cases.delete_client", "DELETE FROM clients WHERE id = $1"};
constexpr db::Query kMoveClient{"cases.move_client", "UPDATE clients SET centre_id = $2, updated_at = $3 WHERE id = $1"};
constexpr db::Query kDeleteSearchHashes{"cases.delete_client_search_hashes",
                                        "DELETE FROM client_search_index WHERE client_id = $1"};
constexpr db::Query kInsertSearchHash{
    "cases.insert_client_search_hash",
    "INSERT INTO client_search_index (client_id, hash) VALUES ($1, $2) ON CONFLICT (client_id, hash) DO NOTHING"};
constexpr db::Query kClientsWithoutIndex{
    "cases.clients_without_search_index",
    "SELECT " FD_CLIENT_COLUMNS " FROM clients c WHERE c.anonymised_at IS NULL AND NOT EXISTS "
    "(SELECT 1 FROM client_search_index i WHERE i.client_id = c.id) AND (c.name_enc IS NOT NULL OR "
    "c.phone_enc IS NOT NULL OR c.email_enc IS NOT NULL) ORDER BY c.id LIMIT $1"};
constexpr db::Query kMoveCasesOfClient{"cases.move_cases_of_client",
                                       "UPDATE cases SET client_id = $2, updated_at = $3 WHERE client_id = $1"};
constexpr db::Query kLegacyEmployers{"cases.legacy_employers",
                                     "SELECT id, employer FROM clients WHERE employer IS NOT NULL ORDER BY id LIMIT $1"};
constexpr db::Query kSealEmployer{"cases.seal_employer",
                                  "UPDATE clients SET employer_enc = $2, employer = NULL WHERE id = $1"};
constexpr db::Query kLegacyDeadlineNotes{
    "cases.legacy_deadline_notes", "SELECT id, note FROM deadlines WHERE note IS NOT NULL ORDER BY id LIMIT $1"};
constexpr db::Query kSealDeadlineNote{"cases.seal_deadline_note",
                                      "UPDATE deadlines SET note_enc = $2, note = NULL WHERE id = $1"};
constexpr db::Query kSelectSecret{"cases.select_secret", "SELECT value_enc FROM case_secrets WHERE name = $1"};
constexpr db::Query kInsertSecret{
    "cases.insert_secret",
    "INSERT INTO case_secrets (name, value_enc, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING"};

std::vector<db::Value> ClientParams(const Client& c) {
  return {c.id,
          c.centre_id,
          c.code,
          db::Opt(c.nationality),
          OptInt(c.birth_year),
          c.gender,
          ToJsonArray(c.languages),
          db::Opt(c.employment_status),
          db::Opt(c.sector),
          db::Opt(c.employer),
          B(c.consents.storage),
          B(c.consents.contact),
          B(c.consents.anonymised_use),
          db::Opt(c.consents.date),
          db::Opt(c.personal.name),
          db::Opt(c.personal.phone),
          db::Opt(c.personal.email),
          db::Opt(c.personal.address),
          db::Opt(c.personal.safe_contact),
          c.created_by.empty() ? db::Null() : db::Value{c.created_by},
          c.created_at,
          c.updated_at,
          OptInt(c.anonymised_at),
          db::Opt(c.personal.birth_date),
          db::Opt(c.residence_status),
          c.abroad ? db::Value{std::int64_t{*c.abroad ? 1 : 0}} : db::Null()};
}

Client ClientFromRow(const db::Row& r) {
  Client c;
  c.id = r.Text(0);
  c.centre_id = r.Text(1);
  c.code = r.Text(2);
  c.nationality = r.OptText(3);
  c.birth_year = r.OptInt(4);
  c.gender = r.Text(5);
  c.languages = FromJsonArray(r.Text(6));
  c.employment_status = r.OptText(7);
  c.sector = r.OptText(8);
  c.employer = r.OptText(9);
  c.consents.storage = r.Bool(10);
  c.consents.contact = r.Bool(11);
  c.consents.anonymised_use = r.Bool(12);
  c.consents.date = r.OptText(13);
  c.personal.name = r.OptText(14);
  c.personal.phone = r.OptText(15);
  c.personal.email = r.OptText(16);
  c.personal.address = r.OptText(17);
  c.personal.safe_contact = r.OptText(18);
  c.created_by = r.OptText(19).value_or("");
  c.created_at = r.Int(20);
  c.updated_at = r.Int(21);
  c.anonymised_at = r.OptInt(22);
  c.version = r.Int(23);
  c.personal.birth_date = r.OptText(24);
  c.residence_status = r.OptText(25);
  if (auto a = r.OptInt(26)) c.abroad = *a != 0;
  return c;
}

// Cases.
#define FD_CASE_COLUMNS                                                                                            \
  "id, centre_id, client_id, number, topics, status, priority, assignee_id, risk_flags, opened_on, closed_on, " \
  "outcome_wages_recovered_cents, outcome_claim_filed, outcome_settled, outcome_referred, "                      \
  "outcome_no_further_action, closing_reason, created_at, updated_at, anonymised_at"
constexpr db::Query kNextSequence{
    "cases.next_sequence",
    "INSERT INTO case_counters (prefix, last_value) VALUES ($1, 1) ON CONFLICT (prefix) DO UPDATE SET last_value = "
    "case_counters.last_value + 1 RETURNING last_value"};
constexpr db::Query kInsertCase{
    "cases.insert_case",
    "INSERT INTO cases (" FD_CASE_COLUMNS
    ", search_text, narrative_enc, employment_enc, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
    "$12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, 1)"};
// $23: the version the caller read (NULL: any).
constexpr db::Query kUpdateCase{
    "cases.update_case",
    "UPDATE cases SET centre_id = $2, client_id = $3, number = $4, topics = $5, status = $6, priority = $7, "
    "assignee_id = $8, risk_flags = $9, opened_on = $10, closed_on = $11, outcome_wages_recovered_cents = $12, "
    "outcome_claim_filed = $13, outcome_settled = $14, outcome_referred = $15, outcome_no_further_action = $16, "
    "closing_reason = $17, created_at = $18, updated_at = $19, anonymised_at = $20, search_text = $21, "
    "narrative_enc = $22, employment_enc = $24, version = version + 1 WHERE id = $1 AND (CAST($23 AS BIGINT) IS NULL "
    "OR version = $23)"};
// Every case read joins the client's code and the assignee's display name (both may be gone:
// an erased client, an unassigned case), the earliest open deadline and a pending transfer, so
// that a list needs no further query per row.
#define FD_NEXT_DEADLINE                                                                              \
  "(SELECT MIN(d.due_date) FROM deadlines d WHERE d.case_id = k.id AND d.done = 0 AND d.withdrawn_at " \
  "IS NULL)"
#define FD_CASE_SELECT_WITH(narrative, employment)                                                                 \
  "SELECT k.id, k.centre_id, k.client_id, k.number, k.topics, k.status, k.priority, k.assignee_id, k.risk_flags, " \
  "k.opened_on, k.closed_on, k.outcome_wages_recovered_cents, k.outcome_claim_filed, k.outcome_settled, "         \
  "k.outcome_referred, k.outcome_no_further_action, k.closing_reason, k.created_at, k.updated_at, "               \
  "k.anonymised_at, cl.code, u.display_name, k.version, " narrative ", " FD_NEXT_DEADLINE ", "                    \
  "(SELECT MIN(t.to_centre_id) FROM case_transfers t WHERE t.case_id = k.id AND t.status = 'pending'), "        \
  employment " FROM cases k LEFT JOIN clients cl ON cl.id = k.client_id LEFT JOIN users u ON u.id = k.assignee_id"
#define FD_CASE_SELECT FD_CASE_SELECT_WITH("k.narrative_enc", "k.employment_enc")
// A list shows neither the narrative nor the employment (sealed; only the case itself opens
// them): the list does not read them.
#define FD_CASE_LIST_SELECT FD_CASE_SELECT_WITH("NULL", "NULL")
constexpr db::Query kSelectCase{"cases.select_case", FD_CASE_SELECT " WHERE k.id = $1"};
// The filters of the case list; $6/$7 the keyset position of the default order (newest first),
// $14 the offset of the other orders.
#define FD_CASE_LIST_WHERE FD_CASE_FILTERS("k.centre_id = $1")
// A search by case number or client code ($15 <= key < $16, the range of a prefix) reads the
// matching cases through cases_number_search/clients_code_search and then their rows by id; the centre
// is a plain filter on these few rows (`|| ''` keeps SQLite from walking the centre's index instead).
#define FD_CASE_KEY_WHERE                                                                                  \
  FD_CASE_FILTERS("k.centre_id || '' = $1")                                                               \
  "AND k.id IN (SELECT n.id FROM cases n WHERE n.number_key >= $15 AND n.number_key < $16 UNION SELECT "   \
  "kc.id FROM clients c2 JOIN cases kc ON kc.client_id = c2.id WHERE c2.code_key >= $15 AND c2.code_key < $16) "
#define FD_CASE_FILTERS(centre)                                                                                 \
  FD_CASE_FILTERS_TEXT(centre, "AND (CAST($5 AS TEXT) IS NULL OR k.search_text LIKE $5 ESCAPE '!' OR LOWER(cl.code) " \
                               "LIKE $5 ESCAPE '!') ")
// The filters with the text's own clause (`text`; empty where the rows are the matches already).
#define FD_CASE_FILTERS_TEXT(centre, text)                                                                           \
  " WHERE " centre " AND (CAST($2 AS TEXT) IS NULL OR k.status = $2 OR ($2 = 'active' AND k.status <> "     \
  "'closed')) AND (CAST($3 AS TEXT) IS NULL OR k.topics LIKE $3) AND (CAST($4 AS TEXT) IS NULL OR "                \
  "k.assignee_id = $4) AND (CAST($13 AS BIGINT) IS NULL OR ($13 = 1 AND k.assignee_id IS NULL)) " text            \
  "AND (CAST($9 AS TEXT) IS NULL OR k.priority = $9) AND (CAST($10 AS TEXT) IS NULL OR k.risk_flags LIKE $10) "  \
  "AND (CAST($11 AS TEXT) IS NULL OR k.client_id = $11) AND (CAST($12 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM " \
  "deadlines od WHERE od.case_id = k.id AND od.done = 0 AND od.withdrawn_at IS NULL AND od.due_date < $12)) "     \
  "AND (CAST($6 AS BIGINT) IS NULL OR k.created_at < $6 OR (k.created_at = $6 AND k.id < $7)) "
// A free-text search ($5 the LIKE pattern, $15 the text as an FTS5 phrase) takes the matching
// cases from the trigram indexes (SQLite: the FTS5 tables of migration 413; the exact LIKE of the
// filters then decides, as in a list without the index).
// PostgreSQL: the matches are the centre's cases whose search text is LIKE $5 (the GIN index of
// centre and text, migration 414; the recheck of its lossy matches is that LIKE) and the cases of
// clients whose code is LIKE $5 (clients_code_trgm; the centre a plain filter on the cases found,
// as in FD_CASE_KEY_WHERE) that the first part does not hold, so that the two parts never hold a
// case twice (UNION ALL, no duplicate elimination). Only the columns
// that the filters and orders read are taken from the matching rows; they are filtered, ordered
// and cut at the page there, and only the page is joined to its client, assignee, next deadline
// and pending transfer (before, all matches were: 1,242 for a frequent word in a centre of the
// 1M-case database, four index lookups each, and the plan cost set off PostgreSQL's JIT).
// `COALESCE(current_schema(), '') IS NOT NULL` (a one-time filter, always true, also without a
// search_path) calls current_schema(), which is parallel unsafe: that keeps the planner from
// starting parallel workers for this query: the matches come from one bitmap index scan
// in the backend itself, so two workers only added their start-up (at 1M cases they cost more
// CPU per search than the whole query without them).
#define FD_CASE_MATCH_COLUMNS(t)                                                                        \
  t ".id, " t ".centre_id, " t ".client_id, " t ".number, " t ".topics, " t ".status, " t ".priority, " t \
  ".assignee_id, " t ".risk_flags, " t ".created_at, " t ".updated_at"
#define FD_CASE_TEXT_LIST_PG(order)                                                                              \
  FD_CASE_LIST_SELECT " JOIN (SELECT k.id FROM (SELECT " FD_CASE_MATCH_COLUMNS("t") " FROM cases t WHERE "      \
  "t.centre_id = $1 AND t.search_text LIKE $5 ESCAPE '!' UNION ALL SELECT " FD_CASE_MATCH_COLUMNS("kc")         \
  " FROM clients c2 JOIN cases kc ON kc.client_id = c2.id WHERE c2.code_key LIKE $5 ESCAPE '!' AND "            \
  "kc.centre_id || '' = $1 AND kc.search_text NOT LIKE $5 ESCAPE '!') k"                                      \
  FD_CASE_FILTERS_TEXT("k.centre_id || '' = $1", "")                                                           \
  "AND CAST($15 AS TEXT) IS NOT NULL AND COALESCE(current_schema(), '') IS NOT NULL ORDER BY " order            \
  " LIMIT $8 OFFSET $14) page ON page.id = k.id ORDER BY " order
#define FD_CASE_TEXT_WHERE_SQLITE                                                                             \
  FD_CASE_LIST_WHERE                                                                                          \
  "AND k.rowid IN (SELECT rowid FROM cases_search WHERE cases_search MATCH $15 UNION SELECT kc.rowid FROM "   \
  "clients c2 JOIN cases kc ON kc.client_id = c2.id WHERE c2.rowid IN (SELECT rowid FROM clients_search "     \
  "WHERE clients_search MATCH $15)) "
#define FD_CASE_LIST(name, order)                                                                              \
  db::Query{"cases.list_cases" name, FD_CASE_LIST_SELECT FD_CASE_LIST_WHERE "ORDER BY " order " LIMIT $8 OFFSET $14"}, \
      db::Query{"cases.list_cases_by_key" name,                                                                  \
                FD_CASE_LIST_SELECT FD_CASE_KEY_WHERE "ORDER BY " order " LIMIT $8 OFFSET $14"},                     \
      db::Query {                                                                                                  \
    "cases.list_cases_by_text" name, FD_CASE_TEXT_LIST_PG(order),                                                 \
        FD_CASE_LIST_SELECT FD_CASE_TEXT_WHERE_SQLITE "ORDER BY " order " LIMIT $8 OFFSET $14"                        \
  }
#define FD_PRIORITY_RANK \
  "CASE k.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END"
struct CaseSort {
  std::string_view name;
  db::Query query;
  db::Query by_key;   // the same list, searched by case number or client code
  db::Query by_text;  // the same list, searched for a text through the trigram indexes
};
constexpr CaseSort kCaseSorts[] = {
    {"-created", FD_CASE_LIST("", "k.created_at DESC, k.id DESC")},
    {"created", FD_CASE_LIST("_created", "k.created_at, k.id")},
    {"-updated", FD_CASE_LIST("_updated_desc", "k.updated_at DESC, k.id DESC")},
    {"updated", FD_CASE_LIST("_updated", "k.updated_at, k.id")},
    {"number", FD_CASE_LIST("_number", "k.number, k.id")},
    {"-number", FD_CASE_LIST("_number_desc", "k.number DESC, k.id DESC")},
    {"priority", FD_CASE_LIST("_priority", FD_PRIORITY_RANK ", k.created_at DESC, k.id DESC")},
    {"-priority", FD_CASE_LIST("_priority_desc", FD_PRIORITY_RANK " DESC, k.created_at DESC, k.id DESC")},
    {"next_deadline",
     FD_CASE_LIST("_next_deadline", "COALESCE(" FD_NEXT_DEADLINE ", '9999-12-31'), k.created_at DESC, k.id DESC")},
    {"-next_deadline",
     FD_CASE_LIST("_next_deadline_desc", "COALESCE(" FD_NEXT_DEADLINE ", '0000-00-00') DESC, k.id DESC")},
    {"status", FD_CASE_LIST("_status", "k.status, k.created_at DESC, k.id DESC")},
};
// The list without any filter in its default order (the page an advisor opens first, and the pages
// after it): texts of their own, with the page size written in (one text per size, prepared on
// first use). PostgreSQL then keeps one generic plan for the first page (cases_centre read
// backwards) instead of planning for every request: with LIMIT as a parameter the generic plan has
// to guess the page size (a parallel scan of a tenth of the centre), so each request got a custom
// plan, planned anew (0.5 ms at 1M cases, as long as running it). $2/$3 the keyset position.
constexpr int kMaxPlainRows = 201;  // a page of 200 and one more
const db::Query* PlainListQuery(int rows, bool after) {
  if (rows < 1 || rows > kMaxPlainRows) return nullptr;
  struct Texts {
    std::vector<std::string> names, sql;
    std::vector<db::Query> queries;
  };
  static const Texts texts = [] {
    Texts t;
    for (int n = 1; n <= kMaxPlainRows; ++n) {
      const std::string order = " ORDER BY k.created_at DESC, k.id DESC LIMIT " + std::to_string(n);
      t.names.push_back("cases.list_cases_plain_" + std::to_string(n));
      t.sql.push_back(FD_CASE_LIST_SELECT " WHERE k.centre_id = $1" + order);
      t.names.push_back("cases.list_cases_plain_after_" + std::to_string(n));
      t.sql.push_back(FD_CASE_LIST_SELECT " WHERE k.centre_id = $1 AND k.created_at <= $2 AND (k.created_at < $2 OR k.id < $3)" +
                      order);
    }
    for (std::size_t i = 0; i < t.sql.size(); ++i) t.queries.push_back(db::Query{t.names[i], t.sql[i]});
    return t;
  }();
  return &texts.queries[static_cast<std::size_t>(2 * (rows - 1) + (after ? 1 : 0))];
}
constexpr db::Query kCasesOfClient{"cases.cases_of_client",
                                   FD_CASE_SELECT " WHERE k.client_id = $1 ORDER BY k.created_at"};
constexpr db::Query kCaseIdsClosedBefore{
    "cases.closed_before",
    "SELECT k.id FROM cases k WHERE k.status = 'closed' AND k.closed_on < $1 AND k.anonymised_at IS NULL "
    "ORDER BY k.closed_on, k.id"};
constexpr db::Query kDeleteCase{"cases.delete_case", "DELETE FROM cases WHERE id = $1"};
constexpr db::Query kMoveCase{"cases.move_case",
                              "UPDATE cases SET centre_id = $2, assignee_id = NULL, updated_at = $3 WHERE id = $1"};
constexpr db::Query kInsertTransfer{
    "cases.insert_transfer",
    "INSERT INTO case_transfers (id, case_id, from_centre_id, to_centre_id, consent_date, transferred_by, "
    "transferred_at, status, client_consent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)"};
#define FD_TRANSFER_SELECT                                                                                   \
  "SELECT t.id, t.case_id, t.from_centre_id, t.to_centre_id, t.consent_date, t.transferred_by, "             \
  "t.transferred_at, t.status, t.client_consent, t.decided_by, t.decided_at, k.number FROM case_transfers t " \
  "JOIN cases k ON k.id = t.case_id"
constexpr db::Query kSelectTransfer{"cases.select_transfer", FD_TRANSFER_SELECT " WHERE t.id = $1"};
constexpr db::Query kPendingTransferOfCase{"cases.pending_transfer_of_case",
                                           FD_TRANSFER_SELECT " WHERE t.case_id = $1 AND t.status = 'pending'"};
constexpr db::Query kTransfersOfCentre{
    "cases.transfers_of_centre",
    FD_TRANSFER_SELECT " WHERE (t.to_centre_id = $1 OR t.from_centre_id = $1) AND t.status = 'pending' "
                       "ORDER BY t.transferred_at, t.id LIMIT 500"};
constexpr db::Query kDecideTransfer{
    "cases.decide_transfer",
    "UPDATE case_transfers SET status = $2, decided_by = $3, decided_at = $4 WHERE id = $1 AND status = 'pending'"};
constexpr db::Query kMoveEscalations{"cases.move_escalations", "UPDATE escalations SET centre_id = $2 WHERE case_id = $1"};
constexpr db::Query kAnonymiseConsultations{"cases.anonymise_consultations",
                                            "UPDATE consultations SET notes_enc = NULL, change_reason_enc = NULL WHERE case_id = $1"};
constexpr db::Query kAnonymiseDeadlines{"cases.anonymise_deadlines",
                                        "UPDATE deadlines SET note = NULL, note_enc = NULL, source = NULL, change_reason_enc = NULL WHERE case_id = $1"};
constexpr db::Query kAnonymiseReferrals{"cases.anonymise_referrals",
                                        "UPDATE referrals SET note_enc = NULL, change_reason_enc = NULL WHERE case_id = $1"};
constexpr db::Query kDeleteEscalationMessages{
    "cases.anonymise_escalation_messages",
    "DELETE FROM escalation_messages WHERE escalation_id IN (SELECT id FROM escalations WHERE case_id = $1)"};
constexpr db::Query kAnonymiseEscalations{
    "cases.anonymise_escalations", "UPDATE escalations SET summary = '', question = '' WHERE case_id = $1"};
constexpr db::Query kAnonymiseCase{"cases.anonymise_case",
                                   "UPDATE cases SET assignee_id = NULL, narrative_enc = NULL, employment_enc = NULL, "
                                   "anonymised_at = $2 WHERE id = $1"};
constexpr db::Query kDeleteHistoryOfCase{"cases.delete_history_of_case",
                                         "DELETE FROM case_record_history WHERE case_id = $1"};

std::vector<db::Value> CaseParams(const Case& c, std::string_view search_text) {
  const Outcome* o = c.outcome ? &*c.outcome : nullptr;
  return {c.id,
          c.centre_id,
          c.client_id.empty() ? db::Null() : db::Value{c.client_id},
          c.number,
          ToJsonArray(c.topics),
          c.status,
          c.priority,
          db::Opt(c.assignee_id),
          ToJsonArray(c.risk_flags),
          c.opened_on,
          db::Opt(c.closed_on),
          o ? db::Value{o->wages_recovered_cents} : db::Null(),
          o ? B(o->claim_filed) : db::Null(),
          o ? B(o->settled) : db::Null(),
          o ? B(o->referred) : db::Null(),
          o ? B(o->no_further_action) : db::Null(),
          db::Opt(c.closing_reason),
          c.created_at,
          c.updated_at,
          OptInt(c.anonymised_at),
          std::string(search_text),
          db::Opt(c.narrative)};
}

Case CaseFromRow(const db::Row& r) {
  Case c;
  c.id = r.Text(0);
  c.centre_id = r.Text(1);
  c.client_id = r.OptText(2).value_or("");
  c.number = r.Text(3);
  c.topics = FromJsonArray(r.Text(4));
  c.status = r.Text(5);
  c.priority = r.Text(6);
  c.assignee_id = r.OptText(7);
  c.risk_flags = FromJsonArray(r.Text(8));
  c.opened_on = r.Text(9);
  c.closed_on = r.OptText(10);
  if (!r.IsNull(11)) {
    c.outcome = Outcome{r.Int(11), r.Bool(12), r.Bool(13), r.Bool(14), r.Bool(15)};
  }
  c.closing_reason = r.OptText(16);
  c.created_at = r.Int(17);
  c.updated_at = r.Int(18);
  c.anonymised_at = r.OptInt(19);
  c.client_code = r.OptText(20);
  c.assignee_name = r.OptText(21);
  c.version = r.Int(22);
  c.narrative = r.OptText(23);
  c.next_deadline = r.OptText(24);
  c.pending_transfer_to = r.OptText(25);
  c.employment_sealed = r.OptText(26);
  return c;
}

// The marks of a corrected or withdrawn timeline entry and the names of the people involved.
#define FD_MARK_COLUMNS(t)                                                                               \
  t ".version, " t ".updated_at, " t ".corrected_at, " t ".corrected_by, " t ".withdrawn_at, " t          \
  ".withdrawn_by, " t ".change_reason_enc, uc.display_name, ux.display_name, uw.display_name"
#define FD_MARK_JOINS(t)                                                                                  \
  " LEFT JOIN users uc ON uc.id = " t ".created_by LEFT JOIN users ux ON ux.id = " t ".corrected_by "      \
  "LEFT JOIN users uw ON uw.id = " t ".withdrawn_by"

// Reads the ten mark columns starting at `at`.
void MarksFromRow(const db::Row& r, int at, std::int64_t& version, std::int64_t& updated_at, Marks& m,
                  std::optional<std::string>& created_by_name) {
  version = r.Int(at);
  updated_at = r.Int(at + 1);
  m.corrected_at = r.OptInt(at + 2);
  m.corrected_by = r.OptText(at + 3);
  m.withdrawn_at = r.OptInt(at + 4);
  m.withdrawn_by = r.OptText(at + 5);
  m.reason = r.OptText(at + 6);
  created_by_name = r.OptText(at + 7);
  m.corrected_by_name = r.OptText(at + 8);
  m.withdrawn_by_name = r.OptText(at + 9);
}

// Consultations.
constexpr db::Query kInsertConsultation{
    "cases.insert_consultation",
    "INSERT INTO consultations (id, case_id, date, duration_minutes, channel, language, interpreter, topics, kind, "
    "notes_enc, created_by, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
    "$12, $12, 1)"};
// $13: the version the caller read (NULL: any).
constexpr db::Query kUpdateConsultation{
    "cases.update_consultation",
    "UPDATE consultations SET date = $2, duration_minutes = $3, channel = $4, language = $5, interpreter = $6, "
    "topics = $7, kind = $8, notes_enc = $9, updated_at = $10, corrected_at = $11, corrected_by = $12, "
    "withdrawn_at = $14, withdrawn_by = $15, change_reason_enc = $16, version = version + 1 "
    "WHERE id = $1 AND (CAST($13 AS BIGINT) IS NULL OR version = $13)"};
#define FD_CONSULTATION_SELECT                                                                          \
  "SELECT c.id, c.case_id, c.date, c.duration_minutes, c.channel, c.language, c.interpreter, c.topics, " \
  "c.kind, c.notes_enc, c.created_by, c.created_at, " FD_MARK_COLUMNS("c") " FROM consultations c" FD_MARK_JOINS("c")
constexpr db::Query kSelectConsultations{
    "cases.select_consultations",
    FD_CONSULTATION_SELECT " WHERE c.case_id = $1 ORDER BY c.date DESC, c.created_at DESC, c.id"};
constexpr db::Query kSelectConsultation{"cases.select_consultation", FD_CONSULTATION_SELECT " WHERE c.id = $1"};

Consultation ConsultationFromRow(const db::Row& r) {
  Consultation c;
  c.id = r.Text(0);
  c.case_id = r.Text(1);
  c.date = r.Text(2);
  c.duration_minutes = r.Int(3);
  c.channel = r.Text(4);
  c.language = r.Text(5);
  c.interpreter = r.Bool(6);
  c.topics = FromJsonArray(r.Text(7));
  c.kind = r.Text(8);
  c.notes = r.OptText(9);
  c.created_by = r.OptText(10).value_or("");
  c.created_at = r.Int(11);
  MarksFromRow(r, 12, c.version, c.updated_at, c.marks, c.created_by_name);
  if (c.updated_at == 0) c.updated_at = c.created_at;
  return c;
}

// Deadlines. The note is sealed in note_enc (the plaintext `note` of version 401 is emptied by
// UpgradePlaintext).
constexpr db::Query kInsertDeadline{
    "cases.insert_deadline",
    "INSERT INTO deadlines (id, case_id, kind, due_date, note_enc, done, source, created_by, created_at, updated_at, "
    "version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1)"};
constexpr db::Query kUpdateDeadline{
    "cases.update_deadline",
    "UPDATE deadlines SET kind = $2, due_date = $3, note_enc = $4, done = $5, updated_at = $6, corrected_at = $7, "
    "corrected_by = $8, withdrawn_at = $10, withdrawn_by = $11, change_reason_enc = $12, version = version + 1 "
    "WHERE id = $1 AND (CAST($9 AS BIGINT) IS NULL OR version = $9)"};
#define FD_DEADLINE_SELECT                                                                                      \
  "SELECT d.id, d.case_id, d.kind, d.due_date, d.note_enc, d.done, d.source, d.created_by, d.created_at, "     \
  "c.number, c.assignee_id, " FD_MARK_COLUMNS("d") " FROM deadlines d JOIN cases c ON c.id = d.case_id" FD_MARK_JOINS("d")
constexpr db::Query kSelectDeadline{"cases.select_deadline", FD_DEADLINE_SELECT " WHERE d.id = $1"};
constexpr db::Query kSelectDeadlines{"cases.select_deadlines",
                                     FD_DEADLINE_SELECT " WHERE d.case_id = $1 ORDER BY d.due_date, d.id"};
constexpr db::Query kDueDeadlines{
    "cases.due_deadlines",
    FD_DEADLINE_SELECT
    " WHERE c.centre_id = $1 AND c.status <> 'closed' AND d.done = 0 AND d.withdrawn_at IS NULL AND d.due_date <= $2 "
    "AND (CAST($3 AS TEXT) IS NULL OR c.assignee_id = $3) ORDER BY d.due_date, d.id LIMIT 500"};

Deadline DeadlineFromRow(const db::Row& r) {
  Deadline d;
  d.id = r.Text(0);
  d.case_id = r.Text(1);
  d.kind = r.Text(2);
  d.due_date = r.Text(3);
  d.note = r.OptText(4);
  d.done = r.Bool(5);
  d.source_json = r.OptText(6);
  d.created_by = r.OptText(7).value_or("");
  d.created_at = r.Int(8);
  d.case_number = r.Text(9);
  d.assignee_id = r.OptText(10);
  MarksFromRow(r, 11, d.version, d.updated_at, d.marks, d.created_by_name);
  if (d.updated_at == 0) d.updated_at = d.created_at;
  return d;
}

// Referrals.
constexpr db::Query kInsertReferral{
    "cases.insert_referral",
    "INSERT INTO referrals (id, case_id, target, organisation_id, status, client_consent, consent_date, note_enc, "
    "created_by, created_at, updated_at, made_on, confirmed_on, completed_on, declined_on, version) VALUES ($1, $2, "
    "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1)"};
constexpr db::Query kUpdateReferral{
    "cases.update_referral",
    "UPDATE referrals SET status = $2, client_consent = $3, consent_date = $4, note_enc = $5, updated_at = $6, "
    "target = $7, organisation_id = $8, made_on = $9, confirmed_on = $10, completed_on = $11, declined_on = $12, "
    "corrected_at = $13, corrected_by = $14, withdrawn_at = $15, withdrawn_by = $16, change_reason_enc = $17, "
    "version = version + 1 WHERE id = $1 AND (CAST($18 AS BIGINT) IS NULL OR version = $18)"};
#define FD_REFERRAL_SELECT                                                                                         \
  "SELECT r.id, r.case_id, r.target, r.organisation_id, r.status, r.client_consent, r.consent_date, r.note_enc, " \
  "r.created_by, r.created_at, r.made_on, r.confirmed_on, r.completed_on, r.declined_on, " FD_MARK_COLUMNS("r")  \
  " FROM referrals r" FD_MARK_JOINS("r")
constexpr db::Query kSelectReferral{"cases.select_referral", FD_REFERRAL_SELECT " WHERE r.id = $1"};
constexpr db::Query kSelectReferrals{"cases.select_referrals",
                                     FD_REFERRAL_SELECT " WHERE r.case_id = $1 ORDER BY r.created_at, r.id"};

Referral ReferralFromRow(const db::Row& r) {
  Referral x;
  x.id = r.Text(0);
  x.case_id = r.Text(1);
  x.target = r.Text(2);
  x.organisation_id = r.OptText(3);
  x.status = r.Text(4);
  x.client_consent = r.Bool(5);
  x.consent_date = r.OptText(6);
  x.note = r.OptText(7);
  x.created_by = r.OptText(8).value_or("");
  x.created_at = r.Int(9);
  x.made_on = r.OptText(10);
  x.confirmed_on = r.OptText(11);
  x.completed_on = r.OptText(12);
  x.declined_on = r.OptText(13);
  MarksFromRow(r, 14, x.version, x.updated_at, x.marks, x.created_by_name);
  return x;
}

// History of corrected, withdrawn and reopened records.
constexpr db::Query kInsertHistory{
    "cases.insert_history",
    "INSERT INTO case_record_history (id, case_id, record_type, record_id, version, action, before_enc, "
    "reason_enc, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"};
constexpr db::Query kSelectHistory{
    "cases.select_history",
    "SELECT h.id, h.case_id, h.record_type, h.record_id, h.version, h.action, h.before_enc, h.reason_enc, "
    "h.changed_by, h.changed_at, u.display_name FROM case_record_history h LEFT JOIN users u ON u.id = h.changed_by "
    "WHERE h.case_id = $1 AND (CAST($2 AS TEXT) IS NULL OR h.record_id = $2) ORDER BY h.changed_at, h.version, h.id"};

// Saved filters.
constexpr db::Query kInsertSavedFilter{
    "cases.insert_saved_filter",
    "INSERT INTO case_saved_filters (id, user_id, name, query, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)"};
constexpr db::Query kUpdateSavedFilter{
    "cases.update_saved_filter",
    "UPDATE case_saved_filters SET name = $3, query = $4, updated_at = $5 WHERE id = $1 AND user_id = $2"};
constexpr db::Query kDeleteSavedFilter{"cases.delete_saved_filter",
                                       "DELETE FROM case_saved_filters WHERE id = $1 AND user_id = $2"};
constexpr db::Query kSelectSavedFilters{
    "cases.select_saved_filters",
    "SELECT id, user_id, name, query, created_at, updated_at FROM case_saved_filters WHERE user_id = $1 AND "
    "(CAST($2 AS TEXT) IS NULL OR id = $2) ORDER BY name, id LIMIT 200"};

// Caseload of a centre: open cases and overdue deadlines per member with case access.
constexpr db::Query kCaseload{
    "cases.caseload",
    "SELECT u.id, u.display_name, u.role, (SELECT COUNT(*) FROM cases k WHERE k.assignee_id = u.id AND "
    "k.centre_id = $1 AND k.status <> 'closed' AND k.anonymised_at IS NULL), (SELECT COUNT(*) FROM deadlines d "
    "JOIN cases k ON k.id = d.case_id WHERE k.assignee_id = u.id AND k.centre_id = $1 AND k.status <> 'closed' "
    "AND d.done = 0 AND d.withdrawn_at IS NULL AND d.due_date < $2) FROM users u WHERE u.centre_id = $1 AND "
    "u.disabled = 0 AND u.role IN ('advisor', 'centre_lead', 'competence_centre') ORDER BY u.display_name, u.id"};

// Escalations. Each read joins the inbox fields: the asking centre's name and state, the case's
// topics, the assignee within the competence centre, the message counters and the asker's name.
#define FD_ESCALATION_COLUMNS "id, case_id, centre_id, summary, question, status, created_by, created_at, updated_at"
#define FD_ESCALATION_SELECT                                                                                       \
  "SELECT e.id, e.case_id, e.centre_id, e.summary, e.question, e.status, e.created_by, e.created_at, "           \
  "e.updated_at, e.assignee_id, ua.display_name, ce.name, ce.state, k.topics, (SELECT COUNT(*) FROM "             \
  "escalation_messages m WHERE m.escalation_id = e.id), (SELECT COUNT(*) FROM escalation_messages m WHERE "      \
  "m.escalation_id = e.id AND m.author_role = 'competence_centre' AND m.read_at IS NULL), (SELECT MAX(m.created_at) " \
  "FROM escalation_messages m WHERE m.escalation_id = e.id AND m.author_role = 'competence_centre'), "          \
  "uc.display_name FROM escalations e LEFT JOIN users ua ON ua.id = e.assignee_id LEFT JOIN centres ce ON "     \
  "ce.id = e.centre_id LEFT JOIN cases k ON k.id = e.case_id LEFT JOIN users uc ON uc.id = e.created_by"
constexpr db::Query kInsertEscalation{
    "cases.insert_escalation",
    "INSERT INTO escalations (" FD_ESCALATION_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
constexpr db::Query kUpdateEscalationStatus{"cases.update_escalation_status",
                                            "UPDATE escalations SET status = $2, updated_at = $3 WHERE id = $1"};
constexpr db::Query kAssignEscalation{"cases.assign_escalation",
                                      "UPDATE escalations SET assignee_id = $2, updated_at = $3 WHERE id = $1"};
constexpr db::Query kSelectEscalation{"cases.select_escalation", FD_ESCALATION_SELECT " WHERE e.id = $1"};
constexpr db::Query kSelectEscalations{
    "cases.select_escalations",
    FD_ESCALATION_SELECT
    " WHERE (CAST($1 AS TEXT) IS NULL OR e.centre_id = $1) AND (CAST($2 AS TEXT) IS NULL OR e.status = "
    "$2) AND e.summary <> '' ORDER BY e.updated_at DESC, e.id LIMIT 500"};
constexpr db::Query kSelectCaseEscalations{"cases.select_case_escalations",
                                           FD_ESCALATION_SELECT " WHERE e.case_id = $1 ORDER BY e.created_at, e.id"};
constexpr db::Query kInsertMessage{
    "cases.insert_escalation_message",
    "INSERT INTO escalation_messages (id, escalation_id, author_id, author_role, body, created_at) VALUES ($1, $2, "
    "$3, $4, $5, $6)"};
#define FD_MESSAGE_SELECT                                                                                  \
  "SELECT m.id, m.escalation_id, m.author_id, m.author_role, m.body, m.created_at, u.display_name, m.read_at " \
  "FROM escalation_messages m LEFT JOIN users u ON u.id = m.author_id"
constexpr db::Query kSelectCaseMessages{
    "cases.select_case_escalation_messages",
    FD_MESSAGE_SELECT " JOIN escalations e ON e.id = m.escalation_id WHERE e.case_id = $1 ORDER BY m.escalation_id, "
                      "m.created_at, m.id"};
constexpr db::Query kSelectMessages{"cases.select_escalation_messages",
                                    FD_MESSAGE_SELECT " WHERE m.escalation_id = $1 ORDER BY m.created_at, m.id"};
constexpr db::Query kMarkAnswersRead{
    "cases.mark_escalation_answers_read",
    "UPDATE escalation_messages SET read_at = $2, read_by = $3 WHERE escalation_id = $1 AND author_role = "
    "'competence_centre' AND read_at IS NULL AND (CAST($4 AS TEXT) IS NULL OR id = $4)"};
constexpr db::Query kSelectTransfers{
    "cases.select_transfers",
    FD_TRANSFER_SELECT " WHERE t.case_id = $1 ORDER BY t.transferred_at, t.id"};

Escalation EscalationFromRow(const db::Row& r) {
  Escalation e;
  e.id = r.Text(0);
  e.case_id = r.Text(1);
  e.centre_id = r.Text(2);
  e.summary = r.Text(3);
  e.question = r.Text(4);
  e.status = r.Text(5);
  e.created_by = r.OptText(6).value_or("");
  e.created_at = r.Int(7);
  e.updated_at = r.Int(8);
  e.assignee_id = r.OptText(9);
  e.assignee_name = r.OptText(10);
  e.centre_name = r.OptText(11);
  e.centre_state = r.OptText(12);
  if (auto t = r.OptText(13)) e.topics = FromJsonArray(*t);
  e.message_count = r.Int(14);
  e.unread_answers = r.Int(15);
  e.last_answer_at = r.OptInt(16);
  e.created_by_name = r.OptText(17);
  return e;
}

EscalationMessage MessageFromRow(const db::Row& r) {
  EscalationMessage m{r.Text(0), r.Text(1), r.OptText(2).value_or(""), r.Text(3), r.Text(4), r.Int(5)};
  m.author_name = r.OptText(6);
  m.read_at = r.OptInt(7);
  return m;
}

Transfer TransferFromRow(const db::Row& r) {
  Transfer t{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.OptText(5), r.Int(6)};
  t.status = r.Text(7);
  t.client_consent = r.Bool(8);
  t.decided_by = r.OptText(9);
  t.decided_at = r.OptInt(10);
  t.case_number = r.OptText(11);
  return t;
}

db::Value AfterInt(const std::optional<std::pair<std::int64_t, std::string>>& after) {
  return after ? db::Value{after->first} : db::Null();
}
db::Value AfterId(const std::optional<std::pair<std::int64_t, std::string>>& after) {
  return after ? db::Value{after->second} : db::Value{std::string()};
}

}  // namespace

std::span<const db::Migration> Migrations() { return kMigrations; }

Result<std::vector<Topic>> Store::Topics(db::Session& s) {
  std::vector<Topic> out;
  for (const auto& r : FD_TRY(s.Query(kSelectTopics))) {
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Bool(3), static_cast<int>(r.Int(4))});
  }
  return out;
}

Status Store::ReplaceTopics(db::Session& s, const std::vector<Topic>& topics) {
  FD_TRY_VOID(s.Exec(kDeleteTopics));
  for (const auto& t : topics) {
    FD_TRY_VOID(s.Exec(kInsertTopic, {t.code, t.label_de, t.label_en, B(t.in_scope), std::int64_t{t.position}}));
  }
  return {};
}

Result<std::vector<RoutingRule>> Store::RoutingRules(db::Session& s) {
  std::vector<RoutingRule> out;
  for (const auto& r : FD_TRY(s.Query(kSelectRules))) {
    RoutingRule rule;
    rule.id = r.Text(0);
    rule.nationality = r.Text(1);
    rule.topics = FromJsonArray(r.Text(2));
    rule.in_scope_topics = r.Bool(3);
    rule.flags = FromJsonArray(r.Text(4));
    rule.target = r.Text(5);
    rule.organisation_id = r.OptText(6);
    rule.stop = r.Bool(7);
    rule.enabled = r.Bool(8);
    rule.reason_de = r.Text(9);
    rule.reason_en = r.Text(10);
    out.push_back(std::move(rule));
  }
  return out;
}

Status Store::ReplaceRoutingRules(db::Session& s, const std::vector<RoutingRule>& rules) {
  FD_TRY_VOID(s.Exec(kDeleteRules));
  std::int64_t position = 0;
  for (const auto& r : rules) {
    position += 10;
    FD_TRY_VOID(s.Exec(kInsertRule, {r.id, position, r.nationality, ToJsonArray(r.topics), B(r.in_scope_topics),
                                     ToJsonArray(r.flags), r.target, db::Opt(r.organisation_id), B(r.stop),
                                     B(r.enabled), r.reason_de, r.reason_en}));
  }
  return {};
}

Result<bool> Store::Seeded(db::Session& s, std::string_view what) {
  auto row = FD_TRY(s.One(kSeeded, {std::string(what)}));
  return row.Int(0) > 0;
}

Status Store::MarkSeeded(db::Session& s, std::string_view what) {
  FD_TRY_VOID(s.Exec(kMarkSeeded, {std::string(what), clock::NowUnix()}));
  return {};
}

Result<std::optional<std::pair<std::string, std::string>>> Store::UserCentreRole(db::Session& s,
                                                                                  std::string_view user_id) {
  auto row = FD_TRY(s.MaybeOne(kUserCentreRole, {std::string(user_id)}));
  if (!row) return std::optional<std::pair<std::string, std::string>>();
  return std::optional(std::pair{row->OptText(0).value_or(""), row->Text(1)});
}

Result<std::optional<std::string>> Store::UserIdByEmail(db::Session& s, std::string_view email) {
  auto row = FD_TRY(s.MaybeOne(kUserByEmail, {std::string(email)}));
  if (!row) return std::optional<std::string>();
  return std::optional(row->Text(0));
}

Result<bool> Store::ClientCodeExists(db::Session& s, std::string_view code) {
  auto row = FD_TRY(s.One(kClientCodeExists, {std::string(code)}));
  return row.Int(0) > 0;
}

Status Store::InsertClient(db::Session& s, const Client& c) {
  auto p = ClientParams(c);
  FD_TRY_VOID(s.Exec(kInsertClient, p));
  return {};
}

Result<bool> Store::UpdateClient(db::Session& s, const Client& c, std::optional<std::int64_t> expected_version) {
  auto p = ClientParams(c);
  p.push_back(OptInt(expected_version));
  return FD_TRY(s.Exec(kUpdateClient, p)) == 1;
}

Result<std::optional<Client>> Store::FindClient(db::Session& s, std::string_view id) {
  auto row = FD_TRY(s.MaybeOne(kSelectClient, {std::string(id)}));
  if (!row) return std::optional<Client>();
  return std::optional(ClientFromRow(*row));
}

Result<std::vector<Client>> Store::ListClients(db::Session& s, std::string_view centre_id,
                                               std::optional<std::string> code_like,
                                               std::optional<std::pair<std::int64_t, std::string>> after, int limit,
                                               const std::vector<std::string>& hashes,
                                               std::optional<std::int64_t> birth_year,
                                               std::optional<std::string> nationality,
                                               const std::vector<std::string>& all_words) {
  std::vector<db::Value> p = {std::string(centre_id), db::Opt(code_like), AfterInt(after), AfterId(after),
                              std::int64_t{limit}};
  // Four hash slots each; an unused one holds a value no hash can have.
  for (std::size_t i = 0; i < 4; ++i) p.push_back(i < hashes.size() ? hashes[i] : std::string("-"));
  p.push_back(OptInt(birth_year));
  p.push_back(db::Opt(nationality));
  for (std::size_t i = 0; i < 4; ++i) p.push_back(i < all_words.size() ? all_words[i] : std::string("-"));
  p.push_back(std::int64_t(all_words.size() >= 2 && all_words.size() <= 4 ? all_words.size() : 0));
  std::vector<Client> out;
  for (const auto& r : FD_TRY(s.Query(kListClients, p))) out.push_back(ClientFromRow(r));
  return out;
}

Status Store::DeleteClient(db::Session& s, std::string_view id) {
  FD_TRY_VOID(s.Exec(kDeleteSearchHashes, {std::string(id)}));
  FD_TRY_VOID(s.Exec(kDeleteClient, {std::string(id)}));
  return {};
}

Status Store::ReplaceSearchHashes(db::Session& s, std::string_view client_id, const std::vector<std::string>& hashes) {
  FD_TRY_VOID(s.Exec(kDeleteSearchHashes, {std::string(client_id)}));
  for (const auto& h : hashes) FD_TRY_VOID(s.Exec(kInsertSearchHash, {std::string(client_id), h}));
  return {};
}

Result<std::vector<Client>> Store::ClientsWithoutSearchIndex(db::Session& s, int limit) {
  std::vector<Client> out;
  for (const auto& r : FD_TRY(s.Query(kClientsWithoutIndex, {std::int64_t{limit}}))) out.push_back(ClientFromRow(r));
  return out;
}

Status Store::MoveCasesOfClient(db::Session& s, std::string_view from, std::string_view to) {
  FD_TRY_VOID(s.Exec(kMoveCasesOfClient, {std::string(from), std::string(to), clock::NowUnix()}));
  return {};
}

Result<std::vector<std::pair<std::string, std::string>>> Store::LegacyEmployers(db::Session& s, int limit) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : FD_TRY(s.Query(kLegacyEmployers, {std::int64_t{limit}}))) out.emplace_back(r.Text(0), r.Text(1));
  return out;
}

Status Store::SealEmployer(db::Session& s, std::string_view id, std::string_view sealed) {
  FD_TRY_VOID(s.Exec(kSealEmployer, {std::string(id), std::string(sealed)}));
  return {};
}

Result<std::vector<std::pair<std::string, std::string>>> Store::LegacyDeadlineNotes(db::Session& s, int limit) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : FD_TRY(s.Query(kLegacyDeadlineNotes, {std::int64_t{limit}}))) {
    out.emplace_back(r.Text(0), r.Text(1));
  }
  return out;
}

Status Store::SealDeadlineNote(db::Session& s, std::string_view id, std::string_view sealed) {
  FD_TRY_VOID(s.Exec(kSealDeadlineNote, {std::string(id), std::string(sealed)}));
  return {};
}

Result<std::optional<std::string>> Store::Secret(db::Session& s, std::string_view name) {
  auto row = FD_TRY(s.MaybeOne(kSelectSecret, {std::string(name)}));
  if (!row) return std::optional<std::string>();
  return std::optional(row->Text(0));
}

Status Store::InsertSecret(db::Session& s, std::string_view name, std::string_view sealed) {
  FD_TRY_VOID(s.Exec(kInsertSecret, {std::string(name), std::string(sealed), clock::NowUnix()}));
  return {};
}

Status Store::MoveClient(db::Session& s, std::string_view client_id, std::string_view centre_id) {
  FD_TRY_VOID(s.Exec(kMoveClient, {std::string(client_id), std::string(centre_id), clock::NowUnix()}));
  return {};
}

Result<std::vector<Caseload>> Store::CaseloadOfCentre(db::Session& s, std::string_view centre_id,
                                                      std::string_view today) {
  std::vector<Caseload> out;
  for (const auto& r : FD_TRY(s.Query(kCaseload, {std::string(centre_id), std::string(today)}))) {
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4)});
  }
  return out;
}

Result<std::int64_t> Store::NextCaseSequence(db::Session& s, std::string_view prefix) {
  auto row = FD_TRY(s.One(kNextSequence, {std::string(prefix)}));
  return row.Int(0);
}

Status Store::InsertCase(db::Session& s, const Case& c, std::string_view search_text) {
  auto p = CaseParams(c, search_text);
  p.push_back(db::Opt(c.employment_sealed));
  FD_TRY_VOID(s.Exec(kInsertCase, p));
  return {};
}

Result<bool> Store::UpdateCase(db::Session& s, const Case& c, std::string_view search_text,
                               std::optional<std::int64_t> expected_version) {
  auto p = CaseParams(c, search_text);
  p.push_back(OptInt(expected_version));
  p.push_back(db::Opt(c.employment_sealed));
  return FD_TRY(s.Exec(kUpdateCase, p)) == 1;
}

Result<std::optional<Case>> Store::FindCase(db::Session& s, std::string_view id) {
  auto row = FD_TRY(s.MaybeOne(kSelectCase, {std::string(id)}));
  if (!row) return std::optional<Case>();
  return std::optional(CaseFromRow(*row));
}

const db::Query* CaseListQuery(std::string_view sort, bool by_key) {
  for (const auto& s : kCaseSorts) {
    if (s.name == sort) return by_key ? &s.by_key : &s.query;
  }
  return nullptr;
}

const db::Query* CaseTextSearchQuery(std::string_view sort) {
  for (const auto& s : kCaseSorts) {
    if (s.name == sort) return &s.by_text;
  }
  return nullptr;
}

Result<std::vector<Case>> Store::ListCases(db::Session& s, std::string_view centre_id, const CaseFilter& f,
                                           std::optional<std::pair<std::int64_t, std::string>> after,
                                           std::int64_t offset, std::optional<std::string> today) {
  std::vector<Case> out;
  const db::Query* plain = PlainListQuery(f.limit + 1, after.has_value());
  if (plain && f.sort == "-created" && !f.status && !f.topic && !f.assignee && !f.q && !f.key_prefix &&
      !f.text_phrase && !f.priority && !f.risk_flag && !f.client_id && !f.overdue && offset == 0) {
    std::vector<db::Value> p = {std::string(centre_id)};
    if (after) {
      p.emplace_back(after->first);
      p.emplace_back(after->second);
    }
    for (const auto& r : FD_TRY(s.Query(*plain, p))) out.push_back(CaseFromRow(r));
    return out;
  }
  const db::Query* query =
      f.text_phrase && !f.key_prefix ? CaseTextSearchQuery(f.sort) : CaseListQuery(f.sort, f.key_prefix.has_value());
  if (!query) return Fail(Error::Invalid("sort", "is not a sort order of the case list"));
  std::optional<std::string> topic_like, flag_like;
  if (f.topic) topic_like = "%\"" + *f.topic + "\"%";
  if (f.risk_flag) flag_like = "%\"" + *f.risk_flag + "\"%";
  const bool unassigned = f.assignee == "none";
  std::vector<db::Value> p = {std::string(centre_id),
                              db::Opt(f.status),
                              db::Opt(topic_like),
                              unassigned ? db::Null() : db::Opt(f.assignee),
                              f.key_prefix ? db::Null() : db::Opt(f.q),  // by key: the range of $15/$16
                              AfterInt(after),
                              AfterId(after),
                              std::int64_t{f.limit + 1},
                              db::Opt(f.priority),
                              db::Opt(flag_like),
                              db::Opt(f.client_id),
                              f.overdue ? db::Opt(today) : db::Null(),
                              unassigned ? db::Value{std::int64_t{1}} : db::Null(),
                              offset};
  if (f.key_prefix) {
    // The prefix's range: [prefix, prefix with its last character raised by one). KeyPrefix admits
    // only ASCII letters, digits and hyphens, so the raised character stays ASCII.
    std::string high = *f.key_prefix;
    high.back() = static_cast<char>(high.back() + 1);
    p.emplace_back(*f.key_prefix);
    p.emplace_back(std::move(high));
  } else if (f.text_phrase) {
    p.emplace_back(*f.text_phrase);
  }
  for (const auto& r : FD_TRY(s.Query(*query, p))) out.push_back(CaseFromRow(r));
  return out;
}

Result<std::vector<Case>> Store::CasesOfClient(db::Session& s, std::string_view client_id) {
  std::vector<Case> out;
  for (const auto& r : FD_TRY(s.Query(kCasesOfClient, {std::string(client_id)}))) out.push_back(CaseFromRow(r));
  return out;
}

Result<std::vector<std::string>> Store::CaseIdsClosedBefore(db::Session& s, std::string_view closed_before) {
  std::vector<std::string> out;
  for (const auto& r : FD_TRY(s.Query(kCaseIdsClosedBefore, {std::string(closed_before)}))) out.push_back(r.Text(0));
  return out;
}

Status Store::AnonymiseCase(db::Session& s, std::string_view case_id) {
  std::string id(case_id);
  FD_TRY_VOID(s.Exec(kAnonymiseConsultations, {id}));
  FD_TRY_VOID(s.Exec(kAnonymiseDeadlines, {id}));
  FD_TRY_VOID(s.Exec(kAnonymiseReferrals, {id}));
  FD_TRY_VOID(s.Exec(kDeleteEscalationMessages, {id}));
  FD_TRY_VOID(s.Exec(kAnonymiseEscalations, {id}));
  FD_TRY_VOID(s.Exec(kDeleteHistoryOfCase, {id}));
  FD_TRY_VOID(s.Exec(kAnonymiseCase, {id, clock::NowUnix()}));
  return {};
}

Status Store::DeleteCase(db::Session& s, std::string_view case_id) {
  FD_TRY_VOID(s.Exec(kDeleteCase, {std::string(case_id)}));
  return {};
}

Status Store::InsertTransfer(db::Session& s, std::string_view id, std::string_view case_id, std::string_view from,
                             std::string_view to, std::string_view consent_date, std::string_view by,
                             std::string_view status) {
  FD_TRY_VOID(s.Exec(kInsertTransfer, {std::string(id), std::string(case_id), std::string(from), std::string(to),
                                       std::string(consent_date), std::string(by), clock::NowUnix(),
                                       std::string(status)}));
  return {};
}

Result<std::optional<Transfer>> Store::FindTransfer(db::Session& s, std::string_view id) {
  auto row = FD_TRY(s.MaybeOne(kSelectTransfer, {std::string(id)}));
  if (!row) return std::optional<Transfer>();
  return std::optional(TransferFromRow(*row));
}

Result<std::vector<Transfer>> Store::PendingTransfers(db::Session& s, std::string_view centre_id) {
  std::vector<Transfer> out;
  for (const auto& r : FD_TRY(s.Query(kTransfersOfCentre, {std::string(centre_id)}))) out.push_back(TransferFromRow(r));
  return out;
}

Result<bool> Store::DecideTransfer(db::Session& s, std::string_view id, std::string_view status, std::string_view by) {
  return FD_TRY(s.Exec(kDecideTransfer, {std::string(id), std::string(status), std::string(by), clock::NowUnix()})) == 1;
}

Status Store::MoveCase(db::Session& s, std::string_view case_id, std::string_view centre_id) {
  FD_TRY_VOID(s.Exec(kMoveCase, {std::string(case_id), std::string(centre_id), clock::NowUnix()}));
  FD_TRY_VOID(s.Exec(kMoveEscalations, {std::string(case_id), std::string(centre_id)}));
  return {};
}

Status Store::InsertConsultation(db::Session& s, const Consultation& c) {
  FD_TRY_VOID(s.Exec(kInsertConsultation,
                     {c.id, c.case_id, c.date, c.duration_minutes, c.channel, c.language, B(c.interpreter),
                      ToJsonArray(c.topics), c.kind, db::Opt(c.notes), c.created_by, c.created_at}));
  return {};
}

Result<bool> Store::UpdateConsultation(db::Session& s, const Consultation& c,
                                       std::optional<std::int64_t> expected_version) {
  return FD_TRY(s.Exec(kUpdateConsultation,
                       {c.id, c.date, c.duration_minutes, c.channel, c.language, B(c.interpreter),
                        ToJsonArray(c.topics), c.kind, db::Opt(c.notes), c.updated_at, OptInt(c.marks.corrected_at),
                        db::Opt(c.marks.corrected_by), OptInt(expected_version), OptInt(c.marks.withdrawn_at),
                        db::Opt(c.marks.withdrawn_by), db::Opt(c.marks.reason)})) == 1;
}

Result<std::optional<Consultation>> Store::FindConsultation(db::Session& s, std::string_view id) {
  auto row = FD_TRY(s.MaybeOne(kSelectConsultation, {std::string(id)}));
  if (!row) return std::optional<Consultation>();
  return std::optional(ConsultationFromRow(*row));
}

Result<std::vector<Consultation>> Store::Consultations(db::Session& s, std::string_view case_id) {
  std::vector<Consultation> out;
  for (const auto& r : FD_TRY(s.Query(kSelectConsultations, {std::string(case_id)}))) {
    out.push_back(ConsultationFromRow(r));
  }
  return out;
}

Status Store::InsertDeadline(db::Session& s, const Deadline& d) {
  FD_TRY_VOID(s.Exec(kInsertDeadline, {d.id, d.case_id, d.kind, d.due_date, db::Opt(d.note), B(d.done),
                                       db::Opt(d.source_json), d.created_by, d.created_at}));
  return {};
}

Result<bool> Store::UpdateDeadline(db::Session& s, const Deadline& d, std::optional<std::int64_t> expected_version) {
  return FD_TRY(s.Exec(kUpdateDeadline,
                       {d.id, d.kind, d.due_date, db::Opt(d.note), B(d.done), d.updated_at, OptInt(d.marks.corrected_at),
                        db::Opt(d.marks.corrected_by), OptInt(expected_version), OptInt(d.marks.withdrawn_at),
                        db::Opt(d.marks.withdrawn_by), db::Opt(d.marks.reason)})) == 1;
}

Result<std::optional<Deadline>> Store::FindDeadline(db::Session& s, std::string_view id) {
  auto row = FD_TRY(s.MaybeOne(kSelectDeadline, {std::string(id)}));
  if (!row) return std::optional<Deadline>();
  return std::optional(DeadlineFromRow(*row));
}

Result<std::vector<Deadline>> Store::Deadlines(db::Session& s, std::string_view case_id) {
  std::vector<Deadline> out;
  for (const auto& r : FD_TRY(s.Query(kSelectDeadlines, {std::string(case_id)}))) out.push_back(DeadlineFromRow(r));
  return out;
}

Result<std::vector<Deadline>> Store::DueDeadlines(db::Session& s, std::string_view centre_id, std::string_view until,
                                                  std::optional<std::string> assignee_id) {
  std::vector<Deadline> out;
  for (const auto& r :
       FD_TRY(s.Query(kDueDeadlines, {std::string(centre_id), std::string(until), db::Opt(assignee_id)}))) {
    out.push_back(DeadlineFromRow(r));
  }
  return out;
}

Status Store::InsertReferral(db::Session& s, const Referral& r) {
  FD_TRY_VOID(s.Exec(kInsertReferral, {r.id, r.case_id, r.target, db::Opt(r.organisation_id), r.status,
                                       B(r.client_consent), db::Opt(r.consent_date), db::Opt(r.note), r.created_by,
                                       r.created_at, r.updated_at, db::Opt(r.made_on), db::Opt(r.confirmed_on),
                                       db::Opt(r.completed_on), db::Opt(r.declined_on)}));
  return {};
}

Result<bool> Store::UpdateReferral(db::Session& s, const Referral& r, std::optional<std::int64_t> expected_version) {
  return FD_TRY(s.Exec(kUpdateReferral,
                       {r.id, r.status, B(r.client_consent), db::Opt(r.consent_date), db::Opt(r.note), r.updated_at,
                        r.target, db::Opt(r.organisation_id), db::Opt(r.made_on), db::Opt(r.confirmed_on),
                        db::Opt(r.completed_on), db::Opt(r.declined_on), OptInt(r.marks.corrected_at),
                        db::Opt(r.marks.corrected_by), OptInt(r.marks.withdrawn_at), db::Opt(r.marks.withdrawn_by),
                        db::Opt(r.marks.reason), OptInt(expected_version)})) == 1;
}

Status Store::InsertHistory(db::Session& s, const HistoryEntry& h) {
  FD_TRY_VOID(s.Exec(kInsertHistory, {h.id, h.case_id, h.record_type, h.record_id, h.version, h.action,
                                      db::Opt(h.before_json), db::Opt(h.reason), h.changed_by, h.changed_at}));
  return {};
}

Result<std::vector<HistoryEntry>> Store::History(db::Session& s, std::string_view case_id,
                                                 std::optional<std::string> record_id) {
  std::vector<HistoryEntry> out;
  for (const auto& r : FD_TRY(s.Query(kSelectHistory, {std::string(case_id), db::Opt(record_id)}))) {
    HistoryEntry h;
    h.id = r.Text(0);
    h.case_id = r.Text(1);
    h.record_type = r.Text(2);
    h.record_id = r.Text(3);
    h.version = r.Int(4);
    h.action = r.Text(5);
    h.before_json = r.OptText(6);
    h.reason = r.OptText(7);
    h.changed_by = r.OptText(8).value_or("");
    h.changed_at = r.Int(9);
    h.changed_by_name = r.OptText(10);
    out.push_back(std::move(h));
  }
  return out;
}

Status Store::InsertSavedFilter(db::Session& s, const SavedFilter& f) {
  FD_TRY_VOID(s.Exec(kInsertSavedFilter, {f.id, f.user_id, f.name, f.query, f.created_at}));
  return {};
}

Result<bool> Store::UpdateSavedFilter(db::Session& s, const SavedFilter& f) {
  return FD_TRY(s.Exec(kUpdateSavedFilter, {f.id, f.user_id, f.name, f.query, f.updated_at})) == 1;
}

Result<bool> Store::DeleteSavedFilter(db::Session& s, std::string_view user_id, std::string_view id) {
  return FD_TRY(s.Exec(kDeleteSavedFilter, {std::string(id), std::string(user_id)})) == 1;
}

Result<std::vector<SavedFilter>> Store::SavedFilters(db::Session& s, std::string_view user_id,
                                                     std::optional<std::string> id) {
  std::vector<SavedFilter> out;
  for (const auto& r : FD_TRY(s.Query(kSelectSavedFilters, {std::string(user_id), db::Opt(id)}))) {
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Int(5)});
  }
  return out;
}

Result<std::optional<Referral>> Store::FindReferral(db::Session& s, std::string_view id) {
  auto row = FD_TRY(s.MaybeOne(kSelectReferral, {std::string(id)}));
  if (!row) return std::optional<Referral>();
  return std::optional(ReferralFromRow(*row));
}

Result<std::vector<Referral>> Store::Referrals(db::Session& s, std::string_view case_id) {
  std::vector<Referral> out;
  for (const auto& r : FD_TRY(s.Query(kSelectReferrals, {std::string(case_id)}))) out.push_back(ReferralFromRow(r));
  return out;
}

Status Store::InsertEscalation(db::Session& s, const Escalation& e) {
  FD_TRY_VOID(s.Exec(kInsertEscalation, {e.id, e.case_id, e.centre_id, e.summary, e.question, e.status, e.created_by,
                                         e.created_at, e.updated_at}));
  return {};
}

Status Store::UpdateEscalationStatus(db::Session& s, std::string_view id, std::string_view status, std::int64_t now) {
  FD_TRY_VOID(s.Exec(kUpdateEscalationStatus, {std::string(id), std::string(status), now}));
  return {};
}

Status Store::AssignEscalation(db::Session& s, std::string_view id, std::optional<std::string> assignee,
                               std::int64_t now) {
  FD_TRY_VOID(s.Exec(kAssignEscalation, {std::string(id), db::Opt(assignee), now}));
  return {};
}

Result<std::int64_t> Store::MarkAnswersRead(db::Session& s, std::string_view escalation_id, std::string_view by,
                                            std::optional<std::string> message_id) {
  return s.Exec(kMarkAnswersRead, {std::string(escalation_id), clock::NowUnix(), std::string(by), db::Opt(message_id)});
}

Result<std::optional<Escalation>> Store::FindEscalation(db::Session& s, std::string_view id) {
  auto row = FD_TRY(s.MaybeOne(kSelectEscalation, {std::string(id)}));
  if (!row) return std::optional<Escalation>();
  return std::optional(EscalationFromRow(*row));
}

Result<std::vector<Escalation>> Store::Escalations(db::Session& s, std::optional<std::string> centre_id,
                                                   std::optional<std::string> status) {
  std::vector<Escalation> out;
  for (const auto& r : FD_TRY(s.Query(kSelectEscalations, {db::Opt(centre_id), db::Opt(status)}))) {
    out.push_back(EscalationFromRow(r));
  }
  return out;
}

Result<std::vector<Escalation>> Store::EscalationsOfCase(db::Session& s, std::string_view case_id) {
  std::vector<Escalation> out;
  for (const auto& r : FD_TRY(s.Query(kSelectCaseEscalations, {std::string(case_id)}))) {
    out.push_back(EscalationFromRow(r));
  }
  return out;
}

Status Store::InsertMessage(db::Session& s, const EscalationMessage& m) {
  FD_TRY_VOID(s.Exec(kInsertMessage, {m.id, m.escalation_id, m.author_id, m.author_role, m.body, m.created_at}));
  return {};
}

Result<std::vector<EscalationMessage>> Store::Messages(db::Session& s, std::string_view escalation_id) {
  std::vector<EscalationMessage> out;
  for (const auto& r : FD_TRY(s.Query(kSelectMessages, {std::string(escalation_id)}))) out.push_back(MessageFromRow(r));
  return out;
}

Result<std::vector<EscalationMessage>> Store::MessagesOfCase(db::Session& s, std::string_view case_id) {
  std::vector<EscalationMessage> out;
  for (const auto& r : FD_TRY(s.Query(kSelectCaseMessages, {std::string(case_id)}))) out.push_back(MessageFromRow(r));
  return out;
}

void AttachMessages(std::vector<Escalation>& escalations, std::vector<EscalationMessage> messages) {
  for (auto& m : messages) {
    for (auto& e : escalations) {
      if (e.id == m.escalation_id) {
        e.messages.push_back(std::move(m));
        break;
      }
    }
  }
  for (auto& e : escalations) {
    std::stable_sort(e.messages.begin(), e.messages.end(),
                     [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
  }
}

Result<std::optional<CaseDetail>> Store::CaseWithTimeline(db::Session& s, std::string_view id) {
  const std::vector<db::Value> key = {std::string(id)};
  const db::Statement reads[] = {{&kSelectCase, key},          {&kSelectClientOfCase, key},
                                 {&kSelectConsultations, key}, {&kSelectDeadlines, key},
                                 {&kSelectReferrals, key},     {&kSelectCaseEscalations, key},
                                 {&kSelectCaseMessages, key},  {&kPendingTransferOfCase, key}};
  auto rows = FD_TRY(s.QueryAll(reads));
  if (rows[0].empty()) return std::optional<CaseDetail>();
  CaseDetail d;
  d.c = CaseFromRow(rows[0].front());
  if (!rows[1].empty()) d.client = ClientFromRow(rows[1].front());
  for (const auto& r : rows[2]) d.consultations.push_back(ConsultationFromRow(r));
  for (const auto& r : rows[3]) d.deadlines.push_back(DeadlineFromRow(r));
  for (const auto& r : rows[4]) d.referrals.push_back(ReferralFromRow(r));
  for (const auto& r : rows[5]) d.escalations.push_back(EscalationFromRow(r));
  std::vector<EscalationMessage> messages;
  for (const auto& r : rows[6]) messages.push_back(MessageFromRow(r));
  AttachMessages(d.escalations, std::move(messages));
  if (!rows[7].empty()) d.pending_transfer = TransferFromRow(rows[7].front());
  return std::optional(std::move(d));
}

Result<std::vector<Transfer>> Store::Transfers(db::Session& s, std::string_view case_id) {
  std::vector<Transfer> out;
  for (const auto& r : FD_TRY(s.Query(kSelectTransfers, {std::string(case_id)}))) out.push_back(TransferFromRow(r));
  return out;
}

Result<std::vector<Client>> Store::ClientsDueForAnonymisation(db::Session& s, std::int64_t created_before, int limit) {
  std::vector<Client> out;
  for (const auto& r : FD_TRY(s.Query(kClientsDueForAnonymisation, {created_before, std::int64_t{limit}}))) {
    out.push_back(ClientFromRow(r));
  }
  return out;
}

// ---- Settings of admins and their history ----

namespace {
constexpr db::Query kSelectSetting{
    "cases.select_setting",
    "SELECT st.value, st.updated_at, u.display_name FROM case_settings st LEFT JOIN users u ON u.id = st.updated_by "
    "WHERE st.name = $1"};
constexpr db::Query kUpsertSetting{
    "cases.upsert_setting",
    "INSERT INTO case_settings (name, value, updated_by, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO "
    "UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at"};
constexpr db::Query kInsertSettingsChange{
    "cases.insert_settings_change",
    "INSERT INTO case_settings_history (id, seq, kind, before_json, after_json, changed_by, changed_at) SELECT CAST($1 "
    "AS TEXT), COALESCE(MAX(seq), 0) + 1, CAST($2 AS TEXT), CAST($3 AS TEXT), CAST($4 AS TEXT), CAST($5 AS TEXT), "
    "CAST($6 AS BIGINT) FROM case_settings_history"};
constexpr db::Query kSelectSettingsChanges{
    "cases.select_settings_changes",
    "SELECT h.id, h.kind, h.before_json, h.after_json, h.changed_by, u.display_name, h.changed_at FROM "
    "case_settings_history h LEFT JOIN users u ON u.id = h.changed_by WHERE (CAST($1 AS TEXT) IS NULL OR h.kind = $1) "
    "ORDER BY h.seq DESC LIMIT $2"};
constexpr db::Query kCountTopicUse{
    "cases.count_topic_use",
    "SELECT (SELECT COUNT(*) FROM cases WHERE topics LIKE $1) + (SELECT COUNT(*) FROM consultations WHERE topics "
    "LIKE $1)"};
}  // namespace

Result<std::optional<StoredSetting>> Store::Setting(db::Session& s, std::string_view name) {
  auto rows = FD_TRY(s.Query(kSelectSetting, {std::string(name)}));
  if (rows.empty()) return std::optional<StoredSetting>{};
  return std::optional<StoredSetting>{StoredSetting{rows[0].Text(0), rows[0].Int(1), rows[0].OptText(2)}};
}

Status Store::PutSetting(db::Session& s, std::string_view name, std::string_view value, std::string_view user_id,
                         std::int64_t at) {
  FD_TRY_VOID(s.Exec(kUpsertSetting, {std::string(name), std::string(value), std::string(user_id), at}));
  return {};
}

Status Store::InsertSettingsChange(db::Session& s, const SettingsChange& c) {
  FD_TRY_VOID(s.Exec(kInsertSettingsChange, {c.id, c.kind, json::serialize(c.before), json::serialize(c.after),
                                             db::Opt(c.changed_by), c.changed_at}));
  return {};
}

Result<std::vector<SettingsChange>> Store::SettingsChanges(db::Session& s, std::optional<std::string> kind, int limit) {
  std::vector<SettingsChange> out;
  for (const auto& r : FD_TRY(s.Query(kSelectSettingsChanges, {db::Opt(kind), std::int64_t{limit}}))) {
    SettingsChange c;
    c.id = r.Text(0);
    c.kind = r.Text(1);
    c.before = json::parse(r.Text(2));
    c.after = json::parse(r.Text(3));
    c.changed_by = r.OptText(4);
    c.changed_by_name = r.OptText(5);
    c.changed_at = r.Int(6);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::int64_t> Store::TopicUse(db::Session& s, std::string_view code) {
  auto rows = FD_TRY(s.Query(kCountTopicUse, {"%\"" + std::string(code) + "\"%"}));
  return rows.empty() ? 0 : rows[0].Int(0);
}

}  // namespace fairdesk::cases
