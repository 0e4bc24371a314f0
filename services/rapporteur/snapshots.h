// Evidence the Rapporteur reads from the other pillars and keeps: evaluations of a NAP (the
// coordinator's coverage, progress and funding as read on the day) and architecture
// assessments (see architecture_assessment.h). Both are immutable once stored.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/clock.h"
#include "services/common/institution_directory.h"
#include "services/common/storage.h"
#include "services/rapporteur/commission_reader.h"
#include "thb/rapporteur/v1/rapporteur.pb.h"

namespace thb::rapporteur {

namespace v1 = ::thb::rapporteur::v1;

class Evaluations {
 public:
  Evaluations(Database& db, const Clock& clock, CoordinatorReader& coordinator)
      : db_(db), clock_(clock), coordinator_(coordinator) {}

  // Reads the plan's analyses from the coordinator; UNAVAILABLE (nothing stored) when it
  // cannot, FAILED_PRECONDITION when the plan does not exist.
  absl::StatusOr<v1::Evaluation> Create(const AuditActor& actor,
                                        const v1::CreateEvaluationRequest& request);
  absl::StatusOr<v1::Evaluation> Get(const std::string& name);
  absl::StatusOr<v1::ListEvaluationsResponse> List(const v1::ListEvaluationsRequest& request);

 private:
  Database& db_;
  const Clock& clock_;
  CoordinatorReader& coordinator_;
};

class Assessments {
 public:
  Assessments(Database& db, const Clock& clock, CoordinatorReader& coordinator,
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
  Database& db_;
  const Clock& clock_;
  CoordinatorReader& coordinator_;
  CommissionReader& commission_;
  const std::string rapporteur_institution_;
};

}  // namespace thb::rapporteur
