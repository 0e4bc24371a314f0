#include "services/common/published_content.h"

#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/common/sha256.h"

namespace thb {

std::string NormalizeNewlines(absl::string_view s) {
  return absl::StrReplaceAll(absl::StrReplaceAll(s, {{"\r\n", "\n"}}), {{"\r", "\n"}});
}

std::string PublishedContentSha256(absl::string_view format,
                                   std::initializer_list<absl::string_view> headers,
                                   absl::string_view body) {
  std::string canonical = absl::StrCat(format, "\n");
  for (absl::string_view h : headers) absl::StrAppend(&canonical, NormalizeNewlines(h), "\n");
  absl::StrAppend(&canonical, "\n", NormalizeNewlines(body));
  return Sha256Hex(canonical);
}

namespace {

// Writes every number without a fractional part as an integer: JSON printers differ on whether a
// double 45 is "45" or "45.0", and the canonical form must not depend on the printer.
void IntegralNumbersAsIntegers(nlohmann::json& value) {
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (std::trunc(d) == d && std::fabs(d) < 9.0e15) value = static_cast<int64_t>(d);
    return;
  }
  if (value.is_structured()) {
    for (nlohmann::json& child : value) IntegralNumbersAsIntegers(child);
  }
}

}  // namespace

std::string CanonicalJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  // Printing a message the service built cannot fail; an empty object stands in if it did.
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) return "{}";
  // nlohmann's objects keep their keys sorted; dump() writes no whitespace.
  nlohmann::json value = nlohmann::json::parse(json);
  IntegralNumbersAsIntegers(value);
  return value.dump();
}

}  // namespace thb
