// Streams the records of a CSV file (RFC 4180, via Debian's libcsv) without holding the file:
// ForEachRecord calls back once per record with its fields and its 1-based record number (the
// header is record 1; a record is a line unless a quoted field spans lines).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"

namespace thb::ctl {

// Reads `path` ("-" for stdin) and calls `record(fields, number)` for every record; a false return
// stops reading. A malformed file (a stray quote, say) is INVALID_ARGUMENT naming the record.
absl::Status ForEachRecord(
    const std::string& path,
    absl::FunctionRef<bool(const std::vector<std::string>& fields, int64_t number)> record);

}  // namespace thb::ctl
