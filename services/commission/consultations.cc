#include "services/commission/consultations.h"

#include <google/protobuf/util/field_mask_util.h>

#include "absl/strings/str_cat.h"
#include "services/common/audit_log.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/resources.h"
#include "services/common/update_mask.h"
#include "services/common/versioned_rows.h"

namespace thb::commission {
namespace {

using thb::coordinator::v1::ActionPlan;

bool IsOpenOn(const v1::Consultation& c, absl::CivilDay day) {
  return IsValidDate(c.open_date()) && IsValidDate(c.close_date()) &&
         ToCivilDay(c.open_date()) <= day && day <= ToCivilDay(c.close_date());
}

}  // namespace

namespace {

void ValidateConsultation(const v1::Consultation& c, FieldViolations& v) {
  if (!ParseResourceName(c.plan(), "plans", "").ok())
    v.Add("consultation.plan", "must be a plan name plans/{id}");
  if (c.title().empty() || c.title().size() > 300)
    v.Add("consultation.title", "is required, at most 300 characters");
  if (c.description().size() > 10000)
    v.Add("consultation.description", "must be at most 10000 characters");
  if (!IsValidDate(c.open_date())) v.Add("consultation.open_date", "must be a valid calendar date");
  if (!IsValidDate(c.close_date()))
    v.Add("consultation.close_date", "must be a valid calendar date");
  if (IsValidDate(c.open_date()) && IsValidDate(c.close_date()) &&
      ToCivilDay(c.close_date()) < ToCivilDay(c.open_date())) {
    v.Add("consultation.close_date", "must not be before open_date");
  }
}

}  // namespace

absl::StatusOr<v1::Consultation> Consultations::Create(
    const AuditActor& actor, const v1::CreateConsultationRequest& request) {
  const v1::Consultation& c = request.consultation();
  FieldViolations v;
  ValidateConsultation(c, v);
  if (!request.consultation_id().empty() && !IsValidResourceId(request.consultation_id())) {
    v.Add("consultation_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  if (!v.empty()) return v.ToStatus();
  absl::StatusOr<ActionPlan> plan = coordinator_.GetPlan(c.plan());
  if (plan.status().code() == absl::StatusCode::kNotFound) {
    return absl::FailedPreconditionError(
        absl::StrCat("consultation.plan: ", c.plan(), " does not exist at the coordinator"));
  }
  if (!plan.ok()) return plan.status();
  if (plan->state() != ActionPlan::STATE_DRAFT &&
      plan->state() != ActionPlan::STATE_IN_CONSULTATION) {
    return absl::FailedPreconditionError(
        absl::StrCat("consultation.plan: ", c.plan(), " is ", ActionPlan::State_Name(plan->state()),
                     "; consultations are on plans that are DRAFT or IN_CONSULTATION"));
  }
  v1::Consultation result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CreateConsultation", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    const std::string id =
        request.consultation_id().empty() ? NewResourceId() : request.consultation_id();
    result = c;
    result.set_name(absl::StrCat("consultations/", id));
    const absl::Time now = clock_.Now();
    *result.mutable_create_time() = ToProtoTimestamp(now);
    *result.mutable_update_time() = ToProtoTimestamp(now);
    result.set_etag(EtagForVersion(1));
    result.clear_open();
    absl::StatusOr<int64_t> n =
        tx.Execute("INSERT INTO consultations (id, plan, data, version) VALUES ($1, $2, $3, 1)",
                   {id, c.plan(), Blob{result.SerializeAsString()}});
    if (n.status().code() == absl::StatusCode::kAlreadyExists) {
      return absl::AlreadyExistsError(
          absl::StrCat("consultation ", result.name(), " already exists"));
    }
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "CreateConsultation", request.request_id(), result.name(),
                          result);
  });
  if (!s.ok()) return s;
  result.set_open(IsOpenOn(result, DayOf(clock_.Now())));
  return result;
}

absl::StatusOr<v1::Consultation> Consultations::Get(const std::string& name) {
  absl::StatusOr<std::string> id = ParseResourceName(name, "consultations", "name");
  if (!id.ok()) return id.status();
  std::optional<Versioned<v1::Consultation>> stored;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<Versioned<v1::Consultation>>> c =
        LoadVersioned<v1::Consultation>(tx, "consultations", *id);
    if (!c.ok()) return c.status();
    stored = *std::move(c);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!stored) return absl::NotFoundError(absl::StrCat("consultation ", name, " does not exist"));
  stored->resource.set_open(IsOpenOn(stored->resource, DayOf(clock_.Now())));
  return stored->resource;
}

absl::StatusOr<v1::ListConsultationsResponse> Consultations::List(
    const v1::ListConsultationsRequest& request) {
  absl::StatusOr<PageRequest> page = ParsePageRequest(request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  v1::ListConsultationsResponse out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows =
        tx.Query("SELECT id, data FROM consultations WHERE id > $1 ORDER BY id LIMIT $2",
                 {page->after, static_cast<int64_t>(page->page_size) + 1});
    if (!rows.ok()) return rows.status();
    return FillPage(*rows, page->page_size, out.mutable_consultations(),
                    out.mutable_next_page_token());
  });
  if (!s.ok()) return s;
  const absl::CivilDay today = DayOf(clock_.Now());
  for (auto& c : *out.mutable_consultations()) c.set_open(IsOpenOn(c, today));
  return out;
}

absl::StatusOr<v1::Consultation> Consultations::Update(
    const AuditActor& actor, const v1::UpdateConsultationRequest& request) {
  static const std::vector<std::string> kWritable = {"title", "description", "open_date",
                                                     "close_date"};
  absl::StatusOr<std::string> id =
      ParseResourceName(request.consultation().name(), "consultations", "consultation.name");
  if (!id.ok()) return id.status();
  absl::StatusOr<google::protobuf::FieldMask> mask = ResolveUpdateMask(
      request.update_mask(),
      {kWritable,
       {"name", "open", "create_time", "update_time", "etag"},
       {{"plan", "the plan consulted on does not change; open another consultation"}}},
      "Consultation");
  if (!mask.ok()) return mask.status();
  v1::Consultation result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "UpdateConsultation", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<std::optional<Versioned<v1::Consultation>>> stored =
        LoadVersioned<v1::Consultation>(tx, "consultations", *id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) {
      return absl::NotFoundError(
          absl::StrCat("consultation ", request.consultation().name(), " does not exist"));
    }
    if (absl::Status e = CheckEtag(request.consultation().etag(), (*stored)->resource.etag(),
                                   request.consultation().name());
        !e.ok()) {
      return e;
    }
    result = (*stored)->resource;
    google::protobuf::util::FieldMaskUtil::MergeMessageTo(request.consultation(), *mask, {},
                                                          &result);
    FieldViolations fv;
    ValidateConsultation(result, fv);
    if (!fv.empty()) return fv.ToStatus();
    *result.mutable_update_time() = ToProtoTimestamp(clock_.Now());
    result.set_etag(EtagForVersion((*stored)->version + 1));
    absl::StatusOr<int64_t> n =
        tx.Execute("UPDATE consultations SET data = $2, version = $3 WHERE id = $1",
                   {*id, Blob{result.SerializeAsString()}, (*stored)->version + 1});
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "UpdateConsultation", request.request_id(), result.name(),
                          result);
  });
  if (!s.ok()) return s;
  result.set_open(IsOpenOn(result, DayOf(clock_.Now())));
  return result;
}

absl::StatusOr<v1::Submission> Consultations::Submit(const AuditActor& actor,
                                                     const Principal& caller,
                                                     const v1::CreateSubmissionRequest& request) {
  absl::StatusOr<std::string> cid = ParseResourceName(request.parent(), "consultations", "parent");
  if (!cid.ok()) return cid.status();
  FieldViolations v;
  if (request.submission().text().empty() || request.submission().text().size() > 20000) {
    v.Add("submission.text", "is required, at most 20000 characters");
  }
  if (request.submission().section_reference().size() > 300) {
    v.Add("submission.section_reference", "must be at most 300 characters");
  }
  if (!v.empty()) return v.ToStatus();
  v1::Submission result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CreateSubmission", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<std::optional<Versioned<v1::Consultation>>> c =
        LoadVersioned<v1::Consultation>(tx, "consultations", *cid);
    if (!c.ok()) return c.status();
    if (!c->has_value())
      return absl::NotFoundError(
          absl::StrCat("consultation ", request.parent(), " does not exist"));
    if (!IsOpenOn((*c)->resource, DayOf(clock_.Now()))) {
      return absl::FailedPreconditionError(absl::StrCat(
          "consultation ", request.parent(), " is open from ",
          FormatDate((*c)->resource.open_date()), " to ", FormatDate((*c)->resource.close_date()),
          "; submissions are accepted only then"));
    }
    absl::StatusOr<std::vector<Row>> seat =
        tx.Query("SELECT id, seat FROM members WHERE institution = $1", {caller.institution});
    if (!seat.ok()) return seat.status();
    if (seat->empty() || ((*seat)[0].Int(1) != v1::SEAT_CIVIL_SOCIETY &&
                          (*seat)[0].Int(1) != v1::SEAT_SURVIVOR_LEADER)) {
      return absl::PermissionDeniedError(
          absl::StrCat("submissions come from civil-society and survivor-leader members; ",
                       caller.institution.empty() ? "the token names no institution"
                                                  : caller.institution + " holds no such seat"));
    }
    const std::string id = NewResourceId();
    result = request.submission();
    result.set_name(absl::StrCat(request.parent(), "/submissions/", id));
    result.set_member(absl::StrCat("members/", (*seat)[0].Text(0)));
    result.clear_outcome();
    result.clear_response_reason();
    result.clear_response_time();
    *result.mutable_create_time() = ToProtoTimestamp(clock_.Now());
    result.set_etag(EtagForVersion(1));
    absl::StatusOr<int64_t> n = tx.Execute(
        "INSERT INTO submissions (id, consultation, data, version) VALUES ($1, $2, $3, 1)",
        {absl::StrCat(*cid, "/", id), *cid, Blob{result.SerializeAsString()}});
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "CreateSubmission", request.request_id(), result.name(),
                          result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::Submission> Consultations::GetSubmission(const std::string& name) {
  absl::StatusOr<std::vector<std::string>> ids =
      ParseResourcePath(name, {"consultations", "submissions"}, "name");
  if (!ids.ok()) return ids.status();
  std::optional<Versioned<v1::Submission>> stored;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<Versioned<v1::Submission>>> sub =
        LoadVersioned<v1::Submission>(tx, "submissions", absl::StrCat((*ids)[0], "/", (*ids)[1]));
    if (!sub.ok()) return sub.status();
    stored = *std::move(sub);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!stored) return absl::NotFoundError(absl::StrCat("submission ", name, " does not exist"));
  return stored->resource;
}

absl::StatusOr<v1::ListSubmissionsResponse> Consultations::ListSubmissions(
    const v1::ListSubmissionsRequest& request) {
  absl::StatusOr<std::string> cid = ParseResourceName(request.parent(), "consultations", "parent");
  if (!cid.ok()) return cid.status();
  absl::StatusOr<PageRequest> page = ParsePageRequest(request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  v1::ListSubmissionsResponse out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows = tx.Query(
        "SELECT id, data FROM submissions WHERE consultation = $1 AND id > $2 ORDER BY id LIMIT $3",
        {*cid, page->after, static_cast<int64_t>(page->page_size) + 1});
    if (!rows.ok()) return rows.status();
    return FillPage(*rows, page->page_size, out.mutable_submissions(),
                    out.mutable_next_page_token());
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::Submission> Consultations::Respond(
    const AuditActor& actor, const v1::RespondToSubmissionRequest& request) {
  absl::StatusOr<std::vector<std::string>> ids =
      ParseResourcePath(request.name(), {"consultations", "submissions"}, "name");
  if (!ids.ok()) return ids.status();
  FieldViolations v;
  if (request.outcome() == v1::RESPONSE_OUTCOME_UNSPECIFIED ||
      !v1::ResponseOutcome_IsValid(request.outcome())) {
    v.Add("outcome", "must be ACCEPTED, PARTIALLY_ACCEPTED or NOT_ACCEPTED");
  }
  if (request.outcome() != v1::RESPONSE_OUTCOME_ACCEPTED && request.reason().empty()) {
    v.Add("reason", "is required unless the submission is accepted");
  }
  if (request.reason().size() > 10000) v.Add("reason", "must be at most 10000 characters");
  if (!v.empty()) return v.ToStatus();
  const std::string key = absl::StrCat((*ids)[0], "/", (*ids)[1]);
  v1::Submission result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "RespondToSubmission", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<std::optional<Versioned<v1::Submission>>> sub =
        LoadVersioned<v1::Submission>(tx, "submissions", key);
    if (!sub.ok()) return sub.status();
    if (!sub->has_value())
      return absl::NotFoundError(absl::StrCat("submission ", request.name(), " does not exist"));
    if (absl::Status e = CheckEtag(request.etag(), (*sub)->resource.etag(), request.name());
        !e.ok())
      return e;
    result = (*sub)->resource;
    result.set_outcome(request.outcome());
    result.set_response_reason(request.reason());
    *result.mutable_response_time() = ToProtoTimestamp(clock_.Now());
    result.set_etag(EtagForVersion((*sub)->version + 1));
    absl::StatusOr<int64_t> n =
        tx.Execute("UPDATE submissions SET data = $2, version = $3 WHERE id = $1",
                   {key, Blob{result.SerializeAsString()}, (*sub)->version + 1});
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "RespondToSubmission", request.request_id(), result.name(),
                          result);
  });
  if (!s.ok()) return s;
  return result;
}

}  // namespace thb::commission
