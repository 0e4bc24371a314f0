#include "services/commission/commission_handler.h"

namespace thb::commission {

grpc::ServerUnaryReactor* CommissionHandler::CreateMember(grpc::CallbackServerContext* ctx,
                                                          const v1::CreateMemberRequest* request,
                                                          v1::Member* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreateMember", [=](const RequestContext& rc) {
    return Respond(members_.Create(rc.actor, *request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::GetMember(grpc::CallbackServerContext* ctx,
                                                       const v1::GetMemberRequest* request,
                                                       v1::Member* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetMember", [=](const RequestContext&) {
    return Respond(members_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::ListMembers(grpc::CallbackServerContext* ctx,
                                                         const v1::ListMembersRequest* request,
                                                         v1::ListMembersResponse* response) {
  return dispatcher_.Unary(ctx, *request, response, "ListMembers", [=](const RequestContext&) {
    return Respond(members_.List(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::GetCommission(grpc::CallbackServerContext* ctx,
                                                           const v1::GetCommissionRequest* request,
                                                           v1::Commission* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetCommission", [=](const RequestContext&) {
    return Respond(charter_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::UpdateCommission(
    grpc::CallbackServerContext* ctx, const v1::UpdateCommissionRequest* request,
    v1::Commission* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateCommission",
                           [=](const RequestContext& rc) {
                             return Respond(charter_.Update(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CommissionHandler::UpdateMember(grpc::CallbackServerContext* ctx,
                                                          const v1::UpdateMemberRequest* request,
                                                          v1::Member* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateMember", [=](const RequestContext& rc) {
    return Respond(members_.Update(rc.actor, *request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::DeleteMember(grpc::CallbackServerContext* ctx,
                                                          const v1::DeleteMemberRequest* request,
                                                          google::protobuf::Empty* response) {
  return dispatcher_.Unary(ctx, *request, response, "DeleteMember", [=](const RequestContext& rc) {
    return members_.Delete(rc.actor, *request);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::CreateMeeting(grpc::CallbackServerContext* ctx,
                                                           const v1::CreateMeetingRequest* request,
                                                           v1::Meeting* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreateMeeting", [=](const RequestContext& rc) {
    return Respond(meetings_.Create(rc.actor, *request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::GetMeeting(grpc::CallbackServerContext* ctx,
                                                        const v1::GetMeetingRequest* request,
                                                        v1::Meeting* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetMeeting", [=](const RequestContext&) {
    return Respond(meetings_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::ListMeetings(grpc::CallbackServerContext* ctx,
                                                          const v1::ListMeetingsRequest* request,
                                                          v1::ListMeetingsResponse* response) {
  return dispatcher_.Unary(ctx, *request, response, "ListMeetings", [=](const RequestContext&) {
    return Respond(meetings_.List(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::CancelMeeting(grpc::CallbackServerContext* ctx,
                                                           const v1::CancelMeetingRequest* request,
                                                           v1::Meeting* response) {
  return dispatcher_.Unary(ctx, *request, response, "CancelMeeting", [=](const RequestContext& rc) {
    return Respond(meetings_.Cancel(rc.actor, *request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::RecordMeetingOutcome(
    grpc::CallbackServerContext* ctx, const v1::RecordMeetingOutcomeRequest* request,
    v1::Meeting* response) {
  return dispatcher_.Unary(ctx, *request, response, "RecordMeetingOutcome",
                           [=](const RequestContext& rc) {
                             return Respond(meetings_.RecordOutcome(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CommissionHandler::GetActionItem(grpc::CallbackServerContext* ctx,
                                                           const v1::GetActionItemRequest* request,
                                                           v1::ActionItem* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetActionItem", [=](const RequestContext& rc) {
    return Respond(action_items_.Get(rc.viewer, request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::ListActionItems(
    grpc::CallbackServerContext* ctx, const v1::ListActionItemsRequest* request,
    v1::ListActionItemsResponse* response) {
  return dispatcher_.Unary(ctx, *request, response, "ListActionItems",
                           [=](const RequestContext& rc) {
                             return Respond(action_items_.List(rc.viewer, *request), response);
                           });
}

grpc::ServerUnaryReactor* CommissionHandler::AnalyzeCadence(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeCadenceRequest* request,
    v1::CadenceAnalysis* response) {
  return dispatcher_.Unary(ctx, *request, response, "AnalyzeCadence", [=](const RequestContext&) {
    return Respond(meetings_.AnalyzeCadence(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::AnalyzeParticipation(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeParticipationRequest* request,
    v1::ParticipationAnalysis* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "AnalyzeParticipation", [=](const RequestContext&) {
        return Respond(meetings_.AnalyzeParticipation(request->name()), response);
      });
}

grpc::ServerUnaryReactor* CommissionHandler::CreateConsultation(
    grpc::CallbackServerContext* ctx, const v1::CreateConsultationRequest* request,
    v1::Consultation* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreateConsultation",
                           [=](const RequestContext& rc) {
                             return Respond(consultations_.Create(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CommissionHandler::GetConsultation(
    grpc::CallbackServerContext* ctx, const v1::GetConsultationRequest* request,
    v1::Consultation* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetConsultation", [=](const RequestContext&) {
    return Respond(consultations_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::ListConsultations(
    grpc::CallbackServerContext* ctx, const v1::ListConsultationsRequest* request,
    v1::ListConsultationsResponse* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "ListConsultations",
      [=](const RequestContext&) { return Respond(consultations_.List(*request), response); });
}

grpc::ServerUnaryReactor* CommissionHandler::CreateSubmission(
    grpc::CallbackServerContext* ctx, const v1::CreateSubmissionRequest* request,
    v1::Submission* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "CreateSubmission", [=](const RequestContext& rc) {
        return Respond(consultations_.Submit(rc.actor, rc.viewer.principal(), *request), response);
      });
}

grpc::ServerUnaryReactor* CommissionHandler::GetSubmission(grpc::CallbackServerContext* ctx,
                                                           const v1::GetSubmissionRequest* request,
                                                           v1::Submission* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetSubmission", [=](const RequestContext& rc) {
    return Respond(consultations_.GetSubmission(rc.viewer, request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::ListSubmissions(
    grpc::CallbackServerContext* ctx, const v1::ListSubmissionsRequest* request,
    v1::ListSubmissionsResponse* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "ListSubmissions", [=](const RequestContext& rc) {
        return Respond(consultations_.ListSubmissions(rc.viewer, *request), response);
      });
}

grpc::ServerUnaryReactor* CommissionHandler::RespondToSubmission(
    grpc::CallbackServerContext* ctx, const v1::RespondToSubmissionRequest* request,
    v1::Submission* response) {
  return dispatcher_.Unary(ctx, *request, response, "RespondToSubmission",
                           [=](const RequestContext& rc) {
                             return Respond(consultations_.Respond(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CommissionHandler::CreateBody(grpc::CallbackServerContext* ctx,
                                                        const v1::CreateBodyRequest* request,
                                                        v1::Body* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreateBody", [=](const RequestContext& rc) {
    return Respond(bodies_.Create(rc.actor, *request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::GetBody(grpc::CallbackServerContext* ctx,
                                                     const v1::GetBodyRequest* request,
                                                     v1::Body* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetBody", [=](const RequestContext&) {
    return Respond(bodies_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::ListBodies(grpc::CallbackServerContext* ctx,
                                                        const v1::ListBodiesRequest* request,
                                                        v1::ListBodiesResponse* response) {
  return dispatcher_.Unary(ctx, *request, response, "ListBodies", [=](const RequestContext&) {
    return Respond(bodies_.List(*request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::UpdateBody(grpc::CallbackServerContext* ctx,
                                                        const v1::UpdateBodyRequest* request,
                                                        v1::Body* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateBody", [=](const RequestContext& rc) {
    return Respond(bodies_.Update(rc.actor, *request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::CreateStatusReport(
    grpc::CallbackServerContext* ctx, const v1::CreateStatusReportRequest* request,
    v1::StatusReport* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "CreateStatusReport", [=](const RequestContext& rc) {
        return Respond(bodies_.Report(rc.actor, rc.viewer.principal(), *request), response);
      });
}

grpc::ServerUnaryReactor* CommissionHandler::ListStatusReports(
    grpc::CallbackServerContext* ctx, const v1::ListStatusReportsRequest* request,
    v1::ListStatusReportsResponse* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "ListStatusReports",
      [=](const RequestContext&) { return Respond(bodies_.ListReports(*request), response); });
}

grpc::ServerUnaryReactor* CommissionHandler::UpdateMeeting(grpc::CallbackServerContext* ctx,
                                                           const v1::UpdateMeetingRequest* request,
                                                           v1::Meeting* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateMeeting", [=](const RequestContext& rc) {
    return Respond(meetings_.Update(rc.actor, *request), response);
  });
}

grpc::ServerUnaryReactor* CommissionHandler::CreateActionItem(
    grpc::CallbackServerContext* ctx, const v1::CreateActionItemRequest* request,
    v1::ActionItem* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreateActionItem",
                           [=](const RequestContext& rc) {
                             return Respond(action_items_.Create(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CommissionHandler::UpdateActionItem(
    grpc::CallbackServerContext* ctx, const v1::UpdateActionItemRequest* request,
    v1::ActionItem* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateActionItem",
                           [=](const RequestContext& rc) {
                             return Respond(action_items_.Update(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CommissionHandler::UpdateConsultation(
    grpc::CallbackServerContext* ctx, const v1::UpdateConsultationRequest* request,
    v1::Consultation* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateConsultation",
                           [=](const RequestContext& rc) {
                             return Respond(consultations_.Update(rc.actor, *request), response);
                           });
}

}  // namespace thb::commission
