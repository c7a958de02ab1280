// fairdesk: one binary, many subcommands. Wiring only: parse the command line, build the App,
// call the module that does the work.

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "app/app.hpp"
#include "audit/audit.hpp"
#include "auth/auth.hpp"
#include "calculators/cli.hpp"
#include "cases/cli.hpp"
#include "cases/service.hpp"
#include "documents/documents.hpp"
#include "esf/service.hpp"
#include "knowledge/service.hpp"
#include "ops/cli.hpp"
#include "platform/cluster/cluster.hpp"
#include "platform/core/clock.hpp"
#include "platform/crypto/crypto.hpp"
#include "platform/http/client_address.hpp"
#include "platform/log/log.hpp"
#include "platform/mail/mail.hpp"
#include "stats/generator.hpp"
#include "stats/service.hpp"
#include "events/events.hpp"
#include "portal/service.hpp"

namespace {

using fairdesk::app::Settings;

int ExitWith(const fairdesk::Error& e) {
  std::cerr << "fairdesk: " << e.detail;
  if (!e.internal.empty()) std::cerr << " (" << e.internal << ")";
  for (const auto& fe : e.errors) std::cerr << "\n  " << fe.field << ": " << fe.message;
  std::cerr << "\n";
  return 1;
}

// The built web app when neither --web-root nor FAIRDESK_WEB_ROOT names it: web/dist in the
// working directory (a source checkout, scripts/run), else share/fairdesk/web beside the binary
// (/usr/bin/fairdesk -> /usr/share/fairdesk/web: the Debian package), so that `fairdesk serve`
// from any directory serves the installed web app.
std::string DefaultWebRoot() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists("web/dist/index.html", ec)) return "web/dist";
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "fairdesk" / "web";
    if (fs::exists(installed / "index.html", ec)) return installed.string();
  }
  return "web/dist";
}

}  // namespace

int main(int argc, char** argv) {
  fairdesk::crypto::Init();
  if (const char* offset = std::getenv("FAIRDESK_CLOCK_OFFSET_SECONDS")) {
    fairdesk::clock::SetOffsetSeconds(std::atoll(offset));
  }

  CLI::App app{"fairdesk: the working platform of the Fair Integration advice centres"};
  app.require_subcommand(1);
  app.fallthrough();
  app.set_config("--config", "", "Configuration file (TOML or INI; keys as the long options, [serve] section)");

  Settings settings;
  std::string log_level = "info";
  app.add_option("--db", settings.db_url, "Database: sqlite:PATH or postgresql://...")
      ->envname("FAIRDESK_DB")
      ->capture_default_str();
  app.add_option("--state-dir", settings.state_dir, "Folder for key files and other local state")
      ->envname("FAIRDESK_STATE_DIR")
      ->capture_default_str();
  app.add_option("--retention-years", settings.retention_years, "Years after closing before a case is anonymised")
      ->envname("FAIRDESK_RETENTION_YEARS")
      ->check(CLI::Range(1, 30))
      ->capture_default_str();
  app.add_option("--case-quota-documents", settings.case_quota_documents,
                 "Documents one case may hold (withdrawn ones included)")
      ->envname("FAIRDESK_CASE_QUOTA_DOCUMENTS")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--case-quota-mib", settings.case_quota_mib, "MiB of documents one case may hold")
      ->envname("FAIRDESK_CASE_QUOTA_MIB")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  app.add_option("--log-level", log_level, "debug, info, warn or error")
      ->envname("FAIRDESK_LOG_LEVEL")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();

  // serve
  fairdesk::http::ServerOptions server_options;
  auto* serve = app.add_subcommand("serve", "Run the HTTP server (migrates the database first)");
  serve->add_option("--port", server_options.port, "TCP port (0: any free port)")->envname("FAIRDESK_PORT")->capture_default_str();
  serve->add_option("--bind", server_options.bind, "Address to listen on")->envname("FAIRDESK_BIND")->capture_default_str();
  serve->add_option("--threads", server_options.threads, "Worker threads (0: one per core)")->envname("FAIRDESK_THREADS");
  serve->add_option("--web-root", server_options.web_root,
                    "Folder of the built web app (default: web/dist here, else share/fairdesk/web beside the binary)")
      ->envname("FAIRDESK_WEB_ROOT");
  serve->add_option("--port-file", server_options.port_file, "Write the bound port to this file (for tests)");
  serve->add_flag("--demo", settings.demo, "Load demo users and data into an empty database and print the logins")
      ->envname("FAIRDESK_DEMO");
  // A second factor is required by default (issue 8 #7); off in demo mode unless asked for, or
  // with --require-2fa=false.
  std::string require_2fa;
  serve->add_flag("--require-2fa{true}", require_2fa,
                  "Second factor mandatory for case roles and admins (default: on, off with --demo; =false to switch off)")
      ->envname("FAIRDESK_REQUIRE_2FA")
      ->check(CLI::IsMember({"true", "false", "1", "0", "on", "off"}));
  serve->add_option("--public-url", settings.public_url, "The web app's address as users reach it (links in e-mails)")
      ->envname("FAIRDESK_PUBLIC_URL");
  serve->add_option("--smtp-host", settings.smtp_host, "SMTP relay for outgoing mail (password reset links)")
      ->envname("FAIRDESK_SMTP_HOST");
  serve->add_option("--smtp-port", settings.smtp_port, "SMTP relay port")
      ->envname("FAIRDESK_SMTP_PORT")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  serve->add_option("--smtp-from", settings.smtp_from, "Sender address of outgoing mail")
      ->envname("FAIRDESK_SMTP_FROM")
      ->capture_default_str();
  serve->add_option("--metrics-token", settings.metrics_token,
                    "Bearer token that /metrics requires (without one /metrics is off)")
      ->envname("FAIRDESK_METRICS_TOKEN");
  serve->add_option("--trusted-proxy", server_options.trusted_proxies,
                    "Reverse proxy (address or CIDR) whose X-Forwarded-For is believed; repeatable")
      ->envname("FAIRDESK_TRUSTED_PROXIES")
      ->delimiter(',');
  serve->add_option("--max-connections", server_options.max_connections, "Open connections beyond this get 503")
      ->envname("FAIRDESK_MAX_CONNECTIONS")
      ->check(CLI::Range(std::size_t{2}, std::size_t{1} << 20))
      ->capture_default_str();
  serve->add_option("--max-inflight-body-bytes", server_options.max_inflight_body_bytes,
                    "Request-body bytes held in memory at once; a request beyond it gets 503")
      ->envname("FAIRDESK_MAX_INFLIGHT_BODY_BYTES")
      ->capture_default_str();
  int body_idle_seconds = static_cast<int>(server_options.body_idle_timeout.count());
  serve->add_option("--body-idle-timeout", body_idle_seconds,
                    "Seconds a request body may stall before 408")
      ->envname("FAIRDESK_BODY_IDLE_TIMEOUT")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  int shutdown_grace_seconds = static_cast<int>(server_options.shutdown_grace.count());
  serve->add_option("--shutdown-grace", shutdown_grace_seconds,
                    "Seconds to finish the requests in flight after SIGTERM before they are dropped")
      ->envname("FAIRDESK_SHUTDOWN_GRACE")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve->add_option("--blocking-threads", server_options.blocking_threads,
                    "Threads for handlers that use the database (0: twice the cores, at least 4)")
      ->envname("FAIRDESK_BLOCKING_THREADS");
  serve->add_option("--slow-threads", server_options.slow_threads,
                    "Threads for statistics, reports, exports and files (0: the cores, at least 2)")
      ->envname("FAIRDESK_SLOW_THREADS");
  serve->add_option("--hashing-threads", server_options.hashing_threads,
                    "Threads for password hashing (0: half the cores)")
      ->envname("FAIRDESK_HASHING_THREADS");
  serve->add_flag("--secure-cookies", settings.secure_cookies, "Mark the session cookie Secure (serve behind HTTPS)")
      ->envname("FAIRDESK_SECURE_COOKIES");

  auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations");
  auto* demo = app.add_subcommand("demo-data", "Load demo users and data into an empty database");
  fairdesk::stats::GenerateOptions generate;
  demo->add_option("--cases", generate.cases, "Also generate N synthetic cases (clients, consultations, referrals, statistics)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{20'000'000}));
  demo->add_option("--seed", generate.seed, "Seed of the synthetic data (same seed, same data)")->capture_default_str();

  // Commands that only read open the database without migrating it (app::OpenReadOnly).
  fairdesk::auth::RegisterCli(app, [&settings, &app] {
    auto* list = app.get_subcommand("user")->get_subcommand("list");
    return list->parsed() ? fairdesk::app::OpenReadOnly(settings.db_url) : fairdesk::app::OpenMigrated(settings.db_url);
  });
  fairdesk::calculators::RegisterCli(app);
  fairdesk::cases::RegisterCli(app, [&settings](bool dry_run) -> fairdesk::Result<fairdesk::cases::RetentionReport> {
    Settings run = settings;
    run.read_only = dry_run;
    auto opened = FD_TRY(fairdesk::app::App::Open(run));
    return opened->RunRetention(dry_run);
  });
  fairdesk::audit::RegisterCli(app, [&settings] { return fairdesk::app::OpenReadOnly(settings.db_url); });
  fairdesk::documents::RegisterKeysCli(
      app, [&settings] { return fairdesk::app::OpenMigrated(settings.db_url); }, [&settings] { return settings.state_dir; },
      [] {  // every module's encrypted columns
        auto columns = fairdesk::cases::Service::EncryptedColumns();
        for (auto& c : fairdesk::documents::EncryptedColumns()) columns.push_back(std::move(c));
        for (auto& c : fairdesk::auth::EncryptedColumns()) columns.push_back(std::move(c));
        for (auto& c : fairdesk::portal::EncryptedColumns()) columns.push_back(std::move(c));
        for (auto& c : fairdesk::cluster::EncryptedColumns()) columns.push_back(std::move(c));
        for (auto& c : fairdesk::knowledge::EncryptedColumns()) columns.push_back(std::move(c));
        for (auto& c : fairdesk::events::EncryptedColumns()) columns.push_back(std::move(c));
        for (auto& c : fairdesk::esf::EncryptedColumns()) columns.push_back(std::move(c));
        for (auto& c : fairdesk::mail::EncryptedColumns()) columns.push_back(std::move(c));
        return columns;
      });

  fairdesk::ops::RegisterCli(app, {.db_url = [&settings] { return settings.db_url; },
                                   .state_dir = [&settings] { return settings.state_dir; },
                                   .open_read_only = [](const std::string& url) { return fairdesk::app::OpenReadOnly(url); },
                                   .migrations = [] { return fairdesk::app::AllMigrations(); },
                                   .derived = [] {
                                     return fairdesk::ops::Derived{
                                         .tables = fairdesk::app::DerivedTables(),
                                         .rebuild = [](fairdesk::db::Database& d) {
                                           return fairdesk::app::RebuildDerivedData(d);
                                         }};
                                   }});

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  fairdesk::log::Level level = log_level == "debug" ? fairdesk::log::Level::kDebug
                               : log_level == "warn" ? fairdesk::log::Level::kWarn
                               : log_level == "error" ? fairdesk::log::Level::kError
                                                      : fairdesk::log::Level::kInfo;
  fairdesk::log::Init(level);

  if (migrate->parsed()) {
    auto db = fairdesk::app::OpenMigrated(settings.db_url);
    if (!db) return ExitWith(db.error());
    // What an upgrade asks to be rebuilt (the statistics pre-aggregates) is built here, so that
    // the next `serve` starts at once.
    fairdesk::stats::Service stats(**db);
    if (auto st = stats.Init(); !st) return ExitWith(st.error());
    std::cout << "Database is up to date.\n";
    return 0;
  }
  if (serve->parsed()) {
    settings.require_2fa = require_2fa.empty() ? !settings.demo
                                               : (require_2fa == "true" || require_2fa == "1" || require_2fa == "on");
  }
  if (demo->parsed() || serve->parsed()) {
    auto opened = fairdesk::app::App::Open(settings);
    if (!opened) return ExitWith(opened.error());
    auto& a = **opened;
    if (demo->parsed() || settings.demo) {
      if (auto st = a.LoadDemoData(); !st) return ExitWith(st.error());
      std::cout << fairdesk::app::DemoLoginsText() << std::flush;
    }
    if (demo->parsed() && demo->count("--cases") > 0) {
      auto report = fairdesk::stats::Generate(a.database(), generate);
      if (!report) return ExitWith(report.error());
      std::cout << "Generated " << report->cases << " cases, " << report->clients << " clients, " << report->consultations
                << " consultations, " << report->referrals << " referrals in " << report->seconds << " s.\n";
    }
    if (demo->parsed()) return 0;
    std::cout << "fairdesk is starting on http://" << (server_options.bind == "0.0.0.0" ? "localhost" : server_options.bind)
              << ":" << server_options.port << "/" << std::endl;
    server_options.body_idle_timeout = std::chrono::seconds(body_idle_seconds);
    server_options.shutdown_grace = std::chrono::seconds(shutdown_grace_seconds);
    if (server_options.web_root.empty()) server_options.web_root = DefaultWebRoot();
    if (std::string bad; !fairdesk::http::TrustedProxies::Parse(server_options.trusted_proxies, &bad)) {
      std::cerr << "fairdesk: --trusted-proxy: not an address or CIDR range: " << bad << "\n";
      return 1;
    }
    return a.Serve(server_options);
  }
  // Other subcommands run their own callbacks (user, calc).
  return 0;
}
