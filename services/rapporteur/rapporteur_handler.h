// gRPC adapter of thb.rapporteur.v1.RapporteurService over the shared dispatcher.
// The audit log and change-feed RPCs come from AuditRpcs, the same on every service.
#pragma once

#include "services/common/audit_rpcs.h"
#include "services/common/rpc_dispatcher.h"
#include "services/rapporteur/assessments.h"
#include "services/rapporteur/evaluations.h"
#include "services/rapporteur/population_tables.h"
#include "services/rapporteur/recommendations.h"
#include "services/rapporteur/reports.h"
#include "services/rapporteur/statistics_ledger.h"
#include "services/rapporteur/statistics_query.h"
#include "thb/rapporteur/v1/rapporteur.grpc.pb.h"

namespace thb::rapporteur {

class RapporteurHandler final : public AuditRpcs<v1::RapporteurService::CallbackService> {
 public:
  RapporteurHandler(const RpcDispatcher& dispatcher, AuditLog& audit, CommitSignal& commits,
                    StatisticsLedger& statistics, StatisticsQueries& queries,
                    PopulationTables& population_tables, RecommendationBook& recommendations,
                    ReportShelf& reports, Evaluations& evaluations, Assessments& assessments)
      : AuditRpcs(dispatcher, audit, commits),
        dispatcher_(dispatcher),
        statistics_(statistics),
        queries_(queries),
        population_tables_(population_tables),
        recommendations_(recommendations),
        reports_(reports),
        evaluations_(evaluations),
        assessments_(assessments) {}

  grpc::ServerUnaryReactor* CreateStatisticsSubmission(
      grpc::CallbackServerContext* ctx, const v1::CreateStatisticsSubmissionRequest* request,
      v1::StatisticsSubmission* response) override;
  grpc::ServerUnaryReactor* GetStatisticsSubmission(
      grpc::CallbackServerContext* ctx, const v1::GetStatisticsSubmissionRequest* request,
      v1::StatisticsSubmission* response) override;
  grpc::ServerUnaryReactor* ListStatisticsSubmissions(
      grpc::CallbackServerContext* ctx, const v1::ListStatisticsSubmissionsRequest* request,
      v1::ListStatisticsSubmissionsResponse* response) override;
  grpc::ServerUnaryReactor* QueryStatistics(grpc::CallbackServerContext* ctx,
                                            const v1::QueryStatisticsRequest* request,
                                            v1::QueryStatisticsResponse* response) override;
  grpc::ServerUnaryReactor* ExportStatistics(grpc::CallbackServerContext* ctx,
                                             const v1::ExportStatisticsRequest* request,
                                             v1::ExportStatisticsResponse* response) override;
  grpc::ServerUnaryReactor* CreatePopulationTable(grpc::CallbackServerContext* ctx,
                                                  const v1::CreatePopulationTableRequest* request,
                                                  v1::PopulationTable* response) override;
  grpc::ServerUnaryReactor* ListPopulationTables(
      grpc::CallbackServerContext* ctx, const v1::ListPopulationTablesRequest* request,
      v1::ListPopulationTablesResponse* response) override;
  grpc::ServerUnaryReactor* CreateRecommendation(grpc::CallbackServerContext* ctx,
                                                 const v1::CreateRecommendationRequest* request,
                                                 v1::Recommendation* response) override;
  grpc::ServerUnaryReactor* GetRecommendation(grpc::CallbackServerContext* ctx,
                                              const v1::GetRecommendationRequest* request,
                                              v1::Recommendation* response) override;
  grpc::ServerUnaryReactor* ListRecommendations(grpc::CallbackServerContext* ctx,
                                                const v1::ListRecommendationsRequest* request,
                                                v1::ListRecommendationsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateRecommendation(grpc::CallbackServerContext* ctx,
                                                 const v1::UpdateRecommendationRequest* request,
                                                 v1::Recommendation* response) override;
  grpc::ServerUnaryReactor* RespondToRecommendation(
      grpc::CallbackServerContext* ctx, const v1::RespondToRecommendationRequest* request,
      v1::Recommendation* response) override;
  grpc::ServerUnaryReactor* AssessRecommendationFollowUp(
      grpc::CallbackServerContext* ctx, const v1::AssessRecommendationFollowUpRequest* request,
      v1::Recommendation* response) override;
  grpc::ServerUnaryReactor* CreateReport(grpc::CallbackServerContext* ctx,
                                         const v1::CreateReportRequest* request,
                                         v1::Report* response) override;
  grpc::ServerUnaryReactor* GetReport(grpc::CallbackServerContext* ctx,
                                      const v1::GetReportRequest* request,
                                      v1::Report* response) override;
  grpc::ServerUnaryReactor* ListReports(grpc::CallbackServerContext* ctx,
                                        const v1::ListReportsRequest* request,
                                        v1::ListReportsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateReport(grpc::CallbackServerContext* ctx,
                                         const v1::UpdateReportRequest* request,
                                         v1::Report* response) override;
  grpc::ServerUnaryReactor* PublishReport(grpc::CallbackServerContext* ctx,
                                          const v1::PublishReportRequest* request,
                                          v1::Report* response) override;
  grpc::ServerUnaryReactor* CreateEvaluation(grpc::CallbackServerContext* ctx,
                                             const v1::CreateEvaluationRequest* request,
                                             v1::Evaluation* response) override;
  grpc::ServerUnaryReactor* GetEvaluation(grpc::CallbackServerContext* ctx,
                                          const v1::GetEvaluationRequest* request,
                                          v1::Evaluation* response) override;
  grpc::ServerUnaryReactor* ListEvaluations(grpc::CallbackServerContext* ctx,
                                            const v1::ListEvaluationsRequest* request,
                                            v1::ListEvaluationsResponse* response) override;
  grpc::ServerUnaryReactor* RunAssessment(grpc::CallbackServerContext* ctx,
                                          const v1::RunAssessmentRequest* request,
                                          v1::Assessment* response) override;
  grpc::ServerUnaryReactor* GetAssessment(grpc::CallbackServerContext* ctx,
                                          const v1::GetAssessmentRequest* request,
                                          v1::Assessment* response) override;
  grpc::ServerUnaryReactor* ListAssessments(grpc::CallbackServerContext* ctx,
                                            const v1::ListAssessmentsRequest* request,
                                            v1::ListAssessmentsResponse* response) override;

 private:
  const RpcDispatcher& dispatcher_;
  StatisticsLedger& statistics_;
  StatisticsQueries& queries_;
  PopulationTables& population_tables_;
  RecommendationBook& recommendations_;
  ReportShelf& reports_;
  Evaluations& evaluations_;
  Assessments& assessments_;
};

}  // namespace thb::rapporteur
