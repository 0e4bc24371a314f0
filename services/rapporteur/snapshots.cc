#include "services/rapporteur/snapshots.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/audit_log.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/resources.h"
#include "services/common/versioned_rows.h"
#include "services/rapporteur/architecture_assessment.h"

namespace thb::rapporteur {
namespace {

namespace cov1 = ::thb::coordinator::v1;

// Reads one stored message by id from `table` (a constant), NOT_FOUND naming `name` otherwise.
template <typename T>
absl::StatusOr<T> LoadOne(Database& db, absl::string_view table, const std::string& collection,
                          const std::string& name) {
  absl::StatusOr<std::string> id = ParseResourceName(name, collection, "name");
  if (!id.ok()) return id.status();
  std::vector<T> found;
  absl::Status s = db.RunReadOnly([&](Transaction& tx) -> absl::Status {
    auto rows =
        LoadMessages<T>(tx, absl::StrCat("SELECT data FROM ", table, " WHERE id = $1"), {*id});
    if (!rows.ok()) return rows.status();
    found = std::move(*rows);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (found.empty()) return absl::NotFoundError(absl::StrCat(name, " does not exist"));
  return found[0];
}

}  // namespace

absl::StatusOr<v1::Evaluation> Evaluations::Create(const AuditActor& actor,
                                                   const v1::CreateEvaluationRequest& request) {
  v1::Evaluation result = request.evaluation();
  FieldViolations v;
  if (!ParseResourceName(result.plan(), "plans", "").ok())
    v.Add("evaluation.plan", "must be plans/{plan} at the coordinator");
  if (absl::StripAsciiWhitespace(result.title()).empty()) v.Add("evaluation.title", "is required");
  if (IsSet(result.evaluation_date()) && !IsValidDate(result.evaluation_date())) {
    v.Add("evaluation.evaluation_date", "is not a calendar date");
  }
  if (!request.evaluation_id().empty() && !IsValidResourceId(request.evaluation_id())) {
    v.Add("evaluation_id",
          "must be 1-63 lower-case letters, digits or hyphens, starting with a letter");
  }
  if (!v.empty()) return v.ToStatus();
  absl::StatusOr<bool> answered =
      FindPriorResponseBeforeWrite(db_, actor, "CreateEvaluation", request.request_id(), &result);
  if (!answered.ok()) return answered.status();
  if (*answered) return result;

  absl::StatusOr<cov1::ActionPlan> plan = coordinator_.GetPlan(result.plan());
  if (plan.status().code() == absl::StatusCode::kNotFound) {
    return absl::FailedPreconditionError(
        absl::StrCat("evaluation.plan: ", result.plan(), " does not exist at the coordinator"));
  }
  if (!plan.ok()) return plan.status();
  absl::StatusOr<cov1::CoverageAnalysis> coverage = coordinator_.AnalyzeCoverage(result.plan());
  if (!coverage.ok()) return coverage.status();
  absl::StatusOr<cov1::ProgressAnalysis> progress = coordinator_.AnalyzeProgress(result.plan());
  if (!progress.ok()) return progress.status();
  absl::StatusOr<cov1::FundingAnalysis> funding = coordinator_.AnalyzeFunding(result.plan());
  if (!funding.ok()) return funding.status();
  *result.mutable_coverage() = std::move(*coverage);
  *result.mutable_progress() = std::move(*progress);
  *result.mutable_funding() = std::move(*funding);
  const absl::Time now = clock_.Now();
  if (!IsSet(result.evaluation_date())) {
    *result.mutable_evaluation_date() = ToDate(absl::ToCivilDay(now, absl::UTCTimeZone()));
  }
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CreateEvaluation", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    const std::string id =
        request.evaluation_id().empty() ? NewResourceId() : request.evaluation_id();
    result.set_name(absl::StrCat("evaluations/", id));
    *result.mutable_create_time() = ToProtoTimestamp(now);
    absl::StatusOr<int64_t> n =
        tx.Execute("INSERT INTO evaluations (id, plan, create_time, data) VALUES ($1, $2, $3, $4)",
                   {id, result.plan(), FormatStoredTime(now), Blob{result.SerializeAsString()}});
    if (!n.ok()) {
      if (n.status().code() == absl::StatusCode::kAlreadyExists) {
        return absl::AlreadyExistsError(
            absl::StrCat("evaluation ", result.name(), " already exists"));
      }
      return n.status();
    }
    return RecordMutation(tx, actor, "CreateEvaluation", request.request_id(), result.name(),
                          result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::Evaluation> Evaluations::Get(const std::string& name) {
  return LoadOne<v1::Evaluation>(db_, "evaluations", "evaluations", name);
}

absl::StatusOr<v1::ListEvaluationsResponse> Evaluations::List(
    const v1::ListEvaluationsRequest& request) {
  absl::StatusOr<PageRequest> page = ParsePageRequest(request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  v1::ListEvaluationsResponse response;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows = tx.Query(
        "SELECT id, data FROM evaluations WHERE id > $1 AND ($2 = '' OR plan = $2) ORDER BY id "
        "LIMIT $3",
        {page->after, request.plan(), static_cast<int64_t>(page->page_size) + 1});
    if (!rows.ok()) return rows.status();
    return FillPage(*rows, page->page_size, response.mutable_evaluations(),
                    response.mutable_next_page_token());
  });
  if (!s.ok()) return s;
  return response;
}

absl::StatusOr<v1::Assessment> Assessments::Run(const AuditActor& actor,
                                                const v1::RunAssessmentRequest& request) {
  if (!request.plan().empty() && !ParseResourceName(request.plan(), "plans", "").ok()) {
    return InvalidField(
        "plan", "must be plans/{plan} at the coordinator, or empty for the latest adopted plan");
  }
  v1::Assessment result;
  absl::StatusOr<bool> answered =
      FindPriorResponseBeforeWrite(db_, actor, "RunAssessment", request.request_id(), &result);
  if (!answered.ok()) return answered.status();
  if (*answered) return result;

  const absl::Time now = clock_.Now();
  ArchitectureFacts facts;
  facts.today = absl::ToCivilDay(now, absl::UTCTimeZone());
  facts.rapporteur_institution = rapporteur_institution_;
  facts.mandate = coordinator_.GetMandate();
  if (facts.mandate.ok() && !facts.mandate->institution().empty()) {
    facts.coordinator_institution = coordinator_.GetInstitution(facts.mandate->institution());
  } else if (facts.mandate.ok()) {
    facts.coordinator_institution = absl::NotFoundError("the mandate names no institution");
  } else {
    facts.coordinator_institution = facts.mandate.status();
  }
  if (!request.plan().empty()) {
    absl::StatusOr<cov1::ActionPlan> plan = coordinator_.GetPlan(request.plan());
    if (plan.status().code() == absl::StatusCode::kNotFound) {
      return absl::FailedPreconditionError(
          absl::StrCat("plan: ", request.plan(), " does not exist at the coordinator"));
    }
    facts.plan = request.plan();
    facts.coverage = plan.ok() ? coordinator_.AnalyzeCoverage(request.plan())
                               : absl::StatusOr<cov1::CoverageAnalysis>(plan.status());
  } else {
    absl::StatusOr<std::vector<cov1::ActionPlan>> adopted =
        coordinator_.ListPlans(cov1::ActionPlan::STATE_ADOPTED);
    if (!adopted.ok()) {
      facts.plan = "the latest adopted plan";
      facts.coverage = adopted.status();
    } else if (!adopted->empty()) {
      const cov1::ActionPlan* latest = &(*adopted)[0];
      for (const cov1::ActionPlan& p : *adopted) {
        if (ToCivilDay(p.adopted_on()) > ToCivilDay(latest->adopted_on())) latest = &p;
      }
      facts.plan = latest->name();
      facts.coverage = coordinator_.AnalyzeCoverage(latest->name());
    }
  }
  facts.commission = commission_.GetCommission();
  facts.members = commission_.ListMembers();
  facts.consultations = commission_.ListConsultations();
  for (v1::CriterionResult& r : AssessArchitecture(facts)) *result.add_results() = std::move(r);

  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "RunAssessment", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    const std::string id = NewResourceId();
    result.set_name(absl::StrCat("assessments/", id));
    *result.mutable_create_time() = ToProtoTimestamp(now);
    absl::StatusOr<int64_t> n =
        tx.Execute("INSERT INTO assessments (id, create_time, data) VALUES ($1, $2, $3)",
                   {id, FormatStoredTime(now), Blob{result.SerializeAsString()}});
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "RunAssessment", request.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::Assessment> Assessments::Get(const std::string& name) {
  return LoadOne<v1::Assessment>(db_, "assessments", "assessments", name);
}

absl::StatusOr<v1::ListAssessmentsResponse> Assessments::List(
    const v1::ListAssessmentsRequest& request) {
  absl::StatusOr<PageRequest> page = ParsePageRequest(request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  const NewestFirstCursor after = NewestFirstCursor::FromToken(page->after);
  v1::ListAssessmentsResponse response;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows = tx.Query(
        "SELECT create_time, id, data FROM assessments WHERE "
        "($1 = '' OR create_time < $1 OR (create_time = $1 AND id < $2)) "
        "ORDER BY create_time DESC, id DESC LIMIT $3",
        {after.create_time, after.id, static_cast<int64_t>(page->page_size) + 1});
    if (!rows.ok()) return rows.status();
    return FillNewestFirstPage(*rows, page->page_size, response.mutable_assessments(),
                               response.mutable_next_page_token());
  });
  if (!s.ok()) return s;
  return response;
}

}  // namespace thb::rapporteur
