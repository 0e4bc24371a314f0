#include "services/common/input_limits.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace thb {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

bool IsIdentifier(const FieldDescriptor* f) {
  const std::string& n = f->name();
  return n == "name" || n == "etag" || n == "page_token" || n == "filter" || n == "order_by" ||
         n == "parent" || absl::EndsWith(n, "_id") ||
         (absl::EndsWith(n, "_name") && n != "display_name");
}

size_t StringLimit(const FieldDescriptor* f, const InputLimits& limits) {
  // A repeated field's declared limit counts its entries; each entry of a repeated string (a
  // list of names, codes or tags) is as short as an identifier.
  if (f->is_repeated()) return limits.max_identifier_bytes;
  if (auto it = limits.field_limits.find(f->full_name()); it != limits.field_limits.end())
    return it->second;
  return IsIdentifier(f) ? limits.max_identifier_bytes : limits.max_string_bytes;
}

size_t CountLimit(const FieldDescriptor* f, const InputLimits& limits) {
  if (auto it = limits.field_limits.find(f->full_name()); it != limits.field_limits.end())
    return it->second;
  return limits.max_repeated;
}

// Walks a request; the path of a field ("a.b[3].c") is spelled out only for a violation, so a
// 100,000-row submission within its limits costs no string building.
class Checker {
 public:
  Checker(const InputLimits& limits, FieldViolations* v) : limits_(limits), v_(v) {}

  void Check(const Message& m) {
    const auto* r = m.GetReflection();
    std::vector<const FieldDescriptor*> fields;
    r->ListFields(m, &fields);
    for (const FieldDescriptor* f : fields) {
      path_.push_back({f, -1});
      if (!f->is_repeated()) {
        CheckValue(m, f, -1);
      } else if (const int n = r->FieldSize(m, f);
                 static_cast<size_t>(n) > CountLimit(f, limits_)) {
        // Too many entries: not worth checking each of them.
        v_->Add(Path(), absl::StrCat("has ", n, " entries; at most ", CountLimit(f, limits_),
                                     " are accepted"));
      } else {
        for (int i = 0; i < n; ++i) {
          path_.back().index = i;
          CheckValue(m, f, i);
        }
      }
      path_.pop_back();
    }
  }

 private:
  // Field `f` of `m` (index -1) or its element `index`.
  void CheckValue(const Message& m, const FieldDescriptor* f, int index) {
    const auto* r = m.GetReflection();
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      std::string scratch;
      const size_t size = (index < 0 ? r->GetStringReference(m, f, &scratch)
                                     : r->GetRepeatedStringReference(m, f, index, &scratch))
                              .size();
      if (size > StringLimit(f, limits_)) {
        v_->Add(Path(),
                absl::StrCat("longer than ", StringLimit(f, limits_), " bytes (", size, ")"));
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      Check(index < 0 ? r->GetMessage(m, f) : r->GetRepeatedMessage(m, f, index));
    }
  }

  std::string Path() const {
    std::string out;
    for (const Step& step : path_) {
      if (!out.empty()) out += ".";
      out += step.field->name();
      if (step.index >= 0) absl::StrAppend(&out, "[", step.index, "]");
    }
    return out;
  }

  struct Step {
    const FieldDescriptor* field;
    int index;  // -1: the field itself
  };
  const InputLimits& limits_;
  FieldViolations* v_;
  std::vector<Step> path_;
};

}  // namespace

const InputLimits& SuiteInputLimits() {
  // Every field whose limit differs from the defaults, declared here and nowhere else: the
  // services enforce these before their handlers and do not check lengths again. In bytes of
  // UTF-8 for strings, in entries for repeated fields.
  static const InputLimits* limits = [] {
    auto* l = new InputLimits();
    l->field_limits = {
        // Coordinator.
        {"thb.coordinator.v1.Institution.display_name", 200},
        {"thb.coordinator.v1.Mandate.holder_title", 200},
        {"thb.coordinator.v1.Mandate.legal_basis", 2000},
        {"thb.coordinator.v1.ActionPlan.title", 300},
        {"thb.coordinator.v1.ActionPlan.description", 10000},
        {"thb.coordinator.v1.ActionPlan.internal_notes", 10000},
        {"thb.coordinator.v1.Objective.title", 300},
        {"thb.coordinator.v1.Objective.description", 10000},
        {"thb.coordinator.v1.Measure.title", 300},
        {"thb.coordinator.v1.Measure.description", 10000},
        {"thb.coordinator.v1.Measure.internal_notes", 10000},
        {"thb.coordinator.v1.Measure.indicators", 50},
        {"thb.coordinator.v1.Measure.partner_institutions", 50},
        {"thb.coordinator.v1.Indicator.name", 200},
        {"thb.coordinator.v1.Indicator.unit", 50},
        {"thb.coordinator.v1.Budget.funding_source", 200},
        {"thb.coordinator.v1.ProgressReport.narrative", 20000},
        {"thb.coordinator.v1.Engagement.title", 300},
        {"thb.coordinator.v1.Engagement.forum", 300},
        {"thb.coordinator.v1.Engagement.location", 300},
        {"thb.coordinator.v1.Engagement.partner_states", 200},
        {"thb.coordinator.v1.Engagement.partner_organizations", 100},
        {"thb.coordinator.v1.Engagement.institutions", 100},
        {"thb.coordinator.v1.Engagement.outcomes", 20000},
        {"thb.coordinator.v1.Engagement.follow_up_actions", 100},
        {"thb.coordinator.v1.Engagement.internal_notes", 10000},
        {"thb.coordinator.v1.FollowUpAction.description", 2000},
        {"thb.coordinator.v1.ReportingObligation.title", 300},
        {"thb.coordinator.v1.ReportingObligation.monitoring_body", 300},
        {"thb.coordinator.v1.ReportingObligation.instrument", 1000},
        {"thb.coordinator.v1.ReportingCycle.label", 300},
        {"thb.coordinator.v1.ReportingCycle.document_uri", 2000},
        {"thb.coordinator.v1.SubmitReportingCycleRequest.document_uri", 2000},
        {"thb.coordinator.v1.SubmitReportingCycleRequest.drafted_by", 50},
        {"thb.coordinator.v1.ExternalRecommendation.source", 300},
        {"thb.coordinator.v1.ExternalRecommendation.reference", 300},
        {"thb.coordinator.v1.ExternalRecommendation.text", 20000},
        {"thb.coordinator.v1.ExternalRecommendation.themes", 20},
        {"thb.coordinator.v1.ExternalRecommendation.responsible_institutions", 50},
        {"thb.coordinator.v1.ExternalRecommendation.sdg_targets", 20},
        {"thb.coordinator.v1.RecommendationFollowUp.text", 20000},
        {"thb.coordinator.v1.RecommendationFollowUp.linked_measures", 50},
        {"thb.coordinator.v1.RecommendationFollowUp.internal_note", 10000},
        {"thb.coordinator.v1.PolicyDocument.title", 300},
        {"thb.coordinator.v1.ProgressPublication.title", 300},
        {"thb.coordinator.v1.BudgetLine.title", 300},
        {"thb.coordinator.v1.BudgetLine.funding_source", 200},
        {"thb.coordinator.v1.BudgetLine.internal_notes", 10000},
        {"thb.coordinator.v1.ProgressPublication.summary", 50000},
        {"thb.coordinator.v1.PolicyDocument.description", 10000},
        {"thb.coordinator.v1.PolicyDocument.document_uri", 2000},
        {"thb.coordinator.v1.PolicyDocument.linked_measures", 100},
        {"thb.coordinator.v1.PolicyDocument.internal_notes", 10000},
        // Commission.
        {"thb.commission.v1.Commission.display_name", 300},
        {"thb.commission.v1.Commission.legal_basis", 2000},
        {"thb.commission.v1.Member.representative", 200},
        {"thb.commission.v1.Body.display_name", 300},
        {"thb.commission.v1.Body.theme", 300},
        {"thb.commission.v1.Body.member_institutions", 200},
        {"thb.commission.v1.StatusReport.summary", 20000},
        {"thb.commission.v1.StatusReport.issues_raised", 20000},
        {"thb.commission.v1.Meeting.title", 300},
        {"thb.commission.v1.Meeting.location", 300},
        {"thb.commission.v1.Meeting.agenda", 100},
        {"thb.commission.v1.Meeting.minutes", 100000},
        {"thb.commission.v1.RecordMeetingOutcomeRequest.minutes", 100000},
        {"thb.commission.v1.CancelMeetingRequest.reason", 2000},
        {"thb.commission.v1.ActionItem.description", 5000},
        {"thb.commission.v1.Consultation.title", 300},
        {"thb.commission.v1.Consultation.description", 10000},
        {"thb.commission.v1.Submission.text", 20000},
        {"thb.commission.v1.Submission.section_reference", 300},
        {"thb.commission.v1.RespondToSubmissionRequest.reason", 10000},
        // Rapporteur: a report's Markdown, and a national data set in one transaction.
        {"thb.rapporteur.v1.Report.content", 1024 * 1024},
        {"thb.rapporteur.v1.StatisticsSubmission.rows", 100000},
    };
    return l;
  }();
  return *limits;
}

void CheckInputLimits(const google::protobuf::Message& message, const InputLimits& limits,
                      FieldViolations* violations) {
  Checker(limits, violations).Check(message);
}

}  // namespace thb
