// Reporting obligations and cycles: due dates moving on with each submission, one open cycle at a
// time, one-off obligations ending, the calendar and the overdue gauge's count.
#include "services/coordinator/reporting_obligations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/errors.h"
#include "services/coordinator/action_plans_fixture.h"

namespace thb::coordinator {
namespace {

using ::testing::ElementsAre;

class ReportingObligationsTest : public ActionPlansTest {
 protected:
  ReportingObligationsTest() : obligations_(*db_, clock_) {}  // today: 1 March 2025

  v1::ReportingObligation Make(const std::string& id, absl::CivilDay due, int cycle_months) {
    v1::CreateReportingObligationRequest r;
    r.set_obligation_id(id);
    v1::ReportingObligation* o = r.mutable_obligation();
    o->set_title("Report " + id);
    o->set_monitoring_body("GRETA (Council of Europe)");
    o->set_body_kind(v1::MONITORING_BODY_KIND_REGIONAL);
    o->set_cycle_months(cycle_months);
    *o->mutable_next_due_date() = ToDate(due);
    o->set_lead_institution("institutions/labour");
    absl::StatusOr<v1::ReportingObligation> made = obligations_.Create(AuditActor::Internal(), r);
    EXPECT_TRUE(made.ok()) << made.status();
    return *made;
  }

  absl::StatusOr<v1::ReportingCycle> Open(const std::string& obligation, const std::string& id) {
    v1::CreateReportingCycleRequest r;
    r.set_parent(obligation);
    r.set_cycle_id(id);
    r.mutable_cycle()->set_label("Cycle " + id);
    return obligations_.CreateCycle(AuditActor::Internal(), r);
  }

  absl::StatusOr<v1::ReportingCycle> Submit(const std::string& cycle) {
    v1::SubmitReportingCycleRequest r;
    r.set_name(cycle);
    r.set_document_uri("https://example.org/report.pdf");
    r.add_drafted_by("institutions/labour");
    r.add_drafted_by("institutions/ngo");
    return obligations_.SubmitCycle(AuditActor::Internal(), r);
  }

  ReportingObligations obligations_;
};

TEST(AddMonthsTest, ClampsToTheMonthsLastDay) {
  EXPECT_EQ(AddMonths(absl::CivilDay(2025, 1, 31), 1), absl::CivilDay(2025, 2, 28));
  EXPECT_EQ(AddMonths(absl::CivilDay(2024, 1, 31), 1), absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(AddMonths(absl::CivilDay(2025, 11, 15), 14), absl::CivilDay(2027, 1, 15));
  EXPECT_EQ(AddMonths(absl::CivilDay(2025, 6, 30), 48), absl::CivilDay(2029, 6, 30));
}

TEST_F(ReportingObligationsTest, ValidationNamesFieldsAndDefaultsToActive) {
  v1::CreateReportingObligationRequest r;
  r.mutable_obligation()->set_cycle_months(-1);
  r.mutable_obligation()->set_lead_institution("ministries/x");
  absl::StatusOr<v1::ReportingObligation> o = obligations_.Create(AuditActor::Internal(), r);
  ASSERT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldViolation& v : GetFieldViolations(o.status())) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::IsSupersetOf({"obligation.title", "obligation.monitoring_body",
                                               "obligation.body_kind", "obligation.cycle_months",
                                               "obligation.next_due_date"}));
  // A due date at the end of the calendar could not move on by a cycle.
  v1::CreateReportingObligationRequest far;
  far.mutable_obligation()->set_title("Far");
  far.mutable_obligation()->set_monitoring_body("Body");
  far.mutable_obligation()->set_body_kind(v1::MONITORING_BODY_KIND_UN);
  far.mutable_obligation()->set_cycle_months(12);
  *far.mutable_obligation()->mutable_next_due_date() = ToDate(absl::CivilDay(9999, 12, 31));
  absl::StatusOr<v1::ReportingObligation> refused =
      obligations_.Create(AuditActor::Internal(), far);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(refused.status())[0].field, "obligation.next_due_date");
  const v1::ReportingObligation made = Make("greta", absl::CivilDay(2025, 9, 30), 48);
  EXPECT_EQ(made.state(), v1::ReportingObligation::STATE_ACTIVE);
  EXPECT_EQ(made.name(), "obligations/greta");
}

TEST_F(ReportingObligationsTest, SubmittingACycleMovesTheDueDateOnByTheCycle) {
  Make("greta", absl::CivilDay(2025, 9, 30), 48);
  absl::StatusOr<v1::ReportingCycle> cycle = Open("obligations/greta", "round-4");
  ASSERT_TRUE(cycle.ok()) << cycle.status();
  EXPECT_EQ(cycle->state(), v1::ReportingCycle::STATE_OPEN);
  EXPECT_EQ(ToCivilDay(cycle->due_date()), absl::CivilDay(2025, 9, 30));
  absl::StatusOr<v1::ReportingCycle> second = Open("obligations/greta", "round-5");
  EXPECT_EQ(ReasonOf(second.status()), "CYCLE_ALREADY_OPEN");

  v1::SubmitReportingCycleRequest bad;
  bad.set_name("obligations/greta/cycles/round-4");
  bad.set_document_uri("file:///etc/passwd");
  *bad.mutable_submitted_on() = ToDate(absl::CivilDay(2025, 3, 2));  // tomorrow
  absl::StatusOr<v1::ReportingCycle> refused =
      obligations_.SubmitCycle(AuditActor::Internal(), bad);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(refused.status()).size(), 2u);

  absl::StatusOr<v1::ReportingCycle> submitted = Submit("obligations/greta/cycles/round-4");
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(submitted->state(), v1::ReportingCycle::STATE_SUBMITTED);
  EXPECT_EQ(ToCivilDay(submitted->submitted_on()), absl::CivilDay(2025, 3, 1));
  EXPECT_THAT(submitted->drafted_by(), ElementsAre("institutions/labour", "institutions/ngo"));
  absl::StatusOr<v1::ReportingObligation> after = obligations_.Get("obligations/greta");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(ToCivilDay(after->next_due_date()), absl::CivilDay(2029, 9, 30));

  // A submitted cycle is a record.
  EXPECT_EQ(ReasonOf(Submit("obligations/greta/cycles/round-4").status()), "CYCLE_NOT_OPEN");
  v1::UpdateReportingCycleRequest u;
  u.mutable_cycle()->set_name("obligations/greta/cycles/round-4");
  u.mutable_cycle()->set_label("changed");
  EXPECT_EQ(ReasonOf(obligations_.UpdateCycle(AuditActor::Internal(), u).status()),
            "CYCLE_NOT_OPEN");
  // The next cycle opens now, due on the new date; the obligation with cycles is not deleted.
  absl::StatusOr<v1::ReportingCycle> next = Open("obligations/greta", "round-5");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(ToCivilDay(next->due_date()), absl::CivilDay(2029, 9, 30));
  v1::DeleteReportingObligationRequest del;
  del.set_name("obligations/greta");
  EXPECT_EQ(ReasonOf(obligations_.Delete(AuditActor::Internal(), del)), "OBLIGATION_HAS_CYCLES");
  v1::ListReportingCyclesRequest list;
  list.set_parent("obligations/greta");
  absl::StatusOr<v1::ListReportingCyclesResponse> cycles = obligations_.ListCycles(list);
  ASSERT_TRUE(cycles.ok());
  EXPECT_EQ(cycles->cycles_size(), 2);
  list.set_parent("obligations/none");
  EXPECT_EQ(obligations_.ListCycles(list).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ReportingObligationsTest, AOneOffObligationEndsWhenSubmitted) {
  Make("upr-midterm", absl::CivilDay(2025, 6, 1), 0);
  ASSERT_TRUE(Open("obligations/upr-midterm", "only").ok());
  ASSERT_TRUE(Submit("obligations/upr-midterm/cycles/only").ok());
  absl::StatusOr<v1::ReportingObligation> ended = obligations_.Get("obligations/upr-midterm");
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(ended->state(), v1::ReportingObligation::STATE_ENDED);
  EXPECT_FALSE(IsSet(ended->next_due_date()));
  EXPECT_EQ(ReasonOf(Open("obligations/upr-midterm", "again").status()), "OBLIGATION_ENDED");
}

TEST_F(ReportingObligationsTest, TheCalendarListsDueAndOverdueSoonestFirst) {
  Make("late", absl::CivilDay(2025, 2, 1), 12);   // 28 days overdue
  Make("soon", absl::CivilDay(2025, 3, 31), 12);  // in 30 days
  Make("far", absl::CivilDay(2027, 3, 1), 24);    // beyond a year
  Make("ended", absl::CivilDay(2024, 1, 1), 0);   // overdue, but ended below
  v1::UpdateReportingObligationRequest end;
  end.mutable_obligation()->set_name("obligations/ended");
  end.mutable_obligation()->set_state(v1::ReportingObligation::STATE_ENDED);
  end.mutable_update_mask()->add_paths("state");
  ASSERT_TRUE(obligations_.Update(AuditActor::Internal(), end).ok());
  ASSERT_TRUE(Open("obligations/soon", "drafting").ok());

  absl::StatusOr<v1::ObligationsCalendar> calendar = obligations_.Calendar({});
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  ASSERT_EQ(calendar->entries_size(), 2);
  EXPECT_EQ(calendar->entries(0).obligation(), "obligations/late");
  EXPECT_TRUE(calendar->entries(0).overdue());
  EXPECT_EQ(calendar->entries(0).days_until_due(), -28);
  EXPECT_EQ(calendar->entries(1).obligation(), "obligations/soon");
  EXPECT_EQ(calendar->entries(1).open_cycle(), "obligations/soon/cycles/drafting");
  EXPECT_EQ(calendar->overdue_count(), 1);
  EXPECT_EQ(ToCivilDay(calendar->as_of()), absl::CivilDay(2025, 3, 1));
  v1::GetObligationsCalendarRequest wide;
  wide.set_horizon_days(3650);
  EXPECT_EQ(obligations_.Calendar(wide)->entries_size(), 3);
  wide.set_horizon_days(-1);
  EXPECT_EQ(obligations_.Calendar(wide).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*obligations_.CountOverdue(), 1);

  v1::ListReportingObligationsRequest list;
  list.set_filter("overdue = true");
  EXPECT_EQ(obligations_.List(list)->obligations_size(), 1);
  list.set_filter("state = ENDED AND body_kind = REGIONAL");
  EXPECT_EQ(obligations_.List(list)->obligations(0).name(), "obligations/ended");
  list.set_filter("body_kind = GALACTIC");
  EXPECT_EQ(obligations_.List(list).status().code(), absl::StatusCode::kInvalidArgument);

  // Time passes: the soon one falls due too.
  clock_.Set(absl::FromCivil(absl::CivilDay(2025, 4, 1), absl::UTCTimeZone()));
  EXPECT_EQ(*obligations_.CountOverdue(), 2);
}

}  // namespace
}  // namespace thb::coordinator
