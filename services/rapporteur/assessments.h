// Architecture assessments: the five checks of architecture_assessment.h run against what the
// coordinator and the commission hold today, and the result kept. Immutable once stored; listed
// newest first.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/audit_actor.h"
#include "services/common/clock.h"
#include "services/common/coordinator_client.h"
#include "services/common/storage.h"
#include "services/rapporteur/architecture_assessment.h"
#include "services/rapporteur/commission_reader.h"
#include "thb/rapporteur/v1/rapporteur.pb.h"

namespace thb::rapporteur {

class Assessments {
 public:
  Assessments(Database& db, const Clock& clock, CoordinatorClient& coordinator,
              CommissionReader& commission, std::string rapporteur_institution)
      : db_(db),
        clock_(clock),
        coordinator_(coordinator),
        commission_(commission),
        rapporteur_institution_(std::move(rapporteur_institution)) {}

  // Runs the five checks against live data and stores the result. An unreachable upstream makes
  // the criteria that need it UNKNOWN; the run itself still succeeds.
  absl::StatusOr<v1::Assessment> Run(const AuditActor& actor,
                                     const v1::RunAssessmentRequest& request);
  absl::StatusOr<v1::Assessment> Get(const std::string& name);
  // Newest first.
  absl::StatusOr<v1::ListAssessmentsResponse> List(const v1::ListAssessmentsRequest& request);

 private:
  // The facts the five checks judge, read from the coordinator and the commission now.
  absl::StatusOr<ArchitectureFacts> ReadFacts(const std::string& plan, absl::Time now);

  Database& db_;
  const Clock& clock_;
  CoordinatorClient& coordinator_;
  CommissionReader& commission_;
  const std::string rapporteur_institution_;
};

}  // namespace thb::rapporteur
