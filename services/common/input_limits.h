// Input hardening: every string and bytes field of a request has a length limit and every
// repeated field (and map) a count limit, checked on every RPC before its handler runs, so an
// oversized value is a clear INVALID_ARGUMENT naming the field instead of a slow request or a
// bloated database. Whole-request size is bounded separately (gRPC max message size, the
// gateway's body limit).
#pragma once

#include <google/protobuf/message.h>

#include <cstddef>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "services/common/errors.h"

namespace thb {

struct InputLimits {
  size_t max_identifier_bytes = 1024;   // name, etag, page_token, filter, order_by, *_id fields
  size_t max_string_bytes = 16 * 1024;  // any other string or bytes field
  size_t max_repeated = 1000;           // any repeated field or map
  // A repeated string's entries are each held to max_identifier_bytes.
  // Larger (or smaller) limits for named fields, by full name ("thb.rapporteur.v1.Report.content"):
  // bytes for a string field, entries for a repeated one.
  absl::flat_hash_map<std::string, size_t> field_limits;
};

// The suite's limits: the defaults, and every field whose limit differs from them (a meeting's
// minutes up to 100,000 bytes, a report's Markdown up to 1 MiB, a statistics submission's rows
// up to 100,000, a title up to 300, ...), each declared once in input_limits.cc. The services
// rely on these and do not check lengths again; a test proves every declared name exists.
const InputLimits& SuiteInputLimits();

// Adds a violation for every field of `message` (recursively) over its limit, e.g.
// "statistics_submission.rows[12].region: longer than 1024 bytes".
void CheckInputLimits(const google::protobuf::Message& message, const InputLimits& limits,
                      FieldViolations* violations);

}  // namespace thb
