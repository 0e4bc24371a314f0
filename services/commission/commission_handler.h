// gRPC adapter of thb.commission.v1.CommissionService over the shared dispatcher.
// RPCs whose domain logic has not been built yet answer UNIMPLEMENTED (the generated default).
#pragma once

#include "services/commission/commission_charter.h"
#include "services/commission/member_roster.h"
#include "services/common/rpc_dispatcher.h"
#include "thb/commission/v1/commission.grpc.pb.h"

namespace thb::commission {

class CommissionHandler final : public v1::CommissionService::CallbackService {
 public:
  CommissionHandler(const RpcDispatcher& dispatcher, CommissionCharter& charter, MemberRoster& members)
      : dispatcher_(dispatcher), charter_(charter), members_(members) {}

  grpc::ServerUnaryReactor* GetCommission(grpc::CallbackServerContext* ctx,
                                          const v1::GetCommissionRequest* request,
                                          v1::Commission* response) override;
  grpc::ServerUnaryReactor* UpdateCommission(grpc::CallbackServerContext* ctx,
                                             const v1::UpdateCommissionRequest* request,
                                             v1::Commission* response) override;
  grpc::ServerUnaryReactor* UpdateMember(grpc::CallbackServerContext* ctx,
                                         const v1::UpdateMemberRequest* request,
                                         v1::Member* response) override;
  grpc::ServerUnaryReactor* DeleteMember(grpc::CallbackServerContext* ctx,
                                         const v1::DeleteMemberRequest* request,
                                         google::protobuf::Empty* response) override;

  grpc::ServerUnaryReactor* CreateMember(grpc::CallbackServerContext* ctx,
                                         const v1::CreateMemberRequest* request,
                                         v1::Member* response) override;
  grpc::ServerUnaryReactor* GetMember(grpc::CallbackServerContext* ctx,
                                      const v1::GetMemberRequest* request,
                                      v1::Member* response) override;
  grpc::ServerUnaryReactor* ListMembers(grpc::CallbackServerContext* ctx,
                                        const v1::ListMembersRequest* request,
                                        v1::ListMembersResponse* response) override;

 private:
  const RpcDispatcher& dispatcher_;
  CommissionCharter& charter_;
  MemberRoster& members_;
};

}  // namespace thb::commission
