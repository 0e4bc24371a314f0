#include "gateway/http_errors.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/errors.h"
#include "services/common/utf8.h"

namespace thb::gateway {

int HttpStatusForCode(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::UNKNOWN:
      return 500;
    case grpc::StatusCode::INVALID_ARGUMENT:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::FAILED_PRECONDITION:
      return 400;
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::INTERNAL:
      return 500;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::DATA_LOSS:
      return 500;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    default:
      return 500;
  }
}

std::string ErrorBody(const grpc::Status& status) {
  // Reference the standard detail types so their descriptors are linked in and Any details
  // print as JSON.
  static const bool linked = google::rpc::BadRequest::descriptor() != nullptr &&
                             google::rpc::ErrorInfo::descriptor() != nullptr &&
                             google::rpc::PreconditionFailure::descriptor() != nullptr &&
                             google::rpc::RetryInfo::descriptor() != nullptr;
  (void)linked;
  google::rpc::Status rpc_status;
  if (status.error_details().empty() || !rpc_status.ParseFromString(status.error_details())) {
    rpc_status.Clear();
  }
  rpc_status.set_code(static_cast<int>(status.error_code()));
  // Messages may quote what the client sent (a path, a parameter name): keep the JSON valid.
  rpc_status.set_message(ToValidUtf8(status.error_message()));
  std::string out;
  auto st = google::protobuf::util::MessageToJsonString(rpc_status, &out);
  if (!st.ok()) {
    // A detail of a type this binary does not know: keep code and message.
    rpc_status.clear_details();
    out.clear();
    (void)google::protobuf::util::MessageToJsonString(rpc_status, &out);
  }
  return out;
}

HttpResponse ErrorResponse(http::status http_status, const grpc::Status& status) {
  HttpResponse res = JsonResponse(http_status, ErrorBody(status));
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    res.set(http::field::www_authenticate, "Bearer realm=\"thb\"");
  }
  return res;
}

HttpResponse ErrorResponse(const grpc::Status& status) {
  return ErrorResponse(static_cast<http::status>(HttpStatusForCode(status.error_code())), status);
}

HttpResponse ErrorResponse(const absl::Status& status) {
  return ErrorResponse(ToGrpcStatus(status));
}

HttpResponse NoRouteFor(absl::string_view path) {
  return ErrorResponse(
      grpc::Status(grpc::StatusCode::NOT_FOUND, absl::StrCat("no route for ", path)));
}

HttpResponse ServerError(http::status http_status, grpc::StatusCode code,
                         const std::string& message) {
  HttpResponse res = ErrorResponse(http_status, grpc::Status(code, message));
  SetSecurityHeaders(res.base());
  res.keep_alive(false);
  return res;
}

std::string StreamErrorLine(const grpc::Status& status) {
  return absl::StrCat(R"({"error":)", ErrorBody(status), "}\n");
}

}  // namespace thb::gateway
