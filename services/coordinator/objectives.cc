// ActionPlans: the objectives of a plan. Creating or deleting one, or changing its pillar, is a
// structural change (a revision of an adopted plan).

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/resources.h"
#include "services/common/update_mask.h"
#include "services/coordinator/action_plans.h"
#include "services/coordinator/plan_store.h"

namespace thb::coordinator {
namespace {

const std::vector<std::string> kObjectiveWritable = {"title", "description", "pillar"};
const std::vector<std::string> kObjectiveOutputOnly = {"name", "create_time", "update_time",
                                                       "etag"};

void ValidateObjective(const v1::Objective& o, FieldViolations& v) {
  if (o.title().empty()) v.Add("objective.title", "is required");
  if (o.pillar() == thb::type::v1::PILLAR_UNSPECIFIED ||
      !thb::type::v1::Pillar_IsValid(o.pillar())) {
    v.Add("objective.pillar", "must be one of the Pillar values");
  }
}

}  // namespace

absl::StatusOr<v1::Objective> ActionPlans::CreateObjective(const AuditActor& actor,
                                                           const Principal& caller,
                                                           const v1::CreateObjectiveRequest& r) {
  THB_ASSIGN_OR_RETURN(std::string plan_id, PlanId(r.parent(), "parent"));
  FieldViolations v;
  ValidateObjective(r.objective(), v);
  if (!r.objective_id().empty() && !IsValidResourceId(r.objective_id())) {
    v.Add("objective_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  return RunMutation<v1::Objective>(
      db_, {actor, "CreateObjective", r.request_id()},
      [&](Transaction& tx, v1::Objective& result) -> absl::Status {
        THB_ASSIGN_OR_RETURN(Versioned<v1::ActionPlan> plan, LoadPlan(tx, plan_id));
        THB_RETURN_IF_ERROR(
            CheckStructuralChange(r.parent(), plan.resource.state(), r.revision_reason()));
        const std::string id = r.objective_id().empty() ? NewResourceId() : r.objective_id();
        result = r.objective();
        result.set_name(absl::StrCat(r.parent(), "/objectives/", id));
        const absl::Time now = clock_.Now();
        *result.mutable_create_time() = ToProtoTimestamp(now);
        *result.mutable_update_time() = ToProtoTimestamp(now);
        THB_RETURN_IF_ERROR(Objectives().Insert(tx, ChildKey({plan_id, id}), result));
        return RecordRevision(tx, plan, {r.revision_reason(), "CreateObjective", result.name()},
                              caller, now);
      });
}

absl::StatusOr<v1::Objective> ActionPlans::GetObjective(const PlanAudience& a,
                                                        const std::string& name) {
  return GetVisible(db_, a, Objectives(), {"plans", "objectives"}, name);
}

absl::StatusOr<v1::ListObjectivesResponse> ActionPlans::ListObjectives(
    const PlanAudience& a, const v1::ListObjectivesRequest& r) {
  THB_ASSIGN_OR_RETURN(std::string plan_id, PlanId(r.parent(), "parent"));
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(r));
  v1::ListObjectivesResponse out;
  THB_RETURN_IF_ERROR(ReadVisiblePlan(db_, a, plan_id, [&](Transaction& tx, const v1::ActionPlan&) {
    return ListById(tx, {Objectives().table(), "plan = $1", {plan_id}}, page,
                    out.mutable_objectives(), out.mutable_next_page_token());
  }));
  return out;
}

absl::StatusOr<v1::Objective> ActionPlans::UpdateObjective(const AuditActor& actor,
                                                           const Principal& caller,
                                                           const v1::UpdateObjectiveRequest& r) {
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                       ChildIds(r.objective().name(), "objectives", "objective.name"));
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(r.update_mask(), {kObjectiveWritable, kObjectiveOutputOnly, {}},
                        "Objective"));
  const absl::Time now = clock_.Now();
  return RunMutation<v1::Objective>(
      db_, {actor, "UpdateObjective", r.request_id()},
      [&](Transaction& tx, v1::Objective& result) -> absl::Status {
        THB_ASSIGN_OR_RETURN(Versioned<v1::ActionPlan> plan, LoadPlan(tx, ids[0]));
        bool structural = false;
        THB_RETURN_IF_ERROR(ChangeStored<v1::Objective>(
            tx, Objectives(), {ChildKey(ids), r.objective().name(), r.objective().etag()}, now,
            [&](Transaction&, v1::Objective& objective) -> absl::Status {
              const thb::type::v1::Pillar before = objective.pillar();
              ApplyUpdateMask(r.objective(), mask, &objective);
              FieldViolations v;
              ValidateObjective(objective, v);
              THB_RETURN_IF_ERROR(v.ToStatus());
              structural = objective.pillar() != before;
              return CheckStructuralChange(
                  PlanName(ids[0]), plan.resource.state(),
                  structural ? absl::string_view(r.revision_reason()) : "cosmetic");
            },
            result));
        if (!structural) return absl::OkStatus();
        return RecordRevision(tx, plan, {r.revision_reason(), "UpdateObjective", result.name()},
                              caller, now);
      });
}

absl::Status ActionPlans::DeleteObjective(const AuditActor& actor, const Principal& caller,
                                          const v1::DeleteObjectiveRequest& r) {
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids, ChildIds(r.name(), "objectives", "name"));
  return RunMutation(
      db_, {actor, "DeleteObjective", r.request_id(), r.name()},
      [&](Transaction& tx) -> absl::Status {
        THB_ASSIGN_OR_RETURN(Versioned<v1::ActionPlan> plan,
                             LoadForStructuralDelete(tx, Objectives(), ids, r.name(), r.etag(),
                                                     r.revision_reason()));
        THB_ASSIGN_OR_RETURN(
            std::vector<Row> used,
            tx.Query("SELECT id FROM measures WHERE objective = $1 LIMIT 1", {r.name()}));
        if (!used.empty()) {
          return PreconditionFailed(
              type::v1::ERROR_REASON_OBJECTIVE_HAS_MEASURES, type::v1::PRECONDITION_TYPE_IN_USE,
              r.name(),
              absl::StrCat("objective ", r.name(), " still has measures (e.g. plans/",
                           used[0].Text(0), "); move or delete them first"));
        }
        THB_RETURN_IF_ERROR(tx.Execute("DELETE FROM objectives WHERE id = $1", {ChildKey(ids)}));
        return RecordRevision(tx, plan, {r.revision_reason(), "DeleteObjective", r.name()}, caller,
                              clock_.Now());
      });
}

}  // namespace thb::coordinator
