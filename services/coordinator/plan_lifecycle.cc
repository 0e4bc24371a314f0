#include "services/coordinator/plan_lifecycle.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/errors.h"

namespace thb::coordinator {

using State = v1::ActionPlan::State;

std::string PlanStateName(State state) {
  return std::string(absl::StripPrefix(v1::ActionPlan::State_Name(state), "STATE_"));
}

absl::StatusOr<State> NextPlanState(absl::string_view plan_name, State current,
                                    PlanTransition transition) {
  const char* verb = "";
  const char* needs = "";
  switch (transition) {
    case PlanTransition::kSubmitForConsultation:
      if (current == v1::ActionPlan::STATE_DRAFT) return v1::ActionPlan::STATE_IN_CONSULTATION;
      verb = ":submitForConsultation";
      needs = "DRAFT";
      break;
    case PlanTransition::kAdopt:
      if (current == v1::ActionPlan::STATE_DRAFT ||
          current == v1::ActionPlan::STATE_IN_CONSULTATION) {
        return v1::ActionPlan::STATE_ADOPTED;
      }
      verb = ":adopt";
      needs = "DRAFT or IN_CONSULTATION";
      break;
    case PlanTransition::kClose:
      if (current == v1::ActionPlan::STATE_ADOPTED) return v1::ActionPlan::STATE_CLOSED;
      verb = ":close";
      needs = "ADOPTED";
      break;
  }
  return PreconditionFailed(type::v1::ERROR_REASON_PLAN_TRANSITION_NOT_ALLOWED,
                            type::v1::PRECONDITION_TYPE_STATE, std::string(plan_name),
                            absl::StrCat("plan ", plan_name, " is ", PlanStateName(current), "; ",
                                         verb, " needs a plan that is ", needs));
}

StructuralChange StructuralChangeIn(State state) {
  switch (state) {
    case v1::ActionPlan::STATE_DRAFT:
    case v1::ActionPlan::STATE_IN_CONSULTATION:
      return StructuralChange::kFree;
    case v1::ActionPlan::STATE_ADOPTED:
      return StructuralChange::kNeedsRevision;
    default:
      return StructuralChange::kForbidden;
  }
}

absl::Status CheckStructuralChange(absl::string_view plan_name, State state,
                                   absl::string_view revision_reason) {
  switch (StructuralChangeIn(state)) {
    case StructuralChange::kFree:
      return absl::OkStatus();
    case StructuralChange::kNeedsRevision:
      if (!revision_reason.empty()) return absl::OkStatus();
      return InvalidField("revision_reason",
                          absl::StrCat("plan ", plan_name,
                                       " is ADOPTED: a structural change needs a recorded "
                                       "revision, so give the reason"));
    case StructuralChange::kForbidden:
      break;
  }
  return PreconditionFailed(
      type::v1::ERROR_REASON_PLAN_FROZEN, type::v1::PRECONDITION_TYPE_STATE, std::string(plan_name),
      absl::StrCat("plan ", plan_name, " is ", PlanStateName(state), " and can no longer change"));
}

absl::Status CheckProgressReporting(absl::string_view plan_name, State state) {
  if (state == v1::ActionPlan::STATE_ADOPTED) return absl::OkStatus();
  return PreconditionFailed(type::v1::ERROR_REASON_PLAN_NOT_ADOPTED,
                            type::v1::PRECONDITION_TYPE_STATE, std::string(plan_name),
                            absl::StrCat("plan ", plan_name, " is ", PlanStateName(state),
                                         "; progress is reported on ADOPTED plans"));
}

}  // namespace thb::coordinator
