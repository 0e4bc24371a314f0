#include "services/rapporteur/reports.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "services/common/errors.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/published_content.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"
#include "services/common/versioned_rows.h"

namespace thb::rapporteur {
namespace {

constexpr char kCollection[] = "reports";

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

const ResourceTable<v1::Report>& Reports() {
  static const ResourceTable<v1::Report> table(
      "reports", "report",
      {{"state", [](const v1::Report& r) { return Value(int64_t{r.state()}); }},
       {"create_time", [](const v1::Report& r) { return Value(StoredTime(r.create_time())); }}});
  return table;
}

// The report `name` (in request field `field`), which must be PUBLISHED to be superseded.
absl::StatusOr<Versioned<v1::Report>> LoadPublished(Transaction& tx, const std::string& name,
                                                    const std::string& field) {
  THB_ASSIGN_OR_RETURN(std::optional<Versioned<v1::Report>> stored,
                       Reports().Find(tx, std::string(absl::StripPrefix(name, "reports/"))));
  if (!stored.has_value()) {
    return PreconditionFailed(type::v1::ERROR_REASON_REPORT_NOT_FOUND,
                              type::v1::PRECONDITION_TYPE_REFERENCE, name,
                              absl::StrCat(field, ": report ", name, " does not exist"));
  }
  if (stored->resource.state() != v1::Report::STATE_PUBLISHED) {
    return PreconditionFailed(
        type::v1::ERROR_REASON_REPORT_NOT_PUBLISHED, type::v1::PRECONDITION_TYPE_STATE, name,
        absl::StrCat(field, ": only a PUBLISHED report can be superseded; ", name, " is ",
                     v1::Report::State_Name(stored->resource.state())));
  }
  return *std::move(stored);
}

// FAILED_PRECONDITION unless `r` supersedes nothing or a PUBLISHED report.
absl::Status CheckSupersedes(Transaction& tx, const v1::Report& r) {
  if (r.supersedes().empty()) return absl::OkStatus();
  return LoadPublished(tx, r.supersedes(), "report.supersedes").status();
}

}  // namespace

std::string CanonicalReportSha256(const v1::Report& report) {
  return PublishedContentSha256("thb-report-v1",
                                {v1::Report::Kind_Name(report.kind()), report.title(),
                                 absl::StrCat(report.year()), report.supersedes()},
                                report.content());
}

absl::StatusOr<v1::Report> ReportShelf::Create(const AuditActor& actor,
                                               const v1::CreateReportRequest& request) {
  if (!request.report_id().empty() && !IsValidResourceId(request.report_id())) {
    return InvalidField(
        "report_id", "must be 1-63 lower-case letters, digits or hyphens, starting with a letter");
  }
  const int current_year = absl::ToCivilYear(clock_.Now(), absl::UTCTimeZone()).year();
  THB_RETURN_IF_ERROR(Validate(request.report(), current_year));
  return RunMutation<v1::Report>(
      db_, {actor, "CreateReport", request.request_id()},
      [&](Transaction& tx, v1::Report& result) -> absl::Status {
        result = request.report();
        THB_RETURN_IF_ERROR(CheckSupersedes(tx, result));
        const std::string id = request.report_id().empty() ? NewResourceId() : request.report_id();
        result.set_name(absl::StrCat(kCollection, "/", id));
        result.set_state(v1::Report::STATE_DRAFT);
        result.clear_version();
        result.clear_content_sha256();
        result.clear_publish_time();
        const absl::Time now = clock_.Now();
        *result.mutable_create_time() = ToProtoTimestamp(now);
        *result.mutable_update_time() = ToProtoTimestamp(now);
        return Reports().Insert(tx, id, result);
      });
}

absl::StatusOr<v1::Report> ReportShelf::Get(const Principal& caller, const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, "name"));
  THB_ASSIGN_OR_RETURN(std::optional<v1::Report> found, Reports().Read(db_, id));
  if (!found.has_value() || (found->state() == v1::Report::STATE_DRAFT && !CanSeeDrafts(caller))) {
    return Reports().NotFound(name);
  }
  return *std::move(found);
}

absl::StatusOr<v1::ListReportsResponse> ReportShelf::List(const Principal& caller,
                                                          const v1::ListReportsRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  const ListQuery query = {
      "reports",
      "$1 = 1 OR state <> $2",
      {int64_t{CanSeeDrafts(caller) ? 1 : 0}, int64_t{v1::Report::STATE_DRAFT}}};
  v1::ListReportsResponse response;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListById(tx, query, page, response.mutable_reports(),
                    response.mutable_next_page_token());
  }));
  return response;
}

absl::StatusOr<v1::Report> ReportShelf::Update(const AuditActor& actor,
                                               const v1::UpdateReportRequest& request) {
  static const std::vector<std::string> kWritable = {"kind", "title", "year", "content",
                                                     "supersedes"};
  static const std::vector<std::string> kOutputOnly = {
      "name",         "state",       "version",     "content_sha256",
      "publish_time", "create_time", "update_time", "etag"};
  const v1::Report& patch = request.report();
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(patch.name(), kCollection, "report.name"));
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(request.update_mask(), {kWritable, kOutputOnly, {}}, "Report"));
  const int current_year = absl::ToCivilYear(clock_.Now(), absl::UTCTimeZone()).year();
  return UpdateResource<v1::Report>(
      db_, {actor, "UpdateReport", request.request_id()}, Reports(),
      {id, patch.name(), patch.etag()}, clock_.Now(),
      [&](Transaction& tx, v1::Report& result) -> absl::Status {
        if (result.state() != v1::Report::STATE_DRAFT) {
          return PreconditionFailed(
              type::v1::ERROR_REASON_REPORT_NOT_DRAFT, type::v1::PRECONDITION_TYPE_STATE,
              result.name(),
              absl::StrCat("report ", result.name(), " is ", v1::Report::State_Name(result.state()),
                           " and can no longer be edited; create a new report that supersedes it"));
        }
        ApplyUpdateMask(patch, mask, &result);
        THB_RETURN_IF_ERROR(Validate(result, current_year));
        return CheckSupersedes(tx, result);
      });
}

absl::StatusOr<v1::Report> ReportShelf::Publish(const AuditActor& actor,
                                                const v1::PublishReportRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(request.name(), kCollection, "name"));
  const absl::Time now = clock_.Now();
  return UpdateResource<v1::Report>(
      db_, {actor, "PublishReport", request.request_id()}, Reports(),
      {id, request.name(), request.etag()}, now,
      [&](Transaction& tx, v1::Report& result) -> absl::Status {
        if (result.state() != v1::Report::STATE_DRAFT) {
          return PreconditionFailed(
              type::v1::ERROR_REASON_REPORT_NOT_DRAFT, type::v1::PRECONDITION_TYPE_STATE,
              result.name(),
              absl::StrCat("report ", result.name(), " is ", v1::Report::State_Name(result.state()),
                           "; only a DRAFT is published"));
        }
        int32_t version = 1;
        if (!result.supersedes().empty()) {
          // Checked again: another version may have superseded it since this draft was created.
          THB_ASSIGN_OR_RETURN(Versioned<v1::Report> old,
                               LoadPublished(tx, result.supersedes(), "report.supersedes"));
          v1::Report& superseded = old.resource;
          version = superseded.version() + 1;
          superseded.set_state(v1::Report::STATE_SUPERSEDED);
          *superseded.mutable_update_time() = ToProtoTimestamp(now);
          THB_RETURN_IF_ERROR(
              Reports().Update(tx, std::string(absl::StripPrefix(result.supersedes(), "reports/")),
                               superseded, old.version + 1));
        }
        result.set_state(v1::Report::STATE_PUBLISHED);
        result.set_version(version);
        result.set_content_sha256(CanonicalReportSha256(result));
        *result.mutable_publish_time() = ToProtoTimestamp(now);
        return absl::OkStatus();
      });
}

}  // namespace thb::rapporteur
