#include "services/commission/commission_handler.h"

namespace thb::commission {

grpc::ServerUnaryReactor* CommissionHandler::CreateMember(grpc::CallbackServerContext* ctx,
                                                          const v1::CreateMemberRequest* request,
                                                          v1::Member* response) {
  return dispatcher_.Unary(ctx, *request, "CreateMember", [=](const RequestContext& rc) {
    absl::StatusOr<v1::Member> member = members_.Create(*request);
    if (member.ok()) MemberRoster::RedactFor(rc.principal, *member);
    return Respond(std::move(member), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::GetMember(grpc::CallbackServerContext* ctx,
                                                       const v1::GetMemberRequest* request,
                                                       v1::Member* response) {
  return dispatcher_.Unary(ctx, *request, "GetMember", [=](const RequestContext& rc) {
    absl::StatusOr<v1::Member> member = members_.Get(request->name());
    if (member.ok()) MemberRoster::RedactFor(rc.principal, *member);
    return Respond(std::move(member), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::ListMembers(grpc::CallbackServerContext* ctx,
                                                         const v1::ListMembersRequest* request,
                                                         v1::ListMembersResponse* response) {
  return dispatcher_.Unary(ctx, *request, "ListMembers", [=](const RequestContext& rc) {
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
  return dispatcher_.Unary(ctx, *request, "GetCommission", [=](const RequestContext&) {
    return Respond(charter_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::UpdateCommission(grpc::CallbackServerContext* ctx,
                                                              const v1::UpdateCommissionRequest* request,
                                                              v1::Commission* response) {
  return dispatcher_.Unary(ctx, *request, "UpdateCommission", [=](const RequestContext&) {
    return Respond(charter_.Update(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::UpdateMember(grpc::CallbackServerContext* ctx,
                                                          const v1::UpdateMemberRequest* request,
                                                          v1::Member* response) {
  return dispatcher_.Unary(ctx, *request, "UpdateMember", [=](const RequestContext& rc) {
    absl::StatusOr<v1::Member> member = members_.Update(*request);
    if (member.ok()) MemberRoster::RedactFor(rc.principal, *member);
    return Respond(std::move(member), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::DeleteMember(grpc::CallbackServerContext* ctx,
                                                          const v1::DeleteMemberRequest* request,
                                                          google::protobuf::Empty*) {
  return dispatcher_.Unary(ctx, *request, "DeleteMember", [=](const RequestContext&) {
    return members_.Delete(*request);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::CreateMeeting(grpc::CallbackServerContext* ctx,
                                                   const v1::CreateMeetingRequest* request,
                                                   v1::Meeting* response) {
  return dispatcher_.Unary(ctx, *request, "CreateMeeting", [=](const RequestContext& ) {
    return Respond(meetings_.Create(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::GetMeeting(grpc::CallbackServerContext* ctx,
                                                   const v1::GetMeetingRequest* request,
                                                   v1::Meeting* response) {
  return dispatcher_.Unary(ctx, *request, "GetMeeting", [=](const RequestContext& rc) {
    return Respond(meetings_.Get(rc.principal, request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::ListMeetings(grpc::CallbackServerContext* ctx,
                                                   const v1::ListMeetingsRequest* request,
                                                   v1::ListMeetingsResponse* response) {
  return dispatcher_.Unary(ctx, *request, "ListMeetings", [=](const RequestContext& rc) {
    return Respond(meetings_.List(rc.principal, *request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::CancelMeeting(grpc::CallbackServerContext* ctx,
                                                   const v1::CancelMeetingRequest* request,
                                                   v1::Meeting* response) {
  return dispatcher_.Unary(ctx, *request, "CancelMeeting", [=](const RequestContext& ) {
    return Respond(meetings_.Cancel(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::RecordMeetingOutcome(grpc::CallbackServerContext* ctx,
                                                   const v1::RecordMeetingOutcomeRequest* request,
                                                   v1::Meeting* response) {
  return dispatcher_.Unary(ctx, *request, "RecordMeetingOutcome", [=](const RequestContext& ) {
    return Respond(meetings_.RecordOutcome(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::GetActionItem(grpc::CallbackServerContext* ctx,
                                                   const v1::GetActionItemRequest* request,
                                                   v1::ActionItem* response) {
  return dispatcher_.Unary(ctx, *request, "GetActionItem", [=](const RequestContext& ) {
    return Respond(meetings_.GetActionItem(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::ListActionItems(grpc::CallbackServerContext* ctx,
                                                   const v1::ListActionItemsRequest* request,
                                                   v1::ListActionItemsResponse* response) {
  return dispatcher_.Unary(ctx, *request, "ListActionItems", [=](const RequestContext& ) {
    return Respond(meetings_.ListActionItems(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::AnalyzeCadence(grpc::CallbackServerContext* ctx,
                                                   const v1::AnalyzeCadenceRequest* request,
                                                   v1::CadenceAnalysis* response) {
  return dispatcher_.Unary(ctx, *request, "AnalyzeCadence", [=](const RequestContext& ) {
    return Respond(meetings_.AnalyzeCadence(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::AnalyzeParticipation(grpc::CallbackServerContext* ctx,
                                                   const v1::AnalyzeParticipationRequest* request,
                                                   v1::ParticipationAnalysis* response) {
  return dispatcher_.Unary(ctx, *request, "AnalyzeParticipation", [=](const RequestContext& ) {
    return Respond(meetings_.AnalyzeParticipation(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::CreateConsultation(grpc::CallbackServerContext* ctx,
                                                   const v1::CreateConsultationRequest* request,
                                                   v1::Consultation* response) {
  return dispatcher_.Unary(ctx, *request, "CreateConsultation", [=](const RequestContext& ) {
    return Respond(consultations_.Create(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::GetConsultation(grpc::CallbackServerContext* ctx,
                                                   const v1::GetConsultationRequest* request,
                                                   v1::Consultation* response) {
  return dispatcher_.Unary(ctx, *request, "GetConsultation", [=](const RequestContext& ) {
    return Respond(consultations_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::ListConsultations(grpc::CallbackServerContext* ctx,
                                                   const v1::ListConsultationsRequest* request,
                                                   v1::ListConsultationsResponse* response) {
  return dispatcher_.Unary(ctx, *request, "ListConsultations", [=](const RequestContext& ) {
    return Respond(consultations_.List(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::CreateSubmission(grpc::CallbackServerContext* ctx,
                                                   const v1::CreateSubmissionRequest* request,
                                                   v1::Submission* response) {
  return dispatcher_.Unary(ctx, *request, "CreateSubmission", [=](const RequestContext& rc) {
    return Respond(consultations_.Submit(rc.principal, *request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::GetSubmission(grpc::CallbackServerContext* ctx,
                                                   const v1::GetSubmissionRequest* request,
                                                   v1::Submission* response) {
  return dispatcher_.Unary(ctx, *request, "GetSubmission", [=](const RequestContext& ) {
    return Respond(consultations_.GetSubmission(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::ListSubmissions(grpc::CallbackServerContext* ctx,
                                                   const v1::ListSubmissionsRequest* request,
                                                   v1::ListSubmissionsResponse* response) {
  return dispatcher_.Unary(ctx, *request, "ListSubmissions", [=](const RequestContext& ) {
    return Respond(consultations_.ListSubmissions(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::RespondToSubmission(grpc::CallbackServerContext* ctx,
                                                   const v1::RespondToSubmissionRequest* request,
                                                   v1::Submission* response) {
  return dispatcher_.Unary(ctx, *request, "RespondToSubmission", [=](const RequestContext& ) {
    return Respond(consultations_.Respond(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::CreateBody(grpc::CallbackServerContext* ctx,
                                                   const v1::CreateBodyRequest* request,
                                                   v1::Body* response) {
  return dispatcher_.Unary(ctx, *request, "CreateBody", [=](const RequestContext& ) {
    return Respond(bodies_.Create(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::GetBody(grpc::CallbackServerContext* ctx,
                                                   const v1::GetBodyRequest* request,
                                                   v1::Body* response) {
  return dispatcher_.Unary(ctx, *request, "GetBody", [=](const RequestContext& ) {
    return Respond(bodies_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::ListBodies(grpc::CallbackServerContext* ctx,
                                                   const v1::ListBodiesRequest* request,
                                                   v1::ListBodiesResponse* response) {
  return dispatcher_.Unary(ctx, *request, "ListBodies", [=](const RequestContext& ) {
    return Respond(bodies_.List(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::UpdateBody(grpc::CallbackServerContext* ctx,
                                                   const v1::UpdateBodyRequest* request,
                                                   v1::Body* response) {
  return dispatcher_.Unary(ctx, *request, "UpdateBody", [=](const RequestContext& ) {
    return Respond(bodies_.Update(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::CreateStatusReport(grpc::CallbackServerContext* ctx,
                                                   const v1::CreateStatusReportRequest* request,
                                                   v1::StatusReport* response) {
  return dispatcher_.Unary(ctx, *request, "CreateStatusReport", [=](const RequestContext& rc) {
    return Respond(bodies_.Report(rc.principal, *request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::ListStatusReports(grpc::CallbackServerContext* ctx,
                                                   const v1::ListStatusReportsRequest* request,
                                                   v1::ListStatusReportsResponse* response) {
  return dispatcher_.Unary(ctx, *request, "ListStatusReports", [=](const RequestContext& ) {
    return Respond(bodies_.ListReports(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::UpdateMeeting(grpc::CallbackServerContext* ctx,
                                                   const v1::UpdateMeetingRequest* request,
                                                   v1::Meeting* response) {
  return dispatcher_.Unary(ctx, *request, "UpdateMeeting", [=](const RequestContext&) {
    return Respond(meetings_.Update(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::CreateActionItem(grpc::CallbackServerContext* ctx,
                                                   const v1::CreateActionItemRequest* request,
                                                   v1::ActionItem* response) {
  return dispatcher_.Unary(ctx, *request, "CreateActionItem", [=](const RequestContext&) {
    return Respond(meetings_.CreateActionItem(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::UpdateActionItem(grpc::CallbackServerContext* ctx,
                                                   const v1::UpdateActionItemRequest* request,
                                                   v1::ActionItem* response) {
  return dispatcher_.Unary(ctx, *request, "UpdateActionItem", [=](const RequestContext&) {
    return Respond(meetings_.UpdateActionItem(*request), response);
  });
}


grpc::ServerUnaryReactor* CommissionHandler::UpdateConsultation(grpc::CallbackServerContext* ctx,
                                                                const v1::UpdateConsultationRequest* request,
                                                                v1::Consultation* response) {
  return dispatcher_.Unary(ctx, *request, "UpdateConsultation", [=](const RequestContext&) {
    return Respond(consultations_.Update(*request), response);
  });
}

}  // namespace thb::commission
