// The report shelf against a temporary database and a fake clock.
#include "services/rapporteur/reports.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/rapporteur/testing/domain_fixtures.h"

namespace thb::rapporteur {
namespace {

// The digest of a published report is the documented recipe (reports.h), pinned: the shared
// code that computes it now (published_content.h) must not change a report's published hash.
TEST(CanonicalReportSha256, IsTheDocumentedRecipe) {
  v1::Report r;
  r.set_kind(v1::Report::KIND_ANNUAL);
  r.set_title("Annual\r\nreport");
  r.set_year(2025);
  r.set_supersedes("reports/a");
  r.set_content("x\ry");
  // sha256("thb-report-v1\nKIND_ANNUAL\nAnnual\nreport\n2025\nreports/a\n\nx\ny")
  EXPECT_EQ(CanonicalReportSha256(r),
            "3b7f6e84e20219c3441089c1b85bc4917077522dd24c07405900115c55817403");
}

using ::testing::HasSubstr;

class ReportShelfTest : public RecommendationsAndReportsTest {};

TEST_F(ReportShelfTest, PublishingFreezesAReportWithItsHashAndANewVersionSupersedesIt) {
  const Principal office = As({roles::kRapporteurOffice});
  const Principal anyone = As({});
  v1::Report draft = *shelf_->Create(AuditActor::Internal(), Draft("Annual report 2024"));
  EXPECT_EQ(draft.state(), v1::Report::STATE_DRAFT);
  EXPECT_EQ(shelf_->Get(anyone, draft.name()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(shelf_->List(anyone, {})->reports_size(), 0);
  EXPECT_EQ(shelf_->List(office, {})->reports_size(), 1);

  v1::PublishReportRequest publish;
  publish.set_name(draft.name());
  publish.set_etag("\"stale\"");
  EXPECT_EQ(shelf_->Publish(AuditActor::Internal(), publish).status().code(),
            absl::StatusCode::kAborted);
  publish.set_etag(draft.etag());
  v1::Report published = *shelf_->Publish(AuditActor::Internal(), publish);
  EXPECT_EQ(published.state(), v1::Report::STATE_PUBLISHED);
  EXPECT_EQ(published.version(), 1);
  EXPECT_EQ(published.content_sha256().size(), 64u);
  EXPECT_EQ(published.content_sha256(), CanonicalReportSha256(published));
  // The hash is of the canonical content: CR LF and LF give the same.
  v1::Report lf = published;
  lf.set_content("# Findings\nIdentification rose.");
  EXPECT_EQ(CanonicalReportSha256(lf), published.content_sha256());
  lf.set_content("# Findings\nIdentification fell.");
  EXPECT_NE(CanonicalReportSha256(lf), published.content_sha256());
  EXPECT_EQ(shelf_->Get(anyone, draft.name())->content_sha256(), published.content_sha256());

  v1::UpdateReportRequest edit;
  edit.mutable_report()->set_name(published.name());
  edit.mutable_report()->set_content("rewritten");
  edit.mutable_update_mask()->add_paths("content");
  absl::Status frozen = shelf_->Update(AuditActor::Internal(), edit).status();
  EXPECT_EQ(frozen.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(frozen.message(), HasSubstr("STATE_PUBLISHED"));
  publish.clear_etag();
  EXPECT_EQ(shelf_->Publish(AuditActor::Internal(), publish).status().code(),
            absl::StatusCode::kFailedPrecondition);

  EXPECT_EQ(shelf_->Create(AuditActor::Internal(), Draft("Corrigendum", draft.name() + "x"))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  v1::Report second = *shelf_->Create(AuditActor::Internal(),
                                      Draft("Annual report 2024 (revised)", published.name()));
  publish.set_name(second.name());
  v1::Report v2 = *shelf_->Publish(AuditActor::Internal(), publish);
  EXPECT_EQ(v2.version(), 2);
  EXPECT_NE(v2.content_sha256(), published.content_sha256());  // the title changed
  v1::Report old = *shelf_->Get(anyone, published.name());
  EXPECT_EQ(old.state(), v1::Report::STATE_SUPERSEDED);
  EXPECT_EQ(old.content_sha256(), published.content_sha256());
  // Superseding an already superseded report is refused.
  EXPECT_EQ(
      shelf_->Create(AuditActor::Internal(), Draft("Third", published.name())).status().code(),
      absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace thb::rapporteur
