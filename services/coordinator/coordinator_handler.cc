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

}  // namespace thb::coordinator
