#include "services/common/institution_directory.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/service_runtime.h"

namespace thb {
namespace {

using thb::coordinator::v1::CoordinatorService;
using thb::coordinator::v1::Institution;

class CoordinatorDirectory : public CoordinatorReader {
 public:
  CoordinatorDirectory(ServiceRuntime& runtime, const std::string& target)
      : runtime_(runtime),
        stub_(CoordinatorService::NewStub(runtime.UpstreamChannel(
            target, *Institution::descriptor()->file()->FindServiceByName("CoordinatorService")))) {}

  absl::StatusOr<Institution> GetInstitution(const std::string& name) override {
    thb::coordinator::v1::GetInstitutionRequest req;
    req.set_name(name);
    return Call<Institution>(req, &CoordinatorService::Stub::GetInstitution);
  }
  absl::StatusOr<thb::coordinator::v1::Mandate> GetMandate() override {
    thb::coordinator::v1::GetMandateRequest req;
    req.set_name("mandate");
    return Call<thb::coordinator::v1::Mandate>(req, &CoordinatorService::Stub::GetMandate);
  }
  absl::StatusOr<thb::coordinator::v1::ActionPlan> GetPlan(const std::string& name) override {
    thb::coordinator::v1::GetPlanRequest req;
    req.set_name(name);
    return Call<thb::coordinator::v1::ActionPlan>(req, &CoordinatorService::Stub::GetPlan);
  }
  absl::StatusOr<thb::coordinator::v1::Measure> GetMeasure(const std::string& name) override {
    thb::coordinator::v1::GetMeasureRequest req;
    req.set_name(name);
    return Call<thb::coordinator::v1::Measure>(req, &CoordinatorService::Stub::GetMeasure);
  }

 private:
  // One blocking call with this service's token and the upstream deadline; an unreachable or
  // slow coordinator is UNAVAILABLE with a message that says so.
  template <typename Response, typename Request>
  absl::StatusOr<Response> Call(const Request& req,
                                grpc::Status (CoordinatorService::Stub::*rpc)(grpc::ClientContext*,
                                                                              const Request&, Response*)) {
    grpc::ClientContext ctx;
    runtime_.PrepareUpstreamCall(ctx);
    Response out;
    grpc::Status s = (stub_.get()->*rpc)(&ctx, req, &out);
    if (s.ok()) return out;
    if (s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
        s.error_code() == grpc::StatusCode::UNAVAILABLE) {
      return absl::UnavailableError(
          absl::StrCat("the coordinator is unreachable (", s.error_message(), "); try again later"));
    }
    return FromGrpcStatus(s);
  }

  ServiceRuntime& runtime_;
  std::unique_ptr<CoordinatorService::Stub> stub_;
};

}  // namespace

absl::Status RequireActiveInstitution(InstitutionDirectory& directory, const std::string& name,
                                      const std::string& field) {
  absl::StatusOr<Institution> inst = directory.GetInstitution(name);
  if (inst.status().code() == absl::StatusCode::kNotFound) {
    absl::Status s = absl::FailedPreconditionError(
        absl::StrCat(field, ": institution ", name, " is not registered at the coordinator"));
    return s;
  }
  if (!inst.ok()) return inst.status();
  if (inst->state() != Institution::STATE_ACTIVE) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": institution ", name, " is archived at the coordinator"));
  }
  return absl::OkStatus();
}

std::unique_ptr<CoordinatorReader> NewCoordinatorDirectory(ServiceRuntime& runtime,
                                                           const std::string& target) {
  return std::make_unique<CoordinatorDirectory>(runtime, target);
}

}  // namespace thb
