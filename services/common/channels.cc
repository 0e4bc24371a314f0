#include "services/common/channels.h"

#include <grpcpp/support/channel_arguments.h>

#include <algorithm>

#include "absl/flags/flag.h"
#include "services/common/flags.h"

namespace thb {

absl::StatusOr<absl::Duration> UpstreamMaxBackoffFromFlags() {
  const absl::Duration backoff = absl::GetFlag(FLAGS_upstream_max_backoff);
  if (backoff < absl::Milliseconds(1)) {
    return absl::InvalidArgumentError("--upstream_max_backoff: must be at least 1ms");
  }
  return backoff;
}

grpc::ChannelArguments UpstreamChannelArguments(absl::Duration max_reconnect_backoff) {
  grpc::ChannelArguments args;
  const int max_ms = static_cast<int>(
      std::clamp<int64_t>(absl::ToInt64Milliseconds(max_reconnect_backoff), 1, 3600 * 1000));
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, max_ms);
  // gRPC starts at 1 s; a smaller maximum must not be undercut by the first wait.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, std::min(1000, max_ms));
  args.SetLoadBalancingPolicyName("round_robin");
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
  // As large as a server accepts: a 100,000-row statistics submission or export is a few MB.
  args.SetMaxReceiveMessageSize(64 * 1024 * 1024);
  args.SetMaxSendMessageSize(64 * 1024 * 1024);
  return args;
}

}  // namespace thb
