#include "services/coordinator/action_plans.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/testing/test_support.h"
#include "services/common/viewer.h"
#include "services/coordinator/coordinator_gauges.h"
#include "services/coordinator/coordinator_schema.h"
#include "services/coordinator/institution_registry.h"
#include "services/coordinator/mandate_registry.h"

namespace thb::coordinator {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
namespace t = thb::type::v1;

class ActionPlansTest : public ::testing::Test {
 protected:
  ActionPlansTest() : clock_(absl::FromCivil(absl::CivilDay(2025, 3, 1), absl::UTCTimeZone())) {
    db_ = *OpenDatabase(dir_.File("c.db"));
    EXPECT_TRUE(db_->ApplyMigrations("common", CommonMigrations()).ok());
    EXPECT_TRUE(db_->ApplyMigrations("coordinator", CoordinatorMigrations()).ok());
    registry_ = std::make_unique<InstitutionRegistry>(*db_, clock_);
    mandate_ = std::make_unique<MandateRegistry>(*db_, clock_);
    plans_ = std::make_unique<ActionPlans>(*db_, clock_);
    for (const std::string id : {"police", "ngo", "labour"}) {
      v1::CreateInstitutionRequest r;
      r.set_institution_id(id);
      r.mutable_institution()->set_display_name("Institution " + id);
      r.mutable_institution()->set_sector(t::SECTOR_GOVERNMENT_POLICY);
      r.mutable_institution()->set_kind(v1::INSTITUTION_KIND_GOVERNMENT);
      r.mutable_institution()->set_contact_email(id + "@example.org");
      EXPECT_TRUE(registry_->Create(AuditActor::Internal(), r).ok());
    }
    office_.authenticated = true;
    office_.subject = "office";
    office_.roles = {roles::kCoordinatorOffice};
    police_.authenticated = true;
    police_.subject = "police-focal-point";
    police_.roles = {roles::kReportingInstitution};
    police_.institution = "institutions/police";
  }

  v1::ActionPlan MakePlan(const std::string& id = "nap") {
    v1::CreatePlanRequest r;
    r.set_plan_id(id);
    r.mutable_plan()->set_title("National Action Plan 2025-2027");
    *r.mutable_plan()->mutable_period_start() = ToDate(absl::CivilDay(2025, 1, 1));
    *r.mutable_plan()->mutable_period_end() = ToDate(absl::CivilDay(2027, 12, 31));
    r.mutable_plan()->set_currency_code("EUR");
    r.mutable_plan()->set_internal_notes("budget talks pending");
    absl::StatusOr<v1::ActionPlan> p = plans_->CreatePlan(AuditActor::Internal(), office_, r);
    EXPECT_TRUE(p.ok()) << p.status();
    return *p;
  }

  v1::Objective MakeObjective(const std::string& id, t::Pillar pillar,
                              const std::string& reason = "") {
    v1::CreateObjectiveRequest r;
    r.set_parent("plans/nap");
    r.set_objective_id(id);
    r.set_revision_reason(reason);
    r.mutable_objective()->set_title("Objective " + id);
    r.mutable_objective()->set_pillar(pillar);
    absl::StatusOr<v1::Objective> o = plans_->CreateObjective(AuditActor::Internal(), office_, r);
    EXPECT_TRUE(o.ok()) << o.status();
    return *o;
  }

  v1::CreateMeasureRequest MeasureRequest(const std::string& id) {
    v1::CreateMeasureRequest r;
    r.set_parent("plans/nap");
    r.set_measure_id(id);
    v1::Measure* m = r.mutable_measure();
    m->set_objective("plans/nap/objectives/protect");
    m->set_title("Shelter places for victims");
    m->set_pillar(t::PILLAR_PROTECTION);
    m->add_forms(t::FORM_OF_EXPLOITATION_SEXUAL_EXPLOITATION);
    m->set_lead_institution("institutions/police");
    m->add_partner_institutions("institutions/ngo");
    *m->mutable_start_date() = ToDate(absl::CivilDay(2025, 1, 1));
    *m->mutable_due_date() = ToDate(absl::CivilDay(2025, 12, 31));
    v1::Indicator* ind = m->add_indicators();
    ind->set_name("places");
    ind->set_unit("beds");
    ind->set_target(40);
    m->mutable_budget()->mutable_allocated()->set_currency_code("EUR");
    m->mutable_budget()->mutable_allocated()->set_units(100000);
    m->mutable_budget()->set_funding_source("State budget");
    m->set_internal_notes("contact the ministry");
    return r;
  }

  v1::Measure MakeMeasure(const std::string& id) {
    absl::StatusOr<v1::Measure> m =
        plans_->CreateMeasure(AuditActor::Internal(), office_, MeasureRequest(id));
    EXPECT_TRUE(m.ok()) << m.status();
    return *m;
  }

  v1::ActionPlan Adopt() {
    absl::StatusOr<v1::ActionPlan> p = plans_->Transition(
        AuditActor::Internal(), "AdoptPlan", "plans/nap", "", "", PlanTransition::kAdopt, {});
    EXPECT_TRUE(p.ok()) << p.status();
    return *p;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<InstitutionRegistry> registry_;
  std::unique_ptr<MandateRegistry> mandate_;
  std::unique_ptr<ActionPlans> plans_;
  Principal office_, police_;
};

TEST_F(ActionPlansTest, PlanValidationListsEveryProblem) {
  v1::CreatePlanRequest r;
  r.mutable_plan()->set_currency_code("euro");
  *r.mutable_plan()->mutable_period_start() = ToDate(absl::CivilDay(2025, 1, 1));
  *r.mutable_plan()->mutable_period_end() = ToDate(absl::CivilDay(2024, 1, 1));
  EXPECT_THAT(
      testing::ViolatedFields(plans_->CreatePlan(AuditActor::Internal(), office_, r).status()),
      ElementsAre("plan.title", "plan.period_end", "plan.currency_code"));
}

TEST_F(ActionPlansTest, DraftsAreHiddenFromThePublicAndInternalNotesFromOthers) {
  MakePlan();
  const PlanAudience public_audience = PlanAudience::For(Principal::Anonymous());
  EXPECT_EQ(plans_->GetPlan(public_audience, "plans/nap").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(plans_->ListPlans(public_audience, {})->plans_size(), 0);
  v1::ActionPlan for_office = *plans_->GetPlan(PlanAudience::For(office_), "plans/nap");
  RedactForViewer(Viewer(office_), &for_office);
  EXPECT_EQ(for_office.internal_notes(), "budget talks pending");
  MakeObjective("protect", t::PILLAR_PROTECTION);
  MakeMeasure("shelter");
  Adopt();
  // Internal notes: their audience is declared in the contract and applied to every response.
  absl::StatusOr<v1::ActionPlan> seen = plans_->GetPlan(public_audience, "plans/nap");
  ASSERT_TRUE(seen.ok());
  RedactForViewer(Viewer::Public(), &*seen);
  EXPECT_THAT(seen->internal_notes(), IsEmpty());
  v1::Measure measure = *plans_->GetMeasure(public_audience, "plans/nap/measures/shelter");
  RedactForViewer(Viewer::Public(), &measure);
  EXPECT_THAT(measure.internal_notes(), IsEmpty());
}

TEST_F(ActionPlansTest, MeasureReferencesMustExistAndBeActive) {
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

TEST_F(ActionPlansTest, MeasureFieldValidation) {
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

TEST_F(ActionPlansTest, AdoptingNeedsMeasuresAndIllegalTransitionsNameTheState) {
  MakePlan();
  absl::Status empty = plans_
                           ->Transition(AuditActor::Internal(), "AdoptPlan", "plans/nap", "", "",
                                        PlanTransition::kAdopt, {})
                           .status();
  EXPECT_EQ(empty.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(empty.message(), HasSubstr("no measures"));
  MakeObjective("protect", t::PILLAR_PROTECTION);
  MakeMeasure("shelter");
  ASSERT_TRUE(plans_
                  ->Transition(AuditActor::Internal(), "SubmitPlanForConsultation", "plans/nap", "",
                               "", PlanTransition::kSubmitForConsultation, {})
                  .ok());
  v1::ActionPlan adopted = Adopt();
  EXPECT_EQ(adopted.state(), v1::ActionPlan::STATE_ADOPTED);
  EXPECT_EQ(adopted.adopted_on().year(), 2025);
  EXPECT_EQ(adopted.adopted_on().month(), 3);
  absl::Status again = plans_
                           ->Transition(AuditActor::Internal(), "AdoptPlan", "plans/nap", "", "",
                                        PlanTransition::kAdopt, {})
                           .status();
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.message(), HasSubstr("is ADOPTED"));
  // A stale etag is refused before the state is looked at.
  EXPECT_EQ(plans_
                ->Transition(AuditActor::Internal(), "ClosePlan", "plans/nap", "\"v1\"", "",
                             PlanTransition::kClose, {})
                .status()
                .code(),
            absl::StatusCode::kAborted);
}

TEST_F(ActionPlansTest, AdoptedStructureChangesOnlyThroughRecordedRevisions) {
  MakePlan();
  MakeObjective("protect", t::PILLAR_PROTECTION);
  MakeMeasure("shelter");
  Adopt();
  // A new objective without a reason is refused; with one it is recorded.
  v1::CreateObjectiveRequest r;
  r.set_parent("plans/nap");
  r.mutable_objective()->set_title("Prosecute");
  r.mutable_objective()->set_pillar(t::PILLAR_PROSECUTION);
  EXPECT_THAT(
      testing::ViolatedFields(plans_->CreateObjective(AuditActor::Internal(), office_, r).status()),
      ElementsAre("revision_reason"));
  MakeObjective("prosecute", t::PILLAR_PROSECUTION, "mid-term review");

  // Changing the lead is structural; changing the status is not.
  v1::UpdateMeasureRequest u;
  u.mutable_measure()->set_name("plans/nap/measures/shelter");
  u.mutable_measure()->set_lead_institution("institutions/labour");
  u.mutable_update_mask()->add_paths("lead_institution");
  EXPECT_THAT(
      testing::ViolatedFields(plans_->UpdateMeasure(AuditActor::Internal(), office_, u).status()),
      ElementsAre("revision_reason"));
  u.set_revision_reason("police unit reorganised");
  ASSERT_TRUE(plans_->UpdateMeasure(AuditActor::Internal(), office_, u).ok());
  v1::UpdateMeasureRequest status;
  status.mutable_measure()->set_name("plans/nap/measures/shelter");
  status.mutable_measure()->set_status(v1::MEASURE_STATUS_DELAYED);
  status.mutable_update_mask()->add_paths("status");
  ASSERT_TRUE(plans_->UpdateMeasure(AuditActor::Internal(), office_, status).ok());

  v1::ListPlanRevisionsRequest lr;
  lr.set_parent("plans/nap");
  absl::StatusOr<v1::ListPlanRevisionsResponse> revs =
      plans_->ListRevisions(PlanAudience::For(office_), lr);
  ASSERT_TRUE(revs.ok()) << revs.status();
  ASSERT_EQ(revs->revisions_size(), 2);
  EXPECT_EQ(revs->revisions(0).reason(), "mid-term review");
  EXPECT_EQ(revs->revisions(1).method(), "UpdateMeasure");
  EXPECT_EQ(revs->revisions(1).actor(), "office");
  EXPECT_EQ(plans_->GetPlan(PlanAudience::For(office_), "plans/nap")->revision(), 2);

  ASSERT_TRUE(plans_
                  ->Transition(AuditActor::Internal(), "ClosePlan", "plans/nap", "", "",
                               PlanTransition::kClose, {})
                  .ok());
  u.mutable_measure()->set_lead_institution("institutions/police");
  EXPECT_EQ(plans_->UpdateMeasure(AuditActor::Internal(), office_, u).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ActionPlansTest, LeadInstitutionReportsProgressAndTheMeasureFollowsInOneTransaction) {
  MakePlan();
  MakeObjective("protect", t::PILLAR_PROTECTION);
  MakeMeasure("shelter");
  v1::CreateProgressReportRequest r;
  r.set_parent("plans/nap/measures/shelter");
  r.mutable_progress_report()->set_narrative("Two shelters opened.");
  r.mutable_progress_report()->set_progress_percent(35);
  auto* iv = r.mutable_progress_report()->add_indicator_values();
  iv->set_name("places");
  iv->set_value(18);
  r.mutable_progress_report()->mutable_amount_spent()->set_currency_code("EUR");
  r.mutable_progress_report()->mutable_amount_spent()->set_units(25000);
  // Not yet adopted.
  EXPECT_EQ(plans_->CreateProgressReport(AuditActor::Internal(), police_, r).status().code(),
            absl::StatusCode::kFailedPrecondition);
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

TEST_F(ActionPlansTest, RetriedCreateReturnsTheFirstMeasureAndStaleEtagIsAborted) {
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

TEST_F(ActionPlansTest, ListFiltersAndPages) {
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

TEST_F(ActionPlansTest, ReferencedInstitutionCannotBeDeleted) {
  MakePlan();
  MakeObjective("protect", t::PILLAR_PROTECTION);
  MakeMeasure("shelter");
  v1::DeleteInstitutionRequest del;
  del.set_name("institutions/ngo");  // a partner
  absl::Status s = registry_->Delete(AuditActor::Internal(), del);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("plans/nap/measures/shelter"));
}

TEST_F(ActionPlansTest, AnalysesPublicReportAndGauges) {
  v1::UpdateMandateRequest mr;
  mr.mutable_mandate()->set_name("mandate");
  mr.mutable_mandate()->set_institution("institutions/labour");
  mr.mutable_mandate()->add_forms_in_scope(t::FORM_OF_EXPLOITATION_SEXUAL_EXPLOITATION);
  mr.mutable_mandate()->add_forms_in_scope(t::FORM_OF_EXPLOITATION_FORCED_LABOUR);
  ASSERT_TRUE(mandate_->Update(AuditActor::Internal(), mr).ok());
  MakePlan();
  MakeObjective("protect", t::PILLAR_PROTECTION);
  MakeMeasure("shelter");
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
  EXPECT_EQ(pub->funding().total().allocated().units(), 100000);
  EXPECT_THAT(pub->funding().by_institution(), IsEmpty());
  const std::string text = pub->DebugString();
  EXPECT_THAT(text, ::testing::Not(HasSubstr("contact the ministry")));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("budget talks pending")));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("@example.org")));

  clock_.Set(absl::FromCivil(absl::CivilDay(2026, 1, 2), absl::UTCTimeZone()));  // past due
  CoordinatorGauges gauges(*plans_);
  std::map<std::string, double> values = testing::GaugeValues(gauges);
  EXPECT_EQ(values["thb_measures{MEASURE_STATUS_PLANNED}"], 1);
  EXPECT_EQ(values["thb_measures{MEASURE_STATUS_COMPLETED}"], 0);
  EXPECT_EQ(values["thb_measures_overdue"], 1);
  EXPECT_EQ(values["thb_budget_allocated{EUR}"], 100000);
  EXPECT_EQ(values["thb_budget_spent{EUR}"], 0);
}

TEST_F(ActionPlansTest, MandateUpdateChecksInstitutionAndEtag) {
  v1::UpdateMandateRequest mr;
  mr.mutable_mandate()->set_name("mandate");
  mr.mutable_mandate()->set_institution("institutions/ghost");
  mr.mutable_mandate()->set_government_level(v1::GOVERNMENT_LEVEL_STATE_SECRETARY);
  EXPECT_EQ(mandate_->Update(AuditActor::Internal(), mr).status().code(),
            absl::StatusCode::kFailedPrecondition);
  mr.mutable_mandate()->set_institution("institutions/labour");
  mr.mutable_mandate()->add_shared_with("National Rapporteur");
  EXPECT_THAT(testing::ViolatedFields(mandate_->Update(AuditActor::Internal(), mr).status()),
              ElementsAre("mandate.shared_with"));
  mr.mutable_mandate()->clear_shared_with();
  v1::Mandate m = *mandate_->Update(AuditActor::Internal(), mr);
  EXPECT_EQ(mandate_->Get("mandate")->government_level(), v1::GOVERNMENT_LEVEL_STATE_SECRETARY);
  mr.mutable_mandate()->set_etag("\"v0\"");
  EXPECT_EQ(mandate_->Update(AuditActor::Internal(), mr).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(mandate_->Get("other").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ActionPlansTest, OnlyDraftPlansAreDeletedWithEverythingUnderThem) {
  MakePlan();
  MakeObjective("protect", t::PILLAR_PROTECTION);
  MakeMeasure("shelter");
  v1::DeletePlanRequest d;
  d.set_name("plans/nap");
  ASSERT_TRUE(plans_->DeletePlan(AuditActor::Internal(), office_, d).ok());
  EXPECT_EQ(plans_->GetPlan(PlanAudience::Everything(), "plans/nap").status().code(),
            absl::StatusCode::kNotFound);
  v1::DeleteInstitutionRequest del;
  del.set_name("institutions/ngo");
  EXPECT_TRUE(registry_->Delete(AuditActor::Internal(), del).ok());  // no longer referenced
}

}  // namespace
}  // namespace thb::coordinator
