#include "services/coordinator/external_recommendations.h"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/filter_terms.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"
#include "services/coordinator/forms_of_exploitation.h"
#include "services/coordinator/institution_registry.h"
#include "services/coordinator/plan_store.h"
#include "services/coordinator/resource_links.h"

namespace thb::coordinator {
namespace {

constexpr char kCollection[] = "externalRecommendations";
const std::vector<std::string> kWritable = {
    "source",     "source_kind", "obligation", "reference", "issued_on",
    "text",       "themes",      "pillar",     "forms",     "responsible_institutions",
    "sdg_targets"};
const std::vector<std::string> kOutputOnly = {
    "name", "status", "linked_measures", "follow_ups", "create_time", "update_time", "etag"};

const ResourceTable<v1::ExternalRecommendation>& RecommendationTable() {
  static const ResourceTable<v1::ExternalRecommendation> table(
      "external_recommendations", "external recommendation",
      {{"obligation", [](const v1::ExternalRecommendation& r) { return Value(r.obligation()); }}});
  return table;
}

// "5.2", "8.7", "16.2", "16.a": an SDG (1-17) and one of its targets.
bool IsSdgTarget(const std::string& s) {
  static const std::regex re("^([1-9]|1[0-7])\\.([1-9][0-9]?|[a-c])$");
  return std::regex_match(s, re);
}

// Themes are compared as written lower-case and without surrounding blanks.
void NormalizeThemes(v1::ExternalRecommendation& r) {
  for (std::string& theme : *r.mutable_themes()) {
    theme = absl::AsciiStrToLower(absl::StripAsciiWhitespace(theme));
  }
}

void Validate(const v1::ExternalRecommendation& r, FieldViolations& v) {
  const std::string f = "external_recommendation.";
  if (r.source().empty()) v.Add(f + "source", "is required (the issuing body)");
  if (r.source_kind() == v1::MONITORING_BODY_KIND_UNSPECIFIED ||
      !v1::MonitoringBodyKind_IsValid(r.source_kind())) {
    v.Add(f + "source_kind", "must be one of the MonitoringBodyKind values");
  }
  if (!r.obligation().empty() && !ParseResourceName(r.obligation(), "obligations", "").ok()) {
    v.Add(f + "obligation", "must be an obligation name obligations/{id}");
  }
  if (!IsValidDate(r.issued_on())) v.Add(f + "issued_on", "must be a valid date");
  if (r.text().empty()) v.Add(f + "text", "is required");
  for (int i = 0; i < r.themes_size(); ++i) {
    if (r.themes(i).empty()) v.Add(absl::StrCat(f, "themes[", i, "]"), "must not be empty");
  }
  if (r.pillar() == thb::type::v1::PILLAR_UNSPECIFIED ||
      !thb::type::v1::Pillar_IsValid(r.pillar())) {
    v.Add(f + "pillar", "must be one of the Pillar values");
  }
  CheckFormsOfExploitation(r.forms(), f + "forms", v);
  for (int i = 0; i < r.sdg_targets_size(); ++i) {
    if (!IsSdgTarget(r.sdg_targets(i))) {
      v.Add(absl::StrCat(f, "sdg_targets[", i, "]"),
            "must be an SDG target such as \"5.2\", \"8.7\" or \"16.2\"");
    }
  }
}

// The obligation and institutions `r` names: the obligation stored, each institution registered
// (and active unless `before` already named it).
absl::Status CheckReferences(Transaction& tx, const v1::ExternalRecommendation& r,
                             const v1::ExternalRecommendation* before) {
  FieldViolations v;
  if (!r.obligation().empty()) {
    THB_ASSIGN_OR_RETURN(std::vector<Row> rows,
                         tx.Query("SELECT id FROM obligations WHERE id = $1",
                                  {r.obligation().substr(sizeof("obligations"))}));
    if (rows.empty()) {
      v.Add("external_recommendation.obligation", absl::StrCat(r.obligation(), " does not exist"));
    }
  }
  for (int i = 0; i < r.responsible_institutions_size(); ++i) {
    const std::string& name = r.responsible_institutions(i);
    const bool known =
        before != nullptr && std::find(before->responsible_institutions().begin(),
                                       before->responsible_institutions().end(),
                                       name) != before->responsible_institutions().end();
    THB_RETURN_IF_ERROR(CheckInstitutionReference(
        tx, name, absl::StrCat("external_recommendation.responsible_institutions[", i, "]"), !known,
        v));
  }
  return v.ToStatus();
}

absl::Status SaveRecommendationLinks(Transaction& tx, const v1::ExternalRecommendation& r) {
  std::vector<std::string> targets(r.responsible_institutions().begin(),
                                   r.responsible_institutions().end());
  targets.push_back(r.obligation());
  targets.insert(targets.end(), r.linked_measures().begin(), r.linked_measures().end());
  // Who answered stays named in the history, so it stays registered.
  for (const v1::RecommendationFollowUp& f : r.follow_ups()) {
    targets.push_back(f.responding_institution());
  }
  return SaveLinks(tx, r.name(), targets);
}

class RecommendationFilter {
 public:
  static absl::StatusOr<RecommendationFilter> Parse(const std::string& text) {
    RecommendationFilter f;
    THB_ASSIGN_OR_RETURN(std::vector<FilterTerm> terms, SplitFilter(text, "="));
    THB_RETURN_IF_ERROR(RejectRepeatedFields(terms));
    for (const FilterTerm& t : terms) {
      if (t.field == "pillar") {
        THB_ASSIGN_OR_RETURN(f.pillar_, FilterEnumNumber(thb::type::v1::Pillar_descriptor(),
                                                         "PILLAR_", t.value, "pillar"));
      } else if (t.field == "status") {
        THB_ASSIGN_OR_RETURN(f.status_,
                             FilterEnumNumber(v1::FollowUpStatus_descriptor(), "FOLLOW_UP_STATUS_",
                                              t.value, "follow-up status"));
      } else if (t.field == "source" || t.field == "obligation" || t.field == "theme" ||
                 t.field == "sdg_target" || t.field == "responsible_institution") {
        f.text_.emplace_back(t.field,
                             t.field == "theme" ? absl::AsciiStrToLower(t.value) : t.value);
      } else {
        return InvalidField(
            "filter", absl::StrCat("cannot filter on \"", t.field,
                                   "\" (source, obligation, theme, pillar, status, sdg_target, "
                                   "responsible_institution)"));
      }
    }
    return f;
  }

  bool Matches(const v1::ExternalRecommendation& r) const {
    auto has = [](const auto& list, const std::string& value) {
      return std::find(list.begin(), list.end(), value) != list.end();
    };
    if (pillar_ && r.pillar() != *pillar_) return false;
    if (status_ && r.status() != *status_) return false;
    for (const auto& [field, value] : text_) {
      if (field == "source" && r.source() != value) return false;
      if (field == "obligation" && r.obligation() != value) return false;
      if (field == "theme" && !has(r.themes(), value)) return false;
      if (field == "sdg_target" && !has(r.sdg_targets(), value)) return false;
      if (field == "responsible_institution" && !has(r.responsible_institutions(), value)) {
        return false;
      }
    }
    return true;
  }

 private:
  std::optional<int> pillar_;
  std::optional<int> status_;
  std::vector<std::pair<std::string, std::string>> text_;
};

void Count(const v1::ExternalRecommendation& r, v1::RecommendationCluster& c) {
  c.set_total(c.total() + 1);
  switch (r.status()) {
    case v1::FOLLOW_UP_STATUS_IN_PROGRESS:
      c.set_in_progress(c.in_progress() + 1);
      break;
    case v1::FOLLOW_UP_STATUS_PARTIALLY_IMPLEMENTED:
      c.set_partially_implemented(c.partially_implemented() + 1);
      break;
    case v1::FOLLOW_UP_STATUS_IMPLEMENTED:
      c.set_implemented(c.implemented() + 1);
      break;
    case v1::FOLLOW_UP_STATUS_NOT_ACCEPTED:
      c.set_not_accepted(c.not_accepted() + 1);
      break;
    default:
      c.set_not_started(c.not_started() + 1);
  }
  if (r.linked_measures_size() > 0) c.set_linked_to_measures(c.linked_to_measures() + 1);
}

// "Partially implemented" for FOLLOW_UP_STATUS_PARTIALLY_IMPLEMENTED.
std::string Words(const std::string& enum_name, absl::string_view prefix) {
  std::string words = absl::AsciiStrToLower(absl::StripPrefix(enum_name, prefix));
  absl::StrReplaceAll({{"_", " "}}, &words);
  if (!words.empty()) words[0] = absl::ascii_toupper(words[0]);
  return words;
}

}  // namespace

absl::StatusOr<v1::ExternalRecommendation> ExternalRecommendations::Create(
    const AuditActor& actor, const v1::CreateExternalRecommendationRequest& request) {
  v1::ExternalRecommendation proposed = request.external_recommendation();
  NormalizeThemes(proposed);
  FieldViolations v;
  Validate(proposed, v);
  if (!request.external_recommendation_id().empty() &&
      !IsValidResourceId(request.external_recommendation_id())) {
    v.Add("external_recommendation_id",
          "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  return RunMutation<v1::ExternalRecommendation>(
      db_, {actor, "CreateExternalRecommendation", request.request_id()},
      [&](Transaction& tx, v1::ExternalRecommendation& result) -> absl::Status {
        result = proposed;
        THB_RETURN_IF_ERROR(CheckReferences(tx, result, nullptr));
        const std::string id = request.external_recommendation_id().empty()
                                   ? NewResourceId()
                                   : request.external_recommendation_id();
        result.set_name(absl::StrCat(kCollection, "/", id));
        result.set_status(v1::FOLLOW_UP_STATUS_NOT_STARTED);
        result.clear_linked_measures();
        result.clear_follow_ups();
        const absl::Time now = clock_.Now();
        *result.mutable_create_time() = ToProtoTimestamp(now);
        *result.mutable_update_time() = ToProtoTimestamp(now);
        THB_RETURN_IF_ERROR(RecommendationTable().Insert(tx, id, result));
        return SaveRecommendationLinks(tx, result);
      });
}

absl::StatusOr<v1::ExternalRecommendation> ExternalRecommendations::Get(const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, "name"));
  THB_ASSIGN_OR_RETURN(auto found, RecommendationTable().Read(db_, id));
  if (!found.has_value()) return RecommendationTable().NotFound(name);
  return *std::move(found);
}

absl::StatusOr<v1::ListExternalRecommendationsResponse> ExternalRecommendations::List(
    const v1::ListExternalRecommendationsRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  THB_ASSIGN_OR_RETURN(RecommendationFilter filter, RecommendationFilter::Parse(request.filter()));
  v1::ListExternalRecommendationsResponse out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListByIdFiltered(
        tx, {RecommendationTable().table()}, page,
        [&](const v1::ExternalRecommendation& r) { return filter.Matches(r); },
        out.mutable_external_recommendations(), out.mutable_next_page_token());
  }));
  return out;
}

absl::StatusOr<v1::ExternalRecommendation> ExternalRecommendations::Update(
    const AuditActor& actor, const v1::UpdateExternalRecommendationRequest& request) {
  const v1::ExternalRecommendation& patch = request.external_recommendation();
  THB_ASSIGN_OR_RETURN(
      std::string id, ParseResourceName(patch.name(), kCollection, "external_recommendation.name"));
  THB_ASSIGN_OR_RETURN(google::protobuf::FieldMask mask,
                       ResolveUpdateMask(request.update_mask(), {kWritable, kOutputOnly, {}},
                                         "ExternalRecommendation"));
  return UpdateResource<v1::ExternalRecommendation>(
      db_, {actor, "UpdateExternalRecommendation", request.request_id()}, RecommendationTable(),
      {id, patch.name(), patch.etag()}, clock_.Now(),
      [&](Transaction& tx, v1::ExternalRecommendation& result) -> absl::Status {
        const v1::ExternalRecommendation before = result;
        ApplyUpdateMask(patch, mask, &result);
        NormalizeThemes(result);
        FieldViolations v;
        Validate(result, v);
        THB_RETURN_IF_ERROR(v.ToStatus());
        THB_RETURN_IF_ERROR(CheckReferences(tx, result, &before));
        return SaveRecommendationLinks(tx, result);
      });
}

absl::Status ExternalRecommendations::Delete(
    const AuditActor& actor, const v1::DeleteExternalRecommendationRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(request.name(), kCollection, "name"));
  return RunMutation(
      db_, {actor, "DeleteExternalRecommendation", request.request_id(), request.name()},
      [&](Transaction& tx) -> absl::Status {
        THB_ASSIGN_OR_RETURN(auto stored, RecommendationTable().Load(tx, id, request.name()));
        THB_RETURN_IF_ERROR(CheckEtag(request.etag(), stored.resource.etag(), request.name()));
        if (stored.resource.follow_ups_size() > 0) {
          return PreconditionFailed(
              type::v1::ERROR_REASON_RECOMMENDATION_HAS_RESPONSES,
              type::v1::PRECONDITION_TYPE_IN_USE, request.name(),
              absl::StrCat(request.name(), " has ", stored.resource.follow_ups_size(),
                           " responses; its follow-up history is kept"));
        }
        THB_RETURN_IF_ERROR(DeleteLinks(tx, request.name()));
        return tx.Execute("DELETE FROM external_recommendations WHERE id = $1", {id}).status();
      });
}

absl::StatusOr<v1::ExternalRecommendation> ExternalRecommendations::Respond(
    const AuditActor& actor, const Principal& caller,
    const v1::RespondToExternalRecommendationRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(request.name(), kCollection, "name"));
  const absl::Time now = clock_.Now();
  v1::RecommendationFollowUp follow_up = request.follow_up();
  if (!IsSet(follow_up.as_of())) *follow_up.mutable_as_of() = ToDate(DayOf(now));
  FieldViolations v;
  if (follow_up.text().empty()) v.Add("follow_up.text", "is required");
  if (follow_up.status() == v1::FOLLOW_UP_STATUS_UNSPECIFIED ||
      !v1::FollowUpStatus_IsValid(follow_up.status())) {
    v.Add("follow_up.status", "must be one of the FollowUpStatus values");
  }
  if (!IsValidDate(follow_up.as_of())) {
    v.Add("follow_up.as_of", "is not a valid calendar date");
  } else if (ToCivilDay(follow_up.as_of()) > DayOf(now)) {
    v.Add("follow_up.as_of", "must not be in the future");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  const bool office = caller.HasRole(roles::kCoordinatorOffice);
  return UpdateResource<v1::ExternalRecommendation>(
      db_, {actor, "RespondToExternalRecommendation", request.request_id()}, RecommendationTable(),
      {id, request.name(), request.etag()}, now,
      [&](Transaction& tx, v1::ExternalRecommendation& result) -> absl::Status {
        const auto& responsible = result.responsible_institutions();
        if (!office &&
            (caller.institution.empty() || std::find(responsible.begin(), responsible.end(),
                                                     caller.institution) == responsible.end())) {
          return WithReason(absl::PermissionDeniedError(
                                absl::StrCat("only the office or an institution responsible for ",
                                             request.name(), " responds to it")),
                            type::v1::ERROR_REASON_NOT_RESPONSIBLE_INSTITUTION);
        }
        FieldViolations refs;
        for (int i = 0; i < follow_up.linked_measures_size(); ++i) {
          THB_RETURN_IF_ERROR(
              CheckMeasureReference(tx, follow_up.linked_measures(i),
                                    absl::StrCat("follow_up.linked_measures[", i, "]"), refs));
        }
        THB_RETURN_IF_ERROR(refs.ToStatus());
        follow_up.set_responding_institution(caller.institution);
        *follow_up.mutable_create_time() = ToProtoTimestamp(now);
        for (const std::string& m : follow_up.linked_measures()) {
          if (std::find(result.linked_measures().begin(), result.linked_measures().end(), m) ==
              result.linked_measures().end()) {
            result.add_linked_measures(m);
          }
        }
        result.set_status(follow_up.status());
        *result.add_follow_ups() = follow_up;
        return SaveRecommendationLinks(tx, result);
      });
}

absl::StatusOr<v1::ExternalRecommendationSummary> ExternalRecommendations::Summarize(
    const v1::SummarizeExternalRecommendationsRequest& request) {
  if (!request.obligation().empty() &&
      !ParseResourceName(request.obligation(), "obligations", "").ok()) {
    return InvalidField("obligation", "must be an obligation name obligations/{id}");
  }
  std::vector<v1::ExternalRecommendation> all;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(
        all, LoadMessages<v1::ExternalRecommendation>(
                 tx,
                 "SELECT data FROM external_recommendations WHERE $1 = '' OR obligation = $1 "
                 "ORDER BY id",
                 {request.obligation()}));
    return absl::OkStatus();
  }));
  v1::ExternalRecommendationSummary out;
  std::map<std::string, v1::RecommendationCluster> themes, sources;
  std::map<int, v1::RecommendationCluster> pillars;
  for (const v1::ExternalRecommendation& r : all) {
    Count(r, *out.mutable_total());
    for (const std::string& theme : r.themes()) {
      v1::RecommendationCluster& c = themes[theme];
      c.set_theme(theme);
      Count(r, c);
    }
    v1::RecommendationCluster& p = pillars[r.pillar()];
    p.set_pillar(r.pillar());
    Count(r, p);
    v1::RecommendationCluster& s = sources[r.source()];
    s.set_source(r.source());
    Count(r, s);
  }
  for (auto& [_, c] : themes) *out.add_by_theme() = std::move(c);
  for (auto& [_, c] : pillars) *out.add_by_pillar() = std::move(c);
  for (auto& [_, c] : sources) *out.add_by_source() = std::move(c);
  *out.mutable_compute_time() = ToProtoTimestamp(clock_.Now());
  return out;
}

absl::StatusOr<v1::ObligationReportDraft> ExternalRecommendations::DraftReport(
    const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                       ParseResourcePath(name, {"obligations", "cycles"}, "name"));
  const std::string obligation_name = absl::StrCat("obligations/", ids[0]);
  v1::ObligationReportDraft out;
  out.set_cycle(name);
  out.set_obligation(obligation_name);
  std::string markdown;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(
        std::vector<v1::ReportingCycle> cycles,
        LoadMessages<v1::ReportingCycle>(tx, "SELECT data FROM obligation_cycles WHERE id = $1",
                                         {ChildKey(ids)}));
    if (cycles.empty()) {
      return ResourceNotFound(v1::ReportingCycle::descriptor()->full_name(), name,
                              absl::StrCat("reporting cycle ", name, " does not exist"));
    }
    THB_ASSIGN_OR_RETURN(std::vector<v1::ReportingObligation> obligations,
                         LoadMessages<v1::ReportingObligation>(
                             tx, "SELECT data FROM obligations WHERE id = $1", {ids[0]}));
    if (obligations.empty()) return absl::DataLossError("the cycle's obligation is missing");
    const v1::ReportingObligation& obligation = obligations[0];
    out.set_monitoring_body(obligation.monitoring_body());
    THB_ASSIGN_OR_RETURN(
        std::vector<v1::ExternalRecommendation> recommendations,
        LoadMessages<v1::ExternalRecommendation>(
            tx, "SELECT data FROM external_recommendations WHERE obligation = $1 ORDER BY id",
            {obligation_name}));
    std::stable_sort(recommendations.begin(), recommendations.end(),
                     [](const v1::ExternalRecommendation& a, const v1::ExternalRecommendation& b) {
                       if (a.pillar() != b.pillar()) return a.pillar() < b.pillar();
                       return a.reference() < b.reference();
                     });
    std::map<std::string, std::string> institution_names;
    auto institution_name = [&](const std::string& n) -> absl::StatusOr<std::string> {
      if (n.empty()) return std::string("The Co-ordinator's office");
      if (auto it = institution_names.find(n); it != institution_names.end()) return it->second;
      THB_ASSIGN_OR_RETURN(std::optional<v1::Institution> found, FindInstitution(tx, n));
      return institution_names[n] = found.has_value() ? found->display_name() : n;
    };
    absl::StrAppend(
        &markdown, "# Draft report to ", obligation.monitoring_body(), "\n\n", obligation.title(),
        " — ", cycles[0].label(), ", due ", FormatDate(cycles[0].due_date()), ".\n\nCompiled on ",
        FormatDate(ToDate(DayOf(clock_.Now()))), " from the follow-up of ", recommendations.size(),
        " recommendations. A draft for the Co-ordinator's office to edit.\n");
    int last_pillar = -1;
    for (const v1::ExternalRecommendation& r : recommendations) {
      v1::DraftReportEntry& e = *out.add_entries();
      e.set_recommendation(r.name());
      e.set_reference(r.reference());
      e.set_text(r.text());
      e.set_pillar(r.pillar());
      e.set_status(r.status());
      for (const v1::RecommendationFollowUp& f : r.follow_ups()) {
        v1::RecommendationFollowUp& copy = *e.add_follow_ups();
        copy = f;
        copy.clear_internal_note();  // the draft is the State's text, never the office's notes
      }
      for (const std::string& m : r.linked_measures()) {
        THB_ASSIGN_OR_RETURN(std::vector<std::string> mids,
                             ParseResourcePath(m, {"plans", "measures"}, "linked_measures"));
        THB_ASSIGN_OR_RETURN(std::vector<v1::Measure> measures,
                             LoadMessages<v1::Measure>(
                                 tx, "SELECT data FROM measures WHERE id = $1", {ChildKey(mids)}));
        if (measures.empty()) continue;
        e.add_measures(
            absl::StrCat(measures[0].title(), " (",
                         Words(v1::MeasureStatus_Name(measures[0].status()), "MEASURE_STATUS_"),
                         ", ", measures[0].progress_percent(), " %)"));
      }
      if (r.pillar() != last_pillar) {
        last_pillar = r.pillar();
        absl::StrAppend(&markdown, "\n## ",
                        Words(thb::type::v1::Pillar_Name(r.pillar()), "PILLAR_"), "\n");
      }
      absl::StrAppend(&markdown, "\n### ", r.reference().empty() ? r.name() : r.reference(),
                      "\n\n> ", absl::StrReplaceAll(r.text(), {{"\n", "\n> "}}), "\n\n**Status:** ",
                      Words(v1::FollowUpStatus_Name(r.status()), "FOLLOW_UP_STATUS_"), "\n");
      if (e.measures_size() > 0) {
        absl::StrAppend(&markdown, "\n**Action Plan measures:**\n");
        for (const std::string& m : e.measures()) absl::StrAppend(&markdown, "- ", m, "\n");
      }
      if (e.follow_ups_size() == 0) {
        absl::StrAppend(&markdown, "\nNo follow-up recorded yet.\n");
      }
      for (const v1::RecommendationFollowUp& f : e.follow_ups()) {
        THB_ASSIGN_OR_RETURN(std::string who, institution_name(f.responding_institution()));
        absl::StrAppend(&markdown, "\n", FormatDate(f.as_of()), ", ", who, ": ", f.text(), "\n");
      }
    }
    return absl::OkStatus();
  }));
  out.set_markdown(std::move(markdown));
  *out.mutable_compute_time() = ToProtoTimestamp(clock_.Now());
  return out;
}

}  // namespace thb::coordinator
