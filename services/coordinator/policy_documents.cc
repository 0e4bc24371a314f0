#include "services/coordinator/policy_documents.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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
#include "services/coordinator/document_links.h"
#include "services/coordinator/resource_links.h"

namespace thb::coordinator {
namespace {

using State = v1::PolicyDocument::State;

constexpr char kCollection[] = "policyDocuments";
const std::vector<std::string> kWritable = {
    "title",           "kind",         "description",     "owner_institution",
    "review_due_date", "document_uri", "linked_measures", "internal_notes"};
const std::vector<std::string> kOutputOnly = {
    "name", "state", "adopted_on", "superseded_by", "create_time", "update_time", "etag"};

const ResourceTable<v1::PolicyDocument>& DocumentTable() {
  static const ResourceTable<v1::PolicyDocument> table(
      "policy_documents", "policy document",
      {{"state", [](const v1::PolicyDocument& d) { return Value(int64_t{d.state()}); }}});
  return table;
}

bool ReviewOverdue(const v1::PolicyDocument& d, absl::CivilDay today) {
  return d.state() == v1::PolicyDocument::STATE_ADOPTED && IsValidDate(d.review_due_date()) &&
         ToCivilDay(d.review_due_date()) < today;
}

void Validate(const v1::PolicyDocument& d, FieldViolations& v) {
  const std::string f = "policy_document.";
  if (d.title().empty()) v.Add(f + "title", "is required");
  if (d.kind() == v1::PolicyDocument::KIND_UNSPECIFIED ||
      !v1::PolicyDocument::Kind_IsValid(d.kind())) {
    v.Add(f + "kind", "must be one of the PolicyDocument.Kind values");
  }
  if (d.owner_institution().empty()) v.Add(f + "owner_institution", "is required");
  if (IsSet(d.review_due_date()) && !IsValidDate(d.review_due_date())) {
    v.Add(f + "review_due_date", "is not a valid calendar date");
  }
  if (!d.document_uri().empty() && !IsDocumentLink(d.document_uri())) {
    v.Add(f + "document_uri", "must be an https or http link");
  }
}

absl::Status CheckReferences(Transaction& tx, const v1::PolicyDocument& d,
                             const v1::PolicyDocument* before) {
  FieldViolations v;
  const bool unchanged = before != nullptr && before->owner_institution() == d.owner_institution();
  THB_RETURN_IF_ERROR(CheckInstitutionReference(
      tx, d.owner_institution(), "policy_document.owner_institution", !unchanged, v));
  for (int i = 0; i < d.linked_measures_size(); ++i) {
    THB_RETURN_IF_ERROR(CheckMeasureReference(
        tx, d.linked_measures(i), absl::StrCat("policy_document.linked_measures[", i, "]"), v));
  }
  return v.ToStatus();
}

absl::Status SaveDocumentLinks(Transaction& tx, const v1::PolicyDocument& d) {
  std::vector<std::string> targets(d.linked_measures().begin(), d.linked_measures().end());
  targets.push_back(d.owner_institution());
  targets.push_back(d.superseded_by());
  return SaveLinks(tx, d.name(), targets);
}

std::string StateName(State s) {
  return std::string(absl::StripPrefix(v1::PolicyDocument::State_Name(s), "STATE_"));
}

class DocumentFilter {
 public:
  static absl::StatusOr<DocumentFilter> Parse(const std::string& text) {
    DocumentFilter f;
    THB_ASSIGN_OR_RETURN(std::vector<FilterTerm> terms, SplitFilter(text, "="));
    THB_RETURN_IF_ERROR(RejectRepeatedFields(terms));
    for (const FilterTerm& t : terms) {
      if (t.field == "kind") {
        THB_ASSIGN_OR_RETURN(f.kind_, FilterEnumNumber(v1::PolicyDocument::Kind_descriptor(),
                                                       "KIND_", t.value, "policy document kind"));
      } else if (t.field == "state") {
        THB_ASSIGN_OR_RETURN(
            f.state_, FilterEnumNumber(v1::PolicyDocument::State_descriptor(), "STATE_", t.value,
                                       "policy document state"));
      } else if (t.field == "owner_institution") {
        f.owner_ = t.value;
      } else if (t.field == "linked_measure") {
        f.measure_ = t.value;
      } else if (t.field == "review_overdue") {
        THB_ASSIGN_OR_RETURN(f.review_overdue_, FilterBool(t.field, t.value));
      } else {
        return InvalidField("filter",
                            absl::StrCat("cannot filter on \"", t.field,
                                         "\" (kind, state, owner_institution, linked_measure, "
                                         "review_overdue)"));
      }
    }
    return f;
  }
  bool Matches(const v1::PolicyDocument& d, absl::CivilDay today) const {
    if (kind_ && d.kind() != *kind_) return false;
    if (state_ && d.state() != *state_) return false;
    if (owner_ && d.owner_institution() != *owner_) return false;
    if (measure_ && std::find(d.linked_measures().begin(), d.linked_measures().end(), *measure_) ==
                        d.linked_measures().end()) {
      return false;
    }
    if (review_overdue_ && ReviewOverdue(d, today) != *review_overdue_) return false;
    return true;
  }

 private:
  std::optional<int> kind_;
  std::optional<int> state_;
  std::optional<std::string> owner_;
  std::optional<std::string> measure_;
  std::optional<bool> review_overdue_;
};

}  // namespace

bool CanSee(const PlanAudience& audience, State state) {
  switch (state) {
    case v1::PolicyDocument::STATE_DRAFT:
      return audience.drafts;
    case v1::PolicyDocument::STATE_IN_CONSULTATION:
      return audience.consultation;
    default:
      return true;
  }
}

absl::StatusOr<v1::PolicyDocument> PolicyDocuments::Create(
    const AuditActor& actor, const v1::CreatePolicyDocumentRequest& request) {
  FieldViolations v;
  Validate(request.policy_document(), v);
  if (!request.policy_document_id().empty() && !IsValidResourceId(request.policy_document_id())) {
    v.Add("policy_document_id",
          "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  return RunMutation<v1::PolicyDocument>(
      db_, {actor, "CreatePolicyDocument", request.request_id()},
      [&](Transaction& tx, v1::PolicyDocument& result) -> absl::Status {
        result = request.policy_document();
        THB_RETURN_IF_ERROR(CheckReferences(tx, result, nullptr));
        const std::string id =
            request.policy_document_id().empty() ? NewResourceId() : request.policy_document_id();
        result.set_name(absl::StrCat(kCollection, "/", id));
        result.set_state(v1::PolicyDocument::STATE_DRAFT);
        result.clear_adopted_on();
        result.clear_superseded_by();
        const absl::Time now = clock_.Now();
        *result.mutable_create_time() = ToProtoTimestamp(now);
        *result.mutable_update_time() = ToProtoTimestamp(now);
        THB_RETURN_IF_ERROR(DocumentTable().Insert(tx, id, result));
        return SaveDocumentLinks(tx, result);
      });
}

absl::StatusOr<v1::PolicyDocument> PolicyDocuments::Get(const PlanAudience& audience,
                                                        const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, "name"));
  THB_ASSIGN_OR_RETURN(auto found, DocumentTable().Read(db_, id));
  if (!found.has_value() || !CanSee(audience, found->state())) {
    return DocumentTable().NotFound(name);
  }
  return *std::move(found);
}

absl::StatusOr<v1::ListPolicyDocumentsResponse> PolicyDocuments::List(
    const PlanAudience& audience, const v1::ListPolicyDocumentsRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  THB_ASSIGN_OR_RETURN(DocumentFilter filter, DocumentFilter::Parse(request.filter()));
  const absl::CivilDay today = DayOf(clock_.Now());
  v1::ListPolicyDocumentsResponse out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListByIdFiltered(
        tx, {DocumentTable().table()}, page,
        [&](const v1::PolicyDocument& d) {
          return CanSee(audience, d.state()) && filter.Matches(d, today);
        },
        out.mutable_policy_documents(), out.mutable_next_page_token());
  }));
  return out;
}

absl::StatusOr<v1::PolicyDocument> PolicyDocuments::Update(
    const AuditActor& actor, const v1::UpdatePolicyDocumentRequest& request) {
  const v1::PolicyDocument& patch = request.policy_document();
  THB_ASSIGN_OR_RETURN(std::string id,
                       ParseResourceName(patch.name(), kCollection, "policy_document.name"));
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(request.update_mask(), {kWritable, kOutputOnly, {}}, "PolicyDocument"));
  return UpdateResource<v1::PolicyDocument>(
      db_, {actor, "UpdatePolicyDocument", request.request_id()}, DocumentTable(),
      {id, patch.name(), patch.etag()}, clock_.Now(),
      [&](Transaction& tx, v1::PolicyDocument& result) -> absl::Status {
        if (result.state() == v1::PolicyDocument::STATE_SUPERSEDED) {
          return PreconditionFailed(
              type::v1::ERROR_REASON_POLICY_DOCUMENT_SUPERSEDED, type::v1::PRECONDITION_TYPE_STATE,
              patch.name(), absl::StrCat(patch.name(), " is SUPERSEDED and no longer changes"));
        }
        const v1::PolicyDocument before = result;
        ApplyUpdateMask(patch, mask, &result);
        FieldViolations v;
        Validate(result, v);
        THB_RETURN_IF_ERROR(v.ToStatus());
        THB_RETURN_IF_ERROR(CheckReferences(tx, result, &before));
        return SaveDocumentLinks(tx, result);
      });
}

absl::Status PolicyDocuments::Delete(const AuditActor& actor,
                                     const v1::DeletePolicyDocumentRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(request.name(), kCollection, "name"));
  return RunMutation(
      db_, {actor, "DeletePolicyDocument", request.request_id(), request.name()},
      [&](Transaction& tx) -> absl::Status {
        THB_ASSIGN_OR_RETURN(auto stored, DocumentTable().Load(tx, id, request.name()));
        THB_RETURN_IF_ERROR(CheckEtag(request.etag(), stored.resource.etag(), request.name()));
        if (stored.resource.state() != v1::PolicyDocument::STATE_DRAFT) {
          return PreconditionFailed(
              type::v1::ERROR_REASON_POLICY_DOCUMENT_NOT_DRAFT, type::v1::PRECONDITION_TYPE_STATE,
              request.name(),
              absl::StrCat(request.name(), " is ", StateName(stored.resource.state()),
                           "; only a DRAFT is deleted (supersede an adopted one)"));
        }
        THB_RETURN_IF_ERROR(RequireUnreferenced(tx, request.name()));
        THB_RETURN_IF_ERROR(DeleteLinks(tx, request.name()));
        return tx.Execute("DELETE FROM policy_documents WHERE id = $1", {id}).status();
      });
}

absl::StatusOr<v1::PolicyDocument> PolicyDocuments::Transition(
    const AuditActor& actor, const char* method, const std::string& name, const std::string& etag,
    const std::string& request_id, std::initializer_list<State> from, State to,
    absl::FunctionRef<absl::Status(Transaction&, v1::PolicyDocument&)> change) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, "name"));
  return UpdateResource<v1::PolicyDocument>(
      db_, {actor, method, request_id}, DocumentTable(), {id, name, etag}, clock_.Now(),
      [&](Transaction& tx, v1::PolicyDocument& result) -> absl::Status {
        if (std::find(from.begin(), from.end(), result.state()) == from.end()) {
          std::vector<std::string> allowed;
          for (State s : from) allowed.push_back(StateName(s));
          return PreconditionFailed(
              type::v1::ERROR_REASON_POLICY_DOCUMENT_TRANSITION_NOT_ALLOWED,
              type::v1::PRECONDITION_TYPE_STATE, name,
              absl::StrCat(name, " is ", StateName(result.state()), "; only ",
                           absl::StrJoin(allowed, " or "), " can become ", StateName(to)));
        }
        result.set_state(to);
        THB_RETURN_IF_ERROR(change(tx, result));
        return SaveDocumentLinks(tx, result);
      });
}

absl::StatusOr<v1::PolicyDocument> PolicyDocuments::SubmitForConsultation(
    const AuditActor& actor, const v1::SubmitPolicyDocumentForConsultationRequest& request) {
  return Transition(actor, "SubmitPolicyDocumentForConsultation", request.name(), request.etag(),
                    request.request_id(), {v1::PolicyDocument::STATE_DRAFT},
                    v1::PolicyDocument::STATE_IN_CONSULTATION,
                    [](Transaction&, v1::PolicyDocument&) { return absl::OkStatus(); });
}

absl::StatusOr<v1::PolicyDocument> PolicyDocuments::Adopt(
    const AuditActor& actor, const v1::AdoptPolicyDocumentRequest& request) {
  const absl::CivilDay today = DayOf(clock_.Now());
  const google::type::Date adopted_on =
      IsSet(request.adopted_on()) ? request.adopted_on() : ToDate(today);
  if (!IsValidDate(adopted_on)) return InvalidField("adopted_on", "is not a valid calendar date");
  if (ToCivilDay(adopted_on) > today)
    return InvalidField("adopted_on", "must not be in the future");
  return Transition(actor, "AdoptPolicyDocument", request.name(), request.etag(),
                    request.request_id(),
                    {v1::PolicyDocument::STATE_DRAFT, v1::PolicyDocument::STATE_IN_CONSULTATION},
                    v1::PolicyDocument::STATE_ADOPTED, [&](Transaction&, v1::PolicyDocument& d) {
                      *d.mutable_adopted_on() = adopted_on;
                      return absl::OkStatus();
                    });
}

absl::StatusOr<v1::PolicyDocument> PolicyDocuments::Supersede(
    const AuditActor& actor, const v1::SupersedePolicyDocumentRequest& request) {
  const std::string& by = request.superseded_by();
  if (!by.empty()) {
    if (!ParseResourceName(by, kCollection, "").ok()) {
      return InvalidField("superseded_by", "must be a policy document name policyDocuments/{id}");
    }
    if (by == request.name()) {
      return InvalidField("superseded_by", "a document cannot supersede itself");
    }
  }
  return Transition(
      actor, "SupersedePolicyDocument", request.name(), request.etag(), request.request_id(),
      {v1::PolicyDocument::STATE_ADOPTED}, v1::PolicyDocument::STATE_SUPERSEDED,
      [&](Transaction& tx, v1::PolicyDocument& d) -> absl::Status {
        if (!by.empty()) {
          THB_ASSIGN_OR_RETURN(auto found,
                               DocumentTable().Find(tx, by.substr(sizeof(kCollection))));
          if (!found.has_value()) {
            return InvalidField("superseded_by", absl::StrCat(by, " does not exist"));
          }
          // The replacement is the version in force: adopted, and public.
          if (found->resource.state() != v1::PolicyDocument::STATE_ADOPTED) {
            return InvalidField("superseded_by",
                                absl::StrCat(by, " is ", StateName(found->resource.state()),
                                             "; the replacement must be ADOPTED"));
          }
        }
        d.set_superseded_by(by);
        return absl::OkStatus();
      });
}

}  // namespace thb::coordinator
