#include "platform/db/notify.hpp"

#include <unistd.h>

#include <map>
#include <mutex>
#include <random>

namespace fairdesk::db {
namespace {

std::mutex g_mu;
std::map<const Database*, detail::Subscriber>& Subscribers() {
  static std::map<const Database*, detail::Subscriber> subscribers;
  return subscribers;
}

}  // namespace

namespace detail {

void SetSubscriber(const Database* database, Subscriber subscriber) {
  std::lock_guard lock(g_mu);
  if (subscriber) {
    Subscribers()[database] = std::move(subscriber);
  } else {
    Subscribers().erase(database);
  }
}

const std::string& NotifyToken() {
  static const std::string token = [] {
    std::random_device random;
    return std::to_string(::getpid()) + "-" + std::to_string(random()) + std::to_string(random());
  }();
  return token;
}

}  // namespace detail

Status Notify(Session& tx, std::string_view channel) {
  if (tx.backend() != Backend::kPostgres) return {};
  static constexpr Query kNotify{"db.notify", "SELECT pg_notify($1, $2)"};
  FD_TRY(tx.Query(kNotify, {Value{std::string(channel)}, Value{detail::NotifyToken()}}));
  return {};
}

void Subscribe(Database& database, std::string channel, std::function<void()> on_change) {
  detail::Subscriber subscriber;
  {
    std::lock_guard lock(g_mu);
    if (auto it = Subscribers().find(&database); it != Subscribers().end()) subscriber = it->second;
  }
  if (subscriber) subscriber.subscribe(std::move(channel), std::move(on_change));
}

bool Listening(Database& database, std::string_view channel) {
  detail::Subscriber subscriber;
  {
    std::lock_guard lock(g_mu);
    if (auto it = Subscribers().find(&database); it != Subscribers().end()) subscriber = it->second;
  }
  return subscriber && subscriber.listening && subscriber.listening(channel);
}

}  // namespace fairdesk::db
