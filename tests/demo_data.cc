#include "tests/demo_data.h"

#include <fstream>

namespace thb::testing {

nlohmann::json ResolveDates(const nlohmann::json& value, absl::CivilDay today) {
  if (value.is_object()) {
    if (value.size() == 1 && value.contains("daysFromToday")) {
      const absl::CivilDay d = today + value["daysFromToday"].get<int>();
      return {{"year", d.year()}, {"month", d.month()}, {"day", d.day()}};
    }
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : value.items()) out[k] = ResolveDates(v, today);
    return out;
  }
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : value) out.push_back(ResolveDates(v, today));
    return out;
  }
  return value;
}

nlohmann::json LoadDemoData(const std::string& path, absl::CivilDay today) {
  std::ifstream in(path);
  return ResolveDates(nlohmann::json::parse(in), today);
}

}  // namespace thb::testing
