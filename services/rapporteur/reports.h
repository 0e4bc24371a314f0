// Reports of the Rapporteur: DRAFT (editable, seen only by the Rapporteur's office) ->
// PUBLISHED (`:publish` freezes the content, assigns the version and the SHA-256 of the
// canonical content). A published report is never edited; a new report that names it in
// `supersedes` becomes the next version when published, and the old one turns SUPERSEDED.
//
// Canonical content, hashed with SHA-256 and given in hex:
//   "thb-report-v1\n" kind "\n" title "\n" year "\n" supersedes "\n" "\n" content
// where kind is the enum value name (e.g. KIND_ANNUAL), year is decimal (0 when unset), and every
// CR LF and lone CR in title and content is replaced by LF. Anyone can recompute it from the
// published fields.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/auth.h"
#include "services/common/clock.h"
#include "services/common/storage.h"
#include "thb/rapporteur/v1/rapporteur.pb.h"

namespace thb::rapporteur {

// The hex SHA-256 of the canonical content of `report` (see above).
std::string CanonicalReportSha256(const v1::Report& report);

class ReportShelf {
 public:
  ReportShelf(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  absl::StatusOr<v1::Report> Create(const AuditActor& actor,
                                    const v1::CreateReportRequest& request);
  // Drafts are NOT_FOUND for anyone but the Rapporteur's office.
  absl::StatusOr<v1::Report> Get(const Principal& caller, const std::string& name);
  absl::StatusOr<v1::ListReportsResponse> List(const Principal& caller,
                                               const v1::ListReportsRequest& request);
  absl::StatusOr<v1::Report> Update(const AuditActor& actor,
                                    const v1::UpdateReportRequest& request);
  absl::StatusOr<v1::Report> Publish(const AuditActor& actor,
                                     const v1::PublishReportRequest& request);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace thb::rapporteur
