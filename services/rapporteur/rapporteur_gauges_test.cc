// The rapporteur's gauges over recommendations and reports stored by the domain objects.
#include "services/rapporteur/rapporteur_gauges.h"

#include <gtest/gtest.h>

#include "services/rapporteur/testing/domain_fixtures.h"

namespace thb::rapporteur {
namespace {

class RapporteurGaugesTest : public RecommendationsAndReportsTest {};

TEST_F(RapporteurGaugesTest, GaugesCountFollowUpOverdueAndPublished) {
  v1::Recommendation late = Issue(v1::Addressee::KIND_COORDINATOR, "", absl::CivilDay(2025, 1, 31));
  Issue(v1::Addressee::KIND_COMMISSION);
  v1::AssessRecommendationFollowUpRequest a;
  a.set_name(late.name());
  a.set_status(v1::IMPLEMENTATION_STATUS_NOT_STARTED);
  a.set_rationale("Nothing yet");
  ASSERT_TRUE(
      book_->AssessFollowUp(AuditActor::Internal(), As({roles::kRapporteurOffice}), a).ok());
  v1::Report draft = *shelf_->Create(AuditActor::Internal(), Draft("Annual report 2024"));
  v1::PublishReportRequest publish;
  publish.set_name(draft.name());
  ASSERT_TRUE(shelf_->Publish(AuditActor::Internal(), publish).ok());
  std::map<std::string, double> g = testing::GaugeValues(RapporteurGauges(*db_, clock_));
  EXPECT_EQ(g["thb_recommendations{IMPLEMENTATION_STATUS_NOT_STARTED}"], 1);
  EXPECT_EQ(g["thb_recommendations{IMPLEMENTATION_STATUS_UNSPECIFIED}"], 1);
  EXPECT_EQ(g["thb_recommendations{IMPLEMENTATION_STATUS_IMPLEMENTED}"], 0);
  EXPECT_EQ(g["thb_recommendations_overdue"], 1);  // due 2025-01-31, today 2025-06-15
  EXPECT_EQ(g["thb_reports_published"], 1);
  EXPECT_EQ(g["thb_statistics_submissions"], 0);
}

}  // namespace
}  // namespace thb::rapporteur
