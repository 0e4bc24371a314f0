#include "services/commission/commission_service.h"

#include "services/commission/commission_policy.h"
#include "services/commission/commission_schema.h"
#include "services/common/status_macros.h"

namespace thb::commission {

CommissionServer::CommissionServer(ServiceRuntime& runtime,
                                   std::unique_ptr<CoordinatorClient> coordinator)
    : coordinator_(std::move(coordinator)),
      dispatcher_(&runtime.authenticator(), &CommissionPolicy(), &runtime.workers(),
                  Descriptor().full_name()),
      audit_(runtime.db()),
      charter_(runtime.db(), Clock::Real(), *coordinator_),
      members_(runtime.db(), Clock::Real(), *coordinator_),
      meetings_(runtime.db(), Clock::Real(), *coordinator_),
      action_items_(runtime.db(), Clock::Real(), *coordinator_),
      consultations_(runtime.db(), Clock::Real(), *coordinator_),
      bodies_(runtime.db(), Clock::Real(), *coordinator_),
      gauges_(std::make_shared<CommissionGauges>(runtime.db(), Clock::Real())),
      handler_(dispatcher_, audit_, runtime.commits(), charter_, members_, meetings_, action_items_,
               consultations_, bodies_) {
  runtime.RegisterCollectable(gauges_);
}

absl::StatusOr<std::unique_ptr<CommissionServer>> CommissionServer::Create(
    ServiceRuntime& runtime, std::unique_ptr<CoordinatorClient> coordinator) {
  THB_RETURN_IF_ERROR(runtime.db().ApplyMigrations("commission", CommissionMigrations()));
  return std::unique_ptr<CommissionServer>(new CommissionServer(runtime, std::move(coordinator)));
}

const google::protobuf::ServiceDescriptor& CommissionServer::Descriptor() {
  return *v1::Member::descriptor()->file()->FindServiceByName("CommissionService");
}

}  // namespace thb::commission
