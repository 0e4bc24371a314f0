#include "services/commission/consultations.h"

#include "absl/strings/str_cat.h"
#include "services/commission/commission_tables.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"

namespace thb::commission {
namespace {

using thb::coordinator::v1::ActionPlan;
using thb::coordinator::v1::PolicyDocument;

bool IsOpenOn(const v1::Consultation& c, absl::CivilDay day) {
  return IsValidDate(c.open_date()) && IsValidDate(c.close_date()) &&
         ToCivilDay(c.open_date()) <= day && day <= ToCivilDay(c.close_date());
}

void ValidateConsultation(const v1::Consultation& c, FieldViolations& v) {
  if (c.plan().empty() == c.policy_document().empty()) {
    v.Add("consultation.plan", "name the plan or the policy document consulted on (exactly one)");
  } else if (!c.plan().empty() && !ParseResourceName(c.plan(), "plans", "").ok()) {
    v.Add("consultation.plan", "must be a plan name plans/{id}");
  } else if (!c.policy_document().empty() &&
             !ParseResourceName(c.policy_document(), "policyDocuments", "").ok()) {
    v.Add("consultation.policy_document", "must be a policy document name policyDocuments/{id}");
  }
  if (c.title().empty()) v.Add("consultation.title", "is required");
  if (!IsValidDate(c.open_date())) v.Add("consultation.open_date", "must be a valid calendar date");
  if (!IsValidDate(c.close_date()))
    v.Add("consultation.close_date", "must be a valid calendar date");
  if (IsValidDate(c.open_date()) && IsValidDate(c.close_date()) &&
      ToCivilDay(c.close_date()) < ToCivilDay(c.open_date())) {
    v.Add("consultation.close_date", "must not be before open_date");
  }
}

// The plan consulted on, at the coordinator: it exists and is DRAFT or IN_CONSULTATION.
absl::Status CheckPlan(CoordinatorClient& coordinator, const std::string& name) {
  absl::StatusOr<ActionPlan> plan = coordinator.GetPlan(name);
  if (plan.status().code() == absl::StatusCode::kNotFound) {
    return PreconditionFailed(
        type::v1::ERROR_REASON_PLAN_NOT_FOUND, type::v1::PRECONDITION_TYPE_REFERENCE, name,
        absl::StrCat("consultation.plan: ", name, " does not exist at the coordinator"));
  }
  THB_RETURN_IF_ERROR(plan);
  if (plan->state() != ActionPlan::STATE_DRAFT &&
      plan->state() != ActionPlan::STATE_IN_CONSULTATION) {
    return PreconditionFailed(
        type::v1::ERROR_REASON_PLAN_NOT_IN_CONSULTATION, type::v1::PRECONDITION_TYPE_STATE, name,
        absl::StrCat("consultation.plan: ", name, " is ", ActionPlan::State_Name(plan->state()),
                     "; consultations are on plans that are DRAFT or IN_CONSULTATION"));
  }
  return absl::OkStatus();
}

// The policy document consulted on, likewise.
absl::Status CheckPolicyDocument(CoordinatorClient& coordinator, const std::string& name) {
  absl::StatusOr<PolicyDocument> document = coordinator.GetPolicyDocument(name);
  if (document.status().code() == absl::StatusCode::kNotFound) {
    return PreconditionFailed(
        type::v1::ERROR_REASON_POLICY_DOCUMENT_NOT_FOUND, type::v1::PRECONDITION_TYPE_REFERENCE,
        name,
        absl::StrCat("consultation.policy_document: ", name, " does not exist at the coordinator"));
  }
  THB_RETURN_IF_ERROR(document);
  if (document->state() != PolicyDocument::STATE_DRAFT &&
      document->state() != PolicyDocument::STATE_IN_CONSULTATION) {
    return PreconditionFailed(
        type::v1::ERROR_REASON_POLICY_DOCUMENT_NOT_IN_CONSULTATION,
        type::v1::PRECONDITION_TYPE_STATE, name,
        absl::StrCat("consultation.policy_document: ", name, " is ",
                     PolicyDocument::State_Name(document->state()),
                     "; consultations are on documents that are DRAFT or IN_CONSULTATION"));
  }
  return absl::OkStatus();
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
  THB_RETURN_IF_ERROR(v.ToStatus());
  THB_RETURN_IF_ERROR(c.plan().empty() ? CheckPolicyDocument(coordinator_, c.policy_document())
                                       : CheckPlan(coordinator_, c.plan()));
  THB_ASSIGN_OR_RETURN(v1::Consultation result,
                       RunMutation<v1::Consultation>(
                           db_, {actor, "CreateConsultation", request.request_id()},
                           [&](Transaction& tx, v1::Consultation& created) -> absl::Status {
                             const std::string id = request.consultation_id().empty()
                                                        ? NewResourceId()
                                                        : request.consultation_id();
                             created = c;
                             created.set_name(absl::StrCat("consultations/", id));
                             const absl::Time now = clock_.Now();
                             *created.mutable_create_time() = ToProtoTimestamp(now);
                             *created.mutable_update_time() = ToProtoTimestamp(now);
                             created.clear_open();  // computed when read
                             return ConsultationTable().Insert(tx, id, created);
                           }));
  result.set_open(IsOpenOn(result, DayOf(clock_.Now())));
  return result;
}

absl::StatusOr<v1::Consultation> Consultations::Get(const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, "consultations", "name"));
  v1::Consultation found;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(auto stored, ConsultationTable().Load(tx, id, name));
    found = std::move(stored.resource);
    return absl::OkStatus();
  }));
  found.set_open(IsOpenOn(found, DayOf(clock_.Now())));
  return found;
}

absl::StatusOr<v1::ListConsultationsResponse> Consultations::List(
    const v1::ListConsultationsRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  v1::ListConsultationsResponse out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListById(tx, {"consultations"}, page, out.mutable_consultations(),
                    out.mutable_next_page_token());
  }));
  const absl::CivilDay today = DayOf(clock_.Now());
  for (auto& c : *out.mutable_consultations()) c.set_open(IsOpenOn(c, today));
  return out;
}

absl::StatusOr<v1::Consultation> Consultations::Update(
    const AuditActor& actor, const v1::UpdateConsultationRequest& request) {
  static const std::vector<std::string> kWritable = {"title", "description", "open_date",
                                                     "close_date"};
  const v1::Consultation& patch = request.consultation();
  THB_ASSIGN_OR_RETURN(std::string id,
                       ParseResourceName(patch.name(), "consultations", "consultation.name"));
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(
          request.update_mask(),
          {kWritable,
           {"name", "open", "create_time", "update_time", "etag"},
           {{"plan", "the plan consulted on does not change; open another consultation"},
            {"policy_document",
             "the document consulted on does not change; open another consultation"}}},
          "Consultation"));
  THB_ASSIGN_OR_RETURN(v1::Consultation result,
                       UpdateResource<v1::Consultation>(
                           db_, {actor, "UpdateConsultation", request.request_id()},
                           ConsultationTable(), {id, patch.name(), patch.etag()}, clock_.Now(),
                           [&](Transaction&, v1::Consultation& changed) -> absl::Status {
                             ApplyUpdateMask(patch, mask, &changed);
                             FieldViolations fv;
                             ValidateConsultation(changed, fv);
                             return fv.ToStatus();
                           }));
  result.set_open(IsOpenOn(result, DayOf(clock_.Now())));
  return result;
}

absl::StatusOr<v1::Submission> Consultations::Submit(const AuditActor& actor,
                                                     const Principal& caller,
                                                     const v1::CreateSubmissionRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string cid,
                       ParseResourceName(request.parent(), "consultations", "parent"));
  FieldViolations v;
  if (request.submission().text().empty()) v.Add("submission.text", "is required");
  if (!request.submission_id().empty() && !IsValidResourceId(request.submission_id())) {
    v.Add("submission_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  return RunMutation<v1::Submission>(
      db_, {actor, "CreateSubmission", request.request_id()},
      [&](Transaction& tx, v1::Submission& result) -> absl::Status {
        THB_ASSIGN_OR_RETURN(auto c, ConsultationTable().Load(tx, cid, request.parent()));
        if (!IsOpenOn(c.resource, DayOf(clock_.Now()))) {
          return PreconditionFailed(
              type::v1::ERROR_REASON_CONSULTATION_NOT_OPEN, type::v1::PRECONDITION_TYPE_WINDOW,
              request.parent(),
              absl::StrCat("consultation ", request.parent(), " is open from ",
                           FormatDate(c.resource.open_date()), " to ",
                           FormatDate(c.resource.close_date()),
                           "; submissions are accepted only then"));
        }
        THB_ASSIGN_OR_RETURN(
            std::vector<Row> seat,
            tx.Query("SELECT id, seat FROM members WHERE institution = $1", {caller.institution}));
        if (seat.empty() || (seat[0].Int(1) != v1::SEAT_CIVIL_SOCIETY &&
                             seat[0].Int(1) != v1::SEAT_SURVIVOR_LEADER)) {
          return Denied(
              type::v1::ERROR_REASON_NOT_CONSULTED_SEAT,
              absl::StrCat("submissions come from civil-society and survivor-leader members; ",
                           caller.institution.empty()
                               ? "the token names no institution"
                               : caller.institution + " holds no such seat"));
        }
        const std::string id =
            request.submission_id().empty() ? NewResourceId() : request.submission_id();
        result = request.submission();
        result.set_name(absl::StrCat(request.parent(), "/submissions/", id));
        result.set_member(absl::StrCat("members/", seat[0].Text(0)));
        result.clear_outcome();
        result.clear_response_reason();
        result.clear_response_time();
        *result.mutable_create_time() = ToProtoTimestamp(clock_.Now());
        return SubmissionTable().Insert(tx, absl::StrCat(cid, "/", id), result);
      });
}

bool Consultations::SeesUnanswered(const Viewer& viewer) {
  return viewer.HasRole(roles::kCommissionSecretariat) ||
         viewer.HasRole(roles::kCommissionMember) || viewer.HasRole(roles::kCivilSociety) ||
         viewer.HasRole(roles::kCoordinatorOffice) || viewer.HasRole(roles::kServiceRapporteur);
}

absl::StatusOr<v1::Submission> Consultations::GetSubmission(const Viewer& viewer,
                                                            const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                       ParseResourcePath(name, {"consultations", "submissions"}, "name"));
  v1::Submission found;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(auto stored,
                         SubmissionTable().Load(tx, absl::StrCat(ids[0], "/", ids[1]), name));
    found = std::move(stored.resource);
    return absl::OkStatus();
  }));
  // The same answer as for a submission that does not exist: its existence is not public yet.
  if (!found.has_response_time() && !SeesUnanswered(viewer)) {
    return SubmissionTable().NotFound(name);
  }
  return found;
}

absl::StatusOr<v1::ListSubmissionsResponse> Consultations::ListSubmissions(
    const Viewer& viewer, const v1::ListSubmissionsRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string cid,
                       ParseResourceName(request.parent(), "consultations", "parent"));
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  const bool all = SeesUnanswered(viewer);
  v1::ListSubmissionsResponse out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListByIdFiltered(
        tx, {"submissions", "consultation = $1", {cid}}, page,
        [all](const v1::Submission& s) -> absl::StatusOr<bool> {
          return all || s.has_response_time();
        },
        out.mutable_submissions(), out.mutable_next_page_token());
  }));
  return out;
}

absl::StatusOr<v1::Submission> Consultations::Respond(
    const AuditActor& actor, const v1::RespondToSubmissionRequest& request) {
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                       ParseResourcePath(request.name(), {"consultations", "submissions"}, "name"));
  FieldViolations v;
  if (request.outcome() == v1::RESPONSE_OUTCOME_UNSPECIFIED ||
      !v1::ResponseOutcome_IsValid(request.outcome())) {
    v.Add("outcome", "must be ACCEPTED, PARTIALLY_ACCEPTED or NOT_ACCEPTED");
  }
  if (request.outcome() != v1::RESPONSE_OUTCOME_ACCEPTED && request.reason().empty()) {
    v.Add("reason", "is required unless the submission is accepted");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = clock_.Now();
  return UpdateResource<v1::Submission>(
      db_, {actor, "RespondToSubmission", request.request_id()}, SubmissionTable(),
      {absl::StrCat(ids[0], "/", ids[1]), request.name(), request.etag()}, now,
      [&](Transaction&, v1::Submission& result) -> absl::Status {
        result.set_outcome(request.outcome());
        result.set_response_reason(request.reason());
        *result.mutable_response_time() = ToProtoTimestamp(now);
        return absl::OkStatus();
      });
}

}  // namespace thb::commission
