// HTTP/JSON <-> protobuf for one route: builds the gRPC request from path bindings, query
// parameters and the JSON body, prints responses as proto3 JSON (lowerCamelCase, 64-bit
// integers as strings). Error answers are http_errors.h's.
#pragma once

#include <google/protobuf/message.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/route_table.h"

namespace thb::gateway {

// INVALID_ARGUMENT (naming the parameter) on a body, query or path value that does not fit.
// A JSON member or query parameter naming no field of the request is INVALID_ARGUMENT too,
// unless `ignore_unknown_fields` (then it is dropped, as a client newer than the contract sends).
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> BuildRequestMessage(
    const Route& route, const std::vector<PathBinding>& bindings, absl::string_view query,
    absl::string_view body, bool ignore_unknown_fields = false);

// The response as JSON (only `response_body` when the route names one).
absl::StatusOr<std::string> ResponseToJson(const Route& route,
                                           const google::protobuf::Message& response);

}  // namespace thb::gateway
