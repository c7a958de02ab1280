#include <algorithm>

#include <boost/json.hpp>

#include "audit/chain.hpp"
#include "audit/store.hpp"
#include "platform/core/json_output.hpp"

namespace fairdesk::audit {
namespace {

// The log is append-only: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), so a
// bug or a mistaken maintenance query cannot rewrite history. Someone who controls the database
// can drop the triggers; the hash chain (`fairdesk audit verify`) is what detects that.
// The tables are the same on both databases (300); only the triggers differ (301).
constexpr db::Migration kMigrations[] = {
    {300, "audit log", R"SQL(
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  user_id TEXT NOT NULL,
  role TEXT NOT NULL,
  centre_id TEXT,
  action TEXT NOT NULL,
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  record_centre_id TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_record ON audit_log (record_type, record_id, seq);
CREATE INDEX audit_log_user ON audit_log (user_id, seq);
CREATE INDEX audit_log_centre ON audit_log (centre_id, seq);
CREATE INDEX audit_log_record_centre ON audit_log (record_centre_id, seq);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
)SQL",
     {}},
    {301, "audit log is append-only", R"SQL(
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
)SQL",
     R"SQL(
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
)SQL"},
    // One entry may name several records (the cases of one list): their ids in record_ids
    // (space-separated, in the order shown), and in audit_log_records so that "who saw this
    // record" stays an index lookup. audit_log_records is derived from the chained column and
    // append-only like the log.
    {302, "audit entries naming several records", R"SQL(
ALTER TABLE audit_log ADD COLUMN record_ids TEXT;
CREATE TABLE audit_log_records (
  record_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (record_id, seq)
);
CREATE TRIGGER audit_log_record_no_change BEFORE UPDATE OR DELETE ON audit_log_records
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_record_no_truncate BEFORE TRUNCATE ON audit_log_records
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
)SQL",
     R"SQL(
ALTER TABLE audit_log ADD COLUMN record_ids TEXT;
CREATE TABLE audit_log_records (
  record_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (record_id, seq)
);
CREATE TRIGGER audit_log_record_no_update BEFORE UPDATE ON audit_log_records
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_record_no_delete BEFORE DELETE ON audit_log_records
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
)SQL"},
    // The "who saw this record" index is written in batches (issue 13: a list of 50 cases wrote
    // 50 index rows inside every read's group commit). Once at least kIndexEvery entries are
    // unindexed, the append that passes the mark writes one row per record named by any of them:
    // (record_id, seq = the first entry of the batch, last_seq = its last); old rows (one per
    // entry) have no last_seq. audit_head.indexed_seq: the entries up to it are in the index
    // (NULL: all, as before this migration and in backups made before it); readers look through
    // the entries after it themselves, so a read is found the moment it is committed.
    {303, "audit index in batches", R"SQL(
ALTER TABLE audit_log_records ADD COLUMN last_seq BIGINT;
ALTER TABLE audit_head ADD COLUMN indexed_seq BIGINT;
)SQL",
     R"SQL(
ALTER TABLE audit_log_records ADD COLUMN last_seq BIGINT;
ALTER TABLE audit_head ADD COLUMN indexed_seq BIGINT;
)SQL"},
    // A batch's row carries its first entry as -seq: the rows of one entry each (before 303) stay
    // a covering index range of their own (seq > 0), and the batch holding an entry is one probe
    // (the least -seq not below -entry). Rows that 303 wrote with +seq get their -seq twin; the
    // +seq one matches nothing more (each entry is checked against its own record_ids).
    {304, "audit index batches keyed by -seq", R"SQL(
INSERT INTO audit_log_records (record_id, seq, last_seq)
  SELECT record_id, -seq, last_seq FROM audit_log_records WHERE seq > 0 AND last_seq IS NOT NULL;
)SQL",
     R"SQL(
INSERT INTO audit_log_records (record_id, seq, last_seq)
  SELECT record_id, -seq, last_seq FROM audit_log_records WHERE seq > 0 AND last_seq IS NOT NULL;
)SQL"},
    // "Who saw this record" as index lookups (issue 13): the record's own entries through
    // (record_id, seq) instead of (record_type, record_id, seq), which served only a filter naming
    // both (the list filters by record alone, so a rarely seen record meant reading the whole log).
    {305, "audit entries of a record by index", R"SQL(
DROP INDEX audit_log_record;
CREATE INDEX audit_log_record ON audit_log (record_id, seq);
)SQL",
     {}},
};

// Entries appended before the index is written: bounds what a "who saw" query reads beyond the
// index (the unindexed tail, and the entries of each batch that names the record).
constexpr std::int64_t kIndexEvery = 32;

constexpr db::Query kLockHead{"audit.lock_head", "SELECT seq, hash, indexed_seq FROM audit_head WHERE id = 1 FOR UPDATE",
                              "SELECT seq, hash, indexed_seq FROM audit_head WHERE id = 1"};
constexpr db::Query kReadHead{"audit.read_head", "SELECT seq, hash FROM audit_head WHERE id = 1"};
constexpr db::Query kInsert{
    "audit.insert",
    "INSERT INTO audit_log (seq, at, user_id, role, centre_id, action, record_type, record_id, record_centre_id, "
    "prev_hash, hash, record_ids) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"};
// The record ids of the unindexed multi-record entries up to $2 (the ones of this append are in memory).
constexpr db::Query kUnindexed{
    "audit.unindexed",
    "SELECT record_ids FROM audit_log WHERE seq > $1 AND seq <= $2 AND record_ids IS NOT NULL"};
// One index row per record ($1, a JSON array of ids) for the batch of entries -$2..$3 (migration 304).
constexpr db::Query kInsertRecords{
    "audit.insert_records",
    "INSERT INTO audit_log_records (record_id, seq, last_seq) SELECT y, $2::BIGINT, $3::BIGINT "
    "FROM jsonb_array_elements_text($1::JSONB) AS y",
    "INSERT INTO audit_log_records (record_id, seq, last_seq) SELECT value, $2, $3 FROM json_each($1)"};
constexpr db::Query kUpdateHead{"audit.update_head", "UPDATE audit_head SET seq = $1, hash = $2, indexed_seq = $3 WHERE id = 1"};

#define FD_AUDIT_COLUMNS \
  "seq, at, user_id, role, centre_id, action, record_type, record_id, record_centre_id, prev_hash, hash, record_ids"
// PostgreSQL: the entries ($1, a JSON array of rows in the order of FD_AUDIT_COLUMNS), the index
// rows of a batch ($2, ids, for the entries -$5..$3; usually none) and the new head in one
// statement, so that an append is four round trips (BEGIN, lock the head, this, COMMIT).
constexpr db::Query kAppendPg{
    "audit.append",
    "WITH e AS (INSERT INTO audit_log (" FD_AUDIT_COLUMNS ") SELECT (x->>0)::BIGINT, (x->>1)::BIGINT, x->>2, x->>3, "
    "x->>4, x->>5, x->>6, x->>7, x->>8, x->>9, x->>10, x->>11 FROM jsonb_array_elements($1::JSONB) AS x), r AS "
    "(INSERT INTO audit_log_records (record_id, seq, last_seq) SELECT y, $5::BIGINT, $3::BIGINT "
    "FROM jsonb_array_elements_text($2::JSONB) AS y) UPDATE audit_head SET seq = $3, hash = $4, indexed_seq = $6 "
    "WHERE id = 1"};

// The filters of the list on the entry alias A ("" or "e."): $1 record type, $2 user, $3/$4 the
// time range, $5 centre, $6 the cursor (seq below). Every one is optional ("$n IS NULL OR ...").
#define FD_AUDIT_FILTERS(A)                                                                                        \
  "(CAST($1 AS TEXT) IS NULL OR " A "record_type = $1) AND (CAST($2 AS TEXT) IS NULL OR " A "user_id = $2) AND "   \
  "(CAST($3 AS BIGINT) IS NULL OR " A "at >= $3) AND (CAST($4 AS BIGINT) IS NULL OR " A "at < $4) AND "           \
  "(CAST($5 AS TEXT) IS NULL OR " A "centre_id = $5 OR " A "record_centre_id = $5) AND (CAST($6 AS BIGINT) IS "   \
  "NULL OR " A "seq < $6) "
// Whether entry e's record_ids name record $8 (ids are plain, [A-Za-z0-9_.:-], so a
// space-delimited search is exact); FIND is strpos (PostgreSQL) or instr (SQLite).
#define FD_AUDIT_LISTS(FIND) FIND "(' ' || e.record_ids || ' ', ' ' || $8 || ' ') > 0 "
// The newest $7 entries (after the filters) naming record $8, each found through an index: its
// own entries (audit_log_record); list entries in the index of one row per entry (before migration
// 303, seq > 0); list entries of the batches that name it (seq < 0: -seq..last_seq, newest batch
// first; every batch holds at least one entry naming it, each entry is checked against its own
// record_ids, and the walk stops at $7 matches, so a case shown in every list costs a batch or
// two and a rarely seen one a probe per batch naming it); and the newest entries, not indexed yet
// (at most a batch). Each part is ordered and cut at $7 on its own; the caller orders the union.
#define FD_AUDIT_OF_RECORD(FIND, BATCH_ENTRIES)                                                                     \
  "SELECT seq FROM (SELECT e.seq FROM audit_log e WHERE e.record_id = $8 AND " FD_AUDIT_FILTERS("e.")            \
  "ORDER BY e.seq DESC LIMIT $7) own UNION ALL SELECT seq FROM (SELECT e.seq FROM audit_log_records r JOIN "      \
  "audit_log e ON e.seq = r.seq WHERE r.record_id = $8 AND r.seq > 0 AND " FD_AUDIT_LISTS(FIND)                  \
  "AND " FD_AUDIT_FILTERS("e.") "ORDER BY r.seq DESC LIMIT $7) old UNION ALL SELECT seq FROM (SELECT e.seq FROM " \
  "audit_log_records r " BATCH_ENTRIES " WHERE r.record_id = $8 AND r.seq < 0 AND (CAST($6 AS BIGINT) IS NULL "   \
  "OR r.seq > -$6) AND " FD_AUDIT_LISTS(FIND) "AND " FD_AUDIT_FILTERS("e.") "ORDER BY r.seq, e.seq DESC LIMIT $7) " \
  "batched UNION ALL SELECT seq FROM (SELECT e.seq FROM audit_log e WHERE e.seq > (SELECT COALESCE(indexed_seq, "  \
  "seq) FROM audit_head WHERE id = 1) AND " FD_AUDIT_LISTS(FIND) "AND " FD_AUDIT_FILTERS("e.") "ORDER BY e.seq "  \
  "DESC LIMIT $7) newest"
// The entries of a batch row r. PostgreSQL: a lateral subquery that cannot be flattened (its
// ORDER BY), so that each batch is an index range of its own (a generic plan joined the batch
// rows to a scan of the whole log); SQLite plans the join so by itself.
#define FD_AUDIT_BATCH_ENTRIES_PG                                                                                   \
  "CROSS JOIN LATERAL (SELECT * FROM audit_log b WHERE b.seq >= -r.seq AND b.seq <= r.last_seq ORDER BY b.seq "    \
  "DESC) e"
#define FD_AUDIT_BATCH_ENTRIES_SQLITE "JOIN audit_log e ON e.seq >= -r.seq AND e.seq <= r.last_seq"

// Every filter is optional: "$n IS NULL OR ..." keeps one named statement for all combinations;
// a filter by record ($8) has statements of its own.
constexpr db::Query kList{"audit.list",
                          "SELECT " FD_AUDIT_COLUMNS " FROM audit_log WHERE " FD_AUDIT_FILTERS("")
                          "ORDER BY seq DESC LIMIT $7"};
// PostgreSQL takes the candidates as an array (an InitPlan, then one index probe each); with
// `seq IN (...)` its generic plan walked the log and joined every entry to the candidates.
#define FD_AUDIT_CANDIDATES_PG "= ANY (ARRAY(" FD_AUDIT_OF_RECORD("strpos", FD_AUDIT_BATCH_ENTRIES_PG) "))"
#define FD_AUDIT_CANDIDATES_SQLITE "IN (" FD_AUDIT_OF_RECORD("instr", FD_AUDIT_BATCH_ENTRIES_SQLITE) ")"
constexpr db::Query kListOfRecord{
    "audit.list_of_record",
    "SELECT " FD_AUDIT_COLUMNS " FROM audit_log WHERE seq " FD_AUDIT_CANDIDATES_PG " ORDER BY seq DESC LIMIT $7",
    "SELECT " FD_AUDIT_COLUMNS " FROM audit_log WHERE seq " FD_AUDIT_CANDIDATES_SQLITE " ORDER BY seq DESC LIMIT $7"};
// The same lists with labels for display (issue 7): one query, no lookup per entry.
#define FD_AUDIT_LABELLED                                                                                           \
  "SELECT a.seq, a.at, a.user_id, a.role, a.centre_id, a.action, a.record_type, a.record_id, a.record_centre_id, " \
  "a.prev_hash, a.hash, a.record_ids, u.display_name, COALESCE(ca.number, cl.code, ru.display_name, pc.number) "                \
  "FROM audit_log a LEFT JOIN users u ON u.id = a.user_id "                                                        \
  "LEFT JOIN cases ca ON a.record_type IN ('case', 'case_documents') AND ca.id = a.record_id "                      \
  "LEFT JOIN clients cl ON a.record_type IN ('client', 'client_personal') AND cl.id = a.record_id "                  \
  "LEFT JOIN users ru ON a.record_type IN ('user', 'user_password', 'user_totp') AND ru.id = a.record_id "          \
  "LEFT JOIN consultations co ON a.record_type = 'consultation' AND co.id = a.record_id "                           \
  "LEFT JOIN deadlines de ON a.record_type = 'deadline' AND de.id = a.record_id "                                  \
  "LEFT JOIN documents doc ON a.record_type = 'document' AND doc.id = a.record_id "                                 \
  "LEFT JOIN referrals rf ON a.record_type = 'referral' AND rf.id = a.record_id "                                  \
  "LEFT JOIN escalations es ON a.record_type = 'escalation' AND es.id = a.record_id "                              \
  "LEFT JOIN cases pc ON pc.id = COALESCE(co.case_id, de.case_id, doc.case_id, rf.case_id, es.case_id) WHERE "
constexpr db::Query kListLabelled{"audit.list_labelled",
                                  FD_AUDIT_LABELLED FD_AUDIT_FILTERS("a.") "ORDER BY a.seq DESC LIMIT $7"};
constexpr db::Query kListOfRecordLabelled{
    "audit.list_of_record_labelled",
    FD_AUDIT_LABELLED "a.seq " FD_AUDIT_CANDIDATES_PG " ORDER BY a.seq DESC LIMIT $7",
    FD_AUDIT_LABELLED "a.seq " FD_AUDIT_CANDIDATES_SQLITE " ORDER BY a.seq DESC LIMIT $7"};
#undef FD_AUDIT_LABELLED
#undef FD_AUDIT_CANDIDATES_SQLITE
#undef FD_AUDIT_CANDIDATES_PG
#undef FD_AUDIT_BATCH_ENTRIES_SQLITE
#undef FD_AUDIT_BATCH_ENTRIES_PG
#undef FD_AUDIT_OF_RECORD
#undef FD_AUDIT_LISTS
#undef FD_AUDIT_FILTERS
constexpr db::Query kBatch{"audit.walk_batch",
                           "SELECT " FD_AUDIT_COLUMNS " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"};

constexpr std::int64_t kWalkBatch = 1000;

std::vector<std::string> SplitIds(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::optional<std::string> JoinIds(const std::vector<std::string>& ids) {
  if (ids.empty()) return std::nullopt;
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ' ';
    out += id;
  }
  return out;
}

Entry FromRow(const db::Row& r) {
  Entry e;
  e.seq = r.Int(0);
  e.at = r.Int(1);
  e.user_id = r.Text(2);
  e.role = r.Text(3);
  e.centre_id = r.OptText(4);
  e.action = r.Text(5);
  e.record_type = r.Text(6);
  e.record_id = r.Text(7);
  e.record_centre_id = r.OptText(8);
  e.prev_hash = r.Text(9);
  e.hash = r.Text(10);
  if (auto ids = r.OptText(11)) e.record_ids = SplitIds(*ids);
  return e;
}

class SqlStore final : public Store {
 public:
  explicit SqlStore(db::Database& db) : db_(db) {}

  Result<std::vector<Entry>> List(const Filter& f, int limit) override {
    std::vector<Entry> out;
    FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
      std::vector<db::Value> params = {db::Opt(f.record_type), db::Opt(f.user_id), db::Opt(f.from),
                                       db::Opt(f.until),       db::Opt(f.centre),  db::Opt(f.before),
                                       std::int64_t{limit}};
      const db::Query* query = f.with_labels ? &kListLabelled : &kList;
      if (f.record_id) {
        params.emplace_back(*f.record_id);
        query = f.with_labels ? &kListOfRecordLabelled : &kListOfRecord;
      }
      auto rows = FD_TRY(s.Query(*query, params));
      for (const auto& r : rows) {
        Entry e = FromRow(r);
        if (f.with_labels) {
          e.user_name = r.OptText(12);
          e.record_label = r.OptText(13);
        }
        out.push_back(std::move(e));
      }
      return {};
    }));
    return out;
  }

  Status Walk(const std::function<bool(const Entry&)>& visit, std::int64_t& head_seq,
              std::string& head_hash) override {
    // One Read: on SQLite one snapshot, so entries appended meanwhile are not half seen. On
    // PostgreSQL the head is read first; entries appended later only extend the chain, and
    // Finish compares with the head read here, so a concurrent append is never a false alarm.
    return db_.Read([&](db::Session& s) -> Status {
      auto head = FD_TRY(s.One(kReadHead, {}));
      head_seq = head.Int(0);
      head_hash = head.Text(1);
      std::int64_t after = 0;
      while (after < head_seq) {
        auto rows = FD_TRY(s.Query(kBatch, {after, kWalkBatch}));
        if (rows.empty()) break;
        for (const auto& r : rows) {
          Entry e = FromRow(r);
          if (e.seq > head_seq) return {};
          if (!visit(e)) return {};
          after = e.seq;
        }
      }
      return {};
    });
  }

 private:
  db::Database& db_;
};

}  // namespace

std::unique_ptr<Store> MakeSqlStore(db::Database& db) { return std::make_unique<SqlStore>(db); }

Status AppendEntry(db::Session& tx, Entry e) { return AppendEntries(tx, std::span<Entry>(&e, 1)); }

Status AppendEntries(db::Session& tx, std::span<Entry> entries) {
  if (entries.empty()) return {};
  auto head = FD_TRY(tx.One(kLockHead, {}));
  std::int64_t seq = head.Int(0);
  const std::int64_t before = seq;
  std::string prev = head.Text(1);
  const std::int64_t indexed = head.IsNull(2) ? seq : head.Int(2);
  const bool one_statement = tx.backend() == db::Backend::kPostgres;
  boost::json::array rows;  // PostgreSQL: the entries for kAppendPg
  for (auto& e : entries) {
    e.seq = ++seq;
    e.prev_hash = prev;
    e.hash = ChainHash(e.prev_hash, e);
    prev = e.hash;
    const auto ids = JoinIds(e.record_ids);
    if (one_statement) {
      auto opt = [](const std::optional<std::string>& v) { return v ? boost::json::value(*v) : boost::json::value(nullptr); };
      // Numbers as text: ->> answers them as they were written, and the casts read them back.
      rows.push_back(boost::json::array{std::to_string(e.seq), std::to_string(e.at), e.user_id, e.role, opt(e.centre_id),
                                        e.action, e.record_type, e.record_id, opt(e.record_centre_id), e.prev_hash,
                                        e.hash, opt(ids)});
    } else {
      FD_TRY(tx.Exec(kInsert, {e.seq, e.at, e.user_id, e.role, db::Opt(e.centre_id), e.action, e.record_type,
                               e.record_id, db::Opt(e.record_centre_id), e.prev_hash, e.hash, db::Opt(ids)}));
    }
  }
  // The index, once kIndexEvery entries wait: one row per record named in indexed+1..seq.
  std::string records = "[]";
  std::int64_t new_indexed = indexed;
  if (seq - indexed >= kIndexEvery) {
    std::vector<std::string> named;
    if (before > indexed) {
      for (const auto& r : FD_TRY(tx.Query(kUnindexed, {indexed, before}))) {
        for (auto& id : SplitIds(r.Text(0))) named.push_back(std::move(id));
      }
    }
    for (const auto& e : entries) named.insert(named.end(), e.record_ids.begin(), e.record_ids.end());
    std::sort(named.begin(), named.end());
    named.erase(std::unique(named.begin(), named.end()), named.end());
    records.clear();
    for (const auto& id : named) {
      records += records.empty() ? '[' : ',';
      AppendJsonString(records, id);
    }
    records += records.empty() ? "[]" : "]";
    new_indexed = seq;
  }
  if (one_statement) {
    FD_TRY(tx.Exec(kAppendPg, {boost::json::serialize(rows), records, seq, prev, -(indexed + 1), new_indexed}));
    return {};
  }
  if (records != "[]") FD_TRY(tx.Exec(kInsertRecords, {records, -(indexed + 1), seq}));
  FD_TRY(tx.Exec(kUpdateHead, {seq, prev, new_indexed}));
  return {};
}

std::span<const db::Migration> StoreMigrations() { return kMigrations; }

}  // namespace fairdesk::audit
