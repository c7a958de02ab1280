#include "ops/transfer.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include "audit/chain.hpp"
#include "platform/core/clock.hpp"

namespace fairdesk::ops {
namespace {

namespace json = boost::json;

constexpr std::string_view kFormat = "fairdesk-backup";
constexpr int kFormatVersion = 1;
constexpr std::int64_t kChunk = 1000;      // rows per catalog-ordered read
constexpr std::size_t kInsertBatch = 500;  // rows per write transaction of a restore or copy
constexpr std::size_t kRowsPerInsert = 100;  // rows per INSERT statement of a restore or copy
constexpr std::size_t kMaxParameters = 30000;  // per statement (SQLite allows 32,766)

// ---- The catalog ----

constexpr db::Query kTables{
    "transfer.tables",
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = "
    "'BASE TABLE' ORDER BY table_name",
    // Virtual tables (FTS5) and their shadow tables are search indexes of one dialect: skipped,
    // rebuilt by their module after a restore or copy (Derived::rebuild).
    "SELECT name FROM sqlite_master m WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND "
    "sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.type = 'table' "
    "AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND substr(m.name, 1, length(v.name) + 1) = v.name || '_') "
    "ORDER BY name"};
constexpr db::Query kColumns{
    "transfer.columns",
    "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND "
    "table_name = $1 ORDER BY ordinal_position",
    "SELECT name, type FROM pragma_table_info($1) ORDER BY cid"};
constexpr db::Query kForeignKeys{
    "transfer.foreign_keys",
    "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, af.attname FROM pg_constraint c "
    "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
    "JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1] "
    "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace",
    "SELECT m.name, f.\"from\", f.\"table\", f.\"to\" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f "
    "WHERE m.type = 'table'"};

struct Column {
  std::string name;
  bool blob = false;
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  // Foreign keys of the table onto itself (column -> referenced column), e.g. an organisation's
  // parent: rows are inserted parents first.
  std::vector<std::pair<std::string, std::string>> self_refs;
};

bool IsIdentifier(std::string_view s) {
  return !s.empty() && s.size() <= 63 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string Quoted(std::string_view id) { return "\"" + std::string(id) + "\""; }

bool IsBlobType(std::string type) {
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  return type == "blob" || type == "bytea";
}

// Tables ordered so that every table comes after the tables it refers to (ties by name).
Result<std::vector<Table>> ReadSchema(db::Session& s, const Derived& derived) {
  std::map<std::string, Table> tables;
  for (const auto& r : FD_TRY(s.Query(kTables, {}))) {
    const std::string name = r.Text(0);
    if (name == "schema_migrations") continue;  // bookkeeping of the migrations, rebuilt by them
    if (std::find(derived.tables.begin(), derived.tables.end(), name) != derived.tables.end()) continue;
    if (!IsIdentifier(name)) return Fail(Error::Internal("transfer: unexpected table name " + name));
    Table t;
    t.name = name;
    for (const auto& c : FD_TRY(s.Query(kColumns, {name}))) {
      if (!IsIdentifier(c.Text(0))) return Fail(Error::Internal("transfer: unexpected column name in " + name));
      t.columns.push_back({c.Text(0), IsBlobType(c.OptText(1).value_or(""))});
    }
    tables.emplace(name, std::move(t));
  }
  std::map<std::string, std::set<std::string>> parents;
  for (const auto& r : FD_TRY(s.Query(kForeignKeys, {}))) {
    const std::string from = r.Text(0), to = r.Text(2);
    if (!tables.contains(from) || !tables.contains(to)) continue;
    if (from == to) {
      tables[from].self_refs.emplace_back(r.Text(1), r.OptText(3).value_or("id"));
    } else {
      parents[from].insert(to);
    }
  }
  std::vector<Table> ordered;
  std::set<std::string> done;
  while (done.size() < tables.size()) {
    bool progress = false;
    for (auto& [name, t] : tables) {
      if (done.contains(name)) continue;
      const auto& ps = parents[name];
      if (std::all_of(ps.begin(), ps.end(), [&](const std::string& p) { return done.contains(p); })) {
        ordered.push_back(t);
        done.insert(name);
        progress = true;
      }
    }
    if (!progress) return Fail(Error::Internal("transfer: the foreign keys of the tables form a cycle"));
  }
  return ordered;
}

// ---- Reading a database in one snapshot ----

struct Sink {
  virtual ~Sink() = default;
  virtual Status Begin(const std::vector<int>& versions) = 0;
  virtual Status BeginTable(const Table& table) = 0;
  virtual Status Row(std::vector<db::Value> values) = 0;
  virtual Status EndTable(std::int64_t rows) = 0;
  virtual Status End() = 0;
};

// Runs `fn` in one read snapshot of `db`.
Status Snapshot(db::Database& db, const std::function<Status(db::Session&)>& fn) {
  return db.Read([&](db::Session& s) -> Status {
    if (s.backend() != db::Backend::kPostgres) return fn(s);  // SQLite's Read is one snapshot
    FD_TRY_VOID(s.ExecScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    Status st = fn(s);
    if (!st) {
      (void)s.ExecScript("ROLLBACK");
      return st;
    }
    return s.ExecScript("COMMIT");
  });
}

constexpr db::Query kApplied{"transfer.applied", "SELECT version FROM schema_migrations ORDER BY version"};

Status Export(db::Database& db, Sink& sink, const Derived& derived) {
  return Snapshot(db, [&](db::Session& s) -> Status {
    auto tables = FD_TRY(ReadSchema(s, derived));
    std::vector<int> versions;
    for (const auto& r : FD_TRY(s.Query(kApplied, {}))) versions.push_back(static_cast<int>(r.Int(0)));
    FD_TRY_VOID(sink.Begin(versions));
    const bool pg = s.backend() == db::Backend::kPostgres;
    for (const auto& t : tables) {
      FD_TRY_VOID(sink.BeginTable(t));
      std::string cols;
      for (const auto& c : t.columns) cols += ", " + Quoted(c.name);
      // Read in chunks in physical order (rowid / ctid), which is stable inside the snapshot.
      // The position's text has a name of its own: named `ctid`, it would be what ORDER BY ctid
      // sorts by, as text ("(10,1)" before "(9,9)"), and the next chunk would skip rows.
      const std::string sql = pg ? "SELECT ctid::text AS fd_position" + cols + " FROM " + Quoted(t.name) +
                                       " WHERE ctid > $1::tid ORDER BY ctid LIMIT $2"
                                 : "SELECT rowid" + cols + " FROM " + Quoted(t.name) +
                                       " WHERE rowid > $1 ORDER BY rowid LIMIT $2";
      const db::Query q{"transfer.read_table", sql};
      db::Value after = pg ? db::Value{std::string("(0,0)")} : db::Value{std::int64_t{-9223372036854775807LL}};
      std::int64_t count = 0;
      for (;;) {
        auto rows = FD_TRY(s.Query(q, {after, kChunk}));
        for (const auto& r : rows) {
          std::vector<db::Value> values;
          values.reserve(t.columns.size());
          for (std::size_t i = 0; i < t.columns.size(); ++i) {
            if (r.IsNull(i + 1)) {
              values.emplace_back(db::Null());
            } else if (t.columns[i].blob) {
              values.emplace_back(r.Bytes(i + 1));
            } else {
              values.emplace_back(r.Text(i + 1));
            }
          }
          FD_TRY_VOID(sink.Row(std::move(values)));
          ++count;
        }
        if (static_cast<std::int64_t>(rows.size()) < kChunk) break;
        after = pg ? db::Value{rows.back().Text(0)} : db::Value{rows.back().Int(0)};
      }
      FD_TRY_VOID(sink.EndTable(count));
    }
    return sink.End();
  });
}

// ---- Writing into an empty database ----

Status CheckEmpty(db::Database& target) {
  return target.Read([&](db::Session& s) -> Status {
    if (!FD_TRY(s.Query(kTables, {})).empty()) {
      return Fail(Error::Conflict(
          "the target database is not empty (it has tables); restore and copy fill only a new, empty database"));
    }
    return {};
  });
}

class DatabaseSink final : public Sink {
 public:
  DatabaseSink(db::Database& target, std::span<const db::Migration> migrations, const Derived& derived)
      : target_(target), migrations_(migrations), derived_(derived) {}

  TransferReport report;

  Status Begin(const std::vector<int>& versions) override {
    // The target gets exactly the source's schema first, then this binary's remaining migrations
    // after the data is in (a backup of an older version restores into a newer binary).
    std::vector<db::Migration> subset;
    for (int v : versions) {
      auto it = std::find_if(migrations_.begin(), migrations_.end(), [v](const auto& m) { return m.version == v; });
      if (it == migrations_.end()) {
        return Fail(Error::Conflict("the data comes from a newer fairdesk (schema version " + std::to_string(v) +
                                    " is unknown here); use that version or newer"));
      }
      subset.push_back(*it);
    }
    FD_TRY(db::Migrate(target_, subset));
    // Migrations insert some rows of their own (e.g. the audit chain's head); the copied rows
    // replace them. Children first.
    std::vector<Table> tables;
    FD_TRY_VOID(target_.Read([&](db::Session& s) -> Status {
      tables = FD_TRY(ReadSchema(s, Derived{}));  // derived tables are cleared too
      return {};
    }));
    FD_TRY_VOID(target_.Write([&](db::Session& s) -> Status {
      for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
        const std::string sql = "DELETE FROM " + Quoted(it->name);
        FD_TRY(s.Exec(db::Query{"transfer.clear", sql}, {}));
      }
      return {};
    }));
    for (auto& t : tables) target_tables_.emplace(t.name, std::move(t));
    return {};
  }

  Status BeginTable(const Table& table) override {
    auto it = target_tables_.find(table.name);
    if (it == target_tables_.end()) {
      return Fail(Error::Conflict("table " + table.name + " is not in the target's schema"));
    }
    table_ = table;
    table_.self_refs = it->second.self_refs;  // from the target's catalog (a backup file has none)
    target_blob_.clear();
    std::string cols, params;
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      const auto& name = table.columns[i].name;
      auto c = std::find_if(it->second.columns.begin(), it->second.columns.end(),
                            [&](const Column& tc) { return tc.name == name; });
      if (c == it->second.columns.end()) {
        return Fail(Error::Conflict("column " + table.name + "." + name + " is not in the target's schema"));
      }
      target_blob_.push_back(c->blob);
      cols += (i ? ", " : "") + Quoted(name);
    }
    insert_prefix_ = "INSERT INTO " + Quoted(table.name) + " (" + cols + ") VALUES ";
    insert_sql_.clear();
    return {};
  }

  Status Row(std::vector<db::Value> values) override {
    if (values.size() != target_blob_.size()) return Fail(Error::Invalid("row", "has the wrong number of values"));
    for (std::size_t i = 0; i < values.size(); ++i) {
      // A value's form follows the target's column type (SQLite may hold text in a BLOB column).
      if (target_blob_[i]) {
        if (auto* s = std::get_if<std::string>(&values[i])) values[i] = db::Blob{{s->begin(), s->end()}};
      } else if (auto* b = std::get_if<db::Blob>(&values[i])) {
        values[i] = std::string(b->bytes.begin(), b->bytes.end());
      }
    }
    pending_.push_back(std::move(values));
    if (table_.self_refs.empty() && pending_.size() >= kInsertBatch) return Flush();
    return {};
  }

  Status EndTable(std::int64_t rows) override {
    if (!table_.self_refs.empty()) OrderParentsFirst();
    FD_TRY_VOID(Flush());
    report.per_table.emplace_back(table_.name, rows);
    report.rows += rows;
    ++report.tables;
    return {};
  }

  Status End() override {
    FD_TRY(db::Migrate(target_, migrations_));
    if (derived_.rebuild) FD_TRY_VOID(derived_.rebuild(target_));
    return {};
  }

 private:
  Status Flush() {
    if (pending_.empty()) return {};
    // Several rows per statement (one round trip to PostgreSQL for up to kRowsPerInsert rows
    // instead of one each), within SQLite's 32,766 parameters; the rows keep their order, and
    // foreign keys are checked at the end of each statement on both databases, so a row may
    // refer to one before it in the same statement (self-referencing tables).
    const std::size_t columns = std::max<std::size_t>(1, target_blob_.size());
    const std::size_t per_statement = std::max<std::size_t>(1, std::min(kRowsPerInsert, kMaxParameters / columns));
    FD_TRY_VOID(target_.Write([&](db::Session& s) -> Status {
      std::vector<db::Value> params;
      for (std::size_t first = 0; first < pending_.size(); first += per_statement) {
        const std::size_t n = std::min(per_statement, pending_.size() - first);
        params.clear();
        params.reserve(n * columns);
        for (std::size_t r = first; r < first + n; ++r) {
          for (auto& v : pending_[r]) params.push_back(std::move(v));
        }
        FD_TRY(s.Exec(db::Query{"transfer.insert", InsertSql(n)}, params));
      }
      return {};
    }));
    pending_.clear();
    return {};
  }

  // INSERT … VALUES ($1, …), (…), … for `rows` rows of the current table (made once per size).
  const std::string& InsertSql(std::size_t rows) {
    auto& sql = insert_sql_[rows];
    if (!sql.empty()) return sql;
    const std::size_t columns = target_blob_.size();
    sql = insert_prefix_;
    std::size_t n = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      sql += r ? ", (" : "(";
      for (std::size_t c = 0; c < columns; ++c) {
        sql += c ? ", $" : "$";
        sql += std::to_string(++n);
      }
      sql += ')';
    }
    return sql;
  }

  // Rows whose self-reference is NULL or points at a row already placed go first.
  void OrderParentsFirst() {
    std::vector<std::size_t> from, to;
    for (const auto& [f, t] : table_.self_refs) {
      for (std::size_t i = 0; i < table_.columns.size(); ++i) {
        if (table_.columns[i].name == f) from.push_back(i);
        if (table_.columns[i].name == t) to.push_back(i);
      }
    }
    if (from.size() != to.size()) return;
    std::set<std::string> placed;
    std::vector<std::vector<db::Value>> ordered, rest = std::move(pending_);
    bool progress = true;
    while (!rest.empty() && progress) {
      progress = false;
      std::vector<std::vector<db::Value>> later;
      for (auto& row : rest) {
        bool ready = true;
        for (std::size_t k = 0; k < from.size(); ++k) {
          const auto* ref = std::get_if<std::string>(&row[from[k]]);
          const auto* own = std::get_if<std::string>(&row[to[k]]);
          if (ref && !(own && *ref == *own) && !placed.contains(*ref)) ready = false;
        }
        if (ready) {
          for (std::size_t k = 0; k < to.size(); ++k) {
            if (const auto* own = std::get_if<std::string>(&row[to[k]])) placed.insert(*own);
          }
          ordered.push_back(std::move(row));
          progress = true;
        } else {
          later.push_back(std::move(row));
        }
      }
      rest = std::move(later);
    }
    for (auto& row : rest) ordered.push_back(std::move(row));  // the database will say what is wrong
    pending_ = std::move(ordered);
  }

  db::Database& target_;
  std::span<const db::Migration> migrations_;
  const Derived& derived_;
  std::map<std::string, Table> target_tables_;
  Table table_;
  std::vector<bool> target_blob_;
  std::string insert_prefix_;
  std::map<std::size_t, std::string> insert_sql_;  // by rows per statement
  std::vector<std::vector<db::Value>> pending_;
};

// ---- The backup file ----

std::string Base64(const std::vector<unsigned char>& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<std::vector<unsigned char>> FromBase64(std::string_view text) {
  std::vector<unsigned char> out(text.size());
  std::size_t len = 0;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return Fail(Error::Invalid("backup", "has a damaged binary value"));
  }
  out.resize(len);
  return out;
}

std::string Hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

class FileSink final : public Sink {
 public:
  explicit FileSink(std::ofstream& out) : out_(out) { crypto_hash_sha256_init(&hash_); }

  TransferReport report;

  Status Begin(const std::vector<int>& versions) override {
    json::array v;
    for (int x : versions) v.emplace_back(x);
    return Line(json::object{{"format", kFormat},
                             {"version", kFormatVersion},
                             {"created_at", clock::FormatRfc3339(clock::NowUnix())},
                             {"migrations", std::move(v)}});
  }
  Status BeginTable(const Table& t) override {
    json::array cols, blobs;
    for (const auto& c : t.columns) {
      cols.emplace_back(c.name);
      blobs.emplace_back(c.blob);
    }
    table_ = t.name;
    return Line(json::object{{"table", t.name}, {"columns", std::move(cols)}, {"blob", std::move(blobs)}});
  }
  Status Row(std::vector<db::Value> values) override {
    json::array row;
    row.reserve(values.size());
    for (const auto& v : values) {
      if (const auto* s = std::get_if<std::string>(&v)) {
        row.emplace_back(*s);
      } else if (const auto* b = std::get_if<db::Blob>(&v)) {
        row.emplace_back(json::object{{"b64", Base64(b->bytes)}});
      } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
        row.emplace_back(std::to_string(*i));
      } else {
        row.emplace_back(nullptr);
      }
    }
    return Line(row);
  }
  Status EndTable(std::int64_t rows) override {
    report.per_table.emplace_back(table_, rows);
    report.rows += rows;
    ++report.tables;
    return Line(json::object{{"end_table", table_}, {"rows", rows}});
  }
  Status End() override {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&hash_, digest);
    out_ << json::serialize(json::object{{"end", true}, {"tables", report.tables}, {"rows", report.rows},
                                         {"sha256", Hex(digest, sizeof digest)}})
         << "\n";
    out_.flush();
    if (!out_) return Fail(Error::Unavailable("could not write the backup file"));
    return {};
  }

 private:
  Status Line(const json::value& v) {
    std::string line = json::serialize(v);
    line += '\n';
    crypto_hash_sha256_update(&hash_, reinterpret_cast<const unsigned char*>(line.data()), line.size());
    out_ << line;
    if (!out_) return Fail(Error::Unavailable("could not write the backup file"));
    return {};
  }

  std::ofstream& out_;
  crypto_hash_sha256_state hash_;
  std::string table_;
};

Error Damaged(std::int64_t line, std::string_view what) {
  return Error::Invalid("backup", "line " + std::to_string(line) + ": " + std::string(what));
}

// Reads a backup file and feeds it to `sink` (may be null: only checks), calling `on_row` for
// each row with its table. Checks the checksum and the counts.
Status ReadBackup(const std::filesystem::path& in, Sink* sink,
                  const std::function<Status(const Table&, const std::vector<db::Value>&)>& on_row) {
  std::ifstream file(in, std::ios::binary);
  if (!file) return Fail(Error::NotFound("cannot open the backup file " + in.string()));
  crypto_hash_sha256_state hash;
  crypto_hash_sha256_init(&hash);
  std::string line;
  std::int64_t n = 0;
  bool have_header = false, ended = false, in_table = false;
  Table table;
  std::int64_t rows = 0;
  while (std::getline(file, line)) {
    ++n;
    if (ended) return Fail(Damaged(n, "data after the end of the backup"));
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec) return Fail(Damaged(n, "is not JSON (the file is damaged or cut off)"));
    if (v.is_object() && v.as_object().contains("end")) {
      unsigned char digest[crypto_hash_sha256_BYTES];
      crypto_hash_sha256_final(&hash, digest);
      const auto* sum = v.as_object().if_contains("sha256");
      if (!sum || !sum->is_string() || sum->as_string() != Hex(digest, sizeof digest)) {
        return Fail(Damaged(n, "the checksum does not match the contents"));
      }
      if (in_table) return Fail(Damaged(n, "a table is not finished"));
      ended = true;
      if (sink) FD_TRY_VOID(sink->End());
      continue;
    }
    line += '\n';
    crypto_hash_sha256_update(&hash, reinterpret_cast<const unsigned char*>(line.data()), line.size());
    if (!have_header) {
      const auto* o = v.if_object();
      if (!o || !o->contains("format") || (*o).at("format") != json::value(kFormat)) {
        return Fail(Damaged(n, "this is not a fairdesk backup"));
      }
      if (!o->contains("version") || !o->at("version").is_int64() || o->at("version").as_int64() != kFormatVersion) {
        return Fail(Damaged(n, "unknown backup format version"));
      }
      std::vector<int> versions;
      if (const auto* m = o->if_contains("migrations"); m && m->is_array()) {
        for (const auto& x : m->as_array()) {
          if (!x.is_int64()) return Fail(Damaged(n, "bad schema version"));
          versions.push_back(static_cast<int>(x.as_int64()));
        }
      }
      have_header = true;
      if (sink) FD_TRY_VOID(sink->Begin(versions));
      continue;
    }
    if (v.is_array()) {
      if (!in_table) return Fail(Damaged(n, "a row outside a table"));
      const auto& a = v.as_array();
      if (a.size() != table.columns.size()) return Fail(Damaged(n, "a row has the wrong number of values"));
      std::vector<db::Value> values;
      values.reserve(a.size());
      for (const auto& x : a) {
        if (x.is_null()) {
          values.emplace_back(db::Null());
        } else if (x.is_string()) {
          values.emplace_back(std::string(x.as_string()));
        } else if (x.is_object() && x.as_object().contains("b64") && x.as_object().at("b64").is_string()) {
          auto bytes = FromBase64(x.as_object().at("b64").as_string());
          if (!bytes) return Fail(Damaged(n, "a damaged binary value"));
          values.emplace_back(db::Blob{std::move(*bytes)});
        } else {
          return Fail(Damaged(n, "a value of unknown form"));
        }
      }
      if (on_row) FD_TRY_VOID(on_row(table, values));
      if (sink) FD_TRY_VOID(sink->Row(std::move(values)));
      ++rows;
      continue;
    }
    const auto* o = v.if_object();
    if (o && o->contains("table")) {
      if (in_table) return Fail(Damaged(n, "a table starts before the last one ended"));
      table = Table{};
      const auto* name = o->if_contains("table");
      const auto* cols = o->if_contains("columns");
      const auto* blobs = o->if_contains("blob");
      if (!name->is_string() || !IsIdentifier(name->as_string()) || !cols || !cols->is_array() || !blobs ||
          !blobs->is_array() || blobs->as_array().size() != cols->as_array().size()) {
        return Fail(Damaged(n, "a bad table header"));
      }
      table.name = std::string(name->as_string());
      for (std::size_t i = 0; i < cols->as_array().size(); ++i) {
        const auto& c = cols->as_array()[i];
        const auto& b = blobs->as_array()[i];
        if (!c.is_string() || !IsIdentifier(c.as_string()) || !b.is_bool()) return Fail(Damaged(n, "a bad column"));
        table.columns.push_back({std::string(c.as_string()), b.as_bool()});
      }
      in_table = true;
      rows = 0;
      if (sink) FD_TRY_VOID(sink->BeginTable(table));
      continue;
    }
    if (o && o->contains("end_table")) {
      const auto* count = o->if_contains("rows");
      if (!in_table || o->at("end_table") != json::value(table.name) || !count || !count->is_int64() ||
          count->as_int64() != rows) {
        return Fail(Damaged(n, "the row count of table " + table.name + " does not match"));
      }
      in_table = false;
      if (sink) FD_TRY_VOID(sink->EndTable(rows));
      continue;
    }
    return Fail(Damaged(n, "an unknown line"));
  }
  if (!ended) return Fail(Damaged(n, "the backup ends early (cut off?)"));
  return {};
}

// ---- Keys ----

constexpr std::string_view kKeysMagic = "fairdesk-keys-v1\n";

}  // namespace

Result<TransferReport> Backup(db::Database& source, const std::filesystem::path& out, const Derived& derived) {
  if (std::filesystem::exists(out)) return Fail(Error::Conflict("the file " + out.string() + " exists already"));
  const auto partial = std::filesystem::path(out.string() + ".partial");
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(Error::Unavailable("cannot create " + partial.string()));
    std::filesystem::permissions(partial, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    FileSink sink(file);
    if (auto st = Export(source, sink, derived); !st) {
      file.close();
      std::filesystem::remove(partial);
      return Fail(st.error());
    }
    file.close();
    if (!file) return Fail(Error::Unavailable("could not write the backup file"));
    // Only a complete backup gets the name asked for.
    std::filesystem::rename(partial, out);
    return sink.report;
  }
}

Result<TransferReport> Restore(const std::filesystem::path& in, db::Database& target,
                               std::span<const db::Migration> migrations, const Derived& derived) {
  FD_TRY_VOID(ReadBackup(in, nullptr, nullptr));  // the whole file is sound before anything is written
  FD_TRY_VOID(CheckEmpty(target));
  DatabaseSink sink(target, migrations, derived);
  FD_TRY_VOID(ReadBackup(in, &sink, nullptr));
  return sink.report;
}

Result<TransferReport> Copy(db::Database& source, db::Database& target, std::span<const db::Migration> migrations,
                            const Derived& derived) {
  FD_TRY_VOID(CheckEmpty(target));
  DatabaseSink sink(target, migrations, derived);
  FD_TRY_VOID(Export(source, sink, derived));
  return sink.report;
}

// Counts the tables (also the empty ones, as `backup` does) and rows of a backup file.
class CountingSink final : public Sink {
 public:
  explicit CountingSink(TransferReport& report) : report_(report) {}
  Status Begin(const std::vector<int>&) override { return {}; }
  Status BeginTable(const Table& table) override {
    table_ = table.name;
    return {};
  }
  Status Row(std::vector<db::Value>) override { return {}; }
  Status EndTable(std::int64_t rows) override {
    report_.per_table.emplace_back(table_, rows);
    report_.rows += rows;
    ++report_.tables;
    return {};
  }
  Status End() override { return {}; }

 private:
  TransferReport& report_;
  std::string table_;
};

Result<BackupCheck> VerifyBackup(const std::filesystem::path& in) {
  BackupCheck check;
  std::vector<audit::Entry> entries;
  std::int64_t head_seq = 0;
  std::string head_hash(audit::kGenesisHash);
  auto on_row = [&](const Table& t, const std::vector<db::Value>& v) -> Status {
    auto col = [&](std::string_view name) -> std::optional<std::string> {
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (t.columns[i].name == name) {
          if (const auto* s = std::get_if<std::string>(&v[i])) return *s;
          return std::nullopt;
        }
      }
      return std::nullopt;
    };
    try {
      if (t.name == "audit_log") {
        audit::Entry e;
        e.seq = std::stoll(col("seq").value_or("0"));
        e.at = std::stoll(col("at").value_or("0"));
        e.user_id = col("user_id").value_or("");
        e.role = col("role").value_or("");
        e.centre_id = col("centre_id");
        e.action = col("action").value_or("");
        e.record_type = col("record_type").value_or("");
        e.record_id = col("record_id").value_or("");
        e.record_centre_id = col("record_centre_id");
        e.prev_hash = col("prev_hash").value_or("");
        e.hash = col("hash").value_or("");
        if (auto ids = col("record_ids")) {
          std::size_t start = 0;
          for (;;) {
            auto end = ids->find(' ', start);
            e.record_ids.push_back(ids->substr(start, end == std::string::npos ? std::string::npos : end - start));
            if (end == std::string::npos) break;
            start = end + 1;
          }
        }
        entries.push_back(std::move(e));
      } else if (t.name == "audit_head") {
        head_seq = std::stoll(col("seq").value_or("0"));
        head_hash = col("hash").value_or("");
      }
    } catch (const std::exception&) {
      return Fail(Error::Invalid("backup", "an audit entry has a malformed number"));
    }
    return {};
  };
  CountingSink counted(check.contents);
  FD_TRY_VOID(ReadBackup(in, &counted, on_row));
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  audit::ChainVerifier verifier;
  for (const auto& e : entries) {
    if (!verifier.Feed(e)) break;
  }
  if (verifier.report().intact) verifier.Finish(head_seq, head_hash);
  const auto& r = verifier.report();
  if (!r.intact) {
    return Fail(Error::Invalid("backup", "the audit chain in the backup is broken at seq " +
                                             std::to_string(r.broken_seq) + ": " + r.reason));
  }
  check.audit_entries = r.entries;
  check.audit_head_hash = r.head_hash;
  return check;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> CountRows(db::Database& db) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  FD_TRY_VOID(Snapshot(db, [&](db::Session& s) -> Status {
    for (const auto& t : FD_TRY(ReadSchema(s, Derived{}))) {
      const std::string sql = "SELECT COUNT(*) FROM " + Quoted(t.name);
      out.emplace_back(t.name, FD_TRY(s.One(db::Query{"transfer.count", sql}, {})).Int(0));
    }
    return {};
  }));
  return out;
}

// The key file: magic | salt | nonce | XChaCha20-Poly1305 of a JSON object {file name: base64}.
Status BackupKeys(const std::filesystem::path& state_dir, const std::filesystem::path& out, std::string_view passphrase) {
  if (passphrase.size() < 12) return Fail(Error::Invalid("passphrase", "must have at least 12 characters"));
  if (std::filesystem::exists(out)) return Fail(Error::Conflict("the file " + out.string() + " exists already"));
  const auto dir = state_dir / "keys";
  json::object files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream f(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    files[entry.path().filename().string()] = Base64(std::vector<unsigned char>(bytes.begin(), bytes.end()));
  }
  if (ec || files.empty()) return Fail(Error::NotFound("there are no keys in " + dir.string()));
  const std::string plain = json::serialize(files);
  unsigned char salt[crypto_pwhash_SALTBYTES];
  unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
  unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
  randombytes_buf(salt, sizeof salt);
  randombytes_buf(nonce, sizeof nonce);
  if (crypto_pwhash(key, sizeof key, passphrase.data(), passphrase.size(), salt, crypto_pwhash_OPSLIMIT_MODERATE,
                    crypto_pwhash_MEMLIMIT_MODERATE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(Error::Unavailable("not enough memory to derive the key from the passphrase"));
  }
  std::string sealed(plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long sealed_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(sealed.data()), &sealed_len,
                                             reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                                             reinterpret_cast<const unsigned char*>(kKeysMagic.data()),
                                             kKeysMagic.size(), nullptr, nonce, key);
  sodium_memzero(key, sizeof key);
  std::ofstream f(out, std::ios::binary | std::ios::trunc);
  if (!f) return Fail(Error::Unavailable("cannot create " + out.string()));
  std::filesystem::permissions(out, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  f << kKeysMagic;
  f.write(reinterpret_cast<const char*>(salt), sizeof salt);
  f.write(reinterpret_cast<const char*>(nonce), sizeof nonce);
  f.write(sealed.data(), static_cast<std::streamsize>(sealed_len));
  f.close();
  if (!f) return Fail(Error::Unavailable("could not write " + out.string()));
  return {};
}

Result<int> RestoreKeys(const std::filesystem::path& in, const std::filesystem::path& state_dir,
                        std::string_view passphrase) {
  std::ifstream f(in, std::ios::binary);
  if (!f) return Fail(Error::NotFound("cannot open " + in.string()));
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const std::size_t head = kKeysMagic.size() + crypto_pwhash_SALTBYTES + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (bytes.size() < head + crypto_aead_xchacha20poly1305_ietf_ABYTES || !bytes.starts_with(kKeysMagic)) {
    return Fail(Error::Invalid("file", "is not a fairdesk key backup"));
  }
  const auto* salt = reinterpret_cast<const unsigned char*>(bytes.data() + kKeysMagic.size());
  const auto* nonce = salt + crypto_pwhash_SALTBYTES;
  unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
  if (crypto_pwhash(key, sizeof key, passphrase.data(), passphrase.size(), salt, crypto_pwhash_OPSLIMIT_MODERATE,
                    crypto_pwhash_MEMLIMIT_MODERATE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(Error::Unavailable("not enough memory to derive the key from the passphrase"));
  }
  std::string plain(bytes.size() - head, '\0');
  unsigned long long plain_len = 0;
  const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      reinterpret_cast<unsigned char*>(plain.data()), &plain_len, nullptr,
      reinterpret_cast<const unsigned char*>(bytes.data() + head), bytes.size() - head,
      reinterpret_cast<const unsigned char*>(kKeysMagic.data()), kKeysMagic.size(), nonce, key);
  sodium_memzero(key, sizeof key);
  if (rc != 0) return Fail(Error::Invalid("passphrase", "is wrong, or the key backup is damaged"));
  plain.resize(plain_len);
  boost::system::error_code ec;
  auto files = json::parse(plain, ec);
  if (ec || !files.is_object()) return Fail(Error::Invalid("file", "is not a fairdesk key backup"));
  const auto dir = state_dir / "keys";
  std::error_code fec;
  if (std::filesystem::exists(dir) && !std::filesystem::is_empty(dir, fec)) {
    return Fail(Error::Conflict("the key folder " + dir.string() + " is not empty; restore into a new state folder"));
  }
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
  int count = 0;
  for (const auto& [name, value] : files.as_object()) {
    const std::string file_name(name);
    if (file_name.empty() || file_name.find('/') != std::string::npos || file_name.starts_with(".") ||
        !value.is_string()) {
      return Fail(Error::Invalid("file", "is not a fairdesk key backup"));
    }
    auto content = FD_TRY(FromBase64(value.as_string()));
    std::ofstream out(dir / file_name, std::ios::binary | std::ios::trunc);
    std::filesystem::permissions(dir / file_name,
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    out.write(reinterpret_cast<const char*>(content.data()), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) return Fail(Error::Unavailable("could not write " + (dir / file_name).string()));
    ++count;
  }
  return count;
}

}  // namespace fairdesk::ops
