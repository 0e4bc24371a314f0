// ActionPlans' measures (measures.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/coordinator/action_plans_fixture.h"

namespace thb::coordinator {
namespace {

using ::testing::ElementsAre;
namespace t = thb::type::v1;

using MeasuresTest = ActionPlansTest;

TEST_F(MeasuresTest, MeasureReferencesMustExistAndBeActive) {
  MakePlan();
  MakeObjective("protect", t::PILLAR_PROTECTION);
  v1::CreateMeasureRequest r = MeasureRequest("m1");
  r.mutable_measure()->set_objective("plans/nap/objectives/missing");
  r.mutable_measure()->set_lead_institution("institutions/ghost");
  r.mutable_measure()->add_partner_institutions("institutions/ngo");  // twice
  EXPECT_THAT(
      testing::ViolatedFields(plans_->CreateMeasure(AuditActor::Internal(), office_, r).status()),
      ElementsAre("measure.partner_institutions"));
  r = MeasureRequest("m1");
  r.mutable_measure()->set_objective("plans/nap/objectives/missing");
  r.mutable_measure()->set_lead_institution("institutions/ghost");
  EXPECT_THAT(
      testing::ViolatedFields(plans_->CreateMeasure(AuditActor::Internal(), office_, r).status()),
      ElementsAre("measure.objective", "measure.lead_institution"));
  v1::ArchiveInstitutionRequest archive;
  archive.set_name("institutions/ngo");
  ASSERT_TRUE(registry_->Archive(AuditActor::Internal(), archive).ok());
  EXPECT_THAT(
      testing::ViolatedFields(
          plans_->CreateMeasure(AuditActor::Internal(), office_, MeasureRequest("m1")).status()),
      ElementsAre("measure.partner_institutions[0]"));
}

TEST_F(MeasuresTest, MeasureFieldValidation) {
  MakePlan();
  MakeObjective("protect", t::PILLAR_PROTECTION);
  v1::CreateMeasureRequest r = MeasureRequest("m1");
  r.mutable_measure()->clear_forms();
  r.mutable_measure()->mutable_budget()->mutable_allocated()->set_currency_code("USD");
  r.mutable_measure()->set_progress_percent(140);
  *r.mutable_measure()->mutable_due_date() = ToDate(absl::CivilDay(2024, 1, 1));
  r.mutable_measure()->add_indicators()->set_name("places");
  EXPECT_THAT(
      testing::ViolatedFields(plans_->CreateMeasure(AuditActor::Internal(), office_, r).status()),
      ElementsAre("measure.forms", "measure.due_date", "measure.indicators[1].name",
                  "measure.budget.allocated", "measure.progress_percent"));
}

TEST_F(MeasuresTest, RetriedCreateReturnsTheFirstMeasureAndStaleEtagIsAborted) {
  MakePlan();
  MakeObjective("protect", t::PILLAR_PROTECTION);
  v1::CreateMeasureRequest r = MeasureRequest("");
  r.set_request_id("req-7");
  v1::Measure first = *plans_->CreateMeasure(AuditActor::Internal(), office_, r);
  v1::Measure second = *plans_->CreateMeasure(AuditActor::Internal(), office_, r);
  EXPECT_EQ(first.name(), second.name());
  v1::ListMeasuresRequest lr;
  lr.set_parent("plans/nap");
  EXPECT_EQ(plans_->ListMeasures(PlanAudience::Everything(), lr)->measures_size(), 1);

  v1::UpdateMeasureRequest u;
  u.mutable_measure()->set_name(first.name());
  u.mutable_measure()->set_title("Renamed");
  u.mutable_measure()->set_etag(first.etag());
  u.mutable_update_mask()->add_paths("title");
  ASSERT_TRUE(plans_->UpdateMeasure(AuditActor::Internal(), office_, u).ok());
  EXPECT_EQ(plans_->UpdateMeasure(AuditActor::Internal(), office_, u).status().code(),
            absl::StatusCode::kAborted);
}

TEST_F(MeasuresTest, ListFiltersAndPages) {
  MakePlan();
  MakeObjective("protect", t::PILLAR_PROTECTION);
  for (int i = 0; i < 5; ++i) {
    v1::CreateMeasureRequest r = MeasureRequest("m" + std::to_string(i));
    if (i % 2) {
      r.mutable_measure()->set_pillar(t::PILLAR_PREVENTION);
      *r.mutable_measure()->mutable_due_date() = ToDate(absl::CivilDay(2025, 2, 1));  // overdue
    }
    ASSERT_TRUE(plans_->CreateMeasure(AuditActor::Internal(), office_, r).ok());
  }
  v1::ListMeasuresRequest lr;
  lr.set_parent("plans/nap");
  lr.set_filter("pillar = PREVENTION AND overdue = true");
  EXPECT_EQ(plans_->ListMeasures(PlanAudience::Everything(), lr)->measures_size(), 2);
  lr.set_filter("pillar = PROTECTION");
  lr.set_page_size(2);
  std::vector<std::string> names;
  do {
    auto page = plans_->ListMeasures(PlanAudience::Everything(), lr);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& m : page->measures()) names.push_back(m.name());
    lr.set_page_token(page->next_page_token());
  } while (!lr.page_token().empty());
  EXPECT_THAT(names, ElementsAre("plans/nap/measures/m0", "plans/nap/measures/m2",
                                 "plans/nap/measures/m4"));
  lr.set_filter("budget > 5");
  EXPECT_THAT(
      testing::ViolatedFields(plans_->ListMeasures(PlanAudience::Everything(), lr).status()),
      ElementsAre("filter"));
}

TEST_F(MeasuresTest, ADeletedMeasureTakesItsReportsAlongAndIsARevisionOfAnAdoptedPlan) {
  MakePlanWithOneMeasure();
  Adopt();
  v1::CreateProgressReportRequest pr;
  pr.set_parent("plans/nap/measures/shelter");
  pr.mutable_progress_report()->set_narrative("Two shelters opened.");
  absl::StatusOr<v1::ProgressReport> report =
      plans_->CreateProgressReport(AuditActor::Internal(), police_, pr);
  ASSERT_TRUE(report.ok()) << report.status();

  v1::DeleteMeasureRequest d;
  d.set_name("plans/nap/measures/shelter");
  EXPECT_THAT(testing::ViolatedFields(plans_->DeleteMeasure(AuditActor::Internal(), office_, d)),
              ElementsAre("revision_reason"));
  d.set_revision_reason("merged into the national referral measure");
  ASSERT_TRUE(plans_->DeleteMeasure(AuditActor::Internal(), office_, d).ok());
  absl::Status gone =
      plans_->GetMeasure(PlanAudience::Everything(), "plans/nap/measures/shelter").status();
  EXPECT_EQ(gone.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(gone.message(), "measure plans/nap/measures/shelter does not exist");
  EXPECT_EQ(plans_->GetProgressReport(PlanAudience::Everything(), report->name()).status().code(),
            absl::StatusCode::kNotFound);
  v1::ListPlanRevisionsRequest lr;
  lr.set_parent("plans/nap");
  absl::StatusOr<v1::ListPlanRevisionsResponse> revs =
      plans_->ListRevisions(PlanAudience::Everything(), lr);
  ASSERT_TRUE(revs.ok()) << revs.status();
  ASSERT_EQ(revs->revisions_size(), 1);
  EXPECT_EQ(revs->revisions(0).method(), "DeleteMeasure");
  EXPECT_EQ(revs->revisions(0).resource(), "plans/nap/measures/shelter");
  v1::DeleteInstitutionRequest del;
  del.set_name("institutions/ngo");  // the measure's partner, no longer referenced
  EXPECT_TRUE(registry_->Delete(AuditActor::Internal(), del).ok());
}

}  // namespace
}  // namespace thb::coordinator
