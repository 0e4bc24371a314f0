#include "services/rapporteur/rapporteur_handler.h"

#include "absl/strings/str_cat.h"

namespace thb::rapporteur {
namespace {

// A reporting institution sees only its own submissions; the Rapporteur's staff see all.
absl::Status CheckReader(const Principal& caller, const std::string& institution) {
  if (caller.HasRole(roles::kRapporteurOffice) || caller.HasRole(roles::kRapporteurAnalyst) ||
      caller.institution == institution) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("a reporting institution reads only its own submissions, not ", institution));
}

}  // namespace

grpc::ServerUnaryReactor* RapporteurHandler::CreateStatisticsSubmission(
    grpc::CallbackServerContext* ctx, const v1::CreateStatisticsSubmissionRequest* request,
    v1::StatisticsSubmission* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "CreateStatisticsSubmission", [=](const RequestContext& rc) {
        return Respond(statistics_.Create(rc.actor, rc.viewer.principal(), *request), response);
      });
}

grpc::ServerUnaryReactor* RapporteurHandler::GetStatisticsSubmission(
    grpc::CallbackServerContext* ctx, const v1::GetStatisticsSubmissionRequest* request,
    v1::StatisticsSubmission* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "GetStatisticsSubmission", [=](const RequestContext& rc) {
        absl::StatusOr<v1::StatisticsSubmission> sub = statistics_.Get(request->name());
        if (sub.ok()) {
          THB_RETURN_IF_ERROR(CheckReader(rc.viewer.principal(), sub->reporting_institution()));
        }
        return Respond(std::move(sub), response);
      });
}

grpc::ServerUnaryReactor* RapporteurHandler::ListStatisticsSubmissions(
    grpc::CallbackServerContext* ctx, const v1::ListStatisticsSubmissionsRequest* request,
    v1::ListStatisticsSubmissionsResponse* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "ListStatisticsSubmissions", [=](const RequestContext& rc) {
        v1::ListStatisticsSubmissionsRequest scoped = *request;
        const bool staff = rc.viewer.principal().HasRole(roles::kRapporteurOffice) ||
                           rc.viewer.principal().HasRole(roles::kRapporteurAnalyst);
        if (!staff) {
          if (!scoped.reporting_institution().empty() &&
              scoped.reporting_institution() != rc.viewer.principal().institution) {
            return CheckReader(rc.viewer.principal(), scoped.reporting_institution());
          }
          scoped.set_reporting_institution(rc.viewer.principal().institution);
        }
        return Respond(statistics_.List(scoped), response);
      });
}

grpc::ServerUnaryReactor* RapporteurHandler::QueryStatistics(
    grpc::CallbackServerContext* ctx, const v1::QueryStatisticsRequest* request,
    v1::QueryStatisticsResponse* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "QueryStatistics", [=](const RequestContext& rc) {
        return Respond(queries_.Query(rc.viewer.principal(), *request), response);
      });
}

grpc::ServerUnaryReactor* RapporteurHandler::ExportStatistics(
    grpc::CallbackServerContext* ctx, const v1::ExportStatisticsRequest* request,
    v1::ExportStatisticsResponse* response) {
  return dispatcher_.Unary(ctx, *request, response, "ExportStatistics", [=](const RequestContext&) {
    return Respond(queries_.Export(*request), response);
  });
}

grpc::ServerUnaryReactor* RapporteurHandler::CreatePopulationTable(
    grpc::CallbackServerContext* ctx, const v1::CreatePopulationTableRequest* request,
    v1::PopulationTable* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "CreatePopulationTable", [=](const RequestContext& rc) {
        return Respond(population_tables_.Create(rc.actor, *request), response);
      });
}

grpc::ServerUnaryReactor* RapporteurHandler::ListPopulationTables(
    grpc::CallbackServerContext* ctx, const v1::ListPopulationTablesRequest* request,
    v1::ListPopulationTablesResponse* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "ListPopulationTables",
      [=](const RequestContext&) { return Respond(population_tables_.List(*request), response); });
}

grpc::ServerUnaryReactor* RapporteurHandler::CreateRecommendation(
    grpc::CallbackServerContext* ctx, const v1::CreateRecommendationRequest* request,
    v1::Recommendation* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreateRecommendation",
                           [=](const RequestContext& rc) {
                             return Respond(recommendations_.Create(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* RapporteurHandler::GetRecommendation(
    grpc::CallbackServerContext* ctx, const v1::GetRecommendationRequest* request,
    v1::Recommendation* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetRecommendation",
                           [=](const RequestContext&) {
                             return Respond(recommendations_.Get(request->name()), response);
                           });
}

grpc::ServerUnaryReactor* RapporteurHandler::ListRecommendations(
    grpc::CallbackServerContext* ctx, const v1::ListRecommendationsRequest* request,
    v1::ListRecommendationsResponse* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "ListRecommendations",
      [=](const RequestContext&) { return Respond(recommendations_.List(*request), response); });
}

grpc::ServerUnaryReactor* RapporteurHandler::UpdateRecommendation(
    grpc::CallbackServerContext* ctx, const v1::UpdateRecommendationRequest* request,
    v1::Recommendation* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateRecommendation",
                           [=](const RequestContext& rc) {
                             return Respond(recommendations_.Update(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* RapporteurHandler::RespondToRecommendation(
    grpc::CallbackServerContext* ctx, const v1::RespondToRecommendationRequest* request,
    v1::Recommendation* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "RespondToRecommendation", [=](const RequestContext& rc) {
        return Respond(recommendations_.Respond(rc.actor, rc.viewer.principal(), *request),
                       response);
      });
}

grpc::ServerUnaryReactor* RapporteurHandler::AssessRecommendationFollowUp(
    grpc::CallbackServerContext* ctx, const v1::AssessRecommendationFollowUpRequest* request,
    v1::Recommendation* response) {
  return dispatcher_.Unary(
      ctx, *request, response, "AssessRecommendationFollowUp", [=](const RequestContext& rc) {
        return Respond(recommendations_.AssessFollowUp(rc.actor, rc.viewer.principal(), *request),
                       response);
      });
}

grpc::ServerUnaryReactor* RapporteurHandler::CreateReport(grpc::CallbackServerContext* ctx,
                                                          const v1::CreateReportRequest* request,
                                                          v1::Report* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreateReport", [=](const RequestContext& rc) {
    return Respond(reports_.Create(rc.actor, *request), response);
  });
}

grpc::ServerUnaryReactor* RapporteurHandler::GetReport(grpc::CallbackServerContext* ctx,
                                                       const v1::GetReportRequest* request,
                                                       v1::Report* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetReport", [=](const RequestContext& rc) {
    return Respond(reports_.Get(rc.viewer.principal(), request->name()), response);
  });
}

grpc::ServerUnaryReactor* RapporteurHandler::ListReports(grpc::CallbackServerContext* ctx,
                                                         const v1::ListReportsRequest* request,
                                                         v1::ListReportsResponse* response) {
  return dispatcher_.Unary(ctx, *request, response, "ListReports", [=](const RequestContext& rc) {
    return Respond(reports_.List(rc.viewer.principal(), *request), response);
  });
}

grpc::ServerUnaryReactor* RapporteurHandler::UpdateReport(grpc::CallbackServerContext* ctx,
                                                          const v1::UpdateReportRequest* request,
                                                          v1::Report* response) {
  return dispatcher_.Unary(ctx, *request, response, "UpdateReport", [=](const RequestContext& rc) {
    return Respond(reports_.Update(rc.actor, *request), response);
  });
}

grpc::ServerUnaryReactor* RapporteurHandler::PublishReport(grpc::CallbackServerContext* ctx,
                                                           const v1::PublishReportRequest* request,
                                                           v1::Report* response) {
  return dispatcher_.Unary(ctx, *request, response, "PublishReport", [=](const RequestContext& rc) {
    return Respond(reports_.Publish(rc.actor, *request), response);
  });
}

grpc::ServerUnaryReactor* RapporteurHandler::CreateEvaluation(
    grpc::CallbackServerContext* ctx, const v1::CreateEvaluationRequest* request,
    v1::Evaluation* response) {
  return dispatcher_.Unary(ctx, *request, response, "CreateEvaluation",
                           [=](const RequestContext& rc) {
                             return Respond(evaluations_.Create(rc.actor, *request), response);
                           });
}

grpc::ServerUnaryReactor* RapporteurHandler::GetEvaluation(grpc::CallbackServerContext* ctx,
                                                           const v1::GetEvaluationRequest* request,
                                                           v1::Evaluation* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetEvaluation", [=](const RequestContext&) {
    return Respond(evaluations_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* RapporteurHandler::ListEvaluations(
    grpc::CallbackServerContext* ctx, const v1::ListEvaluationsRequest* request,
    v1::ListEvaluationsResponse* response) {
  return dispatcher_.Unary(ctx, *request, response, "ListEvaluations", [=](const RequestContext&) {
    return Respond(evaluations_.List(*request), response);
  });
}

grpc::ServerUnaryReactor* RapporteurHandler::RunAssessment(grpc::CallbackServerContext* ctx,
                                                           const v1::RunAssessmentRequest* request,
                                                           v1::Assessment* response) {
  return dispatcher_.Unary(ctx, *request, response, "RunAssessment", [=](const RequestContext& rc) {
    return Respond(assessments_.Run(rc.actor, *request), response);
  });
}

grpc::ServerUnaryReactor* RapporteurHandler::GetAssessment(grpc::CallbackServerContext* ctx,
                                                           const v1::GetAssessmentRequest* request,
                                                           v1::Assessment* response) {
  return dispatcher_.Unary(ctx, *request, response, "GetAssessment", [=](const RequestContext&) {
    return Respond(assessments_.Get(request->name()), response);
  });
}

grpc::ServerUnaryReactor* RapporteurHandler::ListAssessments(
    grpc::CallbackServerContext* ctx, const v1::ListAssessmentsRequest* request,
    v1::ListAssessmentsResponse* response) {
  return dispatcher_.Unary(ctx, *request, response, "ListAssessments", [=](const RequestContext&) {
    return Respond(assessments_.List(*request), response);
  });
}

}  // namespace thb::rapporteur
