// thbctl changes watch / relay: a service's change feed, printed or pushed to another system.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "thb/type/v1/audit.pb.h"
#include "tools/thbctl/rpc.h"

namespace thb::ctl {

struct FeedOptions {
  std::string service;         // coordinator, commission or rapporteur
  int64_t after_sequence = 0;  // start after this sequence (watch; relay without a checkpoint)
  int64_t max_events = 0;      // stop after this many events (0: never)
  absl::Duration initial_backoff = absl::Milliseconds(500);
  absl::Duration max_backoff = absl::Seconds(30);
};

// Prints each event as one line of JSON, reconnecting after a broken stream and resuming after
// the last event printed.
int RunWatch(const Connection& service, const FeedOptions& options, std::ostream& out,
             std::ostream& err);

struct RelayOptions {
  FeedOptions feed;
  std::string url;                             // http://host[:port]/path of the receiver
  std::string checkpoint_file;                 // the last sequence the receiver acknowledged
  int max_attempts = 0;                        // per event; 0: retry forever
  absl::Duration timeout = absl::Seconds(30);  // for each step of one delivery
};

// The CloudEvents 1.0 (structured JSON) of an event of `service`: id "<service>-<sequence>",
// source "/thb-suite/<service>", type "org.thbsuite.<service>.<Method>", subject the resource,
// time, and the audit event itself as data.
std::string CloudEvent(const std::string& service, const thb::type::v1::AuditEvent& event);

// The sequence a checkpoint file holds (0 when it does not exist), and its atomic replacement
// (written to a temporary file, synced, renamed).
absl::StatusOr<int64_t> ReadCheckpoint(const std::string& path);
absl::Status WriteCheckpoint(const std::string& path, int64_t sequence);

// Delivers every event by HTTP POST, at least once, in order: a failed delivery (no answer, or
// not 2xx) is retried with exponential backoff; the checkpoint moves after each 2xx, so a
// restart resumes after the last acknowledged event. The receiver deduplicates by the event id
// (also sent as the Idempotency-Key header).
int RunRelay(const Connection& service, const RelayOptions& options, std::ostream& out,
             std::ostream& err);

}  // namespace thb::ctl
