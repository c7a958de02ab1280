#pragma once
/// Directory rules: filtering centres by state, language and postcode, which centre serves a
/// postcode, admin edits. Reads come from an in-memory snapshot that is reloaded after every
/// edit on this server, at once when another app server on the same PostgreSQL database
/// announces an edit (NOTIFY in the edit's transaction, Database::Subscribe) and, as a fallback,
/// by a background thread every few seconds. Reads therefore never wait for the database once
/// the first snapshot is loaded.

#include <boost/json.hpp>

#include <chrono>
#include <condition_variable>
#include <thread>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "directory/store.hpp"

namespace fairdesk::directory {

class Service {
 public:
  explicit Service(std::unique_ptr<Store> store);
  ~Service();

  /// Loads the snapshot now and keeps reloading it on a background thread: when another process
  /// changed the directory (Store::OnChange) and every `period`.
  Status StartRefresh(std::chrono::seconds period);

  /// Loads the seed (embedded at build time from server/directory/seed/directory.json) into an
  /// empty directory.
  Status ImportSeedIfEmpty();

  Result<std::vector<Centre>> Centres(const CentreFilter& filter);
  Result<Centre> CentreById(std::string_view id);
  /// The advice centre whose postcode ranges contain `postcode`.
  Result<std::optional<Centre>> CentreForPostcode(std::string_view postcode);
  Result<std::vector<Organisation>> Organisations(std::optional<std::string> kind);
  Result<Organisation> OrganisationById(std::string_view id);
  Result<std::vector<Partner>> Partners(std::optional<std::string> kind, std::optional<std::string> state);
  Result<std::vector<Network>> Networks();

  Status SaveOrganisation(const Organisation& o, bool create);
  Status SaveCentre(const Centre& c, bool create);

  /// Gives every centre without locations its main location (from the centre's own address and
  /// contact data) and adds the seed's further locations (seed/locations.json) of known centres;
  /// only when no location exists yet.
  Status ImportLocationsIfEmpty();
  /// The public finder: locations by distance to a postcode, by language (Dari `prs` also
  /// matches Persian `fa`), or for people abroad (locations with a remote channel).
  Result<std::vector<FoundLocation>> FindLocations(const FinderQuery& q);
  Result<Location> LocationById(std::string_view centre_id, std::string_view location_id);
  Status SaveLocation(const Location& l, bool create);
  Status DeleteLocation(std::string_view centre_id, std::string_view location_id);

  /// The answer of GET /api/v1/centres for a filter: its JSON and an entity tag (a hash of the
  /// JSON, so the same on every app server for the same data). Made once per filter and snapshot.
  struct CentresPage {
    std::string json;
    std::string etag;
  };
  Result<std::shared_ptr<const CentresPage>> CentresJson(const CentreFilter& filter);

 private:
  Result<std::shared_ptr<const Snapshot>> Current();
  /// Reads the directory from the store and replaces the snapshot.
  Result<std::shared_ptr<const Snapshot>> Reload();

  // Wakes the refresher; shared with the store's change callback, which may outlive the service.
  struct Wake {
    std::mutex mu;
    std::condition_variable_any cv;
    bool reload = false;
  };

  std::unique_ptr<Store> store_;
  std::mutex reload_mu_;  // one load at a time, so that an older load never replaces a newer one
  std::mutex mu_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::map<std::string, std::shared_ptr<const CentresPage>, std::less<>> json_cache_;
  std::shared_ptr<Wake> wake_ = std::make_shared<Wake>();
  std::jthread refresher_;  // last member: stopped and joined first
};

boost::json::object ToJson(const Centre& c);
boost::json::object ToJson(const Organisation& o);
boost::json::object ToJson(const Location& l);
boost::json::object ToJson(const FoundLocation& f);
boost::json::object ToJson(const Partner& p);
boost::json::object ToJson(const Network& n);
/// Parses the seed file format (see seed/README.md).
Result<std::pair<Snapshot, std::string>> ParseSeed(std::string_view json_text);

}  // namespace fairdesk::directory
