#include "ops/cli.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "ops/transfer.hpp"

namespace fairdesk::ops {
namespace {

[[noreturn]] void Die(std::string_view what, const Error& e) {
  std::cerr << "fairdesk " << what << ": " << e.detail;
  if (!e.internal.empty()) std::cerr << " (" << e.internal << ")";
  for (const auto& fe : e.errors) std::cerr << "\n  " << fe.field << ": " << fe.message;
  std::cerr << "\n";
  throw CLI::RuntimeError(1);
}

template <class T>
T Must(std::string_view what, Result<T> r) {
  if (!r) Die(what, r.error());
  return std::move(*r);
}

// The URL may hold a password: only the scheme and the path or host are shown.
std::string Describe(const std::string& url) {
  if (url.starts_with("sqlite:")) return url;
  auto at = url.find('@');
  auto scheme = url.find("://");
  if (at != std::string::npos && scheme != std::string::npos) return url.substr(0, scheme + 3) + "…" + url.substr(at);
  return url;
}

void PrintReport(const TransferReport& r) {
  for (const auto& [table, rows] : r.per_table) std::cout << "  " << table << ": " << rows << " rows\n";
  std::cout << r.tables << " tables, " << r.rows << " rows\n";
}

// The passphrase: --passphrase-file, else FAIRDESK_KEYS_PASSPHRASE, else the first line of stdin.
std::string Passphrase(std::string_view what, const std::string& file) {
  std::string pass;
  if (!file.empty()) {
    std::ifstream f(file);
    if (!f) Die(what, Error::NotFound("cannot read the passphrase file " + file));
    std::getline(f, pass);
  } else if (const char* env = std::getenv("FAIRDESK_KEYS_PASSPHRASE")) {
    pass = env;
  } else {
    std::getline(std::cin, pass);
  }
  if (pass.size() < 12) Die(what, Error::Invalid("passphrase", "must have at least 12 characters"));
  return pass;
}

}  // namespace

void RegisterCli(CLI::App& root, CliDeps deps) {
  auto d = std::make_shared<CliDeps>(std::move(deps));

  // backup
  auto out = std::make_shared<std::string>();
  auto* backup = root.add_subcommand(
      "backup", "Write a consistent backup of the database (--db) to a file, while the server may run; "
                "`backup verify FILE` checks one. Keys are backed up apart: `keys backup`.");
  backup->add_option("--out,-o", *out, "The backup file to write (must not exist)");
  auto verify_file = std::make_shared<std::string>();
  auto* verify = backup->add_subcommand(
      "verify", "Read a backup file completely: format, checksum, row counts and its audit hash chain");
  verify->add_option("file", *verify_file, "The backup file")->required();
  verify->callback([verify_file] {
    auto check = Must("backup verify", VerifyBackup(*verify_file));
    std::cout << "backup intact: " << check.contents.tables << " tables, " << check.contents.rows << " rows\n"
              << "audit chain intact: " << check.audit_entries << " entries\n"
              << "head hash: " << check.audit_head_hash << "\n";
  });
  backup->callback([d, out, backup, verify] {
    if (verify->parsed()) return;
    if (out->empty()) Die("backup", Error::Invalid("--out", "names the backup file to write"));
    auto db = Must("backup", d->open_read_only(d->db_url()));
    auto report = Must("backup", Backup(*db, *out, d->derived ? d->derived() : Derived{}));
    PrintReport(report);
    std::cout << "Backup of " << Describe(d->db_url()) << " written to " << *out << "\n";
  });

  // restore
  auto in = std::make_shared<std::string>();
  auto* restore = root.add_subcommand(
      "restore", "Restore a backup file into a new, empty database (--db); refuses a database that has tables");
  restore->add_option("file", *in, "The backup file")->required();
  restore->callback([d, in] {
    auto db = Must("restore", db::Open(d->db_url()));
    auto report = Must("restore", Restore(*in, *db, d->migrations(), d->derived ? d->derived() : Derived{}));
    PrintReport(report);
    std::cout << "Restored into " << Describe(d->db_url()) << "\n";
  });

  // copy
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto* copy = root.add_subcommand(
      "copy", "Copy every table from one database to a new, empty one, e.g. from SQLite to PostgreSQL (the "
              "upgrade path; docs/OPERATIONS.md)");
  copy->add_option("--from", *from, "Source database URL (sqlite:PATH or postgresql://…); read only")->required();
  copy->add_option("--to", *to, "Target database URL; must be empty")->required();
  copy->callback([d, from, to] {
    auto source = Must("copy", d->open_read_only(*from));
    auto target = Must("copy", db::Open(*to));
    auto report = Must("copy", Copy(*source, *target, d->migrations(), d->derived ? d->derived() : Derived{}));
    PrintReport(report);
    std::cout << "Copied " << Describe(*from) << " to " << Describe(*to) << "\n";
  });

  // keys backup | restore
  CLI::App* keys = nullptr;
  for (auto* sub : root.get_subcommands([](CLI::App* a) { return a->get_name() == "keys"; })) keys = sub;
  if (keys) {
    auto key_out = std::make_shared<std::string>();
    auto pass_file = std::make_shared<std::string>();
    auto* kb = keys->add_subcommand(
        "backup", "Write the encryption keys (--state-dir) to a file sealed with a passphrase (Argon2id + "
                  "XChaCha20-Poly1305). Keep it apart from the database backups.");
    kb->add_option("--out,-o", *key_out, "The key backup file to write (must not exist)")->required();
    kb->add_option("--passphrase-file", *pass_file,
                   "File whose first line is the passphrase (else FAIRDESK_KEYS_PASSPHRASE, else stdin)");
    kb->callback([d, key_out, pass_file] {
      const auto pass = Passphrase("keys backup", *pass_file);
      if (auto st = BackupKeys(d->state_dir(), *key_out, pass); !st) Die("keys backup", st.error());
      std::cout << "Keys of " << (d->state_dir() / "keys").string() << " written to " << *key_out << "\n";
    });
    auto key_in = std::make_shared<std::string>();
    auto pass_file2 = std::make_shared<std::string>();
    auto* kr = keys->add_subcommand(
        "restore", "Restore the encryption keys from a key backup into an empty key folder (--state-dir)");
    kr->add_option("file", *key_in, "The key backup file")->required();
    kr->add_option("--passphrase-file", *pass_file2,
                   "File whose first line is the passphrase (else FAIRDESK_KEYS_PASSPHRASE, else stdin)");
    kr->callback([d, key_in, pass_file2] {
      const auto pass = Passphrase("keys restore", *pass_file2);
      auto n = Must("keys restore", RestoreKeys(*key_in, d->state_dir(), pass));
      std::cout << n << " key files restored into " << (d->state_dir() / "keys").string() << "\n";
    });
  }
}

}  // namespace fairdesk::ops
