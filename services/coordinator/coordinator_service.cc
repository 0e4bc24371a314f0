#include "services/coordinator/coordinator_service.h"

#include "services/common/status_macros.h"
#include "services/coordinator/coordinator_policy.h"
#include "services/coordinator/coordinator_schema.h"

namespace thb::coordinator {

CoordinatorServer::CoordinatorServer(ServiceRuntime& runtime, const Clock& clock)
    : dispatcher_(&runtime.authenticator(), &CoordinatorPolicy(), &runtime.workers(),
                  Descriptor().full_name()),
      audit_(runtime.db()),
      registry_(runtime.db(), clock),
      mandate_(runtime.db(), clock),
      plans_(runtime.db(), clock),
      engagements_(runtime.db(), clock),
      obligations_(runtime.db(), clock),
      recommendations_(runtime.db(), clock),
      documents_(runtime.db(), clock),
      budget_lines_(runtime.db(), clock),
      gauges_(std::make_shared<CoordinatorGauges>(plans_, obligations_)),
      handler_(dispatcher_, audit_, runtime.commits(), registry_, mandate_, plans_, engagements_,
               obligations_, recommendations_, documents_, budget_lines_) {
  runtime.RegisterCollectable(gauges_);
}

absl::StatusOr<std::unique_ptr<CoordinatorServer>> CoordinatorServer::Create(
    ServiceRuntime& runtime, const Clock& clock) {
  THB_RETURN_IF_ERROR(runtime.db().ApplyMigrations("coordinator", CoordinatorMigrations()));
  return std::unique_ptr<CoordinatorServer>(new CoordinatorServer(runtime, clock));
}

const google::protobuf::ServiceDescriptor& CoordinatorServer::Descriptor() {
  return *v1::Institution::descriptor()->file()->FindServiceByName("CoordinatorService");
}

}  // namespace thb::coordinator
