// Statistics submissions: aggregate counts from reporting institutions, one version per
// resubmission of the same institution and period (earlier versions are kept). The suite
// stores no personal data about victims: only counts per category.
#pragma once

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/auth.h"
#include "services/common/clock.h"
#include "services/common/coordinator_client.h"
#include "services/common/storage.h"
#include "thb/rapporteur/v1/rapporteur.pb.h"

namespace thb::rapporteur {

class StatisticsLedger {
 public:
  StatisticsLedger(Database& db, const Clock& clock, CoordinatorClient& institutions)
      : db_(db), clock_(clock), institutions_(institutions) {}

  // Indexes the rows of submissions stored before rows were kept in their own table (schema
  // version 1). Run once at start-up; a no-op afterwards.
  absl::Status IndexStoredSubmissions();

  // Validates every row (known codes, non-negative counts, no duplicate categories, period not
  // in the future), attaches data-quality warnings, checks the reporting institution at the
  // coordinator, and stores the submission as the next version for its institution and period. A
  // reporting institution may submit only for itself; the Rapporteur's office for anyone.
  absl::StatusOr<v1::StatisticsSubmission> Create(
      const AuditActor& actor, const Principal& caller,
      const v1::CreateStatisticsSubmissionRequest& request);
  absl::StatusOr<v1::StatisticsSubmission> Get(const std::string& name);
  // Without rows; latest versions only unless include_superseded.
  absl::StatusOr<v1::ListStatisticsSubmissionsResponse> List(
      const v1::ListStatisticsSubmissionsRequest& request);

 private:
  Database& db_;
  const Clock& clock_;
  CoordinatorClient& institutions_;
};

}  // namespace thb::rapporteur
