// The tamper-evident audit log every service keeps in its own database: each mutation appends,
// inside the mutation's own transaction, an event chained by SHA-256 to the one before, so any
// later edit of stored history shows up when the chain is recomputed. The same log, read by
// sequence number, is the service's change feed for integrating systems.
#pragma once

#include <google/protobuf/message.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/audit_actor.h"
#include "services/common/storage.h"
#include "thb/type/v1/audit.pb.h"

namespace thb {

// What a keyed change digest starts with; digests written before keying are bare hex SHA-256.
inline constexpr char kKeyedDigestPrefix[] = "hmac-sha256:";

// Ends every mutation, inside its transaction: remembers `response` for `actor`'s `request_id`
// (idempotency) and appends the audit event for `resource`, recording `actor`'s subject and
// role. `method` is the RPC's short name; the event carries `actor`'s full method name (or
// `method` for AuditActor::Internal(), which has none). The change digest is
// kKeyedDigestPrefix + hex HMAC-SHA-256 of `response`'s deterministic serialization under the
// service's own secret (kept in its database, made on first use), so a reader of the log who
// lacks a restricted field cannot test guesses of it against the digest; empty when the
// response is google.protobuf.Empty (a deletion).
absl::Status RecordMutation(Transaction& tx, const AuditActor& actor, absl::string_view method,
                            absl::string_view request_id, absl::string_view resource,
                            const google::protobuf::Message& response);

// Hex SHA-256 over the event's previous_hash and its content (every field but `hash`), each
// field length-prefixed so no two different events hash the same input. docs/SECURITY.md
// spells out the encoding so anyone can recompute a chain from an export.
std::string AuditEventHash(const type::v1::AuditEvent& event);

// Reads and verifies one service's log. Events are never deleted or changed through it.
class AuditLog {
 public:
  explicit AuditLog(Database& db) : db_(db) {}

  // Events in sequence order, optionally only those for `resource` or names under it.
  absl::StatusOr<type::v1::ListAuditEventsResponse> List(
      const type::v1::ListAuditEventsRequest& request);

  // Recomputes every link; reports the first event whose sequence, previous hash or own hash
  // does not match, and the log's head (newest event). With an expected head (recorded from an
  // earlier verification) also reports a log that no longer reaches it (truncated) or holds
  // another event at its sequence (rewritten). INVALID_ARGUMENT for a malformed expected head.
  absl::StatusOr<type::v1::AuditVerification> Verify(
      const type::v1::VerifyAuditChainRequest& request = {});

  // The change feed: events after `after_sequence`, paged.
  absl::StatusOr<type::v1::ListChangesResponse> ListChanges(
      const type::v1::ListChangesRequest& request);

  // Up to `limit` events with a sequence greater than `after`, in order.
  absl::StatusOr<std::vector<type::v1::AuditEvent>> EventsAfter(int64_t after, int limit);

 private:
  Database& db_;
};

}  // namespace thb
