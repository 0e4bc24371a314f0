// gRPC adapter of thb.commission.v1.CommissionService over the shared dispatcher.
// RPCs whose domain logic has not been built yet answer UNIMPLEMENTED (the generated default).
#pragma once

#include "services/commission/member_roster.h"
#include "services/common/rpc_dispatcher.h"
#include "thb/commission/v1/commission.grpc.pb.h"

namespace thb::commission {

class CommissionHandler final : public v1::CommissionService::CallbackService {
 public:
  CommissionHandler(const RpcDispatcher& dispatcher, MemberRoster& members)
      : dispatcher_(dispatcher), members_(members) {}

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
  MemberRoster& members_;
};

}  // namespace thb::commission
