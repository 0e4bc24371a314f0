#include "services/coordinator/measure_filter.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/errors.h"
#include "services/coordinator/plan_analysis.h"

namespace thb::coordinator {
namespace {

namespace v1 = ::thb::coordinator::v1;

absl::Status Bad(const std::string& why) { return InvalidField("filter", why); }

// Resolves a short or full enum value name of `type` to the full name.
absl::StatusOr<std::string> EnumValue(const google::protobuf::EnumDescriptor* type,
                                      const std::string& prefix, const std::string& value) {
  const std::string upper = absl::AsciiStrToUpper(value);
  for (const std::string& candidate : {upper, prefix + upper}) {
    if (const auto* v = type->FindValueByName(candidate)) return v->name();
  }
  return Bad(absl::StrCat("\"", value, "\" is not a ", type->name(), " value"));
}

}  // namespace

absl::StatusOr<MeasureFilter> MeasureFilter::Parse(const std::string& text) {
  MeasureFilter filter;
  if (absl::StripAsciiWhitespace(text).empty()) return filter;
  for (absl::string_view raw : absl::StrSplit(text, " AND ")) {
    absl::string_view term = absl::StripAsciiWhitespace(raw);
    size_t op = term.find_first_of("=:");
    if (op == absl::string_view::npos) {
      return Bad(absl::StrCat("\"", term, "\" is not a comparison (field = value)"));
    }
    std::string field(absl::StripAsciiWhitespace(term.substr(0, op)));
    std::string value(absl::StripAsciiWhitespace(term.substr(op + 1)));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (value.empty()) return Bad(absl::StrCat("no value for ", field));
    if (term[op] == ':' && field != "forms") {
      return Bad(absl::StrCat("\":\" (has) applies only to forms, not ", field));
    }
    if (field == "pillar") {
      auto v = EnumValue(thb::type::v1::Pillar_descriptor(), "PILLAR_", value);
      if (!v.ok()) return v.status();
      value = *v;
    } else if (field == "forms" || field == "form") {
      field = "forms";
      auto v = EnumValue(thb::type::v1::FormOfExploitation_descriptor(), "FORM_OF_EXPLOITATION_", value);
      if (!v.ok()) return v.status();
      value = *v;
    } else if (field == "status") {
      auto v = EnumValue(v1::MeasureStatus_descriptor(), "MEASURE_STATUS_", value);
      if (!v.ok()) return v.status();
      value = *v;
    } else if (field == "overdue") {
      value = absl::AsciiStrToLower(value);
      if (value != "true" && value != "false") return Bad("overdue must be true or false");
    } else if (field != "lead_institution" && field != "objective") {
      return Bad(absl::StrCat("cannot filter on \"", field,
                              "\" (pillar, forms, status, lead_institution, objective, overdue)"));
    }
    filter.terms_.push_back({field, value});
  }
  return filter;
}

bool MeasureFilter::Matches(const v1::Measure& m, absl::CivilDay today) const {
  for (const Term& t : terms_) {
    bool ok = false;
    if (t.field == "pillar") {
      ok = thb::type::v1::Pillar_Name(m.pillar()) == t.value;
    } else if (t.field == "forms") {
      for (int f : m.forms()) ok = ok || thb::type::v1::FormOfExploitation_Name(f) == t.value;
    } else if (t.field == "status") {
      ok = v1::MeasureStatus_Name(m.status()) == t.value;
    } else if (t.field == "lead_institution") {
      ok = m.lead_institution() == t.value;
    } else if (t.field == "objective") {
      ok = m.objective() == t.value;
    } else if (t.field == "overdue") {
      ok = IsOverdue(m, today) == (t.value == "true");
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace thb::coordinator
