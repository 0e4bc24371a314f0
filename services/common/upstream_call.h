// One blocking call to another pillar with this service's token and the upstream deadline. An
// unreachable or slow upstream is UNAVAILABLE with a message naming it; other errors keep their
// code, message and details.
#pragma once

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/errors.h"
#include "services/common/service_runtime.h"

namespace thb {

template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> CallUpstream(ServiceRuntime& runtime, Stub& stub,
                                      grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                                      const Request& request, absl::string_view upstream) {
  grpc::ClientContext ctx;
  runtime.PrepareUpstreamCall(ctx);
  Response out;
  grpc::Status s = (stub.*rpc)(&ctx, request, &out);
  if (s.ok()) return out;
  if (s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED || s.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return absl::UnavailableError(
        absl::StrCat(upstream, " is unreachable (", s.error_message(), "); try again later"));
  }
  return FromGrpcStatus(s);
}

}  // namespace thb
