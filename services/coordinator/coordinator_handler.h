// gRPC adapter of thb.coordinator.v1.CoordinatorService: each method hands its request to the
// domain through the shared dispatcher (identity, policy, logging, error mapping).
// The audit log and change-feed RPCs come from AuditRpcs, the same on every service.
#pragma once

#include "services/common/audit_rpcs.h"
#include "services/common/rpc_dispatcher.h"
#include "services/coordinator/action_plans.h"
#include "services/coordinator/budget_lines.h"
#include "services/coordinator/engagements.h"
#include "services/coordinator/external_recommendations.h"
#include "services/coordinator/institution_registry.h"
#include "services/coordinator/mandate_registry.h"
#include "services/coordinator/policy_documents.h"
#include "services/coordinator/reporting_obligations.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"

namespace thb::coordinator {

class CoordinatorHandler final : public AuditRpcs<v1::CoordinatorService::CallbackService> {
 public:
  CoordinatorHandler(const RpcDispatcher& dispatcher, AuditLog& audit, CommitSignal& commits,
                     InstitutionRegistry& registry, MandateRegistry& mandate, ActionPlans& plans,
                     Engagements& engagements, ReportingObligations& obligations,
                     ExternalRecommendations& recommendations, PolicyDocuments& documents,
                     BudgetLines& budget_lines)
      : AuditRpcs(dispatcher, audit, commits),
        dispatcher_(dispatcher),
        registry_(registry),
        mandate_(mandate),
        plans_(plans),
        engagements_(engagements),
        obligations_(obligations),
        recommendations_(recommendations),
        documents_(documents),
        budget_lines_(budget_lines) {}

  grpc::ServerUnaryReactor* CreateInstitution(grpc::CallbackServerContext* ctx,
                                              const v1::CreateInstitutionRequest* request,
                                              v1::Institution* response) override;
  grpc::ServerUnaryReactor* GetInstitution(grpc::CallbackServerContext* ctx,
                                           const v1::GetInstitutionRequest* request,
                                           v1::Institution* response) override;
  grpc::ServerUnaryReactor* ListInstitutions(grpc::CallbackServerContext* ctx,
                                             const v1::ListInstitutionsRequest* request,
                                             v1::ListInstitutionsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateInstitution(grpc::CallbackServerContext* ctx,
                                              const v1::UpdateInstitutionRequest* request,
                                              v1::Institution* response) override;
  grpc::ServerUnaryReactor* ArchiveInstitution(grpc::CallbackServerContext* ctx,
                                               const v1::ArchiveInstitutionRequest* request,
                                               v1::Institution* response) override;
  grpc::ServerUnaryReactor* DeleteInstitution(grpc::CallbackServerContext* ctx,
                                              const v1::DeleteInstitutionRequest* request,
                                              google::protobuf::Empty* response) override;

  grpc::ServerUnaryReactor* GetMandate(grpc::CallbackServerContext* ctx,
                                       const v1::GetMandateRequest* request,
                                       v1::Mandate* response) override;
  grpc::ServerUnaryReactor* UpdateMandate(grpc::CallbackServerContext* ctx,
                                          const v1::UpdateMandateRequest* request,
                                          v1::Mandate* response) override;
  grpc::ServerUnaryReactor* CreatePlan(grpc::CallbackServerContext* ctx,
                                       const v1::CreatePlanRequest* request,
                                       v1::ActionPlan* response) override;
  grpc::ServerUnaryReactor* GetPlan(grpc::CallbackServerContext* ctx,
                                    const v1::GetPlanRequest* request,
                                    v1::ActionPlan* response) override;
  grpc::ServerUnaryReactor* ListPlans(grpc::CallbackServerContext* ctx,
                                      const v1::ListPlansRequest* request,
                                      v1::ListPlansResponse* response) override;
  grpc::ServerUnaryReactor* UpdatePlan(grpc::CallbackServerContext* ctx,
                                       const v1::UpdatePlanRequest* request,
                                       v1::ActionPlan* response) override;
  grpc::ServerUnaryReactor* DeletePlan(grpc::CallbackServerContext* ctx,
                                       const v1::DeletePlanRequest* request,
                                       google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* SubmitPlanForConsultation(
      grpc::CallbackServerContext* ctx, const v1::SubmitPlanForConsultationRequest* request,
      v1::ActionPlan* response) override;
  grpc::ServerUnaryReactor* AdoptPlan(grpc::CallbackServerContext* ctx,
                                      const v1::AdoptPlanRequest* request,
                                      v1::ActionPlan* response) override;
  grpc::ServerUnaryReactor* ClosePlan(grpc::CallbackServerContext* ctx,
                                      const v1::ClosePlanRequest* request,
                                      v1::ActionPlan* response) override;
  grpc::ServerUnaryReactor* ListPlanRevisions(grpc::CallbackServerContext* ctx,
                                              const v1::ListPlanRevisionsRequest* request,
                                              v1::ListPlanRevisionsResponse* response) override;
  grpc::ServerUnaryReactor* CreateObjective(grpc::CallbackServerContext* ctx,
                                            const v1::CreateObjectiveRequest* request,
                                            v1::Objective* response) override;
  grpc::ServerUnaryReactor* GetObjective(grpc::CallbackServerContext* ctx,
                                         const v1::GetObjectiveRequest* request,
                                         v1::Objective* response) override;
  grpc::ServerUnaryReactor* ListObjectives(grpc::CallbackServerContext* ctx,
                                           const v1::ListObjectivesRequest* request,
                                           v1::ListObjectivesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateObjective(grpc::CallbackServerContext* ctx,
                                            const v1::UpdateObjectiveRequest* request,
                                            v1::Objective* response) override;
  grpc::ServerUnaryReactor* DeleteObjective(grpc::CallbackServerContext* ctx,
                                            const v1::DeleteObjectiveRequest* request,
                                            google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* CreateMeasure(grpc::CallbackServerContext* ctx,
                                          const v1::CreateMeasureRequest* request,
                                          v1::Measure* response) override;
  grpc::ServerUnaryReactor* GetMeasure(grpc::CallbackServerContext* ctx,
                                       const v1::GetMeasureRequest* request,
                                       v1::Measure* response) override;
  grpc::ServerUnaryReactor* ListMeasures(grpc::CallbackServerContext* ctx,
                                         const v1::ListMeasuresRequest* request,
                                         v1::ListMeasuresResponse* response) override;
  grpc::ServerUnaryReactor* UpdateMeasure(grpc::CallbackServerContext* ctx,
                                          const v1::UpdateMeasureRequest* request,
                                          v1::Measure* response) override;
  grpc::ServerUnaryReactor* DeleteMeasure(grpc::CallbackServerContext* ctx,
                                          const v1::DeleteMeasureRequest* request,
                                          google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* CreateProgressReport(grpc::CallbackServerContext* ctx,
                                                 const v1::CreateProgressReportRequest* request,
                                                 v1::ProgressReport* response) override;
  grpc::ServerUnaryReactor* GetProgressReport(grpc::CallbackServerContext* ctx,
                                              const v1::GetProgressReportRequest* request,
                                              v1::ProgressReport* response) override;
  grpc::ServerUnaryReactor* ListProgressReports(grpc::CallbackServerContext* ctx,
                                                const v1::ListProgressReportsRequest* request,
                                                v1::ListProgressReportsResponse* response) override;
  grpc::ServerUnaryReactor* AnalyzeCoverage(grpc::CallbackServerContext* ctx,
                                            const v1::AnalyzeCoverageRequest* request,
                                            v1::CoverageAnalysis* response) override;
  grpc::ServerUnaryReactor* AnalyzeProgress(grpc::CallbackServerContext* ctx,
                                            const v1::AnalyzeProgressRequest* request,
                                            v1::ProgressAnalysis* response) override;
  grpc::ServerUnaryReactor* AnalyzeFunding(grpc::CallbackServerContext* ctx,
                                           const v1::AnalyzeFundingRequest* request,
                                           v1::FundingAnalysis* response) override;
  grpc::ServerUnaryReactor* GetPublicReport(grpc::CallbackServerContext* ctx,
                                            const v1::GetPublicReportRequest* request,
                                            v1::PublicReport* response) override;

  // Progress publications of a plan.
  grpc::ServerUnaryReactor* CreateProgressPublication(
      grpc::CallbackServerContext* ctx, const v1::CreateProgressPublicationRequest* request,
      v1::ProgressPublication* response) override;
  grpc::ServerUnaryReactor* UpdateProgressPublication(
      grpc::CallbackServerContext* ctx, const v1::UpdateProgressPublicationRequest* request,
      v1::ProgressPublication* response) override;
  grpc::ServerUnaryReactor* DeleteProgressPublication(
      grpc::CallbackServerContext* ctx, const v1::DeleteProgressPublicationRequest* request,
      google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* PublishProgressPublication(
      grpc::CallbackServerContext* ctx, const v1::PublishProgressPublicationRequest* request,
      v1::ProgressPublication* response) override;
  grpc::ServerUnaryReactor* GetProgressPublication(grpc::CallbackServerContext* ctx,
                                                   const v1::GetProgressPublicationRequest* request,
                                                   v1::ProgressPublication* response) override;
  grpc::ServerUnaryReactor* ListProgressPublications(
      grpc::CallbackServerContext* ctx, const v1::ListProgressPublicationsRequest* request,
      v1::ListProgressPublicationsResponse* response) override;
  // The international role: engagements, reporting obligations and their cycles.
  grpc::ServerUnaryReactor* CreateEngagement(grpc::CallbackServerContext* ctx,
                                             const v1::CreateEngagementRequest* request,
                                             v1::Engagement* response) override;
  grpc::ServerUnaryReactor* GetEngagement(grpc::CallbackServerContext* ctx,
                                          const v1::GetEngagementRequest* request,
                                          v1::Engagement* response) override;
  grpc::ServerUnaryReactor* ListEngagements(grpc::CallbackServerContext* ctx,
                                            const v1::ListEngagementsRequest* request,
                                            v1::ListEngagementsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateEngagement(grpc::CallbackServerContext* ctx,
                                             const v1::UpdateEngagementRequest* request,
                                             v1::Engagement* response) override;
  grpc::ServerUnaryReactor* DeleteEngagement(grpc::CallbackServerContext* ctx,
                                             const v1::DeleteEngagementRequest* request,
                                             google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* CreateReportingObligation(
      grpc::CallbackServerContext* ctx, const v1::CreateReportingObligationRequest* request,
      v1::ReportingObligation* response) override;
  grpc::ServerUnaryReactor* GetReportingObligation(grpc::CallbackServerContext* ctx,
                                                   const v1::GetReportingObligationRequest* request,
                                                   v1::ReportingObligation* response) override;
  grpc::ServerUnaryReactor* ListReportingObligations(
      grpc::CallbackServerContext* ctx, const v1::ListReportingObligationsRequest* request,
      v1::ListReportingObligationsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateReportingObligation(
      grpc::CallbackServerContext* ctx, const v1::UpdateReportingObligationRequest* request,
      v1::ReportingObligation* response) override;
  grpc::ServerUnaryReactor* DeleteReportingObligation(
      grpc::CallbackServerContext* ctx, const v1::DeleteReportingObligationRequest* request,
      google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* CreateReportingCycle(grpc::CallbackServerContext* ctx,
                                                 const v1::CreateReportingCycleRequest* request,
                                                 v1::ReportingCycle* response) override;
  grpc::ServerUnaryReactor* GetReportingCycle(grpc::CallbackServerContext* ctx,
                                              const v1::GetReportingCycleRequest* request,
                                              v1::ReportingCycle* response) override;
  grpc::ServerUnaryReactor* ListReportingCycles(grpc::CallbackServerContext* ctx,
                                                const v1::ListReportingCyclesRequest* request,
                                                v1::ListReportingCyclesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateReportingCycle(grpc::CallbackServerContext* ctx,
                                                 const v1::UpdateReportingCycleRequest* request,
                                                 v1::ReportingCycle* response) override;
  grpc::ServerUnaryReactor* SubmitReportingCycle(grpc::CallbackServerContext* ctx,
                                                 const v1::SubmitReportingCycleRequest* request,
                                                 v1::ReportingCycle* response) override;
  grpc::ServerUnaryReactor* GetObligationsCalendar(grpc::CallbackServerContext* ctx,
                                                   const v1::GetObligationsCalendarRequest* request,
                                                   v1::ObligationsCalendar* response) override;
  // The register of external recommendations and the draft State report.
  grpc::ServerUnaryReactor* DraftObligationReport(grpc::CallbackServerContext* ctx,
                                                  const v1::DraftObligationReportRequest* request,
                                                  v1::ObligationReportDraft* response) override;
  grpc::ServerUnaryReactor* CreateExternalRecommendation(
      grpc::CallbackServerContext* ctx, const v1::CreateExternalRecommendationRequest* request,
      v1::ExternalRecommendation* response) override;
  grpc::ServerUnaryReactor* GetExternalRecommendation(
      grpc::CallbackServerContext* ctx, const v1::GetExternalRecommendationRequest* request,
      v1::ExternalRecommendation* response) override;
  grpc::ServerUnaryReactor* ListExternalRecommendations(
      grpc::CallbackServerContext* ctx, const v1::ListExternalRecommendationsRequest* request,
      v1::ListExternalRecommendationsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateExternalRecommendation(
      grpc::CallbackServerContext* ctx, const v1::UpdateExternalRecommendationRequest* request,
      v1::ExternalRecommendation* response) override;
  grpc::ServerUnaryReactor* DeleteExternalRecommendation(
      grpc::CallbackServerContext* ctx, const v1::DeleteExternalRecommendationRequest* request,
      google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* SummarizeExternalRecommendations(
      grpc::CallbackServerContext* ctx, const v1::SummarizeExternalRecommendationsRequest* request,
      v1::ExternalRecommendationSummary* response) override;
  grpc::ServerUnaryReactor* RespondToExternalRecommendation(
      grpc::CallbackServerContext* ctx, const v1::RespondToExternalRecommendationRequest* request,
      v1::ExternalRecommendation* response) override;
  // Policy documents beyond the plan.
  grpc::ServerUnaryReactor* CreatePolicyDocument(grpc::CallbackServerContext* ctx,
                                                 const v1::CreatePolicyDocumentRequest* request,
                                                 v1::PolicyDocument* response) override;
  grpc::ServerUnaryReactor* UpdatePolicyDocument(grpc::CallbackServerContext* ctx,
                                                 const v1::UpdatePolicyDocumentRequest* request,
                                                 v1::PolicyDocument* response) override;
  grpc::ServerUnaryReactor* DeletePolicyDocument(grpc::CallbackServerContext* ctx,
                                                 const v1::DeletePolicyDocumentRequest* request,
                                                 google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* SubmitPolicyDocumentForConsultation(
      grpc::CallbackServerContext* ctx,
      const v1::SubmitPolicyDocumentForConsultationRequest* request,
      v1::PolicyDocument* response) override;
  grpc::ServerUnaryReactor* AdoptPolicyDocument(grpc::CallbackServerContext* ctx,
                                                const v1::AdoptPolicyDocumentRequest* request,
                                                v1::PolicyDocument* response) override;
  grpc::ServerUnaryReactor* SupersedePolicyDocument(
      grpc::CallbackServerContext* ctx, const v1::SupersedePolicyDocumentRequest* request,
      v1::PolicyDocument* response) override;
  grpc::ServerUnaryReactor* GetPolicyDocument(grpc::CallbackServerContext* ctx,
                                              const v1::GetPolicyDocumentRequest* request,
                                              v1::PolicyDocument* response) override;
  grpc::ServerUnaryReactor* ListPolicyDocuments(grpc::CallbackServerContext* ctx,
                                                const v1::ListPolicyDocumentsRequest* request,
                                                v1::ListPolicyDocumentsResponse* response) override;
  // Budget lines across years.
  grpc::ServerUnaryReactor* CreateBudgetLine(grpc::CallbackServerContext* ctx,
                                             const v1::CreateBudgetLineRequest* request,
                                             v1::BudgetLine* response) override;
  grpc::ServerUnaryReactor* GetBudgetLine(grpc::CallbackServerContext* ctx,
                                          const v1::GetBudgetLineRequest* request,
                                          v1::BudgetLine* response) override;
  grpc::ServerUnaryReactor* ListBudgetLines(grpc::CallbackServerContext* ctx,
                                            const v1::ListBudgetLinesRequest* request,
                                            v1::ListBudgetLinesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateBudgetLine(grpc::CallbackServerContext* ctx,
                                             const v1::UpdateBudgetLineRequest* request,
                                             v1::BudgetLine* response) override;
  grpc::ServerUnaryReactor* DeleteBudgetLine(grpc::CallbackServerContext* ctx,
                                             const v1::DeleteBudgetLineRequest* request,
                                             google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* SummarizeBudgetLines(grpc::CallbackServerContext* ctx,
                                                 const v1::SummarizeBudgetLinesRequest* request,
                                                 v1::BudgetSummary* response) override;

 private:
  const RpcDispatcher& dispatcher_;
  InstitutionRegistry& registry_;
  MandateRegistry& mandate_;
  ActionPlans& plans_;
  Engagements& engagements_;
  ReportingObligations& obligations_;
  ExternalRecommendations& recommendations_;
  PolicyDocuments& documents_;
  BudgetLines& budget_lines_;
};

}  // namespace thb::coordinator
