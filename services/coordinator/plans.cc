// ActionPlans: the plans themselves, their lifecycle (submit, adopt, close) and the revisions
// recorded while they are adopted.

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/resources.h"
#include "services/common/update_mask.h"
#include "services/coordinator/action_plans.h"
#include "services/coordinator/plan_store.h"
#include "services/coordinator/resource_links.h"

namespace thb::coordinator {
namespace {

using State = v1::ActionPlan::State;

const std::vector<std::string> kPlanWritable = {"title",      "description",    "period_start",
                                                "period_end", "internal_notes", "currency_code"};
const std::vector<std::string> kPlanOutputOnly = {
    "name", "state", "adopted_on", "revision", "create_time", "update_time", "etag"};

void ValidatePlan(const v1::ActionPlan& p, FieldViolations& v) {
  if (p.title().empty()) v.Add("plan.title", "is required");
  if (!IsValidDate(p.period_start())) v.Add("plan.period_start", "must be a valid calendar date");
  if (!IsValidDate(p.period_end())) v.Add("plan.period_end", "must be a valid calendar date");
  if (IsValidDate(p.period_start()) && IsValidDate(p.period_end()) &&
      ToCivilDay(p.period_end()) < ToCivilDay(p.period_start())) {
    v.Add("plan.period_end", "must not be before period_start");
  }
  if (!IsCurrencyCode(p.currency_code())) {
    v.Add("plan.currency_code", "must be an ISO 4217 code such as \"EUR\"");
  }
}

}  // namespace

absl::StatusOr<v1::ActionPlan> ActionPlans::CreatePlan(const AuditActor& actor, const Principal&,
                                                       const v1::CreatePlanRequest& r) {
  FieldViolations v;
  ValidatePlan(r.plan(), v);
  if (!r.plan_id().empty() && !IsValidResourceId(r.plan_id())) {
    v.Add("plan_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  return RunMutation<v1::ActionPlan>(db_, {actor, "CreatePlan", r.request_id()},
                                     [&](Transaction& tx, v1::ActionPlan& result) -> absl::Status {
                                       const std::string id =
                                           r.plan_id().empty() ? NewResourceId() : r.plan_id();
                                       result = r.plan();
                                       result.set_name(PlanName(id));
                                       result.set_state(v1::ActionPlan::STATE_DRAFT);
                                       result.clear_adopted_on();
                                       result.set_revision(0);
                                       const absl::Time now = clock_.Now();
                                       *result.mutable_create_time() = ToProtoTimestamp(now);
                                       *result.mutable_update_time() = ToProtoTimestamp(now);
                                       return Plans().Insert(tx, id, result);
                                     });
}

absl::StatusOr<v1::ActionPlan> ActionPlans::GetPlan(const PlanAudience& a,
                                                    const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, PlanId(name, "name"));
  v1::ActionPlan found;
  THB_RETURN_IF_ERROR(ReadVisiblePlan(db_, a, id, [&](Transaction&, const v1::ActionPlan& plan) {
    found = plan;
    return absl::OkStatus();
  }));
  return found;
}

absl::StatusOr<v1::ListPlansResponse> ActionPlans::ListPlans(const PlanAudience& a,
                                                             const v1::ListPlansRequest& r) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(r));
  if (!v1::ActionPlan::State_IsValid(r.state())) return InvalidField("state", "unknown plan state");
  ListQuery query = {Plans().table(),
                     "($1 = 0 OR state = $1) AND state IN ($2, $3, $4, $5)",
                     {int64_t{r.state()}}};
  for (State st : {v1::ActionPlan::STATE_DRAFT, v1::ActionPlan::STATE_IN_CONSULTATION,
                   v1::ActionPlan::STATE_ADOPTED, v1::ActionPlan::STATE_CLOSED}) {
    query.params.emplace_back(int64_t{a.CanSee(st) ? st : -1});
  }
  v1::ListPlansResponse out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListById(tx, query, page, out.mutable_plans(), out.mutable_next_page_token());
  }));
  return out;
}

absl::StatusOr<v1::ActionPlan> ActionPlans::UpdatePlan(const AuditActor& actor, const Principal&,
                                                       const v1::UpdatePlanRequest& r) {
  THB_ASSIGN_OR_RETURN(std::string id, PlanId(r.plan().name(), "plan.name"));
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(r.update_mask(), {kPlanWritable, kPlanOutputOnly, {}}, "ActionPlan"));
  return UpdateResource<v1::ActionPlan>(
      db_, {actor, "UpdatePlan", r.request_id()}, Plans(), {id, r.plan().name(), r.plan().etag()},
      clock_.Now(), [&](Transaction&, v1::ActionPlan& result) -> absl::Status {
        const v1::ActionPlan before = result;
        ApplyUpdateMask(r.plan(), mask, &result);
        if (before.state() == v1::ActionPlan::STATE_CLOSED) {
          return PreconditionFailed(
              type::v1::ERROR_REASON_PLAN_FROZEN, type::v1::PRECONDITION_TYPE_STATE, result.name(),
              absl::StrCat("plan ", result.name(), " is CLOSED and can no longer change"));
        }
        if (before.state() == v1::ActionPlan::STATE_ADOPTED &&
            Differs(before, result, {"period_start", "period_end", "currency_code"})) {
          return PreconditionFailed(type::v1::ERROR_REASON_PLAN_TERMS_FIXED,
                                    type::v1::PRECONDITION_TYPE_STATE, result.name(),
                                    absl::StrCat("plan ", result.name(),
                                                 " is ADOPTED: its period and currency are fixed"));
        }
        FieldViolations v;
        ValidatePlan(result, v);
        return v.ToStatus();
      });
}

absl::Status ActionPlans::DeletePlan(const AuditActor& actor, const Principal&,
                                     const v1::DeletePlanRequest& r) {
  THB_ASSIGN_OR_RETURN(std::string id, PlanId(r.name(), "name"));
  return RunMutation(
      db_, {actor, "DeletePlan", r.request_id(), r.name()}, [&](Transaction& tx) -> absl::Status {
        THB_ASSIGN_OR_RETURN(Versioned<v1::ActionPlan> stored, LoadPlan(tx, id));
        THB_RETURN_IF_ERROR(CheckEtag(r.etag(), stored.resource.etag(), r.name()));
        if (stored.resource.state() != v1::ActionPlan::STATE_DRAFT) {
          return PreconditionFailed(
              type::v1::ERROR_REASON_PLAN_NOT_DRAFT, type::v1::PRECONDITION_TYPE_STATE, r.name(),
              absl::StrCat("plan ", r.name(), " is ", PlanStateName(stored.resource.state()),
                           "; only a DRAFT plan can be deleted (close an adopted one)"));
        }
        THB_RETURN_IF_ERROR(RequireUnreferenced(tx, r.name(), /*under_prefix=*/true));
        const std::string prefix = absl::StrCat(r.name(), "/measures/");
        for (const char* sql :
             {"DELETE FROM measure_institutions WHERE substr(measure, 1, length($2)) = $2",
              "DELETE FROM progress_reports WHERE substr(id, 1, length($1) + 1) = $1 || '/'",
              "DELETE FROM measures WHERE plan = $1", "DELETE FROM objectives WHERE plan = $1",
              "DELETE FROM plan_revisions WHERE plan = $1", "DELETE FROM plans WHERE id = $1"}) {
          THB_RETURN_IF_ERROR(tx.Execute(sql, {id, prefix}));
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::ActionPlan> ActionPlans::Transition(
    const AuditActor& actor, const std::string& method, const std::string& name,
    const std::string& etag, const std::string& request_id, PlanTransition transition,
    const google::type::Date& adopted_on) {
  THB_ASSIGN_OR_RETURN(std::string id, PlanId(name, "name"));
  if (IsSet(adopted_on) && !IsValidDate(adopted_on)) {
    return InvalidField("adopted_on", "is not a valid calendar date");
  }
  const absl::Time now = clock_.Now();
  return UpdateResource<v1::ActionPlan>(
      db_, {actor, method, request_id}, Plans(), {id, name, etag}, now,
      [&](Transaction& tx, v1::ActionPlan& result) -> absl::Status {
        THB_ASSIGN_OR_RETURN(State next, NextPlanState(name, result.state(), transition));
        if (transition == PlanTransition::kAdopt) {
          THB_ASSIGN_OR_RETURN(std::vector<Row> any,
                               tx.Query("SELECT 1 FROM measures WHERE plan = $1 LIMIT 1", {id}));
          if (any.empty()) {
            return PreconditionFailed(
                type::v1::ERROR_REASON_PLAN_HAS_NO_MEASURES, type::v1::PRECONDITION_TYPE_CONTENT,
                name, absl::StrCat("plan ", name, " has no measures; add them before adopting it"));
          }
          *result.mutable_adopted_on() = IsSet(adopted_on) ? adopted_on : ToDate(DayOf(now));
        }
        result.set_state(next);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::ListPlanRevisionsResponse> ActionPlans::ListRevisions(
    const PlanAudience& a, const v1::ListPlanRevisionsRequest& r) {
  THB_ASSIGN_OR_RETURN(std::string id, PlanId(r.parent(), "parent"));
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(r));
  // Revisions are keyed by their number (the table has no id column), so the token is a number.
  int64_t after = 0;
  if (!page.after.empty() && !absl::SimpleAtoi(page.after, &after)) {
    return InvalidField("page_token", "is not a token returned by this method");
  }
  v1::ListPlanRevisionsResponse out;
  THB_RETURN_IF_ERROR(ReadVisiblePlan(db_, a, id, [&](Transaction& tx, const v1::ActionPlan&) {
    THB_ASSIGN_OR_RETURN(
        std::vector<Row> rows,
        tx.Query("SELECT number, data FROM plan_revisions WHERE plan = $1 AND number > $2 "
                 "ORDER BY number LIMIT $3",
                 {id, after, int64_t{page.page_size} + 1}));
    return FillPage(rows, page, out.mutable_revisions(), out.mutable_next_page_token());
  }));
  return out;
}

}  // namespace thb::coordinator
