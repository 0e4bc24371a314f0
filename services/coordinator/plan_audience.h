// Which National Action Plans a caller may see, by the plan's state. (Fields within a plan, such
// as internal notes, have their audience declared in the contract; see services/common/viewer.h.)
#pragma once

#include "services/common/auth.h"
#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb::coordinator {

// The public sees ADOPTED and CLOSED plans; the Commission sees plans in consultation; the
// office and the services see drafts.
struct PlanAudience {
  bool drafts = false;
  bool consultation = false;

  static PlanAudience For(const Principal& principal);
  static PlanAudience Everything() { return {true, true}; }
  bool CanSee(v1::ActionPlan::State state) const;
};

}  // namespace thb::coordinator
