#include "services/coordinator/resource_links.h"

#include "absl/container/btree_set.h"
#include "absl/strings/str_cat.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/coordinator/institution_registry.h"
#include "services/coordinator/plan_store.h"

namespace thb::coordinator {

absl::Status CheckInstitutionReference(Transaction& tx, const std::string& name,
                                       const std::string& field, bool require_active,
                                       FieldViolations& v) {
  if (!ParseResourceName(name, "institutions", field).ok()) {
    v.Add(field, "must be a resource name institutions/{id}");
    return absl::OkStatus();
  }
  THB_ASSIGN_OR_RETURN(std::optional<v1::Institution> institution, FindInstitution(tx, name));
  if (!institution.has_value()) {
    v.Add(field, absl::StrCat(name, " is not registered"));
  } else if (require_active && institution->state() != v1::Institution::STATE_ACTIVE) {
    v.Add(field, absl::StrCat(name, " is archived"));
  }
  return absl::OkStatus();
}

absl::Status CheckMeasureReference(Transaction& tx, const std::string& name,
                                   const std::string& field, FieldViolations& v) {
  absl::StatusOr<std::vector<std::string>> ids =
      ParseResourcePath(name, {"plans", "measures"}, field);
  if (!ids.ok()) {
    v.Add(field, "must be a measure name plans/{plan}/measures/{measure}");
    return absl::OkStatus();
  }
  THB_ASSIGN_OR_RETURN(std::vector<Row> rows,
                       tx.Query("SELECT p.state FROM measures m JOIN plans p ON p.id = m.plan "
                                "WHERE m.id = $1",
                                {ChildKey(*ids)}));
  if (rows.empty()) {
    v.Add(field, absl::StrCat(name, " does not exist"));
  } else if (rows[0].Int(0) != v1::ActionPlan::STATE_ADOPTED &&
             rows[0].Int(0) != v1::ActionPlan::STATE_CLOSED) {
    // What links a measure is read by people who do not see plan drafts.
    v.Add(field, absl::StrCat(name,
                              " belongs to a plan that is not adopted; link measures of "
                              "adopted or closed plans"));
  }
  return absl::OkStatus();
}

absl::Status SaveLinks(Transaction& tx, const std::string& source,
                       const std::vector<std::string>& targets) {
  THB_RETURN_IF_ERROR(DeleteLinks(tx, source));
  absl::btree_set<std::string> unique;
  for (const std::string& t : targets) {
    if (!t.empty()) unique.insert(t);
  }
  for (const std::string& t : unique) {
    THB_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO resource_links (source, target) VALUES ($1, $2)", {source, t})
            .status());
  }
  return absl::OkStatus();
}

absl::Status DeleteLinks(Transaction& tx, const std::string& source) {
  return tx.Execute("DELETE FROM resource_links WHERE source = $1", {source}).status();
}

absl::Status RequireUnreferenced(Transaction& tx, const std::string& target, bool under_prefix) {
  THB_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query("SELECT source, target FROM resource_links WHERE target = $1 OR ($2 = 1 AND "
               "substr(target, 1, length(CAST($3 AS TEXT))) = CAST($3 AS TEXT)) "
               "ORDER BY source LIMIT 1",
               {target, int64_t{under_prefix ? 1 : 0}, target + "/"}));
  if (rows.empty()) return absl::OkStatus();
  return PreconditionFailed(
      type::v1::ERROR_REASON_RESOURCE_REFERENCED, type::v1::PRECONDITION_TYPE_IN_USE, target,
      absl::StrCat(rows[0].Text(0), " names ", rows[0].Text(1), "; change it first"));
}

}  // namespace thb::coordinator
