// The rapporteur in-process on port 0 against fake coordinator and commission gRPC servers
// (also in-process), called through real stubs: independence of the pillars (who may write what),
// disclosure control by role, evaluations and assessments over gRPC, and upstreams going away.
#include "services/rapporteur/rapporteur_handler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "services/common/testing/fake_upstream.h"
#include "services/common/testing/test_support.h"
#include "services/common/vocabulary.h"
#include "services/rapporteur/rapporteur_service.h"

namespace thb::rapporteur {
namespace {

using ::testing::HasSubstr;
namespace co = thb::coordinator::v1;
namespace cm = thb::commission::v1;
namespace tv1 = thb::type::v1;

template <typename Reactor>
Reactor* Done(Reactor* r, grpc::Status s = grpc::Status::OK) {
  r->Finish(s);
  return r;
}

class FakeCoordinator final : public co::CoordinatorService::CallbackService,
                              public testing::AuthorizationRecorder {
 public:
  grpc::ServerUnaryReactor* GetInstitution(grpc::CallbackServerContext* ctx,
                                           const co::GetInstitutionRequest* req,
                                           co::Institution* resp) override {
    Remember(*ctx);
    if (req->name() != "institutions/office-pm" && req->name() != "institutions/police") {
      return Done(ctx->DefaultReactor(),
                  grpc::Status(grpc::StatusCode::NOT_FOUND, "no such institution"));
    }
    resp->set_name(req->name());
    resp->set_state(co::Institution::STATE_ACTIVE);
    resp->set_sector(req->name() == "institutions/police" ? tv1::SECTOR_LAW_ENFORCEMENT
                                                          : tv1::SECTOR_GOVERNMENT_POLICY);
    return Done(ctx->DefaultReactor());
  }
  grpc::ServerUnaryReactor* GetMandate(grpc::CallbackServerContext* ctx,
                                       const co::GetMandateRequest*, co::Mandate* resp) override {
    Remember(*ctx);
    resp->set_name("mandate");
    resp->set_institution("institutions/office-pm");
    resp->set_government_level(co::GOVERNMENT_LEVEL_MINISTER);
    for (tv1::FormOfExploitation form : ConcreteForms()) resp->add_forms_in_scope(form);
    return Done(ctx->DefaultReactor());
  }
  grpc::ServerUnaryReactor* GetPlan(grpc::CallbackServerContext* ctx, const co::GetPlanRequest* req,
                                    co::ActionPlan* resp) override {
    Remember(*ctx);
    if (req->name() == "plans/draft") {  // the service's rights reach drafts
      resp->set_name("plans/draft");
      resp->set_state(co::ActionPlan::STATE_DRAFT);
      return Done(ctx->DefaultReactor());
    }
    if (req->name() != "plans/nap")
      return Done(ctx->DefaultReactor(), grpc::Status(grpc::StatusCode::NOT_FOUND, "no plan"));
    resp->set_name("plans/nap");
    resp->set_state(co::ActionPlan::STATE_ADOPTED);
    return Done(ctx->DefaultReactor());
  }
  grpc::ServerUnaryReactor* ListPlans(grpc::CallbackServerContext* ctx,
                                      const co::ListPlansRequest* req,
                                      co::ListPlansResponse* resp) override {
    Remember(*ctx);
    if (req->state() == co::ActionPlan::STATE_ADOPTED || req->state() == 0) {
      auto* p = resp->add_plans();
      p->set_name("plans/nap");
      p->set_state(co::ActionPlan::STATE_ADOPTED);
    }
    return Done(ctx->DefaultReactor());
  }
  grpc::ServerUnaryReactor* GetMeasure(grpc::CallbackServerContext* ctx,
                                       const co::GetMeasureRequest* req,
                                       co::Measure* resp) override {
    Remember(*ctx);
    if (req->name() != "plans/nap/measures/m1") {
      return Done(ctx->DefaultReactor(), grpc::Status(grpc::StatusCode::NOT_FOUND, "no measure"));
    }
    resp->set_name(req->name());
    return Done(ctx->DefaultReactor());
  }
  grpc::ServerUnaryReactor* AnalyzeCoverage(grpc::CallbackServerContext* ctx,
                                            const co::AnalyzeCoverageRequest* req,
                                            co::CoverageAnalysis* resp) override {
    Remember(*ctx);
    resp->set_plan(req->plan());
    resp->add_uncovered_forms(tv1::FORM_OF_EXPLOITATION_ORGAN_REMOVAL);
    resp->add_mandate_forms_not_covered(tv1::FORM_OF_EXPLOITATION_ORGAN_REMOVAL);
    return Done(ctx->DefaultReactor());
  }
  grpc::ServerUnaryReactor* AnalyzeProgress(grpc::CallbackServerContext* ctx,
                                            const co::AnalyzeProgressRequest* req,
                                            co::ProgressAnalysis* resp) override {
    Remember(*ctx);
    resp->set_plan(req->plan());
    resp->mutable_overall()->set_progress_percent(42.5);
    return Done(ctx->DefaultReactor());
  }
  grpc::ServerUnaryReactor* AnalyzeFunding(grpc::CallbackServerContext* ctx,
                                           const co::AnalyzeFundingRequest* req,
                                           co::FundingAnalysis* resp) override {
    Remember(*ctx);
    resp->set_plan(req->plan());
    resp->mutable_total()->set_measure_count(7);
    return Done(ctx->DefaultReactor());
  }
};

class FakeCommission final : public cm::CommissionService::CallbackService {
 public:
  grpc::ServerUnaryReactor* GetCommission(grpc::CallbackServerContext* ctx,
                                          const cm::GetCommissionRequest*,
                                          cm::Commission* resp) override {
    resp->set_name("commission");
    resp->set_chair_institution("institutions/office-pm");
    return Done(ctx->DefaultReactor());
  }
  grpc::ServerUnaryReactor* ListMembers(grpc::CallbackServerContext* ctx,
                                        const cm::ListMembersRequest* req,
                                        cm::ListMembersResponse* resp) override {
    // Two pages, to exercise paging: civil society on the first, survivor leader on the second.
    if (req->page_token().empty()) {
      resp->add_members()->set_seat(cm::SEAT_CIVIL_SOCIETY);
      resp->set_next_page_token("p2");
    } else {
      resp->add_members()->set_seat(cm::SEAT_SURVIVOR_LEADER);
    }
    return Done(ctx->DefaultReactor());
  }
  grpc::ServerUnaryReactor* ListConsultations(grpc::CallbackServerContext* ctx,
                                              const cm::ListConsultationsRequest*,
                                              cm::ListConsultationsResponse* resp) override {
    resp->add_consultations()->set_name("consultations/c1");
    return Done(ctx->DefaultReactor());
  }
};

class RapporteurServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string coordinator_address, commission_address;
    coordinator_ = testing::ServeOnFreePort(&fake_coordinator_, &coordinator_address);
    commission_ = testing::ServeOnFreePort(&fake_commission_, &commission_address);
    ASSERT_FALSE(coordinator_address.empty());
    ASSERT_FALSE(commission_address.empty());
    runtime_ = *ServiceRuntime::Create(testing::TestConfig("rapporteur", dir_));
    RapporteurOptions options;
    options.rapporteur_institution = "institutions/ombudsperson";
    server_ =
        *RapporteurServer::Create(*runtime_, NewCoordinatorClient(*runtime_, coordinator_address),
                                  NewCommissionReader(*runtime_, commission_address), options);
    ASSERT_TRUE(runtime_->Start(&server_->handler(), RapporteurServer::Descriptor()).ok());
    stub_ = v1::RapporteurService::NewStub(
        grpc::CreateChannel(runtime_->address(), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    runtime_->Shutdown(absl::Seconds(1));
    if (coordinator_) coordinator_->Shutdown();
    if (commission_) commission_->Shutdown();
  }
  std::unique_ptr<grpc::ClientContext> As(const std::vector<std::string>& roles,
                                          const std::string& institution = "") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!roles.empty())
      ctx->AddMetadata("authorization", "Bearer " + testing::Token(roles, institution));
    return ctx;
  }
  v1::Recommendation Issue(v1::Addressee::Kind kind) {
    v1::CreateRecommendationRequest r;
    r.mutable_recommendation()->set_text("Adopt a national referral mechanism");
    r.mutable_recommendation()->mutable_addressee()->set_kind(kind);
    v1::Recommendation out;
    grpc::Status s = stub_->CreateRecommendation(As({roles::kRapporteurOffice}).get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  testing::TempDir dir_;
  FakeCoordinator fake_coordinator_;
  FakeCommission fake_commission_;
  std::unique_ptr<grpc::Server> coordinator_, commission_;
  std::unique_ptr<ServiceRuntime> runtime_;
  std::unique_ptr<RapporteurServer> server_;
  std::unique_ptr<v1::RapporteurService::Stub> stub_;
};

TEST_F(RapporteurServiceTest, OtherPillarsCannotWriteTheRapporteursWork) {
  v1::Recommendation rec = Issue(v1::Addressee::KIND_COORDINATOR);
  for (const char* role :
       {roles::kCoordinatorOffice, roles::kCommissionSecretariat, roles::kRapporteurAnalyst}) {
    v1::Recommendation out;
    v1::CreateRecommendationRequest create;
    create.mutable_recommendation()->set_text("self-serving");
    create.mutable_recommendation()->mutable_addressee()->set_kind(v1::Addressee::KIND_COMMISSION);
    EXPECT_EQ(stub_->CreateRecommendation(As({role}).get(), create, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << role;
    v1::UpdateRecommendationRequest update;
    update.mutable_recommendation()->set_name(rec.name());
    update.mutable_recommendation()->set_text("softened");
    EXPECT_EQ(stub_->UpdateRecommendation(As({role}).get(), update, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << role;
    v1::AssessRecommendationFollowUpRequest assess;
    assess.set_name(rec.name());
    assess.set_status(v1::IMPLEMENTATION_STATUS_IMPLEMENTED);
    assess.set_rationale("we did it");
    EXPECT_EQ(stub_->AssessRecommendationFollowUp(As({role}).get(), assess, &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << role;
    v1::Report report;
    v1::CreateReportRequest draft;
    draft.mutable_report()->set_kind(v1::Report::KIND_THEMATIC);
    draft.mutable_report()->set_title("x");
    EXPECT_EQ(stub_->CreateReport(As({role}).get(), draft, &report).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << role;
  }
  for (const char* role : {roles::kCoordinatorOffice, roles::kCommissionSecretariat}) {
    v1::Assessment a;
    EXPECT_EQ(stub_->RunAssessment(As({role}).get(), {}, &a).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::Evaluation e;
    v1::CreateEvaluationRequest eval;
    eval.mutable_evaluation()->set_plan("plans/nap");
    eval.mutable_evaluation()->set_title("x");
    EXPECT_EQ(stub_->CreateEvaluation(As({role}).get(), eval, &e).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  // The addressee responds; the commission cannot answer for the co-ordinator; the public reads.
  v1::RespondToRecommendationRequest respond;
  respond.set_name(rec.name());
  respond.set_position(v1::RESPONSE_POSITION_ACCEPTED);
  respond.set_linked_measure("plans/nap/measures/m1");
  v1::Recommendation answered;
  EXPECT_EQ(
      stub_->RespondToRecommendation(As({roles::kCommissionSecretariat}).get(), respond, &answered)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status ok =
      stub_->RespondToRecommendation(As({roles::kCoordinatorOffice}).get(), respond, &answered);
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(answered.text(), rec.text());
  v1::GetRecommendationRequest get;
  get.set_name(rec.name());
  v1::Recommendation seen;
  ASSERT_TRUE(stub_->GetRecommendation(As({}).get(), get, &seen).ok());
  EXPECT_EQ(seen.response().position(), v1::RESPONSE_POSITION_ACCEPTED);
  // The linked measure was checked at the coordinator, as the rapporteur service.
  const std::string auth = fake_coordinator_.last_authorization();
  ASSERT_THAT(auth, HasSubstr("Bearer "));
  absl::StatusOr<Principal> principal =
      TokenVerifier::Create({testing::TestKey()}).value()->Verify(auth.substr(7));
  ASSERT_TRUE(principal.ok());
  EXPECT_TRUE(principal->HasRole(roles::kServiceRapporteur));
}

TEST_F(RapporteurServiceTest, DisclosureControlDependsOnTheCallersRole) {
  v1::CreateStatisticsSubmissionRequest sub;
  sub.mutable_statistics_submission()->set_reporting_institution("institutions/police");
  sub.mutable_statistics_submission()->mutable_period()->set_year(2024);
  auto row = [&](tv1::Sex sex, int64_t n) {
    auto* r = sub.mutable_statistics_submission()->add_rows();
    r->set_indicator(v1::STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED);
    r->set_sex(sex);
    r->set_count(n);
  };
  row(tv1::SEX_UNSPECIFIED, 50);
  row(tv1::SEX_FEMALE, 44);
  row(tv1::SEX_MALE, 6);
  v1::StatisticsSubmission stored;
  grpc::Status s = stub_->CreateStatisticsSubmission(
      As({roles::kReportingInstitution}, "institutions/police").get(), sub, &stored);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::QueryStatisticsRequest q;
  q.add_group_by(v1::DIMENSION_SEX);
  v1::QueryStatisticsResponse pub, exact, office;
  ASSERT_TRUE(stub_->QueryStatistics(As({}).get(), q, &pub).ok());
  ASSERT_TRUE(stub_->QueryStatistics(As({roles::kRapporteurAnalyst}).get(), q, &exact).ok());
  ASSERT_TRUE(stub_->QueryStatistics(As({roles::kRapporteurOffice}).get(), q, &office).ok());
  ASSERT_EQ(pub.cells_size(), 2);
  EXPECT_TRUE(pub.cells(0).suppressed() && pub.cells(1).suppressed());  // 6 and its complement
  EXPECT_EQ(pub.total(), 50);
  EXPECT_EQ(exact.cells(1).count(), 6);
  EXPECT_EQ(office.suppression_threshold(), 10);  // only analysts see unsuppressed numbers
  v1::ExportStatisticsResponse csv;
  ASSERT_TRUE(stub_->ExportStatistics(As({}).get(), {}, &csv).ok());
  EXPECT_THAT(csv.content(), HasSubstr("Male,Total,2024,Counts,,"));
}

TEST_F(RapporteurServiceTest,
       EvaluationsSnapshotTheCoordinatorsAnalysesAndFailCleanlyWhenItIsDown) {
  v1::CreateEvaluationRequest r;
  r.mutable_evaluation()->set_plan("plans/nap");
  r.mutable_evaluation()->set_title("Mid-term evaluation");
  r.mutable_evaluation()->set_findings("Protection lags behind.");
  v1::Evaluation e;
  grpc::Status s = stub_->CreateEvaluation(As({roles::kRapporteurOffice}).get(), r, &e);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_DOUBLE_EQ(e.progress().overall().progress_percent(), 42.5);
  EXPECT_EQ(e.funding().total().measure_count(), 7);
  EXPECT_EQ(e.coverage().uncovered_forms_size(), 1);
  EXPECT_TRUE(e.has_evaluation_date());
  r.mutable_evaluation()->set_plan("plans/ghost");
  grpc::Status ghost = stub_->CreateEvaluation(As({roles::kRapporteurOffice}).get(), r, &e);
  EXPECT_EQ(ghost.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // A draft, which the service could read but the public may not: refused in the same words, so
  // an evaluation (public) never publishes a draft's analyses.
  r.mutable_evaluation()->set_plan("plans/draft");
  grpc::Status draft = stub_->CreateEvaluation(As({roles::kRapporteurOffice}).get(), r, &e);
  EXPECT_EQ(draft.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(draft.error_message(),
            absl::StrReplaceAll(ghost.error_message(), {{"plans/ghost", "plans/draft"}}));
  v1::RunAssessmentRequest on_draft;
  on_draft.set_plan("plans/draft");
  v1::Assessment a;
  EXPECT_EQ(stub_->RunAssessment(As({roles::kRapporteurOffice}).get(), on_draft, &a).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  coordinator_->Shutdown();
  coordinator_.reset();
  r.mutable_evaluation()->set_plan("plans/nap");
  EXPECT_EQ(stub_->CreateEvaluation(As({roles::kRapporteurOffice}).get(), r, &e).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  v1::ListEvaluationsResponse all;
  ASSERT_TRUE(stub_->ListEvaluations(As({}).get(), {}, &all).ok());
  EXPECT_EQ(all.evaluations_size(), 1);  // the snapshot stays readable, nothing half-written
  EXPECT_DOUBLE_EQ(all.evaluations(0).progress().overall().progress_percent(), 42.5);
}

TEST_F(RapporteurServiceTest, AssessmentReadsBothPillarsAndSaysUnknownForAnUnreachableOne) {
  v1::Assessment a;
  grpc::Status s = stub_->RunAssessment(As({roles::kRapporteurOffice}).get(), {}, &a);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(a.results_size(), 6);
  EXPECT_EQ(a.rapporteur_institution(), "institutions/ombudsperson");
  EXPECT_EQ(a.results(0).status(), v1::CRITERION_STATUS_MET);            // minister
  EXPECT_EQ(a.results(1).status(), v1::CRITERION_STATUS_MET);            // separate, chairs
  EXPECT_EQ(a.results(2).status(), v1::CRITERION_STATUS_PARTIALLY_MET);  // NAP misses organ removal
  EXPECT_THAT(a.results(2).evidence(1), HasSubstr("ORGAN_REMOVAL"));
  EXPECT_EQ(a.results(3).status(), v1::CRITERION_STATUS_MET);
  EXPECT_EQ(a.results(4).status(), v1::CRITERION_STATUS_MET);  // both pages of members read
  // This fake coordinator keeps no international record: unknown, never a guess.
  EXPECT_EQ(a.results(5).status(), v1::CRITERION_STATUS_UNKNOWN);

  commission_->Shutdown();
  commission_.reset();
  v1::Assessment b;
  ASSERT_TRUE(stub_->RunAssessment(As({roles::kRapporteurAnalyst}).get(), {}, &b).ok());
  EXPECT_EQ(b.results(0).status(), v1::CRITERION_STATUS_MET);
  EXPECT_EQ(b.results(1).status(), v1::CRITERION_STATUS_UNKNOWN);
  EXPECT_THAT(b.results(1).evidence(0), HasSubstr("commission"));
  EXPECT_EQ(b.results(4).status(), v1::CRITERION_STATUS_UNKNOWN);

  v1::ListAssessmentsResponse list;
  ASSERT_TRUE(stub_->ListAssessments(As({}).get(), {}, &list).ok());
  ASSERT_EQ(list.assessments_size(), 2);
  EXPECT_EQ(list.assessments(0).name(), b.name());  // newest first
}

}  // namespace
}  // namespace thb::rapporteur
