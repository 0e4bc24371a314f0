// The commission's tables, as one ordered list of migrations (track "commission").
#pragma once

#include "absl/types/span.h"
#include "services/common/storage.h"

namespace thb::commission {

absl::Span<const Migration> CommissionMigrations();

}  // namespace thb::commission
