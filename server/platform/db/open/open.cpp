// db::Open, declared in platform/db/database.hpp. See CMakeLists.txt for why it lives here.

#include "platform/db/database.hpp"
#include "platform/db/postgres/postgres_database.hpp"
#include "platform/db/sqlite/sqlite_database.hpp"

namespace fairdesk::db {

Result<std::unique_ptr<Database>> Open(const std::string& url, int pool_size) {
  constexpr std::string_view kSqlite = "sqlite:";
  const std::string_view view = url;
  if (view.starts_with(kSqlite)) {
    std::string_view path = view.substr(kSqlite.size());
    // "sqlite:///var/lib/fairdesk.db" (URL form) and "sqlite:/var/lib/fairdesk.db" mean the same.
    if (path.starts_with("//")) {
      path.remove_prefix(2);
    }
    return sqlite::Open(sqlite::Options{.path = std::string(path), .readers = pool_size});
  }
  if (view.starts_with("postgresql://") || view.starts_with("postgres://")) {
    return postgres::Open(postgres::Options{.url = url, .pool_size = pool_size});
  }
  // The URL may hold a password, so it stays out of the message.
  return Fail(Error::Internal("db::Open: unknown database URL scheme (expected sqlite: or postgresql://)"));
}

}  // namespace fairdesk::db
