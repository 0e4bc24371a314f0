// Streams the records of a CSV file (RFC 4180, via Debian's libcsv) without holding the file:
// ForEachRecord calls back once per record with its fields and its 1-based record number (the
// header is record 1; a record is a line unless a quoted field spans lines).
#pragma once

#include <google/protobuf/descriptor.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace thb::ctl {

// Reads `path` ("-" for stdin) and calls `record(fields, number)` for every record; a false return
// stops reading. A malformed file (a stray quote, say) is INVALID_ARGUMENT naming the record.
absl::Status ForEachRecord(
    const std::string& path,
    absl::FunctionRef<bool(const std::vector<std::string>& fields, int64_t number)> record);

// The column of each name the header (record 1) gives. Names are compared trimmed and in lower
// case, and a UTF-8 byte-order mark before the first is ignored. A name not in `known`, or one
// given twice, is INVALID_ARGUMENT "row 1: ...".
absl::StatusOr<std::map<std::string, int>> HeaderColumns(const std::vector<std::string>& header,
                                                         const std::vector<std::string>& known);

// The enum value a cell names, short ("FORCED_LABOUR") or full ("FORM_OF_EXPLOITATION_..."), in
// any case, with spaces or hyphens for underscores; nullopt for an unknown or UNSPECIFIED value.
std::optional<int> ParseEnumCode(const google::protobuf::EnumDescriptor* type,
                                 absl::string_view prefix, absl::string_view text);

// `text` from a file, quoted and safe to print: control bytes, quotes and backslashes as \xNN,
// at most 60 bytes (longer text is cut and its length said).
std::string Shown(absl::string_view text);

}  // namespace thb::ctl
