// Who may call each RPC of the coordinator. Deny by default: an RPC missing here is refused,
// and a unit test fails when the table does not cover the service exactly.
#pragma once

#include "services/common/policy.h"

namespace thb::coordinator {

const PolicyTable& CoordinatorPolicy();

}  // namespace thb::coordinator
