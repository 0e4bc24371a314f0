// Error values for the domain and storage layers, and the one place that maps them to gRPC.
// INVALID_ARGUMENT carries google.rpc.BadRequest field violations as an absl::Status payload,
// which ToGrpcStatus turns into grpc-status-details-bin so every client language can read them.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "thb/type/v1/errors.pb.h"

namespace thb {

using ErrorReason = thb::type::v1::ErrorReason;
using PreconditionType = thb::type::v1::PreconditionType;

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

// The refusals of the domain (reasons and types: protos/thb/type/v1/errors.proto). Each carries a
// google.rpc.ErrorInfo (domain "thb-suite", `reason` without its "ERROR_REASON_" prefix).

// The ErrorInfo reason string of `reason` ("ETAG_MISMATCH" for ERROR_REASON_ETAG_MISMATCH).
std::string ReasonName(ErrorReason reason);

// `status` with an ErrorInfo of `reason` (and `metadata`) attached.
absl::Status WithReason(absl::Status status, ErrorReason reason,
                        const std::vector<std::pair<std::string, std::string>>& metadata = {});

// FAILED_PRECONDITION with a PreconditionFailure violation {type, subject, message}.
absl::Status PreconditionFailed(ErrorReason reason, PreconditionType type, std::string subject,
                                std::string message);

// NOT_FOUND (RESOURCE_NOT_FOUND) with a ResourceInfo naming `resource_name` of `resource_type` (a
// message's full name).
absl::Status ResourceNotFound(std::string resource_type, std::string resource_name,
                              const std::string& message);

// ALREADY_EXISTS with a ResourceInfo.
absl::Status ResourceAlreadyExists(ErrorReason reason, std::string resource_type,
                                   std::string resource_name, const std::string& message);

// PERMISSION_DENIED by a rule of the domain (not the access policy).
absl::Status Denied(ErrorReason reason, const std::string& message);

// The ErrorInfo reason attached to `status`, or "" when there is none.
std::string ReasonOf(const absl::Status& status);

// absl -> gRPC, with every payload carried as a google.rpc.Status detail. A refusal
// (FAILED_PRECONDITION, NOT_FOUND, ALREADY_EXISTS, ABORTED) that names no reason gets its code's
// generic one, so every refusal carries an ErrorInfo.
grpc::Status ToGrpcStatus(const absl::Status& status_in);

// gRPC -> absl, keeping the details, for statuses returned by another service.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace thb
