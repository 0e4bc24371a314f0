// One HTTP request's call to the service that serves its route, over gRPC's generic stub with
// gRPC's own protobuf serialization; no thread waits for it. A unary call answers once: 200 with
// the response as JSON, or the error answer. A server-streaming call answers as newline-delimited
// JSON.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/generic/generic_stub.h>

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "gateway/forwarded_headers.h"
#include "gateway/http_message.h"
#include "gateway/route_table.h"

namespace thb::gateway {

// What goes to the upstream; read only while the call starts.
struct UpstreamRequest {
  const Route& route;
  const google::protobuf::Message& message;
  const std::string& request_id;          // sent as x-request-id
  const ForwardedHeaders& forwarded;      // authorization, traceparent and custom metadata
  std::optional<absl::Duration> timeout;  // the call's deadline from now; none: no deadline
};

// Starts a unary call; `respond` gets the answer, on a gRPC thread.
void StartUnaryCall(grpc::GenericStub& stub, const UpstreamRequest& request, Responder respond);

// Starts a server-streaming call: one JSON object per line and, when the stream fails after it
// started, a last line {"error": google.rpc.Status}. The HTTP status is decided by the first
// event: a message (200 through `open`, then streaming) or the end (through `respond`: the error
// answer as for unary calls, or 200 with an empty body through `open`). Each message is read only
// after the previous line is on the wire, so a slow client slows the upstream instead of filling
// memory; a client that goes away cancels the call.
void StartStreamingCall(grpc::GenericStub& stub, const UpstreamRequest& request, Responder respond,
                        StreamOpener open);

}  // namespace thb::gateway
