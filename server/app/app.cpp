#include "app/app.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <fmt/format.h>

#include "audit/audit.hpp"
#include "auth/auth.hpp"
#include "auth/oidc.hpp"
#include "calculators/routes.hpp"
#include "cases/routes.hpp"
#include "directory/routes.hpp"
#include "documents/documents.hpp"
#include "documents/store.hpp"
#include "esf/esf.hpp"
#include "events/events.hpp"
#include "events/store.hpp"
#include "knowledge/knowledge.hpp"
#include "ops/jobs.hpp"
#include "ops/routes.hpp"
#include "portal/routes.hpp"
#include "platform/core/clock.hpp"
#include "platform/crypto/keyring.hpp"
#include "platform/cluster/cluster.hpp"
#include "platform/db/migrations.hpp"
#include "platform/log/log.hpp"
#include "stats/stats.hpp"
#include "platform/mail/mail.hpp"

namespace fairdesk::app {
namespace {
// How long a sent or given-up mail's row (id, times, attempts, last SMTP error; nothing personal)
// stays in mail_outbox.
constexpr std::int64_t kKeepFinishedMailSeconds = 7 * 86400;
}  // namespace

std::vector<db::Migration> AllMigrations() {
  std::vector<db::Migration> all;
  for (auto span : {mail::Migrations(), cluster::Migrations(), directory::Migrations(), auth::Migrations(), audit::Migrations(), cases::Migrations(),
                    documents::Migrations(), events::StoreMigrations(), knowledge::Migrations(),
                    stats::Migrations(), esf::Migrations(), portal::Migrations(), ops::Migrations()}) {
    all.insert(all.end(), span.begin(), span.end());
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  return all;
}

std::vector<std::string> DerivedTables() { return {"knowledge_docs", "knowledge_match"}; }

Status RebuildDerivedData(db::Database& database) {
  knowledge::Service knowledge(database, knowledge::MakeSqlStore());
  FD_TRY(knowledge.RebuildIndex());
  return {};
}

Result<std::unique_ptr<db::Database>> OpenReadOnly(const std::string& url) {
  if (url.starts_with("sqlite:")) {
    std::string path = url.substr(7);
    if (path.starts_with("//")) path.erase(0, 2);
    // SQLite would create a missing file; a read-only command must not.
    if (path != ":memory:" && !std::filesystem::exists(path)) {
      return Fail(Error::NotFound("there is no database file " + path));
    }
  }
  auto database = FD_TRY(db::Open(url));
  auto applied = FD_TRY(db::AppliedVersions(*database));
  if (!applied) {
    return Fail(Error::Conflict("the database has no fairdesk schema (create it with `fairdesk migrate --db …`)"));
  }
  std::vector<int> missing;
  for (const auto& m : AllMigrations()) {
    if (!std::binary_search(applied->begin(), applied->end(), m.version)) missing.push_back(m.version);
  }
  if (!missing.empty()) {
    return Fail(Error::Conflict(fmt::format(
        "the database schema is older than this fairdesk ({} migration(s) missing, the first {}); run `fairdesk "
        "migrate --db …` first (this command does not change the database)",
        missing.size(), missing.front())));
  }
  return database;
}

Result<std::unique_ptr<db::Database>> OpenMigrated(const std::string& url) {
  // Eight connections: up to 16 requests are in flight (the HTTP server's blocking threads),
  // each holding a connection only for its queries; with four, the case list queued for one.
  auto database = FD_TRY(db::Open(url, 8));
  auto migrations = AllMigrations();
  auto applied = FD_TRY(db::Migrate(*database, migrations));
  if (!applied.empty()) {
    log::Info("migrated", {{"applied", applied.size()}, {"latest", applied.back()}});
  }
  // Versioned reference data belongs to the schema: the organisation directory and the topic
  // and routing tables are loaded into an empty database, so that a migrated database is ready
  // for `fairdesk user add --centre …` as well as for `serve`. Nothing here decrypts, so a
  // throwaway keyring will do.
  directory::Service directory(directory::MakeSqlStore(*database));
  FD_TRY_VOID(directory.ImportSeedIfEmpty());
  FD_TRY_VOID(directory.ImportLocationsIfEmpty());
  auto keyring = crypto::Keyring::Ephemeral();
  cases::Service cases(*database, directory, *keyring, cases::Options{});
  FD_TRY_VOID(cases.SeedReferenceData());
  return database;
}

struct App::Impl {
  // The reset requests the auth worker holds become mail before the outbox (declared after
  // auth, so destroyed before it) goes.
  ~Impl() {
    if (auth) auth->StopResetWorker();
  }
  Settings settings;
  std::unique_ptr<db::Database> database;
  // After the services (members are destroyed last to first) and before the database: the
  // audit's read committer of this database commits what is queued and stops.
  struct StopReadsAtEnd {
    db::Database* db = nullptr;
    ~StopReadsAtEnd() {
      if (db) audit::StopReads(*db);
    }
  } stop_reads;
  std::unique_ptr<directory::Service> directory;
  std::unique_ptr<auth::Service> auth;
  std::unique_ptr<auth::Oidc> oidc;  // sign-in through the organisation's identity provider
  std::unique_ptr<crypto::Keyring> keyring;  // encryption at rest; keys in <state_dir>/keys
  // Outgoing mail (password reset links, event notifications); declared before the services that
  // queue mail, so that it goes after them (the events jobs queue mail until they stop).
  std::unique_ptr<mail::Outbox> outbox;
  std::unique_ptr<audit::Service> audit;
  std::unique_ptr<cases::Service> cases;
  std::unique_ptr<documents::Service> documents;
  std::unique_ptr<events::Service> events;
  std::unique_ptr<knowledge::Service> knowledge;
  std::unique_ptr<stats::Service> stats;
  std::unique_ptr<esf::Service> esf;
  std::unique_ptr<portal::Service> portal;
  http::Metrics metrics;
  http::Router router;
};

App::App() : impl_(std::make_unique<Impl>()) {}
App::~App() = default;
db::Database& App::database() { return *impl_->database; }

Result<std::unique_ptr<App>> App::Open(const Settings& settings) {
  std::unique_ptr<App> app(new App());
  auto& s = *app->impl_;
  s.settings = settings;
  s.database = settings.read_only ? FD_TRY(OpenReadOnly(settings.db_url)) : FD_TRY(OpenMigrated(settings.db_url));
  s.stop_reads.db = s.database.get();
  s.directory = std::make_unique<directory::Service>(directory::MakeSqlStore(*s.database));
  if (!settings.read_only) {
    FD_TRY_VOID(s.directory->ImportSeedIfEmpty());
    FD_TRY_VOID(s.directory->ImportLocationsIfEmpty());
  }
  // Edits on another app server on the same database are announced by NOTIFY and reloaded at
  // once; every 5 s a reload catches anything a lost notice missed. Tests only: a longer period
  // (FAIRDESK_TEST_REFRESH_SECONDS), so that they see the notice and not the timer at work.
  std::chrono::seconds refresh_period{5};
  if (const char* v = std::getenv("FAIRDESK_TEST_REFRESH_SECONDS")) refresh_period = std::chrono::seconds(std::atoll(v));
  FD_TRY_VOID(s.directory->StartRefresh(refresh_period));
  // The state folder holds the keys: owner only (issue 8 #15). A group may read it (the Debian
  // package's /etc/fairdesk is root:fairdesk 0750; the keys folder inside is 0700 anyway), but
  // neither the group may write it nor others see into it.
  {
    std::error_code ec;
    if (!std::filesystem::exists(settings.state_dir, ec)) {
      std::filesystem::create_directories(settings.state_dir, ec);
      std::filesystem::permissions(settings.state_dir, std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::replace, ec);
    } else if ((std::filesystem::status(settings.state_dir, ec).permissions() &
                (std::filesystem::perms::group_write | std::filesystem::perms::others_all)) !=
               std::filesystem::perms::none) {
      log::Warn("state_dir_not_private", {{"hint", "chmod 750 (or 700) the state folder"}});
    }
  }
  s.keyring = FD_TRY(crypto::Keyring::Open(settings.state_dir));
  // Outgoing mail is queued in the database (mail_outbox, sealed) and delivered by the worker of
  // whichever app server claims it first (started by Serve). Tests only: a short lease and a
  // short first retry wait (FAIRDESK_TEST_MAIL_LEASE_SECONDS, FAIRDESK_TEST_MAIL_RETRY_SECONDS).
  {
    mail::OutboxOptions mail_options{.holder = ops::ProcessHolder()};
    if (const char* v = std::getenv("FAIRDESK_TEST_MAIL_LEASE_SECONDS")) mail_options.lease = std::chrono::seconds(std::atoll(v));
    if (const char* v = std::getenv("FAIRDESK_TEST_MAIL_RETRY_SECONDS")) {
      mail_options.retry_after = std::chrono::seconds(std::atoll(v));
      mail_options.poll = std::chrono::seconds(1);
    }
    s.outbox = std::make_unique<mail::Outbox>(
        *s.database, *s.keyring,
        mail::SmtpSettings{.host = settings.smtp_host,
                           .port = static_cast<std::uint16_t>(settings.smtp_port),
                           .from = settings.smtp_from},
        std::move(mail_options));
  }
  auth::Options auth_options{.require_2fa = settings.require_2fa, .secure_cookies = settings.secure_cookies};
  if (s.outbox->enabled() && !settings.public_url.empty()) {
    auth_options.public_url = settings.public_url;
    while (auth_options.public_url.ends_with('/')) auth_options.public_url.pop_back();
    auth_options.send_mail = [outbox = s.outbox.get()](std::string to, std::string subject, std::string text) {
      outbox->Send({.to = std::move(to), .subject = std::move(subject), .text = std::move(text)});
    };
  }
  s.auth = std::make_unique<auth::Service>(*s.database, *s.keyring, std::move(auth_options));
  if (!settings.read_only) FD_TRY_VOID(s.auth->Init());
  s.audit = std::make_unique<audit::Service>(audit::MakeSqlStore(*s.database));
  s.cases = std::make_unique<cases::Service>(*s.database, *s.directory, *s.keyring,
                                            cases::Options{.retention_years = settings.retention_years});
  if (!settings.read_only) {
    FD_TRY_VOID(s.cases->SeedReferenceData());
    FD_TRY_VOID(s.cases->UpgradeData());
  }
  s.documents = std::make_unique<documents::Service>(
      *s.database, *s.keyring, documents::MakeSqlStore(),
      documents::Quota{settings.case_quota_documents, settings.case_quota_mib << 20});
  // Retention and erasure of a case delete its documents in the same transaction, audited.
  s.cases->OnCaseAnonymised([](db::Session& tx, std::string_view case_id) -> Status {
    auto deleted = FD_TRY(documents::DeleteForCase(tx, case_id));
    for (const auto& id : deleted) FD_TRY_VOID(audit::RecordSystem(tx, audit::kErase, "document", id));
    return {};
  });
  // The statistics record follows case work in the same transaction and is unlinked from the case
  // and client when the case is anonymised or erased (the figures stay).
  s.cases->OnCaseChanged(stats::SyncCase);
  s.cases->OnCaseAnonymised(stats::UnlinkCase);
  // ESF Plus participant records follow the same rule: unlinked, only the coarse answers stay.
  s.cases->OnCaseAnonymised([k = s.keyring.get()](db::Session& tx, std::string_view case_id) {
    return esf::UnlinkCase(tx, *k, case_id);
  });
  s.cases->OnCaseExport([k = s.keyring.get()](db::Session& tx, std::string_view case_id, boost::json::object& out,
                                                std::vector<cases::ExportFile>&) {
    return esf::ExportForCase(tx, *k, case_id, out);
  });
  // The data-subject export of a case includes its documents (names and content decrypted).
  // Their content is read while the export is sent, one document at a time (issue 8 #4).
  s.cases->OnCaseExport([k = s.keyring.get(), d = s.database.get()](db::Session& tx, std::string_view case_id,
                                                                    boost::json::object& out,
                                                                    std::vector<cases::ExportFile>& files) -> Status {
    std::vector<documents::ExportedFile> found;
    FD_TRY_VOID(documents::ExportForCase(tx, *k, case_id, out, found));
    for (auto& f : found) {
      files.push_back({f.path, f.uploaded_at, [k, d, id = f.document_id, c = std::string(case_id)] {
                         return documents::ExportContent(*d, *k, id, c);
                       }});
    }
    return {};
  });

  {
    events::Options options;
    if (const char* url = std::getenv("FAIRDESK_PUBLIC_URL")) options.public_base_url = url;
    // Whole numbers of hours / days; anything else stops the start with a clear message.
    auto number = [](const char* name, std::int64_t min, std::int64_t max, std::int64_t& out) -> Status {
      const char* text = std::getenv(name);
      if (!text) return {};
      std::string_view v(text);
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc{} || end != v.data() + v.size() || n < min || n > max) {
        return Fail(Error::Invalid(name, fmt::format("must be a whole number from {} to {}", min, max)));
      }
      out = n;
      return {};
    };
    FD_TRY_VOID(number("FAIRDESK_EVENTS_OFFER_HOURS", 1, 336, options.offer_hours));
    FD_TRY_VOID(number("FAIRDESK_EVENTS_CLIENT_DATA_DAYS", 1, 3650, options.client_data_days));
    FD_TRY_VOID(number("FAIRDESK_EVENTS_REMINDER_HOURS", 1, 336, options.reminder_hours));
    // E-mail copies of event notifications go through the same outbox as password-reset links.
    if (!settings.public_url.empty()) options.public_base_url = settings.public_url;
    while (options.public_base_url.ends_with('/')) options.public_base_url.pop_back();
    if (s.outbox->enabled()) {
      options.send_mail = [outbox = s.outbox.get()](db::Session& tx, const events::MailMessage& m) {
        return outbox->Enqueue(tx, {.to = m.to, .subject = m.subject, .text = m.text});
      };
      options.mail_queued = [outbox = s.outbox.get()] { outbox->Wake(); };
    }
    // Self-registration on the portal: personal fields sealed with the keyring, mails in the
    // portal's languages.
    options.seal = [k = s.keyring.get()](std::string_view plain, std::string_view ad) { return k->EncryptToText(plain, ad); };
    options.open = [k = s.keyring.get()](std::string_view sealed, std::string_view ad) { return k->DecryptText(sealed, ad); };
    options.compose_public_mail = portal::ComposeEventMail;
    s.events = std::make_unique<events::Service>(*s.database, options);
  }
  // Knowledge base: topics come from the case taxonomy.
  s.knowledge = std::make_unique<knowledge::Service>(
      *s.database, knowledge::MakeSqlStore(),
      knowledge::Options{
          .topic_codes = [cases = s.cases.get()]() -> Result<std::vector<std::string>> {
            std::vector<std::string> codes;
            for (const auto& t : FD_TRY(cases->Topics())) codes.push_back(t.code);
            return codes;
          },
          // Case descriptions: the escalation and, for the redaction check, the client's data.
          .case_source = [cases = s.cases.get()](const Principal& p, std::string_view id) -> Result<knowledge::CaseSource> {
            auto src = FD_TRY(cases->EscalationForCaseDescription(p, id));
            knowledge::CaseSource out;
            out.status = src.escalation.status;
            out.summary = src.escalation.summary;
            out.question = src.escalation.question;
            for (const auto& m : src.escalation.messages) {
              if (m.author_role == RoleName(Role::kCompetenceCentre)) out.answers.push_back(m.body);
            }
            out.anonymised_use = src.anonymised_use;
            auto add = [](std::vector<std::string>& v, const std::optional<std::string>& x) {
              if (x && !x->empty()) v.push_back(*x);
            };
            add(out.personal.names, src.personal.name);
            add(out.personal.phones, src.personal.phone);
            add(out.personal.emails, src.personal.email);
            add(out.personal.addresses, src.personal.address);
            add(out.personal.employers, src.employer);
            if (!src.client_code.empty()) out.personal.codes.push_back(src.client_code);
            return out;
          },
          .keyring = s.keyring.get(),
          // Revision authors by name in the editor.
          .user_name = [auth = s.auth.get()](std::string_view id) -> std::optional<std::string> {
            auto user = auth->FindUser(id);
            if (!user) return std::nullopt;
            return user->display_name;
          }});
  s.stats = std::make_unique<stats::Service>(*s.database);
  FD_TRY_VOID(s.stats->Init());
  s.esf = std::make_unique<esf::Service>(*s.database, *s.keyring, esf::MakeSqlStore());
  s.stats->AddFrozenSource(s.esf.get());
  FD_TRY_VOID(s.esf->Init());

  // Routes, module by module; operations last so that the OpenAPI document sees every route.
  auth::RegisterRoutes(s.router, *s.auth);
  s.oidc = std::make_unique<auth::Oidc>(*s.database, *s.auth, *s.keyring);
  auth::RegisterOidcRoutes(s.router, *s.oidc, *s.auth, settings.public_url);
  directory::RegisterRoutes(s.router, *s.directory);
  audit::RegisterRoutes(s.router, *s.audit);
  cases::RegisterRoutes(s.router, *s.cases);
  documents::RegisterRoutes(s.router, *s.documents);
  events::RegisterRoutes(s.router, *s.events);
  knowledge::RegisterRoutes(s.router, *s.knowledge);
  stats::RegisterRoutes(s.router, *s.stats);
  esf::RegisterRoutes(s.router, *s.esf);
  calculators::RegisterRoutes(s.router);
  portal::Options portal_options;
  // For tests and operators (docs/CONFIGURATION.md): the contact form's minimum fill time and the
  // rate budget per address and window.
  if (const char* v = std::getenv("FAIRDESK_PORTAL_MIN_FILL_SECONDS")) portal_options.min_fill_seconds = std::atoll(v);
  if (const char* v = std::getenv("FAIRDESK_PORTAL_RATE_BUDGET")) portal_options.rate_budget = std::max(1, std::atoi(v));
  s.portal = std::make_unique<portal::Service>(*s.database, *s.directory, *s.cases, *s.keyring, portal_options);
  FD_TRY_VOID(s.portal->Init());
  portal::RegisterRoutes(s.router, *s.portal, *s.directory, *s.knowledge);
  portal::RegisterEventPages(s.router, *s.portal, *s.events);
  ops::RegisterRoutes(s.router, *s.database, s.metrics, settings.metrics_token);

  db::Database* database = s.database.get();
  s.metrics.AddGauge("fairdesk_db_pool_size", "Database connections in the pool",
                     [database] { return static_cast<double>(database->Stats().size); });
  s.metrics.AddGauge("fairdesk_db_pool_in_use", "Database connections in use",
                     [database] { return static_cast<double>(database->Stats().in_use); });
  s.metrics.AddCounter("fairdesk_db_pool_waits_total", "Times a request waited for a database connection",
                     [database] { return static_cast<double>(database->Stats().waits_total); });
  // Reads audited by group commit: entries and the transactions they took.
  s.metrics.AddCounter("fairdesk_audit_read_entries_total", "Read audit entries appended by group commit",
                     [database] { return static_cast<double>(audit::ReadStats(*database).entries); });
  s.metrics.AddCounter("fairdesk_audit_read_batches_total", "Group-commit transactions of read audit entries",
                     [database] { return static_cast<double>(audit::ReadStats(*database).batches); });
  // Mail waiting in the outbox (any server's) and mail given up after its last attempt; -1 when the
  // database did not answer.
  mail::Outbox* outbox = s.outbox.get();
  for (std::string_view status : {"queued", "failed"}) {
    s.metrics.AddGauge(fmt::format("fairdesk_mail_outbox_{}", status),
                       status == "queued" ? "Mails waiting to be sent (all app servers)"
                                          : "Mails given up after their last attempt, kept for a week",
                       [outbox, status] { return static_cast<double>(outbox->Count(status).value_or(-1)); });
  }
  auth::Service* auth = s.auth.get();
  s.metrics.AddGauge("fairdesk_sessions_active", "Sessions that have not expired",
                     [auth] { return static_cast<double>(auth->ActiveSessions()); });
  return app;
}

Status App::LoadDemoData() {
  FD_TRY_VOID(impl_->auth->SeedDemoUsers());
  FD_TRY_VOID(impl_->cases->SeedDemoCases());
  FD_TRY_VOID(impl_->events->SeedDemo());
  // ESF Plus demo participants: a participant is counselled more than once, so the demo cases
  // get a follow-up consultation by their centre's advisor first.
  FD_TRY_VOID(impl_->esf->SeedDemo([this](const std::string& case_id, const std::string& centre_id) -> Status {
    auto user = impl_->auth->FindUser(centre_id == "centre-by-1" ? "advisor.bayern@example.org"
                                                                 : "advisor.berlin@example.org");
    if (!user || user->centre_id != centre_id) return {};
    Principal who;
    who.user_id = user->id;
    who.role = user->role;
    who.centre_id = user->centre_id;
    who.state = user->state;
    cases::Consultation follow_up;
    follow_up.date = clock::TodayIso();
    follow_up.duration_minutes = 60;
    follow_up.channel = "in_person";
    follow_up.language = "de";
    follow_up.kind = "acute";
    follow_up.notes = "Demo: Folgeberatung, Teilnahme am ESF-Plus-Programm besprochen.";
    FD_TRY_VOID(impl_->cases->AddConsultation(who, case_id, follow_up));
    return {};
  }));
  // Knowledge demo items, written by one Competence Centre editor and reviewed by the other.
  auto author = impl_->auth->FindUser("fachstelle@example.org");
  auto reviewer = impl_->auth->FindUser("redaktion@example.org");
  if (author && reviewer) FD_TRY_VOID(impl_->knowledge->SeedDemo(author->id, reviewer->id));
  return {};
}

Result<cases::RetentionReport> App::RunRetention(bool dry_run) { return impl_->cases->RunRetention(dry_run); }

int App::Serve(http::ServerOptions options) {
  // Background jobs stop between two batches once SIGTERM/SIGINT arrives (everything before is
  // committed; the job's claim is given back and the next run goes on), so that a long run (the
  // retention job at a million cases) does not hold the process beyond the shutdown grace.
  std::mutex mu;
  std::condition_variable wake;
  bool stopping = false;
  std::atomic<bool> stop_jobs{false};
  options.on_shutdown = [&] {
    {
      std::lock_guard lock(mu);
      stop_jobs = true;
    }
    wake.notify_all();
  };
  // Tests only: a pause before every batch of a job, so that a test can stop the server while a
  // job with a few hundred rows is running (tests/api/jobs_stop.test.mjs).
  std::chrono::milliseconds test_pause{0};
  if (const char* v = std::getenv("FAIRDESK_TEST_JOB_PAUSE_MS")) test_pause = std::chrono::milliseconds(std::atoll(v));
  auto proceed = [&]() -> bool {
    if (test_pause.count() > 0) {
      std::unique_lock lock(mu);
      wake.wait_for(lock, test_pause, [&] { return stop_jobs.load(); });
    }
    return !stop_jobs;
  };
  http::Server server(std::move(options), impl_->router, auth::MakeAuthenticator(*impl_->auth), impl_->metrics);
  // Mail queued by any app server (and mail left from before a restart) goes out from here too.
  impl_->outbox->Start();
  // Expired waiting-list offers pass on within a minute (reads also expire them lazily).
  impl_->events->StartJobs(std::chrono::seconds(60));
  // The portal's hourly deletions (contact requests past retention, unconfirmed event
  // registrations), claimed per hour so that exactly one app server on the database runs them.
  auto run_portal_retention = [this](ops::JobRunner& runner) {
    std::string hour = clock::FormatRfc3339(clock::NowUnix()).substr(0, 13);  // YYYY-MM-DDTHH (UTC)
    int requests = 0, registrations = 0;
    auto ran = runner.RunOnce(
        "portal-retention", hour, std::chrono::minutes(30),
        [&]() -> Status {
          requests = FD_TRY(impl_->portal->RunRetention());
          registrations = FD_TRY(impl_->events->DeleteUnconfirmed());
          return {};
        });
    if (!ran) {
      log::Error("portal_retention_failed", {{"internal", ran.error().internal}});
    } else if (*ran) {
      log::Info("portal_retention_run", {{"period", hour}, {"contact_requests", requests},
                                         {"unconfirmed_registrations", registrations}});
    }
    // Sent and given-up mails (their sealed fields went when they finished) after a week, once an
    // hour on one server.
    std::int64_t mails = 0;
    auto mail_ran = runner.RunOnce("mail-outbox", hour, std::chrono::minutes(30), [&]() -> Status {
      mails = FD_TRY(impl_->outbox->ForgetFinished(clock::NowUnix() - kKeepFinishedMailSeconds));
      return {};
    });
    if (!mail_ran) {
      log::Error("mail_outbox_retention_failed", {{"internal", mail_ran.error().internal}});
    } else if (*mail_ran) {
      log::Info("mail_outbox_retention_run", {{"period", hour}, {"forgotten", mails}});
    }
    // Used proof-of-work challenges (sign-in and portal) past their expiry, once an hour on one
    // server.
    std::int64_t forgotten = 0;
    auto forgot = runner.RunOnce("used-challenges", hour, std::chrono::minutes(30), [&]() -> Status {
      forgotten = FD_TRY(cluster::ForgetExpiredChallenges(*impl_->database, clock::NowUnix()));
      return {};
    });
    if (!forgot) {
      log::Error("used_challenges_failed", {{"internal", forgot.error().internal}});
    } else if (*forgot) {
      log::Info("used_challenges_run", {{"period", hour}, {"forgotten", forgotten}});
    }
  };
  // The daily retention job: anonymises closed cases past the retention period. Every app server
  // checks at start-up and then hourly whether today's run is due; exactly one server on the
  // database runs it per day (ops::JobRunner claims the day in job_runs).
  std::thread retention([&] {
    ops::JobRunner runner(*impl_->database, ops::ProcessHolder());
    std::unique_lock lock(mu);
    while (!stopping && !stop_jobs) {
      lock.unlock();
      const std::string today = clock::TodayIso();
      std::size_t anonymised = 0, clients = 0;
      auto ran = runner.RunOnce(
          "retention", today, std::chrono::hours(2),
          [&]() -> Status {
            auto report = FD_TRY(impl_->cases->RunRetention(/*dry_run=*/false, proceed));
            anonymised = report.case_ids.size();
            clients = report.clients_anonymised;
            if (report.stopped) return Fail(ops::JobStopped());
            return {};
          });
      if (!ran && ran.error().slug == ops::kJobStoppedSlug) {
        log::Info("retention_stopped", {{"period", today}, {"anonymised", anonymised}, {"clients", clients}});
      } else if (!ran) {
        log::Error("retention_failed", {{"internal", ran.error().internal}});
      } else if (*ran) {
        log::Info("retention_run", {{"period", today}, {"anonymised", anonymised}, {"clients", clients}});
      }
      if (!stop_jobs) run_portal_retention(runner);
      lock.lock();
      wake.wait_for(lock, std::chrono::hours(1), [&] { return stopping || stop_jobs.load(); });
    }
  });
  int rc = server.Run();
  {
    std::lock_guard lock(mu);
    stopping = true;
  }
  stop_jobs = true;
  wake.notify_all();
  retention.join();
  return rc;
}

std::string DemoLoginsText() {
  return "Demo logins (password for all: fairdesk-demo — demo mode only):\n"
         "  admin@example.org               admin\n"
         "  advisor.berlin@example.org      advisor, Berlin centre\n"
         "  advisor.bayern@example.org      advisor, Bavaria centre\n"
         "  lead.berlin@example.org         centre lead, Berlin\n"
         "  coordinator.berlin@example.org  state coordinator, Berlin\n"
         "  fachstelle@example.org          competence centre\n"
         "  redaktion@example.org           competence centre (second editor: four eyes)\n"
         "  programme@example.org           programme\n";
}

}  // namespace fairdesk::app
