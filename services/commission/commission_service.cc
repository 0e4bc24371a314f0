#include "services/commission/commission_service.h"

#include "services/commission/commission_policy.h"

namespace thb::commission {

CommissionServer::CommissionServer(ServiceRuntime& runtime,
                                   std::unique_ptr<InstitutionDirectory> institutions)
    : institutions_(std::move(institutions)),
      dispatcher_(&runtime.authenticator(), &CommissionPolicy(), &runtime.workers()),
      members_(runtime.db(), Clock::Real(), *institutions_),
      handler_(dispatcher_, members_) {}

absl::StatusOr<std::unique_ptr<CommissionServer>> CommissionServer::Create(
    ServiceRuntime& runtime, std::unique_ptr<InstitutionDirectory> institutions) {
  if (absl::Status s = runtime.db().ApplyMigrations("commission", MemberRoster::Migrations());
      !s.ok()) {
    return s;
  }
  return std::unique_ptr<CommissionServer>(new CommissionServer(runtime, std::move(institutions)));
}

const google::protobuf::ServiceDescriptor& CommissionServer::Descriptor() {
  return *v1::Member::descriptor()->file()->FindServiceByName("CommissionService");
}

}  // namespace thb::commission
