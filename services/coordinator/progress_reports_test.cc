// ActionPlans' progress reports (progress_reports.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/coordinator/action_plans_fixture.h"

namespace thb::coordinator {
namespace {

using ::testing::ElementsAre;

using ProgressReportsTest = ActionPlansTest;

TEST_F(ProgressReportsTest, LeadInstitutionReportsProgressAndTheMeasureFollowsInOneTransaction) {
  MakePlanWithOneMeasure();
  v1::CreateProgressReportRequest r;
  r.set_parent("plans/nap/measures/shelter");
  r.mutable_progress_report()->set_narrative("Two shelters opened.");
  r.mutable_progress_report()->set_progress_percent(35);
  auto* iv = r.mutable_progress_report()->add_indicator_values();
  iv->set_name("places");
  iv->set_value(18);
  r.mutable_progress_report()->mutable_amount_spent()->set_currency_code("EUR");
  r.mutable_progress_report()->mutable_amount_spent()->set_units(25000);
  // Not yet adopted: the office, which sees the draft, is told why; a reporting institution,
  // which may not see a draft, gets the answer of a plan that does not exist, whether the
  // measure exists or not (nothing tells a draft's measures apart).
  EXPECT_EQ(plans_->CreateProgressReport(AuditActor::Internal(), office_, r).status().code(),
            absl::StatusCode::kFailedPrecondition);
  const absl::Status hidden =
      plans_->CreateProgressReport(AuditActor::Internal(), police_, r).status();
  v1::CreateProgressReportRequest missing = r;
  missing.set_parent("plans/nap/measures/no-such-measure");
  const absl::Status absent =
      plans_->CreateProgressReport(AuditActor::Internal(), police_, missing).status();
  v1::CreateProgressReportRequest nowhere = r;
  nowhere.set_parent("plans/no-such-plan/measures/shelter");
  const absl::Status no_plan =
      plans_->CreateProgressReport(AuditActor::Internal(), police_, nowhere).status();
  EXPECT_EQ(hidden.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(hidden.message(), "plan plans/nap does not exist");
  EXPECT_EQ(absent, hidden);
  EXPECT_EQ(no_plan.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(no_plan.message(), "plan plans/no-such-plan does not exist");
  Adopt();
  // Another institution may not report on police's measure.
  Principal ngo = police_;
  ngo.institution = "institutions/ngo";
  EXPECT_EQ(plans_->CreateProgressReport(AuditActor::Internal(), ngo, r).status().code(),
            absl::StatusCode::kPermissionDenied);
  // An unknown indicator rejects the whole report; nothing changes.
  r.mutable_progress_report()->add_indicator_values()->set_name("beds-typo");
  EXPECT_THAT(testing::ViolatedFields(
                  plans_->CreateProgressReport(AuditActor::Internal(), police_, r).status()),
              ElementsAre("progress_report.indicator_values[1].name"));
  EXPECT_EQ(plans_->GetMeasure(PlanAudience::Everything(), "plans/nap/measures/shelter")
                ->progress_percent(),
            0);
  r.mutable_progress_report()->mutable_indicator_values()->RemoveLast();

  absl::StatusOr<v1::ProgressReport> report =
      plans_->CreateProgressReport(AuditActor::Internal(), police_, r);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->reporting_institution(), "institutions/police");
  EXPECT_EQ(report->as_of().day(), 1);
  clock_.Advance(absl::Hours(24));
  r.mutable_progress_report()->set_progress_percent(60);
  r.mutable_progress_report()->set_status(v1::MEASURE_STATUS_DELAYED);
  ASSERT_TRUE(plans_->CreateProgressReport(AuditActor::Internal(), police_, r).ok());

  v1::Measure m = *plans_->GetMeasure(PlanAudience::Everything(), "plans/nap/measures/shelter");
  EXPECT_EQ(m.progress_percent(), 60);
  EXPECT_EQ(m.status(), v1::MEASURE_STATUS_DELAYED);
  EXPECT_EQ(m.indicators(0).current(), 18);
  EXPECT_EQ(m.budget().spent().units(), 50000);
  v1::ListProgressReportsRequest lr;
  lr.set_parent("plans/nap/measures/shelter");
  lr.set_page_size(1);
  absl::StatusOr<v1::ListProgressReportsResponse> page =
      plans_->ListProgressReports(PlanAudience::Everything(), lr);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->progress_reports_size(), 1);
  EXPECT_EQ(page->progress_reports(0).progress_percent(), 60);  // newest first
  lr.set_page_token(page->next_page_token());
  page = plans_->ListProgressReports(PlanAudience::Everything(), lr);
  ASSERT_EQ(page->progress_reports_size(), 1);
  EXPECT_EQ(page->progress_reports(0).progress_percent(), 35);
}

TEST_F(ProgressReportsTest, AReportIsReadByItsNameWhereThePlanIsVisible) {
  MakePlanWithOneMeasure();
  Adopt();
  v1::CreateProgressReportRequest r;
  r.set_parent("plans/nap/measures/shelter");
  r.mutable_progress_report()->set_narrative("Two shelters opened.");
  r.mutable_progress_report()->set_progress_percent(35);
  absl::StatusOr<v1::ProgressReport> report =
      plans_->CreateProgressReport(AuditActor::Internal(), office_, r);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->reporting_institution(), "institutions/police");  // the office, for the lead
  absl::StatusOr<v1::ProgressReport> read =
      plans_->GetProgressReport(PlanAudience::For(Principal::Anonymous()), report->name());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->narrative(), "Two shelters opened.");
  EXPECT_EQ(read->name(), report->name());
  absl::Status missing =
      plans_
          ->GetProgressReport(PlanAudience::Everything(),
                              "plans/nap/measures/shelter/progressReports/missing")
          .status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.message(),
            "progress report plans/nap/measures/shelter/progressReports/missing does not exist");
  v1::CreateProgressReportRequest elsewhere = r;
  elsewhere.set_parent("plans/nap/measures/missing");
  absl::Status no_measure =
      plans_->CreateProgressReport(AuditActor::Internal(), office_, elsewhere).status();
  EXPECT_EQ(no_measure.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(no_measure.message(), "measure plans/nap/measures/missing does not exist");
}

}  // namespace
}  // namespace thb::coordinator
