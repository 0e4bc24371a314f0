// Who may call each RPC of the rapporteur. Deny by default; a unit test checks the table
// covers the service exactly. Independence: no coordinator or commission principal may change
// rapporteur data, except the addressee's response to a recommendation.
#pragma once

#include "services/common/policy.h"

namespace thb::rapporteur {

const PolicyTable& RapporteurPolicy();

}  // namespace thb::rapporteur
