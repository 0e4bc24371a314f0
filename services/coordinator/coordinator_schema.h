// The coordinator's tables, as one ordered list of migrations (track "coordinator").
#pragma once

#include "absl/types/span.h"
#include "services/common/storage.h"

namespace thb::coordinator {

absl::Span<const Migration> CoordinatorMigrations();

}  // namespace thb::coordinator
