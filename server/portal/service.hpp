#pragma once
/// The portal's rules: a contact request is validated, routed to the responsible centre (the
/// centre chosen in the finder, else the centre serving the postcode, else the Competence
/// Centre), sealed and stored with a reference for the visitor; advisors list their centre's
/// requests and turn one into a client and a case in one step.

#include <functional>
#include <map>
#include <memory>

#include "cases/service.hpp"
#include "directory/service.hpp"
#include "platform/crypto/keyring.hpp"
#include "portal/model.hpp"
#include "portal/protection.hpp"
#include "portal/sign_videos.hpp"
#include "portal/store.hpp"

namespace fairdesk::portal {

/// Valid UTF-8 without control characters (tab and newlines allowed where `multiline`);
/// answers the number of code points, or -1 (a form field refused as binary).
long CodePoints(std::string_view s, bool multiline);

/// A contact form as posted (all strings as received).
struct ContactForm {
  std::string lang, name, reach, postcode, language, topic, message, centre, consent, honeypot;
  std::string pow_salt, pow_challenge, pow_signature, pow_number;
};

struct SubmitResult {
  std::map<std::string, std::string> errors;  // field → error key (errors.*), localised by the page
  std::optional<std::string> reference;       // set when stored
  std::optional<std::int64_t> retry_after;    // rate limited
};

/// The abuse-protection fields of any public form (honeypot and proof of work).
struct ProtectionInput {
  std::string honeypot, pow_salt, pow_challenge, pow_signature, pow_number;
};

/// What the contact form's protection says about a post (used by other public forms, e.g. the
/// events self-registration).
struct Protection {
  std::optional<std::int64_t> retry_after;  // rate limited: answer 429
  bool replay = false;                      // a solved challenge used before
  bool spam = false;                        // honeypot filled or sent faster than a person can
  bool verified = false;                    // proof of work solved
};

struct Options {
  std::int64_t pow_max_number = 20000;
  std::chrono::seconds pow_ttl{3600};
  int rate_budget = 30;  // units per window per IPv4 address or IPv6 /64; unverified requests cost 3
  std::chrono::seconds rate_window{600};
  std::int64_t min_fill_seconds = 2;
  /// Contact requests that did not become a case are deleted this long after they arrived (the
  /// privacy notice says 90 days); converted ones once their case is anonymised or erased.
  std::int64_t request_retention_days = 90;
};

class Service {
 public:
  Service(db::Database& db, directory::Service& directory, cases::Service& cases, const crypto::Keyring& keyring,
          Options options = {});

  /// Loads (or, on the first server, makes) the secret that every app server on the database
  /// shares for the proof of work's signatures and the rate limit's pseudonyms. Until it ran,
  /// this process uses a random one of its own.
  Status Init();

  Challenge NewChallenge() const;
  /// The contact form's protection for another public form: rate budget per address (a solved
  /// proof costs 1, none 3), proof of work (each challenge once), honeypot and minimum fill time.
  Protection Protect(const ProtectionInput& in, const std::string& remote_address);
  SubmitResult Submit(const ContactForm& form, const std::string& remote_address);

  Result<std::vector<ContactRequest>> List(const Principal& p, const std::optional<std::string>& status);
  struct Converted {
    std::string client_id, case_id, case_number;
  };
  Result<Converted> Convert(const Principal& p, std::string_view id);
  Result<ContactRequest> Close(const Principal& p, std::string_view id);
  Result<std::int64_t> CountAll();
  /// Deletes the contact requests past retention (each deletion audited as a system erase) and
  /// the rate limit's windows that are over.
  /// Answers how many were deleted. Run by the app's portal-retention job, once per hour across
  /// all app servers.
  Result<int> RunRetention();

  /// The page's admin-edited text, or nullopt (the page then shows the default from the locale).
  Result<std::optional<LegalPage>> Legal(const std::string& page, const std::string& lang);
  Status SaveLegal(const Principal& p, LegalPage page);
  /// Every admin-edited text (admins), for the administration's overview.
  Result<std::vector<LegalPage>> LegalPages(const Principal& p);
  /// Removes the admin-edited text of a page in one language (admins): the page shows its default
  /// again. Not found when there was none.
  Status ResetLegal(const Principal& p, const std::string& page, const std::string& lang);

  /// The sign-language videos of the portal's pages.
  SignVideos& sign_videos() { return sign_videos_; }

 private:
  Result<ContactRequest> Load(db::Session& s, const Principal& p, std::string_view id);
  Result<ContactRequest> Open(ContactRequest r) const;
  /// Spends `cost` of the address's budget (per IPv4 address or IPv6 /64, in the database):
  /// nullopt when allowed, else the seconds until its window ends.
  std::optional<std::int64_t> SpendRate(const std::string& remote_address, int cost, std::int64_t now);

  db::Database& db_;
  directory::Service& directory_;
  cases::Service& cases_;
  const crypto::Keyring& keyring_;
  Options options_;
  ProofOfWork pow_;
  std::string rate_secret_;
  std::unique_ptr<Store> store_;
  SignVideos sign_videos_{db_};
};

/// Personal columns sealed with the Keyring (for `fairdesk keys reencrypt`).
std::vector<crypto::EncryptedColumn> EncryptedColumns();

}  // namespace fairdesk::portal
