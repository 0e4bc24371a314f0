// Facts about the shared vocabulary (thb.type.v1) that more than one pillar relies on.
#pragma once

#include <vector>

#include "thb/type/v1/vocabulary.pb.h"

namespace thb {

// The concrete forms of exploitation a comprehensive mandate covers (MIXED and OTHER are
// statistical categories, not forms a plan can be missing).
const std::vector<thb::type::v1::FormOfExploitation>& ConcreteForms();

}  // namespace thb
