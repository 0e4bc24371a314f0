// Shapes of the ISO codes the contracts carry, checked the same way by every service.
#pragma once

#include <string>

namespace thb {

// ISO 3166-2 subdivision code shape, e.g. "AT-9", "XV-01".
bool IsRegionCode(const std::string& code);
// ISO 3166-1 alpha-3 code shape, e.g. "AUT".
bool IsCountryCode(const std::string& code);

}  // namespace thb
