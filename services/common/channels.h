// Channels to another service, the same for the services and the gateway.
#pragma once

#include <grpcpp/support/channel_arguments.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace thb {

// Default of --upstream_max_backoff.
inline constexpr absl::Duration kUpstreamMaxBackoff = absl::Seconds(2);

// Arguments of every channel to another service: round_robin over the resolved addresses (so
// `dns:///` targets spread over replicas), keepalive pings, and reconnection attempts to a
// service that is down at most `max_reconnect_backoff` apart (gRPC's default backoff climbs to
// 120 s, so callers would find a recovered service only minutes later).
grpc::ChannelArguments UpstreamChannelArguments(
    absl::Duration max_reconnect_backoff = kUpstreamMaxBackoff);

// The value of --upstream_max_backoff, or INVALID_ARGUMENT when it is not positive.
absl::StatusOr<absl::Duration> UpstreamMaxBackoffFromFlags();

}  // namespace thb
