#pragma once
/// Storage of the portal (named SQL for both databases in sql_store.cpp). Personal fields arrive
/// here already sealed by the service.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "platform/core/error.hpp"
#include "platform/db/database.hpp"
#include "platform/db/migrations.hpp"
#include "portal/model.hpp"

namespace fairdesk::portal {

class Store {
 public:
  virtual ~Store() = default;
  /// Spends `cost` units of the key's `budget` in its current window of `window` seconds (a
  /// fixed window from the key's first spend; a new one once it is over), shared by every server
  /// on the database. nullopt when allowed; otherwise the seconds until the window ends
  /// (Retry-After), and nothing is spent.
  virtual Result<std::optional<std::int64_t>> SpendRate(db::Session& s, const std::string& key, std::int64_t cost,
                                                        std::int64_t budget, std::int64_t now, std::int64_t window) = 0;
  /// Forgets the windows that started at or before `ended_before` (they are over); answers how many.
  virtual Result<std::int64_t> ForgetRates(db::Session& s, std::int64_t ended_before) = 0;
  virtual Status Insert(db::Session& s, const ContactRequest& r) = 0;
  virtual Result<bool> ReferenceExists(db::Session& s, const std::string& reference) = 0;
  virtual Result<std::vector<ContactRequest>> List(db::Session& s, const std::string& centre_id,
                                                   const std::optional<std::string>& status, std::size_t limit) = 0;
  virtual Result<std::optional<ContactRequest>> Find(db::Session& s, const std::string& id) = 0;
  virtual Status SetHandled(db::Session& s, const ContactRequest& r) = 0;
  virtual Result<std::int64_t> Count(db::Session& s) = 0;
  /// Ids and centres of requests past retention (created before `cutoff`, see sql_store.cpp).
  virtual Result<std::vector<std::pair<std::string, std::string>>> Expired(db::Session& s, std::int64_t cutoff,
                                                                           std::size_t limit) = 0;
  virtual Status Delete(db::Session& s, const std::string& id) = 0;
  virtual Result<std::optional<LegalPage>> Legal(db::Session& s, const std::string& page, const std::string& lang) = 0;
  virtual Status SaveLegal(db::Session& s, const LegalPage& p) = 0;
  virtual Result<std::vector<LegalPage>> LegalPages(db::Session& s) = 0;
  /// Answers whether there was a text to delete.
  virtual Result<bool> DeleteLegal(db::Session& s, const std::string& page, const std::string& lang) = 0;
};

std::unique_ptr<Store> MakeSqlStore();
std::span<const db::Migration> Migrations();

}  // namespace fairdesk::portal
