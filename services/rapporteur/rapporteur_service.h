// Assembles the rapporteur from the shared runtime: migrations, the coordinator directory,
// domain objects and handler. Used by main() and by in-process tests.
#pragma once

#include <memory>

#include "services/common/institution_directory.h"
#include "services/common/service_runtime.h"
#include "services/rapporteur/rapporteur_handler.h"
#include "services/rapporteur/statistics_ledger.h"

namespace thb::rapporteur {

class RapporteurServer {
 public:
  static absl::StatusOr<std::unique_ptr<RapporteurServer>> Create(
      ServiceRuntime& runtime, std::unique_ptr<InstitutionDirectory> institutions);
  RapporteurHandler& handler() { return handler_; }
  static const google::protobuf::ServiceDescriptor& Descriptor();

 private:
  RapporteurServer(ServiceRuntime& runtime, std::unique_ptr<InstitutionDirectory> institutions);
  std::unique_ptr<InstitutionDirectory> institutions_;
  RpcDispatcher dispatcher_;
  StatisticsLedger statistics_;
  RapporteurHandler handler_;
};

}  // namespace thb::rapporteur
