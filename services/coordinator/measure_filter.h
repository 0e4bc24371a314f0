// The AIP-160 subset that ListMeasures understands: comparisons joined by AND, on
//   pillar = PROTECTION            status = DELAYED        objective = "plans/p/objectives/o"
//   lead_institution = "institutions/x"    forms : FORCED_LABOUR (or forms = ...)
//   overdue = true
// Enum values may be written short (PROTECTION) or in full (PILLAR_PROTECTION).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb::coordinator {

class MeasureFilter {
 public:
  // INVALID_ARGUMENT on field "filter" for anything outside the subset.
  static absl::StatusOr<MeasureFilter> Parse(const std::string& text);
  bool Matches(const thb::coordinator::v1::Measure& m, absl::CivilDay today) const;

 private:
  struct Term {
    std::string field;
    std::string value;  // normalised: full enum name, resource name, "true"/"false"
  };
  std::vector<Term> terms_;
};

}  // namespace thb::coordinator
