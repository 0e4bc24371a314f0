#include "services/common/errors.h"

#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace thb {
namespace {

constexpr char kBadRequestUrl[] = "type.googleapis.com/google.rpc.BadRequest";
constexpr char kErrorInfoUrl[] = "type.googleapis.com/google.rpc.ErrorInfo";
constexpr char kDomain[] = "thb-suite";
constexpr absl::string_view kReasonPrefix = "ERROR_REASON_";

// The generic reason of a refusal's code, or UNSPECIFIED for codes that are not refusals.
ErrorReason GenericReason(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kFailedPrecondition:
      return thb::type::v1::ERROR_REASON_PRECONDITION_FAILED;
    case absl::StatusCode::kNotFound:
      return thb::type::v1::ERROR_REASON_RESOURCE_NOT_FOUND;
    case absl::StatusCode::kAlreadyExists:
      return thb::type::v1::ERROR_REASON_RESOURCE_ALREADY_EXISTS;
    case absl::StatusCode::kAborted:
      return thb::type::v1::ERROR_REASON_CONCURRENT_CHANGE;
    default:
      return thb::type::v1::ERROR_REASON_UNSPECIFIED;
  }
}

google::rpc::ResourceInfo MakeResourceInfo(std::string type, std::string name,
                                           const std::string& message) {
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::move(type));
  info.set_resource_name(std::move(name));
  info.set_description(message);
  return info;
}

absl::Status MakeInvalidArgument(const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest bad_request;
  std::vector<std::string> parts;
  for (const auto& v : violations) {
    auto* fv = bad_request.add_field_violations();
    fv->set_field(v.field);
    fv->set_description(v.description);
    parts.push_back(absl::StrCat(v.field, ": ", v.description));
  }
  return WithDetail(absl::Status(absl::StatusCode::kInvalidArgument,
                                 absl::StrCat("invalid request: ", absl::StrJoin(parts, "; "))),
                    bad_request);
}

}  // namespace

absl::Status WithDetail(absl::Status status, const google::protobuf::Message& detail) {
  status.SetPayload(absl::StrCat("type.googleapis.com/", detail.GetDescriptor()->full_name()),
                    absl::Cord(detail.SerializeAsString()));
  return status;
}

void FieldViolations::Add(std::string field, std::string description) {
  violations_.push_back({std::move(field), std::move(description)});
}

absl::Status FieldViolations::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  return MakeInvalidArgument(violations_);
}

absl::Status InvalidField(std::string field, std::string description) {
  return MakeInvalidArgument({{std::move(field), std::move(description)}});
}

std::vector<FieldViolation> GetFieldViolations(const absl::Status& status) {
  std::vector<FieldViolation> out;
  absl::optional<absl::Cord> payload = status.GetPayload(kBadRequestUrl);
  if (!payload) return out;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return out;
  for (const auto& fv : bad_request.field_violations()) {
    out.push_back({fv.field(), fv.description()});
  }
  return out;
}

std::string ReasonName(ErrorReason reason) {
  return std::string(absl::StripPrefix(thb::type::v1::ErrorReason_Name(reason), kReasonPrefix));
}

absl::Status WithReason(absl::Status status, ErrorReason reason,
                        const std::vector<std::pair<std::string, std::string>>& metadata) {
  google::rpc::ErrorInfo info;
  info.set_reason(ReasonName(reason));
  info.set_domain(kDomain);
  for (const auto& [key, value] : metadata) (*info.mutable_metadata())[key] = value;
  return WithDetail(std::move(status), info);
}

absl::Status PreconditionFailed(ErrorReason reason, PreconditionType type, std::string subject,
                                std::string message) {
  google::rpc::PreconditionFailure failure;
  auto* violation = failure.add_violations();
  violation->set_type(std::string(
      absl::StripPrefix(thb::type::v1::PreconditionType_Name(type), "PRECONDITION_TYPE_")));
  violation->set_subject(std::move(subject));
  violation->set_description(message);
  return WithReason(WithDetail(absl::FailedPreconditionError(message), failure), reason);
}

absl::Status ResourceNotFound(std::string resource_type, std::string resource_name,
                              const std::string& message) {
  return WithReason(
      WithDetail(absl::NotFoundError(message),
                 MakeResourceInfo(std::move(resource_type), std::move(resource_name), message)),
      thb::type::v1::ERROR_REASON_RESOURCE_NOT_FOUND);
}

absl::Status ResourceAlreadyExists(ErrorReason reason, std::string resource_type,
                                   std::string resource_name, const std::string& message) {
  return WithReason(
      WithDetail(absl::AlreadyExistsError(message),
                 MakeResourceInfo(std::move(resource_type), std::move(resource_name), message)),
      reason);
}

absl::Status Denied(ErrorReason reason, const std::string& message) {
  return WithReason(absl::PermissionDeniedError(message), reason);
}

std::string ReasonOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kErrorInfoUrl);
  google::rpc::ErrorInfo info;
  if (!payload || !info.ParseFromString(std::string(*payload))) return "";
  return info.reason();
}

grpc::Status ToGrpcStatus(const absl::Status& status_in) {
  if (status_in.ok()) return grpc::Status::OK;
  absl::Status status = status_in;
  const ErrorReason generic = GenericReason(status.code());
  if (generic != thb::type::v1::ERROR_REASON_UNSPECIFIED && !status.GetPayload(kErrorInfoUrl)) {
    status = WithReason(std::move(status), generic);
  }
  google::rpc::Status rpc_status;
  rpc_status.set_code(static_cast<int>(status.code()));
  rpc_status.set_message(std::string(status.message()));
  // In one order whatever the payloads' (unspecified) order: sorted by type URL.
  std::map<std::string, std::string> details;
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& value) {
    details[std::string(type_url)] = std::string(value);
  });
  for (auto& [type_url, value] : details) {
    auto* any = rpc_status.add_details();
    any->set_type_url(type_url);
    any->set_value(std::move(value));
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      rpc_status.details_size() > 0 ? rpc_status.SerializeAsString() : "");
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status rpc_status;
  if (!status.error_details().empty() && rpc_status.ParseFromString(status.error_details())) {
    for (const auto& any : rpc_status.details()) {
      out.SetPayload(any.type_url(), absl::Cord(any.value()));
    }
  }
  return out;
}

}  // namespace thb
