#include "portal/service.hpp"

#include <sodium.h>

#include <algorithm>

#include "audit/audit.hpp"
#include "directory/postcodes.hpp"
#include "platform/cluster/cluster.hpp"
#include "platform/core/clock.hpp"
#include "platform/crypto/crypto.hpp"
#include "platform/log/log.hpp"
#include "portal/i18n.hpp"

namespace fairdesk::portal {
namespace {

constexpr std::string_view kTable = "contact_requests";
// The name of the portal's shared secret and the scope of its used challenges (platform/cluster).
constexpr std::string_view kScope = "portal";
constexpr std::string_view kSealed[] = {"name_enc", "reach_enc", "message_enc"};

std::string Trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string NewReference() {
  static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // no 0/O, 1/I
  std::string out = "FI-";
  for (int i = 0; i < 8; ++i) {
    out += kAlphabet[randombytes_uniform(32)];
    if (i == 3) out += '-';
  }
  return out;
}

bool Allowed(const Principal& p) { return HasCaseAccess(p.role) && p.centre_id.has_value(); }

}  // namespace

long CodePoints(std::string_view s, bool multiline) {
  long n = 0;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return -1;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return -1;
    }
    if (len == 1 && (c < 0x20 || c == 0x7F)) {
      if (!(multiline && (c == '\n' || c == '\r' || c == '\t'))) return -1;
    }
    if (len == 2 && c < 0xC2) return -1;  // overlong
    i += len;
    ++n;
  }
  return n;
}


std::vector<crypto::EncryptedColumn> EncryptedColumns() {
  std::vector<crypto::EncryptedColumn> out;
  for (auto col : kSealed) {
    out.push_back({std::string(kTable), "id", std::string(col), crypto::EncryptedColumn::Encoding::kBase64Text});
  }
  return out;
}

Service::Service(db::Database& db, directory::Service& directory, cases::Service& cases, const crypto::Keyring& keyring,
                 Options options)
    : db_(db),
      directory_(directory),
      cases_(cases),
      keyring_(keyring),
      options_(options),
      pow_(options.pow_max_number, options.pow_ttl),
      rate_secret_(crypto::RandomToken(32)),
      store_(MakeSqlStore()) {}

Status Service::Init() {
  // One secret for every app server on the database (platform/cluster): challenges issued by one
  // server verify on the others, and the rate limit's pseudonyms of networks agree. Two keys
  // derived from it, one for each use.
  const std::string secret = FD_TRY(cluster::SharedSecret(db_, keyring_, kScope));
  pow_ = ProofOfWork(crypto::HmacSha256Hex(secret, "proof-of-work"), options_.pow_max_number, options_.pow_ttl);
  rate_secret_ = crypto::HmacSha256Hex(secret, "rate-limit");
  return {};
}

std::optional<std::int64_t> Service::SpendRate(const std::string& remote_address, int cost, std::int64_t now) {
  // The network, never stored as it is: a keyed pseudonym (without the keyring's keys it cannot
  // be turned back into an address, not even by trying every IPv4 address).
  std::string network = RateKey(remote_address);
  const std::string key = crypto::HmacSha256Hex(rate_secret_, network.empty() ? "unknown" : network).substr(0, 32);
  std::optional<std::int64_t> retry;
  auto spent = db_.Write([&](db::Session& s) -> Status {
    retry = FD_TRY(store_->SpendRate(s, key, cost, options_.rate_budget, now, options_.rate_window.count()));
    return {};
  });
  if (!spent) {
    // The request itself needs the database too and fails on its own; a limiter that cannot
    // count lets it through rather than refusing everyone.
    log::Warn("portal_rate_unavailable", {{"internal", spent.error().internal}});
    return std::nullopt;
  }
  return retry;
}

Challenge Service::NewChallenge() const { return pow_.Create(clock::NowUnix()); }

Protection Service::Protect(const ProtectionInput& in, const std::string& remote_address) {
  Protection out;
  const std::int64_t now = clock::NowUnix();
  out.verified = pow_.Verify(in.pow_salt, in.pow_challenge, in.pow_signature, in.pow_number, now) == ProofResult::kValid;
  if (auto retry = SpendRate(remote_address, out.verified ? 1 : 3, now)) {
    out.retry_after = *retry;
    return out;
  }
  out.spam = !in.honeypot.empty();
  if (auto issued = pow_.IssuedAt(in.pow_salt, in.pow_challenge, in.pow_signature);
      issued && now - *issued < options_.min_fill_seconds && now - *issued >= -5) {
    out.spam = true;
  }
  if (out.verified) {
    bool fresh = false;
    auto stored = db_.Write([&](db::Session& s) -> Status {
      fresh = FD_TRY(cluster::UseChallenge(s, kScope, in.pow_challenge, pow_.ExpiresAt(in.pow_salt)));
      return {};
    });
    out.replay = !stored || !fresh;
  }
  return out;
}

SubmitResult Service::Submit(const ContactForm& f, const std::string& remote_address) {
  SubmitResult out;
  const std::int64_t now = clock::NowUnix();
  ProofResult proof = pow_.Verify(f.pow_salt, f.pow_challenge, f.pow_signature, f.pow_number, now);
  bool verified = proof == ProofResult::kValid;
  // Unsolved (no JavaScript) or wrong proofs cost more of the address's budget: raise the cost
  // before refusing, since many honest people may share one address.
  if (auto retry = SpendRate(remote_address, verified ? 1 : 3, now)) {
    out.retry_after = *retry;
    return out;
  }

  ContactRequest r;
  auto text = [&](const std::string& field, const std::string& value, long max, bool required, bool multiline) {
    std::string v = Trim(value);
    long n = CodePoints(v, multiline);
    if (n < 0) out.errors[field] = "binary";
    else if (n > max || v.size() > static_cast<std::size_t>(max) * 4) out.errors[field] = "tooLong";
    else if (required && v.empty()) out.errors[field] = "required";
    return v;
  };
  r.name = text("name", f.name, 100, true, false);
  r.reach = text("reach", f.reach, 200, true, false);
  r.message = text("message", f.message, 2000, true, true);
  std::string postcode = text("postcode", f.postcode, 100, false, false);
  if (!postcode.empty() && !out.errors.contains("postcode")) {
    if (postcode.size() == 5 && std::all_of(postcode.begin(), postcode.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      if (!directory::PostcodeLocation(postcode)) out.errors["postcode"] = "postcode";
      else r.postcode = postcode;
    } else if (auto code = directory::PostcodeOfPlace(postcode)) {
      r.postcode = *code;
    } else {
      out.errors["postcode"] = "postcode";
    }
  }
  const auto& known = KnownLanguageCodes();
  if (f.language.empty()) out.errors["language"] = "required";
  else if (std::find(known.begin(), known.end(), f.language) == known.end()) out.errors["language"] = "language";
  r.language = f.language;
  if (std::find(std::begin(kTopics), std::end(kTopics), f.topic) == std::end(kTopics)) out.errors["topic"] = "topic";
  r.topic = f.topic;
  if (f.consent != "yes") out.errors["consent"] = "consent";
  if (!out.errors.empty()) return out;

  // The responsible centre: the one chosen in the finder, else the one serving the postcode,
  // else the Competence Centre (it forwards).
  std::optional<directory::Centre> centre;
  if (!f.centre.empty() && f.centre.size() < 100) {
    if (auto c = directory_.CentreById(f.centre); c && c->kind == "advice_centre") centre = *c;
  }
  if (!centre && r.postcode) {
    if (auto c = directory_.CentreForPostcode(*r.postcode); c && *c) centre = **c;
  }
  if (!centre) {
    if (auto all = directory_.Centres({}); all) {
      for (const auto& c : *all) {
        if (c.kind == "competence_centre") centre = c;
      }
      if (!centre && !all->empty()) centre = all->front();
    }
  }
  if (!centre) {
    out.errors["form"] = "unavailable";
    return out;
  }
  r.centre_id = centre->id;
  r.id = crypto::NewId("creq");
  r.created_at = now;
  r.verified = verified;
  bool spam = !f.honeypot.empty();
  if (auto issued = pow_.IssuedAt(f.pow_salt, f.pow_challenge, f.pow_signature);
      issued && now - *issued < options_.min_fill_seconds && now - *issued >= -5) {
    spam = true;  // filled faster than a person can: kept, but out of the inbox
  }
  r.status = spam ? "suspected_spam" : "new";

  ContactRequest sealed = r;
  for (auto [field, col] : {std::pair{&sealed.name, "name_enc"}, std::pair{&sealed.reach, "reach_enc"},
                            std::pair{&sealed.message, "message_enc"}}) {
    auto enc = keyring_.EncryptToText(*field, crypto::AssociatedData(kTable, col, r.id));
    if (!enc) {
      out.errors["form"] = "unavailable";
      return out;
    }
    *field = *enc;
  }
  bool replay = false;
  auto stored = db_.Write([&](db::Session& s) -> Status {
    if (verified) {
      bool fresh = FD_TRY(cluster::UseChallenge(s, kScope, f.pow_challenge, pow_.ExpiresAt(f.pow_salt)));
      if (!fresh) {
        replay = true;
        return {};
      }
    }
    for (int attempt = 0;; ++attempt) {
      sealed.reference = NewReference();
      if (!FD_TRY(store_->ReferenceExists(s, sealed.reference)) || attempt > 10) break;
    }
    FD_TRY_VOID(store_->Insert(s, sealed));
    return audit::RecordSystem(s, audit::kCreate, "contact_request", r.id, r.centre_id);
  });
  if (!stored) {
    log::Error("contact_request_failed", {{"internal", stored.error().internal}});
    out.errors["form"] = "unavailable";
    return out;
  }
  if (replay) {
    out.errors["form"] = "replay";
    return out;
  }
  out.reference = sealed.reference;
  return out;
}

Result<ContactRequest> Service::Open(ContactRequest r) const {
  for (auto [field, col] : {std::pair{&r.name, "name_enc"}, std::pair{&r.reach, "reach_enc"},
                            std::pair{&r.message, "message_enc"}}) {
    *field = FD_TRY(keyring_.DecryptText(*field, crypto::AssociatedData(kTable, col, r.id)));
  }
  return r;
}

Result<ContactRequest> Service::Load(db::Session& s, const Principal& p, std::string_view id) {
  if (!Allowed(p)) return Fail(Error::Forbidden());
  auto r = FD_TRY(store_->Find(s, std::string(id)));
  if (!r || r->centre_id != *p.centre_id) return Fail(Error::NotFound("No such contact request."));
  return *r;
}

Result<std::vector<ContactRequest>> Service::List(const Principal& p, const std::optional<std::string>& status) {
  if (!Allowed(p)) return Fail(Error::Forbidden());
  if (status && std::find(std::begin(kStatuses), std::end(kStatuses), *status) == std::end(kStatuses)) {
    return Fail(Error::Invalid("status", "must be new, converted, closed or suspected_spam"));
  }
  std::vector<ContactRequest> rows;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    rows = FD_TRY(store_->List(s, *p.centre_id, status, 200));
    for (const auto& r : rows) FD_TRY_VOID(audit::Record(s, p, audit::kRead, "contact_request", r.id, r.centre_id));
    return {};
  }));
  std::vector<ContactRequest> out;
  for (auto& r : rows) out.push_back(FD_TRY(Open(std::move(r))));
  return out;
}

Result<Service::Converted> Service::Convert(const Principal& p, std::string_view id) {
  ContactRequest r;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    r = FD_TRY(Load(s, p, id));
    return {};
  }));
  if (r.status == "converted") return Fail(Error::Conflict("This request has already become a case."));
  r = FD_TRY(Open(std::move(r)));
  cases::Client client;
  client.languages = {r.language};
  client.personal.name = r.name;
  if (r.reach.find('@') != std::string::npos) client.personal.email = r.reach;
  else if (r.reach.find_first_not_of("+0123456789 ()/-") == std::string::npos) client.personal.phone = r.reach;
  else client.personal.safe_contact = r.reach;
  client.consents.storage = true;
  client.consents.contact = true;
  client.consents.date = clock::TodayIso();
  client = FD_TRY(cases_.CreateClient(p, client));
  cases::Case c;
  c.client_id = client.id;
  c.topics = {r.topic};
  auto created = FD_TRY(cases_.CreateCase(p, c));
  r.status = "converted";
  r.client_id = client.id;
  r.case_id = created.id;
  r.handled_by = p.user_id;
  r.handled_at = clock::NowUnix();
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    FD_TRY_VOID(store_->SetHandled(s, r));
    return audit::Record(s, p, audit::kUpdate, "contact_request", r.id, r.centre_id);
  }));
  return Converted{client.id, created.id, created.number};
}

Result<ContactRequest> Service::Close(const Principal& p, std::string_view id) {
  ContactRequest r;
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    r = FD_TRY(Load(s, p, id));
    if (r.status == "converted") return Fail(Error::Conflict("This request has already become a case."));
    r.status = "closed";
    r.handled_by = p.user_id;
    r.handled_at = clock::NowUnix();
    FD_TRY_VOID(store_->SetHandled(s, r));
    return audit::Record(s, p, audit::kUpdate, "contact_request", r.id, r.centre_id);
  }));
  return Open(std::move(r));
}

Result<std::int64_t> Service::CountAll() {
  std::int64_t n = 0;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    n = FD_TRY(store_->Count(s));
    return {};
  }));
  return n;
}

Result<int> Service::RunRetention() {
  const std::int64_t now = clock::NowUnix();
  const std::int64_t cutoff = now - options_.request_retention_days * 86400;
  // The rate limit's windows that are over.
  FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
    FD_TRY(store_->ForgetRates(s, now - options_.rate_window.count()));
    return {};
  }));
  int deleted = 0;
  // In batches, each in its own short transaction, so that the inbox never waits long.
  for (;;) {
    std::vector<std::pair<std::string, std::string>> batch;
    FD_TRY_VOID(db_.Write([&](db::Session& s) -> Status {
      batch = FD_TRY(store_->Expired(s, cutoff, 200));
      for (const auto& [id, centre] : batch) {
        FD_TRY_VOID(store_->Delete(s, id));
        FD_TRY_VOID(audit::RecordSystem(s, audit::kErase, "contact_request", id, centre));
      }
      return {};
    }));
    deleted += static_cast<int>(batch.size());
    if (batch.size() < 200) break;
  }
  return deleted;
}

Result<std::optional<LegalPage>> Service::Legal(const std::string& page, const std::string& lang) {
  std::optional<LegalPage> out;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(store_->Legal(s, page, lang));
    return {};
  }));
  return out;
}

Status Service::SaveLegal(const Principal& p, LegalPage page) {
  if (p.role != Role::kAdmin) return Fail(Error::Forbidden());
  page.updated_at = clock::NowUnix();
  page.updated_by = p.user_id;
  return db_.Write([&](db::Session& s) -> Status {
    FD_TRY_VOID(store_->SaveLegal(s, page));
    return audit::Record(s, p, audit::kUpdate, "legal_page", page.page + "-" + page.lang);
  });
}

Result<std::vector<LegalPage>> Service::LegalPages(const Principal& p) {
  if (p.role != Role::kAdmin) return Fail(Error::Forbidden());
  std::vector<LegalPage> out;
  FD_TRY_VOID(db_.Read([&](db::Session& s) -> Status {
    out = FD_TRY(store_->LegalPages(s));
    return {};
  }));
  return out;
}

Status Service::ResetLegal(const Principal& p, const std::string& page, const std::string& lang) {
  if (p.role != Role::kAdmin) return Fail(Error::Forbidden());
  return db_.Write([&](db::Session& s) -> Status {
    if (!FD_TRY(store_->DeleteLegal(s, page, lang))) return Fail(Error::NotFound("This page has no edited text in this language."));
    return audit::Record(s, p, audit::kDelete, "legal_page", page + "-" + lang);
  });
}

}  // namespace fairdesk::portal
