// The one way to write a mutation. RunMutation owns what every mutation shares: the request-id
// lookup (a retry answers the first execution's response, AIP-155), one write transaction, and,
// when the body succeeds, the record of the change (the audit event, which is also the change
// feed, and the response remembered for the request id). A mutation's own code is then only
// validate -> merge -> save, usually through a ResourceTable (resource_table.h).
//
// FindPriorResponse and RecordMutation are called from here and nowhere else in the services.
#pragma once

#include <google/protobuf/empty.pb.h>

#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"
#include "services/common/audit_actor.h"
#include "services/common/audit_log.h"
#include "services/common/idempotency.h"
#include "services/common/status_macros.h"
#include "services/common/storage.h"

namespace thb {

// Who asks for which mutation: the caller, the RPC's short name ("CreateInstitution") and the
// request's request_id (may be empty: no retry memory).
struct MutationCall {
  const AuditActor& actor;
  absl::string_view method;
  absl::string_view request_id;
  // The resource the audit event names. Empty: the response's `name` field, which the body may
  // set (a create chooses it). A mutation whose response has no name (a delete answers Empty)
  // names its resource here.
  absl::string_view resource = {};
};

namespace mutation_internal {

template <typename R, typename = void>
struct HasName : std::false_type {};
template <typename R>
struct HasName<R, std::void_t<decltype(std::declval<const R&>().name())>> : std::true_type {};

inline constexpr char kNothingChangedUrl[] = "type.thb.internal/NothingChanged";

inline bool IsNothingChanged(const absl::Status& s) {
  return s.GetPayload(kNothingChangedUrl).has_value();
}

template <typename R>
std::string ResourceOf(const MutationCall& call, const R& response) {
  if (!call.resource.empty()) return std::string(call.resource);
  if constexpr (HasName<R>::value) {
    return response.name();
  } else {
    return std::string();
  }
}

}  // namespace mutation_internal

// What a body returns when the request asks for what already holds (archiving an archived
// resource): RunMutation answers the response the body filled and records nothing.
inline absl::Status NothingChanged() {
  absl::Status s = absl::AbortedError("nothing changed");
  s.SetPayload(mutation_internal::kNothingChangedUrl, absl::Cord());
  return s;
}

// The body of a mutation: runs inside the write transaction and fills the response.
template <typename R>
using MutationBody = absl::FunctionRef<absl::Status(Transaction& tx, R& response)>;

// Runs `body` once for `call` in a write transaction of `db` and records the change with the
// response `body` produced; a retry of `call` (same caller, method, request id and request)
// returns the first response without running `body`. When `body` fails, nothing is written.
template <typename R>
absl::StatusOr<R> RunMutation(Database& db, const MutationCall& call, MutationBody<R> body) {
  R response;
  THB_RETURN_IF_ERROR(db.RunInTransaction([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(
        bool prior, FindPriorResponse(tx, call.actor, call.method, call.request_id, &response));
    if (prior) return absl::OkStatus();
    if (absl::Status b = body(tx, response); !b.ok()) {
      return mutation_internal::IsNothingChanged(b) ? absl::OkStatus() : b;
    }
    return RecordMutation(tx, call.actor, call.method, call.request_id,
                          mutation_internal::ResourceOf(call, response), response);
  }));
  return response;
}

// The same for a mutation that returns only a status (a delete, whose response is Empty).
inline absl::Status RunMutation(Database& db, const MutationCall& call,
                                absl::FunctionRef<absl::Status(Transaction& tx)> body) {
  return RunMutation<google::protobuf::Empty>(
             db, call,
             [&](Transaction& tx, google::protobuf::Empty&) -> absl::Status { return body(tx); })
      .status();
}

// The response a retry of `call` gets, looked up in a read-only transaction before the mutation
// consults another service (no remote call while a write transaction is open); nullopt when
// `call` is not a retry. RunMutation checks again inside its transaction.
template <typename R>
absl::StatusOr<std::optional<R>> PriorResponse(Database& db, const MutationCall& call) {
  R response;
  THB_ASSIGN_OR_RETURN(bool answered, FindPriorResponseBeforeWrite(db, call.actor, call.method,
                                                                   call.request_id, &response));
  if (!answered) return std::optional<R>();
  return std::optional<R>(std::move(response));
}

}  // namespace thb
