#include "services/rapporteur/rapporteur_policy.h"

namespace thb::rapporteur {

using namespace ::thb::roles;  // NOLINT: the table reads best with bare role names

const PolicyTable& RapporteurPolicy() {
  static const auto* table = new PolicyTable{
      // Reporting institutions submit their own counts (checked in the domain).
      {"CreateStatisticsSubmission", Roles({kReportingInstitution, kRapporteurOffice})},
      {"GetStatisticsSubmission",
       Roles({kReportingInstitution, kRapporteurOffice, kRapporteurAnalyst})},
      {"ListStatisticsSubmissions",
       Roles({kReportingInstitution, kRapporteurOffice, kRapporteurAnalyst})},
      // Public, with disclosure control for every caller without the analyst role.
      {"QueryStatistics", Public()},
      {"ExportStatistics", Public()},
      {"CreatePopulationTable", Roles({kRapporteurOffice, kRapporteurAnalyst})},
      {"ListPopulationTables", Public()},
      {"CreateRecommendation", Roles({kRapporteurOffice})},
      {"GetRecommendation", Public()},
      {"ListRecommendations", Public()},
      {"UpdateRecommendation", Roles({kRapporteurOffice})},
      // Only the addressee (checked in the domain against the recommendation).
      {"RespondToRecommendation",
       Roles({kCoordinatorOffice, kCommissionSecretariat, kReportingInstitution})},
      {"AssessRecommendationFollowUp", Roles({kRapporteurOffice})},
      {"CreateReport", Roles({kRapporteurOffice})},
      {"GetReport", Public()},  // drafts only for the Rapporteur's office (domain)
      {"ListReports", Public()},
      {"UpdateReport", Roles({kRapporteurOffice})},
      {"PublishReport", Roles({kRapporteurOffice})},
      {"CreateEvaluation", Roles({kRapporteurOffice, kRapporteurAnalyst})},
      {"GetEvaluation", Public()},
      {"ListEvaluations", Public()},
      {"RunAssessment", Roles({kRapporteurOffice, kRapporteurAnalyst})},
      {"GetAssessment", Public()},
      {"ListAssessments", Public()},
      {"ListAuditEvents", Roles({kRapporteurOffice})},
      {"VerifyAuditChain", Roles({kRapporteurOffice})},
      {"ListChanges", Roles({kRapporteurOffice})},
      {"WatchChanges", Roles({kRapporteurOffice})},
  };
  return *table;
}

}  // namespace thb::rapporteur
