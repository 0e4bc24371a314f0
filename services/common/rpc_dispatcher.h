// The one path every unary RPC takes through a service: identify the caller from the bearer
// token, check the service's policy table, run the handler on the worker pool (storage and
// upstream calls may block; gRPC's callback threads must not), map the absl::Status to gRPC,
// and write one JSON log line. Handlers stay thin: parse, call the domain, copy the result.
#pragma once

#include <grpcpp/grpcpp.h>

#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/audit_actor.h"
#include "services/common/auth.h"
#include "services/common/policy.h"
#include "services/common/status_macros.h"
#include "services/common/viewer.h"

namespace thb {

struct RequestContext {
  // Who is calling, from the verified token; what the response may show them follows from it.
  Viewer viewer = Viewer::Public();
  std::string method;       // short RPC name
  std::string full_method;  // "/package.Service/Method"
  std::string role;         // the role the policy admitted the call under ("" for public)
  std::string request_id;   // x-request-id from the caller, or generated
  absl::Time deadline = absl::InfiniteFuture();
  // The caller as the audit log and the request-id store record it: the viewer's subject and
  // institution, `role` and `full_method`, built once when the call is admitted; for a unary
  // RPC it also points at the request message (its fingerprint tells a retry from a different
  // request). Handlers pass it to every mutation.
  AuditActor actor;
};

// How callers are identified. Owned by the ServiceRuntime.
struct Authenticator {
  const TokenVerifier* verifier = nullptr;  // null only with dev_insecure
  bool dev_insecure = false;

  // The principal for the request's metadata, or UNAUTHENTICATED for a bad token.
  absl::StatusOr<Principal> Identify(const grpc::ServerContextBase& ctx) const;
};

// The fields of the one log line a finished RPC writes ("rpc", code, duration, request id,
// subject, and the error when it failed); callers add their own and choose the level.
nlohmann::json RpcLogFields(const RequestContext& request, const absl::Status& status,
                            std::chrono::steady_clock::time_point start);

class RpcDispatcher {
 public:
  // `service`: the full name of the service whose RPCs this dispatches.
  RpcDispatcher(const Authenticator* authenticator, const PolicyTable* policy,
                boost::asio::thread_pool* workers, std::string service)
      : authenticator_(authenticator),
        policy_(policy),
        workers_(workers),
        service_(std::move(service)) {}

  using Handler = std::function<absl::Status(const RequestContext&)>;

  // Runs `handler` for RPC `method` and finishes the call with its status. The handler fills
  // `response`; before it is sent, every restricted field the caller may not read is cleared
  // (RedactForViewer, from the audiences declared in the contracts). The request and response
  // outlive the handler (gRPC keeps them until Finish).
  // The request `message` is checked against the suite's input limits (SuiteInputLimits) before
  // the handler runs: a field over its limit is INVALID_ARGUMENT with field violations.
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* ctx,
                                  const google::protobuf::Message& message,
                                  google::protobuf::Message* response, absl::string_view method,
                                  Handler handler) const;

  // Fills `request_context` (the context a handler runs with, its actor included) for `method`,
  // identifying the caller, and checks the policy: UNAUTHENTICATED / PERMISSION_DENIED when the
  // call may not proceed. Also adds x-request-id to the initial metadata. Unary does this itself
  // (and points the actor at the request message); streaming RPCs call it first.
  absl::Status Admit(grpc::CallbackServerContext* ctx, absl::string_view method,
                     RequestContext* request_context) const;

  boost::asio::thread_pool& workers() const { return *workers_; }

 private:
  const Authenticator* authenticator_;
  const PolicyTable* policy_;
  boost::asio::thread_pool* workers_;
  std::string service_;
};

// Copies a domain result into the gRPC response; returns its status.
template <typename T>
absl::Status Respond(absl::StatusOr<T> result, T* response) {
  THB_ASSIGN_OR_RETURN(*response, std::move(result));
  return absl::OkStatus();
}

}  // namespace thb
