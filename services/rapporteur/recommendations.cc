#include "services/rapporteur/recommendations.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/filter_terms.h"
#include "services/common/mutation.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"

namespace thb::rapporteur {
namespace {

namespace tv1 = ::thb::type::v1;
constexpr char kCollection[] = "recommendations";

absl::StatusOr<std::vector<FilterTerm>> ParseFilter(const std::string& text) {
  THB_ASSIGN_OR_RETURN(std::vector<FilterTerm> terms, SplitFilter(text));
  for (FilterTerm& t : terms) {
    if (t.op != '=') {
      return InvalidField("filter", absl::StrCat("\"", t.field, " : ", t.value,
                                                 "\" is not a comparison (field = value)"));
    }
    absl::StatusOr<std::string> v = t.value;
    if (t.field == "addressee.kind") {
      v = FilterEnumValue(v1::Addressee::Kind_descriptor(), "KIND_", t.value);
    } else if (t.field == "pillar") {
      v = FilterEnumValue(tv1::Pillar_descriptor(), "PILLAR_", t.value);
    } else if (t.field == "priority") {
      v = FilterEnumValue(v1::Priority_descriptor(), "PRIORITY_", t.value);
    } else if (t.field == "follow_up.status") {
      v = FilterEnumValue(v1::ImplementationStatus_descriptor(), "IMPLEMENTATION_STATUS_", t.value);
    } else if (t.field == "overdue") {
      v = absl::AsciiStrToLower(t.value);
      if (*v != "true" && *v != "false")
        return InvalidField("filter", "overdue must be true or false");
    } else if (t.field != "addressee.institution") {
      return InvalidField("filter",
                          absl::StrCat("cannot filter on \"", t.field,
                                       "\" (addressee.kind, addressee.institution, pillar, "
                                       "priority, follow_up.status, overdue)"));
    }
    THB_ASSIGN_OR_RETURN(t.value, std::move(v));
  }
  return terms;
}

bool Matches(const std::vector<FilterTerm>& terms, const v1::Recommendation& r) {
  for (const FilterTerm& t : terms) {
    std::string actual;
    if (t.field == "addressee.kind") actual = v1::Addressee::Kind_Name(r.addressee().kind());
    if (t.field == "addressee.institution") actual = r.addressee().institution();
    if (t.field == "pillar") actual = tv1::Pillar_Name(r.pillar());
    if (t.field == "priority") actual = v1::Priority_Name(r.priority());
    if (t.field == "follow_up.status")
      actual = v1::ImplementationStatus_Name(r.follow_up().status());
    if (t.field == "overdue") actual = r.overdue() ? "true" : "false";
    if (actual != t.value) return false;
  }
  return true;
}

// Whether `caller` speaks for the addressee of `r`.
bool IsAddressee(const Principal& caller, const v1::Recommendation& r) {
  switch (r.addressee().kind()) {
    case v1::Addressee::KIND_COORDINATOR:
      return caller.HasRole(roles::kCoordinatorOffice);
    case v1::Addressee::KIND_COMMISSION:
      return caller.HasRole(roles::kCommissionSecretariat);
    case v1::Addressee::KIND_INSTITUTION:
      return caller.HasRole(roles::kReportingInstitution) &&
             caller.institution == r.addressee().institution();
    default:
      return false;
  }
}

void ClearOutputOnly(v1::Recommendation& r) {
  r.clear_response();
  r.clear_follow_up();
  r.clear_history();
  r.clear_overdue();
  r.clear_create_time();
  r.clear_update_time();
  r.clear_etag();
}

const ResourceTable<v1::Recommendation>& Recommendations() {
  static const ResourceTable<v1::Recommendation> table(
      "recommendations", "recommendation", {{"create_time", [](const v1::Recommendation& r) {
                                               return Value(StoredTime(r.create_time()));
                                             }}});
  return table;
}

}  // namespace

void RecommendationBook::Decorate(v1::Recommendation& r) const {
  const absl::CivilDay today = absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone());
  r.set_overdue(IsSet(r.due_date()) && ToCivilDay(r.due_date()) < today &&
                r.follow_up().status() != v1::IMPLEMENTATION_STATUS_IMPLEMENTED);
}

absl::StatusOr<std::optional<v1::Recommendation>> RecommendationBook::DecoratedPrior(
    const MutationCall& call) {
  THB_ASSIGN_OR_RETURN(std::optional<v1::Recommendation> prior,
                       PriorResponse<v1::Recommendation>(db_, call));
  if (prior.has_value()) Decorate(*prior);
  return prior;
}

absl::Status RecommendationBook::Validate(const v1::Recommendation& r, const std::string& prefix,
                                          Transaction& tx) {
  FieldViolations v;
  if (absl::StripAsciiWhitespace(r.text()).empty()) v.Add(prefix + "text", "is required");
  const auto kind = r.addressee().kind();
  if (kind == v1::Addressee::KIND_UNSPECIFIED || !v1::Addressee::Kind_IsValid(kind)) {
    v.Add(prefix + "addressee.kind", "must be COORDINATOR, COMMISSION or INSTITUTION");
  } else if (kind == v1::Addressee::KIND_INSTITUTION) {
    if (!ParseResourceName(r.addressee().institution(), "institutions", "").ok()) {
      v.Add(prefix + "addressee.institution",
            "must be institutions/{id} for an INSTITUTION addressee");
    }
  } else if (!r.addressee().institution().empty()) {
    v.Add(prefix + "addressee.institution", "is set only for an INSTITUTION addressee");
  }
  if (!tv1::Pillar_IsValid(r.pillar())) v.Add(prefix + "pillar", "must be a Pillar value");
  for (int i = 0; i < r.forms_size(); ++i) {
    if (r.forms(i) == 0 || !tv1::FormOfExploitation_IsValid(r.forms(i))) {
      v.Add(absl::StrCat(prefix, "forms[", i, "]"), "must be a FormOfExploitation value");
    }
  }
  if (!v1::Priority_IsValid(r.priority())) v.Add(prefix + "priority", "must be a Priority value");
  if (IsSet(r.due_date()) && !IsValidDate(r.due_date()))
    v.Add(prefix + "due_date", "is not a calendar date");
  absl::StatusOr<std::string> report_id = std::string();
  if (!r.issuing_report().empty()) {
    report_id = ParseResourceName(r.issuing_report(), "reports", prefix + "issuing_report");
    if (!report_id.ok()) v.Add(prefix + "issuing_report", "must be reports/{id}");
  }
  if (!v.empty()) return v.ToStatus();
  if (!report_id->empty()) {
    THB_ASSIGN_OR_RETURN(std::vector<Row> rows,
                         tx.Query("SELECT 1 FROM reports WHERE id = $1", {*report_id}));
    if (rows.empty()) {
      return PreconditionFailed(
          type::v1::ERROR_REASON_REPORT_NOT_FOUND, type::v1::PRECONDITION_TYPE_REFERENCE,
          r.issuing_report(),
          absl::StrCat(prefix, "issuing_report: report ", r.issuing_report(), " does not exist"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Recommendation> RecommendationBook::Create(
    const AuditActor& actor, const v1::CreateRecommendationRequest& request) {
  v1::Recommendation result = request.recommendation();
  ClearOutputOnly(result);
  if (!request.recommendation_id().empty() && !IsValidResourceId(request.recommendation_id())) {
    return InvalidField(
        "recommendation_id",
        "must be 1-63 lower-case letters, digits or hyphens, starting with a letter");
  }
  const MutationCall call = {actor, "CreateRecommendation", request.request_id()};
  THB_ASSIGN_OR_RETURN(std::optional<v1::Recommendation> prior, DecoratedPrior(call));
  if (prior.has_value()) return *std::move(prior);
  // The addressee institution must be registered (before the write transaction: no remote
  // calls while holding it).
  if (result.addressee().kind() == v1::Addressee::KIND_INSTITUTION &&
      ParseResourceName(result.addressee().institution(), "institutions", "").ok()) {
    THB_RETURN_IF_ERROR(RequireActiveInstitution(coordinator_, result.addressee().institution(),
                                                 "recommendation.addressee.institution"));
  }
  THB_ASSIGN_OR_RETURN(
      v1::Recommendation created,
      RunMutation<v1::Recommendation>(
          db_, call, [&](Transaction& tx, v1::Recommendation& response) -> absl::Status {
            THB_RETURN_IF_ERROR(Validate(result, "recommendation.", tx));
            const std::string id =
                request.recommendation_id().empty() ? NewResourceId() : request.recommendation_id();
            response = result;
            response.set_name(absl::StrCat(kCollection, "/", id));
            const absl::Time now = clock_.Now();
            *response.mutable_create_time() = ToProtoTimestamp(now);
            *response.mutable_update_time() = ToProtoTimestamp(now);
            return Recommendations().Insert(tx, id, response);
          }));
  Decorate(created);
  return created;
}

absl::StatusOr<v1::Recommendation> RecommendationBook::Get(const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, "name"));
  THB_ASSIGN_OR_RETURN(std::optional<v1::Recommendation> found, Recommendations().Read(db_, id));
  if (!found.has_value()) return Recommendations().NotFound(name);
  Decorate(*found);
  return *std::move(found);
}

absl::StatusOr<v1::ListRecommendationsResponse> RecommendationBook::List(
    const v1::ListRecommendationsRequest& request) {
  THB_ASSIGN_OR_RETURN(std::vector<FilterTerm> terms, ParseFilter(request.filter()));
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  v1::ListRecommendationsResponse response;
  // Filtered here (overdue depends on today), so the page is cut here too.
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(
        std::vector<Row> rows,
        tx.Query("SELECT id, data FROM recommendations WHERE id > $1 ORDER BY id", {page.after}));
    for (const Row& row : rows) {
      v1::Recommendation r;
      if (!r.ParseFromString(row.Text(1)))
        return absl::DataLossError("stored recommendation does not parse");
      Decorate(r);
      if (!Matches(terms, r)) continue;
      if (response.recommendations_size() == page.page_size) {
        response.set_next_page_token(page.Token(std::string(
            absl::StripPrefix(response.recommendations().rbegin()->name(), "recommendations/"))));
        break;
      }
      *response.add_recommendations() = std::move(r);
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Recommendation> RecommendationBook::Change(
    const MutationCall& call, const std::string& name, const std::string& etag,
    ResourceChange<v1::Recommendation> change) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, "name"));
  THB_ASSIGN_OR_RETURN(v1::Recommendation result,
                       UpdateResource<v1::Recommendation>(
                           db_, call, Recommendations(), {id, name, etag}, clock_.Now(),
                           [&](Transaction& tx, v1::Recommendation& r) -> absl::Status {
                             THB_RETURN_IF_ERROR(change(tx, r));
                             r.clear_overdue();  // computed on reading, never stored
                             return absl::OkStatus();
                           }));
  Decorate(result);
  return result;
}

absl::StatusOr<v1::Recommendation> RecommendationBook::Update(
    const AuditActor& actor, const v1::UpdateRecommendationRequest& request) {
  static const std::vector<std::string> kWritable = {
      "text", "addressee", "pillar", "forms", "priority", "due_date", "issuing_report"};
  static const std::vector<std::string> kOutputOnly = {
      "name", "response", "follow_up", "history", "overdue", "create_time", "update_time", "etag"};
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(request.update_mask(), {kWritable, kOutputOnly, {}}, "Recommendation"));
  const v1::Recommendation& patch = request.recommendation();
  if (patch.addressee().kind() == v1::Addressee::KIND_INSTITUTION &&
      ParseResourceName(patch.addressee().institution(), "institutions", "").ok()) {
    for (const std::string& path : mask.paths()) {
      if (path != "addressee" && path.rfind("addressee.", 0) != 0) continue;
      THB_RETURN_IF_ERROR(RequireActiveInstitution(coordinator_, patch.addressee().institution(),
                                                   "recommendation.addressee.institution"));
      break;
    }
  }
  return Change({actor, "UpdateRecommendation", request.request_id()}, patch.name(), patch.etag(),
                [&](Transaction& tx, v1::Recommendation& r) {
                  ApplyUpdateMask(patch, mask, &r);
                  return Validate(r, "recommendation.", tx);
                });
}

absl::StatusOr<v1::Recommendation> RecommendationBook::Respond(
    const AuditActor& actor, const Principal& caller,
    const v1::RespondToRecommendationRequest& request) {
  FieldViolations v;
  if (request.position() == v1::RESPONSE_POSITION_UNSPECIFIED ||
      !v1::ResponsePosition_IsValid(request.position())) {
    v.Add("position", "must be ACCEPTED, PARTIALLY_ACCEPTED or REJECTED");
  }
  if (!request.linked_measure().empty() &&
      !ParseResourcePath(request.linked_measure(), {"plans", "measures"}, "linked_measure").ok()) {
    v.Add("linked_measure", "must be plans/{plan}/measures/{measure}");
  }
  if (!v.empty()) return v.ToStatus();
  THB_ASSIGN_OR_RETURN(v1::Recommendation current, Get(request.name()));
  if (!IsAddressee(caller, current)) {
    return Denied(
        type::v1::ERROR_REASON_NOT_ADDRESSEE,
        "only the addressee of a recommendation responds to it (the co-ordinator's office, the "
        "commission's secretariat, or the named institution)");
  }
  const MutationCall call = {actor, "RespondToRecommendation", request.request_id()};
  THB_ASSIGN_OR_RETURN(std::optional<v1::Recommendation> prior, DecoratedPrior(call));
  if (prior.has_value()) return *std::move(prior);
  if (!request.linked_measure().empty()) {
    absl::StatusOr<thb::coordinator::v1::Measure> m =
        coordinator_.GetMeasure(request.linked_measure());
    if (m.status().code() == absl::StatusCode::kNotFound) {
      return PreconditionFailed(type::v1::ERROR_REASON_MEASURE_NOT_FOUND,
                                type::v1::PRECONDITION_TYPE_REFERENCE, request.linked_measure(),
                                absl::StrCat("linked_measure: measure ", request.linked_measure(),
                                             " does not exist at the coordinator"));
    }
    THB_RETURN_IF_ERROR(m);
  }
  return Change(call, request.name(), request.etag(), [&](Transaction&, v1::Recommendation& r) {
    if (!IsAddressee(caller, r)) {
      return Denied(type::v1::ERROR_REASON_NOT_ADDRESSEE,
                    "the addressee changed; only the addressee responds");
    }
    v1::AddresseeResponse resp;
    resp.set_position(request.position());
    resp.set_planned_actions(request.planned_actions());
    resp.set_linked_measure(request.linked_measure());
    resp.set_responded_by(caller.subject);
    *resp.mutable_respond_time() = ToProtoTimestamp(clock_.Now());
    *r.mutable_response() = resp;
    *r.add_history()->mutable_response() = resp;
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Recommendation> RecommendationBook::AssessFollowUp(
    const AuditActor& actor, const Principal& caller,
    const v1::AssessRecommendationFollowUpRequest& request) {
  FieldViolations v;
  if (request.status() == v1::IMPLEMENTATION_STATUS_UNSPECIFIED ||
      !v1::ImplementationStatus_IsValid(request.status())) {
    v.Add("status", "must be NOT_STARTED, PARTIALLY_IMPLEMENTED, IMPLEMENTED or NOT_IMPLEMENTED");
  }
  if (absl::StripAsciiWhitespace(request.rationale()).empty()) v.Add("rationale", "is required");
  if (!v.empty()) return v.ToStatus();
  return Change({actor, "AssessRecommendationFollowUp", request.request_id()}, request.name(),
                request.etag(), [&](Transaction&, v1::Recommendation& r) -> absl::Status {
                  v1::FollowUpAssessment a;
                  a.set_status(request.status());
                  a.set_rationale(request.rationale());
                  a.set_assessed_by(caller.subject);
                  *a.mutable_assess_time() = ToProtoTimestamp(clock_.Now());
                  *r.mutable_follow_up() = a;
                  *r.add_history()->mutable_assessment() = a;
                  return absl::OkStatus();
                });
}

}  // namespace thb::rapporteur
