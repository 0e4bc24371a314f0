// The recommendation book against a temporary database, a fake clock and a fake coordinator.
#include "services/rapporteur/recommendations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/rapporteur/testing/domain_fixtures.h"

namespace thb::rapporteur {
namespace {

namespace tv1 = ::thb::type::v1;
using ::testing::Contains;
using ::testing::HasSubstr;

class RecommendationBookTest : public RecommendationsAndReportsTest {};

TEST_F(RecommendationBookTest, OnlyTheAddresseeResponds) {
  v1::Recommendation to_coordinator = Issue(v1::Addressee::KIND_COORDINATOR);
  v1::Recommendation to_inspectorate =
      Issue(v1::Addressee::KIND_INSTITUTION, "institutions/labour-inspectorate");
  const Principal coordinator = As({roles::kCoordinatorOffice}, "", "nc@gov");
  const Principal secretariat = As({roles::kCommissionSecretariat});
  const Principal inspectorate =
      As({roles::kReportingInstitution}, "institutions/labour-inspectorate");
  const Principal police = As({roles::kReportingInstitution}, "institutions/police");

  EXPECT_EQ(book_->Respond(AuditActor::Internal(), secretariat, Response(to_coordinator.name()))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(book_->Respond(AuditActor::Internal(), coordinator, Response(to_inspectorate.name()))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(book_->Respond(AuditActor::Internal(), police, Response(to_inspectorate.name()))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::Recommendation> answered =
      book_->Respond(AuditActor::Internal(), coordinator, Response(to_coordinator.name()));
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->response().position(), v1::RESPONSE_POSITION_PARTIALLY_ACCEPTED);
  EXPECT_EQ(answered->response().responded_by(), "nc@gov");
  EXPECT_EQ(answered->text(), to_coordinator.text());  // the recommendation itself is untouched
  EXPECT_TRUE(
      book_->Respond(AuditActor::Internal(), inspectorate, Response(to_inspectorate.name())).ok());
}

TEST_F(RecommendationBookTest, LinkedMeasureIsCheckedAtTheCoordinator) {
  v1::Recommendation r = Issue(v1::Addressee::KIND_COORDINATOR);
  const Principal coordinator = As({roles::kCoordinatorOffice});
  absl::Status missing = book_
                             ->Respond(AuditActor::Internal(), coordinator,
                                       Response(r.name(), "plans/nap/measures/ghost"))
                             .status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing.message(), HasSubstr("ghost"));
  EXPECT_EQ(book_->Respond(AuditActor::Internal(), coordinator, Response(r.name(), "measures/m1"))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  coordinator_.SetUnavailable(true);
  EXPECT_EQ(book_
                ->Respond(AuditActor::Internal(), coordinator,
                          Response(r.name(), "plans/nap/measures/m1"))
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
  coordinator_.SetUnavailable(false);
  absl::StatusOr<v1::Recommendation> ok = book_->Respond(
      AuditActor::Internal(), coordinator, Response(r.name(), "plans/nap/measures/m1"));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->response().linked_measure(), "plans/nap/measures/m1");
  EXPECT_EQ(ok->history_size(), 1);  // the failed attempts left nothing behind
}

TEST_F(RecommendationBookTest, FollowUpHistoryIsKeptAndOverdueMeansPastDueWithoutImplemented) {
  v1::Recommendation r = Issue(v1::Addressee::KIND_COORDINATOR, "", absl::CivilDay(2025, 9, 30));
  EXPECT_FALSE(r.overdue());
  ASSERT_TRUE(
      book_->Respond(AuditActor::Internal(), As({roles::kCoordinatorOffice}), Response(r.name()))
          .ok());
  v1::AssessRecommendationFollowUpRequest a;
  a.set_name(r.name());
  a.set_status(v1::IMPLEMENTATION_STATUS_PARTIALLY_IMPLEMENTED);
  a.set_rationale("One shelter opened");
  ASSERT_TRUE(
      book_->AssessFollowUp(AuditActor::Internal(), As({roles::kRapporteurOffice}), a).ok());
  clock_.Advance(absl::Hours(24 * 120));  // 2025-10-13: past due
  v1::Recommendation late = *book_->Get(r.name());
  EXPECT_TRUE(late.overdue());
  v1::ListRecommendationsRequest overdue;
  overdue.set_filter("overdue = true AND addressee.kind = COORDINATOR");
  EXPECT_EQ(book_->List(overdue)->recommendations_size(), 1);
  a.set_status(v1::IMPLEMENTATION_STATUS_IMPLEMENTED);
  a.set_rationale("Second shelter opened");
  v1::Recommendation done =
      *book_->AssessFollowUp(AuditActor::Internal(), As({roles::kRapporteurOffice}), a);
  EXPECT_FALSE(done.overdue());
  ASSERT_EQ(done.history_size(), 3);
  EXPECT_TRUE(done.history(0).has_response());
  EXPECT_EQ(done.history(1).assessment().status(), v1::IMPLEMENTATION_STATUS_PARTIALLY_IMPLEMENTED);
  EXPECT_EQ(done.history(2).assessment().status(), v1::IMPLEMENTATION_STATUS_IMPLEMENTED);
  EXPECT_EQ(book_->List(overdue)->recommendations_size(), 0);
  overdue.set_filter("colour = red");
  EXPECT_THAT(testing::ViolatedFields(book_->List(overdue).status()), Contains("filter"));
}

TEST_F(RecommendationBookTest, RecommendationValidationNamesFieldsAndChecksTheInstitution) {
  v1::CreateRecommendationRequest r;
  r.mutable_recommendation()->mutable_addressee()->set_kind(v1::Addressee::KIND_COMMISSION);
  r.mutable_recommendation()->mutable_addressee()->set_institution("institutions/x");
  r.mutable_recommendation()->add_forms(tv1::FORM_OF_EXPLOITATION_UNSPECIFIED);
  r.mutable_recommendation()->set_issuing_report("annual-2024");
  std::vector<std::string> fields =
      testing::ViolatedFields(book_->Create(AuditActor::Internal(), r).status());
  EXPECT_THAT(fields, Contains("recommendation.text"));
  EXPECT_THAT(fields, Contains("recommendation.addressee.institution"));
  EXPECT_THAT(fields, Contains("recommendation.forms[0]"));
  EXPECT_THAT(fields, Contains("recommendation.issuing_report"));
  v1::CreateRecommendationRequest ghost;
  ghost.mutable_recommendation()->set_text("x");
  ghost.mutable_recommendation()->mutable_addressee()->set_kind(v1::Addressee::KIND_INSTITUTION);
  ghost.mutable_recommendation()->mutable_addressee()->set_institution("institutions/ghost");
  EXPECT_EQ(book_->Create(AuditActor::Internal(), ghost).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ghost.mutable_recommendation()->set_issuing_report("reports/none");
  ghost.mutable_recommendation()->mutable_addressee()->set_institution(
      "institutions/labour-inspectorate");
  EXPECT_EQ(book_->Create(AuditActor::Internal(), ghost).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(book_->List({})->recommendations_size(), 0);
}

}  // namespace
}  // namespace thb::rapporteur
