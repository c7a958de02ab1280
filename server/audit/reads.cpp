// Reads of personal data, audited by group commit: one entry per request (naming every record
// the request showed), and the entries of concurrent requests appended in one transaction.
//
// A request queues its entries and a committer thread (one per database, started with the first
// read) appends everything queued so far in one Database::Write, then the next batch. Inside an
// HTTP handler (a PendingWork scope) RecordReads returns at once and the server sends the answer
// only when the committer reports the batch committed (or answers the failure instead); other
// callers wait for the commit themselves. Either way an answered read is always in the log, and a
// crash loses only reads that were never answered. Not holding the handler's thread while the
// batch commits lets a small handler pool keep working and the batches grow: each commit changes
// the database, and every SQLite reader connection then starts its next read with an empty page
// cache (docs/PERFORMANCE.md, "The case list at 16 connections").

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "audit/audit.hpp"
#include "audit/store.hpp"
#include "platform/core/clock.hpp"
#include "platform/core/pending.hpp"

namespace fairdesk::audit {
namespace {

class GroupCommitter {
 public:
  explicit GroupCommitter(db::Database& db) : db_(db) {}
  ~GroupCommitter() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  Status Append(std::vector<Entry> entries) {
    if (PendingWork* pending = PendingWork::Current()) {
      Enqueue(std::move(entries), pending->Add());
      return {};
    }
    struct Wait {
      std::mutex mu;
      std::condition_variable cv;
      bool done = false;
      Status status;
    } wait;
    Enqueue(std::move(entries), [&wait](Status s) {
      std::lock_guard lock(wait.mu);  // notified under the lock: `wait` lives until we let go
      wait.status = std::move(s);
      wait.done = true;
      wait.cv.notify_one();
    });
    std::unique_lock lock(wait.mu);
    wait.cv.wait(lock, [&] { return wait.done; });
    return wait.status;
  }

  GroupCommitStats Stats() {
    std::lock_guard lock(mu_);
    return {batches_, appended_};
  }

 private:
  struct Pending {
    std::vector<Entry> entries;
    std::function<void(Status)> done;
  };

  void Enqueue(std::vector<Entry> entries, std::function<void(Status)> done) {
    {
      std::lock_guard lock(mu_);
      queue_.push_back({std::move(entries), std::move(done)});
      if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
    }
    cv_.notify_one();
  }

  void Run() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      std::vector<Pending> batch;
      batch.swap(queue_);
      lock.unlock();
      std::vector<Entry> all;
      for (auto& p : batch) {
        for (auto& e : p.entries) all.push_back(std::move(e));
      }
      Status status = db_.Write([&](db::Session& tx) { return AppendEntries(tx, all); });
      {
        std::lock_guard counted(mu_);
        ++batches_;
        appended_ += static_cast<std::int64_t>(all.size());
      }
      for (auto& p : batch) p.done(status);
      lock.lock();
    }
  }

  db::Database& db_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Pending> queue_;
  std::thread thread_;
  bool stop_ = false;
  std::int64_t batches_ = 0;
  std::int64_t appended_ = 0;
};

// One committer per open database, until StopReads.
struct Committers {
  std::mutex mu;
  std::unordered_map<const db::Database*, std::unique_ptr<GroupCommitter>> by_db;
};

Committers& AllCommitters() {
  static Committers all;
  return all;
}

GroupCommitter& CommitterFor(db::Database& db) {
  auto& all = AllCommitters();
  std::lock_guard lock(all.mu);
  auto& c = all.by_db[&db];
  if (!c) c = std::make_unique<GroupCommitter>(db);
  return *c;
}

bool IsPlainId(std::string_view s) {
  return !s.empty() && s.size() <= 200 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == ':';
  });
}

}  // namespace

Status RecordReads(db::Database& db, const Principal& principal, std::string_view record_type,
                   std::span<const ReadRef> records) {
  if (records.empty()) return {};
  if (principal.user_id.empty()) return Fail(Error::Internal("audit: principal without user id"));
  // One entry per owning centre (a list is normally of one centre; the Competence Centre's
  // escalation inbox spans several), so that each centre lead sees the reads of their records.
  std::vector<Entry> entries;
  const auto now = clock::NowUnix();
  for (const auto& r : records) {
    if (!IsPlainId(r.id)) return Fail(Error::Internal("audit: invalid record id"));
    std::optional<std::string> centre;
    if (r.centre_id) centre = std::string(*r.centre_id);
    auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.record_centre_id == centre; });
    if (it == entries.end()) {
      Entry e = FD_TRY(MakeEntry(principal, kRead, record_type, r.id, r.centre_id));
      e.at = now;
      entries.push_back(std::move(e));
      it = entries.end() - 1;
    }
    if (std::find(it->record_ids.begin(), it->record_ids.end(), r.id) == it->record_ids.end()) {
      it->record_ids.emplace_back(r.id);
    }
  }
  // An entry about one record is an ordinary (version 1) entry.
  for (auto& e : entries) {
    if (e.record_ids.size() == 1) e.record_ids.clear();
  }
  return CommitterFor(db).Append(std::move(entries));
}

Status RecordRead(db::Database& db, const Principal& principal, std::string_view record_type,
                  std::string_view record_id, std::optional<std::string_view> record_centre_id) {
  const ReadRef ref{record_id, record_centre_id};
  return RecordReads(db, principal, record_type, std::span<const ReadRef>(&ref, 1));
}

GroupCommitStats ReadStats(db::Database& db) { return CommitterFor(db).Stats(); }

void StopReads(db::Database& db) {
  std::unique_ptr<GroupCommitter> committer;
  {
    auto& all = AllCommitters();
    std::lock_guard lock(all.mu);
    auto it = all.by_db.find(&db);
    if (it == all.by_db.end()) return;
    committer = std::move(it->second);
    all.by_db.erase(it);
  }
  committer.reset();  // commits what is queued, then its thread ends
}

}  // namespace fairdesk::audit
