// Who may call each RPC of the commission. Deny by default; a unit test checks the table
// covers the service exactly.
#pragma once

#include "services/common/policy.h"

namespace thb::commission {

const PolicyTable& CommissionPolicy();

}  // namespace thb::commission
