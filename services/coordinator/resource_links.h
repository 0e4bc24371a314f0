// The links between the office's resources, kept in one index so that nothing a resource names
// disappears under it: an engagement's institutions, an obligation's lead institution, a
// recommendation's responsible institutions and measures, a policy document's owner and measures,
// a budget line's institution and target. Deleting an institution, a measure or a plan that some
// resource still names is FAILED_PRECONDITION (RESOURCE_REFERENCED). The resources of the plan
// itself (measures' lead and partner institutions) keep their own index, measure_institutions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/errors.h"
#include "services/common/storage.h"

namespace thb::coordinator {

// Adds a violation on `field` unless `name` is a registered institution (`require_active`: and
// an active one).
absl::Status CheckInstitutionReference(Transaction& tx, const std::string& name,
                                       const std::string& field, bool require_active,
                                       FieldViolations& v);

// Adds a violation on `field` unless `name` is a stored measure (plans/{plan}/measures/{id}) of an
// ADOPTED or CLOSED plan: the resources that link measures are read by callers who do not see
// plan drafts, so a draft's measures are never named in them.
absl::Status CheckMeasureReference(Transaction& tx, const std::string& name,
                                   const std::string& field, FieldViolations& v);

// Replaces the links of `source` with `targets` (duplicates and empty names ignored).
absl::Status SaveLinks(Transaction& tx, const std::string& source,
                       const std::vector<std::string>& targets);

// Removes every link of `source` (it is being deleted).
absl::Status DeleteLinks(Transaction& tx, const std::string& source);

// OK unless a resource links `target` or, with `under_prefix`, a name under it ("plans/p/...");
// then FAILED_PRECONDITION RESOURCE_REFERENCED naming the first such resource.
absl::Status RequireUnreferenced(Transaction& tx, const std::string& target,
                                 bool under_prefix = false);

}  // namespace thb::coordinator
