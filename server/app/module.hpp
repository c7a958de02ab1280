#pragma once
/// What every domain module gives the application: its migrations and its routes. The app
/// (server/app) owns the database, the router and the services and wires them together.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "platform/db/database.hpp"
#include "platform/http/metrics.hpp"
#include "platform/http/router.hpp"

namespace fairdesk::app {

/// Settings every module may read. Filled from flags, environment variables and the config file.
struct Settings {
  std::string db_url = "sqlite:fairdesk.db";
  std::filesystem::path state_dir = ".fairdesk";  // key files and other local state
  bool demo = false;
  bool require_2fa = false;
  bool secure_cookies = false;  // session cookie with `Secure` (behind HTTPS)
  int retention_years = 3;
  std::int64_t case_quota_documents = 200;  // documents one case may hold (issue 8 #4)
  std::int64_t case_quota_mib = 400;        // and their size in MiB
  std::string metrics_token;  // /metrics needs `Authorization: Bearer <token>`; empty: /metrics is off
  std::string public_url;     // the web app as reached from outside, for links in e-mails
  std::string smtp_host;      // SMTP relay for outgoing mail; empty: no mail
  int smtp_port = 25;
  std::string smtp_from = "fairdesk@localhost";
  /// For commands that only read (`retention run --dry-run`): open without migrating or seeding
  /// (app::OpenReadOnly), so the database is never written.
  bool read_only = false;
};

}  // namespace fairdesk::app
