#include "services/common/rpc_dispatcher.h"

#include <boost/asio/post.hpp>
#include <chrono>
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/errors.h"
#include "services/common/input_limits.h"
#include "services/common/logging.h"
#include "services/common/metrics.h"
#include "services/common/status_macros.h"

namespace thb {
namespace {

std::string Metadata(const grpc::ServerContextBase& ctx, absl::string_view key) {
  const auto& md = ctx.client_metadata();
  auto it = md.find(grpc::string_ref(key.data(), key.size()));
  if (it == md.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return absl::StrFormat("%016x%016x", rng(), rng());
}

}  // namespace

absl::StatusOr<Principal> Authenticator::Identify(const grpc::ServerContextBase& ctx) const {
  std::string header = Metadata(ctx, "authorization");
  if (header.empty()) {
    if (dev_insecure) {
      Principal dev;
      dev.authenticated = true;
      dev.subject = "dev-insecure";
      dev.roles = AllRoles();
      return dev;
    }
    return Principal::Anonymous();
  }
  constexpr absl::string_view kBearer = "Bearer ";
  if (!absl::StartsWithIgnoreCase(header, kBearer)) {
    return absl::UnauthenticatedError("authorization metadata must be \"Bearer <JWT>\"");
  }
  if (verifier == nullptr) {
    return absl::UnauthenticatedError("this server has no token key configured");
  }
  return verifier->Verify(absl::string_view(header).substr(kBearer.size()));
}

absl::Status RpcDispatcher::Admit(grpc::CallbackServerContext* ctx, absl::string_view method,
                                  RequestContext* request_context) const {
  RequestContext& request = *request_context;
  request.method = std::string(method);
  request.full_method = absl::StrCat("/", service_, "/", method);
  request.request_id = Metadata(*ctx, "x-request-id");
  if (request.request_id.empty()) request.request_id = NewRequestId();
  request.deadline = absl::FromChrono(ctx->deadline());
  ctx->AddInitialMetadata("x-request-id", request.request_id);
  THB_ASSIGN_OR_RETURN(Principal principal, authenticator_->Identify(*ctx));
  request.viewer = Viewer(std::move(principal));
  THB_ASSIGN_OR_RETURN(request.role, policy_->Authorize(method, request.viewer.principal()));
  request.actor.subject = request.viewer.subject();
  request.actor.role = request.role;
  request.actor.method = request.full_method;
  request.actor.institution = request.viewer.institution();
  return absl::OkStatus();
}

nlohmann::json RpcLogFields(const RequestContext& request, const absl::Status& status,
                            std::chrono::steady_clock::time_point start) {
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  nlohmann::json fields = {{"rpc", request.method},
                           {"code", GrpcCodeName(static_cast<int>(status.code()))},
                           {"duration_ms", ms},
                           {"request_id", request.request_id},
                           {"subject", request.viewer.subject()}};
  if (!status.ok()) fields["error"] = std::string(status.message());
  return fields;
}

grpc::ServerUnaryReactor* RpcDispatcher::Unary(grpc::CallbackServerContext* ctx,
                                               const google::protobuf::Message& message,
                                               google::protobuf::Message* response,
                                               absl::string_view method, Handler handler) const {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  auto start = std::chrono::steady_clock::now();
  auto request = std::make_shared<RequestContext>();
  const absl::Status admitted = Admit(ctx, method, request.get());
  request->actor.request = &message;

  auto finish = [ctx, reactor, request, start](const absl::Status& status) {
    LogLevel level = status.ok() ? LogLevel::kInfo
                     : (status.code() == absl::StatusCode::kInternal ||
                        status.code() == absl::StatusCode::kUnknown ||
                        status.code() == absl::StatusCode::kDataLoss)
                         ? LogLevel::kError
                         : LogLevel::kWarning;
    if (LogEnabled(level)) {
      nlohmann::json fields = RpcLogFields(*request, status, start);
      fields["peer"] = ctx->peer();
      Log(level, "rpc", fields);
    }
    reactor->Finish(ToGrpcStatus(status));
  };

  if (!admitted.ok()) {
    finish(admitted);
    return reactor;
  }
  boost::asio::post(*workers_,
                    [request, &message, response, handler = std::move(handler), finish, ctx]() {
                      if (ctx->IsCancelled()) {
                        finish(absl::CancelledError("the caller cancelled the request"));
                        return;
                      }
                      FieldViolations too_large;
                      CheckInputLimits(message, SuiteInputLimits(), &too_large);
                      if (!too_large.empty()) {
                        finish(too_large.ToStatus());
                        return;
                      }
                      absl::Status status = handler(*request);
                      if (status.ok()) RedactForViewer(request->viewer, response);
                      finish(status);
                    });
  return reactor;
}

}  // namespace thb
