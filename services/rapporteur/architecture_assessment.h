// The architecture assessment: the OSCE brief's five recommendations on National Co-ordinators,
// checked against live data from the coordinator and the commission and against the
// rapporteur's own configuration. Each criterion is MET / PARTIALLY_MET / NOT_MET, or UNKNOWN
// with the reason when the data is missing or a service could not be reached (never a guess).
//
//  (1) High-level placement: the mandate's government level. Head-of-government office,
//      minister, deputy minister or state secretary: MET; senior official: PARTIALLY_MET; head of
//      unit or other: NOT_MET.
//  (2) Separate from the Rapporteur and chairing the Commission: the Rapporteur's institution
//      differs from the Co-ordinator's, and the Commission's chair institution is the
//      Co-ordinator's. Both: MET; one: PARTIALLY_MET; neither: NOT_MET.
//  (3) Comprehensive mandate: the mandate has every concrete form of exploitation in scope, and the
//  plan
//      (the one asked for, else the most recently adopted) has measures for every form in the
//      mandate. Both: MET; one: PARTIALLY_MET; neither: NOT_MET.
//  (4) Outside the criminal justice system: the sector of the Co-ordinator's institution is not
//      law enforcement, prosecution or the judiciary.
//  (5) Civil society and survivor leaders: a civil-society seat and a survivor-leader seat are
//      currently held, and the Commission has held at least one consultation. All three: MET;
//      some: PARTIALLY_MET; none: NOT_MET.
//  (6) The international role (the brief: "represent the country at bilateral and multi-lateral
//      fora"): the office recorded an engagement that took place in the last 365 days, and it
//      tracks reporting obligations to monitoring bodies of which none is overdue. Both: MET;
//      one: PARTIALLY_MET; neither: NOT_MET. No obligation recorded counts as not tracked.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "thb/commission/v1/commission.pb.h"
#include "thb/coordinator/v1/coordinator.pb.h"
#include "thb/rapporteur/v1/rapporteur.pb.h"

namespace thb::rapporteur {

// What the assessment reads; each item is the value or the error reading it.
struct ArchitectureFacts {
  absl::StatusOr<thb::coordinator::v1::Mandate> mandate = absl::UnknownError("not read");
  absl::StatusOr<thb::coordinator::v1::Institution> coordinator_institution =
      absl::UnknownError("not read");
  std::string plan;  // the plan whose coverage was read; empty when there is none
  absl::StatusOr<thb::coordinator::v1::CoverageAnalysis> coverage = absl::UnknownError("not read");
  absl::StatusOr<thb::commission::v1::Commission> commission = absl::UnknownError("not read");
  absl::StatusOr<std::vector<thb::commission::v1::Member>> members = absl::UnknownError("not read");
  absl::StatusOr<std::vector<thb::commission::v1::Consultation>> consultations =
      absl::UnknownError("not read");
  // Engagements that ended in the last 365 days, and the obligations calendar.
  absl::StatusOr<std::vector<thb::coordinator::v1::Engagement>> recent_engagements =
      absl::UnknownError("not read");
  absl::StatusOr<thb::coordinator::v1::ObligationsCalendar> obligations =
      absl::UnknownError("not read");
  absl::StatusOr<int> obligations_recorded = absl::UnknownError("not read");
  std::string rapporteur_institution;  // this service's configuration
  absl::CivilDay today;
};

std::vector<v1::CriterionResult> AssessArchitecture(const ArchitectureFacts& facts);

}  // namespace thb::rapporteur
