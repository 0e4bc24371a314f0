// The lifecycle of a National Action Plan: DRAFT -> IN_CONSULTATION -> ADOPTED -> CLOSED, and
// what each state allows. Pure functions, so the table is tested on its own.
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb::coordinator {

enum class PlanTransition { kSubmitForConsultation, kAdopt, kClose };

// The state after `transition`, or FAILED_PRECONDITION naming the current state and the states
// the transition needs.
absl::StatusOr<v1::ActionPlan::State> NextPlanState(absl::string_view plan_name,
                                                    v1::ActionPlan::State current,
                                                    PlanTransition transition);

// How a change to a plan's structure (objectives; measures' objective, pillar, forms, lead,
// partners, dates, weight, indicators, allocation) is treated in `state`.
enum class StructuralChange { kFree, kNeedsRevision, kForbidden };
StructuralChange StructuralChangeIn(v1::ActionPlan::State state);

// OK when a structural change may go ahead in `state` with `revision_reason`; otherwise
// FAILED_PRECONDITION (closed plan) or INVALID_ARGUMENT on revision_reason (adopted plan).
absl::Status CheckStructuralChange(absl::string_view plan_name, v1::ActionPlan::State state,
                                   absl::string_view revision_reason);

// Progress is reported only on an ADOPTED plan.
absl::Status CheckProgressReporting(absl::string_view plan_name, v1::ActionPlan::State state);

// A short state name for messages: "DRAFT", "ADOPTED", ...
std::string PlanStateName(v1::ActionPlan::State state);

}  // namespace thb::coordinator
