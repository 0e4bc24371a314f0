#include "services/coordinator/plan_analysis.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/calendar.h"
#include "services/coordinator/measure_filter.h"

namespace thb::coordinator {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
namespace t = thb::type::v1;

v1::ActionPlan Plan() {
  v1::ActionPlan p;
  p.set_name("plans/nap");
  p.set_currency_code("EUR");
  return p;
}

v1::Measure M(const std::string& id, t::Pillar pillar,
              const std::vector<t::FormOfExploitation>& forms, double weight, double progress,
              v1::MeasureStatus status, int64_t allocated_units, int64_t spent_units,
              absl::CivilDay due, const std::string& objective = "plans/nap/objectives/o1",
              const std::string& lead = "institutions/police",
              const std::string& source = "State budget") {
  v1::Measure m;
  m.set_name("plans/nap/measures/" + id);
  m.set_objective(objective);
  m.set_pillar(pillar);
  for (auto f : forms) m.add_forms(f);
  m.set_weight(weight);
  m.set_progress_percent(progress);
  m.set_status(status);
  m.set_lead_institution(lead);
  *m.mutable_budget()->mutable_allocated() =
      FromNanos("EUR", absl::int128(allocated_units) * 1000000000);
  *m.mutable_budget()->mutable_spent() = FromNanos("EUR", absl::int128(spent_units) * 1000000000);
  m.mutable_budget()->set_funding_source(source);
  *m.mutable_due_date() = ToDate(due);
  return m;
}

const absl::CivilDay kToday(2025, 6, 30);

TEST(Coverage, CellsGapsAndMandateGaps) {
  std::vector<v1::Measure> ms = {
      M("a", t::PILLAR_PROTECTION,
        {t::FORM_OF_EXPLOITATION_SEXUAL_EXPLOITATION, t::FORM_OF_EXPLOITATION_FORCED_LABOUR}, 1, 0,
        v1::MEASURE_STATUS_PLANNED, 100, 0, kToday),
      M("b", t::PILLAR_PROTECTION, {t::FORM_OF_EXPLOITATION_SEXUAL_EXPLOITATION}, 1, 0,
        v1::MEASURE_STATUS_PLANNED, 50, 0, kToday),
      // Cancelled measures cover nothing.
      M("c", t::PILLAR_PREVENTION, {t::FORM_OF_EXPLOITATION_ORGAN_REMOVAL}, 1, 0,
        v1::MEASURE_STATUS_CANCELLED, 999, 0, kToday),
  };
  v1::CoverageAnalysis c = ComputeCoverage(
      Plan(), ms,
      {t::FORM_OF_EXPLOITATION_SEXUAL_EXPLOITATION, t::FORM_OF_EXPLOITATION_FORCED_BEGGING});
  EXPECT_EQ(c.cells_size(), 13 * 4);
  for (const auto& cell : c.cells()) {
    if (cell.form() == t::FORM_OF_EXPLOITATION_SEXUAL_EXPLOITATION &&
        cell.pillar() == t::PILLAR_PROTECTION) {
      EXPECT_EQ(cell.measure_count(), 2);
      EXPECT_EQ(cell.allocated().units(), 150);
    } else if (cell.form() == t::FORM_OF_EXPLOITATION_FORCED_LABOUR &&
               cell.pillar() == t::PILLAR_PROTECTION) {
      EXPECT_EQ(cell.measure_count(), 1);
    } else {
      EXPECT_EQ(cell.measure_count(), 0) << t::FormOfExploitation_Name(cell.form());
    }
  }
  EXPECT_EQ(c.uncovered_forms_size(), 9);  // 11 concrete forms, 2 covered
  EXPECT_THAT(c.uncovered_forms(), ::testing::Contains(t::FORM_OF_EXPLOITATION_ORGAN_REMOVAL));
  EXPECT_THAT(c.uncovered_forms(),
              ::testing::Not(::testing::Contains(t::FORM_OF_EXPLOITATION_MIXED)));
  EXPECT_THAT(c.mandate_forms_not_covered(), ElementsAre(t::FORM_OF_EXPLOITATION_FORCED_BEGGING));
}

TEST(Progress, WeightedRollupsExcludeCancelled) {
  std::vector<v1::Objective> objectives(2);
  objectives[0].set_name("plans/nap/objectives/o1");
  objectives[1].set_name("plans/nap/objectives/o2");
  std::vector<v1::Measure> ms = {
      M("a", t::PILLAR_PROTECTION, {}, 3, 100, v1::MEASURE_STATUS_COMPLETED, 0, 0, kToday),
      M("b", t::PILLAR_PROTECTION, {}, 1, 20, v1::MEASURE_STATUS_IN_PROGRESS, 0, 0, kToday),
      M("c", t::PILLAR_PREVENTION, {}, 2, 50, v1::MEASURE_STATUS_DELAYED, 0, 0, kToday - 1,
        "plans/nap/objectives/o2"),
      M("d", t::PILLAR_PREVENTION, {}, 5, 0, v1::MEASURE_STATUS_CANCELLED, 0, 0, kToday - 10,
        "plans/nap/objectives/o2"),
  };
  v1::ProgressAnalysis p = ComputeProgress(Plan(), objectives, ms, kToday);
  // (3*100 + 1*20 + 2*50) / (3+1+2) = 70
  EXPECT_DOUBLE_EQ(p.overall().progress_percent(), 70.0);
  EXPECT_EQ(p.overall().measure_count(), 3);
  EXPECT_EQ(p.overall().completed_count(), 1);
  EXPECT_EQ(p.overall().overdue_count(), 1);
  ASSERT_EQ(p.by_objective_size(), 2);
  EXPECT_DOUBLE_EQ(p.by_objective(0).progress_percent(), (300.0 + 20.0) / 4.0);  // o1
  EXPECT_DOUBLE_EQ(p.by_objective(1).progress_percent(), 50.0);                  // o2
  ASSERT_EQ(p.by_pillar_size(), 2);
  // Typed subjects: which roll-up is which needs no parsing of a mixed key.
  EXPECT_EQ(p.by_pillar(0).pillar(), t::PILLAR_PREVENTION);
  EXPECT_EQ(p.by_pillar(0).subject_case(), v1::ProgressRollup::kPillar);
  EXPECT_EQ(p.by_objective(0).objective(), "plans/nap/objectives/o1");
  EXPECT_EQ(p.overall().plan(), "plans/nap");
  EXPECT_THAT(p.overdue_measures(), ElementsAre("plans/nap/measures/c"));  // due yesterday
  EXPECT_THAT(p.delayed_measures(), ElementsAre("plans/nap/measures/c"));
}

TEST(Progress, OverdueMovesWithTheClock) {
  v1::Measure m =
      M("a", t::PILLAR_PROTECTION, {}, 1, 10, v1::MEASURE_STATUS_IN_PROGRESS, 0, 0, kToday);
  EXPECT_FALSE(IsOverdue(m, kToday));  // due today is not yet overdue
  EXPECT_TRUE(IsOverdue(m, kToday + 1));
  m.set_status(v1::MEASURE_STATUS_COMPLETED);
  EXPECT_FALSE(IsOverdue(m, kToday + 1));
}

TEST(Progress, EmptyPlanIsZeroNotNaN) {
  v1::ProgressAnalysis p = ComputeProgress(Plan(), {}, {}, kToday);
  EXPECT_EQ(p.overall().progress_percent(), 0);
}

TEST(Funding, SumsPerPillarInstitutionSourceAndFindsUnfunded) {
  std::vector<v1::Measure> ms = {
      M("a", t::PILLAR_PROTECTION, {}, 1, 0, v1::MEASURE_STATUS_PLANNED, 100, 40, kToday,
        "plans/nap/objectives/o1", "institutions/ngo", "EU AMIF"),
      M("b", t::PILLAR_PROTECTION, {}, 1, 0, v1::MEASURE_STATUS_PLANNED, 60, 60, kToday),
      M("c", t::PILLAR_PREVENTION, {}, 1, 0, v1::MEASURE_STATUS_PLANNED, 0, 0, kToday),
      M("d", t::PILLAR_PREVENTION, {}, 1, 0, v1::MEASURE_STATUS_CANCELLED, 500, 0, kToday),
  };
  v1::FundingAnalysis f = ComputeFunding(Plan(), ms);
  EXPECT_EQ(f.total().allocated().units(), 160);
  EXPECT_EQ(f.total().spent().units(), 100);
  EXPECT_EQ(f.total().allocated().currency_code(), "EUR");
  ASSERT_EQ(f.by_pillar_size(), 2);
  EXPECT_EQ(f.by_pillar(1).pillar(), t::PILLAR_PROTECTION);
  EXPECT_EQ(f.total().plan(), "plans/nap");
  EXPECT_EQ(f.by_pillar(1).allocated().units(), 160);
  ASSERT_EQ(f.by_source_size(), 2);
  EXPECT_EQ(f.by_source(0).funding_source(), "EU AMIF");
  EXPECT_EQ(f.by_institution_size(), 2);
  EXPECT_EQ(f.by_institution(0).institution(), "institutions/ngo");
  EXPECT_THAT(f.unfunded_measures(), ElementsAre("plans/nap/measures/c"));
}

// A measure that names no funding source is summed on its own line, marked as such, never under a
// made-up source name: a source literally called "(unspecified)" stays a source of its own.
TEST(Funding, NoFundingSourceHasItsOwnExplicitLine) {
  std::vector<v1::Measure> ms = {
      M("a", t::PILLAR_PROTECTION, {}, 1, 0, v1::MEASURE_STATUS_PLANNED, 100, 0, kToday,
        "plans/nap/objectives/o1", "institutions/ngo", ""),
      M("b", t::PILLAR_PROTECTION, {}, 1, 0, v1::MEASURE_STATUS_PLANNED, 60, 0, kToday,
        "plans/nap/objectives/o1", "institutions/ngo", "(unspecified)"),
      M("c", t::PILLAR_PROTECTION, {}, 1, 0, v1::MEASURE_STATUS_PLANNED, 7, 0, kToday),
  };
  v1::FundingAnalysis f = ComputeFunding(Plan(), ms);
  ASSERT_EQ(f.by_source_size(), 3);
  EXPECT_TRUE(f.by_source(0).no_funding_source());  // first
  EXPECT_EQ(f.by_source(0).allocated().units(), 100);
  EXPECT_EQ(f.by_source(1).funding_source(), "(unspecified)");
  EXPECT_FALSE(f.by_source(1).no_funding_source());
  EXPECT_EQ(f.by_source(1).allocated().units(), 60);
  EXPECT_EQ(f.by_source(2).funding_source(), "State budget");
}

TEST(Funding, CentsAreExact) {
  v1::Measure a = M("a", t::PILLAR_PROTECTION, {}, 1, 0, v1::MEASURE_STATUS_PLANNED, 0, 0, kToday);
  *a.mutable_budget()->mutable_allocated() = FromNanos("EUR", absl::int128(100000000));  // 0.10
  std::vector<v1::Measure> ms(3, a);
  v1::FundingAnalysis f = ComputeFunding(Plan(), ms);
  EXPECT_EQ(f.total().allocated().units(), 0);
  EXPECT_EQ(f.total().allocated().nanos(), 300000000);  // 0.30 exactly
}

TEST(MeasureFilterTest, ParsesTheSubsetAndMatches) {
  v1::Measure m = M("a", t::PILLAR_PROTECTION, {t::FORM_OF_EXPLOITATION_FORCED_LABOUR}, 1, 0,
                    v1::MEASURE_STATUS_DELAYED, 0, 0, kToday - 1);
  auto matches = [&](const std::string& f) { return MeasureFilter::Parse(f)->Matches(m, kToday); };
  EXPECT_TRUE(matches(""));
  EXPECT_TRUE(matches("pillar = PROTECTION"));
  EXPECT_TRUE(matches("pillar = PILLAR_PROTECTION AND status = delayed"));
  EXPECT_TRUE(matches("forms:FORCED_LABOUR AND overdue = true"));
  EXPECT_TRUE(matches("lead_institution = \"institutions/police\""));
  EXPECT_FALSE(matches("pillar = PREVENTION"));
  EXPECT_FALSE(matches("overdue = false"));
  EXPECT_FALSE(matches("forms = SEXUAL_EXPLOITATION"));
  EXPECT_EQ(MeasureFilter::Parse("colour = red").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MeasureFilter::Parse("pillar = PIRACY").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MeasureFilter::Parse("status:DELAYED").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MeasureFilter::Parse("overdue").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace thb::coordinator
