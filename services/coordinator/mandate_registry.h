// The National Co-ordinator's own position (a singleton): level of government, the institution
// hosting it, the forms of exploitation in scope, legal basis, appointment, shared mandates.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/clock.h"
#include "services/common/storage.h"
#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb::coordinator {

// The stored mandate, or nullopt until the office first describes it: for the analyses, which
// compare a plan with the forms of exploitation in scope.
absl::StatusOr<std::optional<v1::Mandate>> FindMandate(Transaction& tx);

class MandateRegistry {
 public:
  MandateRegistry(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // The mandate; an empty one (only the name set) until the office first describes it.
  absl::StatusOr<v1::Mandate> Get(const std::string& name);
  // The hosting institution must be registered and active; etag and request_id honoured.
  absl::StatusOr<v1::Mandate> Update(const AuditActor& actor,
                                     const v1::UpdateMandateRequest& request);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace thb::coordinator
