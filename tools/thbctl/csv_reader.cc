#include "tools/thbctl/csv_reader.h"

#include <csv.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace thb::ctl {
namespace {

struct State {
  absl::FunctionRef<bool(const std::vector<std::string>&, int64_t)>* record;
  std::vector<std::string> fields;
  int64_t number = 0;
  bool stop = false;
};

void OnField(void* data, size_t size, void* state) {
  auto* s = static_cast<State*>(state);
  s->fields.emplace_back(data == nullptr ? "" : std::string(static_cast<char*>(data), size));
}

void OnRecord(int /*terminator*/, void* state) {
  auto* s = static_cast<State*>(state);
  ++s->number;
  // A blank line is no record.
  const bool blank = s->fields.size() == 1 && s->fields[0].empty();
  if (!s->stop && !blank && !(*s->record)(s->fields, s->number)) s->stop = true;
  if (blank) --s->number;
  s->fields.clear();
}

}  // namespace

absl::Status ForEachRecord(
    const std::string& path,
    absl::FunctionRef<bool(const std::vector<std::string>& fields, int64_t number)> record) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(path == "-" ? stdin : std::fopen(path.c_str(), "rb"),
                                             path == "-" ? +[](FILE*) { return 0; } : &std::fclose);
  if (file == nullptr) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return absl::InternalError("csv_init failed");
  }
  State state{&record};
  std::vector<char> buffer(1 << 16);
  absl::Status status;
  while (!state.stop) {
    const size_t n = std::fread(buffer.data(), 1, buffer.size(), file.get());
    if (n == 0) break;
    if (csv_parse(&parser, buffer.data(), n, OnField, OnRecord, &state) != n) {
      status = absl::InvalidArgumentError(absl::StrCat(
          "row ", state.number + 1, ": not valid CSV (", csv_strerror(csv_error(&parser)), ")"));
      break;
    }
  }
  if (status.ok() && !state.stop && std::ferror(file.get())) {
    status = absl::DataLossError(absl::StrCat("cannot read ", path));
  }
  if (status.ok() && !state.stop && csv_fini(&parser, OnField, OnRecord, &state) != 0) {
    status = absl::InvalidArgumentError(absl::StrCat("row ", state.number + 1, ": not valid CSV (",
                                                     csv_strerror(csv_error(&parser)), ")"));
  }
  csv_free(&parser);
  return status;
}

absl::StatusOr<std::map<std::string, int>> HeaderColumns(const std::vector<std::string>& header,
                                                         const std::vector<std::string>& known) {
  std::map<std::string, int> columns;
  for (size_t i = 0; i < header.size(); ++i) {
    std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(header[i]));
    if (i == 0) name = std::string(absl::StripPrefix(name, "\xef\xbb\xbf"));  // a UTF-8 BOM
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "row 1: column ", Shown(header[i]), " is not one of ", absl::StrJoin(known, ", ")));
    }
    if (!columns.emplace(name, static_cast<int>(i)).second) {
      return absl::InvalidArgumentError(absl::StrCat("row 1: column ", name, " appears twice"));
    }
  }
  return columns;
}

std::optional<int> ParseEnumCode(const google::protobuf::EnumDescriptor* type,
                                 absl::string_view prefix, absl::string_view text) {
  std::string name = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  for (char& c : name) {
    if (c == ' ' || c == '-') c = '_';
  }
  if (!absl::StartsWith(name, prefix)) name = absl::StrCat(prefix, name);
  const google::protobuf::EnumValueDescriptor* value = type->FindValueByName(name);
  if (value == nullptr || value->number() == 0) return std::nullopt;
  return value->number();
}

std::string Shown(absl::string_view text) {
  constexpr size_t kMax = 60;
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
      absl::StrAppend(&out, absl::StrFormat("\\x%02x", c));
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
  if (text.size() > kMax) absl::StrAppend(&out, " (", text.size(), " bytes, cut)");
  return out;
}

}  // namespace thb::ctl
