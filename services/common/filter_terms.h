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

// The number of the value of `type` named by a filter term's `value` (as FilterEnumValue reads
// it); the _UNSPECIFIED value (0) is refused like an unknown one: INVALID_ARGUMENT on "filter"
// saying `value` is not a `what` ("pillar", "follow-up status").
absl::StatusOr<int> FilterEnumNumber(const google::protobuf::EnumDescriptor* type,
                                     const std::string& prefix, const std::string& value,
                                     absl::string_view what);

// INVALID_ARGUMENT on "filter" when `terms` compare one field twice: for a field with one value,
// `kind = A AND kind = B` matches nothing, which is never what was meant.
absl::Status RejectRepeatedFields(const std::vector<FilterTerm>& terms);

// `value` as a boolean filter value ("true" or "false"); INVALID_ARGUMENT on "filter" naming
// `field` otherwise.
absl::StatusOr<bool> FilterBool(const std::string& field, const std::string& value);

}  // namespace thb
