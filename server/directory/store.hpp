#pragma once
/// Storage of the directory. One interface; the implementation (sql_store.cpp) runs on both
/// database adapters.

#include <functional>
#include <memory>
#include <vector>

#include "directory/model.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"

namespace fairdesk::directory {

struct Snapshot {
  std::vector<Organisation> organisations;
  std::vector<Network> networks;
  std::vector<Centre> centres;
  std::vector<Partner> partners;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual Result<Snapshot> LoadAll() = 0;
  virtual Result<bool> IsEmpty() = 0;
  /// Inserts the whole seed in one transaction (only into an empty directory).
  virtual Status Import(const Snapshot& seed, const std::string& version) = 0;
  virtual Status UpsertOrganisation(const Organisation& o, bool create) = 0;
  virtual Status UpsertCentre(const Centre& c, bool create) = 0;
  virtual Result<bool> LocationsEmpty() = 0;
  /// Inserts locations in one transaction.
  virtual Status InsertLocations(const std::vector<Location>& locations) = 0;
  virtual Status UpsertLocation(const Location& l, bool create) = 0;
  virtual Status DeleteLocation(std::string_view centre_id, std::string_view location_id) = 0;
  /// Calls `fn` (on another thread; it must be quick) when another process changed the
  /// directory, or may have (Database::Subscribe).
  virtual void OnChange(std::function<void()> fn) = 0;
};

std::unique_ptr<Store> MakeSqlStore(db::Database& db);
std::span<const db::Migration> Migrations();

}  // namespace fairdesk::directory
