// The stakeholder registry: institutions (ministries, agencies, NGOs, survivor-led
// organisations, ...) that lead, partner, sit on the Commission and report statistics.
// Plain domain logic over a Database and a Clock; the gRPC handler only adapts to it.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/clock.h"
#include "services/common/storage.h"
#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb::coordinator {

// The registered institution `name` (institutions/{id}, a name already checked), or nullopt: for
// the resources that name institutions (measures, the mandate, the public report).
absl::StatusOr<std::optional<v1::Institution>> FindInstitution(Transaction& tx,
                                                               const std::string& name);

class InstitutionRegistry {
 public:
  InstitutionRegistry(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  absl::StatusOr<v1::Institution> Create(const AuditActor& actor,
                                         const v1::CreateInstitutionRequest& request);
  absl::StatusOr<v1::Institution> Get(const std::string& name);
  absl::StatusOr<v1::ListInstitutionsResponse> List(const v1::ListInstitutionsRequest& request);
  absl::StatusOr<v1::Institution> Update(const AuditActor& actor,
                                         const v1::UpdateInstitutionRequest& request);
  absl::StatusOr<v1::Institution> Archive(const AuditActor& actor,
                                          const v1::ArchiveInstitutionRequest& request);
  absl::Status Delete(const AuditActor& actor, const v1::DeleteInstitutionRequest& request);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace thb::coordinator
