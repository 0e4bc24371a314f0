#include "services/rapporteur/reports.h"

#include <google/protobuf/util/field_mask_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "services/common/audit_log.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/resources.h"
#include "services/common/sha256.h"
#include "services/common/update_mask.h"
#include "services/common/versioned_rows.h"

namespace thb::rapporteur {
namespace {

constexpr char kCollection[] = "reports";

std::string NormalizeNewlines(const std::string& s) {
  return absl::StrReplaceAll(absl::StrReplaceAll(s, {{"\r\n", "\n"}}), {{"\r", "\n"}});
}

bool CanSeeDrafts(const Principal& caller) { return caller.HasRole(roles::kRapporteurOffice); }

absl::Status Validate(const v1::Report& r, int current_year) {
  FieldViolations v;
  if (r.kind() == v1::Report::KIND_UNSPECIFIED || !v1::Report::Kind_IsValid(r.kind())) {
    v.Add("report.kind", "must be ANNUAL or THEMATIC");
  }
  if (absl::StripAsciiWhitespace(r.title()).empty()) v.Add("report.title", "is required");
  if (r.kind() == v1::Report::KIND_ANNUAL && (r.year() < 1990 || r.year() > current_year)) {
    v.Add("report.year",
          absl::StrCat("an annual report covers a year from 1990 to ", current_year));
  } else if (r.year() != 0 && (r.year() < 1990 || r.year() > current_year)) {
    v.Add("report.year", absl::StrCat("must be from 1990 to ", current_year, ", or 0"));
  }
  if (!r.supersedes().empty() && !ParseResourceName(r.supersedes(), kCollection, "").ok()) {
    v.Add("report.supersedes", "must be reports/{id}");
  }
  return v.empty() ? absl::OkStatus() : v.ToStatus();
}

// The report `name` (in request field `field`), which must be PUBLISHED to be superseded.
absl::StatusOr<Versioned<v1::Report>> LoadPublished(Transaction& tx, const std::string& name,
                                                    const std::string& field) {
  auto stored =
      LoadVersioned<v1::Report>(tx, "reports", std::string(absl::StripPrefix(name, "reports/")));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(field, ": report ", name, " does not exist"));
  }
  if ((*stored)->resource.state() != v1::Report::STATE_PUBLISHED) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": only a PUBLISHED report can be superseded; ", name, " is ",
                     v1::Report::State_Name((*stored)->resource.state())));
  }
  return **std::move(stored);
}

}  // namespace

std::string CanonicalReportSha256(const v1::Report& report) {
  const std::string canonical =
      absl::StrCat("thb-report-v1\n", v1::Report::Kind_Name(report.kind()), "\n",
                   NormalizeNewlines(report.title()), "\n", report.year(), "\n",
                   report.supersedes(), "\n\n", NormalizeNewlines(report.content()));
  return Sha256Hex(canonical);
}

absl::StatusOr<v1::Report> ReportShelf::Create(const AuditActor& actor,
                                               const v1::CreateReportRequest& request) {
  v1::Report result = request.report();
  if (!request.report_id().empty() && !IsValidResourceId(request.report_id())) {
    return InvalidField(
        "report_id", "must be 1-63 lower-case letters, digits or hyphens, starting with a letter");
  }
  const int current_year = absl::ToCivilYear(clock_.Now(), absl::UTCTimeZone()).year();
  if (absl::Status s = Validate(result, current_year); !s.ok()) return s;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CreateReport", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    if (!result.supersedes().empty()) {
      if (auto p = LoadPublished(tx, result.supersedes(), "report.supersedes"); !p.ok())
        return p.status();
    }
    const std::string id = request.report_id().empty() ? NewResourceId() : request.report_id();
    result.set_name(absl::StrCat(kCollection, "/", id));
    result.set_state(v1::Report::STATE_DRAFT);
    result.clear_version();
    result.clear_content_sha256();
    result.clear_publish_time();
    const absl::Time now = clock_.Now();
    *result.mutable_create_time() = ToProtoTimestamp(now);
    *result.mutable_update_time() = ToProtoTimestamp(now);
    result.set_etag(EtagForVersion(1));
    absl::StatusOr<int64_t> n = tx.Execute(
        "INSERT INTO reports (id, state, create_time, version, data) VALUES ($1, $2, $3, 1, $4)",
        {id, static_cast<int64_t>(result.state()), FormatStoredTime(now),
         Blob{result.SerializeAsString()}});
    if (!n.ok()) {
      if (n.status().code() == absl::StatusCode::kAlreadyExists) {
        return absl::AlreadyExistsError(absl::StrCat("report ", result.name(), " already exists"));
      }
      return n.status();
    }
    return RecordMutation(tx, actor, "CreateReport", request.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::Report> ReportShelf::Get(const Principal& caller, const std::string& name) {
  absl::StatusOr<std::string> id = ParseResourceName(name, kCollection, "name");
  if (!id.ok()) return id.status();
  std::optional<Versioned<v1::Report>> found;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    auto loaded = LoadVersioned<v1::Report>(tx, "reports", *id);
    if (!loaded.ok()) return loaded.status();
    found = std::move(*loaded);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!found || (found->resource.state() == v1::Report::STATE_DRAFT && !CanSeeDrafts(caller))) {
    return absl::NotFoundError(absl::StrCat("report ", name, " does not exist"));
  }
  return found->resource;
}

absl::StatusOr<v1::ListReportsResponse> ReportShelf::List(const Principal& caller,
                                                          const v1::ListReportsRequest& request) {
  absl::StatusOr<PageRequest> page = ParsePageRequest(request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  v1::ListReportsResponse response;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows = tx.Query(
        "SELECT id, data FROM reports WHERE id > $1 AND ($2 = 1 OR state <> $3) ORDER BY id LIMIT "
        "$4",
        {page->after, static_cast<int64_t>(CanSeeDrafts(caller) ? 1 : 0),
         static_cast<int64_t>(v1::Report::STATE_DRAFT), static_cast<int64_t>(page->page_size) + 1});
    if (!rows.ok()) return rows.status();
    return FillPage(*rows, page->page_size, response.mutable_reports(),
                    response.mutable_next_page_token());
  });
  if (!s.ok()) return s;
  return response;
}

absl::StatusOr<v1::Report> ReportShelf::Update(const AuditActor& actor,
                                               const v1::UpdateReportRequest& request) {
  static const std::vector<std::string> kWritable = {"kind", "title", "year", "content",
                                                     "supersedes"};
  static const std::vector<std::string> kOutputOnly = {
      "name",         "state",       "version",     "content_sha256",
      "publish_time", "create_time", "update_time", "etag"};
  absl::StatusOr<std::string> id =
      ParseResourceName(request.report().name(), kCollection, "report.name");
  if (!id.ok()) return id.status();
  absl::StatusOr<google::protobuf::FieldMask> mask =
      ResolveUpdateMask(request.update_mask(), {kWritable, kOutputOnly, {}}, "Report");
  if (!mask.ok()) return mask.status();
  const int current_year = absl::ToCivilYear(clock_.Now(), absl::UTCTimeZone()).year();
  v1::Report result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "UpdateReport", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    auto stored = LoadVersioned<v1::Report>(tx, "reports", *id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value())
      return absl::NotFoundError(
          absl::StrCat("report ", request.report().name(), " does not exist"));
    if (absl::Status e =
            CheckEtag(request.report().etag(), (*stored)->resource.etag(), request.report().name());
        !e.ok()) {
      return e;
    }
    result = (*stored)->resource;
    if (result.state() != v1::Report::STATE_DRAFT) {
      return absl::FailedPreconditionError(
          absl::StrCat("report ", result.name(), " is ", v1::Report::State_Name(result.state()),
                       " and can no longer be edited; create a new report that supersedes it"));
    }
    google::protobuf::util::FieldMaskUtil::MergeMessageTo(request.report(), *mask, {}, &result);
    if (absl::Status v = Validate(result, current_year); !v.ok()) return v;
    if (!result.supersedes().empty()) {
      if (auto p = LoadPublished(tx, result.supersedes(), "report.supersedes"); !p.ok())
        return p.status();
    }
    const int64_t version = (*stored)->version + 1;
    *result.mutable_update_time() = ToProtoTimestamp(clock_.Now());
    result.set_etag(EtagForVersion(version));
    absl::StatusOr<int64_t> n =
        tx.Execute("UPDATE reports SET data = $2, version = $3 WHERE id = $1",
                   {*id, Blob{result.SerializeAsString()}, version});
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "UpdateReport", request.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::Report> ReportShelf::Publish(const AuditActor& actor,
                                                const v1::PublishReportRequest& request) {
  absl::StatusOr<std::string> id = ParseResourceName(request.name(), kCollection, "name");
  if (!id.ok()) return id.status();
  v1::Report result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "PublishReport", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    auto stored = LoadVersioned<v1::Report>(tx, "reports", *id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value())
      return absl::NotFoundError(absl::StrCat("report ", request.name(), " does not exist"));
    if (absl::Status e = CheckEtag(request.etag(), (*stored)->resource.etag(), request.name());
        !e.ok())
      return e;
    result = (*stored)->resource;
    if (result.state() != v1::Report::STATE_DRAFT) {
      return absl::FailedPreconditionError(absl::StrCat("report ", result.name(), " is ",
                                                        v1::Report::State_Name(result.state()),
                                                        "; only a DRAFT is published"));
    }
    const absl::Time now = clock_.Now();
    int32_t version = 1;
    if (!result.supersedes().empty()) {
      // Checked again: another version may have superseded it since this draft was created.
      absl::StatusOr<Versioned<v1::Report>> old =
          LoadPublished(tx, result.supersedes(), "report.supersedes");
      if (!old.ok()) return old.status();
      v1::Report superseded = old->resource;
      version = superseded.version() + 1;
      superseded.set_state(v1::Report::STATE_SUPERSEDED);
      *superseded.mutable_update_time() = ToProtoTimestamp(now);
      superseded.set_etag(EtagForVersion(old->version + 1));
      absl::StatusOr<int64_t> n =
          tx.Execute("UPDATE reports SET state = $2, data = $3, version = $4 WHERE id = $1",
                     {std::string(absl::StripPrefix(result.supersedes(), "reports/")),
                      static_cast<int64_t>(superseded.state()),
                      Blob{superseded.SerializeAsString()}, old->version + 1});
      if (!n.ok()) return n.status();
    }
    result.set_state(v1::Report::STATE_PUBLISHED);
    result.set_version(version);
    result.set_content_sha256(CanonicalReportSha256(result));
    *result.mutable_publish_time() = ToProtoTimestamp(now);
    *result.mutable_update_time() = ToProtoTimestamp(now);
    result.set_etag(EtagForVersion((*stored)->version + 1));
    absl::StatusOr<int64_t> n =
        tx.Execute("UPDATE reports SET state = $2, data = $3, version = $4 WHERE id = $1",
                   {*id, static_cast<int64_t>(result.state()), Blob{result.SerializeAsString()},
                    (*stored)->version + 1});
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "PublishReport", request.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

}  // namespace thb::rapporteur
