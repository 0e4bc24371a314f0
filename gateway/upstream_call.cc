#include "gateway/upstream_call.h"

#include <grpcpp/impl/codegen/proto_utils.h>

#include <memory>

#include "absl/synchronization/mutex.h"
#include "gateway/http_errors.h"
#include "gateway/transcoder.h"

namespace thb::gateway {
namespace {

// Messages to and from gRPC byte buffers with gRPC's own protobuf serialization.
grpc::ByteBuffer ToByteBuffer(const google::protobuf::Message& m) {
  grpc::ByteBuffer buffer;
  bool own_buffer;
  (void)grpc::SerializationTraits<google::protobuf::Message>::Serialize(m, &buffer, &own_buffer);
  return buffer;
}

// Consumes `buffer`.
bool FromByteBuffer(grpc::ByteBuffer* buffer, google::protobuf::Message* m) {
  return grpc::SerializationTraits<google::protobuf::Message>::Deserialize(buffer, m).ok();
}

// An empty message of the route's response type.
std::unique_ptr<google::protobuf::Message> NewResponse(const Route& route) {
  const auto* prototype = google::protobuf::MessageFactory::generated_factory()->GetPrototype(
      route.method->output_type());
  return std::unique_ptr<google::protobuf::Message>(prototype->New());
}

// The deadline, and the metadata the upstream reads.
void PrepareContext(const UpstreamRequest& request, grpc::ClientContext& context) {
  if (request.timeout) context.set_deadline(absl::ToChronoTime(absl::Now() + *request.timeout));
  context.AddMetadata("x-request-id", request.request_id);
  const ForwardedHeaders& forwarded = request.forwarded;
  if (!forwarded.authorization.empty())
    context.AddMetadata("authorization", forwarded.authorization);
  if (!forwarded.traceparent.empty()) context.AddMetadata("traceparent", forwarded.traceparent);
  for (const auto& [name, value] : forwarded.custom) context.AddMetadata(name, value);
}

// One unary call; deletes itself when done.
struct UnaryCall {
  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  const Route* route;
  Responder respond;

  // The answer for the call's end.
  HttpResponse Answer(const grpc::Status& status) {
    if (!status.ok()) return ErrorResponse(status);
    std::unique_ptr<google::protobuf::Message> message = NewResponse(*route);
    if (!FromByteBuffer(&response, message.get())) {
      return ErrorResponse(
          grpc::Status(grpc::StatusCode::INTERNAL, "upstream response does not parse"));
    }
    absl::StatusOr<std::string> json = ResponseToJson(*route, *message);
    if (!json.ok()) {
      return ErrorResponse(
          grpc::Status(grpc::StatusCode::INTERNAL, std::string(json.status().message())));
    }
    return JsonResponse(http::status::ok, *std::move(json));
  }
};

// Cancels a call on behalf of someone who may outlive it (the HTTP session noticing the client
// left): once the call is done, Detach makes Cancel a no-op.
class CallCanceller {
 public:
  explicit CallCanceller(grpc::ClientContext* context) : context_(context) {}
  void Cancel() {
    absl::MutexLock lock(&mu_);
    if (context_ != nullptr) context_->TryCancel();
  }
  void Detach() {
    absl::MutexLock lock(&mu_);
    context_ = nullptr;
  }

 private:
  absl::Mutex mu_;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mu_);
};

// One server-streaming call, as StartStreamingCall describes it; deletes itself when done.
class StreamCall : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  StreamCall(const Route* route, Responder respond, StreamOpener open)
      : route_(route), respond_(std::move(respond)), open_(std::move(open)) {}

  grpc::ClientContext context;
  grpc::ByteBuffer request;

  void Start(grpc::GenericStub& stub) {
    stub.PrepareBidiStreamingCall(&context, route_->full_method, grpc::StubOptions(), this);
    StartWriteLast(&request, grpc::WriteOptions());
    StartRead(&response_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // the end: OnDone follows with the status
    std::unique_ptr<google::protobuf::Message> message = NewResponse(*route_);
    absl::StatusOr<std::string> line = FromByteBuffer(&response_, message.get())
                                           ? ResponseToJson(*route_, *message)
                                           : absl::InternalError("upstream message does not parse");
    if (!line.ok()) {
      context.TryCancel();
      return;
    }
    OpenIfNeeded();
    AddHold();  // no OnDone before the next read is started
    writer_->Write(*line + "\n", [this](bool written) {
      if (!written) context.TryCancel();  // the client left: the read below ends at once
      StartRead(&response_);
      RemoveHold();
    });
  }

  void OnDone(const grpc::Status& status) override {
    std::unique_ptr<StreamCall> owned(this);
    canceller_->Detach();
    if (writer_ == nullptr) {
      if (!status.ok()) {
        respond_(ErrorResponse(status));
        return;
      }
      OpenIfNeeded();
    } else if (!status.ok()) {
      writer_->Write(StreamErrorLine(status), nullptr);
    }
    writer_->Finish();
  }

 private:
  void OpenIfNeeded() {
    if (writer_ != nullptr) return;
    ResponseHeader header;
    header.result(http::status::ok);
    header.set(http::field::content_type, "application/x-ndjson");
    header.set(http::field::cache_control, "no-store");
    writer_ = open_(std::move(header));
    // A client that leaves an idle stream ends the upstream call at once (it would otherwise
    // hold the call, and the connection under the client's cap, until the next event).
    writer_->OnClientGone([canceller = canceller_] { canceller->Cancel(); });
  }

  const Route* route_;
  Responder respond_;
  StreamOpener open_;
  grpc::ByteBuffer response_;
  std::shared_ptr<ChunkedResponse> writer_;
  std::shared_ptr<CallCanceller> canceller_ = std::make_shared<CallCanceller>(&context);
};

}  // namespace

void StartUnaryCall(grpc::GenericStub& stub, const UpstreamRequest& request, Responder respond) {
  auto* call = new UnaryCall();
  call->route = &request.route;
  call->request = ToByteBuffer(request.message);
  call->respond = std::move(respond);
  PrepareContext(request, call->context);
  stub.UnaryCall(&call->context, request.route.full_method, grpc::StubOptions(), &call->request,
                 &call->response, [call](const grpc::Status& status) {
                   std::unique_ptr<UnaryCall> owned(call);
                   owned->respond(owned->Answer(status));
                 });
}

void StartStreamingCall(grpc::GenericStub& stub, const UpstreamRequest& request, Responder respond,
                        StreamOpener open) {
  auto* stream = new StreamCall(&request.route, std::move(respond), std::move(open));
  stream->request = ToByteBuffer(request.message);
  PrepareContext(request, stream->context);
  stream->Start(stub);
}

}  // namespace thb::gateway
