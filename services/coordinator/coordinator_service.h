// Assembles the coordinator from the shared runtime: migrations, domain objects, handler.
// Used by main() and by tests that run the real service in-process.
#pragma once

#include <memory>

#include "services/common/rpc_dispatcher.h"
#include "services/common/service_runtime.h"
#include "services/coordinator/coordinator_handler.h"
#include "services/coordinator/institution_registry.h"

namespace thb::coordinator {

class CoordinatorServer {
 public:
  static absl::StatusOr<std::unique_ptr<CoordinatorServer>> Create(ServiceRuntime& runtime);
  CoordinatorHandler& handler() { return handler_; }
  static const google::protobuf::ServiceDescriptor& Descriptor();

 private:
  explicit CoordinatorServer(ServiceRuntime& runtime);
  RpcDispatcher dispatcher_;
  InstitutionRegistry registry_;
  CoordinatorHandler handler_;
};

}  // namespace thb::coordinator
