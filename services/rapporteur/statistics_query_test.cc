#include "services/rapporteur/statistics_query.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nlohmann/json.hpp"
#include "services/common/testing/test_support.h"
#include "services/rapporteur/testing/domain_fixtures.h"

namespace thb::rapporteur {
namespace {

namespace tv1 = ::thb::type::v1;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class QueryTest : public StatisticsTest {
 protected:
  static v1::QueryStatisticsRequest BySex() {
    v1::QueryStatisticsRequest q;
    q.add_group_by(v1::DIMENSION_SEX);
    return q;
  }
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
  ASSERT_TRUE(populations_->Create(AuditActor::Internal(), pop).ok());
  v1::QueryStatisticsRequest q;
  q.add_group_by(v1::DIMENSION_REGION);
  q.add_group_by(v1::DIMENSION_YEAR);
  q.set_include_rates(true);
  v1::QueryStatisticsResponse r = Query(public_, q);
  ASSERT_EQ(r.cells_size(), 2);
  EXPECT_DOUBLE_EQ(r.cells(0).rate_per_100k(), 2.0);
  EXPECT_DOUBLE_EQ(r.cells(1).rate_per_100k(), 2.0);
}

// The GLOTIP export adds a rate row after each count row whose area and year have a population;
// a withheld count gives a withheld rate.
TEST_F(QueryTest, ExportsRatesOnRequest) {
  Submit("institutions/police", 2023, {{0, 0, "AT-1", 30}, {0, 0, "AT-2", 12}});
  v1::CreatePopulationTableRequest pop;
  pop.mutable_population_table()->set_source("National statistics office");
  auto* e = pop.mutable_population_table()->add_entries();
  e->set_region("AT-1");
  e->set_year(2023);
  e->set_population(1500000);
  ASSERT_TRUE(populations_->Create(AuditActor::Internal(), pop).ok());
  v1::ExportStatisticsRequest r;
  r.set_include_rates(true);
  const std::string csv = queries_->Export(r)->content();
  EXPECT_THAT(csv, HasSubstr(",Region,AT-1,Total,Total,2023,Counts,30,"));
  EXPECT_THAT(csv, HasSubstr(",Region,AT-1,Total,Total,2023,\"Rate per 100,000 population\",2,"));
  EXPECT_THAT(csv, ::testing::Not(HasSubstr("AT-2,Total,Total,2023,Rate")));  // no population
  EXPECT_THAT(queries_->Export({})->content(), ::testing::Not(HasSubstr("Rate per")));
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
  // UNODC's 13-column long format (the default): a withheld count has an empty VALUE.
  v1::ExportStatisticsResponse glotip = *queries_->Export({});
  EXPECT_EQ(glotip.content_type(), "text/csv; charset=utf-8");
  EXPECT_THAT(glotip.content(),
              ::testing::StartsWith("Country,Iso3_code,Region,Subregion,Indicator,Dimension,"
                                    "Category,Sex,Age,Year,Unit of measurement,VALUE,Source\r\n"));
  EXPECT_THAT(glotip.content(), HasSubstr("Valdoria,XVA,Europe,Southern Europe,Victims identified,"
                                          "Total,Total,Total,Total,2024,Counts,140,"
                                          "National Rapporteur\r\n"));
  EXPECT_THAT(glotip.content(), HasSubstr(",Victims identified,Total,Total,Unknown,Total,2024,"
                                          "Counts,,National Rapporteur\r\n"));
  EXPECT_THAT(glotip.content(), ::testing::Not(HasSubstr(",4,")));

  v1::ExportStatisticsRequest compact;
  compact.set_format(v1::EXPORT_FORMAT_CSV);
  v1::ExportStatisticsResponse csv = *queries_->Export(compact);
  EXPECT_THAT(csv.content(),
              HasSubstr("country,indicator,dimension,category,sex,age,year,unit,value\r\n"));
  EXPECT_THAT(csv.content(),
              HasSubstr("XVA,Victims identified,Total,Total,Total,Total,2024,Counts,140\r\n"));
  EXPECT_THAT(csv.content(),
              HasSubstr("XVA,Victims identified,Total,Total,Female,Total,2024,Counts,100\r\n"));
  EXPECT_THAT(csv.content(), HasSubstr("XVA,Victims identified,Total,Total,Unknown,Total,2024,"
                                       "Counts,suppressed\r\n"));
  EXPECT_THAT(csv.content(), HasSubstr("XVA,Persons convicted,Total,Total,Total,Total,2024,"
                                       "Counts,suppressed\r\n"));
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
  later.set_format(v1::EXPORT_FORMAT_CSV);
  EXPECT_EQ(queries_->Export(later)->content(),
            "country,indicator,dimension,category,sex,age,year,unit,value\r\n");
}

}  // namespace
}  // namespace thb::rapporteur
