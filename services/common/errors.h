// Error values for the domain and storage layers, and the one place that maps them to gRPC.
// INVALID_ARGUMENT carries google.rpc.BadRequest field violations as an absl::Status payload,
// which ToGrpcStatus turns into grpc-status-details-bin so every client language can read them.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace thb {

struct FieldViolation {
  std::string field;        // request field path, e.g. "institution.display_name"
  std::string description;  // what is wrong, in plain words
};

// Collects field violations while validating a request.
class FieldViolations {
 public:
  void Add(std::string field, std::string description);
  bool empty() const { return violations_.empty(); }
  size_t size() const { return violations_.size(); }
  // OK when nothing was added; otherwise INVALID_ARGUMENT with every violation attached.
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> violations_;
};

// `status` with `detail` attached as a payload (type URL "type.googleapis.com/<full name>"),
// which ToGrpcStatus carries to the client as a google.rpc.Status detail.
absl::Status WithDetail(absl::Status status, const google::protobuf::Message& detail);

// INVALID_ARGUMENT naming one field.
absl::Status InvalidField(std::string field, std::string description);

// The field violations attached to a status (empty when there are none).
std::vector<FieldViolation> GetFieldViolations(const absl::Status& status);

// absl -> gRPC, with every payload carried as a google.rpc.Status detail.
grpc::Status ToGrpcStatus(const absl::Status& status);

// gRPC -> absl, keeping the details, for statuses returned by another service.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace thb
