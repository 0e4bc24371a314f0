#include "services/commission/member_roster.h"

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

constexpr char kCollection[] = "members";

void ValidateMember(const v1::Member& m, FieldViolations& v) {
  if (!ParseResourceName(m.institution(), "institutions", "").ok()) {
    v.Add("member.institution", "must be a resource name institutions/{id} of the coordinator");
  }
  if (m.seat() == v1::SEAT_UNSPECIFIED || !v1::Seat_IsValid(m.seat())) {
    v.Add("member.seat", "must be one of the Seat values");
  }
  if (m.role() == v1::MEMBER_ROLE_UNSPECIFIED || !v1::MemberRole_IsValid(m.role())) {
    v.Add("member.role", "must be one of the MemberRole values");
  }
  if (m.pseudonymous() && m.seat() != v1::SEAT_SURVIVOR_LEADER) {
    v.Add("member.pseudonymous", "only survivor-leader seats may be held under a pseudonym");
  }
  if (m.pseudonymous() && m.representative().empty()) {
    v.Add("member.representative", "the pseudonym is required for a pseudonymous member");
  }
  if (!m.legal_name().empty() && !m.pseudonymous()) {
    v.Add("member.legal_name", "is kept only for pseudonymous members");
  }
  if (m.seat() == v1::SEAT_OBSERVER && m.voting()) {
    v.Add("member.voting", "observers do not vote");
  }
  if (IsSet(m.term_start()) && !IsValidDate(m.term_start())) {
    v.Add("member.term_start", "is not a valid calendar date");
  }
  if (IsSet(m.term_end()) && !IsValidDate(m.term_end())) {
    v.Add("member.term_end", "is not a valid calendar date");
  }
  if (IsSet(m.term_start()) && IsSet(m.term_end()) &&
      ToCivilDay(m.term_end()) < ToCivilDay(m.term_start())) {
    v.Add("member.term_end", "must not be before term_start");
  }
}

}  // namespace

absl::StatusOr<v1::Member> MemberRoster::Create(const AuditActor& actor,
                                                const v1::CreateMemberRequest& request) {
  FieldViolations v;
  ValidateMember(request.member(), v);
  if (!request.member_id().empty() && !IsValidResourceId(request.member_id())) {
    v.Add("member_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  if (!v.empty()) return v.ToStatus();

  // A retry after success must not depend on the coordinator being up.
  const MutationCall call = {actor, "CreateMember", request.request_id()};
  THB_ASSIGN_OR_RETURN(std::optional<v1::Member> answered, PriorResponse<v1::Member>(db_, call));
  if (answered.has_value()) return *std::move(answered);

  // Read the coordinator before taking the write lock: no transaction waits on the network.
  THB_RETURN_IF_ERROR(RequireActiveInstitution(institutions_, request.member().institution(),
                                               "member.institution"));

  return RunMutation<v1::Member>(
      db_, call, [&](Transaction& tx, v1::Member& result) -> absl::Status {
        const std::string id = request.member_id().empty() ? NewResourceId() : request.member_id();
        result = request.member();
        result.set_name(absl::StrCat(kCollection, "/", id));
        const absl::Time now = clock_.Now();
        *result.mutable_create_time() = ToProtoTimestamp(now);
        *result.mutable_update_time() = ToProtoTimestamp(now);
        absl::Status inserted = MemberTable().Insert(tx, id, result);
        if (inserted.code() == absl::StatusCode::kAlreadyExists) {
          // The id or the institution's one seat (the institution column is unique).
          return ResourceAlreadyExists(type::v1::ERROR_REASON_SEAT_TAKEN,
                                       v1::Member::descriptor()->full_name(), result.name(),
                                       absl::StrCat("a member with this id, or a seat for ",
                                                    result.institution(), ", already exists"));
        }
        return inserted;
      });
}

absl::StatusOr<v1::Member> MemberRoster::Get(const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, "name"));
  v1::Member found;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(auto stored, MemberTable().Load(tx, id, name));
    found = std::move(stored.resource);
    return absl::OkStatus();
  }));
  return found;
}

absl::StatusOr<v1::ListMembersResponse> MemberRoster::List(const v1::ListMembersRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  if (!v1::Seat_IsValid(request.seat())) return InvalidField("seat", "unknown Seat value");
  v1::ListMembersResponse response;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListById(tx, {"members", "$1 = 0 OR seat = $1", {int64_t{request.seat()}}}, page,
                    response.mutable_members(), response.mutable_next_page_token());
  }));
  return response;
}

absl::StatusOr<v1::Member> MemberRoster::Update(const AuditActor& actor,
                                                const v1::UpdateMemberRequest& request) {
  static const std::vector<std::string> kWritable = {"seat",           "role",         "voting",
                                                     "representative", "pseudonymous", "legal_name",
                                                     "term_start",     "term_end"};
  static const std::vector<std::string> kOutputOnly = {"name", "create_time", "update_time",
                                                       "etag"};
  const v1::Member& patch = request.member();
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(patch.name(), kCollection, "member.name"));
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(
          request.update_mask(),
          {kWritable,
           kOutputOnly,
           {{"institution",
             "a seat's institution does not change; end the seat and seat the other institution"}}},
          "Member"));
  return UpdateResource<v1::Member>(db_, {actor, "UpdateMember", request.request_id()},
                                    MemberTable(), {id, patch.name(), patch.etag()}, clock_.Now(),
                                    [&](Transaction&, v1::Member& result) -> absl::Status {
                                      ApplyUpdateMask(patch, mask, &result);
                                      FieldViolations fv;
                                      ValidateMember(result, fv);
                                      return fv.ToStatus();
                                    });
}

absl::Status MemberRoster::Delete(const AuditActor& actor, const v1::DeleteMemberRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(request.name(), kCollection, "name"));
  return RunMutation(
      db_, {actor, "DeleteMember", request.request_id(), request.name()},
      [&](Transaction& tx) -> absl::Status {
        THB_ASSIGN_OR_RETURN(auto stored, MemberTable().Load(tx, id, request.name()));
        THB_RETURN_IF_ERROR(CheckEtag(request.etag(), stored.resource.etag(), request.name()));
        return tx.Execute("DELETE FROM members WHERE id = $1", {id}).status();
      });
}

}  // namespace thb::commission
