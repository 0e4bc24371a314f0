#include "services/rapporteur/rapporteur_handler.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
namespace thb::rapporteur {
#include "services/common/errors.h"
namespace {
#include "services/common/errors.h"
// A reporting institution sees only its own submissions; the Rapporteur's staff see all.
#include "services/common/errors.h"
absl::Status CheckReader(const Principal& caller, const std::string& institution) {
#include "services/common/errors.h"
  if (caller.HasRole(roles::kRapporteurOffice) || caller.HasRole(roles::kRapporteurAnalyst) ||
#include "services/common/errors.h"
      caller.institution == institution) {
#include "services/common/errors.h"
    return absl::OkStatus();
#include "services/common/errors.h"
  }
#include "services/common/errors.h"
  return Denied(
#include "services/common/errors.h"
      type::v1::ERROR_REASON_NOT_OWN_STATISTICS,
#include "services/common/errors.h"
      absl::StrCat("a reporting institution reads only its own submissions, not ", institution));
#include "services/common/errors.h"
}
#include "services/common/errors.h"
}  // namespace
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::CreateStatisticsSubmission(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::CreateStatisticsSubmissionRequest* request,
#include "services/common/errors.h"
    v1::StatisticsSubmission* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(
#include "services/common/errors.h"
      ctx, *request, response, "CreateStatisticsSubmission", [=](const RequestContext& rc) {
#include "services/common/errors.h"
        return Respond(statistics_.Create(rc.actor, rc.viewer.principal(), *request), response);
#include "services/common/errors.h"
      });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::GetStatisticsSubmission(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::GetStatisticsSubmissionRequest* request,
#include "services/common/errors.h"
    v1::StatisticsSubmission* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(
#include "services/common/errors.h"
      ctx, *request, response, "GetStatisticsSubmission", [=](const RequestContext& rc) {
#include "services/common/errors.h"
        absl::StatusOr<v1::StatisticsSubmission> sub = statistics_.Get(request->name());
#include "services/common/errors.h"
        if (sub.ok()) {
#include "services/common/errors.h"
          THB_RETURN_IF_ERROR(CheckReader(rc.viewer.principal(), sub->reporting_institution()));
#include "services/common/errors.h"
        }
#include "services/common/errors.h"
        return Respond(std::move(sub), response);
#include "services/common/errors.h"
      });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::ListStatisticsSubmissions(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::ListStatisticsSubmissionsRequest* request,
#include "services/common/errors.h"
    v1::ListStatisticsSubmissionsResponse* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(
#include "services/common/errors.h"
      ctx, *request, response, "ListStatisticsSubmissions", [=](const RequestContext& rc) {
#include "services/common/errors.h"
        v1::ListStatisticsSubmissionsRequest scoped = *request;
#include "services/common/errors.h"
        const bool staff = rc.viewer.principal().HasRole(roles::kRapporteurOffice) ||
#include "services/common/errors.h"
                           rc.viewer.principal().HasRole(roles::kRapporteurAnalyst);
#include "services/common/errors.h"
        if (!staff) {
#include "services/common/errors.h"
          if (!scoped.reporting_institution().empty() &&
#include "services/common/errors.h"
              scoped.reporting_institution() != rc.viewer.principal().institution) {
#include "services/common/errors.h"
            return CheckReader(rc.viewer.principal(), scoped.reporting_institution());
#include "services/common/errors.h"
          }
#include "services/common/errors.h"
          scoped.set_reporting_institution(rc.viewer.principal().institution);
#include "services/common/errors.h"
        }
#include "services/common/errors.h"
        return Respond(statistics_.List(scoped), response);
#include "services/common/errors.h"
      });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::QueryStatistics(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::QueryStatisticsRequest* request,
#include "services/common/errors.h"
    v1::QueryStatisticsResponse* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(
#include "services/common/errors.h"
      ctx, *request, response, "QueryStatistics", [=](const RequestContext& rc) {
#include "services/common/errors.h"
        return Respond(queries_.Query(rc.viewer.principal(), *request), response);
#include "services/common/errors.h"
      });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::ExportStatistics(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::ExportStatisticsRequest* request,
#include "services/common/errors.h"
    v1::ExportStatisticsResponse* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(ctx, *request, response, "ExportStatistics", [=](const RequestContext&) {
#include "services/common/errors.h"
    return Respond(queries_.Export(*request), response);
#include "services/common/errors.h"
  });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::CreatePopulationTable(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::CreatePopulationTableRequest* request,
#include "services/common/errors.h"
    v1::PopulationTable* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(
#include "services/common/errors.h"
      ctx, *request, response, "CreatePopulationTable", [=](const RequestContext& rc) {
#include "services/common/errors.h"
        return Respond(population_tables_.Create(rc.actor, *request), response);
#include "services/common/errors.h"
      });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::ListPopulationTables(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::ListPopulationTablesRequest* request,
#include "services/common/errors.h"
    v1::ListPopulationTablesResponse* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(
#include "services/common/errors.h"
      ctx, *request, response, "ListPopulationTables",
#include "services/common/errors.h"
      [=](const RequestContext&) { return Respond(population_tables_.List(*request), response); });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::CreateRecommendation(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::CreateRecommendationRequest* request,
#include "services/common/errors.h"
    v1::Recommendation* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(ctx, *request, response, "CreateRecommendation",
#include "services/common/errors.h"
                           [=](const RequestContext& rc) {
#include "services/common/errors.h"
                             return Respond(recommendations_.Create(rc.actor, *request), response);
#include "services/common/errors.h"
                           });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::GetRecommendation(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::GetRecommendationRequest* request,
#include "services/common/errors.h"
    v1::Recommendation* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(ctx, *request, response, "GetRecommendation",
#include "services/common/errors.h"
                           [=](const RequestContext&) {
#include "services/common/errors.h"
                             return Respond(recommendations_.Get(request->name()), response);
#include "services/common/errors.h"
                           });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::ListRecommendations(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::ListRecommendationsRequest* request,
#include "services/common/errors.h"
    v1::ListRecommendationsResponse* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(
#include "services/common/errors.h"
      ctx, *request, response, "ListRecommendations",
#include "services/common/errors.h"
      [=](const RequestContext&) { return Respond(recommendations_.List(*request), response); });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::UpdateRecommendation(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::UpdateRecommendationRequest* request,
#include "services/common/errors.h"
    v1::Recommendation* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(ctx, *request, response, "UpdateRecommendation",
#include "services/common/errors.h"
                           [=](const RequestContext& rc) {
#include "services/common/errors.h"
                             return Respond(recommendations_.Update(rc.actor, *request), response);
#include "services/common/errors.h"
                           });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::RespondToRecommendation(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::RespondToRecommendationRequest* request,
#include "services/common/errors.h"
    v1::Recommendation* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(
#include "services/common/errors.h"
      ctx, *request, response, "RespondToRecommendation", [=](const RequestContext& rc) {
#include "services/common/errors.h"
        return Respond(recommendations_.Respond(rc.actor, rc.viewer.principal(), *request),
#include "services/common/errors.h"
                       response);
#include "services/common/errors.h"
      });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::AssessRecommendationFollowUp(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::AssessRecommendationFollowUpRequest* request,
#include "services/common/errors.h"
    v1::Recommendation* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(
#include "services/common/errors.h"
      ctx, *request, response, "AssessRecommendationFollowUp", [=](const RequestContext& rc) {
#include "services/common/errors.h"
        return Respond(recommendations_.AssessFollowUp(rc.actor, rc.viewer.principal(), *request),
#include "services/common/errors.h"
                       response);
#include "services/common/errors.h"
      });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::CreateReport(grpc::CallbackServerContext* ctx,
#include "services/common/errors.h"
                                                          const v1::CreateReportRequest* request,
#include "services/common/errors.h"
                                                          v1::Report* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(ctx, *request, response, "CreateReport", [=](const RequestContext& rc) {
#include "services/common/errors.h"
    return Respond(reports_.Create(rc.actor, *request), response);
#include "services/common/errors.h"
  });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::GetReport(grpc::CallbackServerContext* ctx,
#include "services/common/errors.h"
                                                       const v1::GetReportRequest* request,
#include "services/common/errors.h"
                                                       v1::Report* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(ctx, *request, response, "GetReport", [=](const RequestContext& rc) {
#include "services/common/errors.h"
    return Respond(reports_.Get(rc.viewer.principal(), request->name()), response);
#include "services/common/errors.h"
  });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::ListReports(grpc::CallbackServerContext* ctx,
#include "services/common/errors.h"
                                                         const v1::ListReportsRequest* request,
#include "services/common/errors.h"
                                                         v1::ListReportsResponse* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(ctx, *request, response, "ListReports", [=](const RequestContext& rc) {
#include "services/common/errors.h"
    return Respond(reports_.List(rc.viewer.principal(), *request), response);
#include "services/common/errors.h"
  });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::UpdateReport(grpc::CallbackServerContext* ctx,
#include "services/common/errors.h"
                                                          const v1::UpdateReportRequest* request,
#include "services/common/errors.h"
                                                          v1::Report* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(ctx, *request, response, "UpdateReport", [=](const RequestContext& rc) {
#include "services/common/errors.h"
    return Respond(reports_.Update(rc.actor, *request), response);
#include "services/common/errors.h"
  });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::PublishReport(grpc::CallbackServerContext* ctx,
#include "services/common/errors.h"
                                                           const v1::PublishReportRequest* request,
#include "services/common/errors.h"
                                                           v1::Report* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(ctx, *request, response, "PublishReport", [=](const RequestContext& rc) {
#include "services/common/errors.h"
    return Respond(reports_.Publish(rc.actor, *request), response);
#include "services/common/errors.h"
  });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::CreateEvaluation(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::CreateEvaluationRequest* request,
#include "services/common/errors.h"
    v1::Evaluation* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(ctx, *request, response, "CreateEvaluation",
#include "services/common/errors.h"
                           [=](const RequestContext& rc) {
#include "services/common/errors.h"
                             return Respond(evaluations_.Create(rc.actor, *request), response);
#include "services/common/errors.h"
                           });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::GetEvaluation(grpc::CallbackServerContext* ctx,
#include "services/common/errors.h"
                                                           const v1::GetEvaluationRequest* request,
#include "services/common/errors.h"
                                                           v1::Evaluation* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(ctx, *request, response, "GetEvaluation", [=](const RequestContext&) {
#include "services/common/errors.h"
    return Respond(evaluations_.Get(request->name()), response);
#include "services/common/errors.h"
  });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::ListEvaluations(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::ListEvaluationsRequest* request,
#include "services/common/errors.h"
    v1::ListEvaluationsResponse* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(ctx, *request, response, "ListEvaluations", [=](const RequestContext&) {
#include "services/common/errors.h"
    return Respond(evaluations_.List(*request), response);
#include "services/common/errors.h"
  });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::RunAssessment(grpc::CallbackServerContext* ctx,
#include "services/common/errors.h"
                                                           const v1::RunAssessmentRequest* request,
#include "services/common/errors.h"
                                                           v1::Assessment* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(ctx, *request, response, "RunAssessment", [=](const RequestContext& rc) {
#include "services/common/errors.h"
    return Respond(assessments_.Run(rc.actor, *request), response);
#include "services/common/errors.h"
  });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::GetAssessment(grpc::CallbackServerContext* ctx,
#include "services/common/errors.h"
                                                           const v1::GetAssessmentRequest* request,
#include "services/common/errors.h"
                                                           v1::Assessment* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(ctx, *request, response, "GetAssessment", [=](const RequestContext&) {
#include "services/common/errors.h"
    return Respond(assessments_.Get(request->name()), response);
#include "services/common/errors.h"
  });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
grpc::ServerUnaryReactor* RapporteurHandler::ListAssessments(
#include "services/common/errors.h"
    grpc::CallbackServerContext* ctx, const v1::ListAssessmentsRequest* request,
#include "services/common/errors.h"
    v1::ListAssessmentsResponse* response) {
#include "services/common/errors.h"
  return dispatcher_.Unary(ctx, *request, response, "ListAssessments", [=](const RequestContext&) {
#include "services/common/errors.h"
    return Respond(assessments_.List(*request), response);
#include "services/common/errors.h"
  });
#include "services/common/errors.h"
}
#include "services/common/errors.h"
}  // namespace thb::rapporteur
