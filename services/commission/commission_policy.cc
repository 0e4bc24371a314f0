#include "services/commission/commission_policy.h"

namespace thb::commission {

using namespace ::thb::roles;  // NOLINT: the table reads best with bare role names

const PolicyTable& CommissionPolicy() {
  // The secretariat administers; the Co-ordinator (who chairs) may too. Members read member-only
  // material and submit to consultations; the public reads the Commission, its composition,
  // and public minutes and decisions; the rapporteur service reads what its assessments need.
  static const auto* table = new PolicyTable{
      {"GetCommission", Public()},
      {"UpdateCommission", Roles({kCommissionSecretariat, kCoordinatorOffice})},
      {"CreateMember", Roles({kCommissionSecretariat})},
      {"GetMember", Public()},
      {"ListMembers", Public()},
      {"UpdateMember", Roles({kCommissionSecretariat})},
      {"DeleteMember", Roles({kCommissionSecretariat})},
      {"CreateBody", Roles({kCommissionSecretariat})},
      {"GetBody", Public()},
      {"ListBodies", Public()},
      {"UpdateBody", Roles({kCommissionSecretariat})},
      {"CreateStatusReport", Roles({kCommissionSecretariat, kCommissionMember})},
      {"ListStatusReports",
       Roles({kCommissionSecretariat, kCommissionMember, kCoordinatorOffice, kServiceRapporteur})},
      {"CreateMeeting", Roles({kCommissionSecretariat})},
      {"GetMeeting", Public()},  // the domain shows minutes only when public or to members
      {"ListMeetings", Public()},
      {"UpdateMeeting", Roles({kCommissionSecretariat})},
      {"RecordMeetingOutcome", Roles({kCommissionSecretariat})},
      {"CancelMeeting", Roles({kCommissionSecretariat})},
      {"CreateActionItem", Roles({kCommissionSecretariat})},
      {"GetActionItem",
       Roles({kCommissionSecretariat, kCommissionMember, kCoordinatorOffice, kServiceRapporteur})},
      {"ListActionItems",
       Roles({kCommissionSecretariat, kCommissionMember, kCoordinatorOffice, kServiceRapporteur})},
      {"UpdateActionItem", Roles({kCommissionSecretariat})},
      {"CreateConsultation", Roles({kCommissionSecretariat})},
      {"GetConsultation", Public()},
      {"ListConsultations", Public()},
      {"UpdateConsultation", Roles({kCommissionSecretariat})},
      // Civil-society and survivor-leader members only (their seat is checked in the domain).
      {"CreateSubmission", Roles({kCommissionMember, kCivilSociety})},
      // Public once answered; the members, civil society and the staff read them all
      // (Consultations::SeesUnanswered).
      {"GetSubmission", Public()},
      {"ListSubmissions", Public()},
      {"RespondToSubmission", Roles({kCommissionSecretariat})},
      {"AnalyzeCadence", Public()},
      {"AnalyzeParticipation", Public()},
      {"ListAuditEvents", Roles({kCommissionSecretariat, kRapporteurOffice})},
      {"VerifyAuditChain", Roles({kCommissionSecretariat, kRapporteurOffice})},
      {"ListChanges", Roles({kCommissionSecretariat, kServiceRapporteur})},
      {"WatchChanges", Roles({kCommissionSecretariat, kServiceRapporteur})},
  };
  return *table;
}

}  // namespace thb::commission
