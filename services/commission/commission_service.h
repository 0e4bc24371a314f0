// Assembles the commission from the shared runtime: migrations, the coordinator directory,
// domain objects and handler. Used by main() and by in-process tests.
#pragma once

#include <memory>

#include "services/commission/commission_charter.h"
#include "services/commission/commission_gauges.h"
#include "services/commission/commission_handler.h"
#include "services/commission/member_roster.h"
#include "services/common/coordinator_client.h"
#include "services/common/service_runtime.h"

namespace thb::commission {

class CommissionServer {
 public:
  // `coordinator` reads the coordinator (over gRPC in production).
  static absl::StatusOr<std::unique_ptr<CommissionServer>> Create(
      ServiceRuntime& runtime, std::unique_ptr<CoordinatorClient> coordinator);
  CommissionHandler& handler() { return handler_; }
  static const google::protobuf::ServiceDescriptor& Descriptor();

 private:
  CommissionServer(ServiceRuntime& runtime, std::unique_ptr<CoordinatorClient> coordinator);
  std::unique_ptr<CoordinatorClient> coordinator_;
  RpcDispatcher dispatcher_;
  AuditLog audit_;
  CommissionCharter charter_;
  MemberRoster members_;
  Meetings meetings_;
  ActionItems action_items_;
  Consultations consultations_;
  CommissionBodies bodies_;
  std::shared_ptr<CommissionGauges> gauges_;
  CommissionHandler handler_;
};

}  // namespace thb::commission
