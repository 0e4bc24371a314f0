// ActionPlans: progress publications, the dated and, once published, frozen public reports on a
// plan's results with the period's progress narratives.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/published_content.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/update_mask.h"
#include "services/coordinator/action_plans.h"
#include "services/coordinator/institution_registry.h"
#include "services/coordinator/plan_store.h"
#include "services/coordinator/progress_publication_hash.h"

namespace thb::coordinator {
namespace {

constexpr char kCollection[] = "progressPublications";
const std::vector<std::string> kWritable = {"title", "period_start", "period_end", "summary"};
const std::vector<std::string> kOutputOnly = {"name",        "state",          "snapshot",
                                              "narratives",  "content_sha256", "publish_time",
                                              "create_time", "update_time",    "etag"};

const ResourceTable<v1::ProgressPublication>& Publications() {
  static const ResourceTable<v1::ProgressPublication> table(
      "progress_publications", "progress publication",
      {{"plan", [](const v1::ProgressPublication& p) { return Value(PlanIdOf(p.name())); }},
       {"state", [](const v1::ProgressPublication& p) { return Value(int64_t{p.state()}); }}});
  return table;
}

void Validate(const v1::ProgressPublication& p, FieldViolations& v) {
  const std::string f = "progress_publication.";
  if (p.title().empty()) v.Add(f + "title", "is required");
  if (!IsValidDate(p.period_start())) v.Add(f + "period_start", "must be a valid date");
  if (!IsValidDate(p.period_end())) {
    v.Add(f + "period_end", "must be a valid date");
  } else if (IsValidDate(p.period_start()) &&
             ToCivilDay(p.period_end()) < ToCivilDay(p.period_start())) {
    v.Add(f + "period_end", "must not be before period_start");
  }
}

absl::Status RequireDraft(const v1::ProgressPublication& p) {
  if (p.state() == v1::ProgressPublication::STATE_DRAFT) return absl::OkStatus();
  return PreconditionFailed(type::v1::ERROR_REASON_PUBLICATION_NOT_DRAFT,
                            type::v1::PRECONDITION_TYPE_STATE, p.name(),
                            absl::StrCat(p.name(), " is published; it no longer changes"));
}

// Whether `a` may see `p` (its plan's visibility is checked by the caller).
bool MaySee(const PlanAudience& a, const v1::ProgressPublication& p) {
  return p.state() == v1::ProgressPublication::STATE_PUBLISHED || a.drafts;
}

}  // namespace

std::string CanonicalPublicationSha256(const v1::ProgressPublication& p) {
  v1::ProgressPublication body;
  body.set_summary(p.summary());
  *body.mutable_snapshot() = p.snapshot();
  *body.mutable_narratives() = p.narratives();
  return PublishedContentSha256("thb-progress-publication-v1",
                                {PlanName(PlanIdOf(p.name())), p.title(),
                                 FormatDate(p.period_start()), FormatDate(p.period_end())},
                                CanonicalJson(body));
}

absl::Status ActionPlans::TakeSnapshot(const std::string& plan, v1::ProgressPublication& p) {
  // The public report is what the public may see of the plan, whoever asks.
  THB_ASSIGN_OR_RETURN(v1::PublicReport report, GetPublicReport(PlanAudience::Everything(), plan));
  *p.mutable_snapshot() = std::move(report);
  p.clear_narratives();
  const std::string plan_id = PlanIdOf(plan);
  const absl::CivilDay from = ToCivilDay(p.period_start());
  const absl::CivilDay to = ToCivilDay(p.period_end());
  return db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(
        std::vector<v1::ProgressReport> reports,
        LoadMessages<v1::ProgressReport>(
            tx, "SELECT data FROM progress_reports WHERE substr(id, 1, length($1) + 1) = $1 || '/'",
            {plan_id}));
    std::map<std::string, std::string> titles;
    for (const v1::PublicMeasure& m : p.snapshot().measures()) titles[m.name()] = m.title();
    std::map<std::string, std::string> institutions;
    for (const v1::ProgressReport& r : reports) {
      if (!IsValidDate(r.as_of()) || ToCivilDay(r.as_of()) < from || to < ToCivilDay(r.as_of())) {
        continue;
      }
      const std::string measure = r.name().substr(0, r.name().find("/progressReports/"));
      if (!institutions.count(r.reporting_institution())) {
        THB_ASSIGN_OR_RETURN(std::optional<v1::Institution> found,
                             FindInstitution(tx, r.reporting_institution()));
        institutions[r.reporting_institution()] = found.has_value() ? found->display_name() : "";
      }
      v1::PublishedNarrative& n = *p.add_narratives();
      n.set_measure(measure);
      n.set_measure_title(titles[measure]);
      n.set_reporting_institution_name(institutions[r.reporting_institution()]);
      *n.mutable_as_of() = r.as_of();
      n.set_narrative(r.narrative());
      n.set_progress_percent(r.progress_percent());
      n.set_status(r.status());
    }
    std::stable_sort(p.mutable_narratives()->begin(), p.mutable_narratives()->end(),
                     [](const v1::PublishedNarrative& a, const v1::PublishedNarrative& b) {
                       if (FormatDate(a.as_of()) != FormatDate(b.as_of())) {
                         return FormatDate(a.as_of()) > FormatDate(b.as_of());
                       }
                       return a.measure() < b.measure();
                     });
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::ProgressPublication> ActionPlans::CreateProgressPublication(
    const AuditActor& actor, const v1::CreateProgressPublicationRequest& r) {
  THB_ASSIGN_OR_RETURN(std::string plan_id, PlanId(r.parent(), "parent"));
  FieldViolations v;
  Validate(r.progress_publication(), v);
  if (!r.progress_publication_id().empty() && !IsValidResourceId(r.progress_publication_id())) {
    v.Add("progress_publication_id",
          "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  // A retry answers the first result before any snapshot is taken.
  const MutationCall call{actor, "CreateProgressPublication", r.request_id()};
  THB_ASSIGN_OR_RETURN(auto prior, PriorResponse<v1::ProgressPublication>(db_, call));
  if (prior.has_value()) return *std::move(prior);
  v1::ProgressPublication proposed = r.progress_publication();
  THB_RETURN_IF_ERROR(TakeSnapshot(r.parent(), proposed));  // FAILED_PRECONDITION unless adopted
  const std::string id =
      r.progress_publication_id().empty() ? NewResourceId() : r.progress_publication_id();
  return RunMutation<v1::ProgressPublication>(
      db_, call, [&](Transaction& tx, v1::ProgressPublication& result) -> absl::Status {
        THB_RETURN_IF_ERROR(LoadPlan(tx, plan_id).status());
        result = proposed;
        result.set_name(absl::StrCat(r.parent(), "/", kCollection, "/", id));
        result.set_state(v1::ProgressPublication::STATE_DRAFT);
        result.clear_content_sha256();
        result.clear_publish_time();
        const absl::Time now = clock_.Now();
        *result.mutable_create_time() = ToProtoTimestamp(now);
        *result.mutable_update_time() = ToProtoTimestamp(now);
        return Publications().Insert(tx, ChildKey({plan_id, id}), result);
      });
}

absl::StatusOr<v1::ProgressPublication> ActionPlans::GetProgressPublication(
    const PlanAudience& a, const std::string& name) {
  THB_ASSIGN_OR_RETURN(v1::ProgressPublication p,
                       GetVisible(db_, a, Publications(), {"plans", kCollection}, name));
  if (!MaySee(a, p)) return Publications().NotFound(name);
  return p;
}

absl::StatusOr<v1::ListProgressPublicationsResponse> ActionPlans::ListProgressPublications(
    const PlanAudience& a, const v1::ListProgressPublicationsRequest& r) {
  THB_ASSIGN_OR_RETURN(std::string plan_id, PlanId(r.parent(), "parent"));
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(r));
  v1::ListProgressPublicationsResponse out;
  THB_RETURN_IF_ERROR(ReadVisiblePlan(db_, a, plan_id, [&](Transaction& tx, const v1::ActionPlan&) {
    return ListByIdFiltered(
        tx, {Publications().table(), "plan = $1", {plan_id}}, page,
        [&](const v1::ProgressPublication& p) { return MaySee(a, p); },
        out.mutable_progress_publications(), out.mutable_next_page_token());
  }));
  return out;
}

absl::StatusOr<v1::ProgressPublication> ActionPlans::UpdateProgressPublication(
    const AuditActor& actor, const v1::UpdateProgressPublicationRequest& r) {
  const v1::ProgressPublication& patch = r.progress_publication();
  THB_ASSIGN_OR_RETURN(
      std::vector<std::string> ids,
      ParseResourcePath(patch.name(), {"plans", kCollection}, "progress_publication.name"));
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(r.update_mask(), {kWritable, kOutputOnly, {}}, "ProgressPublication"));
  const MutationCall call{actor, "UpdateProgressPublication", r.request_id()};
  THB_ASSIGN_OR_RETURN(auto prior, PriorResponse<v1::ProgressPublication>(db_, call));
  if (prior.has_value()) return *std::move(prior);
  // The snapshot is taken from the proposed period before the write, which then requires the
  // publication to be as it was read (the caller's etag, else the one read here).
  THB_ASSIGN_OR_RETURN(v1::ProgressPublication current,
                       GetProgressPublication(PlanAudience::Everything(), patch.name()));
  THB_RETURN_IF_ERROR(RequireDraft(current));
  v1::ProgressPublication proposed = current;
  ApplyUpdateMask(patch, mask, &proposed);
  FieldViolations v;
  Validate(proposed, v);
  THB_RETURN_IF_ERROR(v.ToStatus());
  THB_RETURN_IF_ERROR(TakeSnapshot(PlanName(ids[0]), proposed));
  return UpdateResource<v1::ProgressPublication>(
      db_, call, Publications(),
      {ChildKey(ids), patch.name(), patch.etag().empty() ? current.etag() : patch.etag()},
      clock_.Now(), [&](Transaction&, v1::ProgressPublication& result) -> absl::Status {
        THB_RETURN_IF_ERROR(RequireDraft(result));
        result = proposed;
        return absl::OkStatus();
      });
}

absl::Status ActionPlans::DeleteProgressPublication(const AuditActor& actor,
                                                    const v1::DeleteProgressPublicationRequest& r) {
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                       ParseResourcePath(r.name(), {"plans", kCollection}, "name"));
  return RunMutation(
      db_, {actor, "DeleteProgressPublication", r.request_id(), r.name()},
      [&](Transaction& tx) -> absl::Status {
        THB_ASSIGN_OR_RETURN(auto stored, Publications().Load(tx, ChildKey(ids), r.name()));
        THB_RETURN_IF_ERROR(CheckEtag(r.etag(), stored.resource.etag(), r.name()));
        THB_RETURN_IF_ERROR(RequireDraft(stored.resource));
        return tx.Execute("DELETE FROM progress_publications WHERE id = $1", {ChildKey(ids)})
            .status();
      });
}

absl::StatusOr<v1::ProgressPublication> ActionPlans::PublishProgressPublication(
    const AuditActor& actor, const v1::PublishProgressPublicationRequest& r) {
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                       ParseResourcePath(r.name(), {"plans", kCollection}, "name"));
  const MutationCall call{actor, "PublishProgressPublication", r.request_id()};
  THB_ASSIGN_OR_RETURN(auto prior, PriorResponse<v1::ProgressPublication>(db_, call));
  if (prior.has_value()) return *std::move(prior);
  THB_ASSIGN_OR_RETURN(v1::ProgressPublication current,
                       GetProgressPublication(PlanAudience::Everything(), r.name()));
  THB_RETURN_IF_ERROR(RequireDraft(current));
  v1::ProgressPublication frozen = current;
  THB_RETURN_IF_ERROR(TakeSnapshot(PlanName(ids[0]), frozen));
  const absl::Time now = clock_.Now();
  return UpdateResource<v1::ProgressPublication>(
      db_, call, Publications(),
      {ChildKey(ids), r.name(), r.etag().empty() ? current.etag() : r.etag()}, now,
      [&](Transaction&, v1::ProgressPublication& result) -> absl::Status {
        THB_RETURN_IF_ERROR(RequireDraft(result));
        result = frozen;
        result.set_state(v1::ProgressPublication::STATE_PUBLISHED);
        *result.mutable_publish_time() = ToProtoTimestamp(now);
        result.set_content_sha256(CanonicalPublicationSha256(result));
        return absl::OkStatus();
      });
}

}  // namespace thb::coordinator
