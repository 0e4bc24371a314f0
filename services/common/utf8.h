// UTF-8 checks for text that arrives from clients (HTTP paths, query parameters, headers) before
// it reaches a protobuf string field, a log line or an error message.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace thb {

// Whether `text` is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
// above U+10FFFF, no truncated sequence.
bool IsValidUtf8(absl::string_view text);

// `text` with every ill-formed byte sequence replaced by U+FFFD, so it can be printed as JSON.
std::string ToValidUtf8(absl::string_view text);

}  // namespace thb
