#include "services/commission/commission_handler.h"

namespace thb::commission {

grpc::ServerUnaryReactor* CommissionHandler::CreateMember(grpc::CallbackServerContext* ctx,
                                                          const v1::CreateMemberRequest* request,
                                                          v1::Member* response) {
  return dispatcher_.Unary(ctx, "CreateMember", [=](const RequestContext& rc) {
    absl::StatusOr<v1::Member> member = members_.Create(*request);
    if (member.ok()) MemberRoster::RedactFor(rc.principal, *member);
    return Respond(std::move(member), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::GetMember(grpc::CallbackServerContext* ctx,
                                                       const v1::GetMemberRequest* request,
                                                       v1::Member* response) {
  return dispatcher_.Unary(ctx, "GetMember", [=](const RequestContext& rc) {
    absl::StatusOr<v1::Member> member = members_.Get(request->name());
    if (member.ok()) MemberRoster::RedactFor(rc.principal, *member);
    return Respond(std::move(member), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::ListMembers(grpc::CallbackServerContext* ctx,
                                                         const v1::ListMembersRequest* request,
                                                         v1::ListMembersResponse* response) {
  return dispatcher_.Unary(ctx, "ListMembers", [=](const RequestContext& rc) {
    absl::StatusOr<v1::ListMembersResponse> page = members_.List(*request);
    if (page.ok()) {
      for (auto& m : *page->mutable_members()) MemberRoster::RedactFor(rc.principal, m);
    }
    return Respond(std::move(page), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::GetCommission(grpc::CallbackServerContext* ctx,
                                                           const v1::GetCommissionRequest* request,
                                                           v1::Commission* response) {
  return dispatcher_.Unary(ctx, "GetCommission", [=](const RequestContext&) {
    return Respond(charter_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::UpdateCommission(grpc::CallbackServerContext* ctx,
                                                              const v1::UpdateCommissionRequest* request,
                                                              v1::Commission* response) {
  return dispatcher_.Unary(ctx, "UpdateCommission", [=](const RequestContext&) {
    return Respond(charter_.Update(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::UpdateMember(grpc::CallbackServerContext* ctx,
                                                          const v1::UpdateMemberRequest* request,
                                                          v1::Member* response) {
  return dispatcher_.Unary(ctx, "UpdateMember", [=](const RequestContext& rc) {
    absl::StatusOr<v1::Member> member = members_.Update(*request);
    if (member.ok()) MemberRoster::RedactFor(rc.principal, *member);
    return Respond(std::move(member), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::DeleteMember(grpc::CallbackServerContext* ctx,
                                                          const v1::DeleteMemberRequest* request,
                                                          google::protobuf::Empty*) {
  return dispatcher_.Unary(ctx, "DeleteMember", [=](const RequestContext&) {
    return members_.Delete(*request);
  });
}

}  // namespace thb::commission
