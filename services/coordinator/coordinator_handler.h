// gRPC adapter of thb.coordinator.v1.CoordinatorService: each method hands its request to the
// domain through the shared dispatcher (identity, policy, logging, error mapping).
// RPCs whose domain logic has not been built yet answer UNIMPLEMENTED (the generated default).
#pragma once

#include "services/common/rpc_dispatcher.h"
#include "services/coordinator/institution_registry.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"

namespace thb::coordinator {

class CoordinatorHandler final : public v1::CoordinatorService::CallbackService {
 public:
  CoordinatorHandler(const RpcDispatcher& dispatcher, InstitutionRegistry& registry)
      : dispatcher_(dispatcher), registry_(registry) {}

  grpc::ServerUnaryReactor* CreateInstitution(grpc::CallbackServerContext* ctx,
                                              const v1::CreateInstitutionRequest* request,
                                              v1::Institution* response) override;
  grpc::ServerUnaryReactor* GetInstitution(grpc::CallbackServerContext* ctx,
                                           const v1::GetInstitutionRequest* request,
                                           v1::Institution* response) override;
  grpc::ServerUnaryReactor* ListInstitutions(grpc::CallbackServerContext* ctx,
                                             const v1::ListInstitutionsRequest* request,
                                             v1::ListInstitutionsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateInstitution(grpc::CallbackServerContext* ctx,
                                              const v1::UpdateInstitutionRequest* request,
                                              v1::Institution* response) override;
  grpc::ServerUnaryReactor* ArchiveInstitution(grpc::CallbackServerContext* ctx,
                                               const v1::ArchiveInstitutionRequest* request,
                                               v1::Institution* response) override;
  grpc::ServerUnaryReactor* DeleteInstitution(grpc::CallbackServerContext* ctx,
                                              const v1::DeleteInstitutionRequest* request,
                                              google::protobuf::Empty* response) override;

 private:
  const RpcDispatcher& dispatcher_;
  InstitutionRegistry& registry_;
};

}  // namespace thb::coordinator
