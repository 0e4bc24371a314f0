// National Action Plans: plans and their lifecycle, objectives, measures, progress reports from
// lead institutions, recorded revisions of adopted plans, and the analyses the Co-ordinator
// publishes. Domain logic over a Database and a Clock; the gRPC handler only adapts to it.
// One class, one file per resource: plans.cc (plans, lifecycle, revisions), objectives.cc,
// measures.cc, progress_reports.cc, plan_publication.cc (analyses, public report, gauges), over
// the storage in plan_store.h.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/auth.h"
#include "services/common/clock.h"
#include "services/common/storage.h"
#include "services/coordinator/plan_audience.h"
#include "services/coordinator/plan_lifecycle.h"
#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb::coordinator {

class ActionPlans {
 public:
  ActionPlans(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Plans, their lifecycle and revisions (plans.cc).
  absl::StatusOr<v1::ActionPlan> CreatePlan(const AuditActor& actor, const Principal& caller,
                                            const v1::CreatePlanRequest& r);
  absl::StatusOr<v1::ActionPlan> GetPlan(const PlanAudience& a, const std::string& name);
  absl::StatusOr<v1::ListPlansResponse> ListPlans(const PlanAudience& a,
                                                  const v1::ListPlansRequest& r);
  absl::StatusOr<v1::ActionPlan> UpdatePlan(const AuditActor& actor, const Principal& caller,
                                            const v1::UpdatePlanRequest& r);
  absl::Status DeletePlan(const AuditActor& actor, const Principal& caller,
                          const v1::DeletePlanRequest& r);
  // One of :submitForConsultation, :adopt, :close. `adopted_on` only for kAdopt (today if unset).
  absl::StatusOr<v1::ActionPlan> Transition(const AuditActor& actor, const std::string& method,
                                            const std::string& name, const std::string& etag,
                                            const std::string& request_id,
                                            PlanTransition transition,
                                            const google::type::Date& adopted_on);
  absl::StatusOr<v1::ListPlanRevisionsResponse> ListRevisions(
      const PlanAudience& a, const v1::ListPlanRevisionsRequest& r);

  // Objectives (objectives.cc).
  absl::StatusOr<v1::Objective> CreateObjective(const AuditActor& actor, const Principal& caller,
                                                const v1::CreateObjectiveRequest& r);
  absl::StatusOr<v1::Objective> GetObjective(const PlanAudience& a, const std::string& name);
  absl::StatusOr<v1::ListObjectivesResponse> ListObjectives(const PlanAudience& a,
                                                            const v1::ListObjectivesRequest& r);
  absl::StatusOr<v1::Objective> UpdateObjective(const AuditActor& actor, const Principal& caller,
                                                const v1::UpdateObjectiveRequest& r);
  absl::Status DeleteObjective(const AuditActor& actor, const Principal& caller,
                               const v1::DeleteObjectiveRequest& r);

  // Measures (measures.cc).
  absl::StatusOr<v1::Measure> CreateMeasure(const AuditActor& actor, const Principal& caller,
                                            const v1::CreateMeasureRequest& r);
  absl::StatusOr<v1::Measure> GetMeasure(const PlanAudience& a, const std::string& name);
  absl::StatusOr<v1::ListMeasuresResponse> ListMeasures(const PlanAudience& a,
                                                        const v1::ListMeasuresRequest& r);
  absl::StatusOr<v1::Measure> UpdateMeasure(const AuditActor& actor, const Principal& caller,
                                            const v1::UpdateMeasureRequest& r);
  absl::Status DeleteMeasure(const AuditActor& actor, const Principal& caller,
                             const v1::DeleteMeasureRequest& r);

  // Progress reports (progress_reports.cc): the lead institution (or the office) on an ADOPTED
  // plan; the measure's indicators, spending, progress and status change in the same transaction.
  absl::StatusOr<v1::ProgressReport> CreateProgressReport(const AuditActor& actor,
                                                          const Principal& caller,
                                                          const v1::CreateProgressReportRequest& r);
  absl::StatusOr<v1::ProgressReport> GetProgressReport(const PlanAudience& a,
                                                       const std::string& name);
  absl::StatusOr<v1::ListProgressReportsResponse> ListProgressReports(
      const PlanAudience& a, const v1::ListProgressReportsRequest& r);

  // Analyses, the public report and the gauges' figures (plan_publication.cc).
  absl::StatusOr<v1::CoverageAnalysis> AnalyzeCoverage(const PlanAudience& a,
                                                       const std::string& plan);
  absl::StatusOr<v1::ProgressAnalysis> AnalyzeProgress(const PlanAudience& a,
                                                       const std::string& plan);
  absl::StatusOr<v1::FundingAnalysis> AnalyzeFunding(const PlanAudience& a,
                                                     const std::string& plan);
  // Only ADOPTED or CLOSED plans; no internal notes, no contact data.
  absl::StatusOr<v1::PublicReport> GetPublicReport(const PlanAudience& a, const std::string& plan);

  // Progress publications (progress_publications.cc): dated snapshots of an ADOPTED or CLOSED
  // plan's public report with the progress narratives of a period. A draft's snapshot is
  // refreshed whenever it is edited and is seen as plan drafts are; :publish takes the final one,
  // hashes it and freezes it, and then everyone who may see the plan may read it.
  absl::StatusOr<v1::ProgressPublication> CreateProgressPublication(
      const AuditActor& actor, const v1::CreateProgressPublicationRequest& r);
  absl::StatusOr<v1::ProgressPublication> GetProgressPublication(const PlanAudience& a,
                                                                 const std::string& name);
  absl::StatusOr<v1::ListProgressPublicationsResponse> ListProgressPublications(
      const PlanAudience& a, const v1::ListProgressPublicationsRequest& r);
  absl::StatusOr<v1::ProgressPublication> UpdateProgressPublication(
      const AuditActor& actor, const v1::UpdateProgressPublicationRequest& r);
  absl::Status DeleteProgressPublication(const AuditActor& actor,
                                         const v1::DeleteProgressPublicationRequest& r);
  absl::StatusOr<v1::ProgressPublication> PublishProgressPublication(
      const AuditActor& actor, const v1::PublishProgressPublicationRequest& r);

  // Figures for the domain gauges (measures of ADOPTED plans).
  struct Figures {
    std::map<std::string, int64_t> measures_by_status;
    int64_t overdue_measures = 0;
    std::map<std::string, double> allocated_by_currency;
    std::map<std::string, double> spent_by_currency;
  };
  absl::StatusOr<Figures> CurrentFigures();

 private:
  struct PlanContents;
  absl::StatusOr<PlanContents> LoadContents(const PlanAudience& a, const std::string& plan_name);
  // Sets `p`'s snapshot (the public report of `plan`) and the narratives of its period.
  absl::Status TakeSnapshot(const std::string& plan, v1::ProgressPublication& p);

  Database& db_;
  const Clock& clock_;
};

}  // namespace thb::coordinator
