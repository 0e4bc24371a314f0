#include "services/coordinator/coordinator_handler.h"

namespace thb::coordinator {

grpc::ServerUnaryReactor* CoordinatorHandler::CreateInstitution(
    grpc::CallbackServerContext* ctx, const v1::CreateInstitutionRequest* request,
    v1::Institution* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreateInstitution",
                           [=](const RequestContext& rc) {
                             return Respond(registry_.Create(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetInstitution(
    grpc::CallbackServerContext* ctx, const v1::GetInstitutionRequest* request,
    v1::Institution* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetInstitution", [=](const RequestContext&) {
    return Respond(registry_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ListInstitutions(
    grpc::CallbackServerContext* ctx, const v1::ListInstitutionsRequest* request,
    v1::ListInstitutionsResponse* response) {
  return dispatcher_.Unary(ctx, *request, response, "ListInstitutions", [=](const RequestContext&) {
    return Respond(registry_.List(*request), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::UpdateInstitution(
    grpc::CallbackServerContext* ctx, const v1::UpdateInstitutionRequest* request,
    v1::Institution* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateInstitution",
                           [=](const RequestContext& rc) {
                             return Respond(registry_.Update(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ArchiveInstitution(
    grpc::CallbackServerContext* ctx, const v1::ArchiveInstitutionRequest* request,
    v1::Institution* response) {
  return dispatcher_.Unary(ctx, *request, response, "ArchiveInstitution",
                           [=](const RequestContext& rc) {
                             return Respond(registry_.Archive(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::DeleteInstitution(
    grpc::CallbackServerContext* ctx, const v1::DeleteInstitutionRequest* request,
    google::protobuf::Empty* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "DeleteInstitution",
      [=](const RequestContext& rc) { return registry_.Delete(rc.actor, *request); });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetMandate(grpc::CallbackServerContext* ctx,
                                                         const v1::GetMandateRequest* request,
                                                         v1::Mandate* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetMandate", [=](const RequestContext&) {
    return Respond(mandate_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::UpdateMandate(grpc::CallbackServerContext* ctx,
                                                            const v1::UpdateMandateRequest* request,
                                                            v1::Mandate* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateMandate", [=](const RequestContext& rc) {
    return Respond(mandate_.Update(rc.actor, *request), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::CreatePlan(grpc::CallbackServerContext* ctx,
                                                         const v1::CreatePlanRequest* request,
                                                         v1::ActionPlan* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreatePlan", [=](const RequestContext& rc) {
    return Respond(plans_.CreatePlan(rc.actor, rc.viewer.principal(), *request), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetPlan(grpc::CallbackServerContext* ctx,
                                                      const v1::GetPlanRequest* request,
                                                      v1::ActionPlan* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetPlan", [=](const RequestContext& rc) {
    return Respond(plans_.GetPlan(PlanAudience::For(rc.viewer.principal()), request->name()),
                   response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ListPlans(grpc::CallbackServerContext* ctx,
                                                        const v1::ListPlansRequest* request,
                                                        v1::ListPlansResponse* response) {
  return dispatcher_.Unary(ctx, *request, response, "ListPlans", [=](const RequestContext& rc) {
    return Respond(plans_.ListPlans(PlanAudience::For(rc.viewer.principal()), *request), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::UpdatePlan(grpc::CallbackServerContext* ctx,
                                                         const v1::UpdatePlanRequest* request,
                                                         v1::ActionPlan* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdatePlan", [=](const RequestContext& rc) {
    return Respond(plans_.UpdatePlan(rc.actor, rc.viewer.principal(), *request), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::DeletePlan(grpc::CallbackServerContext* ctx,
                                                         const v1::DeletePlanRequest* request,
                                                         google::protobuf::Empty* response) {
  return dispatcher_.Unary(ctx, *request, response, "DeletePlan", [=](const RequestContext& rc) {
    return plans_.DeletePlan(rc.actor, rc.viewer.principal(), *request);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::SubmitPlanForConsultation(
    grpc::CallbackServerContext* ctx, const v1::SubmitPlanForConsultationRequest* request,
    v1::ActionPlan* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "SubmitPlanForConsultation", [=](const RequestContext& rc) {
        return Respond(plans_.Transition(rc.actor, "SubmitPlanForConsultation", request->name(),
                                         request->etag(), request->request_id(),
                                         PlanTransition::kSubmitForConsultation, {}),
                       response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::AdoptPlan(grpc::CallbackServerContext* ctx,
                                                        const v1::AdoptPlanRequest* request,
                                                        v1::ActionPlan* response) {
  return dispatcher_.Unary(ctx, *request, response, "AdoptPlan", [=](const RequestContext& rc) {
    return Respond(
        plans_.Transition(rc.actor, "AdoptPlan", request->name(), request->etag(),
                          request->request_id(), PlanTransition::kAdopt, request->adopted_on()),
        response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ClosePlan(grpc::CallbackServerContext* ctx,
                                                        const v1::ClosePlanRequest* request,
                                                        v1::ActionPlan* response) {
  return dispatcher_.Unary(ctx, *request, response, "ClosePlan", [=](const RequestContext& rc) {
    return Respond(plans_.Transition(rc.actor, "ClosePlan", request->name(), request->etag(),
                                     request->request_id(), PlanTransition::kClose, {}),
                   response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ListPlanRevisions(
    grpc::CallbackServerContext* ctx, const v1::ListPlanRevisionsRequest* request,
    v1::ListPlanRevisionsResponse* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "ListPlanRevisions", [=](const RequestContext& rc) {
        return Respond(plans_.ListRevisions(PlanAudience::For(rc.viewer.principal()), *request),
                       response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::CreateObjective(
    grpc::CallbackServerContext* ctx, const v1::CreateObjectiveRequest* request,
    v1::Objective* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "CreateObjective", [=](const RequestContext& rc) {
        return Respond(plans_.CreateObjective(rc.actor, rc.viewer.principal(), *request), response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetObjective(grpc::CallbackServerContext* ctx,
                                                           const v1::GetObjectiveRequest* request,
                                                           v1::Objective* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetObjective", [=](const RequestContext& rc) {
    return Respond(plans_.GetObjective(PlanAudience::For(rc.viewer.principal()), request->name()),
                   response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ListObjectives(
    grpc::CallbackServerContext* ctx, const v1::ListObjectivesRequest* request,
    v1::ListObjectivesResponse* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "ListObjectives", [=](const RequestContext& rc) {
        return Respond(plans_.ListObjectives(PlanAudience::For(rc.viewer.principal()), *request),
                       response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::UpdateObjective(
    grpc::CallbackServerContext* ctx, const v1::UpdateObjectiveRequest* request,
    v1::Objective* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "UpdateObjective", [=](const RequestContext& rc) {
        return Respond(plans_.UpdateObjective(rc.actor, rc.viewer.principal(), *request), response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::DeleteObjective(
    grpc::CallbackServerContext* ctx, const v1::DeleteObjectiveRequest* request,
    google::protobuf::Empty* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "DeleteObjective", [=](const RequestContext& rc) {
        return plans_.DeleteObjective(rc.actor, rc.viewer.principal(), *request);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::CreateMeasure(grpc::CallbackServerContext* ctx,
                                                            const v1::CreateMeasureRequest* request,
                                                            v1::Measure* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreateMeasure", [=](const RequestContext& rc) {
    return Respond(plans_.CreateMeasure(rc.actor, rc.viewer.principal(), *request), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetMeasure(grpc::CallbackServerContext* ctx,
                                                         const v1::GetMeasureRequest* request,
                                                         v1::Measure* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetMeasure", [=](const RequestContext& rc) {
    return Respond(plans_.GetMeasure(PlanAudience::For(rc.viewer.principal()), request->name()),
                   response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ListMeasures(grpc::CallbackServerContext* ctx,
                                                           const v1::ListMeasuresRequest* request,
                                                           v1::ListMeasuresResponse* response) {
  return dispatcher_.Unary(ctx, *request, response, "ListMeasures", [=](const RequestContext& rc) {
    return Respond(plans_.ListMeasures(PlanAudience::For(rc.viewer.principal()), *request),
                   response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::UpdateMeasure(grpc::CallbackServerContext* ctx,
                                                            const v1::UpdateMeasureRequest* request,
                                                            v1::Measure* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateMeasure", [=](const RequestContext& rc) {
    return Respond(plans_.UpdateMeasure(rc.actor, rc.viewer.principal(), *request), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::DeleteMeasure(grpc::CallbackServerContext* ctx,
                                                            const v1::DeleteMeasureRequest* request,
                                                            google::protobuf::Empty* response) {
  return dispatcher_.Unary(ctx, *request, response, "DeleteMeasure", [=](const RequestContext& rc) {
    return plans_.DeleteMeasure(rc.actor, rc.viewer.principal(), *request);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::CreateProgressReport(
    grpc::CallbackServerContext* ctx, const v1::CreateProgressReportRequest* request,
    v1::ProgressReport* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "CreateProgressReport", [=](const RequestContext& rc) {
        return Respond(plans_.CreateProgressReport(rc.actor, rc.viewer.principal(), *request),
                       response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetProgressReport(
    grpc::CallbackServerContext* ctx, const v1::GetProgressReportRequest* request,
    v1::ProgressReport* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "GetProgressReport", [=](const RequestContext& rc) {
        return Respond(
            plans_.GetProgressReport(PlanAudience::For(rc.viewer.principal()), request->name()),
            response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ListProgressReports(
    grpc::CallbackServerContext* ctx, const v1::ListProgressReportsRequest* request,
    v1::ListProgressReportsResponse* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "ListProgressReports", [=](const RequestContext& rc) {
        return Respond(
            plans_.ListProgressReports(PlanAudience::For(rc.viewer.principal()), *request),
            response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::AnalyzeCoverage(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeCoverageRequest* request,
    v1::CoverageAnalysis* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "AnalyzeCoverage", [=](const RequestContext& rc) {
        return Respond(
            plans_.AnalyzeCoverage(PlanAudience::For(rc.viewer.principal()), request->plan()),
            response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::AnalyzeProgress(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeProgressRequest* request,
    v1::ProgressAnalysis* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "AnalyzeProgress", [=](const RequestContext& rc) {
        return Respond(
            plans_.AnalyzeProgress(PlanAudience::For(rc.viewer.principal()), request->plan()),
            response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::AnalyzeFunding(
    grpc::CallbackServerContext* ctx, const v1::AnalyzeFundingRequest* request,
    v1::FundingAnalysis* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "AnalyzeFunding", [=](const RequestContext& rc) {
        return Respond(
            plans_.AnalyzeFunding(PlanAudience::For(rc.viewer.principal()), request->plan()),
            response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetPublicReport(
    grpc::CallbackServerContext* ctx, const v1::GetPublicReportRequest* request,
    v1::PublicReport* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "GetPublicReport", [=](const RequestContext& rc) {
        return Respond(
            plans_.GetPublicReport(PlanAudience::For(rc.viewer.principal()), request->plan()),
            response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::CreateEngagement(
    grpc::CallbackServerContext* ctx, const v1::CreateEngagementRequest* request,
    v1::Engagement* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreateEngagement",
                           [=](const RequestContext& rc) {
                             return Respond(engagements_.Create(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetEngagement(grpc::CallbackServerContext* ctx,
                                                            const v1::GetEngagementRequest* request,
                                                            v1::Engagement* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetEngagement", [=](const RequestContext&) {
    return Respond(engagements_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ListEngagements(
    grpc::CallbackServerContext* ctx, const v1::ListEngagementsRequest* request,
    v1::ListEngagementsResponse* response) {
  return dispatcher_.Unary(ctx, *request, response, "ListEngagements", [=](const RequestContext&) {
    return Respond(engagements_.List(*request), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::UpdateEngagement(
    grpc::CallbackServerContext* ctx, const v1::UpdateEngagementRequest* request,
    v1::Engagement* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateEngagement",
                           [=](const RequestContext& rc) {
                             return Respond(engagements_.Update(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::DeleteEngagement(
    grpc::CallbackServerContext* ctx, const v1::DeleteEngagementRequest* request,
    google::protobuf::Empty* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "DeleteEngagement",
      [=](const RequestContext& rc) { return engagements_.Delete(rc.actor, *request); });
}

grpc::ServerUnaryReactor* CoordinatorHandler::CreateReportingObligation(
    grpc::CallbackServerContext* ctx, const v1::CreateReportingObligationRequest* request,
    v1::ReportingObligation* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreateReportingObligation",
                           [=](const RequestContext& rc) {
                             return Respond(obligations_.Create(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetReportingObligation(
    grpc::CallbackServerContext* ctx, const v1::GetReportingObligationRequest* request,
    v1::ReportingObligation* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "GetReportingObligation",
      [=](const RequestContext&) { return Respond(obligations_.Get(request->name()), response); });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ListReportingObligations(
    grpc::CallbackServerContext* ctx, const v1::ListReportingObligationsRequest* request,
    v1::ListReportingObligationsResponse* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "ListReportingObligations",
      [=](const RequestContext&) { return Respond(obligations_.List(*request), response); });
}

grpc::ServerUnaryReactor* CoordinatorHandler::UpdateReportingObligation(
    grpc::CallbackServerContext* ctx, const v1::UpdateReportingObligationRequest* request,
    v1::ReportingObligation* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateReportingObligation",
                           [=](const RequestContext& rc) {
                             return Respond(obligations_.Update(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::DeleteReportingObligation(
    grpc::CallbackServerContext* ctx, const v1::DeleteReportingObligationRequest* request,
    google::protobuf::Empty* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "DeleteReportingObligation",
      [=](const RequestContext& rc) { return obligations_.Delete(rc.actor, *request); });
}

grpc::ServerUnaryReactor* CoordinatorHandler::CreateReportingCycle(
    grpc::CallbackServerContext* ctx, const v1::CreateReportingCycleRequest* request,
    v1::ReportingCycle* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreateReportingCycle",
                           [=](const RequestContext& rc) {
                             return Respond(obligations_.CreateCycle(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetReportingCycle(
    grpc::CallbackServerContext* ctx, const v1::GetReportingCycleRequest* request,
    v1::ReportingCycle* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetReportingCycle",
                           [=](const RequestContext&) {
                             return Respond(obligations_.GetCycle(request->name()), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ListReportingCycles(
    grpc::CallbackServerContext* ctx, const v1::ListReportingCyclesRequest* request,
    v1::ListReportingCyclesResponse* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "ListReportingCycles",
      [=](const RequestContext&) { return Respond(obligations_.ListCycles(*request), response); });
}

grpc::ServerUnaryReactor* CoordinatorHandler::UpdateReportingCycle(
    grpc::CallbackServerContext* ctx, const v1::UpdateReportingCycleRequest* request,
    v1::ReportingCycle* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateReportingCycle",
                           [=](const RequestContext& rc) {
                             return Respond(obligations_.UpdateCycle(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::SubmitReportingCycle(
    grpc::CallbackServerContext* ctx, const v1::SubmitReportingCycleRequest* request,
    v1::ReportingCycle* response) {
  return dispatcher_.Unary(ctx, *request, response, "SubmitReportingCycle",
                           [=](const RequestContext& rc) {
                             return Respond(obligations_.SubmitCycle(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetObligationsCalendar(
    grpc::CallbackServerContext* ctx, const v1::GetObligationsCalendarRequest* request,
    v1::ObligationsCalendar* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "GetObligationsCalendar",
      [=](const RequestContext&) { return Respond(obligations_.Calendar(*request), response); });
}

grpc::ServerUnaryReactor* CoordinatorHandler::DraftObligationReport(
    grpc::CallbackServerContext* ctx, const v1::DraftObligationReportRequest* request,
    v1::ObligationReportDraft* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "DraftObligationReport", [=](const RequestContext&) {
        return Respond(recommendations_.DraftReport(request->name()), response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::CreateExternalRecommendation(
    grpc::CallbackServerContext* ctx, const v1::CreateExternalRecommendationRequest* request,
    v1::ExternalRecommendation* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreateExternalRecommendation",
                           [=](const RequestContext& rc) {
                             return Respond(recommendations_.Create(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetExternalRecommendation(
    grpc::CallbackServerContext* ctx, const v1::GetExternalRecommendationRequest* request,
    v1::ExternalRecommendation* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetExternalRecommendation",
                           [=](const RequestContext&) {
                             return Respond(recommendations_.Get(request->name()), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ListExternalRecommendations(
    grpc::CallbackServerContext* ctx, const v1::ListExternalRecommendationsRequest* request,
    v1::ListExternalRecommendationsResponse* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "ListExternalRecommendations",
      [=](const RequestContext&) { return Respond(recommendations_.List(*request), response); });
}

grpc::ServerUnaryReactor* CoordinatorHandler::UpdateExternalRecommendation(
    grpc::CallbackServerContext* ctx, const v1::UpdateExternalRecommendationRequest* request,
    v1::ExternalRecommendation* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateExternalRecommendation",
                           [=](const RequestContext& rc) {
                             return Respond(recommendations_.Update(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::DeleteExternalRecommendation(
    grpc::CallbackServerContext* ctx, const v1::DeleteExternalRecommendationRequest* request,
    google::protobuf::Empty* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "DeleteExternalRecommendation",
      [=](const RequestContext& rc) { return recommendations_.Delete(rc.actor, *request); });
}

grpc::ServerUnaryReactor* CoordinatorHandler::SummarizeExternalRecommendations(
    grpc::CallbackServerContext* ctx, const v1::SummarizeExternalRecommendationsRequest* request,
    v1::ExternalRecommendationSummary* response) {
  return dispatcher_.Unary(ctx, *request, response, "SummarizeExternalRecommendations",
                           [=](const RequestContext&) {
                             return Respond(recommendations_.Summarize(*request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::RespondToExternalRecommendation(
    grpc::CallbackServerContext* ctx, const v1::RespondToExternalRecommendationRequest* request,
    v1::ExternalRecommendation* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "RespondToExternalRecommendation", [=](const RequestContext& rc) {
        return Respond(recommendations_.Respond(rc.actor, rc.viewer.principal(), *request),
                       response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::CreatePolicyDocument(
    grpc::CallbackServerContext* ctx, const v1::CreatePolicyDocumentRequest* request,
    v1::PolicyDocument* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreatePolicyDocument",
                           [=](const RequestContext& rc) {
                             return Respond(documents_.Create(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::UpdatePolicyDocument(
    grpc::CallbackServerContext* ctx, const v1::UpdatePolicyDocumentRequest* request,
    v1::PolicyDocument* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdatePolicyDocument",
                           [=](const RequestContext& rc) {
                             return Respond(documents_.Update(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::DeletePolicyDocument(
    grpc::CallbackServerContext* ctx, const v1::DeletePolicyDocumentRequest* request,
    google::protobuf::Empty* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "DeletePolicyDocument",
      [=](const RequestContext& rc) { return documents_.Delete(rc.actor, *request); });
}

grpc::ServerUnaryReactor* CoordinatorHandler::SubmitPolicyDocumentForConsultation(
    grpc::CallbackServerContext* ctx, const v1::SubmitPolicyDocumentForConsultationRequest* request,
    v1::PolicyDocument* response) {
  return dispatcher_.Unary(ctx, *request, response, "SubmitPolicyDocumentForConsultation",
                           [=](const RequestContext& rc) {
                             return Respond(documents_.SubmitForConsultation(rc.actor, *request),
                                            response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::AdoptPolicyDocument(
    grpc::CallbackServerContext* ctx, const v1::AdoptPolicyDocumentRequest* request,
    v1::PolicyDocument* response) {
  return dispatcher_.Unary(ctx, *request, response, "AdoptPolicyDocument",
                           [=](const RequestContext& rc) {
                             return Respond(documents_.Adopt(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::SupersedePolicyDocument(
    grpc::CallbackServerContext* ctx, const v1::SupersedePolicyDocumentRequest* request,
    v1::PolicyDocument* response) {
  return dispatcher_.Unary(ctx, *request, response, "SupersedePolicyDocument",
                           [=](const RequestContext& rc) {
                             return Respond(documents_.Supersede(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetPolicyDocument(
    grpc::CallbackServerContext* ctx, const v1::GetPolicyDocumentRequest* request,
    v1::PolicyDocument* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "GetPolicyDocument", [=](const RequestContext& rc) {
        return Respond(documents_.Get(PlanAudience::For(rc.viewer.principal()), request->name()),
                       response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ListPolicyDocuments(
    grpc::CallbackServerContext* ctx, const v1::ListPolicyDocumentsRequest* request,
    v1::ListPolicyDocumentsResponse* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "ListPolicyDocuments", [=](const RequestContext& rc) {
        return Respond(documents_.List(PlanAudience::For(rc.viewer.principal()), *request),
                       response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::CreateProgressPublication(
    grpc::CallbackServerContext* ctx, const v1::CreateProgressPublicationRequest* request,
    v1::ProgressPublication* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "CreateProgressPublication", [=](const RequestContext& rc) {
        return Respond(plans_.CreateProgressPublication(rc.actor, *request), response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::UpdateProgressPublication(
    grpc::CallbackServerContext* ctx, const v1::UpdateProgressPublicationRequest* request,
    v1::ProgressPublication* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "UpdateProgressPublication", [=](const RequestContext& rc) {
        return Respond(plans_.UpdateProgressPublication(rc.actor, *request), response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::DeleteProgressPublication(
    grpc::CallbackServerContext* ctx, const v1::DeleteProgressPublicationRequest* request,
    google::protobuf::Empty* response) {
  return dispatcher_.Unary(ctx, *request, response, "DeleteProgressPublication",
                           [=](const RequestContext& rc) {
                             return plans_.DeleteProgressPublication(rc.actor, *request);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::PublishProgressPublication(
    grpc::CallbackServerContext* ctx, const v1::PublishProgressPublicationRequest* request,
    v1::ProgressPublication* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "PublishProgressPublication", [=](const RequestContext& rc) {
        return Respond(plans_.PublishProgressPublication(rc.actor, *request), response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetProgressPublication(
    grpc::CallbackServerContext* ctx, const v1::GetProgressPublicationRequest* request,
    v1::ProgressPublication* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "GetProgressPublication", [=](const RequestContext& rc) {
        return Respond(plans_.GetProgressPublication(PlanAudience::For(rc.viewer.principal()),
                                                     request->name()),
                       response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ListProgressPublications(
    grpc::CallbackServerContext* ctx, const v1::ListProgressPublicationsRequest* request,
    v1::ListProgressPublicationsResponse* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "ListProgressPublications", [=](const RequestContext& rc) {
        return Respond(
            plans_.ListProgressPublications(PlanAudience::For(rc.viewer.principal()), *request),
            response);
      });
}

grpc::ServerUnaryReactor* CoordinatorHandler::CreateBudgetLine(
    grpc::CallbackServerContext* ctx, const v1::CreateBudgetLineRequest* request,
    v1::BudgetLine* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreateBudgetLine",
                           [=](const RequestContext& rc) {
                             return Respond(budget_lines_.Create(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetBudgetLine(grpc::CallbackServerContext* ctx,
                                                            const v1::GetBudgetLineRequest* request,
                                                            v1::BudgetLine* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetBudgetLine", [=](const RequestContext&) {
    return Respond(budget_lines_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ListBudgetLines(
    grpc::CallbackServerContext* ctx, const v1::ListBudgetLinesRequest* request,
    v1::ListBudgetLinesResponse* response) {
  return dispatcher_.Unary(ctx, *request, response, "ListBudgetLines", [=](const RequestContext&) {
    return Respond(budget_lines_.List(*request), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::UpdateBudgetLine(
    grpc::CallbackServerContext* ctx, const v1::UpdateBudgetLineRequest* request,
    v1::BudgetLine* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateBudgetLine",
                           [=](const RequestContext& rc) {
                             return Respond(budget_lines_.Update(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* CoordinatorHandler::DeleteBudgetLine(
    grpc::CallbackServerContext* ctx, const v1::DeleteBudgetLineRequest* request,
    google::protobuf::Empty* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "DeleteBudgetLine",
      [=](const RequestContext& rc) { return budget_lines_.Delete(rc.actor, *request); });
}

grpc::ServerUnaryReactor* CoordinatorHandler::SummarizeBudgetLines(
    grpc::CallbackServerContext* ctx, const v1::SummarizeBudgetLinesRequest* request,
    v1::BudgetSummary* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "SummarizeBudgetLines",
      [=](const RequestContext&) { return Respond(budget_lines_.Summarize(*request), response); });
}

}  // namespace thb::coordinator
