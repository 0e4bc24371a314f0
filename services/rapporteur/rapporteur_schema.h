// The rapporteur's schema, track "rapporteur": versioned migrations applied at start-up.
#pragma once

#include "absl/types/span.h"
#include "services/common/storage.h"

namespace thb::rapporteur {

absl::Span<const Migration> RapporteurMigrations();

}  // namespace thb::rapporteur
