// The State's reporting obligations towards international and regional monitoring bodies: each
// obligation has a cycle and a next due date; each reporting cycle records the report drafted for
// one due date and its submission (date, document link, drafting institutions), which moves the
// obligation's next due date on by its cycle. The calendar lists what is due and overdue, and the
// coordinator's gauge counts the overdue obligations. Everyone may read them.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/common/audit_actor.h"
#include "services/common/clock.h"
#include "services/common/storage.h"
#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb::coordinator {

// `day` plus `months` calendar months, the day of the month clamped to the month's last day
// (31 January + 1 month = 28 or 29 February).
absl::CivilDay AddMonths(absl::CivilDay day, int months);

// ACTIVE and its next due date is before `today`.
bool IsOverdue(const v1::ReportingObligation& o, absl::CivilDay today);

class ReportingObligations {
 public:
  ReportingObligations(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  absl::StatusOr<v1::ReportingObligation> Create(
      const AuditActor& actor, const v1::CreateReportingObligationRequest& request);
  absl::StatusOr<v1::ReportingObligation> Get(const std::string& name);
  // filter: `state`, `body_kind`, `monitoring_body`, `overdue` (AIP-160 subset, AND).
  absl::StatusOr<v1::ListReportingObligationsResponse> List(
      const v1::ListReportingObligationsRequest& request);
  absl::StatusOr<v1::ReportingObligation> Update(
      const AuditActor& actor, const v1::UpdateReportingObligationRequest& request);
  // Only an obligation without cycles that nothing names.
  absl::Status Delete(const AuditActor& actor, const v1::DeleteReportingObligationRequest& request);

  // A cycle of an ACTIVE obligation that has no OPEN cycle; due on the obligation's next due date
  // unless it says otherwise.
  absl::StatusOr<v1::ReportingCycle> CreateCycle(const AuditActor& actor,
                                                 const v1::CreateReportingCycleRequest& request);
  absl::StatusOr<v1::ReportingCycle> GetCycle(const std::string& name);
  absl::StatusOr<v1::ListReportingCyclesResponse> ListCycles(
      const v1::ListReportingCyclesRequest& request);
  absl::StatusOr<v1::ReportingCycle> UpdateCycle(const AuditActor& actor,
                                                 const v1::UpdateReportingCycleRequest& request);
  // OPEN -> SUBMITTED; in the same transaction the obligation's next due date becomes the cycle's
  // due date plus the obligation's cycle (when that is later), or a one-off obligation ends.
  absl::StatusOr<v1::ReportingCycle> SubmitCycle(const AuditActor& actor,
                                                 const v1::SubmitReportingCycleRequest& request);

  absl::StatusOr<v1::ObligationsCalendar> Calendar(
      const v1::GetObligationsCalendarRequest& request);
  // ACTIVE obligations past their due date (the gauge thb_obligations_overdue).
  absl::StatusOr<int64_t> CountOverdue();

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace thb::coordinator
