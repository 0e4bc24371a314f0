#include "services/coordinator/plan_audience.h"

namespace thb::coordinator {

PlanAudience PlanAudience::For(const Principal& p) {
  PlanAudience a;
  const bool office = p.HasRole(roles::kCoordinatorOffice);
  const bool service = p.HasRole(roles::kServiceCommission) ||
                       p.HasRole(roles::kServiceRapporteur) ||
                       p.HasRole(roles::kServiceCoordinator);
  a.drafts = office || service || p.HasRole(roles::kCommissionSecretariat);
  a.consultation =
      a.drafts || p.HasRole(roles::kCommissionMember) || p.HasRole(roles::kCivilSociety);
  return a;
}

bool PlanAudience::CanSee(v1::ActionPlan::State state) const {
  switch (state) {
    case v1::ActionPlan::STATE_ADOPTED:
    case v1::ActionPlan::STATE_CLOSED:
      return true;
    case v1::ActionPlan::STATE_IN_CONSULTATION:
      return consultation;
    default:
      return drafts;
  }
}

}  // namespace thb::coordinator
