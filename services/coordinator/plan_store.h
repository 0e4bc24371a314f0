// How a National Action Plan and the resources under it are stored: the names and tables of
// plans, objectives and measures (a child's row id is "<plan>/<child>"), a plan loaded as an
// audience may see it, the index of the institutions each measure names, and the revisions that
// record structural changes of an adopted plan. Shared by the files of ActionPlans.
#pragma once

#include <google/protobuf/message.h>

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/type/money.pb.h"
#include "services/common/auth.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/storage.h"
#include "services/common/versioned_rows.h"
#include "services/coordinator/plan_audience.h"
#include "services/coordinator/plan_lifecycle.h"
#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb::coordinator {

// ---- names -------------------------------------------------------------------------------

// The plan id of `name` (plans/{plan}); INVALID_ARGUMENT on `field` otherwise.
absl::StatusOr<std::string> PlanId(const std::string& name, const std::string& field);

// The ids {plan, child} of `name` (plans/{plan}/<collection>/{child}).
absl::StatusOr<std::vector<std::string>> ChildIds(const std::string& name, const char* collection,
                                                  const std::string& field);

std::string PlanName(const std::string& plan_id);

// The plan id in the name of a plan or of a resource under it ("nap" in plans/nap/measures/m1);
// for names already parsed.
std::string PlanIdOf(const std::string& name);

// The row id of a child resource: "<plan>/<child>".
std::string ChildKey(const std::vector<std::string>& ids);

// The row id of a resource under a plan, from its name (plans/p/measures/m -> "p/m");
// for names already parsed.
std::string RowIdOf(const std::string& name);

// ---- tables ------------------------------------------------------------------------------

const ResourceTable<v1::ActionPlan>& Plans();
const ResourceTable<v1::Objective>& Objectives();
const ResourceTable<v1::Measure>& Measures();
// Written once, never changed (no version, no etag); row id "<plan>/<measure>/<report>".
const ResourceTable<v1::ProgressReport>& ProgressReports();

// Plan `plan_id`; NOT_FOUND naming the plan.
absl::StatusOr<Versioned<v1::ActionPlan>> LoadPlan(Transaction& tx, const std::string& plan_id);

// Runs `read` in a read-only transaction of `db` with plan `plan_id` when `audience` may see the
// plan; NOT_FOUND otherwise, as for a plan that does not exist (its existence is not revealed).
absl::Status ReadVisiblePlan(
    Database& db, const PlanAudience& audience, const std::string& plan_id,
    absl::FunctionRef<absl::Status(Transaction& tx, const v1::ActionPlan& plan)> read);

// The resource `name` (plans/{plan}/<collections[1]>/{id}/...) stored in `table`, when
// `audience` may see its plan.
template <typename T>
absl::StatusOr<T> GetVisible(Database& db, const PlanAudience& audience,
                             const ResourceTable<T>& table,
                             const std::vector<std::string>& collections, const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids, ParseResourcePath(name, collections, "name"));
  T found;
  THB_RETURN_IF_ERROR(
      ReadVisiblePlan(db, audience, ids[0], [&](Transaction& tx, const v1::ActionPlan&) {
        absl::StatusOr<Versioned<T>> stored = table.Load(tx, ChildKey(ids), name);
        if (stored.ok()) found = std::move(stored->resource);
        return stored.status();
      }));
  return found;
}

// True when `amount` is a non-negative amount in the plan's `currency`, or unset (no currency,
// zero): the budget of a measure, the spending of a progress report.
bool IsAmountIn(const std::string& currency, const google::type::Money& amount);

// Rewrites the index of the institutions (lead and partners) measure `m` names, which the
// institution registry reads before it deletes an institution.
absl::Status SaveMeasureInstitutions(Transaction& tx, const v1::Measure& m);

// ---- structural changes ------------------------------------------------------------------

// True when `before` and `after` differ in a top-level field named in `fields`.
bool Differs(const google::protobuf::Message& before, const google::protobuf::Message& after,
             const std::vector<std::string>& fields);

// A structural change of a plan (an objective or measure created, changed or deleted).
struct StructuralEdit {
  const std::string& reason;    // the request's revision_reason
  const char* method;           // "CreateMeasure", ...
  const std::string& resource;  // the objective or measure
};

// Records `edit` as the next revision of `plan` when the plan is ADOPTED (the plan's revision,
// update time and etag move); otherwise does nothing.
absl::Status RecordRevision(Transaction& tx, Versioned<v1::ActionPlan>& plan,
                            const StructuralEdit& edit, const Principal& actor, absl::Time now);

// The plan of the stored child `ids` of `table`, for deleting the child: NOT_FOUND naming the
// plan, then the child `name`; ABORTED when `etag` is given and stale; then the structural-change
// rules of the plan's state with `revision_reason`.
template <typename T>
absl::StatusOr<Versioned<v1::ActionPlan>> LoadForStructuralDelete(
    Transaction& tx, const ResourceTable<T>& table, const std::vector<std::string>& ids,
    const std::string& name, const std::string& etag, const std::string& revision_reason) {
  THB_ASSIGN_OR_RETURN(Versioned<v1::ActionPlan> plan, LoadPlan(tx, ids[0]));
  THB_ASSIGN_OR_RETURN(Versioned<T> stored, table.Load(tx, ChildKey(ids), name));
  THB_RETURN_IF_ERROR(CheckEtag(etag, stored.resource.etag(), name));
  THB_RETURN_IF_ERROR(
      CheckStructuralChange(PlanName(ids[0]), plan.resource.state(), revision_reason));
  return plan;
}

}  // namespace thb::coordinator
