// Budget lines across years: what each funding source was asked for, granted and what was
// spent, per year, for measures of a plan, a plan in general, a policy document or work outside
// the plan; the summary by year, source and pillar with the gap between requested and granted;
// and the reconciliation the plan's :funding shows (how budget lines relate to measure budgets
// is documented in budget.proto). Readers are those of the plan's funding analysis; the office's
// internal notes reach the office only.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/audit_actor.h"
#include "services/common/clock.h"
#include "services/common/storage.h"
#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb::coordinator {

// The budget lines linked to plan `plan_id` or to one of its measures.
absl::StatusOr<std::vector<v1::BudgetLine>> LoadPlanBudgetLines(Transaction& tx,
                                                                const std::string& plan_id);

// Fills `funding`'s budget_lines and mismatches from `lines` (those of the plan) against the
// measures' allocations in `currency`.
void ReconcileBudgetLines(const std::string& currency, const std::vector<v1::Measure>& measures,
                          const std::vector<v1::BudgetLine>& lines, v1::FundingAnalysis& funding);

class BudgetLines {
 public:
  BudgetLines(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  absl::StatusOr<v1::BudgetLine> Create(const AuditActor& actor,
                                        const v1::CreateBudgetLineRequest& request);
  absl::StatusOr<v1::BudgetLine> Get(const std::string& name);
  absl::StatusOr<v1::ListBudgetLinesResponse> List(const v1::ListBudgetLinesRequest& request);
  absl::StatusOr<v1::BudgetLine> Update(const AuditActor& actor,
                                        const v1::UpdateBudgetLineRequest& request);
  absl::Status Delete(const AuditActor& actor, const v1::DeleteBudgetLineRequest& request);
  absl::StatusOr<v1::BudgetSummary> Summarize(const v1::SummarizeBudgetLinesRequest& request);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace thb::coordinator
