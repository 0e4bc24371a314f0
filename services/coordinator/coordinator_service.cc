#include "services/coordinator/coordinator_service.h"

#include "services/coordinator/coordinator_policy.h"

namespace thb::coordinator {

CoordinatorServer::CoordinatorServer(ServiceRuntime& runtime)
    : dispatcher_(&runtime.authenticator(), &CoordinatorPolicy(), &runtime.workers()),
      registry_(runtime.db(), Clock::Real()),
      handler_(dispatcher_, registry_) {}

absl::StatusOr<std::unique_ptr<CoordinatorServer>> CoordinatorServer::Create(
    ServiceRuntime& runtime) {
  if (absl::Status s = runtime.db().ApplyMigrations("coordinator", InstitutionRegistry::Migrations());
      !s.ok()) {
    return s;
  }
  return std::unique_ptr<CoordinatorServer>(new CoordinatorServer(runtime));
}

const google::protobuf::ServiceDescriptor& CoordinatorServer::Descriptor() {
  return *v1::Institution::descriptor()->file()->FindServiceByName("CoordinatorService");
}

}  // namespace thb::coordinator
