// One accepted connection of the HTTP server: reads each request (refusing, in its own words,
// what http_request_framing refuses), hands it to the handler, writes the answer or streams it
// chunked, and keeps the connection alive or closes it. Internal to the server.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "gateway/http_server.h"

namespace thb::gateway {

// Requests received and not yet answered in full, across the server's connections: what a drain
// waits for.
class InFlightRequests {
 public:
  void Begin() {
    absl::MutexLock lock(&mu_);
    ++count_;
  }
  void End() {
    std::function<void()> fire;
    {
      absl::MutexLock lock(&mu_);
      if (--count_ == 0) fire = TakeDrained();
    }
    if (fire) fire();
  }
  bool draining() const {
    absl::MutexLock lock(&mu_);
    return draining_;
  }
  // Runs `drained` now if nothing is in flight, else when the last request ends or `Expire` is
  // called, whichever comes first.
  void StartDraining(std::function<void()> drained) {
    {
      absl::MutexLock lock(&mu_);
      draining_ = true;
      if (count_ > 0) {
        drained_ = std::move(drained);
        return;
      }
    }
    drained();
  }
  void Expire() {
    std::function<void()> fire;
    {
      absl::MutexLock lock(&mu_);
      fire = TakeDrained();
    }
    if (fire) fire();
  }

 private:
  // The pending callback, leaving none behind (a moved-from std::function need not be empty),
  // so whichever of End and Expire comes first runs it and the other finds nothing.
  std::function<void()> TakeDrained() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::function<void()> taken;
    taken.swap(drained_);
    return taken;
  }

  mutable absl::Mutex mu_;
  int count_ ABSL_GUARDED_BY(mu_) = 0;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
  std::function<void()> drained_ ABSL_GUARDED_BY(mu_);
};

// Serves `socket` until the connection closes. `slot` is the connection's place under its
// client's cap, released when the session ends.
void ServeConnection(boost::asio::ip::tcp::socket socket,
                     std::shared_ptr<const HttpHandler> handler, const HttpLimits& limits,
                     std::shared_ptr<InFlightRequests> in_flight, std::shared_ptr<void> slot);

}  // namespace thb::gateway
