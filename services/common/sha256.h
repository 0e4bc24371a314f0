// SHA-256 as lower-case hex, for digests the suite publishes (audit chain, report content).
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace thb {

std::string Sha256Hex(absl::string_view bytes);

// HMAC-SHA-256 of `bytes` under `key`, as lower-case hex.
std::string HmacSha256Hex(absl::string_view key, absl::string_view bytes);

}  // namespace thb
