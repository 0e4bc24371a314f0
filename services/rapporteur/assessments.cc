#include "services/rapporteur/assessments.h"

#include <optional>

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
constexpr char kCollection[] = "assessments";

const ResourceTable<v1::Assessment>& AssessmentTable() {
  static const ResourceTable<v1::Assessment> table(
      "assessments", "assessment",
      {{"create_time", [](const v1::Assessment& a) { return Value(StoredTime(a.create_time())); }}},
      Versioning::kWriteOnce);
  return table;
}

}  // namespace

absl::StatusOr<ArchitectureFacts> Assessments::ReadFacts(const std::string& plan, absl::Time now) {
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
  if (!plan.empty()) {
    // An assessment is public: only a plan the public reads is assessed, and a draft gets the
    // same answer as a plan that does not exist.
    absl::StatusOr<cov1::ActionPlan> found = coordinator_.GetPlan(plan);
    if (found.status().code() == absl::StatusCode::kNotFound ||
        (found.ok() && !IsPublishedPlan(*found))) {
      return PreconditionFailed(
          type::v1::ERROR_REASON_PLAN_NOT_PUBLISHED, type::v1::PRECONDITION_TYPE_REFERENCE, plan,
          absl::StrCat("plan: ", plan, " is not an adopted or closed plan at the coordinator"));
    }
    facts.plan = plan;
    facts.coverage = found.ok() ? coordinator_.AnalyzeCoverage(plan)
                                : absl::StatusOr<cov1::CoverageAnalysis>(found.status());
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
  facts.recent_engagements = coordinator_.ListEngagements(ToDate(facts.today - 365));
  facts.obligations = coordinator_.GetObligationsCalendar();
  absl::StatusOr<std::vector<thb::coordinator::v1::ReportingObligation>> active =
      coordinator_.ListReportingObligations("state = ACTIVE");
  facts.obligations_recorded =
      active.ok() ? absl::StatusOr<int>(static_cast<int>(active->size())) : active.status();
  facts.commission = commission_.GetCommission();
  facts.members = commission_.ListMembers();
  facts.consultations = commission_.ListConsultations();
  return facts;
}

absl::StatusOr<v1::Assessment> Assessments::Run(const AuditActor& actor,
                                                const v1::RunAssessmentRequest& request) {
  if (!request.plan().empty() && !ParseResourceName(request.plan(), "plans", "").ok()) {
    return InvalidField(
        "plan", "must be plans/{plan} at the coordinator, or empty for the latest adopted plan");
  }
  const MutationCall call = {actor, "RunAssessment", request.request_id()};
  THB_ASSIGN_OR_RETURN(std::optional<v1::Assessment> prior,
                       PriorResponse<v1::Assessment>(db_, call));
  if (prior.has_value()) return *std::move(prior);

  const absl::Time now = clock_.Now();
  THB_ASSIGN_OR_RETURN(ArchitectureFacts facts, ReadFacts(request.plan(), now));
  v1::Assessment assessment;
  for (v1::CriterionResult& r : AssessArchitecture(facts)) *assessment.add_results() = std::move(r);
  assessment.set_rapporteur_institution(rapporteur_institution_);
  return RunMutation<v1::Assessment>(db_, call,
                                     [&](Transaction& tx, v1::Assessment& result) -> absl::Status {
                                       const std::string id = NewResourceId();
                                       result = assessment;
                                       result.set_name(absl::StrCat(kCollection, "/", id));
                                       *result.mutable_create_time() = ToProtoTimestamp(now);
                                       return AssessmentTable().Insert(tx, id, result);
                                     });
}

absl::StatusOr<v1::Assessment> Assessments::Get(const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, "name"));
  THB_ASSIGN_OR_RETURN(std::optional<v1::Assessment> found, AssessmentTable().Read(db_, id));
  if (!found.has_value()) return AssessmentTable().NotFound(name);
  return *std::move(found);
}

absl::StatusOr<v1::ListAssessmentsResponse> Assessments::List(
    const v1::ListAssessmentsRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  v1::ListAssessmentsResponse response;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListNewestFirst(tx, {"assessments"}, page, response.mutable_assessments(),
                           response.mutable_next_page_token());
  }));
  return response;
}

}  // namespace thb::rapporteur
