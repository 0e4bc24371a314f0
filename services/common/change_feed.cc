#include "services/common/change_feed.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/logging.h"
#include "services/common/metrics.h"

namespace thb {

struct CommitSignal::Waiter {
  std::atomic<bool> fired{false};
  std::function<void()> wake;
  boost::asio::thread_pool* workers;
  // The timeout runs on a strand of its own, so cancelling it never races its completion.
  boost::asio::strand<boost::asio::thread_pool::executor_type> strand;
  std::shared_ptr<boost::asio::steady_timer> timer;

  explicit Waiter(boost::asio::thread_pool& pool)
      : workers(&pool), strand(boost::asio::make_strand(pool.get_executor())) {}

  // Runs `wake` once, and stops the timeout so no timer keeps the pool busy.
  void Fire() {
    if (fired.exchange(true)) return;
    boost::asio::post(*workers, std::move(wake));
    boost::asio::post(strand, [t = timer] {
      if (t) t->cancel();
    });
  }
};

int64_t CommitSignal::generation() const {
  absl::MutexLock lock(&mu_);
  return generation_;
}

bool CommitSignal::closed() const {
  absl::MutexLock lock(&mu_);
  return closed_;
}

void CommitSignal::Notify() {
  std::vector<std::shared_ptr<Waiter>> waiting;
  {
    absl::MutexLock lock(&mu_);
    ++generation_;
    waiting.swap(waiters_);
  }
  for (const auto& w : waiting) w->Fire();
}

void CommitSignal::Close() {
  {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }
  Notify();
}

void CommitSignal::WaitAsync(int64_t seen, absl::Duration timeout,
                             boost::asio::thread_pool& workers, std::function<void()> wake) {
  auto waiter = std::make_shared<Waiter>(workers);
  waiter->wake = std::move(wake);
  waiter->timer = std::make_shared<boost::asio::steady_timer>(waiter->strand,
                                                              absl::ToChronoNanoseconds(timeout));
  bool now = false;
  {
    absl::MutexLock lock(&mu_);
    now = closed_ || generation_ != seen;
    if (!now) waiters_.push_back(waiter);
  }
  if (now) {
    waiter->Fire();
    return;
  }
  boost::asio::post(waiter->strand, [waiter, this] {
    waiter->timer->async_wait([waiter, this](const boost::system::error_code& error) {
      if (error) return;  // cancelled: the waiter already fired
      {
        absl::MutexLock lock(&mu_);
        waiters_.erase(std::remove(waiters_.begin(), waiters_.end(), waiter), waiters_.end());
      }
      waiter->Fire();
    });
  });
}

absl::Status NotifyingDatabase::RunInTransaction(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  absl::Status s = inner_->RunInTransaction(fn);
  if (s.ok()) signal_->Notify();
  return s;
}

namespace {

using type::v1::AuditEvent;

constexpr int kBatch = 100;

class ChangeStream : public grpc::ServerWriteReactor<AuditEvent> {
 public:
  ChangeStream(AuditLog& log, CommitSignal& signal, boost::asio::thread_pool& workers,
               grpc::CallbackServerContext* ctx, int64_t after)
      : log_(log),
        signal_(signal),
        workers_(workers),
        ctx_(ctx),
        last_(after),
        start_(std::chrono::steady_clock::now()) {}

  // Sends the initial metadata first, so a client knows it is subscribed before any event.
  void Begin() { StartSendInitialMetadata(); }

  void OnSendInitialMetadataDone(bool ok) override {
    if (!ok) {
      End(absl::CancelledError("the stream closed before it started"));
      return;
    }
    boost::asio::post(workers_, [this] { Fetch(); });
  }

  void End(const absl::Status& status) {
    if (LogEnabled(LogLevel::kInfo)) {
      nlohmann::json fields = RpcLogFields(request, status, start_);
      fields["events_delivered"] = delivered_;
      fields["last_sequence"] = last_;
      Log(LogLevel::kInfo, "rpc", fields);
    }
    Finish(ToGrpcStatus(status));
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      End(absl::CancelledError("the stream closed before the event was delivered"));
      return;
    }
    ++delivered_;
    if (next_ < batch_.size()) {
      StartWrite(&batch_[next_++]);
      return;
    }
    boost::asio::post(workers_, [this] { Fetch(); });
  }

  // Wakes the waiting streams so this one notices the cancellation now, not at its next poll.
  void OnCancel() override { signal_.Notify(); }

  void OnDone() override { delete this; }

  RequestContext request;

 private:
  // On a worker thread; exactly one of Fetch, a write, or a wait is outstanding at a time
  // (after the initial metadata).
  void Fetch() {
    if (ctx_->IsCancelled()) {
      End(absl::CancelledError("the caller left"));
      return;
    }
    if (signal_.closed()) {
      End(absl::UnavailableError(
          absl::StrCat("the service is shutting down; watch again with after_sequence ", last_)));
      return;
    }
    // Read the generation before the query: a commit between the two wakes the wait at once.
    const int64_t seen = signal_.generation();
    absl::StatusOr<std::vector<AuditEvent>> events = log_.EventsAfter(last_, kBatch);
    if (!events.ok()) {
      End(events.status());
      return;
    }
    if (events->empty()) {
      signal_.WaitAsync(seen, kChangeFeedPollInterval, workers_, [this] { Fetch(); });
      return;
    }
    batch_ = *std::move(events);
    // Streams obey the declared field audiences like every other answer (an audit event
    // declares none today; a restricted field added to it would be cleared here too).
    for (AuditEvent& event : batch_) RedactForViewer(request.viewer, &event);
    last_ = batch_.back().sequence();
    next_ = 1;
    StartWrite(&batch_[0]);
  }

  AuditLog& log_;
  CommitSignal& signal_;
  boost::asio::thread_pool& workers_;
  grpc::CallbackServerContext* ctx_;
  int64_t last_;
  std::vector<AuditEvent> batch_;
  size_t next_ = 0;
  int64_t delivered_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

grpc::ServerWriteReactor<AuditEvent>* WatchChanges(const RpcDispatcher& dispatcher, AuditLog& log,
                                                   CommitSignal& signal,
                                                   grpc::CallbackServerContext* ctx,
                                                   const type::v1::WatchChangesRequest& request) {
  auto* stream = new ChangeStream(log, signal, dispatcher.workers(), ctx, request.after_sequence());
  if (absl::Status s = dispatcher.Admit(ctx, "WatchChanges", &stream->request); !s.ok()) {
    stream->End(s);
    return stream;
  }
  if (request.after_sequence() < 0) {
    stream->End(InvalidField("after_sequence", "must not be negative"));
    return stream;
  }
  stream->Begin();
  return stream;
}

}  // namespace thb
