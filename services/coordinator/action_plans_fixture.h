// The domain test ladder's first rung for National Action Plans: ActionPlans (with the
// institution registry and the mandate it reads) on a temporary SQLite store with a fake clock,
// three registered institutions and builders for a plan, its objectives and measures.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "services/common/calendar.h"
#include "services/common/testing/test_support.h"
#include "services/coordinator/action_plans.h"
#include "services/coordinator/coordinator_schema.h"
#include "services/coordinator/institution_registry.h"
#include "services/coordinator/mandate_registry.h"

namespace thb::coordinator {

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
      r.mutable_institution()->set_sector(thb::type::v1::SECTOR_GOVERNMENT_POLICY);
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

  v1::Objective MakeObjective(const std::string& id, thb::type::v1::Pillar pillar,
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
    m->set_pillar(thb::type::v1::PILLAR_PROTECTION);
    m->add_forms(thb::type::v1::FORM_OF_EXPLOITATION_SEXUAL_EXPLOITATION);
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

  // plans/nap with the objective "protect" and its measure "shelter" (led by the police, the NGO
  // a partner).
  void MakePlanWithOneMeasure() {
    MakePlan();
    MakeObjective("protect", thb::type::v1::PILLAR_PROTECTION);
    MakeMeasure("shelter");
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

}  // namespace thb::coordinator
