#include "services/rapporteur/recommendations.h"

#include <google/protobuf/util/field_mask_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/audit_log.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/filter_terms.h"
#include "services/common/idempotency.h"
#include "services/common/resources.h"
#include "services/common/update_mask.h"
#include "services/common/versioned_rows.h"

namespace thb::rapporteur {
namespace {

namespace tv1 = ::thb::type::v1;
constexpr char kCollection[] = "recommendations";

absl::StatusOr<std::vector<FilterTerm>> ParseFilter(const std::string& text) {
  absl::StatusOr<std::vector<FilterTerm>> terms = SplitFilter(text);
  if (!terms.ok()) return terms.status();
  for (FilterTerm& t : *terms) {
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
    if (!v.ok()) return v.status();
    t.value = *v;
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

}  // namespace

void RecommendationBook::Decorate(v1::Recommendation& r) const {
  const absl::CivilDay today = absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone());
  r.set_overdue(IsSet(r.due_date()) && ToCivilDay(r.due_date()) < today &&
                r.follow_up().status() != v1::IMPLEMENTATION_STATUS_IMPLEMENTED);
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
    absl::StatusOr<std::vector<Row>> rows =
        tx.Query("SELECT 1 FROM reports WHERE id = $1", {*report_id});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) {
      return absl::FailedPreconditionError(
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
  absl::StatusOr<bool> answered = FindPriorResponseBeforeWrite(db_, actor, "CreateRecommendation",
                                                               request.request_id(), &result);
  if (!answered.ok()) return answered.status();
  if (*answered) {
    Decorate(result);
    return result;
  }
  // The addressee institution must be registered (before the write transaction: no remote
  // calls while holding it).
  if (result.addressee().kind() == v1::Addressee::KIND_INSTITUTION &&
      ParseResourceName(result.addressee().institution(), "institutions", "").ok()) {
    if (absl::Status s = RequireActiveInstitution(coordinator_, result.addressee().institution(),
                                                  "recommendation.addressee.institution");
        !s.ok()) {
      return s;
    }
  }
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CreateRecommendation", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    if (absl::Status v = Validate(result, "recommendation.", tx); !v.ok()) return v;
    const std::string id =
        request.recommendation_id().empty() ? NewResourceId() : request.recommendation_id();
    result.set_name(absl::StrCat(kCollection, "/", id));
    const absl::Time now = clock_.Now();
    *result.mutable_create_time() = ToProtoTimestamp(now);
    *result.mutable_update_time() = ToProtoTimestamp(now);
    result.set_etag(EtagForVersion(1));
    absl::StatusOr<int64_t> n = tx.Execute(
        "INSERT INTO recommendations (id, create_time, version, data) VALUES ($1, $2, 1, $3)",
        {id, FormatStoredTime(now), Blob{result.SerializeAsString()}});
    if (!n.ok()) {
      if (n.status().code() == absl::StatusCode::kAlreadyExists) {
        return absl::AlreadyExistsError(
            absl::StrCat("recommendation ", result.name(), " already exists"));
      }
      return n.status();
    }
    return RecordMutation(tx, actor, "CreateRecommendation", request.request_id(), result.name(),
                          result);
  });
  if (!s.ok()) return s;
  Decorate(result);
  return result;
}

absl::StatusOr<v1::Recommendation> RecommendationBook::Get(const std::string& name) {
  absl::StatusOr<std::string> id = ParseResourceName(name, kCollection, "name");
  if (!id.ok()) return id.status();
  std::optional<Versioned<v1::Recommendation>> found;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    auto loaded = LoadVersioned<v1::Recommendation>(tx, "recommendations", *id);
    if (!loaded.ok()) return loaded.status();
    found = std::move(*loaded);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!found) return absl::NotFoundError(absl::StrCat("recommendation ", name, " does not exist"));
  Decorate(found->resource);
  return found->resource;
}

absl::StatusOr<v1::ListRecommendationsResponse> RecommendationBook::List(
    const v1::ListRecommendationsRequest& request) {
  absl::StatusOr<std::vector<FilterTerm>> terms = ParseFilter(request.filter());
  if (!terms.ok()) return terms.status();
  absl::StatusOr<PageRequest> page = ParsePageRequest(request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  v1::ListRecommendationsResponse response;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows =
        tx.Query("SELECT id, data FROM recommendations WHERE id > $1 ORDER BY id", {page->after});
    if (!rows.ok()) return rows.status();
    for (const Row& row : *rows) {
      v1::Recommendation r;
      if (!r.ParseFromString(row.Text(1)))
        return absl::DataLossError("stored recommendation does not parse");
      Decorate(r);
      if (!Matches(*terms, r)) continue;
      if (response.recommendations_size() == page->page_size) {
        response.set_next_page_token(EncodePageToken(std::string(
            absl::StripPrefix(response.recommendations().rbegin()->name(), "recommendations/"))));
        break;
      }
      *response.add_recommendations() = std::move(r);
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return response;
}

absl::StatusOr<v1::Recommendation> RecommendationBook::Change(
    const AuditActor& actor, const std::string& method, const std::string& request_id,
    const std::string& name, const std::string& etag,
    const std::function<absl::Status(Transaction&, v1::Recommendation&)>& change) {
  absl::StatusOr<std::string> id = ParseResourceName(name, kCollection, "name");
  if (!id.ok()) return id.status();
  v1::Recommendation result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior = FindPriorResponse(tx, actor, method, request_id, &result);
    if (!prior.ok() || *prior) return prior.status();
    auto stored = LoadVersioned<v1::Recommendation>(tx, "recommendations", *id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value())
      return absl::NotFoundError(absl::StrCat("recommendation ", name, " does not exist"));
    if (absl::Status e = CheckEtag(etag, (*stored)->resource.etag(), name); !e.ok()) return e;
    result = (*stored)->resource;
    if (absl::Status c = change(tx, result); !c.ok()) return c;
    const int64_t version = (*stored)->version + 1;
    *result.mutable_update_time() = ToProtoTimestamp(clock_.Now());
    result.set_etag(EtagForVersion(version));
    result.clear_overdue();
    absl::StatusOr<int64_t> n =
        tx.Execute("UPDATE recommendations SET data = $2, version = $3 WHERE id = $1",
                   {*id, Blob{result.SerializeAsString()}, version});
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, method, request_id, result.name(), result);
  });
  if (!s.ok()) return s;
  Decorate(result);
  return result;
}

absl::StatusOr<v1::Recommendation> RecommendationBook::Update(
    const AuditActor& actor, const v1::UpdateRecommendationRequest& request) {
  static const std::vector<std::string> kWritable = {
      "text", "addressee", "pillar", "forms", "priority", "due_date", "issuing_report"};
  static const std::vector<std::string> kOutputOnly = {
      "name", "response", "follow_up", "history", "overdue", "create_time", "update_time", "etag"};
  absl::StatusOr<google::protobuf::FieldMask> mask =
      ResolveUpdateMask(request.update_mask(), {kWritable, kOutputOnly, {}}, "Recommendation");
  if (!mask.ok()) return mask.status();
  const v1::Recommendation& patch = request.recommendation();
  if (patch.addressee().kind() == v1::Addressee::KIND_INSTITUTION &&
      ParseResourceName(patch.addressee().institution(), "institutions", "").ok()) {
    for (const std::string& path : mask->paths()) {
      if (path != "addressee" && path.rfind("addressee.", 0) != 0) continue;
      if (absl::Status s = RequireActiveInstitution(coordinator_, patch.addressee().institution(),
                                                    "recommendation.addressee.institution");
          !s.ok()) {
        return s;
      }
      break;
    }
  }
  return Change(actor, "UpdateRecommendation", request.request_id(), patch.name(), patch.etag(),
                [&](Transaction& tx, v1::Recommendation& r) {
                  google::protobuf::util::FieldMaskUtil::MergeOptions replace;
                  replace.set_replace_repeated_fields(true);
                  replace.set_replace_message_fields(true);
                  google::protobuf::util::FieldMaskUtil::MergeMessageTo(patch, *mask, replace, &r);
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
  absl::StatusOr<v1::Recommendation> current = Get(request.name());
  if (!current.ok()) return current.status();
  if (!IsAddressee(caller, *current)) {
    return absl::PermissionDeniedError(
        "only the addressee of a recommendation responds to it (the co-ordinator's office, the "
        "commission's secretariat, or the named institution)");
  }
  v1::Recommendation prior;
  absl::StatusOr<bool> answered = FindPriorResponseBeforeWrite(
      db_, actor, "RespondToRecommendation", request.request_id(), &prior);
  if (!answered.ok()) return answered.status();
  if (*answered) {
    Decorate(prior);
    return prior;
  }
  if (!request.linked_measure().empty()) {
    absl::StatusOr<thb::coordinator::v1::Measure> m =
        coordinator_.GetMeasure(request.linked_measure());
    if (m.status().code() == absl::StatusCode::kNotFound) {
      return absl::FailedPreconditionError(absl::StrCat("linked_measure: measure ",
                                                        request.linked_measure(),
                                                        " does not exist at the coordinator"));
    }
    if (!m.ok()) return m.status();
  }
  return Change(
      actor, "RespondToRecommendation", request.request_id(), request.name(), request.etag(),
      [&](Transaction&, v1::Recommendation& r) {
        if (!IsAddressee(caller, r)) {
          return absl::PermissionDeniedError("the addressee changed; only the addressee responds");
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
  return Change(actor, "AssessRecommendationFollowUp", request.request_id(), request.name(),
                request.etag(), [&](Transaction&, v1::Recommendation& r) {
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
