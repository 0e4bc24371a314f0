#include "services/rapporteur/statistics_ledger.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/errors.h"
#include "services/common/testing/fake_coordinator_client.h"
#include "services/common/testing/test_support.h"
#include "services/rapporteur/rapporteur_schema.h"
#include "services/rapporteur/statistics_query.h"
#include "services/rapporteur/testing/domain_fixtures.h"

namespace thb::rapporteur {
namespace {

namespace tv1 = ::thb::type::v1;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr auto kIdentified = v1::STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED;

class LedgerTest : public StatisticsTest {
 protected:
  LedgerTest() {
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

// validate_only checks everything and stores nothing: no version, no audit, no second version.
TEST_F(LedgerTest, ValidateOnlyChecksAndStoresNothing) {
  v1::CreateStatisticsSubmissionRequest dry = Submission(2024, 7);
  dry.set_validate_only(true);
  absl::StatusOr<v1::StatisticsSubmission> preview =
      ledger_->Create(AuditActor::Internal(), police_, dry);
  ASSERT_TRUE(preview.ok()) << preview.status();
  EXPECT_TRUE(preview->name().empty());
  EXPECT_EQ(preview->version(), 0);
  EXPECT_EQ(preview->rows_size(), 1);
  EXPECT_EQ(ledger_->List({})->statistics_submissions_size(), 0);
  // The same checks as a create: another institution's statistics are refused.
  dry.mutable_statistics_submission()->set_reporting_institution("institutions/other");
  EXPECT_EQ(ledger_->Create(AuditActor::Internal(), police_, dry).status().code(),
            absl::StatusCode::kPermissionDenied);
  dry.mutable_statistics_submission()->set_reporting_institution("institutions/police");
  dry.mutable_statistics_submission()->mutable_rows(0)->set_count(-1);
  EXPECT_EQ(ledger_->Create(AuditActor::Internal(), police_, dry).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ledger_->Create(AuditActor::Internal(), police_, Submission(2024, 7))->version(), 1);
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

TEST_F(LedgerTest, SubmissionsCarryDataQualityWarningsWithoutBeingRejected) {
  v1::StatisticsSubmission s =
      Submit("institutions/police", 2024,
             {{0, 0, "", 50},
              {1, 0, "", 30},
              {2, 0, "", 25},  // 55 > 50
              {0, 0, "", 12, v1::STATISTICAL_INDICATOR_PERSONS_PROSECUTED},
              {0, 0, "", 15, v1::STATISTICAL_INDICATOR_PERSONS_CONVICTED}});
  ASSERT_EQ(s.warnings_size(), 2);
  EXPECT_EQ(s.warnings(0).code(), "BREAKDOWN_EXCEEDS_TOTAL");
  EXPECT_THAT(s.warnings(0).row_indexes(), ::testing::ElementsAre(0, 1, 2));
  EXPECT_EQ(s.warnings(1).code(), "CONVICTED_ABOVE_PROSECUTED");
  EXPECT_THAT(s.warnings(1).row_indexes(), ::testing::ElementsAre(3, 4));
  EXPECT_EQ(ledger_->Get(s.name())->warnings_size(), 2);
}

TEST_F(LedgerTest, BulkSubmissionOf100kRowsIsOneTransaction) {
  v1::CreateStatisticsSubmissionRequest req;
  auto* s = req.mutable_statistics_submission();
  s->set_reporting_institution("institutions/police");
  s->mutable_period()->set_year(2024);
  // 10 forms x 4 sexes x 3 ages x 834 regions-ish combinations: distinct rows via region codes.
  int n = 0;
  for (int region = 0; n < 100000; ++region) {
    for (int form = 1; form <= 10 && n < 100000; ++form) {
      for (int sex = 1; sex <= 4 && n < 100000; ++sex) {
        for (int age = 1; age <= 3 && n < 100000; ++age, ++n) {
          auto* row = s->add_rows();
          row->set_indicator(kIdentified);
          row->set_form(static_cast<tv1::FormOfExploitation>(form));
          row->set_sex(static_cast<tv1::Sex>(sex));
          row->set_age_group(static_cast<tv1::AgeGroup>(age));
          row->set_region(absl::StrCat("XV-", region));
          row->set_count(1);
        }
      }
    }
  }
  // A bad last row rejects the whole submission: nothing is stored.
  s->mutable_rows(99999)->set_count(-1);
  EXPECT_EQ(ledger_->Create(AuditActor::Internal(), office_, req).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Query(analyst_, {}).has_total());
  s->mutable_rows(99999)->set_count(1);
  absl::StatusOr<v1::StatisticsSubmission> ok =
      ledger_->Create(AuditActor::Internal(), office_, req);
  ASSERT_TRUE(ok.ok()) << ok.status();
  v1::QueryStatisticsRequest all_levels;
  all_levels.add_group_by(v1::DIMENSION_FORM);
  all_levels.add_group_by(v1::DIMENSION_SEX);
  all_levels.add_group_by(v1::DIMENSION_AGE_GROUP);
  all_levels.add_group_by(v1::DIMENSION_REGION);
  v1::QueryStatisticsResponse r = Query(analyst_, all_levels);
  EXPECT_EQ(r.cells_size(), 100000);
  EXPECT_EQ(r.total(), 100000);
}

TEST(StoredBeforeRowsTest, SubmissionsFromSchemaVersion1AreIndexedAtStartUp) {
  testing::TempDir dir;
  FakeClock clock(absl::FromCivil(absl::CivilDay(2025, 6, 15), absl::UTCTimeZone()));
  std::unique_ptr<Database> db = *OpenDatabase(dir.File("old.db"));
  ASSERT_TRUE(db->ApplyMigrations("common", CommonMigrations()).ok());
  ASSERT_TRUE(db->ApplyMigrations("rapporteur", RapporteurMigrations().subspan(0, 1)).ok());
  v1::StatisticsSubmission old;
  old.set_reporting_institution("institutions/police");
  old.mutable_period()->set_year(2024);
  auto* row = old.add_rows();
  row->set_indicator(kIdentified);
  row->set_count(42);
  ASSERT_TRUE(
      db->RunInTransaction([&](Transaction& tx) {
          return tx
              .Execute(
                  "INSERT INTO statistics_submissions (id, institution, year, quarter, version, "
                  "superseded, data) VALUES ('old1', 'institutions/police', 2024, 0, 1, 0, $1)",
                  {Blob{old.SerializeAsString()}})
              .status();
        }).ok());
  ASSERT_TRUE(db->ApplyMigrations("rapporteur", RapporteurMigrations()).ok());
  testing::FakeCoordinatorClient directory;
  StatisticsLedger ledger(*db, clock, directory);
  ASSERT_TRUE(ledger.IndexStoredSubmissions().ok());
  ASSERT_TRUE(ledger.IndexStoredSubmissions().ok());  // a second start changes nothing
  StatisticsQueries queries(*db, {});
  Principal analyst;
  analyst.authenticated = true;
  analyst.roles = {roles::kRapporteurAnalyst};
  absl::StatusOr<v1::QueryStatisticsResponse> r = queries.Query(analyst, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total(), 42);
}

}  // namespace
}  // namespace thb::rapporteur
