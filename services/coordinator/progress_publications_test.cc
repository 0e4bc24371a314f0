// Progress publications: drafts refreshed and hidden like plan drafts, the period's narratives,
// publication freezing the content under the documented SHA-256, and nothing changing after.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/errors.h"
#include "services/common/published_content.h"
#include "services/coordinator/action_plans_fixture.h"
#include "services/coordinator/progress_publication_hash.h"

namespace thb::coordinator {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ProgressPublicationsTest : public ActionPlansTest {
 protected:
  void Report(absl::CivilDay as_of, const std::string& narrative, double percent) {
    v1::CreateProgressReportRequest r;
    r.set_parent("plans/nap/measures/shelter");
    r.mutable_progress_report()->set_narrative(narrative);
    r.mutable_progress_report()->set_progress_percent(percent);
    *r.mutable_progress_report()->mutable_as_of() = ToDate(as_of);
    absl::StatusOr<v1::ProgressReport> made =
        plans_->CreateProgressReport(AuditActor::Internal(), police_, r);
    ASSERT_TRUE(made.ok()) << made.status();
  }

  v1::CreateProgressPublicationRequest Request(const std::string& id) {
    v1::CreateProgressPublicationRequest r;
    r.set_parent("plans/nap");
    r.set_progress_publication_id(id);
    r.mutable_progress_publication()->set_title("Progress report, first quarter 2025");
    *r.mutable_progress_publication()->mutable_period_start() = ToDate(absl::CivilDay(2025, 1, 1));
    *r.mutable_progress_publication()->mutable_period_end() = ToDate(absl::CivilDay(2025, 3, 31));
    r.mutable_progress_publication()->set_summary("Shelters are opening.\r\nMore to come.");
    return r;
  }
};

TEST_F(ProgressPublicationsTest, OnlyAnAdoptedPlanIsPublishedAndBadInputWritesNothing) {
  MakePlanWithOneMeasure();
  EXPECT_EQ(
      ReasonOf(plans_->CreateProgressPublication(AuditActor::Internal(), Request("q1")).status()),
      "PLAN_NOT_PUBLISHED");
  Adopt();
  v1::CreateProgressPublicationRequest bad = Request("bad");
  bad.mutable_progress_publication()->clear_title();
  *bad.mutable_progress_publication()->mutable_period_end() = ToDate(absl::CivilDay(2024, 1, 1));
  absl::StatusOr<v1::ProgressPublication> refused =
      plans_->CreateProgressPublication(AuditActor::Internal(), bad);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(refused.status()).size(), 2u);
  bad = Request("none");
  bad.set_parent("plans/none");
  EXPECT_EQ(plans_->CreateProgressPublication(AuditActor::Internal(), bad).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(plans_
                ->ListProgressPublications(PlanAudience::Everything(),
                                           [] {
                                             v1::ListProgressPublicationsRequest l;
                                             l.set_parent("plans/nap");
                                             return l;
                                           }())
                ->progress_publications_size(),
            0);
}

TEST_F(ProgressPublicationsTest, PublishingFreezesTheSnapshotUnderItsHash) {
  MakePlanWithOneMeasure();
  Adopt();
  Report(absl::CivilDay(2025, 2, 10), "Two shelters opened.", 30);
  Report(absl::CivilDay(2024, 12, 20), "Before the period.", 10);
  absl::StatusOr<v1::ProgressPublication> draft =
      plans_->CreateProgressPublication(AuditActor::Internal(), Request("q1"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->state(), v1::ProgressPublication::STATE_DRAFT);
  EXPECT_TRUE(draft->content_sha256().empty());
  ASSERT_EQ(draft->narratives_size(), 1);  // only the report inside the period
  EXPECT_EQ(draft->narratives(0).narrative(), "Two shelters opened.");
  EXPECT_EQ(draft->narratives(0).reporting_institution_name(), "Institution police");
  EXPECT_EQ(draft->narratives(0).measure_title(), "Shelter places for victims");
  // The snapshot is the public report: no internal notes, no funding per institution.
  EXPECT_THAT(draft->DebugString(), Not(HasSubstr("contact the ministry")));
  EXPECT_THAT(draft->DebugString(), Not(HasSubstr("budget talks pending")));
  EXPECT_EQ(draft->snapshot().funding().by_institution_size(), 0);
  EXPECT_EQ(draft->snapshot().progress().overall().measure_count(), 1);

  // A draft is the office's: the public does not see it.
  const PlanAudience public_ = PlanAudience::For(Principal::Anonymous());
  EXPECT_EQ(plans_->GetProgressPublication(public_, draft->name()).status().code(),
            absl::StatusCode::kNotFound);

  // A later report within the period joins the snapshot when the publication is published.
  Report(absl::CivilDay(2025, 3, 1), "A third shelter opened.", 45);
  v1::PublishProgressPublicationRequest publish;
  publish.set_name(draft->name());
  publish.set_etag(draft->etag());
  absl::StatusOr<v1::ProgressPublication> published =
      plans_->PublishProgressPublication(AuditActor::Internal(), publish);
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->state(), v1::ProgressPublication::STATE_PUBLISHED);
  ASSERT_EQ(published->narratives_size(), 2);
  EXPECT_EQ(published->narratives(0).narrative(), "A third shelter opened.");  // newest first
  EXPECT_EQ(published->snapshot().measures(0).progress_percent(), 45);
  EXPECT_EQ(published->content_sha256(), CanonicalPublicationSha256(*published));
  // The recipe, spelled out: header lines, an empty line, the canonical JSON of the content.
  v1::ProgressPublication body;
  body.set_summary(published->summary());
  *body.mutable_snapshot() = published->snapshot();
  *body.mutable_narratives() = published->narratives();
  EXPECT_EQ(published->content_sha256(),
            PublishedContentSha256(
                "thb-progress-publication-v1",
                {"plans/nap", "Progress report, first quarter 2025", "2025-01-01", "2025-03-31"},
                CanonicalJson(body)));
  v1::ProgressPublication tampered = *published;
  tampered.mutable_narratives(1)->set_narrative("Nothing happened.");
  EXPECT_NE(CanonicalPublicationSha256(tampered), published->content_sha256());

  // Published: everyone reads it, nothing changes it.
  absl::StatusOr<v1::ProgressPublication> read =
      plans_->GetProgressPublication(public_, draft->name());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->content_sha256(), published->content_sha256());
  Report(absl::CivilDay(2025, 3, 1), "Later news.", 50);
  EXPECT_EQ(plans_->GetProgressPublication(public_, draft->name())->narratives_size(), 2);
  EXPECT_EQ(ReasonOf(plans_->PublishProgressPublication(AuditActor::Internal(), publish).status()),
            "PUBLICATION_NOT_DRAFT");
  v1::UpdateProgressPublicationRequest edit;
  edit.mutable_progress_publication()->set_name(draft->name());
  edit.mutable_progress_publication()->set_title("Rewritten");
  EXPECT_EQ(ReasonOf(plans_->UpdateProgressPublication(AuditActor::Internal(), edit).status()),
            "PUBLICATION_NOT_DRAFT");
  v1::DeleteProgressPublicationRequest del;
  del.set_name(draft->name());
  EXPECT_EQ(ReasonOf(plans_->DeleteProgressPublication(AuditActor::Internal(), del)),
            "PUBLICATION_NOT_DRAFT");
}

TEST_F(ProgressPublicationsTest, ADraftIsRefreshedWhenEditedAndDeletable) {
  MakePlanWithOneMeasure();
  Adopt();
  ASSERT_TRUE(plans_->CreateProgressPublication(AuditActor::Internal(), Request("q1")).ok());
  Report(absl::CivilDay(2025, 2, 10), "Two shelters opened.", 30);
  v1::UpdateProgressPublicationRequest edit;
  edit.mutable_progress_publication()->set_name("plans/nap/progressPublications/q1");
  edit.mutable_progress_publication()->set_title("Q1 2025");
  edit.mutable_update_mask()->add_paths("title");
  absl::StatusOr<v1::ProgressPublication> edited =
      plans_->UpdateProgressPublication(AuditActor::Internal(), edit);
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_EQ(edited->title(), "Q1 2025");
  EXPECT_EQ(edited->narratives_size(), 1);
  edit.mutable_progress_publication()->set_etag("stale");
  EXPECT_EQ(plans_->UpdateProgressPublication(AuditActor::Internal(), edit).status().code(),
            absl::StatusCode::kAborted);
  v1::DeleteProgressPublicationRequest del;
  del.set_name("plans/nap/progressPublications/q1");
  EXPECT_TRUE(plans_->DeleteProgressPublication(AuditActor::Internal(), del).ok());
  EXPECT_EQ(plans_->GetProgressPublication(PlanAudience::Everything(), del.name()).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace thb::coordinator
