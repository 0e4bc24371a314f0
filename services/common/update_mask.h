// Update masks (AIP-134, AIP-203), read the same way by every Update RPC: an empty mask means
// every writable field; output-only fields named in a mask are ignored; immutable fields and
// unknown names are INVALID_ARGUMENT on "update_mask".
#pragma once

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace thb {

struct UpdateMaskRules {
  std::vector<std::string> writable;     // top-level fields a client may change
  std::vector<std::string> output_only;  // ignored when named
  std::vector<std::pair<std::string, std::string>> immutable;  // field, why it cannot change
};

// The paths to apply (nested paths under a writable field are kept as given).
absl::StatusOr<google::protobuf::FieldMask> ResolveUpdateMask(
    const google::protobuf::FieldMask& requested, const UpdateMaskRules& rules,
    absl::string_view message);

// Copies into `target` the fields `mask` names, from `patch`. A named field is replaced whole,
// as AIP-134 says: a repeated field takes the patch's list (not the two appended), a message
// field the patch's message (not the two merged, which would keep an old value wherever the
// new one is zero, e.g. the nanos of an amount).
void ApplyUpdateMask(const google::protobuf::Message& patch,
                     const google::protobuf::FieldMask& mask, google::protobuf::Message* target);

}  // namespace thb
