// The one client of the coordinator the other pillars use: the commission checks the institutions,
// plans and policy documents it refers to, the rapporteur also reads the mandate, measures and plan
// analyses.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"

namespace thb {

class ServiceRuntime;

// Whether the public reads `plan` (ADOPTED or CLOSED). A service reads the coordinator with its
// own rights, which reach drafts; what it publishes about a plan (an evaluation, an assessment's
// evidence) must be about a plan the public reads.
inline bool IsPublishedPlan(const thb::coordinator::v1::ActionPlan& plan) {
  return plan.state() == thb::coordinator::v1::ActionPlan::STATE_ADOPTED ||
         plan.state() == thb::coordinator::v1::ActionPlan::STATE_CLOSED;
}

// The coordinator as the other pillars see it: its read RPCs they rely on (all reads: no service
// writes another's data). NOT_FOUND when the resource does not exist, UNAVAILABLE when the
// coordinator cannot be reached. The gRPC implementation calls the coordinator with this
// service's token and the upstream deadline; tests substitute testing::FakeCoordinatorClient.
class CoordinatorClient {
 public:
  virtual ~CoordinatorClient() = default;
  virtual absl::StatusOr<thb::coordinator::v1::Institution> GetInstitution(
      const std::string& name) = 0;
  virtual absl::StatusOr<thb::coordinator::v1::Mandate> GetMandate() = 0;
  virtual absl::StatusOr<thb::coordinator::v1::ActionPlan> GetPlan(const std::string& name) = 0;
  virtual absl::StatusOr<thb::coordinator::v1::Measure> GetMeasure(const std::string& name) = 0;
  virtual absl::StatusOr<thb::coordinator::v1::PolicyDocument> GetPolicyDocument(
      const std::string& name) = 0;
  // Every plan in `state` (all states when UNSPECIFIED), across pages.
  virtual absl::StatusOr<std::vector<thb::coordinator::v1::ActionPlan>> ListPlans(
      thb::coordinator::v1::ActionPlan::State state) = 0;
  // Every engagement that ends on or after `period_start`, across pages.
  virtual absl::StatusOr<std::vector<thb::coordinator::v1::Engagement>> ListEngagements(
      const google::type::Date& period_start) = 0;
  // Every reporting obligation matching `filter` (ListReportingObligations' AIP-160 subset).
  virtual absl::StatusOr<std::vector<thb::coordinator::v1::ReportingObligation>>
  ListReportingObligations(const std::string& filter) = 0;
  // The obligations calendar with its default horizon.
  virtual absl::StatusOr<thb::coordinator::v1::ObligationsCalendar> GetObligationsCalendar() = 0;
  virtual absl::StatusOr<thb::coordinator::v1::CoverageAnalysis> AnalyzeCoverage(
      const std::string& plan) = 0;
  virtual absl::StatusOr<thb::coordinator::v1::ProgressAnalysis> AnalyzeProgress(
      const std::string& plan) = 0;
  virtual absl::StatusOr<thb::coordinator::v1::FundingAnalysis> AnalyzeFunding(
      const std::string& plan) = 0;
};

// Checks that `name` (given in request field `field`) is a registered, active institution.
// Not registered or archived: FAILED_PRECONDITION naming the field; coordinator down: UNAVAILABLE.
absl::Status RequireActiveInstitution(CoordinatorClient& coordinator, const std::string& name,
                                      const std::string& field);

// The coordinator over gRPC, with this service's token and the upstream deadline.
std::unique_ptr<CoordinatorClient> NewCoordinatorClient(ServiceRuntime& runtime,
                                                        const std::string& target);

}  // namespace thb
