// The AIP-160 subset that list filters share: comparisons `field = value` or `field : value`
// (has) joined by " AND ", a value optionally in double quotes. Each list decides which fields
// and operators it accepts; errors are INVALID_ARGUMENT on the request field "filter".
#pragma once

#include <google/protobuf/descriptor.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace thb {

struct FilterTerm {
  std::string field;
  char op;            // '=' or ':'
  std::string value;  // quotes removed; may be empty
};

// The terms of `text`; none for a blank filter. `operators` are the comparison characters the
// list accepts (a term is cut at the first of them; a term with none is not a comparison).
absl::StatusOr<std::vector<FilterTerm>> SplitFilter(const std::string& text,
                                                    absl::string_view operators = "=:");

// The full name of the value of `type` written short ("PROTECTION") or in full
// ("PILLAR_PROTECTION"), any case.
absl::StatusOr<std::string> FilterEnumValue(const google::protobuf::EnumDescriptor* type,
                                            const std::string& prefix, const std::string& value);

}  // namespace thb
