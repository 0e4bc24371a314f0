// ActionPlans' analyses, public report and gauge figures (plan_publication.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/coordinator/action_plans_fixture.h"
#include "services/coordinator/coordinator_gauges.h"

namespace thb::coordinator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
namespace t = thb::type::v1;

using PlanPublicationTest = ActionPlansTest;

TEST_F(PlanPublicationTest, AnalysesPublicReportAndGauges) {
  v1::UpdateMandateRequest mr;
  mr.mutable_mandate()->set_name("mandate");
  mr.mutable_mandate()->set_institution("institutions/labour");
  mr.mutable_mandate()->add_forms_in_scope(t::FORM_OF_EXPLOITATION_SEXUAL_EXPLOITATION);
  mr.mutable_mandate()->add_forms_in_scope(t::FORM_OF_EXPLOITATION_FORCED_LABOUR);
  ASSERT_TRUE(mandate_->Update(AuditActor::Internal(), mr).ok());
  MakePlanWithOneMeasure();
  const PlanAudience everyone = PlanAudience::For(Principal::Anonymous());
  EXPECT_EQ(plans_->GetPublicReport(everyone, "plans/nap").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(plans_->GetPublicReport(PlanAudience::For(office_), "plans/nap").status().code(),
            absl::StatusCode::kFailedPrecondition);
  Adopt();
  v1::CoverageAnalysis cov = *plans_->AnalyzeCoverage(PlanAudience::For(office_), "plans/nap");
  EXPECT_THAT(cov.mandate_forms_not_covered(), ElementsAre(t::FORM_OF_EXPLOITATION_FORCED_LABOUR));
  absl::StatusOr<v1::PublicReport> pub = plans_->GetPublicReport(everyone, "plans/nap");
  ASSERT_TRUE(pub.ok()) << pub.status();
  ASSERT_EQ(pub->measures_size(), 1);
  EXPECT_EQ(pub->measures(0).lead_institution_name(), "Institution police");
  EXPECT_EQ(pub->measures(0).start_date().year(), 2025);
  EXPECT_EQ(pub->measures(0).due_date().month(), 12);
  EXPECT_EQ(pub->funding().total().allocated().units(), 100000);
  EXPECT_THAT(pub->funding().by_institution(), IsEmpty());
  const std::string text = pub->DebugString();
  EXPECT_THAT(text, ::testing::Not(HasSubstr("contact the ministry")));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("budget talks pending")));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("@example.org")));

  clock_.Set(absl::FromCivil(absl::CivilDay(2026, 1, 2), absl::UTCTimeZone()));  // past due
  ReportingObligations obligations(*db_, clock_);
  CoordinatorGauges gauges(*plans_, obligations);
  std::map<std::string, double> values = testing::GaugeValues(gauges);
  EXPECT_EQ(values["thb_measures{MEASURE_STATUS_PLANNED}"], 1);
  EXPECT_EQ(values["thb_measures{MEASURE_STATUS_COMPLETED}"], 0);
  EXPECT_EQ(values["thb_measures_overdue"], 1);
  EXPECT_EQ(values["thb_budget_allocated{EUR}"], 100000);
  EXPECT_EQ(values["thb_budget_spent{EUR}"], 0);
  EXPECT_EQ(values["thb_obligations_overdue"], 0);
}

}  // namespace
}  // namespace thb::coordinator
