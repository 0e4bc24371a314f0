// The change feed as a stream: WatchChanges delivers a service's audit events after a sequence
// number, then each new one as its transaction commits, in order and without gaps. Streams that
// have caught up wait on the CommitSignal (no worker thread is held while waiting) and also look
// again at a fixed interval, so writes committed by another replica on a shared database reach
// them too.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/audit_log.h"
#include "services/common/rpc_dispatcher.h"
#include "services/common/storage.h"

namespace thb {

// Tells waiting streams that a write transaction committed.
class CommitSignal {
 public:
  // Number of commits signalled so far.
  int64_t generation() const;
  // Counts a commit and wakes every waiter.
  void Notify();
  // The service is stopping: wakes every waiter, and every later wait returns at once.
  void Close();
  bool closed() const;
  // Runs `wake` once on `workers`: as soon as generation() differs from `seen` (immediately if
  // it already does) or after `timeout`, whichever comes first.
  void WaitAsync(int64_t seen, absl::Duration timeout, boost::asio::thread_pool& workers,
                 std::function<void()> wake);

 private:
  struct Waiter;
  mutable absl::Mutex mu_;
  int64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::shared_ptr<Waiter>> waiters_ ABSL_GUARDED_BY(mu_);
};

// A Database that notifies `signal` after every committed read-write transaction.
class NotifyingDatabase : public Database {
 public:
  // Also signals the writes of other replicas that `inner` learns of (OnCommitsElsewhere).
  NotifyingDatabase(std::unique_ptr<Database> inner, CommitSignal* signal)
      : inner_(std::move(inner)), signal_(signal) {
    inner_->OnCommitsElsewhere([signal] { signal->Notify(); });
  }

  absl::Status ApplyMigrations(absl::string_view track,
                               absl::Span<const Migration> migrations) override {
    return inner_->ApplyMigrations(track, migrations);
  }
  absl::Status RunInTransaction(absl::FunctionRef<absl::Status(Transaction&)> fn) override;
  absl::Status RunReadOnly(absl::FunctionRef<absl::Status(Transaction&)> fn) override {
    return inner_->RunReadOnly(fn);
  }
  absl::string_view dialect() const override { return inner_->dialect(); }

 private:
  std::unique_ptr<Database> inner_;
  CommitSignal* signal_;
};

// How often a stream that has caught up looks for events committed elsewhere.
inline constexpr absl::Duration kChangeFeedPollInterval = absl::Seconds(1);

// The WatchChanges reactor for a service: admits the caller through `dispatcher` (policy
// "WatchChanges"), then streams `log` after request.after_sequence() until the caller leaves or
// `signal` closes (the stream then ends with UNAVAILABLE, naming the sequence to resume after).
grpc::ServerWriteReactor<type::v1::AuditEvent>* WatchChanges(
    const RpcDispatcher& dispatcher, AuditLog& log, CommitSignal& signal,
    grpc::CallbackServerContext* ctx, const type::v1::WatchChangesRequest& request);

}  // namespace thb
