#include "platform/core/pending.hpp"

namespace fairdesk {
namespace {
thread_local PendingWork* current = nullptr;
}  // namespace

PendingWork* PendingWork::Current() { return current; }

PendingWork::Scope::Scope(PendingWork& work) : previous_(current) { current = &work; }
PendingWork::Scope::~Scope() { current = previous_; }

int PendingWork::Tracker::Open() const {
  std::lock_guard lock(mu_);
  return open_;
}

bool PendingWork::Tracker::WaitIdle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return idle_.wait_until(lock, deadline, [&] { return open_ == 0; });
}

void PendingWork::Tracker::Opened() {
  std::lock_guard lock(mu_);
  ++open_;
}

void PendingWork::Tracker::Closed() {
  std::lock_guard lock(mu_);
  if (--open_ == 0) idle_.notify_all();
}

std::function<void(Status)> PendingWork::Add() {
  {
    std::lock_guard lock(mu_);
    ++added_;
    ++open_;
  }
  if (tracker_) tracker_->Opened();
  // The tracker is held by the item, not read from `this` after Finish: the last Finish may let
  // the collector's owner free it.
  return [this, tracker = tracker_](Status status) {
    Finish(std::move(status));
    if (tracker) tracker->Closed();
  };
}

bool PendingWork::Started() const {
  std::lock_guard lock(mu_);
  return added_ > 0;
}

void PendingWork::Finish(Status status) {
  Done done;
  Status result;
  {
    std::lock_guard lock(mu_);
    if (!status && first_) first_ = std::move(status);
    if (--open_ > 0 || !done_) return;
    done = std::move(done_);
    result = first_;
  }
  done(std::move(result));
}

void PendingWork::OnDone(Done done) {
  Status result;
  {
    std::lock_guard lock(mu_);
    if (open_ > 0) {
      done_ = std::move(done);
      return;
    }
    result = first_;
  }
  done(std::move(result));
}

}  // namespace fairdesk
