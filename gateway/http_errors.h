// Every error answer the gateway and its HTTP server give: the gRPC code -> HTTP status mapping
// (google/rpc/code.proto), the google.rpc.Status JSON body, and the answers built from them. No
// other file writes an error body.
#pragma once

#include <grpcpp/support/status.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gateway/http_message.h"

namespace thb::gateway {

// The canonical HTTP status for a gRPC code (google/rpc/code.proto); 500 for a code it lacks.
int HttpStatusForCode(grpc::StatusCode code);

// google.rpc.Status JSON for an error, with the details the service attached (dropped when
// one is of a type this binary does not know; the code and message stay).
std::string ErrorBody(const grpc::Status& status);

// The answer for an error: its canonical HTTP status and its google.rpc.Status body, with
// WWW-Authenticate when the caller must authenticate.
HttpResponse ErrorResponse(const grpc::Status& status);
HttpResponse ErrorResponse(const absl::Status& status);

// The same with an HTTP status more precise than the code's canonical one (405 for a method the
// path does not take, 415 for a body that is not JSON, 505 for an HTTP version not served, ...).
HttpResponse ErrorResponse(http::status http_status, const grpc::Status& status);

// 404 for a path no route serves (a preflight's too).
HttpResponse NoRouteFor(absl::string_view path);

// An answer the HTTP server gives on its own, for a request (or a connection) the handler never
// sees: the error answer with the security headers, and the connection closes after it.
HttpResponse ServerError(http::status http_status, grpc::StatusCode code,
                         const std::string& message);

// The last line of a newline-delimited JSON stream that failed after it started:
// {"error": google.rpc.Status} and a newline.
std::string StreamErrorLine(const grpc::Status& status);

}  // namespace thb::gateway
