// Request-id idempotency (AIP-155): a mutation retried with the same request_id returns the
// response of its first execution instead of running twice. Both helpers run inside the
// mutation's own transaction, so the response and the change commit together.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "services/common/storage.h"

namespace thb {

// True (and `response` filled) when `request_id` was already used for `method`.
// An empty request_id never matches.
absl::StatusOr<bool> FindPriorResponse(Transaction& tx, absl::string_view method,
                                       absl::string_view request_id,
                                       google::protobuf::Message* response);

// FindPriorResponse in a read-only transaction of its own: for mutations that must consult
// another service first, so a retry after success answers without that service.
absl::StatusOr<bool> FindPriorResponseBeforeWrite(Database& db, absl::string_view method,
                                                  absl::string_view request_id,
                                                  google::protobuf::Message* response);

// Remembers `response` for `request_id`; no-op for an empty request_id.
absl::Status RememberResponse(Transaction& tx, absl::string_view method,
                              absl::string_view request_id,
                              const google::protobuf::Message& response);
// The same, for a response already serialized (RecordMutation serializes it once for both this
// and its digest).
absl::Status RememberSerializedResponse(Transaction& tx, absl::string_view method,
                                        absl::string_view request_id, std::string response);

}  // namespace thb
