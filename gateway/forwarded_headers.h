// Which HTTP request headers reach the services as gRPC metadata, and the checks that make them
// safe to hand to gRPC: a header gRPC would refuse (an illegal name, a byte outside printable
// ASCII) is a 400 naming it here, instead of an abort inside gRPC.
//
// Forwarded: Authorization, X-Request-Id, traceparent and grpc-timeout (each at most once), and
// `grpc-metadata-<name>` as `<name>` for custom metadata, except names that the suite or gRPC
// interpret (see IsReservedMetadataName): those cannot be smuggled in under another header.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/http_message.h"

namespace thb::gateway {

struct ForwardedHeaders {
  std::string authorization;                                // empty when absent
  std::string request_id;                                   // the client's X-Request-Id, or empty
  std::string traceparent;                                  // empty when absent
  std::optional<absl::Duration> timeout;                    // from grpc-timeout
  std::vector<std::pair<std::string, std::string>> custom;  // from grpc-metadata-*
};

// The headers to forward, or INVALID_ARGUMENT with a field violation naming the header.
absl::StatusOr<ForwardedHeaders> ExtractForwardedHeaders(const HttpRequest& request);

// A gRPC metadata key: non-empty, only 0-9 a-z - _ . (gRPC's rule).
bool IsLegalMetadataName(absl::string_view name);
// A value gRPC accepts for a text (non "-bin") key: printable ASCII, 0x20 to 0x7E.
bool IsLegalMetadataValue(absl::string_view value);
// Names a client may not set through grpc-metadata-*: gRPC's own (grpc-*, pseudo-headers,
// binary -bin keys) and those the gateway sets or the services read (authorization,
// x-request-id, traceparent, ...), plus HTTP's connection-level headers.
bool IsReservedMetadataName(absl::string_view name);

// grpc-timeout as gRPC defines it: 1 to 8 digits and a unit (H, M, S, m, u, n).
std::optional<absl::Duration> ParseGrpcTimeout(absl::string_view value);

}  // namespace thb::gateway
