// gRPC adapter of thb.coordinator.v1.CoordinatorService: each method hands its request to the
// domain through the shared dispatcher (identity, policy, logging, error mapping).
// The audit log and change-feed RPCs come from AuditRpcs, the same on every service.
#pragma once

#include "services/common/audit_rpcs.h"
#include "services/common/rpc_dispatcher.h"
#include "services/coordinator/action_plans.h"
#include "services/coordinator/institution_registry.h"
#include "services/coordinator/mandate_registry.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"

namespace thb::coordinator {

class CoordinatorHandler final : public AuditRpcs<v1::CoordinatorService::CallbackService> {
 public:
  CoordinatorHandler(const RpcDispatcher& dispatcher, AuditLog& audit, CommitSignal& commits,
                     InstitutionRegistry& registry, MandateRegistry& mandate, ActionPlans& plans)
      : AuditRpcs(dispatcher, audit, commits),
        dispatcher_(dispatcher),
        registry_(registry),
        mandate_(mandate),
        plans_(plans) {}

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

 private:
  const RpcDispatcher& dispatcher_;
  InstitutionRegistry& registry_;
  MandateRegistry& mandate_;
  ActionPlans& plans_;
};

}  // namespace thb::coordinator
