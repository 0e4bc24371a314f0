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

}  // namespace thb::commission
