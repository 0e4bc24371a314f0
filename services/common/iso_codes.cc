#include "services/common/iso_codes.h"

#include <regex>

namespace thb {

bool IsRegionCode(const std::string& code) {
  static const std::regex re("^[A-Z]{2}-[A-Z0-9]{1,3}$");
  return std::regex_match(code, re);
}

bool IsCountryCode(const std::string& code) {
  static const std::regex re("^[A-Z]{3}$");
  return std::regex_match(code, re);
}

}  // namespace thb
