// Request ids through the running binaries (coordinator, rapporteur, gateway on SQLite): an id
// belongs to its caller (token subject and institution), so two callers choosing the same id each
// have their write stored and their own answer returned, and a caller reusing its id for a
// different request is told so instead of being handed the first answer (issue 15).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "services/common/auth.h"
#include "services/common/testing/test_support.h"
#include "tests/http_client.h"
#include "tests/process.h"

namespace thb::testing {
namespace {

using json = nlohmann::json;

class RequestIdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_.File("key"), TestKey() + "\n");
    StartedService coordinator =
        StartService(THB_COORDINATOR_BIN, dir_.File("coordinator.db"), dir_.File("key"));
    coordinator_ = std::move(coordinator.process);
    ASSERT_TRUE(coordinator.listening.has_value()) << coordinator_->Output();
    const std::string coordinator_target =
        "--coordinator_target=" + AddressOf(*coordinator.listening);
    StartedService rapporteur = StartService(THB_RAPPORTEUR_BIN, dir_.File("rapporteur.db"),
                                             dir_.File("key"), {coordinator_target});
    rapporteur_ = std::move(rapporteur.process);
    ASSERT_TRUE(rapporteur.listening.has_value()) << rapporteur_->Output();
    gateway_ = std::make_unique<ChildProcess>(
        THB_GATEWAY_BIN,
        std::vector<std::string>{"--listen=127.0.0.1:0", coordinator_target,
                                 "--commission_target=127.0.0.1:1",
                                 "--rapporteur_target=" + AddressOf(*rapporteur.listening)});
    auto line = gateway_->WaitForListening();
    ASSERT_TRUE(line.has_value()) << gateway_->Output();
    gateway_address_ = AddressOf(*line);
    for (const char* id : {"police", "ngo"}) {
      HttpResult r = Http("POST", std::string("/v1/coordinator/institutions?institutionId=") + id,
                          json{{"displayName", id},
                               {"sector", "SECTOR_CIVIL_SOCIETY"},
                               {"kind", "INSTITUTION_KIND_CIVIL_SOCIETY"}}
                              .dump(),
                          Token({roles::kCoordinatorOffice}));
      ASSERT_EQ(r.status, 200) << r.body;
    }
  }

  HttpResult Http(const std::string& method, const std::string& target, const std::string& body,
                  const std::string& token) {
    return HttpCall(gateway_address_, method, target, body, {{"authorization", "Bearer " + token}});
  }

  // A 2024 submission of `institution` with one row of `count` victims identified.
  static std::string Submission(const std::string& institution, int count) {
    return json{{"reportingInstitution", "institutions/" + institution},
                {"period", {{"year", 2024}}},
                {"rows",
                 {{{"indicator", "STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED"},
                   {"form", "FORM_OF_EXPLOITATION_FORCED_LABOUR"},
                   {"count", std::to_string(count)}}}}}
        .dump();
  }

  static std::string Reporter(const std::string& institution, const std::string& subject) {
    return Token({roles::kReportingInstitution}, "institutions/" + institution, absl::Hours(1),
                 subject);
  }

  TempDir dir_;
  std::unique_ptr<ChildProcess> coordinator_;
  std::unique_ptr<ChildProcess> rapporteur_;
  std::unique_ptr<ChildProcess> gateway_;
  std::string gateway_address_;
};

constexpr char kSubmit[] = "/v1/rapporteur/statisticsSubmissions?requestId=stats-2024-annual";

TEST_F(RequestIdTest, ThePoliceAndAnNgoUsingOneRequestIdEachHaveTheirSubmissionStored) {
  HttpResult police = Http("POST", kSubmit, Submission("police", 3), Reporter("police", "officer"));
  ASSERT_EQ(police.status, 200) << police.body;
  // The NGO's user happens to carry the same subject: the institution still tells them apart.
  HttpResult ngo = Http("POST", kSubmit, Submission("ngo", 41), Reporter("ngo", "officer"));
  ASSERT_EQ(ngo.status, 200) << ngo.body;
  const json p = json::parse(police.body), n = json::parse(ngo.body);
  EXPECT_NE(n["name"], p["name"]);
  EXPECT_EQ(n["reportingInstitution"], "institutions/ngo");
  if (n.contains("rows")) {
    EXPECT_EQ(n["rows"][0]["count"], "41") << ngo.body;
  }

  // Each one's retry returns its own first answer and stores nothing more.
  HttpResult police_retry =
      Http("POST", kSubmit, Submission("police", 3), Reporter("police", "officer"));
  ASSERT_EQ(police_retry.status, 200) << police_retry.body;
  EXPECT_EQ(json::parse(police_retry.body)["name"], p["name"]);
  HttpResult ngo_retry = Http("POST", kSubmit, Submission("ngo", 41), Reporter("ngo", "officer"));
  ASSERT_EQ(ngo_retry.status, 200) << ngo_retry.body;
  EXPECT_EQ(json::parse(ngo_retry.body)["name"], n["name"]);

  HttpResult listed =
      Http("GET", "/v1/rapporteur/statisticsSubmissions", "", Token({roles::kRapporteurOffice}));
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(json::parse(listed.body)["statisticsSubmissions"].size(), 2u) << listed.body;
}

TEST_F(RequestIdTest, ReusingOnesOwnRequestIdForADifferentRequestIsInvalidAndWritesNothing) {
  ASSERT_EQ(Http("POST", kSubmit, Submission("police", 3), Reporter("police", "officer")).status,
            200);
  HttpResult changed =
      Http("POST", kSubmit, Submission("police", 4), Reporter("police", "officer"));
  ASSERT_EQ(changed.status, 400) << changed.body;
  const json error = json::parse(changed.body);
  EXPECT_EQ(error["code"], 3);  // INVALID_ARGUMENT
  EXPECT_EQ(error["details"][0]["fieldViolations"][0]["field"], "request_id") << changed.body;
  HttpResult listed =
      Http("GET", "/v1/rapporteur/statisticsSubmissions", "", Token({roles::kRapporteurOffice}));
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(json::parse(listed.body)["statisticsSubmissions"].size(), 1u) << listed.body;
}

TEST_F(RequestIdTest, TwoOfficersOfTheCoordinatorUsingOneRequestIdCreateTwoInstitutions) {
  // Roles without an institution: the subject alone is the caller.
  auto create = [&](const std::string& id, const std::string& subject) {
    return Http("POST", "/v1/coordinator/institutions?institutionId=" + id + "&requestId=inst-1",
                json{{"displayName", id},
                     {"sector", "SECTOR_HEALTH"},
                     {"kind", "INSTITUTION_KIND_GOVERNMENT"}}
                    .dump(),
                Token({roles::kCoordinatorOffice}, "", absl::Hours(1), subject));
  };
  HttpResult first = create("health-ministry", "officer-a");
  ASSERT_EQ(first.status, 200) << first.body;
  HttpResult second = create("labour-ministry", "officer-b");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(json::parse(second.body)["name"], "institutions/labour-ministry");
  EXPECT_EQ(Http("GET", "/v1/coordinator/institutions/labour-ministry", "",
                 Token({roles::kCoordinatorOffice}))
                .status,
            200);
}

}  // namespace
}  // namespace thb::testing
