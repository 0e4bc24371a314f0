// Request-id idempotency (AIP-155): a mutation retried with the same request_id returns the
// response of its first execution instead of running twice. Both helpers run inside the
// mutation's own transaction, so the response and the change commit together.
//
// A request id belongs to its caller: the key is (token subject, token institution, method,
// request_id), so two callers that happen to choose the same id never see each other's answers
// or lose each other's writes. The same caller reusing an id for a different request (the
// request message differs) is INVALID_ARGUMENT naming request_id, never the first answer.
// The caller and the request are the `actor` each helper is given: the RpcDispatcher builds it
// per RPC (RequestContext::actor); AuditActor::Internal() (work outside an RPC) is the caller
// "internal", whose requests are not compared. Every rule lives in idempotency.cc.
#pragma once

#include <google/protobuf/message.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/audit_actor.h"
#include "services/common/storage.h"

namespace thb {

// True (and `response` filled) when `actor` already used `request_id` for `method` with the
// same request. INVALID_ARGUMENT (a field violation on request_id) when `actor` used it for a
// different request. An empty request_id never matches.
absl::StatusOr<bool> FindPriorResponse(Transaction& tx, const AuditActor& actor,
                                       absl::string_view method, absl::string_view request_id,
                                       google::protobuf::Message* response);

// FindPriorResponse in a read-only transaction of its own: for mutations that must consult
// another service first, so a retry after success answers without that service.
absl::StatusOr<bool> FindPriorResponseBeforeWrite(Database& db, const AuditActor& actor,
                                                  absl::string_view method,
                                                  absl::string_view request_id,
                                                  google::protobuf::Message* response);

// Remembers `response` for `actor`'s `request_id`; no-op for an empty request_id.
absl::Status RememberResponse(Transaction& tx, const AuditActor& actor, absl::string_view method,
                              absl::string_view request_id,
                              const google::protobuf::Message& response);
// The same, for a response already serialized (RecordMutation serializes it once for both this
// and its digest).
absl::Status RememberSerializedResponse(Transaction& tx, const AuditActor& actor,
                                        absl::string_view method, absl::string_view request_id,
                                        std::string response);

// `message` serialized deterministically (map entries in key order), so equal messages give
// equal bytes: for the request fingerprint and the audit log's change digest.
std::string SerializeDeterministically(const google::protobuf::Message& message);

// Hex SHA-256 of `request`'s deterministic serialization: what tells a retry (same
// fingerprint) from a different request under the same id.
std::string RequestFingerprint(const google::protobuf::Message& request);

}  // namespace thb
