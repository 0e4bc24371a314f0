#include "services/common/update_mask.h"

#include <google/protobuf/util/field_mask_util.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace thb {

absl::StatusOr<google::protobuf::FieldMask> ResolveUpdateMask(
    const google::protobuf::FieldMask& requested, const UpdateMaskRules& rules,
    absl::string_view message) {
  auto contains = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  google::protobuf::FieldMask mask;
  if (requested.paths().empty()) {
    for (const auto& p : rules.writable) mask.add_paths(p);
    return mask;
  }
  FieldViolations v;
  for (const std::string& p : requested.paths()) {
    const std::string top = p.substr(0, p.find('.'));
    if (contains(rules.writable, top)) {
      mask.add_paths(p);
      continue;
    }
    auto immutable = std::find_if(rules.immutable.begin(), rules.immutable.end(),
                                  [&](const auto& entry) { return entry.first == top; });
    if (immutable != rules.immutable.end()) {
      v.Add("update_mask", immutable->second);
    } else if (!contains(rules.output_only, top)) {
      v.Add("update_mask", absl::StrCat("\"", p, "\" is not a writable field of ", message));
    }
  }
  if (!v.empty()) return v.ToStatus();
  return mask;
}

}  // namespace thb

namespace thb {

void ApplyUpdateMask(const google::protobuf::Message& patch,
                     const google::protobuf::FieldMask& mask, google::protobuf::Message* target) {
  google::protobuf::util::FieldMaskUtil::MergeOptions replace;
  replace.set_replace_message_fields(true);
  replace.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(patch, mask, replace, target);
}

}  // namespace thb
