#pragma once
/// Work that a request handler started and that must be finished before the request is answered,
/// without holding the handler's thread while it waits (issue 13): the audit entry of a read is
/// committed by group commit on another thread, and the answer is sent only once it is committed.
///
/// The HTTP server opens a PendingWork::Scope around each handler; a producer (audit::RecordReads)
/// asks PendingWork::Current() and, when there is one, registers an item with Add() and returns at
/// once; the item's callback is called (from any thread) when the work is done. The server then
/// waits for all items with OnDone() before it writes the answer. Without a scope (command-line
/// tools, tests calling services directly, streamed answers) producers wait themselves.
///
/// Shutdown: an item may finish after the server stopped answering (the shutdown grace ran out
/// while a commit was under way). Each PendingWork may count its items in a Tracker that the
/// server waits on before it frees the connections the items' callbacks refer to (issue 13).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

#include "platform/core/error.hpp"

namespace fairdesk {

class PendingWork {
 public:
  using Done = std::move_only_function<void(Status)>;

  /// Counts the items of many PendingWorks that have not yet finished (their OnDone callback,
  /// if any, has not yet returned).
  class Tracker {
   public:
    /// Items added and not yet finished.
    int Open() const;
    /// Waits until no item is open, at most until `deadline`; true when none is.
    bool WaitIdle(std::chrono::steady_clock::time_point deadline);

   private:
    friend class PendingWork;
    void Opened();
    void Closed();
    mutable std::mutex mu_;
    std::condition_variable idle_;
    int open_ = 0;
  };

  PendingWork() = default;
  /// Counts this collector's items in `tracker` as well.
  explicit PendingWork(std::shared_ptr<Tracker> tracker) : tracker_(std::move(tracker)) {}

  /// The collector of the handler running on this thread, or nullptr.
  static PendingWork* Current();

  /// Makes `work` the current collector of this thread for the scope's lifetime.
  class Scope {
   public:
    explicit Scope(PendingWork& work);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    PendingWork* previous_;
  };

  /// Registers one item; call the answered function exactly once, with the item's outcome.
  std::function<void(Status)> Add();

  /// True when items were added (the caller must then wait with OnDone).
  bool Started() const;

  /// Calls `done` once every added item has finished (at once, on this thread, if they have),
  /// with the first failure or success.
  void OnDone(Done done);

 private:
  void Finish(Status status);

  std::shared_ptr<Tracker> tracker_;
  mutable std::mutex mu_;
  int added_ = 0;
  int open_ = 0;
  Status first_;
  Done done_;
};

}  // namespace fairdesk
