// Read access to the coordinator's stakeholder registry, for the services that must check an
// institution before they refer to it (commission members, rapporteur submissions). The gRPC
// implementation calls the coordinator with a deadline; tests substitute a fake.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"

namespace thb {

class ServiceRuntime;

class InstitutionDirectory {
 public:
  virtual ~InstitutionDirectory() = default;
  // NOT_FOUND when not registered, UNAVAILABLE when the coordinator cannot be reached.
  virtual absl::StatusOr<thb::coordinator::v1::Institution> GetInstitution(
      const std::string& name) = 0;
};

// The coordinator's read RPCs the other pillars rely on (all reads: no service writes another's
// data). Errors as GetInstitution.
class CoordinatorReader : public InstitutionDirectory {
 public:
  virtual absl::StatusOr<thb::coordinator::v1::Mandate> GetMandate() = 0;
  virtual absl::StatusOr<thb::coordinator::v1::ActionPlan> GetPlan(const std::string& name) = 0;
  virtual absl::StatusOr<thb::coordinator::v1::Measure> GetMeasure(const std::string& name) = 0;
  // Every plan in `state` (all states when UNSPECIFIED), across pages.
  virtual absl::StatusOr<std::vector<thb::coordinator::v1::ActionPlan>> ListPlans(
      thb::coordinator::v1::ActionPlan::State state) = 0;
  virtual absl::StatusOr<thb::coordinator::v1::CoverageAnalysis> AnalyzeCoverage(
      const std::string& plan) = 0;
  virtual absl::StatusOr<thb::coordinator::v1::ProgressAnalysis> AnalyzeProgress(
      const std::string& plan) = 0;
  virtual absl::StatusOr<thb::coordinator::v1::FundingAnalysis> AnalyzeFunding(
      const std::string& plan) = 0;
};

// Checks that `name` (given in request field `field`) is a registered, active institution.
// Not registered or archived: FAILED_PRECONDITION naming the field; coordinator down: UNAVAILABLE.
absl::Status RequireActiveInstitution(InstitutionDirectory& directory, const std::string& name,
                                      const std::string& field);

// The coordinator over gRPC, with this service's token and the upstream deadline.
std::unique_ptr<CoordinatorReader> NewCoordinatorDirectory(ServiceRuntime& runtime,
                                                           const std::string& target);

}  // namespace thb
