// The fictional demo data set (demo/fictional-state.json) for end-to-end tests: its steps with
// relative dates resolved, ready to replay through the gateway.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "absl/time/civil_time.h"

namespace thb::testing {

// `value` with every {"daysFromToday": N} replaced by the google.type.Date of today + N.
nlohmann::json ResolveDates(const nlohmann::json& value, absl::CivilDay today);

// The demo document at `path` with its dates resolved against `today`.
nlohmann::json LoadDemoData(const std::string& path, absl::CivilDay today);

}  // namespace thb::testing
