// Recommendations, reports and the assessment rules, against a temporary database, a fake
// clock and a fake coordinator.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/calendar.h"
#include "services/common/testing/fake_institution_directory.h"
#include "services/common/testing/test_support.h"
#include "services/common/vocabulary.h"
#include "services/rapporteur/architecture_assessment.h"
#include "services/rapporteur/rapporteur_gauges.h"
#include "services/rapporteur/rapporteur_schema.h"
#include "services/rapporteur/recommendations.h"
#include "services/rapporteur/reports.h"

namespace thb::rapporteur {
namespace {

namespace tv1 = ::thb::type::v1;
namespace cov1 = ::thb::coordinator::v1;
namespace cmv1 = ::thb::commission::v1;
using ::testing::Contains;
using ::testing::HasSubstr;

Principal As(std::vector<std::string> roles, std::string institution = "",
             std::string subject = "someone") {
  Principal p;
  p.authenticated = true;
  p.roles = std::move(roles);
  p.institution = std::move(institution);
  p.subject = std::move(subject);
  return p;
}

class DomainTest : public ::testing::Test {
 protected:
  DomainTest() : clock_(absl::FromCivil(absl::CivilDay(2025, 6, 15), absl::UTCTimeZone())) {
    db_ = *OpenDatabase(dir_.File("r.db"));
    EXPECT_TRUE(db_->ApplyMigrations("common", CommonMigrations()).ok());
    EXPECT_TRUE(db_->ApplyMigrations("rapporteur", RapporteurMigrations()).ok());
    coordinator_.Add("institutions/labour-inspectorate");
    coordinator_.AddMeasure("plans/nap/measures/m1");
    book_ = std::make_unique<RecommendationBook>(*db_, clock_, coordinator_);
    shelf_ = std::make_unique<ReportShelf>(*db_, clock_);
  }

  v1::Recommendation Issue(v1::Addressee::Kind kind, const std::string& institution = "",
                           absl::CivilDay due = absl::CivilDay(2025, 12, 31)) {
    v1::CreateRecommendationRequest r;
    r.mutable_recommendation()->set_text("Fund specialised shelters for male victims");
    r.mutable_recommendation()->mutable_addressee()->set_kind(kind);
    r.mutable_recommendation()->mutable_addressee()->set_institution(institution);
    r.mutable_recommendation()->set_pillar(tv1::PILLAR_PROTECTION);
    r.mutable_recommendation()->set_priority(v1::PRIORITY_HIGH);
    *r.mutable_recommendation()->mutable_due_date() = ToDate(due);
    absl::StatusOr<v1::Recommendation> out = book_->Create(AuditActor::Internal(), r);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : v1::Recommendation();
  }
  v1::RespondToRecommendationRequest Response(const std::string& name,
                                              const std::string& measure = "") {
    v1::RespondToRecommendationRequest r;
    r.set_name(name);
    r.set_position(v1::RESPONSE_POSITION_PARTIALLY_ACCEPTED);
    r.set_planned_actions("Two shelters in 2026");
    r.set_linked_measure(measure);
    return r;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  testing::FakeInstitutionDirectory coordinator_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<RecommendationBook> book_;
  std::unique_ptr<ReportShelf> shelf_;
};

TEST_F(DomainTest, OnlyTheAddresseeResponds) {
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

TEST_F(DomainTest, LinkedMeasureIsCheckedAtTheCoordinator) {
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

TEST_F(DomainTest, FollowUpHistoryIsKeptAndOverdueMeansPastDueWithoutImplemented) {
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

TEST_F(DomainTest, RecommendationValidationNamesFieldsAndChecksTheInstitution) {
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

v1::CreateReportRequest Draft(const std::string& title, const std::string& supersedes = "") {
  v1::CreateReportRequest r;
  r.mutable_report()->set_kind(v1::Report::KIND_ANNUAL);
  r.mutable_report()->set_title(title);
  r.mutable_report()->set_year(2024);
  r.mutable_report()->set_content("# Findings\r\nIdentification rose.");
  r.mutable_report()->set_supersedes(supersedes);
  return r;
}

TEST_F(DomainTest, PublishingFreezesAReportWithItsHashAndANewVersionSupersedesIt) {
  const Principal office = As({roles::kRapporteurOffice});
  const Principal anyone = As({});
  v1::Report draft = *shelf_->Create(AuditActor::Internal(), Draft("Annual report 2024"));
  EXPECT_EQ(draft.state(), v1::Report::STATE_DRAFT);
  EXPECT_EQ(shelf_->Get(anyone, draft.name()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(shelf_->List(anyone, {})->reports_size(), 0);
  EXPECT_EQ(shelf_->List(office, {})->reports_size(), 1);

  v1::PublishReportRequest publish;
  publish.set_name(draft.name());
  publish.set_etag("\"stale\"");
  EXPECT_EQ(shelf_->Publish(AuditActor::Internal(), publish).status().code(),
            absl::StatusCode::kAborted);
  publish.set_etag(draft.etag());
  v1::Report published = *shelf_->Publish(AuditActor::Internal(), publish);
  EXPECT_EQ(published.state(), v1::Report::STATE_PUBLISHED);
  EXPECT_EQ(published.version(), 1);
  EXPECT_EQ(published.content_sha256().size(), 64u);
  EXPECT_EQ(published.content_sha256(), CanonicalReportSha256(published));
  // The hash is of the canonical content: CR LF and LF give the same.
  v1::Report lf = published;
  lf.set_content("# Findings\nIdentification rose.");
  EXPECT_EQ(CanonicalReportSha256(lf), published.content_sha256());
  lf.set_content("# Findings\nIdentification fell.");
  EXPECT_NE(CanonicalReportSha256(lf), published.content_sha256());
  EXPECT_EQ(shelf_->Get(anyone, draft.name())->content_sha256(), published.content_sha256());

  v1::UpdateReportRequest edit;
  edit.mutable_report()->set_name(published.name());
  edit.mutable_report()->set_content("rewritten");
  edit.mutable_update_mask()->add_paths("content");
  absl::Status frozen = shelf_->Update(AuditActor::Internal(), edit).status();
  EXPECT_EQ(frozen.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(frozen.message(), HasSubstr("STATE_PUBLISHED"));
  publish.clear_etag();
  EXPECT_EQ(shelf_->Publish(AuditActor::Internal(), publish).status().code(),
            absl::StatusCode::kFailedPrecondition);

  EXPECT_EQ(shelf_->Create(AuditActor::Internal(), Draft("Corrigendum", draft.name() + "x"))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  v1::Report second = *shelf_->Create(AuditActor::Internal(),
                                      Draft("Annual report 2024 (revised)", published.name()));
  publish.set_name(second.name());
  v1::Report v2 = *shelf_->Publish(AuditActor::Internal(), publish);
  EXPECT_EQ(v2.version(), 2);
  EXPECT_NE(v2.content_sha256(), published.content_sha256());  // the title changed
  v1::Report old = *shelf_->Get(anyone, published.name());
  EXPECT_EQ(old.state(), v1::Report::STATE_SUPERSEDED);
  EXPECT_EQ(old.content_sha256(), published.content_sha256());
  // Superseding an already superseded report is refused.
  EXPECT_EQ(
      shelf_->Create(AuditActor::Internal(), Draft("Third", published.name())).status().code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST_F(DomainTest, GaugesCountFollowUpOverdueAndPublished) {
  v1::Recommendation late = Issue(v1::Addressee::KIND_COORDINATOR, "", absl::CivilDay(2025, 1, 31));
  Issue(v1::Addressee::KIND_COMMISSION);
  v1::AssessRecommendationFollowUpRequest a;
  a.set_name(late.name());
  a.set_status(v1::IMPLEMENTATION_STATUS_NOT_STARTED);
  a.set_rationale("Nothing yet");
  ASSERT_TRUE(
      book_->AssessFollowUp(AuditActor::Internal(), As({roles::kRapporteurOffice}), a).ok());
  v1::Report draft = *shelf_->Create(AuditActor::Internal(), Draft("Annual report 2024"));
  v1::PublishReportRequest publish;
  publish.set_name(draft.name());
  ASSERT_TRUE(shelf_->Publish(AuditActor::Internal(), publish).ok());
  std::map<std::string, double> g = testing::GaugeValues(RapporteurGauges(*db_, clock_));
  EXPECT_EQ(g["thb_recommendations{IMPLEMENTATION_STATUS_NOT_STARTED}"], 1);
  EXPECT_EQ(g["thb_recommendations{IMPLEMENTATION_STATUS_UNSPECIFIED}"], 1);
  EXPECT_EQ(g["thb_recommendations{IMPLEMENTATION_STATUS_IMPLEMENTED}"], 0);
  EXPECT_EQ(g["thb_recommendations_overdue"], 1);  // due 2025-01-31, today 2025-06-15
  EXPECT_EQ(g["thb_reports_published"], 1);
  EXPECT_EQ(g["thb_statistics_submissions"], 0);
}

// --- the assessment rules -------------------------------------------------------------------

ArchitectureFacts GoodArchitecture() {
  ArchitectureFacts f;
  f.today = absl::CivilDay(2025, 6, 15);
  cov1::Mandate m;
  m.set_institution("institutions/office-pm");
  m.set_holder_title("State Secretary");
  m.set_government_level(cov1::GOVERNMENT_LEVEL_STATE_SECRETARY);
  for (tv1::FormOfExploitation form : ConcreteForms()) m.add_forms_in_scope(form);
  f.mandate = m;
  cov1::Institution inst;
  inst.set_name("institutions/office-pm");
  inst.set_sector(tv1::SECTOR_GOVERNMENT_POLICY);
  f.coordinator_institution = inst;
  f.plan = "plans/nap";
  f.coverage = cov1::CoverageAnalysis();
  cmv1::Commission c;
  c.set_chair_institution("institutions/office-pm");
  f.commission = c;
  std::vector<cmv1::Member> members(2);
  members[0].set_seat(cmv1::SEAT_CIVIL_SOCIETY);
  members[1].set_seat(cmv1::SEAT_SURVIVOR_LEADER);
  f.members = members;
  f.consultations = std::vector<cmv1::Consultation>(1);
  f.rapporteur_institution = "institutions/ombudsperson";
  return f;
}

std::vector<v1::CriterionStatus> Statuses(const ArchitectureFacts& f) {
  std::vector<v1::CriterionStatus> out;
  for (const auto& r : AssessArchitecture(f)) out.push_back(r.status());
  return out;
}

constexpr auto kMet = v1::CRITERION_STATUS_MET;
constexpr auto kPartly = v1::CRITERION_STATUS_PARTIALLY_MET;
constexpr auto kNot = v1::CRITERION_STATUS_NOT_MET;
constexpr auto kUnknown = v1::CRITERION_STATUS_UNKNOWN;

TEST(AssessmentRules, AGoodArchitectureMeetsAllFive) {
  std::vector<v1::CriterionResult> r = AssessArchitecture(GoodArchitecture());
  ASSERT_EQ(r.size(), 5u);
  for (const auto& c : r) {
    EXPECT_EQ(c.status(), kMet) << v1::Criterion_Name(c.criterion());
    EXPECT_FALSE(c.evidence().empty());
  }
}

TEST(AssessmentRules, EachCriterionReactsToItsOwnFacts) {
  ArchitectureFacts f = GoodArchitecture();
  f.mandate->set_government_level(cov1::GOVERNMENT_LEVEL_SENIOR_OFFICIAL);
  f.rapporteur_institution = "institutions/office-pm";  // the Co-ordinator is its own rapporteur
  f.mandate->clear_forms_in_scope();
  f.mandate->add_forms_in_scope(tv1::FORM_OF_EXPLOITATION_SEXUAL_EXPLOITATION);
  f.coordinator_institution->set_sector(tv1::SECTOR_LAW_ENFORCEMENT);
  f.consultations->clear();
  EXPECT_EQ(Statuses(f),
            (std::vector<v1::CriterionStatus>{kPartly, kPartly, kPartly, kNot, kPartly}));

  f.mandate->set_government_level(cov1::GOVERNMENT_LEVEL_HEAD_OF_UNIT);
  f.commission->set_chair_institution("institutions/ngo");
  f.coverage->add_mandate_forms_not_covered(tv1::FORM_OF_EXPLOITATION_SEXUAL_EXPLOITATION);
  f.members->clear();
  EXPECT_EQ(Statuses(f), (std::vector<v1::CriterionStatus>{kNot, kNot, kNot, kNot, kNot}));
}

TEST(AssessmentRules, MissingDataAndUnreachableServicesAreUnknownNeverAGuess) {
  ArchitectureFacts f = GoodArchitecture();
  f.commission = absl::UnavailableError("the commission is unreachable");
  f.members = absl::UnavailableError("the commission is unreachable");
  f.consultations = absl::UnavailableError("the commission is unreachable");
  EXPECT_EQ(Statuses(f), (std::vector<v1::CriterionStatus>{kMet, kUnknown, kMet, kMet, kUnknown}));
  EXPECT_THAT(AssessArchitecture(f)[1].evidence(0), HasSubstr("unreachable"));

  ArchitectureFacts g = GoodArchitecture();
  g.mandate = absl::UnavailableError("the coordinator is unreachable");
  g.coordinator_institution = g.mandate.status();
  g.coverage = g.mandate.status();
  EXPECT_EQ(Statuses(g),
            (std::vector<v1::CriterionStatus>{kUnknown, kUnknown, kUnknown, kUnknown, kMet}));

  ArchitectureFacts h = GoodArchitecture();
  h.mandate->set_government_level(cov1::GOVERNMENT_LEVEL_UNSPECIFIED);
  h.rapporteur_institution.clear();
  h.plan.clear();
  h.coordinator_institution->set_sector(tv1::SECTOR_UNSPECIFIED);
  EXPECT_EQ(Statuses(h),
            (std::vector<v1::CriterionStatus>{kUnknown, kUnknown, kUnknown, kUnknown, kMet}));

  ArchitectureFacts expired = GoodArchitecture();
  *(*expired.members)[1].mutable_term_end() = ToDate(absl::CivilDay(2025, 1, 1));  // seat ended
  EXPECT_EQ(Statuses(expired)[4], kPartly);
}

}  // namespace
}  // namespace thb::rapporteur
