// Budget lines: validation and references, the summary's sums and gaps per year, source and
// pillar, and the plan's :funding reconciling measure allocations with the lines linked to them
// (the relation documented in budget.proto).
#include "services/coordinator/budget_lines.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/errors.h"
#include "services/coordinator/action_plans_fixture.h"

namespace thb::coordinator {
namespace {

namespace t = thb::type::v1;

google::type::Money Eur(int64_t units) {
  google::type::Money m;
  m.set_currency_code("EUR");
  m.set_units(units);
  return m;
}

class BudgetLinesTest : public ActionPlansTest {
 protected:
  BudgetLinesTest() : lines_(*db_, clock_) {
    MakePlanWithOneMeasure();  // allocated 100,000
    Adopt();
  }

  v1::CreateBudgetLineRequest Request(const std::string& id, int year, int64_t requested,
                                      int64_t granted) {
    v1::CreateBudgetLineRequest r;
    r.set_budget_line_id(id);
    v1::BudgetLine* l = r.mutable_budget_line();
    l->set_year(year);
    l->set_title("Shelter places " + id);
    l->set_funding_source("State budget");
    l->set_requesting_institution("institutions/police");
    *l->mutable_requested() = Eur(requested);
    *l->mutable_granted() = Eur(granted);
    l->set_measure("plans/nap/measures/shelter");
    l->set_internal_notes("finance ministry wants cuts");
    return r;
  }

  BudgetLines lines_;
};

TEST_F(BudgetLinesTest, BadInputAndBadReferencesWriteNothing) {
  v1::CreateBudgetLineRequest r;
  r.mutable_budget_line()->set_year(1999);
  *r.mutable_budget_line()->mutable_granted() = Eur(-5);
  absl::StatusOr<v1::BudgetLine> bad = lines_.Create(AuditActor::Internal(), r);
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldViolation& v : GetFieldViolations(bad.status())) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::IsSupersetOf(
                          {"budget_line.year", "budget_line.title", "budget_line.funding_source",
                           "budget_line.requesting_institution", "budget_line.requested",
                           "budget_line.granted", "budget_line.pillar"}));
  // Mixed currencies, a missing measure, another currency than the plan's, a wrong pillar.
  r = Request("mixed", 2025, 10, 5);
  r.mutable_budget_line()->mutable_granted()->set_currency_code("USD");
  EXPECT_EQ(lines_.Create(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kInvalidArgument);
  r = Request("ghost", 2025, 10, 5);
  r.mutable_budget_line()->set_measure("plans/nap/measures/ghost");
  EXPECT_EQ(lines_.Create(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kInvalidArgument);
  r = Request("usd", 2025, 10, 5);
  r.mutable_budget_line()->mutable_requested()->set_currency_code("USD");
  r.mutable_budget_line()->mutable_granted()->set_currency_code("USD");
  EXPECT_EQ(lines_.Create(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kInvalidArgument);
  r = Request("pillar", 2025, 10, 5);
  r.mutable_budget_line()->set_pillar(t::PILLAR_PROSECUTION);
  EXPECT_EQ(lines_.Create(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Amounts are bounded, so that sums cannot overflow.
  r = Request("huge", 2025, 10, 5);
  r.mutable_budget_line()->mutable_requested()->set_units(9223372036854775807);
  EXPECT_EQ(lines_.Create(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kInvalidArgument);
  // A draft plan is not funded by name: the Rapporteur reads budget lines, not plan drafts.
  MakePlan("draft-nap");
  r = Request("draft", 2025, 10, 5);
  r.mutable_budget_line()->set_plan("plans/draft-nap");
  r.mutable_budget_line()->set_pillar(t::PILLAR_PROTECTION);
  EXPECT_EQ(lines_.Create(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(lines_.List({})->budget_lines_size(), 0);
}

TEST_F(BudgetLinesTest, ALineForAMeasureTakesItsPillarAndKeepsItFromDeletion) {
  absl::StatusOr<v1::BudgetLine> line =
      lines_.Create(AuditActor::Internal(), Request("y2025", 2025, 70000, 60000));
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->pillar(), t::PILLAR_PROTECTION);
  EXPECT_EQ(line->spent().currency_code(), "EUR");  // missing amounts become zero in EUR
  v1::DeleteMeasureRequest dm;
  dm.set_name("plans/nap/measures/shelter");
  dm.set_revision_reason("merged");
  EXPECT_EQ(ReasonOf(plans_->DeleteMeasure(AuditActor::Internal(), office_, dm)),
            "RESOURCE_REFERENCED");
  v1::ListBudgetLinesRequest list;
  list.set_filter("plan = \"plans/nap\" AND year = 2025 AND pillar = PROTECTION");
  EXPECT_EQ(lines_.List(list)->budget_lines_size(), 1);
  list.set_filter("year = twenty");
  EXPECT_EQ(lines_.List(list).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BudgetLinesTest, TheSummaryShowsTheGapPerYearSourceAndPillar) {
  ASSERT_TRUE(lines_.Create(AuditActor::Internal(), Request("a", 2025, 70000, 60000)).ok());
  ASSERT_TRUE(lines_.Create(AuditActor::Internal(), Request("b", 2026, 50000, 40000)).ok());
  v1::CreateBudgetLineRequest outside = Request("c", 2026, 20000, 0);
  outside.mutable_budget_line()->clear_measure();
  outside.mutable_budget_line()->set_pillar(t::PILLAR_PREVENTION);
  outside.mutable_budget_line()->set_funding_source("EU AMIF");
  ASSERT_TRUE(lines_.Create(AuditActor::Internal(), outside).ok());

  absl::StatusOr<v1::BudgetSummary> s = lines_.Summarize({});
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->totals_size(), 1);
  EXPECT_EQ(s->totals(0).requested().units(), 140000);
  EXPECT_EQ(s->totals(0).granted().units(), 100000);
  EXPECT_EQ(s->totals(0).gap().units(), 40000);
  EXPECT_EQ(s->totals(0).line_count(), 3);
  ASSERT_EQ(s->by_year_size(), 2);
  EXPECT_EQ(s->by_year(1).year(), 2026);
  EXPECT_EQ(s->by_year(1).gap().units(), 30000);
  ASSERT_EQ(s->by_source_size(), 2);
  EXPECT_EQ(s->by_source(0).funding_source(), "EU AMIF");
  ASSERT_EQ(s->by_pillar_size(), 2);
  EXPECT_EQ(s->by_pillar(0).pillar(), t::PILLAR_PREVENTION);
  v1::SummarizeBudgetLinesRequest one_year;
  one_year.set_year_from(2026);
  one_year.set_year_to(2026);
  EXPECT_EQ(lines_.Summarize(one_year)->totals(0).line_count(), 2);
  one_year.set_year_to(2025);
  EXPECT_EQ(lines_.Summarize(one_year).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BudgetLinesTest, TheFundingAnalysisReconcilesAllocationsWithGrantedLines) {
  const PlanAudience office = PlanAudience::For(office_);
  absl::StatusOr<v1::FundingAnalysis> before = plans_->AnalyzeFunding(office, "plans/nap");
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->budget_lines().line_count(), 0);
  EXPECT_EQ(before->mismatches_size(), 0);  // no line, nothing to reconcile

  ASSERT_TRUE(lines_.Create(AuditActor::Internal(), Request("a", 2025, 70000, 60000)).ok());
  absl::StatusOr<v1::FundingAnalysis> partly = plans_->AnalyzeFunding(office, "plans/nap");
  ASSERT_TRUE(partly.ok());
  EXPECT_EQ(partly->budget_lines().granted().units(), 60000);
  ASSERT_EQ(partly->mismatches_size(), 1);  // allocated 100,000, granted 60,000
  EXPECT_EQ(partly->mismatches(0).measure(), "plans/nap/measures/shelter");
  EXPECT_EQ(partly->mismatches(0).allocated().units(), 100000);
  EXPECT_EQ(partly->mismatches(0).granted().units(), 60000);

  ASSERT_TRUE(lines_.Create(AuditActor::Internal(), Request("b", 2026, 50000, 40000)).ok());
  absl::StatusOr<v1::FundingAnalysis> whole = plans_->AnalyzeFunding(office, "plans/nap");
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->budget_lines().granted().units(), 100000);
  EXPECT_EQ(whole->budget_lines().line_count(), 2);
  EXPECT_EQ(whole->mismatches_size(), 0);  // the two years' grants match the allocation
  // The public report carries neither.
  absl::StatusOr<v1::PublicReport> report =
      plans_->GetPublicReport(PlanAudience::For(Principal::Anonymous()), "plans/nap");
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->funding().has_budget_lines());
  EXPECT_EQ(report->funding().mismatches_size(), 0);
}

}  // namespace
}  // namespace thb::coordinator
