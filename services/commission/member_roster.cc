#include "services/commission/member_roster.h"

#include <google/protobuf/empty.pb.h>
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
  if (m.representative().size() > 200) {
    v.Add("member.representative", "must be at most 200 characters");
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
  v1::Member result;
  absl::StatusOr<bool> answered =
      FindPriorResponseBeforeWrite(db_, actor, "CreateMember", request.request_id(), &result);
  if (!answered.ok()) return answered.status();
  if (*answered) return result;

  // Read the coordinator before taking the write lock: no transaction waits on the network.
  if (absl::Status s = RequireActiveInstitution(institutions_, request.member().institution(),
                                                "member.institution");
      !s.ok()) {
    return s;
  }

  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CreateMember", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    const std::string id = request.member_id().empty() ? NewResourceId() : request.member_id();
    result = request.member();
    result.set_name(absl::StrCat(kCollection, "/", id));
    const absl::Time now = clock_.Now();
    *result.mutable_create_time() = ToProtoTimestamp(now);
    *result.mutable_update_time() = ToProtoTimestamp(now);
    result.set_etag(EtagForVersion(1));
    absl::StatusOr<int64_t> n = tx.Execute(
        "INSERT INTO members (id, institution, seat, data, version) VALUES ($1, $2, $3, $4, 1)",
        {id, result.institution(), static_cast<int64_t>(result.seat()),
         Blob{result.SerializeAsString()}});
    if (n.status().code() == absl::StatusCode::kAlreadyExists) {
      return absl::AlreadyExistsError(absl::StrCat("a member with this id, or a seat for ",
                                                   result.institution(), ", already exists"));
    }
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "CreateMember", request.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::Member> MemberRoster::Get(const std::string& name) {
  absl::StatusOr<std::string> id = ParseResourceName(name, kCollection, "name");
  if (!id.ok()) return id.status();
  std::optional<Versioned<v1::Member>> stored;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<Versioned<v1::Member>>> loaded =
        LoadVersioned<v1::Member>(tx, "members", *id);
    if (!loaded.ok()) return loaded.status();
    stored = std::move(*loaded);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!stored) return absl::NotFoundError(absl::StrCat("member ", name, " does not exist"));
  return stored->resource;
}

absl::StatusOr<v1::ListMembersResponse> MemberRoster::List(const v1::ListMembersRequest& request) {
  absl::StatusOr<PageRequest> page = ParsePageRequest(request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  if (!v1::Seat_IsValid(request.seat())) return InvalidField("seat", "unknown Seat value");
  v1::ListMembersResponse response;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows = tx.Query(
        "SELECT id, data FROM members WHERE id > $1 AND ($2 = 0 OR seat = $2) ORDER BY id LIMIT $3",
        {page->after, static_cast<int64_t>(request.seat()),
         static_cast<int64_t>(page->page_size) + 1});
    if (!rows.ok()) return rows.status();
    return FillPage(*rows, page->page_size, response.mutable_members(),
                    response.mutable_next_page_token());
  });
  if (!s.ok()) return s;
  return response;
}

absl::StatusOr<v1::Member> MemberRoster::Update(const AuditActor& actor,
                                                const v1::UpdateMemberRequest& request) {
  static const std::vector<std::string> kWritable = {"seat",           "role",         "voting",
                                                     "representative", "pseudonymous", "legal_name",
                                                     "term_start",     "term_end"};
  static const std::vector<std::string> kOutputOnly = {"name", "create_time", "update_time",
                                                       "etag"};
  absl::StatusOr<std::string> id =
      ParseResourceName(request.member().name(), kCollection, "member.name");
  if (!id.ok()) return id.status();
  absl::StatusOr<google::protobuf::FieldMask> mask = ResolveUpdateMask(
      request.update_mask(),
      {kWritable,
       kOutputOnly,
       {{"institution",
         "a seat's institution does not change; end the seat and seat the other institution"}}},
      "Member");
  if (!mask.ok()) return mask.status();
  v1::Member result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "UpdateMember", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<std::optional<Versioned<v1::Member>>> stored =
        LoadVersioned<v1::Member>(tx, "members", *id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value())
      return absl::NotFoundError(
          absl::StrCat("member ", request.member().name(), " does not exist"));
    if (absl::Status e =
            CheckEtag(request.member().etag(), (*stored)->resource.etag(), request.member().name());
        !e.ok()) {
      return e;
    }
    result = (*stored)->resource;
    google::protobuf::util::FieldMaskUtil::MergeMessageTo(request.member(), *mask, {}, &result);
    FieldViolations fv;
    ValidateMember(result, fv);
    if (!fv.empty()) return fv.ToStatus();
    *result.mutable_update_time() = ToProtoTimestamp(clock_.Now());
    result.set_etag(EtagForVersion((*stored)->version + 1));
    absl::StatusOr<int64_t> n =
        tx.Execute("UPDATE members SET seat = $2, data = $3, version = $4 WHERE id = $1",
                   {*id, static_cast<int64_t>(result.seat()), Blob{result.SerializeAsString()},
                    (*stored)->version + 1});
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "UpdateMember", request.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::Status MemberRoster::Delete(const AuditActor& actor, const v1::DeleteMemberRequest& request) {
  absl::StatusOr<std::string> id = ParseResourceName(request.name(), kCollection, "name");
  if (!id.ok()) return id.status();
  return db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    google::protobuf::Empty done;
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "DeleteMember", request.request_id(), &done);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<std::optional<Versioned<v1::Member>>> stored =
        LoadVersioned<v1::Member>(tx, "members", *id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value())
      return absl::NotFoundError(absl::StrCat("member ", request.name(), " does not exist"));
    if (absl::Status e = CheckEtag(request.etag(), (*stored)->resource.etag(), request.name());
        !e.ok())
      return e;
    absl::StatusOr<int64_t> n = tx.Execute("DELETE FROM members WHERE id = $1", {*id});
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "DeleteMember", request.request_id(), request.name(), done);
  });
}

}  // namespace thb::commission
