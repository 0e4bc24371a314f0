// The Commission's members: institutions seated on it (checked against the coordinator's
// registry), with seat, role, vote and term. Survivor leaders may sit under a pseudonym; their
// legal name is kept for the secretariat only.
#pragma once

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/auth.h"
#include "services/common/clock.h"
#include "services/common/coordinator_client.h"
#include "services/common/storage.h"
#include "thb/commission/v1/commission.pb.h"

namespace thb::commission {

class MemberRoster {
 public:
  MemberRoster(Database& db, const Clock& clock, CoordinatorClient& institutions)
      : db_(db), clock_(clock), institutions_(institutions) {}

  // The institution must be registered and active at the coordinator: otherwise
  // FAILED_PRECONDITION; UNAVAILABLE (nothing written) when the coordinator cannot be reached.
  absl::StatusOr<v1::Member> Create(const AuditActor& actor,
                                    const v1::CreateMemberRequest& request);
  absl::StatusOr<v1::Member> Get(const std::string& name);
  absl::StatusOr<v1::ListMembersResponse> List(const v1::ListMembersRequest& request);
  // Seat, role, vote, representative and term; the institution of a seat does not change (end
  // the seat and create another).
  absl::StatusOr<v1::Member> Update(const AuditActor& actor,
                                    const v1::UpdateMemberRequest& request);
  absl::Status Delete(const AuditActor& actor, const v1::DeleteMemberRequest& request);

  // What `viewer` may see of a member: the legal name only for the secretariat.

 private:
  Database& db_;
  const Clock& clock_;
  CoordinatorClient& institutions_;
};

}  // namespace thb::commission
