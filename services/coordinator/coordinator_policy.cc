#include "services/coordinator/coordinator_policy.h"

namespace thb::coordinator {

using namespace ::thb::roles;  // NOLINT: the table reads best with bare role names

const PolicyTable& CoordinatorPolicy() {
  // The Co-ordinator's office administers the registry, mandate and plans. The other pillars'
  // services read what they need; the public reads the registry and what is published.
  static const auto* table = new PolicyTable{
      {"CreateInstitution", Roles({kCoordinatorOffice})},
      {"GetInstitution", Public()},
      {"ListInstitutions", Public()},
      {"UpdateInstitution", Roles({kCoordinatorOffice})},
      {"ArchiveInstitution", Roles({kCoordinatorOffice})},
      {"DeleteInstitution", Roles({kCoordinatorOffice})},
      {"GetMandate", Public()},
      {"UpdateMandate", Roles({kCoordinatorOffice})},
      {"CreatePlan", Roles({kCoordinatorOffice})},
      {"GetPlan", Public()},  // the domain hides DRAFT plans from callers without a role
      {"ListPlans", Public()},
      {"UpdatePlan", Roles({kCoordinatorOffice})},
      {"DeletePlan", Roles({kCoordinatorOffice})},
      {"SubmitPlanForConsultation", Roles({kCoordinatorOffice})},
      {"AdoptPlan", Roles({kCoordinatorOffice})},
      {"ClosePlan", Roles({kCoordinatorOffice})},
      {"ListPlanRevisions", Public()},
      {"CreateObjective", Roles({kCoordinatorOffice})},
      {"GetObjective", Public()},
      {"ListObjectives", Public()},
      {"UpdateObjective", Roles({kCoordinatorOffice})},
      {"DeleteObjective", Roles({kCoordinatorOffice})},
      {"CreateMeasure", Roles({kCoordinatorOffice})},
      {"GetMeasure", Public()},
      {"ListMeasures", Public()},
      {"UpdateMeasure", Roles({kCoordinatorOffice})},
      {"DeleteMeasure", Roles({kCoordinatorOffice})},
      // A lead institution reports on its own measures only (checked in the domain).
      {"CreateProgressReport", Roles({kCoordinatorOffice, kReportingInstitution})},
      {"GetProgressReport", Roles({kCoordinatorOffice, kReportingInstitution, kRapporteurOffice,
                                   kRapporteurAnalyst, kServiceRapporteur, kServiceCommission})},
      {"ListProgressReports", Roles({kCoordinatorOffice, kReportingInstitution, kRapporteurOffice,
                                     kRapporteurAnalyst, kServiceRapporteur, kServiceCommission})},
      {"AnalyzeCoverage", Roles({kCoordinatorOffice, kCommissionSecretariat, kRapporteurOffice,
                                 kRapporteurAnalyst, kServiceRapporteur, kServiceCommission})},
      {"AnalyzeProgress", Roles({kCoordinatorOffice, kCommissionSecretariat, kRapporteurOffice,
                                 kRapporteurAnalyst, kServiceRapporteur, kServiceCommission})},
      {"AnalyzeFunding", Roles({kCoordinatorOffice, kCommissionSecretariat, kRapporteurOffice,
                                kRapporteurAnalyst, kServiceRapporteur, kServiceCommission})},
      {"GetPublicReport", Public()},
      // Drafts of a publication are seen as plan drafts are (checked in the domain).
      {"CreateProgressPublication", Roles({kCoordinatorOffice})},
      {"GetProgressPublication", Public()},
      {"ListProgressPublications", Public()},
      {"UpdateProgressPublication", Roles({kCoordinatorOffice})},
      {"DeleteProgressPublication", Roles({kCoordinatorOffice})},
      {"PublishProgressPublication", Roles({kCoordinatorOffice})},
      // The international role: public record, kept by the office.
      {"CreateEngagement", Roles({kCoordinatorOffice})},
      {"GetEngagement", Public()},
      {"ListEngagements", Public()},
      {"UpdateEngagement", Roles({kCoordinatorOffice})},
      {"DeleteEngagement", Roles({kCoordinatorOffice})},
      {"CreateReportingObligation", Roles({kCoordinatorOffice})},
      {"GetReportingObligation", Public()},
      {"ListReportingObligations", Public()},
      {"UpdateReportingObligation", Roles({kCoordinatorOffice})},
      {"DeleteReportingObligation", Roles({kCoordinatorOffice})},
      {"CreateReportingCycle", Roles({kCoordinatorOffice})},
      {"GetReportingCycle", Public()},
      {"ListReportingCycles", Public()},
      {"UpdateReportingCycle", Roles({kCoordinatorOffice})},
      {"SubmitReportingCycle", Roles({kCoordinatorOffice})},
      {"GetObligationsCalendar", Public()},
      // The draft is the office's working text.
      {"DraftObligationReport", Roles({kCoordinatorOffice})},
      {"CreateExternalRecommendation", Roles({kCoordinatorOffice})},
      {"GetExternalRecommendation", Public()},
      {"ListExternalRecommendations", Public()},
      {"UpdateExternalRecommendation", Roles({kCoordinatorOffice})},
      {"DeleteExternalRecommendation", Roles({kCoordinatorOffice})},
      // A responsible institution answers for its own recommendations (checked in the domain).
      {"RespondToExternalRecommendation", Roles({kCoordinatorOffice, kReportingInstitution})},
      {"SummarizeExternalRecommendations", Public()},
      // Policy documents: drafts hidden from the public as for plans (checked in the domain).
      {"CreatePolicyDocument", Roles({kCoordinatorOffice})},
      {"GetPolicyDocument", Public()},
      {"ListPolicyDocuments", Public()},
      {"UpdatePolicyDocument", Roles({kCoordinatorOffice})},
      {"DeletePolicyDocument", Roles({kCoordinatorOffice})},
      {"SubmitPolicyDocumentForConsultation", Roles({kCoordinatorOffice})},
      {"AdoptPolicyDocument", Roles({kCoordinatorOffice})},
      {"SupersedePolicyDocument", Roles({kCoordinatorOffice})},
      // Budget lines: the readers of a plan's funding analysis.
      {"CreateBudgetLine", Roles({kCoordinatorOffice})},
      {"GetBudgetLine", Roles({kCoordinatorOffice, kCommissionSecretariat, kRapporteurOffice,
                               kRapporteurAnalyst, kServiceRapporteur, kServiceCommission})},
      {"ListBudgetLines", Roles({kCoordinatorOffice, kCommissionSecretariat, kRapporteurOffice,
                                 kRapporteurAnalyst, kServiceRapporteur, kServiceCommission})},
      {"UpdateBudgetLine", Roles({kCoordinatorOffice})},
      {"DeleteBudgetLine", Roles({kCoordinatorOffice})},
      {"SummarizeBudgetLines", Roles({kCoordinatorOffice, kCommissionSecretariat, kRapporteurOffice,
                                      kRapporteurAnalyst, kServiceRapporteur, kServiceCommission})},
      {"ListAuditEvents", Roles({kCoordinatorOffice, kRapporteurOffice})},
      {"VerifyAuditChain", Roles({kCoordinatorOffice, kRapporteurOffice})},
      {"ListChanges", Roles({kCoordinatorOffice, kServiceCommission, kServiceRapporteur})},
      {"WatchChanges", Roles({kCoordinatorOffice, kServiceCommission, kServiceRapporteur})},
  };
  return *table;
}

}  // namespace thb::coordinator
