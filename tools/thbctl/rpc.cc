#include "tools/thbctl/rpc.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/flags.h"
#include "services/common/metrics.h"

namespace thb::ctl {

std::shared_ptr<grpc::Channel> OpenChannel(const Connection& c) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  if (c.ca_file.empty()) {
    return grpc::CreateCustomChannel(c.target, grpc::InsecureChannelCredentials(), args);
  }
  grpc::SslCredentialsOptions ssl;
  absl::StatusOr<std::string> roots = ReadFileToString(c.ca_file);
  if (roots.ok()) ssl.pem_root_certs = *roots;
  return grpc::CreateCustomChannel(c.target, grpc::SslCredentials(ssl), args);
}

std::unique_ptr<grpc::ClientContext> NewContext(const Connection& c, bool deadline) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!c.token.empty()) ctx->AddMetadata("authorization", absl::StrCat("Bearer ", c.token));
  if (deadline) {
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(c.deadline_seconds));
  }
  return ctx;
}

std::string Describe(const grpc::Status& status) {
  std::string out = absl::StrCat(GrpcCodeName(status.error_code()), ": ", status.error_message());
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return out;
  }
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    google::rpc::PreconditionFailure failure;
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) {
        absl::StrAppend(&out, "\n  ", v.field(), ": ", v.description());
      }
    } else if (any.UnpackTo(&failure)) {
      for (const auto& v : failure.violations()) {
        absl::StrAppend(&out, "\n  ", v.type(), " ", v.subject(), ": ", v.description());
      }
    } else if (any.UnpackTo(&info)) {
      absl::StrAppend(&out, "\n  reason: ", info.reason());
    }
  }
  return out;
}

}  // namespace thb::ctl
