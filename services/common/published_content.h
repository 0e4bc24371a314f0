// The one recipe by which the suite identifies content it publishes and freezes: the
// Rapporteur's reports and the Co-ordinator's progress publications. Anyone can recompute the
// digest from the published fields:
//   SHA-256 of  <format> "\n" <header 1> "\n" ... <header n> "\n" "\n" <body>
// with every CR LF and lone CR in the headers and the body replaced by LF, given as lower-case
// hex. A structured body is its canonical JSON (CanonicalJson).
#pragma once

#include <google/protobuf/message.h>

#include <initializer_list>
#include <string>

#include "absl/strings/string_view.h"

namespace thb {

// `s` with every CR LF and lone CR replaced by LF.
std::string NormalizeNewlines(absl::string_view s);

// The digest of the recipe above.
std::string PublishedContentSha256(absl::string_view format,
                                   std::initializer_list<absl::string_view> headers,
                                   absl::string_view body);

// `message` as proto3 JSON with the proto field names, object keys sorted, no whitespace between
// tokens, and every number without a fractional part written as an integer (45, not 45.0) —
// what Python's json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)
// writes of the same JSON once integral floats are made ints.
std::string CanonicalJson(const google::protobuf::Message& message);

}  // namespace thb
