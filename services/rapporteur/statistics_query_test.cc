#include "services/rapporteur/statistics_query.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nlohmann/json.hpp"
#include "services/common/testing/fake_institution_directory.h"
#include "services/common/testing/test_support.h"
#include "services/rapporteur/rapporteur_schema.h"
#include "services/rapporteur/statistics_ledger.h"

namespace thb::rapporteur {
namespace {

namespace tv1 = ::thb::type::v1;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr auto kIdentified = v1::STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED;

class QueryTest : public ::testing::Test {
 protected:
  QueryTest() : clock_(absl::FromCivil(absl::CivilDay(2025, 6, 15), absl::UTCTimeZone())) {
    db_ = *OpenDatabase(dir_.File("r.db"));
    EXPECT_TRUE(db_->ApplyMigrations("common", CommonMigrations()).ok());
    EXPECT_TRUE(db_->ApplyMigrations("rapporteur", RapporteurMigrations()).ok());
    directory_.Add("institutions/police");
    directory_.Add("institutions/ngo");
    ledger_ = std::make_unique<StatisticsLedger>(*db_, clock_, directory_);
    queries_ = std::make_unique<StatisticsQueries>(*db_, clock_, StatisticsConfig{10, "XVA"});
    office_.authenticated = true;
    office_.roles = {roles::kRapporteurOffice};
    analyst_.authenticated = true;
    analyst_.roles = {roles::kRapporteurAnalyst};
  }

  struct R {
    int32_t sex = 0;
    int32_t age = 0;
    std::string region;
    int64_t count = 0;
    v1::StatisticalIndicator indicator = kIdentified;
  };
  v1::StatisticsSubmission Submit(const std::string& institution, int year, std::vector<R> rows,
                                  int quarter = 0) {
    v1::CreateStatisticsSubmissionRequest req;
    auto* s = req.mutable_statistics_submission();
    s->set_reporting_institution(institution);
    s->mutable_period()->set_year(year);
    s->mutable_period()->set_quarter(quarter);
    for (const R& r : rows) {
      auto* row = s->add_rows();
      row->set_indicator(r.indicator);
      row->set_sex(static_cast<tv1::Sex>(r.sex));
      row->set_age_group(static_cast<tv1::AgeGroup>(r.age));
      row->set_region(r.region);
      row->set_count(r.count);
    }
    absl::StatusOr<v1::StatisticsSubmission> out =
        ledger_->Create(AuditActor::Internal(), office_, req);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : v1::StatisticsSubmission();
  }

  v1::QueryStatisticsResponse Query(const Principal& who, v1::QueryStatisticsRequest req) {
    absl::StatusOr<v1::QueryStatisticsResponse> out = queries_->Query(who, req);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : v1::QueryStatisticsResponse();
  }
  static v1::QueryStatisticsRequest BySex() {
    v1::QueryStatisticsRequest q;
    q.add_group_by(v1::DIMENSION_SEX);
    return q;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  testing::FakeInstitutionDirectory directory_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<StatisticsLedger> ledger_;
  std::unique_ptr<StatisticsQueries> queries_;
  Principal office_, analyst_, public_;
};

TEST_F(QueryTest, PublicCallersSeeSmallCellsSuppressedWithAPartnerAndAnalystsSeeEverything) {
  // total 140 = female 100 + male 36 + unknown 4
  Submit("institutions/police", 2024,
         {{0, 0, "", 140}, {1, 0, "", 100}, {2, 0, "", 36}, {4, 0, "", 4}});
  v1::QueryStatisticsResponse pub = Query(public_, BySex());
  EXPECT_EQ(pub.suppression_threshold(), 10);
  ASSERT_EQ(pub.cells_size(), 3);
  EXPECT_EQ(pub.cells(0).sex(), tv1::SEX_FEMALE);
  EXPECT_EQ(pub.cells(0).count(), 100);
  EXPECT_TRUE(pub.cells(1).suppressed());  // male: the complementary suppression
  EXPECT_FALSE(pub.cells(1).has_count());
  EXPECT_TRUE(pub.cells(2).suppressed());  // unknown: 4 < 10
  EXPECT_FALSE(pub.cells(2).has_count());
  ASSERT_TRUE(pub.has_total());
  EXPECT_EQ(pub.total(), 140);  // the reported total; 140 - 100 leaves two unknowns

  v1::QueryStatisticsResponse exact = Query(analyst_, BySex());
  EXPECT_EQ(exact.suppression_threshold(), 0);
  ASSERT_EQ(exact.cells_size(), 3);
  EXPECT_EQ(exact.cells(2).count(), 4);
  EXPECT_EQ(exact.total(), 140);
}

TEST_F(QueryTest, OverlappingRegionQueriesCannotBeDifferencedIntoASuppressedRegion) {
  // Regions only (no national total): AT-1 = 50, AT-2 = 3, AT-3 = 70.
  Submit("institutions/police", 2024, {{0, 0, "AT-1", 50}, {0, 0, "AT-2", 3}, {0, 0, "AT-3", 70}});
  v1::QueryStatisticsRequest both;  // AT-1 + AT-2 as one number ...
  both.add_regions("AT-1");
  both.add_regions("AT-2");
  v1::QueryStatisticsRequest one;  // ... minus AT-1 would give AT-2
  one.add_regions("AT-1");
  v1::QueryStatisticsResponse a = Query(public_, both);
  v1::QueryStatisticsResponse b = Query(public_, one);
  ASSERT_EQ(b.cells_size(), 1);
  EXPECT_EQ(b.cells(0).count(), 50);
  ASSERT_EQ(a.cells_size(), 1);
  EXPECT_TRUE(a.cells(0).suppressed());  // includes AT-2, so it is withheld
  EXPECT_TRUE(a.total_suppressed());
  EXPECT_FALSE(a.has_total());
  // All regions at once neither.
  v1::QueryStatisticsRequest all;
  all.add_group_by(v1::DIMENSION_REGION);
  EXPECT_TRUE(Query(public_, all).total_suppressed());
}

TEST_F(QueryTest, TotalMinusCellsAndCoarseMinusFineRevealNothing) {
  // Consistent three-level data: total, by sex, by sex x age. female/child = 2 is small.
  Submit("institutions/police", 2024,
         {{0, 0, "", 120},
          {1, 0, "", 70},
          {2, 0, "", 50},
          {1, 1, "", 2},
          {1, 2, "", 68},
          {2, 1, "", 20},
          {2, 2, "", 30}});
  v1::QueryStatisticsRequest fine = BySex();
  fine.add_group_by(v1::DIMENSION_AGE_GROUP);
  v1::QueryStatisticsResponse coarse = Query(public_, BySex());
  v1::QueryStatisticsResponse detail = Query(public_, fine);
  // female = female/child + female/adult: with female/child suppressed, either female or
  // female/adult must be withheld too, otherwise their difference is the suppressed 2.
  const bool female_published = !coarse.cells(0).suppressed();
  const bool female_adult_published = !detail.cells(1).suppressed();
  EXPECT_TRUE(detail.cells(0).suppressed());
  EXPECT_FALSE(female_published && female_adult_published);
  // And within the age breakdown of children (2 + 20 = 22 at level age), likewise.
  v1::QueryStatisticsRequest children = fine;
  children.add_age_groups(tv1::AGE_GROUP_CHILD);
  v1::QueryStatisticsResponse kids = Query(public_, children);
  int published = 0;
  for (const auto& c : kids.cells()) published += c.suppressed() ? 0 : 1;
  EXPECT_LE(published, 0 + (kids.has_total() ? 0 : 1));
}

TEST_F(QueryTest, GroupingByInstitutionIsForAnalystsOnly) {
  Submit("institutions/police", 2024, {{0, 0, "", 40}});
  Submit("institutions/ngo", 2024, {{0, 0, "", 25}});
  v1::QueryStatisticsRequest q;
  q.add_group_by(v1::DIMENSION_REPORTING_INSTITUTION);
  EXPECT_EQ(queries_->Query(public_, q).status().code(), absl::StatusCode::kPermissionDenied);
  v1::QueryStatisticsResponse r = Query(analyst_, q);
  ASSERT_EQ(r.cells_size(), 2);
  EXPECT_EQ(r.cells(0).reporting_institution(), "institutions/ngo");
  EXPECT_EQ(r.cells(0).count(), 25);
  EXPECT_EQ(r.total(), 65);
}

TEST_F(QueryTest, LatestVersionCountsAndAnnualBeatsQuarters) {
  Submit("institutions/police", 2024, {{0, 0, "", 30}}, 1);
  Submit("institutions/police", 2024, {{0, 0, "", 40}}, 2);
  EXPECT_EQ(Query(public_, {}).total(), 70);
  Submit("institutions/police", 2024, {{0, 0, "", 45}}, 2);  // Q2 corrected
  EXPECT_EQ(Query(public_, {}).total(), 75);
  Submit("institutions/police", 2024, {{0, 0, "", 200}});  // the annual figure replaces quarters
  EXPECT_EQ(Query(public_, {}).total(), 200);
  EXPECT_EQ(Query(analyst_, {}).total(), 200);
}

TEST_F(QueryTest, UnknownIsAbsentAndZeroIsPublished) {
  Submit("institutions/police", 2024, {{0, 0, "", 0}});
  v1::QueryStatisticsResponse r = Query(public_, {});
  ASSERT_EQ(r.cells_size(), 1);
  ASSERT_TRUE(r.cells(0).has_count());
  EXPECT_EQ(r.cells(0).count(), 0);
  // Nobody reported a breakdown by sex: no cells (nothing turned into 0); the total is still
  // the reported total.
  v1::QueryStatisticsResponse by_sex = Query(public_, BySex());
  EXPECT_THAT(by_sex.cells(), IsEmpty());
  EXPECT_EQ(by_sex.total(), 0);
  // Nothing reported for 2023 at all: no cells and no total.
  v1::QueryStatisticsRequest y2023;
  y2023.set_from_year(2023);
  y2023.set_to_year(2023);
  v1::QueryStatisticsResponse none = Query(public_, y2023);
  EXPECT_THAT(none.cells(), IsEmpty());
  EXPECT_FALSE(none.has_total());
  EXPECT_FALSE(none.total_suppressed());
}

TEST_F(QueryTest, RatesPer100kUseTheLatestPopulationForRegionAndYear) {
  Submit("institutions/police", 2023, {{0, 0, "AT-1", 30}, {0, 0, "AT-2", 12}});
  v1::CreatePopulationTableRequest pop;
  pop.mutable_population_table()->set_source("National statistics office");
  auto add = [&](const std::string& region, int64_t n) {
    auto* e = pop.mutable_population_table()->add_entries();
    e->set_region(region);
    e->set_year(2023);
    e->set_population(n);
  };
  add("AT-1", 1500000);
  add("AT-2", 600000);
  ASSERT_TRUE(queries_->CreatePopulationTable(AuditActor::Internal(), pop).ok());
  v1::QueryStatisticsRequest q;
  q.add_group_by(v1::DIMENSION_REGION);
  q.add_group_by(v1::DIMENSION_YEAR);
  q.set_include_rates(true);
  v1::QueryStatisticsResponse r = Query(public_, q);
  ASSERT_EQ(r.cells_size(), 2);
  EXPECT_DOUBLE_EQ(r.cells(0).rate_per_100k(), 2.0);
  EXPECT_DOUBLE_EQ(r.cells(1).rate_per_100k(), 2.0);
  EXPECT_EQ(queries_->ListPopulationTables({})->population_tables_size(), 1);

  v1::CreatePopulationTableRequest bad;
  bad.mutable_population_table()->add_entries()->set_population(-5);
  std::vector<std::string> fields = testing::ViolatedFields(
      queries_->CreatePopulationTable(AuditActor::Internal(), bad).status());
  EXPECT_THAT(fields, Contains("population_table.source"));
  EXPECT_THAT(fields, Contains("population_table.entries[0].population"));
  EXPECT_THAT(fields, Contains("population_table.entries[0].year"));
}

TEST_F(QueryTest, RejectsBadFiltersWithFieldViolations) {
  v1::QueryStatisticsRequest q;
  q.add_sexes(tv1::SEX_UNSPECIFIED);
  q.add_regions("Vienna");
  q.set_from_year(2025);
  q.set_to_year(2020);
  q.add_group_by(v1::DIMENSION_SEX);
  q.add_group_by(v1::DIMENSION_SEX);
  std::vector<std::string> fields = testing::ViolatedFields(queries_->Query(public_, q).status());
  EXPECT_THAT(fields, Contains("sexes[0]"));
  EXPECT_THAT(fields, Contains("regions[0]"));
  EXPECT_THAT(fields, Contains("to_year"));
  EXPECT_THAT(fields, Contains("group_by[1]"));
}

TEST_F(QueryTest, ExportsGlotipLongFormatWithSuppressedCellsMarked) {
  Submit("institutions/police", 2024,
         {{0, 0, "", 140},
          {1, 0, "", 100},
          {2, 0, "", 36},
          {4, 0, "", 4},
          {0, 0, "", 9, v1::STATISTICAL_INDICATOR_PERSONS_CONVICTED}});
  v1::ExportStatisticsResponse csv = *queries_->Export({});
  EXPECT_EQ(csv.content_type(), "text/csv; charset=utf-8");
  EXPECT_THAT(csv.content(),
              HasSubstr("country,indicator,dimension,category,sex,age,year,value\r\n"));
  EXPECT_THAT(csv.content(),
              HasSubstr("XVA,Victims identified,Total,Total,Total,Total,2024,140\r\n"));
  EXPECT_THAT(csv.content(),
              HasSubstr("XVA,Victims identified,Total,Total,Female,Total,2024,100\r\n"));
  EXPECT_THAT(csv.content(),
              HasSubstr("XVA,Victims identified,Total,Total,Unknown,Total,2024,suppressed\r\n"));
  EXPECT_THAT(csv.content(),
              HasSubstr("XVA,Persons convicted,Total,Total,Total,Total,2024,suppressed\r\n"));
  EXPECT_THAT(csv.content(), ::testing::Not(HasSubstr(",4\r\n")));

  v1::ExportStatisticsRequest j;
  j.set_format(v1::EXPORT_FORMAT_JSON);
  nlohmann::json doc = nlohmann::json::parse(queries_->Export(j)->content());
  EXPECT_EQ(doc["suppressionThreshold"], 10);
  int suppressed = 0;
  for (const auto& row : doc["rows"]) {
    if (row["suppressed"].get<bool>()) {
      ++suppressed;
      EXPECT_TRUE(row["value"].is_null());
    }
  }
  EXPECT_EQ(suppressed, 3);  // unknown, male (complementary), convicted
  v1::ExportStatisticsRequest later;
  later.set_from_year(2025);
  EXPECT_EQ(queries_->Export(later)->content(),
            "country,indicator,dimension,category,sex,age,year,value\r\n");
}

TEST_F(QueryTest, SubmissionsCarryDataQualityWarningsWithoutBeingRejected) {
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

TEST_F(QueryTest, BulkSubmissionOf100kRowsIsOneTransaction) {
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
  testing::FakeInstitutionDirectory directory;
  StatisticsLedger ledger(*db, clock, directory);
  ASSERT_TRUE(ledger.IndexStoredSubmissions().ok());
  ASSERT_TRUE(ledger.IndexStoredSubmissions().ok());  // a second start changes nothing
  StatisticsQueries queries(*db, clock, {});
  Principal analyst;
  analyst.authenticated = true;
  analyst.roles = {roles::kRapporteurAnalyst};
  absl::StatusOr<v1::QueryStatisticsResponse> r = queries.Query(analyst, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total(), 42);
}

}  // namespace
}  // namespace thb::rapporteur
