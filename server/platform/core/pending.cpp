#include "platform/core/pending.hpp"

namespace fairdesk {
namespace {
thread_local PendingWork* current = nullptr;
}  // namespace

PendingWork* PendingWork::Current() { return current; }

PendingWork::Scope::Scope(PendingWork& work) : previous_(current) { current = &work; }
PendingWork::Scope::~Scope() { current = previous_; }

std::function<void(Status)> PendingWork::Add() {
  {
    std::lock_guard lock(mu_);
    ++added_;
    ++open_;
  }
  return [this](Status status) { Finish(std::move(status)); };
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
