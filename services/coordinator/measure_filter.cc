#include "services/coordinator/measure_filter.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/filter_terms.h"
#include "services/common/status_macros.h"
#include "services/coordinator/plan_analysis.h"

namespace thb::coordinator {
namespace {

absl::Status Bad(const std::string& why) { return InvalidField("filter", why); }

}  // namespace

absl::StatusOr<MeasureFilter> MeasureFilter::Parse(const std::string& text) {
  MeasureFilter filter;
  THB_ASSIGN_OR_RETURN(std::vector<FilterTerm> terms, SplitFilter(text));
  for (FilterTerm& term : terms) {
    std::string field = std::move(term.field);
    std::string value = std::move(term.value);
    if (value.empty()) return Bad(absl::StrCat("no value for ", field));
    if (term.op == ':' && field != "forms") {
      return Bad(absl::StrCat("\":\" (has) applies only to forms, not ", field));
    }
    if (field == "pillar") {
      THB_ASSIGN_OR_RETURN(value,
                           FilterEnumValue(thb::type::v1::Pillar_descriptor(), "PILLAR_", value));
    } else if (field == "forms" || field == "form") {
      field = "forms";
      THB_ASSIGN_OR_RETURN(value, FilterEnumValue(thb::type::v1::FormOfExploitation_descriptor(),
                                                  "FORM_OF_EXPLOITATION_", value));
    } else if (field == "status") {
      THB_ASSIGN_OR_RETURN(
          value, FilterEnumValue(v1::MeasureStatus_descriptor(), "MEASURE_STATUS_", value));
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
