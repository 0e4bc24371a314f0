// Issue 15's three attacks on disclosure control, through the real binaries: the public (no
// token) and a reporting institution (its own token) query the gateway over HTTP, do the
// arithmetic an attacker would, and must not arrive at the small count.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "absl/strings/str_cat.h"
#include "services/common/auth.h"
#include "services/common/testing/test_support.h"
#include "tests/http_client.h"
#include "tests/process.h"

namespace thb::testing {
namespace {

using json = nlohmann::json;

class DisclosureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    WriteFile(dir_->File("key"), TestKey() + "\n");
    coordinator_ = Start(THB_COORDINATOR_BIN, "coordinator", {});
    rapporteur_ = Start(THB_RAPPORTEUR_BIN, "rapporteur",
                        {"--coordinator_target=" + AddressOf(rapporteur_listening(coordinator_)),
                         "--disclosure_threshold=10"});
    gateway_ = new std::unique_ptr<ChildProcess>(std::make_unique<ChildProcess>(
        THB_GATEWAY_BIN,
        std::vector<std::string>{
            "--listen=127.0.0.1:0",
            "--coordinator_target=" + AddressOf(rapporteur_listening(coordinator_)),
            "--commission_target=127.0.0.1:1",
            "--rapporteur_target=" + AddressOf(rapporteur_listening(rapporteur_))}));
    auto line = (*gateway_)->WaitForListening();
    ASSERT_TRUE(line.has_value()) << (*gateway_)->Output();
    gateway_address_ = new std::string(AddressOf(*line));
    for (const char* id : {"police", "ngo"}) {
      HttpResult r = Http("POST", absl::StrCat("/v1/coordinator/institutions?institutionId=", id),
                          json{{"displayName", id},
                               {"sector", "SECTOR_CIVIL_SOCIETY"},
                               {"kind", "INSTITUTION_KIND_CIVIL_SOCIETY"}}
                              .dump(),
                          Token({roles::kCoordinatorOffice}));
      ASSERT_EQ(r.status, 200) << r.body;
    }
  }

  static void TearDownTestSuite() {
    delete gateway_;
    delete rapporteur_;
    delete coordinator_;
    delete gateway_address_;
    delete dir_;
  }

  static StartedService* Start(const char* binary, const std::string& name,
                               std::vector<std::string> extra) {
    auto* s = new StartedService(
        StartService(binary, dir_->File(name + ".db"), dir_->File("key"), std::move(extra)));
    EXPECT_TRUE(s->listening.has_value()) << name << ": " << s->process->Output();
    return s;
  }
  static const json& rapporteur_listening(StartedService* s) {
    static const json none;
    return s->listening ? *s->listening : none;
  }

  static HttpResult Http(const std::string& method, const std::string& target,
                         const std::string& body, const std::string& token = "") {
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["authorization"] = "Bearer " + token;
    return HttpCall(*gateway_address_, method, target, body, headers);
  }

  static std::string Institution(const std::string& id) {
    return Token({roles::kReportingInstitution}, "institutions/" + id);
  }

  // Rows are (indicator, sex, age, count) with 0 for "not disaggregated".
  struct Row {
    std::string indicator;
    std::string sex, age;
    int64_t count;
  };
  static void Submit(const std::string& id, int year, const std::vector<Row>& rows) {
    json body = {{"reportingInstitution", "institutions/" + id},
                 {"period", {{"year", year}}},
                 {"rows", json::array()}};
    for (const Row& r : rows) {
      json row = {{"indicator", "STATISTICAL_INDICATOR_" + r.indicator},
                  {"count", std::to_string(r.count)}};
      if (!r.sex.empty()) row["sex"] = "SEX_" + r.sex;
      if (!r.age.empty()) row["ageGroup"] = "AGE_GROUP_" + r.age;
      body["rows"].push_back(row);
    }
    HttpResult r =
        Http("POST", "/v1/rapporteur/statisticsSubmissions", body.dump(), Institution(id));
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // What a query published: each cell's count by "SEX/AGE" ("" for not grouped), and the total.
  struct Published {
    std::map<std::string, std::optional<int64_t>> cells;
    std::optional<int64_t> total;
  };
  static Published Query(const std::string& indicator, int year,
                         const std::vector<std::string>& group_by, const std::string& token = "") {
    json q = {{"indicators", {"STATISTICAL_INDICATOR_" + indicator}},
              {"fromYear", year},
              {"toYear", year},
              {"groupBy", group_by},
              {"includeRates", true}};
    HttpResult r = Http("POST", "/v1/rapporteur/statistics:query", q.dump(), token);
    EXPECT_EQ(r.status, 200) << r.body;
    const json doc = json::parse(r.body);
    Published p;
    for (const json& c : doc.value("cells", json::array())) {
      const std::string key = absl::StrCat(c.value("sex", ""), "/", c.value("ageGroup", ""));
      if (c.value("suppressed", false)) {
        EXPECT_FALSE(c.contains("count")) << c.dump();
        EXPECT_FALSE(c.contains("ratePer100k")) << c.dump();
        p.cells[key] = std::nullopt;
      } else {
        p.cells[key] = std::stoll(c.value("count", "0"));
      }
    }
    if (doc.contains("total")) p.total = std::stoll(doc["total"].get<std::string>());
    return p;
  }

  static TempDir* dir_;
  static StartedService* coordinator_;
  static StartedService* rapporteur_;
  static std::unique_ptr<ChildProcess>* gateway_;
  static std::string* gateway_address_;
};

TempDir* DisclosureTest::dir_ = nullptr;
StartedService* DisclosureTest::coordinator_ = nullptr;
StartedService* DisclosureTest::rapporteur_ = nullptr;
std::unique_ptr<ChildProcess>* DisclosureTest::gateway_ = nullptr;
std::string* DisclosureTest::gateway_address_ = nullptr;

// a) A total of 128 and a sex x age table without margins: total - (40 + 25 + 60) = 3.
TEST_F(DisclosureTest, PublicCannotSubtractATwoWayTableFromANonAdjacentTotal) {
  Submit("police", 2022,
         {{"VICTIMS_IDENTIFIED", "", "", 128},
          {"VICTIMS_IDENTIFIED", "FEMALE", "CHILD", 3},
          {"VICTIMS_IDENTIFIED", "FEMALE", "ADULT", 40},
          {"VICTIMS_IDENTIFIED", "MALE", "CHILD", 25},
          {"VICTIMS_IDENTIFIED", "MALE", "ADULT", 60}});
  const Published p = Query("VICTIMS_IDENTIFIED", 2022, {"DIMENSION_SEX", "DIMENSION_AGE_GROUP"});
  ASSERT_EQ(p.cells.size(), 4u);
  EXPECT_FALSE(p.cells.at("SEX_FEMALE/AGE_GROUP_CHILD").has_value());
  // The attacker's derivation: the total minus every other published cell.
  std::optional<int64_t> derived = p.total;
  for (const auto& [key, count] : p.cells) {
    if (key == "SEX_FEMALE/AGE_GROUP_CHILD" || !derived) continue;
    derived = count ? std::optional<int64_t>(*derived - *count) : std::nullopt;
  }
  EXPECT_FALSE(derived.has_value()) << "derived the suppressed cell: " << *derived;
  // The reported total itself, queried ungrouped, does not complete the equation either.
  const Published total = Query("VICTIMS_IDENTIFIED", 2022, {});
  const Published by_sex =
      Query("VICTIMS_IDENTIFIED", 2022, {"DIMENSION_SEX", "DIMENSION_AGE_GROUP"});
  int published = 0;
  for (const auto& [key, count] : by_sex.cells) published += count ? 1 : 0;
  EXPECT_FALSE(total.total.has_value() && published == 3);
}

// b) The police's 60 = 20 + 40 and an NGO's undisaggregated 3: 63 - 20 - 40 = 3.
TEST_F(DisclosureTest, PublicCannotIsolateAnotherInstitutionsUndisaggregatedTotal) {
  Submit("police", 2023,
         {{"PERSONS_PROSECUTED", "", "", 60},
          {"PERSONS_PROSECUTED", "FEMALE", "", 20},
          {"PERSONS_PROSECUTED", "MALE", "", 40}});
  Submit("ngo", 2023, {{"PERSONS_PROSECUTED", "", "", 3}});
  const Published p = Query("PERSONS_PROSECUTED", 2023, {"DIMENSION_SEX"});
  const Published t = Query("PERSONS_PROSECUTED", 2023, {});
  std::optional<int64_t> total = p.total ? p.total : t.total;
  std::optional<int64_t> derived = total;
  for (const auto& [key, count] : p.cells) {
    derived = derived && count ? std::optional<int64_t>(*derived - *count) : std::nullopt;
  }
  EXPECT_FALSE(derived.has_value()) << "derived the NGO's count: " << *derived;
}

// c) The police, an insider, put 100 where the NGO has 3, subtract its own 100 from what is
// published, then resubmit (zeros, then everything moved to the males) and difference the
// generations: the NGO's part is never derivable.
TEST_F(DisclosureTest, AnInsiderCannotSubtractItselfOutNorDifferenceItsResubmissions) {
  const std::string police = Institution("police");
  Submit("ngo", 2024,
         {{"VICTIMS_ASSISTED", "", "", 8},
          {"VICTIMS_ASSISTED", "FEMALE", "", 3},
          {"VICTIMS_ASSISTED", "MALE", "", 5}});
  // The NGO's part of each cell ("" = the total), as the police can learn it: published - own.
  std::map<std::string, int64_t> learned;
  auto observe = [&](int64_t own_total, int64_t own_female, int64_t own_male) {
    const Published p = Query("VICTIMS_ASSISTED", 2024, {"DIMENSION_SEX"}, police);
    const Published t = Query("VICTIMS_ASSISTED", 2024, {}, police);
    if (t.total) learned[""] = *t.total - own_total;
    const std::map<std::string, int64_t> own = {{"SEX_FEMALE/", own_female},
                                                {"SEX_MALE/", own_male}};
    for (const auto& [key, count] : p.cells) {
      if (count) learned[key] = *count - own.at(key);
    }
    EXPECT_FALSE((learned.count("SEX_FEMALE/") > 0))
        << "read the NGO's females: " << learned["SEX_FEMALE/"];
    if ((learned.count("") > 0) && (learned.count("SEX_MALE/") > 0)) {
      ADD_FAILURE() << "total - males across generations = the NGO's females: "
                    << learned[""] - learned["SEX_MALE/"];
    }
  };
  Submit("police", 2024,
         {{"VICTIMS_ASSISTED", "", "", 150},
          {"VICTIMS_ASSISTED", "FEMALE", "", 100},
          {"VICTIMS_ASSISTED", "MALE", "", 50}});
  observe(150, 100, 50);
  Submit("police", 2024,
         {{"VICTIMS_ASSISTED", "", "", 0},
          {"VICTIMS_ASSISTED", "FEMALE", "", 0},
          {"VICTIMS_ASSISTED", "MALE", "", 0}});
  observe(0, 0, 0);
  Submit("police", 2024,
         {{"VICTIMS_ASSISTED", "", "", 100},
          {"VICTIMS_ASSISTED", "FEMALE", "", 0},
          {"VICTIMS_ASSISTED", "MALE", "", 100}});
  observe(100, 0, 100);
  // The export says the same.
  HttpResult csv =
      Http("GET", "/v1/rapporteur/statistics:export?format=EXPORT_FORMAT_GLOTIP_CSV", "", police);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_THAT(json::parse(csv.body)["content"].get<std::string>(),
              ::testing::HasSubstr("Victims assisted,Total,Total,Female,Total,2024,Counts,,"));
}

TEST_F(DisclosureTest, ACountThatCouldOverflowASumIsRejected) {
  const std::string body =
      R"({"reportingInstitution":"institutions/police","period":{"year":2021},"rows":[)"
      R"({"indicator":"STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED","count":"4611686018427387905"}]})";
  HttpResult r = Http("POST", "/v1/rapporteur/statisticsSubmissions", body, Institution("police"));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_THAT(r.body, ::testing::HasSubstr("statistics_submission.rows[0].count"));
}

}  // namespace
}  // namespace thb::testing
