#pragma once
/// Change notices between the app servers on one database, for the in-memory copies of database
/// data that each server keeps (the directory snapshot, the sign-in provider's cached discovery
/// document): PostgreSQL LISTEN/NOTIFY. On SQLite, which one process serves, both are no-ops.

#include <functional>
#include <string>
#include <string_view>

#include "platform/db/database.hpp"

namespace fairdesk::db {

/// Tells the other processes on the database that the data behind `channel` changed: their
/// Subscribe callbacks run. PostgreSQL: NOTIFY in `tx`'s transaction (call it inside
/// Database::Write), so it is sent when the transaction commits and never when it rolls back.
Status Notify(Session& tx, std::string_view channel);

/// Calls `on_change` whenever another process committed a Notify(channel), and whenever the
/// listening connection was connected anew (notices sent while it was away are lost, so the
/// caller reloads). Notices of this process's own writes are not delivered: the writer updates
/// its own copy. `on_change` runs on the database's listener thread: it must be quick (wake the
/// caller's own thread), must not throw, and may run until `database` is destroyed.
/// PostgreSQL: one LISTEN connection per Database (application_name
/// "fairdesk-listener-<pid>"), connected on the first Subscribe and reconnected by itself.
void Subscribe(Database& database, std::string channel, std::function<void()> on_change);

/// Whether a Notify(channel) committed by another process reaches this process's Subscribe
/// callbacks now: PostgreSQL's listener is connected and has listened to `channel` since it last
/// (re)connected. A process may keep a copy of database data without reading it again only while
/// this holds (and must read again, or drop the copy, when its callback runs). False on SQLite
/// (no listener) and before the first Subscribe(channel).
bool Listening(Database& database, std::string_view channel);

namespace detail {
/// The adapter's side of Subscribe and Listening: PostgreSQL registers its listener when it opens
/// a Database and removes it (empty functions) before the Database goes.
struct Subscriber {
  std::function<void(std::string channel, std::function<void()> on_change)> subscribe;
  std::function<bool(std::string_view channel)> listening;
  explicit operator bool() const { return static_cast<bool>(subscribe); }
};
void SetSubscriber(const Database* database, Subscriber subscriber);
/// Names this process in its notices (the payload), so that its own listener skips them.
const std::string& NotifyToken();
}  // namespace detail

}  // namespace fairdesk::db
