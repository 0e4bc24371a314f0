// An in-memory stand-in for the coordinator's registry, for domain tests of the services that
// check institutions. `SetUnavailable` simulates the coordinator being down.
#pragma once

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "services/common/institution_directory.h"

namespace thb::testing {

class FakeInstitutionDirectory : public InstitutionDirectory {
 public:
  void Add(const std::string& name, bool active = true) {
    thb::coordinator::v1::Institution inst;
    inst.set_name(name);
    inst.set_state(active ? thb::coordinator::v1::Institution::STATE_ACTIVE
                          : thb::coordinator::v1::Institution::STATE_ARCHIVED);
    institutions_[name] = inst;
  }
  void SetUnavailable(bool down) { down_ = down; }
  int calls() const { return calls_; }

  absl::StatusOr<thb::coordinator::v1::Institution> GetInstitution(
      const std::string& name) override {
    ++calls_;
    if (down_) return absl::UnavailableError("the coordinator is unreachable");
    auto it = institutions_.find(name);
    if (it == institutions_.end()) return absl::NotFoundError(absl::StrCat(name, " not found"));
    return it->second;
  }

 private:
  absl::flat_hash_map<std::string, thb::coordinator::v1::Institution> institutions_;
  bool down_ = false;
  int calls_ = 0;
};

}  // namespace thb::testing
