// thbctl's pieces without a server: the CSV reader, the statistics row format (the portal's),
// CloudEvents and the relay's checkpoint. tools/thbctl/test/ runs the tool against the suite.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "services/common/testing/test_support.h"
#include "tools/thbctl/changes.h"
#include "tools/thbctl/csv_reader.h"
#include "tools/thbctl/statistics_csv.h"

namespace thb::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::vector<std::string>> ReadAll(const std::string& path, absl::Status* status) {
  std::vector<std::vector<std::string>> out;
  *status = ForEachRecord(path, [&](const std::vector<std::string>& f, int64_t number) {
    EXPECT_EQ(number, static_cast<int64_t>(out.size()) + 1);
    out.push_back(f);
    return true;
  });
  return out;
}

TEST(CsvReader, QuotedFieldsBlankLinesAndCrlf) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/a.csv";
  testing::WriteFile(path, "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\r\n1,\n");
  absl::Status s;
  auto records = ReadAll(path, &s);
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_EQ(records.size(), 3u);
  EXPECT_THAT(records[1], ElementsAre("x, y", "say \"hi\""));
  EXPECT_THAT(records[2], ElementsAre("1", ""));
}

TEST(CsvReader, MalformedFilesAndMissingFilesAreClearErrors) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/bad.csv";
  testing::WriteFile(path, "a,b\n\"open,1\n");
  absl::Status s;
  ReadAll(path, &s);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("row 2"));
  ReadAll(dir.path() + "/none.csv", &s);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
}

TEST(StatisticsCsv, HeaderNamesKnownColumnsOnce) {
  auto c = ParseStatisticsHeader({"\xef\xbb\xbfindicator", "Sex", "count", "year"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->indicator, 0);
  EXPECT_EQ(c->sex, 1);
  EXPECT_EQ(c->year, 3);
  EXPECT_EQ(c->form, -1);
  EXPECT_FALSE(ParseStatisticsHeader({"indicator", "count", "colour"}).ok());
  EXPECT_FALSE(ParseStatisticsHeader({"indicator", "count", "count"}).ok());
  EXPECT_FALSE(ParseStatisticsHeader({"indicator", "sex"}).ok());
}

TEST(StatisticsCsv, RowsTakeShortOrFullCodesAndTheDefaults) {
  const StatisticsColumns c = *ParseStatisticsHeader(
      {"indicator", "form", "sex", "age_group", "citizenship", "country", "region", "count"});
  RowDefaults d{"police", 2024, 0, 2026};
  std::vector<std::string> problems;
  auto row = ParseStatisticsRecord(c,
                                   {"victims identified", "FORM_OF_EXPLOITATION_FORCED_LABOUR",
                                    "female", "child", "other-country", "ukr", "AT-9", "12"},
                                   2, d, &problems);
  ASSERT_TRUE(row.has_value()) << ::testing::PrintToString(problems);
  EXPECT_EQ(row->group.institution, "institutions/police");
  EXPECT_EQ(row->group.year, 2024);
  EXPECT_EQ(row->row.indicator(), thb::rapporteur::v1::STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED);
  EXPECT_EQ(row->row.form(), thb::type::v1::FORM_OF_EXPLOITATION_FORCED_LABOUR);
  EXPECT_EQ(row->row.citizenship().country_code(), "UKR");
  EXPECT_EQ(row->row.region(), "AT-9");
  EXPECT_EQ(row->row.count(), 12);
  EXPECT_THAT(problems, IsEmpty());
}

TEST(StatisticsCsv, EveryBadFieldIsReportedAsRowFieldReason) {
  const StatisticsColumns c = *ParseStatisticsHeader(
      {"indicator", "sex", "citizenship", "country", "region", "count", "year", "quarter"});
  RowDefaults d{"", 0, 0, 2026};
  std::vector<std::string> problems;
  EXPECT_FALSE(ParseStatisticsRecord(c,
                                     {"", "robot", "national", "FRA", "Vienna", "-3", "2031", "5"},
                                     7, d, &problems)
                   .has_value());
  EXPECT_THAT(problems,
              ElementsAre("row 7: indicator: is required", "row 7: sex: unknown code \"robot\"",
                          "row 7: country: is given only with citizenship OTHER_COUNTRY",
                          "row 7: region: \"Vienna\" is not an ISO 3166-2 code (e.g. AT-9)",
                          "row 7: count: \"-3\" is not a whole number from 0 to 1,000,000,000",
                          "row 7: reporting_institution: is required (a column, or --institution)",
                          "row 7: year: must be from 1990 to 2026",
                          "row 7: quarter: must be 1-4, or 0 or empty for the whole year"));
  problems.clear();
  EXPECT_FALSE(ParseStatisticsRecord(c, {"SUSPECTS", "", "", "", "", "99999999999", "2020", ""}, 3,
                                     {"x", 0, 0, 2026}, &problems)
                   .has_value());
  EXPECT_THAT(problems, ElementsAre(::testing::HasSubstr("row 3: count:")));
}

TEST(StatisticsCsv, FileContentIsQuotedEscapedAndCutWhenPrinted) {
  EXPECT_EQ(Shown("FORCED"), "\"FORCED\"");
  EXPECT_EQ(Shown("\x1b]0;x\x07\"\\"), "\"\\x1b]0;x\\x07\\x22\\x5c\"");
  const std::string shown = Shown(std::string(5000, 'x'));
  EXPECT_LT(shown.size(), 100u);
  EXPECT_THAT(shown, ::testing::EndsWith("(5000 bytes, cut)"));
}

TEST(CloudEvents, StructuredJsonWithIdSourceTypeSubjectAndData) {
  thb::type::v1::AuditEvent e;
  e.set_sequence(42);
  e.set_method("/thb.coordinator.v1.CoordinatorService/CreateInstitution");
  e.set_resource("institutions/police");
  e.mutable_time()->set_seconds(1700000000);
  const nlohmann::json ce = nlohmann::json::parse(CloudEvent("coordinator", e));
  EXPECT_EQ(ce["specversion"], "1.0");
  EXPECT_EQ(ce["id"], "coordinator-42");
  EXPECT_EQ(ce["source"], "/thb-suite/coordinator");
  EXPECT_EQ(ce["type"], "org.thbsuite.coordinator.CreateInstitution");
  EXPECT_EQ(ce["subject"], "institutions/police");
  EXPECT_EQ(ce["time"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(ce["datacontenttype"], "application/json");
  EXPECT_EQ(ce["data"]["sequence"], "42");
}

TEST(Checkpoint, RoundTripsAndRefusesGarbage) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/checkpoint";
  EXPECT_EQ(*ReadCheckpoint(path), 0);  // none yet
  ASSERT_TRUE(WriteCheckpoint(path, 17).ok());
  EXPECT_EQ(*ReadCheckpoint(path), 17);
  ASSERT_TRUE(WriteCheckpoint(path, 18).ok());
  EXPECT_EQ(*ReadCheckpoint(path), 18);
  testing::WriteFile(path, "seventeen");
  EXPECT_FALSE(ReadCheckpoint(path).ok());
}

}  // namespace
}  // namespace thb::ctl
