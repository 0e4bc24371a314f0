#include "services/commission/commission_bodies.h"

#include <google/protobuf/util/field_mask_util.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/audit_log.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/iso_codes.h"
#include "services/common/resources.h"
#include "services/common/update_mask.h"
#include "services/common/versioned_rows.h"

namespace thb::commission {
namespace {

const std::vector<std::string> kWritable = {
    "display_name",           "theme", "region", "lead_institution", "member_institutions",
    "reporting_cadence_days", "active"};

absl::Status SaveBody(Transaction& tx, const std::string& id, v1::Body& b, int64_t version,
                      bool insert) {
  b.set_etag(EtagForVersion(version));
  std::vector<Value> params = {id, static_cast<int64_t>(b.kind()), Blob{b.SerializeAsString()},
                               version};
  return (insert
              ? tx.Execute("INSERT INTO bodies (id, kind, data, version) VALUES ($1, $2, $3, $4)",
                           params)
              : tx.Execute("UPDATE bodies SET kind = $2, data = $3, version = $4 WHERE id = $1",
                           params))
      .status();
}

}  // namespace

absl::Status CommissionBodies::Validate(const v1::Body& b) {
  FieldViolations v;
  if (b.kind() == v1::Body::KIND_UNSPECIFIED || !v1::Body::Kind_IsValid(b.kind())) {
    v.Add("body.kind", "must be WORKING_GROUP, LOCAL_COMMISSION or REFERRAL_MECHANISM");
  }
  if (b.display_name().empty() || b.display_name().size() > 300) {
    v.Add("body.display_name", "is required, at most 300 characters");
  }
  if (b.kind() == v1::Body::KIND_WORKING_GROUP && b.theme().empty())
    v.Add("body.theme", "a working group has a theme");
  if (b.theme().size() > 300) v.Add("body.theme", "must be at most 300 characters");
  if (b.kind() == v1::Body::KIND_LOCAL_COMMISSION && !IsRegionCode(b.region())) {
    v.Add("body.region", "a local commission names its ISO 3166-2 region, e.g. \"AT-9\"");
  }
  if (b.reporting_cadence_days() < 0 || b.reporting_cadence_days() > 366) {
    v.Add("body.reporting_cadence_days", "must be between 0 and 366");
  }
  if (b.member_institutions_size() > 200)
    v.Add("body.member_institutions", "at most 200 institutions");
  absl::flat_hash_set<std::string> seen;
  for (const auto& m : b.member_institutions()) {
    if (!seen.insert(m).second) v.Add("body.member_institutions", "lists an institution twice");
  }
  if (!v.empty()) return v.ToStatus();
  if (!b.lead_institution().empty()) {
    if (absl::Status s =
            RequireActiveInstitution(institutions_, b.lead_institution(), "body.lead_institution");
        !s.ok()) {
      return s;
    }
  }
  for (int i = 0; i < b.member_institutions_size(); ++i) {
    if (absl::Status s =
            RequireActiveInstitution(institutions_, b.member_institutions(i),
                                     absl::StrCat("body.member_institutions[", i, "]"));
        !s.ok()) {
      return s;
    }
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
  if (absl::Status s = Validate(body); !s.ok()) return s;
  v1::Body result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CreateBody", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    if (body.kind() == v1::Body::KIND_REFERRAL_MECHANISM) {
      absl::StatusOr<std::vector<Row>> nrm =
          tx.Query("SELECT id FROM bodies WHERE kind = $1",
                   {static_cast<int64_t>(v1::Body::KIND_REFERRAL_MECHANISM)});
      if (!nrm.ok()) return nrm.status();
      if (!nrm->empty()) {
        return absl::AlreadyExistsError(absl::StrCat(
            "the National Referral Mechanism already exists as bodies/", (*nrm)[0].Text(0)));
      }
    }
    const std::string id = request.body_id().empty() ? NewResourceId() : request.body_id();
    result = body;
    result.set_name(absl::StrCat("bodies/", id));
    const absl::Time now = clock_.Now();
    *result.mutable_create_time() = ToProtoTimestamp(now);
    *result.mutable_update_time() = ToProtoTimestamp(now);
    absl::Status saved = SaveBody(tx, id, result, 1, true);
    if (saved.code() == absl::StatusCode::kAlreadyExists) {
      return absl::AlreadyExistsError(absl::StrCat("body ", result.name(), " already exists"));
    }
    if (!saved.ok()) return saved;
    return RecordMutation(tx, actor, "CreateBody", request.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::Body> CommissionBodies::Get(const std::string& name) {
  absl::StatusOr<std::string> id = ParseResourceName(name, "bodies", "name");
  if (!id.ok()) return id.status();
  std::optional<Versioned<v1::Body>> stored;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<Versioned<v1::Body>>> b =
        LoadVersioned<v1::Body>(tx, "bodies", *id);
    if (!b.ok()) return b.status();
    stored = *std::move(b);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!stored) return absl::NotFoundError(absl::StrCat("body ", name, " does not exist"));
  return stored->resource;
}

absl::StatusOr<v1::ListBodiesResponse> CommissionBodies::List(
    const v1::ListBodiesRequest& request) {
  absl::StatusOr<PageRequest> page = ParsePageRequest(request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  if (!v1::Body::Kind_IsValid(request.kind())) return InvalidField("kind", "unknown body kind");
  v1::ListBodiesResponse out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows = tx.Query(
        "SELECT id, data FROM bodies WHERE id > $1 AND ($2 = 0 OR kind = $2) ORDER BY id LIMIT $3",
        {page->after, static_cast<int64_t>(request.kind()),
         static_cast<int64_t>(page->page_size) + 1});
    if (!rows.ok()) return rows.status();
    return FillPage(*rows, page->page_size, out.mutable_bodies(), out.mutable_next_page_token());
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::Body> CommissionBodies::Update(const AuditActor& actor,
                                                  const v1::UpdateBodyRequest& request) {
  absl::StatusOr<std::string> id = ParseResourceName(request.body().name(), "bodies", "body.name");
  if (!id.ok()) return id.status();
  absl::StatusOr<google::protobuf::FieldMask> mask =
      ResolveUpdateMask(request.update_mask(),
                        {kWritable,
                         {"name", "create_time", "update_time", "etag"},
                         {{"kind", "a body's kind does not change"}}},
                        "Body");
  if (!mask.ok()) return mask.status();
  absl::StatusOr<v1::Body> current = Get(request.body().name());
  if (!current.ok()) return current.status();
  v1::Body proposed = *current;
  google::protobuf::util::FieldMaskUtil::MergeOptions replace;
  replace.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(request.body(), *mask, replace, &proposed);
  if (absl::Status s = Validate(proposed); !s.ok()) return s;
  v1::Body result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "UpdateBody", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<std::optional<Versioned<v1::Body>>> stored =
        LoadVersioned<v1::Body>(tx, "bodies", *id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value())
      return absl::NotFoundError(absl::StrCat("body ", request.body().name(), " does not exist"));
    const std::string& given =
        request.body().etag().empty() ? current->etag() : request.body().etag();
    if (absl::Status e = CheckEtag(given, (*stored)->resource.etag(), request.body().name());
        !e.ok())
      return e;
    result = proposed;
    *result.mutable_update_time() = ToProtoTimestamp(clock_.Now());
    if (absl::Status e = SaveBody(tx, *id, result, (*stored)->version + 1, false); !e.ok())
      return e;
    return RecordMutation(tx, actor, "UpdateBody", request.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::StatusReport> CommissionBodies::Report(
    const AuditActor& actor, const Principal& caller,
    const v1::CreateStatusReportRequest& request) {
  absl::StatusOr<std::string> body_id = ParseResourceName(request.parent(), "bodies", "parent");
  if (!body_id.ok()) return body_id.status();
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
  if (r.summary().empty() || r.summary().size() > 20000)
    v.Add("status_report.summary", "is required, at most 20000 characters");
  if (r.issues_raised().size() > 20000)
    v.Add("status_report.issues_raised", "must be at most 20000 characters");
  if (!v.empty()) return v.ToStatus();
  v1::StatusReport result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CreateStatusReport", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<std::optional<Versioned<v1::Body>>> body =
        LoadVersioned<v1::Body>(tx, "bodies", *body_id);
    if (!body.ok()) return body.status();
    if (!body->has_value())
      return absl::NotFoundError(absl::StrCat("body ", request.parent(), " does not exist"));
    const std::string id = NewResourceId();
    const absl::Time now = clock_.Now();
    result = r;
    result.set_name(absl::StrCat(request.parent(), "/statusReports/", id));
    result.set_submitted_by(caller.subject);
    *result.mutable_create_time() = ToProtoTimestamp(now);
    absl::StatusOr<int64_t> n = tx.Execute(
        "INSERT INTO status_reports (id, body, create_time, data) VALUES ($1, $2, $3, $4)",
        {absl::StrCat(*body_id, "/", id), *body_id, FormatStoredTime(now),
         Blob{result.SerializeAsString()}});
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "CreateStatusReport", request.request_id(), result.name(),
                          result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::ListStatusReportsResponse> CommissionBodies::ListReports(
    const v1::ListStatusReportsRequest& request) {
  absl::StatusOr<std::string> body_id = ParseResourceName(request.parent(), "bodies", "parent");
  if (!body_id.ok()) return body_id.status();
  absl::StatusOr<PageRequest> page = ParsePageRequest(request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  const NewestFirstCursor after = NewestFirstCursor::FromToken(page->after);
  v1::ListStatusReportsResponse out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows = tx.Query(
        "SELECT create_time, id, data FROM status_reports WHERE body = $1 AND "
        "($2 = '' OR create_time < $2 OR (create_time = $2 AND id < $3)) "
        "ORDER BY create_time DESC, id DESC LIMIT $4",
        {*body_id, after.create_time, after.id, static_cast<int64_t>(page->page_size) + 1});
    if (!rows.ok()) return rows.status();
    return FillNewestFirstPage(*rows, page->page_size, out.mutable_status_reports(),
                               out.mutable_next_page_token());
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace thb::commission
