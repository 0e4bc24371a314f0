// Read access to the Anti-Trafficking Commission, for the rapporteur's assessments. The gRPC
// implementation calls the commission with this service's token and the upstream deadline;
// tests substitute a fake or an in-process server.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "thb/commission/v1/commission.grpc.pb.h"

namespace thb {
class ServiceRuntime;
}

namespace thb::rapporteur {

class CommissionReader {
 public:
  virtual ~CommissionReader() = default;
  // UNAVAILABLE when the commission cannot be reached.
  virtual absl::StatusOr<thb::commission::v1::Commission> GetCommission() = 0;
  // Every member, across pages.
  virtual absl::StatusOr<std::vector<thb::commission::v1::Member>> ListMembers() = 0;
  // Every consultation, across pages.
  virtual absl::StatusOr<std::vector<thb::commission::v1::Consultation>> ListConsultations() = 0;
};

std::unique_ptr<CommissionReader> NewCommissionReader(ServiceRuntime& runtime,
                                                      const std::string& target);

}  // namespace thb::rapporteur
