// The SHA-256 that freezes a progress publication: the recipe of published_content.h over the
// fields the contract lists (thb.coordinator.v1.ProgressPublication), so anyone can recompute it
// from a published one.
#pragma once

#include <string>

#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb::coordinator {

std::string CanonicalPublicationSha256(const v1::ProgressPublication& publication);

}  // namespace thb::coordinator
