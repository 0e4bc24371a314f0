#include "services/common/filter_terms.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"

namespace thb {

absl::StatusOr<std::vector<FilterTerm>> SplitFilter(const std::string& text,
                                                    absl::string_view operators) {
  std::vector<FilterTerm> terms;
  if (absl::StripAsciiWhitespace(text).empty()) return terms;
  for (absl::string_view raw : absl::StrSplit(text, " AND ")) {
    absl::string_view term = absl::StripAsciiWhitespace(raw);
    const size_t op = term.find_first_of(operators);
    if (op == absl::string_view::npos) {
      return InvalidField("filter",
                          absl::StrCat("\"", term, "\" is not a comparison (field = value)"));
    }
    FilterTerm t{std::string(absl::StripAsciiWhitespace(term.substr(0, op))), term[op],
                 std::string(absl::StripAsciiWhitespace(term.substr(op + 1)))};
    // A value is one word or one quoted string: anything after it (a second word, "OR ...") is
    // an error, not part of a value that silently matches nothing.
    const bool quoted = t.value.size() >= 2 && t.value.front() == '"' && t.value.back() == '"';
    if (quoted) t.value = t.value.substr(1, t.value.size() - 2);
    const bool stray = t.value.find('"') != std::string::npos ||
                       (!quoted && t.value.find_first_of(" \t\r\n") != std::string::npos);
    if (stray) {
      return InvalidField("filter", absl::StrCat("\"", term,
                                                 "\": a value is one word or one quoted string; "
                                                 "terms are joined by AND"));
    }
    terms.push_back(std::move(t));
  }
  return terms;
}

absl::StatusOr<std::string> FilterEnumValue(const google::protobuf::EnumDescriptor* type,
                                            const std::string& prefix, const std::string& value) {
  const std::string upper = absl::AsciiStrToUpper(value);
  for (const std::string& candidate : {upper, prefix + upper}) {
    if (const auto* v = type->FindValueByName(candidate)) return v->name();
  }
  return InvalidField("filter", absl::StrCat("\"", value, "\" is not a ", type->name(), " value"));
}

absl::StatusOr<int> FilterEnumNumber(const google::protobuf::EnumDescriptor* type,
                                     const std::string& prefix, const std::string& value,
                                     absl::string_view what) {
  absl::StatusOr<std::string> full = FilterEnumValue(type, prefix, value);
  const google::protobuf::EnumValueDescriptor* v =
      full.ok() ? type->FindValueByName(*full) : nullptr;
  if (v == nullptr || v->number() == 0) {
    return InvalidField("filter", absl::StrCat("\"", value, "\" is not a ", what));
  }
  return v->number();
}

absl::Status RejectRepeatedFields(const std::vector<FilterTerm>& terms) {
  for (size_t i = 0; i < terms.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (terms[i].field == terms[j].field) {
        return InvalidField(
            "filter", absl::StrCat(terms[i].field, " is compared twice; compare each field once"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> FilterBool(const std::string& field, const std::string& value) {
  if (value != "true" && value != "false") {
    return InvalidField("filter", absl::StrCat(field, " must be true or false"));
  }
  return value == "true";
}

}  // namespace thb
