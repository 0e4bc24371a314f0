#include "services/commission/commission_bodies.h"

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/commission/commission_tables.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/iso_codes.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"

namespace thb::commission {
namespace {

const std::vector<std::string> kWritable = {
    "display_name",           "theme", "region", "lead_institution", "member_institutions",
    "reporting_cadence_days", "active"};

}  // namespace

absl::Status CommissionBodies::Validate(const v1::Body& b) {
  FieldViolations v;
  if (b.kind() == v1::Body::KIND_UNSPECIFIED || !v1::Body::Kind_IsValid(b.kind())) {
    v.Add("body.kind", "must be WORKING_GROUP, LOCAL_COMMISSION or REFERRAL_MECHANISM");
  }
  if (b.display_name().empty()) v.Add("body.display_name", "is required");
  if (b.kind() == v1::Body::KIND_WORKING_GROUP && b.theme().empty())
    v.Add("body.theme", "a working group has a theme");
  if (b.kind() == v1::Body::KIND_LOCAL_COMMISSION && !IsRegionCode(b.region())) {
    v.Add("body.region", "a local commission names its ISO 3166-2 region, e.g. \"AT-9\"");
  }
  if (b.reporting_cadence_days() < 0 || b.reporting_cadence_days() > 366) {
    v.Add("body.reporting_cadence_days", "must be between 0 and 366");
  }
  absl::flat_hash_set<std::string> seen;
  for (const auto& m : b.member_institutions()) {
    if (!seen.insert(m).second) v.Add("body.member_institutions", "lists an institution twice");
  }
  if (!v.empty()) return v.ToStatus();
  if (!b.lead_institution().empty()) {
    THB_RETURN_IF_ERROR(
        RequireActiveInstitution(institutions_, b.lead_institution(), "body.lead_institution"));
  }
  for (int i = 0; i < b.member_institutions_size(); ++i) {
    THB_RETURN_IF_ERROR(
        RequireActiveInstitution(institutions_, b.member_institutions(i),
                                 absl::StrCat("body.member_institutions[", i, "]")));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Body> CommissionBodies::Create(const AuditActor& actor,
                                                  const v1::CreateBodyRequest& request) {
  if (!request.body_id().empty() && !IsValidResourceId(request.body_id())) {
    return InvalidField("body_id",
                        "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  v1::Body body = request.body();
  if (!body.active() && body.name().empty()) body.set_active(true);  // a new body is active
  THB_RETURN_IF_ERROR(Validate(body));
  return RunMutation<v1::Body>(
      db_, {actor, "CreateBody", request.request_id()},
      [&](Transaction& tx, v1::Body& result) -> absl::Status {
        if (body.kind() == v1::Body::KIND_REFERRAL_MECHANISM) {
          THB_ASSIGN_OR_RETURN(std::vector<Row> nrm,
                               tx.Query("SELECT id FROM bodies WHERE kind = $1",
                                        {int64_t{v1::Body::KIND_REFERRAL_MECHANISM}}));
          if (!nrm.empty()) {
            return ResourceAlreadyExists(
                type::v1::ERROR_REASON_REFERRAL_MECHANISM_EXISTS,
                v1::Body::descriptor()->full_name(), absl::StrCat("bodies/", nrm[0].Text(0)),
                absl::StrCat("the National Referral Mechanism already exists as bodies/",
                             nrm[0].Text(0)));
          }
        }
        const std::string id = request.body_id().empty() ? NewResourceId() : request.body_id();
        result = body;
        result.set_name(absl::StrCat("bodies/", id));
        const absl::Time now = clock_.Now();
        *result.mutable_create_time() = ToProtoTimestamp(now);
        *result.mutable_update_time() = ToProtoTimestamp(now);
        return BodyTable().Insert(tx, id, result);
      });
}

absl::StatusOr<v1::Body> CommissionBodies::Get(const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, "bodies", "name"));
  v1::Body found;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(auto stored, BodyTable().Load(tx, id, name));
    found = std::move(stored.resource);
    return absl::OkStatus();
  }));
  return found;
}

absl::StatusOr<v1::ListBodiesResponse> CommissionBodies::List(
    const v1::ListBodiesRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  if (!v1::Body::Kind_IsValid(request.kind())) return InvalidField("kind", "unknown body kind");
  v1::ListBodiesResponse out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListById(tx, {"bodies", "$1 = 0 OR kind = $1", {int64_t{request.kind()}}}, page,
                    out.mutable_bodies(), out.mutable_next_page_token());
  }));
  return out;
}

absl::StatusOr<v1::Body> CommissionBodies::Update(const AuditActor& actor,
                                                  const v1::UpdateBodyRequest& request) {
  const v1::Body& patch = request.body();
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(patch.name(), "bodies", "body.name"));
  THB_ASSIGN_OR_RETURN(google::protobuf::FieldMask mask,
                       ResolveUpdateMask(request.update_mask(),
                                         {kWritable,
                                          {"name", "create_time", "update_time", "etag"},
                                          {{"kind", "a body's kind does not change"}}},
                                         "Body"));
  // The institutions are checked at the coordinator before the write transaction; the write
  // then requires the body to be as it was checked (the caller's etag, else the one read here).
  THB_ASSIGN_OR_RETURN(v1::Body current, Get(patch.name()));
  v1::Body proposed = current;
  ApplyUpdateMask(patch, mask, &proposed);
  THB_RETURN_IF_ERROR(Validate(proposed));
  return UpdateResource<v1::Body>(
      db_, {actor, "UpdateBody", request.request_id()}, BodyTable(),
      {id, patch.name(), patch.etag().empty() ? current.etag() : patch.etag()}, clock_.Now(),
      [&](Transaction&, v1::Body& result) -> absl::Status {
        result = proposed;
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::StatusReport> CommissionBodies::Report(
    const AuditActor& actor, const Principal& caller,
    const v1::CreateStatusReportRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string body_id,
                       ParseResourceName(request.parent(), "bodies", "parent"));
  const v1::StatusReport& r = request.status_report();
  FieldViolations v;
  if (!IsValidDate(r.period_start()))
    v.Add("status_report.period_start", "must be a valid calendar date");
  if (!IsValidDate(r.period_end()))
    v.Add("status_report.period_end", "must be a valid calendar date");
  if (IsValidDate(r.period_start()) && IsValidDate(r.period_end()) &&
      ToCivilDay(r.period_end()) < ToCivilDay(r.period_start())) {
    v.Add("status_report.period_end", "must not be before period_start");
  }
  if (r.summary().empty()) v.Add("status_report.summary", "is required");
  THB_RETURN_IF_ERROR(v.ToStatus());
  return RunMutation<v1::StatusReport>(
      db_, {actor, "CreateStatusReport", request.request_id()},
      [&](Transaction& tx, v1::StatusReport& result) -> absl::Status {
        THB_ASSIGN_OR_RETURN(auto body, BodyTable().Load(tx, body_id, request.parent()));
        // A member reports for a body its institution leads or sits on; the secretariat for any.
        const v1::Body& b = body.resource;
        const bool on_body = !caller.institution.empty() &&
                             (b.lead_institution() == caller.institution ||
                              absl::c_linear_search(b.member_institutions(), caller.institution));
        if (!caller.HasRole(roles::kCommissionSecretariat) && !on_body) {
          return Denied(
              type::v1::ERROR_REASON_NOT_BODY_MEMBER,
              absl::StrCat("a status report of ", request.parent(),
                           " comes from its lead or member institutions or the secretariat; ",
                           caller.institution.empty() ? "the token names no institution"
                                                      : caller.institution + " is neither"));
        }
        const std::string id = NewResourceId();
        const absl::Time now = clock_.Now();
        result = r;
        result.set_name(absl::StrCat(request.parent(), "/statusReports/", id));
        result.set_submitted_by(caller.subject);
        *result.mutable_create_time() = ToProtoTimestamp(now);
        // An append-only history: no version, never updated.
        return tx
            .Execute(
                "INSERT INTO status_reports (id, body, create_time, data) VALUES ($1, $2, $3, $4)",
                {absl::StrCat(body_id, "/", id), body_id, FormatStoredTime(now),
                 Blob{result.SerializeAsString()}})
            .status();
      });
}

absl::StatusOr<v1::ListStatusReportsResponse> CommissionBodies::ListReports(
    const v1::ListStatusReportsRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string body_id,
                       ParseResourceName(request.parent(), "bodies", "parent"));
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  v1::ListStatusReportsResponse out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListNewestFirst(tx, {"status_reports", "body = $1", {body_id}}, page,
                           out.mutable_status_reports(), out.mutable_next_page_token());
  }));
  return out;
}

}  // namespace thb::commission
