#pragma once
/// Reading and verifying the audit log. Who may read what:
/// - centre leads: the entries of their own centre (acts of its staff, and acts of anyone on
///   records that belong to it);
/// - admins: all entries, for security oversight. Entries hold only ids, so this shows admins no
///   case content (PRODUCT.md §1); resolving an id to content still needs case access.
/// Everyone else gets 403 from the route.

#include <memory>
#include <string_view>

#include "audit/model.hpp"
#include "audit/store.hpp"
#include "platform/core/access.hpp"

namespace fairdesk::audit {

class Service {
 public:
  explicit Service(std::unique_ptr<Store> store) : store_(std::move(store)) {}

  /// `cursor`: empty, or the next_cursor of the previous page.
  Result<Page> List(const Principal& principal, Filter filter, int limit, std::string_view cursor);
  /// Walks the whole chain.
  Result<VerifyReport> Verify();

 private:
  std::unique_ptr<Store> store_;
};

}  // namespace fairdesk::audit
