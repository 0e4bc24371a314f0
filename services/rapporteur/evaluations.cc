#include "services/rapporteur/evaluations.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"

namespace thb::rapporteur {
namespace {

namespace cov1 = ::thb::coordinator::v1;
constexpr char kCollection[] = "evaluations";

const ResourceTable<v1::Evaluation>& EvaluationTable() {
  static const ResourceTable<v1::Evaluation> table(
      "evaluations", "evaluation",
      {{"plan", [](const v1::Evaluation& e) { return Value(e.plan()); }},
       {"create_time", [](const v1::Evaluation& e) { return Value(StoredTime(e.create_time())); }}},
      Versioning::kWriteOnce);
  return table;
}

}  // namespace

absl::StatusOr<v1::Evaluation> Evaluations::Create(const AuditActor& actor,
                                                   const v1::CreateEvaluationRequest& request) {
  v1::Evaluation evaluation = request.evaluation();
  FieldViolations v;
  if (!ParseResourceName(evaluation.plan(), "plans", "").ok())
    v.Add("evaluation.plan", "must be plans/{plan} at the coordinator");
  if (absl::StripAsciiWhitespace(evaluation.title()).empty()) {
    v.Add("evaluation.title", "is required");
  }
  if (IsSet(evaluation.evaluation_date()) && !IsValidDate(evaluation.evaluation_date())) {
    v.Add("evaluation.evaluation_date", "is not a calendar date");
  }
  if (!request.evaluation_id().empty() && !IsValidResourceId(request.evaluation_id())) {
    v.Add("evaluation_id",
          "must be 1-63 lower-case letters, digits or hyphens, starting with a letter");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  const MutationCall call = {actor, "CreateEvaluation", request.request_id()};
  THB_ASSIGN_OR_RETURN(std::optional<v1::Evaluation> prior,
                       PriorResponse<v1::Evaluation>(db_, call));
  if (prior.has_value()) return *std::move(prior);

  // Only a plan the public may read is evaluated: an evaluation is public, and the service reads
  // the plan with its own rights, which reach drafts that the caller could not read. A draft
  // gets the same answer as a plan that does not exist.
  absl::StatusOr<cov1::ActionPlan> plan = coordinator_.GetPlan(evaluation.plan());
  if (plan.status().code() == absl::StatusCode::kNotFound ||
      (plan.ok() && !IsPublishedPlan(*plan))) {
    return PreconditionFailed(type::v1::ERROR_REASON_PLAN_NOT_PUBLISHED,
                              type::v1::PRECONDITION_TYPE_REFERENCE, evaluation.plan(),
                              absl::StrCat("evaluation.plan: ", evaluation.plan(),
                                           " is not an adopted or closed plan at the coordinator"));
  }
  THB_RETURN_IF_ERROR(plan);
  THB_ASSIGN_OR_RETURN(*evaluation.mutable_coverage(),
                       coordinator_.AnalyzeCoverage(evaluation.plan()));
  THB_ASSIGN_OR_RETURN(*evaluation.mutable_progress(),
                       coordinator_.AnalyzeProgress(evaluation.plan()));
  THB_ASSIGN_OR_RETURN(*evaluation.mutable_funding(),
                       coordinator_.AnalyzeFunding(evaluation.plan()));
  const absl::Time now = clock_.Now();
  if (!IsSet(evaluation.evaluation_date())) {
    *evaluation.mutable_evaluation_date() = ToDate(absl::ToCivilDay(now, absl::UTCTimeZone()));
  }
  return RunMutation<v1::Evaluation>(
      db_, call, [&](Transaction& tx, v1::Evaluation& result) -> absl::Status {
        const std::string id =
            request.evaluation_id().empty() ? NewResourceId() : request.evaluation_id();
        result = evaluation;
        result.set_name(absl::StrCat(kCollection, "/", id));
        *result.mutable_create_time() = ToProtoTimestamp(now);
        return EvaluationTable().Insert(tx, id, result);
      });
}

absl::StatusOr<v1::Evaluation> Evaluations::Get(const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, "name"));
  THB_ASSIGN_OR_RETURN(std::optional<v1::Evaluation> found, EvaluationTable().Read(db_, id));
  if (!found.has_value()) return EvaluationTable().NotFound(name);
  return *std::move(found);
}

absl::StatusOr<v1::ListEvaluationsResponse> Evaluations::List(
    const v1::ListEvaluationsRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  const ListQuery query = {"evaluations", "$1 = '' OR plan = $1", {request.plan()}};
  v1::ListEvaluationsResponse response;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListById(tx, query, page, response.mutable_evaluations(),
                    response.mutable_next_page_token());
  }));
  return response;
}

}  // namespace thb::rapporteur
