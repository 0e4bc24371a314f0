#include "services/rapporteur/statistics_ledger.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/errors.h"
#include "services/common/testing/fake_institution_directory.h"
#include "services/common/testing/test_support.h"
#include "services/rapporteur/rapporteur_policy.h"
#include "services/rapporteur/rapporteur_schema.h"
#include "services/rapporteur/rapporteur_service.h"

namespace thb::rapporteur {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class LedgerTest : public ::testing::Test {
 protected:
  // 2025-06-15: statistics for 2025 are allowed, for 2026 not yet.
  LedgerTest() : clock_(absl::FromCivil(absl::CivilDay(2025, 6, 15), absl::UTCTimeZone())) {
    db_ = *OpenDatabase(dir_.File("r.db"));
    EXPECT_TRUE(db_->ApplyMigrations("common", CommonMigrations()).ok());
    EXPECT_TRUE(db_->ApplyMigrations("rapporteur", RapporteurMigrations()).ok());
    directory_.Add("institutions/police");
    ledger_ = std::make_unique<StatisticsLedger>(*db_, clock_, directory_);
    police_.authenticated = true;
    police_.roles = {roles::kReportingInstitution};
    police_.institution = "institutions/police";
  }

  v1::CreateStatisticsSubmissionRequest Submission(int year, int64_t count) {
    v1::CreateStatisticsSubmissionRequest r;
    auto* s = r.mutable_statistics_submission();
    s->set_reporting_institution("institutions/police");
    s->mutable_period()->set_year(year);
    auto* row = s->add_rows();
    row->set_indicator(v1::STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED);
    row->set_form(thb::type::v1::FORM_OF_EXPLOITATION_FORCED_LABOUR);
    row->set_sex(thb::type::v1::SEX_FEMALE);
    row->set_count(count);
    return r;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  testing::FakeInstitutionDirectory directory_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<StatisticsLedger> ledger_;
  Principal police_;
};

TEST_F(LedgerTest, StoresZeroAsACount) {
  absl::StatusOr<v1::StatisticsSubmission> s =
      ledger_->Create(AuditActor::Internal(), police_, Submission(2024, 0));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->version(), 1);
  v1::StatisticsSubmission got = *ledger_->Get(s->name());
  ASSERT_EQ(got.rows_size(), 1);
  EXPECT_EQ(got.rows(0).count(), 0);
}

TEST_F(LedgerTest, ResubmissionMakesANewVersionAndKeepsTheOld) {
  v1::StatisticsSubmission v1s =
      *ledger_->Create(AuditActor::Internal(), police_, Submission(2024, 12));
  v1::StatisticsSubmission v2s =
      *ledger_->Create(AuditActor::Internal(), police_, Submission(2024, 15));
  EXPECT_EQ(v2s.version(), 2);
  EXPECT_EQ(v2s.supersedes(), v1s.name());
  EXPECT_TRUE(ledger_->Get(v1s.name())->superseded());
  EXPECT_EQ(ledger_->Get(v1s.name())->rows(0).count(), 12);
  EXPECT_EQ(ledger_->List({})->statistics_submissions_size(), 1);  // latest only
  v1::ListStatisticsSubmissionsRequest all;
  all.set_include_superseded(true);
  EXPECT_EQ(ledger_->List(all)->statistics_submissions_size(), 2);
  EXPECT_THAT(ledger_->List({})->statistics_submissions(0).rows(), IsEmpty());
}

TEST_F(LedgerTest, RejectsFutureNegativeAndDuplicateRows) {
  v1::CreateStatisticsSubmissionRequest r = Submission(2026, -1);
  *r.mutable_statistics_submission()->add_rows() = r.statistics_submission().rows(0);
  r.mutable_statistics_submission()->mutable_rows(1)->set_count(3);
  auto* other = r.mutable_statistics_submission()->add_rows();
  other->set_indicator(v1::STATISTICAL_INDICATOR_SUSPECTS);
  other->mutable_citizenship()->set_status(thb::type::v1::CITIZENSHIP_STATUS_OTHER_COUNTRY);
  other->set_count(3);
  std::vector<std::string> fields =
      testing::ViolatedFields(ledger_->Create(AuditActor::Internal(), police_, r).status());
  EXPECT_THAT(fields, Contains("statistics_submission.period.year"));
  EXPECT_THAT(fields, Contains("statistics_submission.rows[0].count"));
  EXPECT_THAT(fields, Contains("statistics_submission.rows[1]"));  // duplicate of row 0
  EXPECT_THAT(fields, Contains("statistics_submission.rows[2].citizenship.country_code"));
  EXPECT_EQ(directory_.calls(), 0);
  EXPECT_EQ(ledger_->List({})->statistics_submissions_size(), 0);
}

TEST_F(LedgerTest, InstitutionSubmitsOnlyForItself) {
  directory_.Add("institutions/ngo");
  v1::CreateStatisticsSubmissionRequest r = Submission(2024, 20);
  r.mutable_statistics_submission()->set_reporting_institution("institutions/ngo");
  EXPECT_EQ(ledger_->Create(AuditActor::Internal(), police_, r).status().code(),
            absl::StatusCode::kPermissionDenied);
  Principal office;
  office.authenticated = true;
  office.roles = {roles::kRapporteurOffice};
  EXPECT_TRUE(ledger_->Create(AuditActor::Internal(), office, r).ok());
}

TEST_F(LedgerTest, ReportingInstitutionMustBeRegistered) {
  Principal office;
  office.authenticated = true;
  office.roles = {roles::kRapporteurOffice};
  v1::CreateStatisticsSubmissionRequest r = Submission(2024, 20);
  r.mutable_statistics_submission()->set_reporting_institution("institutions/ghost");
  absl::Status s = ledger_->Create(AuditActor::Internal(), office, r).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("not registered"));
  directory_.SetUnavailable(true);
  EXPECT_EQ(ledger_->Create(AuditActor::Internal(), police_, Submission(2024, 1)).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(RapporteurPolicy, CoversEveryRpcExactly) {
  const auto& service = RapporteurServer::Descriptor();
  EXPECT_THAT(RapporteurPolicy().MissingMethods(service), IsEmpty());
  EXPECT_THAT(RapporteurPolicy().UnknownMethods(service), IsEmpty());
}

}  // namespace
}  // namespace thb::rapporteur
