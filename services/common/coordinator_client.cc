#include "services/common/coordinator_client.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/service_runtime.h"
#include "services/common/status_macros.h"
#include "services/common/upstream_call.h"

namespace thb {
namespace {

using thb::coordinator::v1::CoordinatorService;
using thb::coordinator::v1::Institution;

class GrpcCoordinatorClient : public CoordinatorClient {
 public:
  GrpcCoordinatorClient(ServiceRuntime& runtime, const std::string& target)
      : runtime_(runtime),
        stub_(CoordinatorService::NewStub(runtime.UpstreamChannel(
            target, *Institution::descriptor()->file()->FindServiceByName("CoordinatorService")))) {
  }

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
  absl::StatusOr<thb::coordinator::v1::PolicyDocument> GetPolicyDocument(
      const std::string& name) override {
    thb::coordinator::v1::GetPolicyDocumentRequest req;
    req.set_name(name);
    return Call<thb::coordinator::v1::PolicyDocument>(req,
                                                      &CoordinatorService::Stub::GetPolicyDocument);
  }
  absl::StatusOr<std::vector<thb::coordinator::v1::ActionPlan>> ListPlans(
      thb::coordinator::v1::ActionPlan::State state) override {
    thb::coordinator::v1::ListPlansRequest req;
    req.set_state(state);
    return CollectPages<thb::coordinator::v1::ActionPlan>(
        runtime_, *stub_, &CoordinatorService::Stub::ListPlans, req, "the coordinator",
        [](thb::coordinator::v1::ListPlansResponse& page) { return page.mutable_plans(); });
  }
  absl::StatusOr<std::vector<thb::coordinator::v1::Engagement>> ListEngagements(
      const google::type::Date& period_start) override {
    thb::coordinator::v1::ListEngagementsRequest req;
    *req.mutable_period_start() = period_start;
    return CollectPages<thb::coordinator::v1::Engagement>(
        runtime_, *stub_, &CoordinatorService::Stub::ListEngagements, req, "the coordinator",
        [](thb::coordinator::v1::ListEngagementsResponse& page) {
          return page.mutable_engagements();
        });
  }
  absl::StatusOr<std::vector<thb::coordinator::v1::ReportingObligation>> ListReportingObligations(
      const std::string& filter) override {
    thb::coordinator::v1::ListReportingObligationsRequest req;
    req.set_filter(filter);
    return CollectPages<thb::coordinator::v1::ReportingObligation>(
        runtime_, *stub_, &CoordinatorService::Stub::ListReportingObligations, req,
        "the coordinator", [](thb::coordinator::v1::ListReportingObligationsResponse& page) {
          return page.mutable_obligations();
        });
  }
  absl::StatusOr<thb::coordinator::v1::ObligationsCalendar> GetObligationsCalendar() override {
    return Call<thb::coordinator::v1::ObligationsCalendar>(
        thb::coordinator::v1::GetObligationsCalendarRequest(),
        &CoordinatorService::Stub::GetObligationsCalendar);
  }
  absl::StatusOr<thb::coordinator::v1::CoverageAnalysis> AnalyzeCoverage(
      const std::string& plan) override {
    thb::coordinator::v1::AnalyzeCoverageRequest req;
    req.set_plan(plan);
    return Call<thb::coordinator::v1::CoverageAnalysis>(req,
                                                        &CoordinatorService::Stub::AnalyzeCoverage);
  }
  absl::StatusOr<thb::coordinator::v1::ProgressAnalysis> AnalyzeProgress(
      const std::string& plan) override {
    thb::coordinator::v1::AnalyzeProgressRequest req;
    req.set_plan(plan);
    return Call<thb::coordinator::v1::ProgressAnalysis>(req,
                                                        &CoordinatorService::Stub::AnalyzeProgress);
  }
  absl::StatusOr<thb::coordinator::v1::FundingAnalysis> AnalyzeFunding(
      const std::string& plan) override {
    thb::coordinator::v1::AnalyzeFundingRequest req;
    req.set_plan(plan);
    return Call<thb::coordinator::v1::FundingAnalysis>(req,
                                                       &CoordinatorService::Stub::AnalyzeFunding);
  }

 private:
  template <typename Response, typename Request>
  absl::StatusOr<Response> Call(const Request& req,
                                grpc::Status (CoordinatorService::Stub::*rpc)(grpc::ClientContext*,
                                                                              const Request&,
                                                                              Response*)) {
    return CallUpstream(runtime_, *stub_, rpc, req, "the coordinator");
  }

  ServiceRuntime& runtime_;
  std::unique_ptr<CoordinatorService::Stub> stub_;
};

}  // namespace

absl::Status RequireActiveInstitution(CoordinatorClient& coordinator, const std::string& name,
                                      const std::string& field) {
  absl::StatusOr<Institution> inst = coordinator.GetInstitution(name);
  if (inst.status().code() == absl::StatusCode::kNotFound) {
    return PreconditionFailed(
        type::v1::ERROR_REASON_INSTITUTION_NOT_REGISTERED, type::v1::PRECONDITION_TYPE_REFERENCE,
        name, absl::StrCat(field, ": institution ", name, " is not registered at the coordinator"));
  }
  THB_RETURN_IF_ERROR(inst);
  if (inst->state() != Institution::STATE_ACTIVE) {
    return PreconditionFailed(
        type::v1::ERROR_REASON_INSTITUTION_ARCHIVED, type::v1::PRECONDITION_TYPE_REFERENCE, name,
        absl::StrCat(field, ": institution ", name, " is archived at the coordinator"));
  }
  return absl::OkStatus();
}

std::unique_ptr<CoordinatorClient> NewCoordinatorClient(ServiceRuntime& runtime,
                                                        const std::string& target) {
  return std::make_unique<GrpcCoordinatorClient>(runtime, target);
}

}  // namespace thb
