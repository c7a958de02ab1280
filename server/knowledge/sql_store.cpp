#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "knowledge/search.hpp"
#include "knowledge/store.hpp"

namespace fairdesk::knowledge {
namespace {

// 500: items, translations, revisions, suggestions. 501: the search index (a word index per
// dialect: FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL, both over pre-normalised terms).
constexpr std::string_view kContentSql = R"SQL(
CREATE TABLE knowledge_items (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  topic TEXT NOT NULL,
  tags TEXT NOT NULL,
  audience TEXT NOT NULL,
  source_language TEXT NOT NULL,
  review_date TEXT,
  case_ref TEXT,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX knowledge_items_updated ON knowledge_items (updated_at, id);
CREATE INDEX knowledge_items_review ON knowledge_items (review_date);
CREATE TABLE knowledge_translations (
  id TEXT PRIMARY KEY,
  item_id TEXT NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
  language TEXT NOT NULL,
  status TEXT NOT NULL,
  current_revision BIGINT NOT NULL,
  published_revision BIGINT,
  source_revision BIGINT,
  last_major_revision BIGINT NOT NULL,
  submitted_by TEXT,
  reviewed_by TEXT,
  publish_on TEXT,
  archive_on TEXT,
  published_at BIGINT,
  updated_at BIGINT NOT NULL,
  UNIQUE (item_id, language)
);
CREATE INDEX knowledge_translations_status ON knowledge_translations (status);
CREATE INDEX knowledge_translations_publish_on ON knowledge_translations (publish_on);
CREATE INDEX knowledge_translations_archive_on ON knowledge_translations (archive_on);
CREATE TABLE knowledge_revisions (
  translation_id TEXT NOT NULL REFERENCES knowledge_translations(id) ON DELETE CASCADE,
  number BIGINT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  note TEXT NOT NULL,
  major INTEGER NOT NULL,
  author TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  source_revision BIGINT,
  PRIMARY KEY (translation_id, number)
);
CREATE TABLE knowledge_suggestions (
  id TEXT PRIMARY KEY,
  item_id TEXT NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
  language TEXT,
  author TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  resolved_by TEXT,
  resolved_at BIGINT
);
CREATE INDEX knowledge_suggestions_open ON knowledge_suggestions (resolved_at, created_at);
)SQL";

constexpr db::Migration kMigrations[] = {
    {500, "knowledge content", kContentSql, {}},
    {501, "knowledge search index", R"SQL(
CREATE TABLE knowledge_docs (
  doc_no BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  translation_id TEXT NOT NULL UNIQUE REFERENCES knowledge_translations(id) ON DELETE CASCADE,
  item_id TEXT NOT NULL,
  language TEXT NOT NULL,
  type TEXT NOT NULL,
  topic TEXT NOT NULL,
  audience TEXT NOT NULL,
  title TEXT NOT NULL,
  body_plain TEXT NOT NULL,
  title_terms TEXT NOT NULL,
  body_terms TEXT NOT NULL,
  terms TSVECTOR NOT NULL
);
CREATE INDEX knowledge_docs_terms ON knowledge_docs USING GIN (terms);
)SQL",
     R"SQL(
CREATE TABLE knowledge_docs (
  doc_no INTEGER PRIMARY KEY,
  translation_id TEXT NOT NULL UNIQUE REFERENCES knowledge_translations(id) ON DELETE CASCADE,
  item_id TEXT NOT NULL,
  language TEXT NOT NULL,
  type TEXT NOT NULL,
  topic TEXT NOT NULL,
  audience TEXT NOT NULL,
  title TEXT NOT NULL,
  body_plain TEXT NOT NULL,
  title_terms TEXT NOT NULL,
  body_terms TEXT NOT NULL
);
CREATE VIRTUAL TABLE knowledge_fts USING fts5(terms, tokenize = 'ascii', detail = 'none');
)SQL"},
    // 502: the filters (language, type, topic, audience) become words of the index too, so the
    // word index answers exactly the candidates that pass them (FilterTokens below); the rows
    // indexed so far get them here. PostgreSQL keeps the terms and texts out of the heap row
    // (toast_tuple_target), so that walking the matches reads small rows.
    // PostgreSQL: the tsvector also gets the prefix lexemes "p*" of every term (search.hpp,
    // PrefixLexemes), its GIN index answering a prefix query from one posting list.
    {502, "knowledge search filters and prefixes in the word index", R"SQL(
ALTER TABLE knowledge_docs SET (toast_tuple_target = 128);
UPDATE knowledge_docs SET terms = array_to_tsvector(ARRAY(
  SELECT t FROM unnest(string_to_array(title_terms || ' ' || body_terms, ' ')) t WHERE t <> ''
  UNION
  SELECT left(t, n) || '*' FROM unnest(string_to_array(title_terms || ' ' || body_terms, ' ')) t,
    generate_series(2, least(length(t), 12)) n WHERE t <> ''
  UNION
  SELECT unnest(ARRAY[
    '0kl' || encode(convert_to(language, 'UTF8'), 'hex'), '0kt' || encode(convert_to(type, 'UTF8'), 'hex'),
    '0kp' || encode(convert_to(topic, 'UTF8'), 'hex'), '0ka' || encode(convert_to(audience, 'UTF8'), 'hex')])));
)SQL",
     // SQLite also keeps prefix indexes of 2 to 12 characters: a prefix query then reads one
     // list of rows, in row order, and stops at the limit, instead of merging the row lists of
     // every word with that prefix first (30 ms of CPU for a query of 12 prefixes over 60,000
     // texts, against 1 ms). Longer prefixes are rare and match few words.
     R"SQL(
DROP TABLE knowledge_fts;
CREATE VIRTUAL TABLE knowledge_fts USING fts5(terms, tokenize = 'ascii', detail = 'none',
  prefix = '2 3 4 5 6 7 8 9 10 11 12');
INSERT INTO knowledge_fts (rowid, terms)
SELECT doc_no, '0kl' || lower(hex(language)) || ' 0kt' || lower(hex(type)) || ' 0kp' || lower(hex(topic)) ||
  ' 0ka' || lower(hex(audience)) || ' ' || title_terms || ' ' || body_terms FROM knowledge_docs;
)SQL"},
    // 503: attachments of a translation; name and content sealed (documents' encryption at rest),
    // the content in the last column so that lists never read it.
    {503, "knowledge attachments", R"SQL(
CREATE TABLE knowledge_attachments (
  id TEXT PRIMARY KEY,
  item_id TEXT NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
  language TEXT NOT NULL,
  filename_sealed BYTEA NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  content_sealed BYTEA NOT NULL
);
CREATE INDEX knowledge_attachments_item ON knowledge_attachments (item_id, language, created_at, id);
)SQL",
     R"SQL(
CREATE TABLE knowledge_attachments (
  id TEXT PRIMARY KEY,
  item_id TEXT NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
  language TEXT NOT NULL,
  filename_sealed BLOB NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  content_sealed BLOB NOT NULL
);
CREATE INDEX knowledge_attachments_item ON knowledge_attachments (item_id, language, created_at, id);
)SQL"},
    // 504, PostgreSQL: the word index moves to a narrow table of its own (knowledge_match: row
    // number and tsvector, like SQLite's knowledge_fts; the tsvector always out of line), so that finding the candidates of a
    // common word reads the GIN index and a few hundred small heap pages instead of walking
    // knowledge_docs and decompressing a tsvector per row (150 ms for a common word over 60,000
    // texts). The ranking columns stay in the knowledge_docs row (STORAGE MAIN, lz4), so reading
    // the 1,000 candidates shown to the ranking needs no TOAST lookups; the texts stay out of line.
    // SQLite already keeps its word index apart (knowledge_fts): nothing changes there.
    {504, "knowledge word index in a narrow table", R"SQL(
CREATE TABLE knowledge_match (
  doc_no BIGINT PRIMARY KEY REFERENCES knowledge_docs(doc_no) ON DELETE CASCADE,
  terms TSVECTOR NOT NULL
) WITH (toast_tuple_target = 128);
INSERT INTO knowledge_match (doc_no, terms) SELECT doc_no, terms FROM knowledge_docs;
CREATE INDEX knowledge_match_terms ON knowledge_match USING GIN (terms);
ALTER TABLE knowledge_docs DROP COLUMN terms;
ALTER TABLE knowledge_docs ALTER COLUMN title SET STORAGE MAIN, ALTER COLUMN title_terms SET STORAGE MAIN,
  ALTER COLUMN body_terms SET STORAGE MAIN, ALTER COLUMN title_terms SET COMPRESSION lz4,
  ALTER COLUMN body_terms SET COMPRESSION lz4;
UPDATE knowledge_docs SET title = title || '', title_terms = title_terms || '', body_terms = body_terms || '';
ANALYZE knowledge_match;
ANALYZE knowledge_docs;
)SQL",
     "SELECT 1;"},
    // 505, PostgreSQL: the candidates' row numbers from one function whose settings hold for its
    // own query only (the GIN bitmap, never a walk of the primary key or the whole table; see
    // kCandidates). Setting and resetting them around the query took two more round trips per
    // search (and the reset read pg_settings). SQLite: nothing to do.
    {505, "knowledge candidates function", R"SQL(
CREATE FUNCTION knowledge_candidate_nos(q TSQUERY, n BIGINT) RETURNS TABLE (doc_no BIGINT)
  LANGUAGE sql STABLE ROWS 1000
  SET enable_indexscan = off SET enable_seqscan = off
AS $$ SELECT m.doc_no FROM knowledge_match m WHERE m.terms @@ q ORDER BY m.doc_no LIMIT n $$;
)SQL",
     "SELECT 1;"},
};

// The index words of a document's filter values: a marker no normalised text word has (text
// words are never written with a leading "0k" and a hex tail in practice, and the candidate
// query checks the filter columns again anyway) and the value's bytes in hex.
std::string FilterToken(std::string_view marker, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "0k";
  out += marker;
  for (unsigned char c : value) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string FilterTokens(std::string_view language, std::string_view type, std::string_view topic,
                         std::string_view audience) {
  return FilterToken("l", language) + ' ' + FilterToken("t", type) + ' ' + FilterToken("p", topic) + ' ' +
         FilterToken("a", audience);
}

#define FD_ITEM_COLS "id, type, topic, tags, audience, source_language, review_date, case_ref, created_at, created_by, updated_at, version"
#define FD_TR_COLS                                                                                                  \
  "id, item_id, language, status, current_revision, published_revision, source_revision, last_major_revision, " \
  "submitted_by, reviewed_by, publish_on, archive_on, published_at, updated_at"
#define FD_DOC_COLS "translation_id, item_id, language, type, topic, audience, title, body_plain, title_terms, body_terms"

constexpr db::Query kInsertItem{"knowledge.insert_item",
                                "INSERT INTO knowledge_items (" FD_ITEM_COLS
                                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"};
constexpr db::Query kUpdateItem{
    "knowledge.update_item",
    "UPDATE knowledge_items SET type = $2, topic = $3, tags = $4, audience = $5, review_date = $6, updated_at = $7, "
    "version = $8 WHERE id = $1 AND version = $9"};
constexpr db::Query kGetItem{"knowledge.get_item", "SELECT " FD_ITEM_COLS " FROM knowledge_items WHERE id = $1"};
constexpr db::Query kListItems{"knowledge.list_items", "SELECT " FD_ITEM_COLS
                               " FROM knowledge_items ORDER BY updated_at DESC, id LIMIT $1 OFFSET $2"};
constexpr db::Query kCountItems{"knowledge.count_items", "SELECT COUNT(*) FROM knowledge_items"};
constexpr db::Query kReviewDue{"knowledge.review_due",
                               "SELECT " FD_ITEM_COLS
                               " FROM knowledge_items WHERE review_date IS NOT NULL AND review_date < $1 "
                               "ORDER BY review_date, id"};

constexpr db::Query kInsertTr{"knowledge.insert_translation",
                              "INSERT INTO knowledge_translations (" FD_TR_COLS
                              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"};
constexpr db::Query kUpdateTr{
    "knowledge.update_translation",
    "UPDATE knowledge_translations SET status = $2, current_revision = $3, published_revision = $4, "
    "source_revision = $5, last_major_revision = $6, submitted_by = $7, reviewed_by = $8, publish_on = $9, "
    "archive_on = $10, published_at = $11, updated_at = $12 WHERE id = $1 AND current_revision = $13"};
constexpr db::Query kTrOf{"knowledge.translations_of",
                          "SELECT " FD_TR_COLS " FROM knowledge_translations WHERE item_id = $1 ORDER BY language"};
constexpr db::Query kPublishedTr{
    "knowledge.published_translations",
    "SELECT t.id, t.item_id, t.language, t.status, t.current_revision, t.published_revision, t.source_revision, "
    "t.last_major_revision, t.submitted_by, t.reviewed_by, t.publish_on, t.archive_on, t.published_at, t.updated_at "
    "FROM knowledge_translations t JOIN knowledge_items i ON i.id = t.item_id "
    "WHERE t.published_revision IS NOT NULL AND ($1::TEXT IS NULL OR i.audience = $1) ORDER BY t.item_id, t.language",
    "SELECT t.id, t.item_id, t.language, t.status, t.current_revision, t.published_revision, t.source_revision, "
    "t.last_major_revision, t.submitted_by, t.reviewed_by, t.publish_on, t.archive_on, t.published_at, t.updated_at "
    "FROM knowledge_translations t JOIN knowledge_items i ON i.id = t.item_id "
    "WHERE t.published_revision IS NOT NULL AND ($1 IS NULL OR i.audience = $1) ORDER BY t.item_id, t.language"};
constexpr db::Query kInReview{"knowledge.in_review", "SELECT " FD_TR_COLS
                              " FROM knowledge_translations WHERE status = 'in_review' ORDER BY updated_at, id"};
// Two index ranges (every search asks this first); ordered and deduplicated by the caller, since
// an ORDER BY here made SQLite walk every translation in id order instead.
constexpr db::Query kDue{"knowledge.due", "SELECT " FD_TR_COLS
                         " FROM knowledge_translations WHERE publish_on <= $1 UNION ALL SELECT " FD_TR_COLS
                         " FROM knowledge_translations WHERE archive_on <= $1"};

constexpr db::Query kInsertRev{"knowledge.insert_revision",
                               "INSERT INTO knowledge_revisions (translation_id, number, title, body, note, major, "
                               "author, created_at, source_revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
constexpr db::Query kGetRev{"knowledge.get_revision",
                            "SELECT translation_id, number, title, body, note, major, author, created_at, "
                            "source_revision FROM knowledge_revisions WHERE translation_id = $1 AND number = $2"};
constexpr db::Query kRevs{"knowledge.revisions",
                          "SELECT translation_id, number, title, '', note, major, author, created_at, source_revision "
                          "FROM knowledge_revisions WHERE translation_id = $1 ORDER BY number DESC"};
constexpr db::Query kAuthorsSince{"knowledge.authors_since",
                                  "SELECT DISTINCT author FROM knowledge_revisions WHERE translation_id = $1 AND "
                                  "number > $2 ORDER BY author"};

constexpr db::Query kInsertSug{"knowledge.insert_suggestion",
                               "INSERT INTO knowledge_suggestions (id, item_id, language, author, body, created_at) "
                               "VALUES ($1, $2, $3, $4, $5, $6)"};
constexpr db::Query kSugs{"knowledge.suggestions",
                          "SELECT id, item_id, language, author, body, created_at, resolved_by, resolved_at FROM "
                          "knowledge_suggestions WHERE ($1 = 0 OR resolved_at IS NULL) ORDER BY created_at DESC, id"};
constexpr db::Query kResolveSug{"knowledge.resolve_suggestion",
                                "UPDATE knowledge_suggestions SET resolved_by = $2, resolved_at = $3 WHERE id = $1 "
                                "AND resolved_at IS NULL"};

constexpr db::Query kDocNo{"knowledge.doc_no", "SELECT doc_no FROM knowledge_docs WHERE translation_id = $1"};
constexpr db::Query kDeleteDoc{"knowledge.delete_doc", "DELETE FROM knowledge_docs WHERE translation_id = $1"};
constexpr db::Query kDeleteFts{"knowledge.delete_fts", "DELETE FROM knowledge_fts WHERE rowid = $1"};
constexpr db::Query kInsertDoc{
    "knowledge.insert_doc",
    "INSERT INTO knowledge_docs (" FD_DOC_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING doc_no"};
// The word index: FTS5 on SQLite, knowledge_match (GIN over a tsvector) on PostgreSQL.
constexpr db::Query kInsertFts{"knowledge.insert_fts",
                               "INSERT INTO knowledge_match (doc_no, terms) VALUES ($1, "
                               "array_to_tsvector(string_to_array($2, ' ')))",
                               "INSERT INTO knowledge_fts (rowid, terms) VALUES ($1, $2)"};
// Filters: NULL means any; the query text already requires their index words, so the word index
// answers only rows that pass (the columns are checked again, cheaply, on the rows it answers).
// Both databases cut the same set: the first `limit` matches in doc_no order. SQLite: the word index
// answers row ids only, in row id order, and stops at `limit`; only those rows of knowledge_docs
// are read (joining the word index to knowledge_docs instead read and sorted every match).
constexpr db::Query kCandidates{
    "knowledge.candidates",
    "SELECT d.translation_id, d.item_id, d.language, d.type, d.topic, d.audience, d.title, '', "
    "d.title_terms, d.body_terms FROM knowledge_candidate_nos($1::tsquery, $6) c "
    "JOIN knowledge_docs d ON d.doc_no = c.doc_no "
    "WHERE ($2::TEXT IS NULL OR d.type = $2) AND ($3::TEXT IS NULL OR d.topic = $3) "
    "AND ($4::TEXT IS NULL OR d.language = $4) AND ($5::TEXT IS NULL OR d.audience = $5)",
    "SELECT d.translation_id, d.item_id, d.language, d.type, d.topic, d.audience, d.title, '', "
    "d.title_terms, d.body_terms FROM knowledge_docs d "
    "WHERE d.doc_no IN (SELECT rowid FROM knowledge_fts WHERE knowledge_fts MATCH $1 ORDER BY rowid LIMIT $6) "
    "AND ($2 IS NULL OR d.type = $2) AND ($3 IS NULL OR d.topic = $3) "
    "AND ($4 IS NULL OR d.language = $4) AND ($5 IS NULL OR d.audience = $5) ORDER BY d.doc_no"};
// PostgreSQL: the matches always come from the GIN index (a bitmap of every match, of which the
// first `limit` by row number are kept; the rows come in no particular order, the ranking orders
// them). For a common word the planner prefers walking the primary key in order, testing the
// tsquery on each row, which decompresses a tsvector per row (150 ms for a common word over
// 60,000 texts, against 5-15 ms from the bitmap), or reading the whole table; the function
// knowledge_candidate_nos (migration 505) switches both off for its own query only.
// The texts of the results shown (a JSON array of translation ids), for their snippets.
constexpr db::Query kBodiesPlain{
    "knowledge.bodies_plain",
    "SELECT translation_id, body_plain FROM knowledge_docs WHERE translation_id IN "
    "(SELECT jsonb_array_elements_text($1::jsonb))",
    "SELECT translation_id, body_plain FROM knowledge_docs WHERE translation_id IN (SELECT value FROM json_each($1))"};
#define FD_ATT_COLS "id, item_id, language, filename_sealed, content_type, size_bytes, created_by, created_at"
constexpr db::Query kInsertAtt{"knowledge.insert_attachment",
                               "INSERT INTO knowledge_attachments (" FD_ATT_COLS
                               ", content_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
constexpr db::Query kAttsOf{"knowledge.attachments_of", "SELECT " FD_ATT_COLS
                            ", NULL FROM knowledge_attachments WHERE item_id = $1 ORDER BY language, created_at, id"};
constexpr db::Query kGetAtt{"knowledge.get_attachment",
                            "SELECT " FD_ATT_COLS ", content_sealed FROM knowledge_attachments WHERE id = $1"};
constexpr db::Query kUpdateAttContent{"knowledge.update_attachment_content",
                                      "UPDATE knowledge_attachments SET content_sealed = $2, size_bytes = $3 WHERE id = $1"};
constexpr db::Query kDeleteAtt{"knowledge.delete_attachment", "DELETE FROM knowledge_attachments WHERE id = $1"};
constexpr db::Query kBodyPlain{"knowledge.body_plain", "SELECT body_plain FROM knowledge_docs WHERE translation_id = $1"};
constexpr db::Query kCountDocs{"knowledge.count_docs", "SELECT COUNT(*) FROM knowledge_docs"};

std::string TagsJson(const std::vector<std::string>& tags) {
  boost::json::array a;
  for (const auto& t : tags) a.emplace_back(t);
  return boost::json::serialize(a);
}

std::vector<std::string> TagsFrom(const std::string& s) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(s, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
  }
  return out;
}

Item ItemFrom(const db::Row& r) {
  Item i;
  i.id = r.Text(0);
  i.type = r.Text(1);
  i.topic = r.Text(2);
  i.tags = TagsFrom(r.Text(3));
  i.audience = r.Text(4);
  i.source_language = r.Text(5);
  i.review_date = r.OptText(6);
  i.case_ref = r.OptText(7);
  i.created_at = r.Int(8);
  i.created_by = r.Text(9);
  i.updated_at = r.Int(10);
  i.version = r.Int(11);
  return i;
}

Translation TrFrom(const db::Row& r) {
  Translation t;
  t.id = r.Text(0);
  t.item_id = r.Text(1);
  t.language = r.Text(2);
  t.status = r.Text(3);
  t.current_revision = r.Int(4);
  t.published_revision = r.OptInt(5);
  t.source_revision = r.OptInt(6);
  t.last_major_revision = r.Int(7);
  t.submitted_by = r.OptText(8);
  t.reviewed_by = r.OptText(9);
  t.publish_on = r.OptText(10);
  t.archive_on = r.OptText(11);
  t.published_at = r.OptInt(12);
  t.updated_at = r.Int(13);
  return t;
}

Revision RevFrom(const db::Row& r) {
  Revision v;
  v.translation_id = r.Text(0);
  v.number = r.Int(1);
  v.title = r.Text(2);
  v.body = r.Text(3);
  v.note = r.Text(4);
  v.major = r.Bool(5);
  v.author = r.Text(6);
  v.created_at = r.Int(7);
  v.source_revision = r.OptInt(8);
  return v;
}

db::Blob ToBlob(std::string_view bytes) { return db::Blob{std::vector<unsigned char>(bytes.begin(), bytes.end())}; }
std::string FromBlob(const db::Blob& b) { return std::string(b.bytes.begin(), b.bytes.end()); }

StoredAttachment AttFrom(const db::Row& r) {
  StoredAttachment a;
  a.meta.id = r.Text(0);
  a.meta.item_id = r.Text(1);
  a.meta.language = r.Text(2);
  a.filename_sealed = FromBlob(r.Bytes(3));
  a.meta.content_type = r.Text(4);
  a.meta.size_bytes = r.Int(5);
  a.meta.created_by = r.Text(6);
  a.meta.created_at = r.Int(7);
  if (!r.IsNull(8)) a.content_sealed = FromBlob(r.Bytes(8));
  return a;
}

IndexDoc DocFrom(const db::Row& r) {
  return IndexDoc{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4),
                  r.Text(5), r.Text(6), r.Text(7), r.Text(8), r.Text(9)};
}

std::vector<db::Value> TrValues(const Translation& t) {
  return {t.id,
          t.item_id,
          t.language,
          t.status,
          t.current_revision,
          db::Opt(t.published_revision),
          db::Opt(t.source_revision),
          t.last_major_revision,
          db::Opt(t.submitted_by),
          db::Opt(t.reviewed_by),
          db::Opt(t.publish_on),
          db::Opt(t.archive_on),
          db::Opt(t.published_at),
          t.updated_at};
}

class SqlStore final : public Store {
 public:
  Status InsertItem(db::Session& s, const Item& i) override {
    FD_TRY(s.Exec(kInsertItem, {i.id, i.type, i.topic, TagsJson(i.tags), i.audience, i.source_language,
                                db::Opt(i.review_date), db::Opt(i.case_ref), i.created_at, i.created_by, i.updated_at,
                                i.version}));
    return {};
  }
  Result<bool> UpdateItem(db::Session& s, const Item& i, std::int64_t expected) override {
    return FD_TRY(s.Exec(kUpdateItem, {i.id, i.type, i.topic, TagsJson(i.tags), i.audience, db::Opt(i.review_date),
                                       i.updated_at, i.version, expected})) > 0;
  }
  Result<std::optional<Item>> GetItem(db::Session& s, std::string_view id) override {
    auto row = FD_TRY(s.MaybeOne(kGetItem, {std::string(id)}));
    if (!row) return std::optional<Item>{};
    return std::optional<Item>{ItemFrom(*row)};
  }
  Result<std::vector<Item>> ListItems(db::Session& s, int limit, std::int64_t offset) override {
    std::vector<Item> out;
    for (const auto& r : FD_TRY(s.Query(kListItems, {std::int64_t{limit}, offset}))) out.push_back(ItemFrom(r));
    return out;
  }
  Result<std::int64_t> CountItems(db::Session& s) override { return FD_TRY(s.One(kCountItems, {})).Int(0); }

  Status InsertTranslation(db::Session& s, const Translation& t) override {
    auto v = TrValues(t);
    FD_TRY(s.Exec(kInsertTr, v));
    return {};
  }
  Result<bool> UpdateTranslation(db::Session& s, const Translation& t, std::int64_t expected) override {
    std::vector<db::Value> v = {t.id,
                                t.status,
                                t.current_revision,
                                db::Opt(t.published_revision),
                                db::Opt(t.source_revision),
                                t.last_major_revision,
                                db::Opt(t.submitted_by),
                                db::Opt(t.reviewed_by),
                                db::Opt(t.publish_on),
                                db::Opt(t.archive_on),
                                db::Opt(t.published_at),
                                t.updated_at,
                                expected};
    return FD_TRY(s.Exec(kUpdateTr, v)) > 0;
  }
  Result<std::vector<Translation>> TranslationsOf(db::Session& s, std::string_view item_id) override {
    std::vector<Translation> out;
    for (const auto& r : FD_TRY(s.Query(kTrOf, {std::string(item_id)}))) out.push_back(TrFrom(r));
    return out;
  }
  Result<std::vector<Translation>> PublishedTranslations(db::Session& s, std::optional<std::string> audience) override {
    std::vector<Translation> out;
    for (const auto& r : FD_TRY(s.Query(kPublishedTr, {db::Opt(audience)}))) out.push_back(TrFrom(r));
    return out;
  }
  Result<std::vector<Translation>> InReview(db::Session& s) override {
    std::vector<Translation> out;
    for (const auto& r : FD_TRY(s.Query(kInReview, {}))) out.push_back(TrFrom(r));
    return out;
  }
  Result<std::vector<Translation>> Due(db::Session& s, std::string_view today) override {
    std::vector<Translation> out;
    for (const auto& r : FD_TRY(s.Query(kDue, {std::string(today)}))) out.push_back(TrFrom(r));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    out.erase(std::unique(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id == b.id; }), out.end());
    return out;
  }
  Result<std::vector<Item>> ReviewDateDue(db::Session& s, std::string_view today) override {
    std::vector<Item> out;
    for (const auto& r : FD_TRY(s.Query(kReviewDue, {std::string(today)}))) out.push_back(ItemFrom(r));
    return out;
  }

  Status InsertRevision(db::Session& s, const Revision& r) override {
    FD_TRY(s.Exec(kInsertRev, {r.translation_id, r.number, r.title, r.body, r.note, std::int64_t{r.major ? 1 : 0},
                               r.author, r.created_at, db::Opt(r.source_revision)}));
    return {};
  }
  Result<std::optional<Revision>> GetRevision(db::Session& s, std::string_view tid, std::int64_t number) override {
    auto row = FD_TRY(s.MaybeOne(kGetRev, {std::string(tid), number}));
    if (!row) return std::optional<Revision>{};
    return std::optional<Revision>{RevFrom(*row)};
  }
  Result<std::vector<Revision>> Revisions(db::Session& s, std::string_view tid) override {
    std::vector<Revision> out;
    for (const auto& r : FD_TRY(s.Query(kRevs, {std::string(tid)}))) out.push_back(RevFrom(r));
    return out;
  }
  Result<std::vector<std::string>> AuthorsSince(db::Session& s, std::string_view tid, std::int64_t after) override {
    std::vector<std::string> out;
    for (const auto& r : FD_TRY(s.Query(kAuthorsSince, {std::string(tid), after}))) out.push_back(r.Text(0));
    return out;
  }

  Status InsertSuggestion(db::Session& s, const Suggestion& g) override {
    FD_TRY(s.Exec(kInsertSug, {g.id, g.item_id, db::Opt(g.language), g.author, g.body, g.created_at}));
    return {};
  }
  Result<std::vector<Suggestion>> Suggestions(db::Session& s, bool open_only) override {
    std::vector<Suggestion> out;
    for (const auto& r : FD_TRY(s.Query(kSugs, {std::int64_t{open_only ? 1 : 0}}))) {
      out.push_back(Suggestion{r.Text(0), r.Text(1), r.OptText(2), r.Text(3), r.Text(4), r.Int(5), r.OptText(6),
                               r.OptInt(7)});
    }
    return out;
  }
  Result<bool> ResolveSuggestion(db::Session& s, std::string_view id, std::string_view by, std::int64_t at) override {
    return FD_TRY(s.Exec(kResolveSug, {std::string(id), std::string(by), at})) > 0;
  }

  Status Index(db::Session& s, std::string_view tid, const std::optional<IndexDoc>& doc) override {
    bool sqlite = s.backend() == db::Backend::kSqlite;
    if (sqlite) {
      if (auto row = FD_TRY(s.MaybeOne(kDocNo, {std::string(tid)}))) FD_TRY(s.Exec(kDeleteFts, {row->Int(0)}));
    }
    FD_TRY(s.Exec(kDeleteDoc, {std::string(tid)}));
    if (!doc) return {};
    // The word index gets the terms without their counts (search.hpp, IndexWords).
    const std::string title_words = IndexWords(doc->title_terms), body_words = IndexWords(doc->body_terms);
    std::string terms = FilterTokens(doc->language, doc->type, doc->topic, doc->audience);
    if (!title_words.empty()) {
      terms += ' ';
      terms += title_words;
    }
    if (!body_words.empty()) {
      if (!terms.empty()) terms += ' ';
      terms += body_words;
    }
    std::vector<db::Value> v = {doc->translation_id, doc->item_id,    doc->language,    doc->type,
                                doc->topic,          doc->audience,   doc->title,       doc->body_plain,
                                doc->title_terms,    doc->body_terms};
    if (!sqlite) {
      // The prefix lexemes of every distinct term (FTS5 keeps its own prefix indexes).
      std::set<std::string, std::less<>> prefixes;
      for (auto* part : {&title_words, &body_words}) {
        std::string_view rest = *part;
        while (!rest.empty()) {
          auto sp = rest.find(' ');
          auto term = rest.substr(0, sp);
          if (!term.empty()) {
            for (auto& p : PrefixLexemes(term)) prefixes.insert(std::move(p));
          }
          rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
        }
      }
      for (const auto& p : prefixes) {
        terms += ' ';
        terms += p;
      }
    }
    auto row = FD_TRY(s.One(kInsertDoc, v));
    // The word index row (PostgreSQL: removed with its knowledge_docs row, ON DELETE CASCADE).
    FD_TRY(s.Exec(kInsertFts, {row.Int(0), terms}));
    return {};
  }
  Result<std::vector<IndexDoc>> Candidates(db::Session& s, std::string_view fts5, std::string_view tsquery,
                                           const CandidateFilter& f, int limit) override {
    bool sqlite = s.backend() == db::Backend::kSqlite;
    std::string match(sqlite ? fts5 : tsquery);
    auto require = [&](std::string_view marker, const std::optional<std::string>& value) {
      if (!value) return;
      auto token = FilterToken(marker, *value);
      match = sqlite ? "(" + match + ") AND \"" + token + "\"" : "(" + match + ") & '" + token + "'";
    };
    require("l", f.language);
    require("t", f.type);
    require("p", f.topic);
    require("a", f.audience);
    auto rows = FD_TRY(s.Query(kCandidates, {match, db::Opt(f.type), db::Opt(f.topic), db::Opt(f.language),
                                             db::Opt(f.audience), std::int64_t{limit}}));
    std::vector<IndexDoc> out;
    for (const auto& r : rows) out.push_back(DocFrom(r));
    return out;
  }
  Result<std::string> BodyPlain(db::Session& s, std::string_view translation_id) override {
    auto row = FD_TRY(s.MaybeOne(kBodyPlain, {std::string(translation_id)}));
    return row ? row->Text(0) : std::string();
  }
  Result<std::vector<std::string>> BodiesPlain(db::Session& s, const std::vector<std::string>& ids) override {
    boost::json::array a;
    for (const auto& id : ids) a.emplace_back(id);
    std::map<std::string, std::string, std::less<>> by_id;
    for (const auto& r : FD_TRY(s.Query(kBodiesPlain, {boost::json::serialize(a)}))) by_id[r.Text(0)] = r.Text(1);
    std::vector<std::string> out;
    for (const auto& id : ids) {
      auto it = by_id.find(id);
      out.push_back(it == by_id.end() ? std::string() : it->second);
    }
    return out;
  }
  Status InsertAttachment(db::Session& s, const StoredAttachment& a) override {
    FD_TRY(s.Exec(kInsertAtt, {a.meta.id, a.meta.item_id, a.meta.language, ToBlob(a.filename_sealed), a.meta.content_type,
                               a.meta.size_bytes, a.meta.created_by, a.meta.created_at, ToBlob(a.content_sealed)}));
    return {};
  }
  Result<std::vector<StoredAttachment>> AttachmentsOf(db::Session& s, std::string_view item_id) override {
    std::vector<StoredAttachment> out;
    for (const auto& r : FD_TRY(s.Query(kAttsOf, {std::string(item_id)}))) out.push_back(AttFrom(r));
    return out;
  }
  Result<std::optional<StoredAttachment>> GetAttachment(db::Session& s, std::string_view id) override {
    auto row = FD_TRY(s.MaybeOne(kGetAtt, {std::string(id)}));
    if (!row) return std::optional<StoredAttachment>{};
    return std::optional<StoredAttachment>{AttFrom(*row)};
  }
  Result<bool> DeleteAttachment(db::Session& s, std::string_view id) override {
    return FD_TRY(s.Exec(kDeleteAtt, {std::string(id)})) > 0;
  }
  Status UpdateAttachmentContent(db::Session& s, std::string_view id, std::string_view content_sealed,
                                 std::int64_t size_bytes) override {
    FD_TRY(s.Exec(kUpdateAttContent, {std::string(id), ToBlob(content_sealed), size_bytes}));
    return {};
  }
  Result<std::int64_t> CountIndexed(db::Session& s) override { return FD_TRY(s.One(kCountDocs, {})).Int(0); }
};

}  // namespace

std::unique_ptr<Store> MakeSqlStore() { return std::make_unique<SqlStore>(); }
std::span<const db::Migration> Migrations() { return kMigrations; }

}  // namespace fairdesk::knowledge
