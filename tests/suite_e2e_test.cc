// End to end: the four real binaries as processes on free ports with temp SQLite files; the
// institutions/members/submissions slice driven through the gateway over HTTP and once
// directly over gRPC; health, metrics, an unreachable coordinator, and graceful shutdown.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/auth.h"
#include "services/common/testing/postgres_server.h"
#include "services/common/testing/test_support.h"
#include "tests/demo_data.h"
#include "tests/http_client.h"
#include "tests/process.h"
#include "thb/commission/v1/commission.grpc.pb.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"

namespace thb::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

class SuiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    WriteFile(dir_->File("key"), TestKey() + "\n");
    // THB_E2E_POSTGRES=1: the three services keep their data in one PostgreSQL database (a schema
    // each) on a server this test starts, instead of three SQLite files.
    if (const char* pg = std::getenv("THB_E2E_POSTGRES"); pg != nullptr && std::string(pg) == "1") {
      absl::StatusOr<PostgresServer::WithDatabase> server = PostgresServer::StartWithDatabase();
      ASSERT_TRUE(server.ok()) << server.status();
      postgres_ = server->server.release();
      postgres_url_ = new std::string(server->url);
    }
    coordinator_ = StartService(THB_COORDINATOR_BIN, "coordinator", "");
    commission_ = StartService(THB_COMMISSION_BIN, "commission", Target(*coordinator_));
    rapporteur_ = StartService(
        THB_RAPPORTEUR_BIN, "rapporteur", Target(*coordinator_),
        {"--commission_target=" + Target(*commission_),
         "--rapporteur_institution=institutions/ombudsperson", "--statistics_country=XVD"});
    gateway_ = new Running{std::make_unique<ChildProcess>(
        THB_GATEWAY_BIN, std::vector<std::string>{"--listen=127.0.0.1:0",
                                                  "--coordinator_target=" + Target(*coordinator_),
                                                  "--commission_target=" + Target(*commission_),
                                                  "--rapporteur_target=" + Target(*rapporteur_)})};
    auto line = gateway_->process->WaitForListening();
    ASSERT_TRUE(line.has_value()) << gateway_->process->Output();
    gateway_->listening = *line;
  }

  static void TearDownTestSuite() {
    for (Running* r : {gateway_, rapporteur_, commission_, coordinator_}) delete r;
    delete postgres_;
    delete postgres_url_;
    delete dir_;
  }

  struct Running {
    std::unique_ptr<ChildProcess> process;
    json listening;
  };

  static std::string Target(const Running& r) { return AddressOf(r.listening); }

  static Running* StartService(const char* binary, const std::string& name,
                               const std::string& coordinator,
                               const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"--upstream_timeout=2s", "--drain_timeout=5s"};
    if (!coordinator.empty()) args.push_back("--coordinator_target=" + coordinator);
    args.insert(args.end(), extra.begin(), extra.end());
    StartedService s = testing::StartService(
        binary, postgres_url_ != nullptr ? *postgres_url_ : dir_->File(name + ".db"),
        dir_->File("key"), std::move(args));
    EXPECT_TRUE(s.listening.has_value()) << name << ": " << s.process->Output();
    return new Running{std::move(s.process), s.listening.value_or(json())};
  }

  HttpResult Http(const std::string& method, const std::string& target,
                  const std::string& body = "", const std::string& token = "") {
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["authorization"] = "Bearer " + token;
    return HttpCall(AddressOf(gateway_->listening), method, target, body, headers);
  }

  static std::string Office() { return Token({roles::kCoordinatorOffice}); }
  static std::string Secretariat() { return Token({roles::kCommissionSecretariat}); }

  void CreateInstitution(const std::string& id, const std::string& sector,
                         const std::string& kind) {
    HttpResult r = Http("POST", "/v1/coordinator/institutions?institutionId=" + id,
                        json{{"displayName", id},
                             {"sector", sector},
                             {"kind", kind},
                             {"contactEmail", "focal@" + id + ".example"}}
                            .dump(),
                        Office());
    ASSERT_EQ(r.status, 200) << r.body;
  }

  static TempDir* dir_;
  static PostgresServer* postgres_;
  static std::string* postgres_url_;
  static Running* coordinator_;
  static Running* commission_;
  static Running* rapporteur_;
  static Running* gateway_;
};

TempDir* SuiteTest::dir_ = nullptr;
PostgresServer* SuiteTest::postgres_ = nullptr;
std::string* SuiteTest::postgres_url_ = nullptr;
SuiteTest::Running* SuiteTest::coordinator_ = nullptr;
SuiteTest::Running* SuiteTest::commission_ = nullptr;
SuiteTest::Running* SuiteTest::rapporteur_ = nullptr;
SuiteTest::Running* SuiteTest::gateway_ = nullptr;

TEST_F(SuiteTest, CreateAndReadAnInstitutionOverHttp) {
  HttpResult created =
      Http("POST", "/v1/coordinator/institutions?institutionId=ministry-interior",
           R"({"displayName":"Ministry of Interior","sector":"SECTOR_GOVERNMENT_POLICY",
                                "kind":"INSTITUTION_KIND_GOVERNMENT","contactEmail":"nat@interior.gov"})",
           Office());
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(json::parse(created.body)["name"], "institutions/ministry-interior");
  EXPECT_FALSE(created.headers["x-request-id"].empty());

  HttpResult read = Http("GET", "/v1/coordinator/institutions/ministry-interior");
  ASSERT_EQ(read.status, 200) << read.body;
  json body = json::parse(read.body);
  EXPECT_EQ(body["displayName"], "Ministry of Interior");
  EXPECT_EQ(body["state"], "STATE_ACTIVE");
  EXPECT_FALSE(body.contains("contactEmail"));  // public caller

  HttpResult list =
      Http("GET", "/v1/coordinator/institutions?pageSize=10&sector=SECTOR_GOVERNMENT_POLICY");
  ASSERT_EQ(list.status, 200);
  EXPECT_GE(json::parse(list.body)["institutions"].size(), 1u);
}

// AIP-158: a page token belongs to the listing that made it. Under another filter it is refused
// with a field violation, instead of continuing after a cursor that skips entries.
TEST_F(SuiteTest, PageTokensAreBoundToTheirFilter) {
  for (const char* id : {"paging-a1", "paging-a2", "paging-a3"}) {
    CreateInstitution(id, "SECTOR_HEALTH", "INSTITUTION_KIND_GOVERNMENT");
  }
  HttpResult first = Http("GET", "/v1/coordinator/institutions?pageSize=1&sector=SECTOR_HEALTH");
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string token = json::parse(first.body)["nextPageToken"];
  ASSERT_FALSE(token.empty());
  // The same listing, with another page size, continues.
  HttpResult next = Http("GET",
                         "/v1/coordinator/institutions?pageSize=5&sector=SECTOR_HEALTH"
                         "&pageToken=" +
                             token);
  ASSERT_EQ(next.status, 200) << next.body;
  EXPECT_GE(json::parse(next.body)["institutions"].size(), 2u);
  // Another filter (or none) refuses it.
  for (const std::string query : {"sector=SECTOR_EDUCATION&", "", "showArchived=true&"}) {
    HttpResult other =
        Http("GET", "/v1/coordinator/institutions?" + query + "pageSize=1&pageToken=" + token);
    EXPECT_EQ(other.status, 400) << query << other.body;
    EXPECT_THAT(other.body, HasSubstr(R"("field":"page_token")")) << other.body;
  }
}

TEST_F(SuiteTest, BadInputIs400WithFieldViolationsAndWritesNothing) {
  HttpResult r = Http("POST", "/v1/coordinator/institutions?institutionId=half-baked",
                      R"({"displayName":"","sector":"SECTOR_HEALTH"})", Office());
  ASSERT_EQ(r.status, 400) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["code"], 3);
  EXPECT_EQ(body["details"][0]["@type"], "type.googleapis.com/google.rpc.BadRequest");
  EXPECT_EQ(body["details"][0]["fieldViolations"][0]["field"], "institution.display_name");
  EXPECT_EQ(Http("GET", "/v1/coordinator/institutions/half-baked").status, 404);
}

TEST_F(SuiteTest, UnauthorizedCallersAreTurnedAway) {
  const std::string body =
      R"({"displayName":"X","sector":"SECTOR_HEALTH","kind":"INSTITUTION_KIND_GOVERNMENT"})";
  HttpResult anonymous = Http("POST", "/v1/coordinator/institutions", body);
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  EXPECT_THAT(anonymous.headers["www-authenticate"], HasSubstr("Bearer"));
  HttpResult rapporteur =
      Http("POST", "/v1/coordinator/institutions", body, Token({roles::kRapporteurOffice}));
  EXPECT_EQ(rapporteur.status, 403) << rapporteur.body;
  HttpResult expired = Http("POST", "/v1/coordinator/institutions", body,
                            Token({roles::kCoordinatorOffice}, "", absl::Minutes(-10)));
  EXPECT_EQ(expired.status, 401) << expired.body;
}

TEST_F(SuiteTest, CommissionChecksTheInstitutionAtTheCoordinator) {
  CreateInstitution("ngo-la-strada", "SECTOR_CIVIL_SOCIETY", "INSTITUTION_KIND_CIVIL_SOCIETY");
  HttpResult seated =
      Http("POST", "/v1/commission/members",
           R"({"institution":"institutions/ngo-la-strada","seat":"SEAT_CIVIL_SOCIETY",
                               "role":"MEMBER_ROLE_MEMBER","voting":true})",
           Secretariat());
  ASSERT_EQ(seated.status, 200) << seated.body;
  HttpResult unknown = Http("POST", "/v1/commission/members",
                            R"({"institution":"institutions/no-such-body","seat":"SEAT_GOVERNMENT",
                                "role":"MEMBER_ROLE_MEMBER"})",
                            Secretariat());
  EXPECT_EQ(unknown.status, 400) << unknown.body;  // FAILED_PRECONDITION
  EXPECT_EQ(json::parse(unknown.body)["code"], 9);
  EXPECT_THAT(unknown.body, HasSubstr("not registered at the coordinator"));
  // The refusal travels commission -> gateway structured: ErrorInfo and PreconditionFailure in
  // the JSON body, as over gRPC.
  const json details = json::parse(unknown.body)["details"];
  bool info = false, precondition = false;
  for (const json& d : details) {
    if (d["@type"] == "type.googleapis.com/google.rpc.ErrorInfo") {
      info = true;
      EXPECT_EQ(d["reason"], "INSTITUTION_NOT_REGISTERED");
      EXPECT_EQ(d["domain"], "thb-suite");
    }
    if (d["@type"] == "type.googleapis.com/google.rpc.PreconditionFailure") {
      precondition = true;
      EXPECT_EQ(d["violations"][0]["type"], "REFERENCE");
      EXPECT_EQ(d["violations"][0]["subject"], "institutions/no-such-body");
    }
  }
  EXPECT_TRUE(info && precondition) << unknown.body;
}

TEST_F(SuiteTest, RapporteurChecksTheReportingInstitution) {
  CreateInstitution("police", "SECTOR_LAW_ENFORCEMENT", "INSTITUTION_KIND_GOVERNMENT");
  const std::string submission =
      R"({"reportingInstitution":"institutions/police","period":{"year":2024},
      "rows":[{"indicator":"STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED","form":"FORM_OF_EXPLOITATION_FORCED_LABOUR","count":"17"}]})";
  HttpResult ok = Http("POST", "/v1/rapporteur/statisticsSubmissions", submission,
                       Token({roles::kReportingInstitution}, "institutions/police"));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(json::parse(ok.body)["version"], 1);
  HttpResult other = Http("POST", "/v1/rapporteur/statisticsSubmissions", submission,
                          Token({roles::kReportingInstitution}, "institutions/ngo-la-strada"));
  EXPECT_EQ(other.status, 403) << other.body;
}

TEST_F(SuiteTest, DirectGrpcCallsAndHealth) {
  CreateInstitution("labour-inspectorate", "SECTOR_LABOUR_INSPECTORATE",
                    "INSTITUTION_KIND_GOVERNMENT");
  auto channel = grpc::CreateChannel(Target(*coordinator_), grpc::InsecureChannelCredentials());
  auto stub = coordinator::v1::CoordinatorService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + Office());
  coordinator::v1::GetInstitutionRequest req;
  req.set_name("institutions/labour-inspectorate");
  coordinator::v1::Institution inst;
  grpc::Status s = stub->GetInstitution(&ctx, req, &inst);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(inst.contact_email(), "focal@labour-inspectorate.example");  // office sees contacts

  for (Running* r : {coordinator_, commission_, rapporteur_}) {
    auto health = grpc::health::v1::Health::NewStub(
        grpc::CreateChannel(Target(*r), grpc::InsecureChannelCredentials()));
    grpc::ClientContext hctx;
    grpc::health::v1::HealthCheckResponse resp;
    ASSERT_TRUE(health->Check(&hctx, {}, &resp).ok());
    EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  }
  EXPECT_EQ(Http("GET", "/healthz").status, 200);
  HttpResult ready = Http("GET", "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
}

TEST_F(SuiteTest, MetricsCountServerAndClientCalls) {
  CreateInstitution("health-ministry", "SECTOR_HEALTH", "INSTITUTION_KIND_GOVERNMENT");
  HttpResult seated = Http(
      "POST", "/v1/commission/members",
      R"({"institution":"institutions/health-ministry","seat":"SEAT_GOVERNMENT","role":"MEMBER_ROLE_MEMBER"})",
      Secretariat());
  ASSERT_EQ(seated.status, 200) << seated.body;
  HttpResult coordinator_metrics =
      HttpCall(coordinator_->listening["admin_address"], "GET", "/metrics");
  ASSERT_EQ(coordinator_metrics.status, 200);
  EXPECT_THAT(
      coordinator_metrics.body,
      HasSubstr("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"CreateInstitution\""));
  EXPECT_THAT(coordinator_metrics.body, HasSubstr("grpc_server_handling_seconds_bucket"));
  HttpResult commission_metrics =
      HttpCall(commission_->listening["admin_address"], "GET", "/metrics");
  EXPECT_THAT(
      commission_metrics.body,
      HasSubstr("grpc_client_handled_total{grpc_code=\"OK\",grpc_method=\"GetInstitution\""));
  HttpResult gateway_metrics = Http("GET", "/metrics");
  EXPECT_THAT(gateway_metrics.body, HasSubstr("route=\"/v1/commission/members\""));
  EXPECT_THAT(gateway_metrics.body,
              Not(HasSubstr("route=\"/v1/coordinator/institutions/health-ministry\"")));
}

TEST_F(SuiteTest, UnknownPathsAndMethods) {
  EXPECT_EQ(Http("GET", "/v1/nowhere").status, 404);
  HttpResult wrong = Http("DELETE", "/v1/coordinator/institutions");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_THAT(wrong.headers["allow"], HasSubstr("POST"));
  HttpResult not_json =
      HttpCall(AddressOf(gateway_->listening), "POST", "/v1/coordinator/institutions",
               "displayName=x", {{"content-type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(not_json.status, 415);
}

// The fictional State's data set (the one the README run command loads) replayed through the
// gateway: 15 institutions, the mandate, a plan with 4 objectives and 22 measures, adoption,
// 12 progress reports from lead institutions, Commission members, statistics. Then the
// analyses are checked against figures computed here from the data set itself.
TEST_F(SuiteTest, FictionalStatePlanFromDraftToAnalyses) {
  ASSERT_TRUE(std::ifstream(THB_DEMO_DATA)) << THB_DEMO_DATA;
  const json doc = LoadDemoData(THB_DEMO_DATA, absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()));
  // Events already in each log (other tests of this process may have run first).
  const std::string auditor = Token({roles::kRapporteurOffice});
  auto audit_events = [&](const std::string& service) {
    HttpResult log = Http("GET", "/v1/" + service + "/auditEvents?pageSize=1000", "", auditor);
    EXPECT_EQ(log.status, 200) << log.body;
    return json::parse(log.body).value("auditEvents", json::array());
  };
  std::map<std::string, size_t> before;
  for (const std::string service : {"coordinator", "commission", "rapporteur"}) {
    before[service] = audit_events(service).size();
  }
  for (const json& step : doc["steps"]) {
    const json& who = step["as"];
    const std::string token =
        Token(who["roles"].get<std::vector<std::string>>(), who.value("institution", ""),
              absl::Hours(1), who["sub"].get<std::string>());
    HttpResult r =
        Http(step["method"], step["path"], step.contains("body") ? step["body"].dump() : "", token);
    ASSERT_EQ(r.status, 200) << step["method"] << " " << step["path"] << ": " << r.body;
  }

  // Every step was a change: each service's audit log holds exactly one event per step sent to
  // it, in order, by the step's caller under one of its roles, and its chain verifies.
  for (const std::string service : {"coordinator", "commission", "rapporteur"}) {
    std::vector<const json*> steps;
    for (const json& step : doc["steps"]) {
      if (step["path"].get<std::string>().rfind("/v1/" + service + "/", 0) == 0)
        steps.push_back(&step);
    }
    json events = audit_events(service);
    events.erase(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(before[service]));
    ASSERT_EQ(events.size(), steps.size()) << service;
    for (size_t i = 0; i < steps.size(); ++i) {
      const json& who = (*steps[i])["as"];
      EXPECT_EQ(events[i]["actor"], who["sub"]) << service << " event " << i + 1;
      EXPECT_THAT(who["roles"].get<std::vector<std::string>>(),
                  ::testing::Contains(events[i]["role"].get<std::string>()))
          << service << " event " << i + 1;
      EXPECT_THAT(events[i]["method"].get<std::string>(), HasSubstr("Service/"));
    }
    HttpResult verified = Http("POST", "/v1/" + service + "/auditEvents:verify", "{}", auditor);
    ASSERT_EQ(verified.status, 200) << verified.body;
    EXPECT_EQ(json::parse(verified.body)["intact"], true) << service << ": " << verified.body;
    EXPECT_EQ(json::parse(verified.body)["eventsChecked"],
              std::to_string(before[service] + steps.size()));
  }

  // Expected figures, from the data set.
  std::map<std::string, double> weight, progress;
  std::set<std::string> forms_covered;
  std::map<std::string, int> per_pillar;
  int64_t allocated = 0, spent = 0;
  for (const json& step : doc["steps"]) {
    const std::string path = step["path"];
    if (path.find("/measures?measureId=") != std::string::npos) {
      const std::string id = path.substr(path.find('=') + 1);
      weight[id] = step["body"]["weight"];
      progress[id] = 0;
      for (const auto& f : step["body"]["forms"]) forms_covered.insert(f.get<std::string>());
      ++per_pillar[step["body"]["pillar"].get<std::string>()];
      allocated += std::stoll(step["body"]["budget"]["allocated"]["units"].get<std::string>());
    } else if (path.find("/progressReports") != std::string::npos) {
      const std::string id = path.substr(0, path.rfind('/')).substr(path.find("/measures/") + 10);
      progress[id] = step["body"]["progressPercent"];
      spent += std::stoll(step["body"]["amountSpent"]["units"].get<std::string>());
    }
  }
  ASSERT_GE(weight.size(), 20u);
  double weighted = 0, weights = 0;
  for (const auto& [id, w] : weight) {
    weighted += w * progress[id];
    weights += w;
  }
  const std::string plan = doc["plan"];
  const std::string office = Office();

  json p = json::parse(Http("GET", "/v1/coordinator/" + plan, "", office).body);
  EXPECT_EQ(p["state"], "STATE_ADOPTED");
  json prog = json::parse(Http("GET", "/v1/coordinator/" + plan + ":progress", "", office).body);
  EXPECT_NEAR(prog["overall"]["progressPercent"].get<double>(), weighted / weights, 1e-9);
  EXPECT_EQ(prog["overall"]["measureCount"], static_cast<int>(weight.size()));
  EXPECT_EQ(prog["byObjective"].size(), 4u);
  EXPECT_EQ(prog["delayedMeasures"].size(), 2u);

  json funding = json::parse(Http("GET", "/v1/coordinator/" + plan + ":funding", "", office).body);
  EXPECT_EQ(funding["total"]["allocated"]["units"], std::to_string(allocated));
  EXPECT_EQ(funding["total"]["spent"]["units"], std::to_string(spent));
  EXPECT_EQ(funding["unfundedMeasures"].size(), 1u);

  json coverage =
      json::parse(Http("GET", "/v1/coordinator/" + plan + ":coverage", "", office).body);
  std::set<std::string> uncovered;
  for (const auto& f : coverage["uncoveredForms"]) uncovered.insert(f.get<std::string>());
  EXPECT_EQ(uncovered.size() + forms_covered.size(), 11u);
  for (const auto& f : forms_covered) EXPECT_FALSE(uncovered.count(f)) << f;
  EXPECT_EQ(coverage["mandateFormsNotCovered"].size(), uncovered.size());  // the mandate covers all

  HttpResult filtered = Http(
      "GET", "/v1/coordinator/" + plan + "/measures?pageSize=100&filter=pillar%20%3D%20PROTECTION");
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  EXPECT_EQ(json::parse(filtered.body)["measures"].size(),
            static_cast<size_t>(per_pillar["PILLAR_PROTECTION"]));

  HttpResult pub = Http("GET", "/v1/coordinator/" + plan + ":publicReport");
  ASSERT_EQ(pub.status, 200) << pub.body;
  EXPECT_THAT(pub.body, Not(HasSubstr("internalNotes")));
  EXPECT_THAT(pub.body, Not(HasSubstr("valdoria.example")));  // no contact data
  EXPECT_EQ(json::parse(pub.body)["measures"].size(), weight.size());

  // The Commission side of the same data set.
  json cadence = json::parse(Http("GET", "/v1/commission/commission:cadence").body);
  EXPECT_EQ(cadence["plenariesHeld"], 4);
  EXPECT_EQ(cadence["gaps"].size(), 3u);
  EXPECT_EQ(cadence["gaps"][2]["exceedsCadence"], true);  // July -> November 2025
  json participation = json::parse(Http("GET", "/v1/commission/commission:participation").body);
  EXPECT_EQ(participation["civilSocietySeated"], true);
  EXPECT_EQ(participation["survivorLeadersSeated"], true);
  HttpResult held = Http("GET", "/v1/commission/meetings/plenary-2025-2");
  ASSERT_EQ(held.status, 200) << held.body;
  EXPECT_EQ(json::parse(held.body)["quorumMet"], true);  // 4 of 7 voting members, chair present
  EXPECT_EQ(json::parse(held.body)["votingPresent"], 4);
  HttpResult hidden = Http("GET", "/v1/commission/meetings/plenary-2025-3");
  EXPECT_FALSE(json::parse(hidden.body).contains("quorumMet"));  // false: no chair or vice-chair
  EXPECT_FALSE(json::parse(hidden.body).contains("minutes"));    // not made public
  HttpResult subs =
      Http("GET", "/v1/commission/consultations/nap-draft/submissions", "", Secretariat());
  ASSERT_EQ(subs.status, 200) << subs.body;
  EXPECT_EQ(json::parse(subs.body)["submissions"].size(), 3u);
  HttpResult members = Http("GET", "/v1/commission/members/survivor-voices");
  EXPECT_THAT(members.body, HasSubstr("Amira"));

  // The Rapporteur's side: statistics with disclosure control, rates, the GLOTIP export, the
  // recommendation cycle, the published report, the evaluation and the assessment.
  json police_2025;  // the latest national-police submission for 2025 (a resubmission)
  for (const json& step : doc["steps"]) {
    if (step["path"] == "/v1/rapporteur/statisticsSubmissions" &&
        step["body"]["reportingInstitution"] == "institutions/national-police" &&
        step["body"]["period"]["year"] == 2025) {
      police_2025 = step["body"];
    }
  }
  ASSERT_FALSE(police_2025.is_null());
  const std::string identified_2025 = police_2025["rows"][0]["count"];
  HttpResult subs_2025 =
      Http("GET",
           "/v1/rapporteur/statisticsSubmissions?reportingInstitution=institutions/"
           "national-police&year=2025&includeSuperseded=true",
           "", Token({roles::kRapporteurOffice}));
  ASSERT_EQ(subs_2025.status, 200) << subs_2025.body;
  EXPECT_EQ(json::parse(subs_2025.body)["statisticsSubmissions"].size(), 2u);  // v1 and v2 kept

  const std::string by_sex_2025 =
      R"({"indicators":["STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED"],"fromYear":2025,"toYear":2025,)"
      R"("groupBy":["DIMENSION_SEX","DIMENSION_AGE_GROUP","DIMENSION_FORM"],"includeRates":true})";
  json pub_q = json::parse(Http("POST", "/v1/rapporteur/statistics:query", by_sex_2025).body);
  json exact_q = json::parse(Http("POST", "/v1/rapporteur/statistics:query", by_sex_2025,
                                  Token({roles::kRapporteurAnalyst}))
                                 .body);
  EXPECT_EQ(pub_q["suppressionThreshold"], 10);
  ASSERT_EQ(pub_q["cells"].size(), exact_q["cells"].size());
  int suppressed = 0;
  for (size_t i = 0; i < pub_q["cells"].size(); ++i) {
    const json& c = pub_q["cells"][i];
    const int64_t exact = std::stoll(exact_q["cells"][i]["count"].get<std::string>());
    if (c.value("suppressed", false)) {
      ++suppressed;
      EXPECT_FALSE(c.contains("count"));
      EXPECT_FALSE(c.contains("ratePer100k"));
    } else {
      EXPECT_EQ(std::stoll(c["count"].get<std::string>()), exact);
      EXPECT_TRUE(exact == 0 || exact >= 10) << c.dump();
    }
  }
  EXPECT_GT(suppressed, 0);
  json total_2025 =
      json::parse(Http("POST", "/v1/rapporteur/statistics:query",
                       R"({"indicators":["STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED"],)"
                       R"("groupBy":["DIMENSION_YEAR"],"includeRates":true})")
                      .body);
  ASSERT_EQ(total_2025["cells"].size(), 5u);  // 2021-2025
  const json& y2025 = total_2025["cells"][4];
  EXPECT_EQ(y2025["year"], 2025);
  EXPECT_EQ(y2025["count"], identified_2025);
  EXPECT_GT(y2025["ratePer100k"].get<double>(), 0.0);

  HttpResult csv =
      Http("GET", "/v1/rapporteur/statistics:export?format=EXPORT_FORMAT_GLOTIP_CSV&fromYear=2025");
  ASSERT_EQ(csv.status, 200) << csv.body;
  const std::string content = json::parse(csv.body)["content"];
  EXPECT_THAT(content, HasSubstr("Country,Iso3_code,Region,Subregion,Indicator,Dimension,Category,"
                                 "Sex,Age,Year,Unit of measurement,VALUE,Source\r\n"));
  EXPECT_THAT(content, HasSubstr(",XVD,,,Victims identified,Total,Total,Total,Total,2025,Counts," +
                                 identified_2025 + ",National Rapporteur\r\n"));
  EXPECT_THAT(content, HasSubstr(",Counts,,National Rapporteur\r\n"));  // a withheld count

  json recs =
      json::parse(Http("GET", "/v1/rapporteur/recommendations?filter=overdue%20%3D%20true").body);
  ASSERT_EQ(recs["recommendations"].size(), 2u);  // due 30 and 10 days ago, not implemented
  EXPECT_EQ(recs["recommendations"][0]["name"], "recommendations/rec-2025-02");
  json rec3 = json::parse(Http("GET", "/v1/rapporteur/recommendations/rec-2025-03").body);
  EXPECT_EQ(rec3["response"]["position"], "RESPONSE_POSITION_ACCEPTED");
  EXPECT_EQ(rec3["followUp"]["status"], "IMPLEMENTATION_STATUS_PARTIALLY_IMPLEMENTED");
  EXPECT_EQ(rec3["history"].size(), 2u);

  json report = json::parse(Http("GET", "/v1/rapporteur/reports/annual-2025").body);
  EXPECT_EQ(report["state"], "STATE_PUBLISHED");
  EXPECT_EQ(report["version"], 1);
  EXPECT_EQ(report["contentSha256"].get<std::string>().size(), 64u);
  HttpResult edit = Http("PATCH", "/v1/rapporteur/reports/annual-2025?updateMask=content",
                         R"({"content":"rewritten"})", Token({roles::kRapporteurOffice}));
  EXPECT_EQ(edit.status, 400) << edit.body;  // FAILED_PRECONDITION: published reports are frozen
  EXPECT_THAT(edit.body, HasSubstr(R"("reason":"REPORT_NOT_DRAFT")"));

  json evaluation = json::parse(Http("GET", "/v1/rapporteur/evaluations/nap-mid-term").body);
  EXPECT_NEAR(evaluation["progress"]["overall"]["progressPercent"].get<double>(),
              weighted / weights, 1e-9);
  EXPECT_EQ(evaluation["coverage"]["uncoveredForms"].size(), uncovered.size());

  json assessments = json::parse(Http("GET", "/v1/rapporteur/assessments").body);
  ASSERT_EQ(assessments["assessments"].size(), 1u);
  const json& results = assessments["assessments"][0]["results"];
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[0]["status"], "CRITERION_STATUS_MET");  // head of government office
  EXPECT_EQ(results[1]["status"],
            "CRITERION_STATUS_MET");  // ombudsperson separate; office-pm chairs
  EXPECT_EQ(results[2]["status"],
            uncovered.empty() ? "CRITERION_STATUS_MET" : "CRITERION_STATUS_PARTIALLY_MET");
  EXPECT_EQ(results[3]["status"], "CRITERION_STATUS_MET");  // government policy sector
  EXPECT_EQ(results[4]["status"], "CRITERION_STATUS_MET");  // seats held, a consultation held
  // Two engagements this year, but the CEDAW report is 20 days overdue.
  EXPECT_EQ(results[5]["status"], "CRITERION_STATUS_PARTIALLY_MET");

  HttpResult rapporteur_gauges =
      HttpCall(rapporteur_->listening["admin_address"], "GET", "/metrics");
  EXPECT_THAT(rapporteur_gauges.body, HasSubstr("thb_reports_published 1"));
  EXPECT_THAT(rapporteur_gauges.body, HasSubstr("thb_recommendations_overdue 2"));
  EXPECT_THAT(
      rapporteur_gauges.body,
      HasSubstr(
          "thb_recommendations{follow_up=\"IMPLEMENTATION_STATUS_PARTIALLY_IMPLEMENTED\"} 1"));

  HttpResult gauges = HttpCall(coordinator_->listening["admin_address"], "GET", "/metrics");
  EXPECT_THAT(gauges.body, HasSubstr("thb_measures{status=\"MEASURE_STATUS_COMPLETED\"} 3"));
  EXPECT_THAT(gauges.body,
              HasSubstr("thb_budget_spent{currency=\"EUR\"} " + std::to_string(spent)));

  // The published progress report: public, frozen, with the year's narratives.
  HttpResult publication =
      Http("GET", "/v1/coordinator/" + plan + "/progressPublications/progress-year-1");
  ASSERT_EQ(publication.status, 200) << publication.body;
  const json pub_body = json::parse(publication.body);
  EXPECT_EQ(pub_body["state"], "STATE_PUBLISHED");
  EXPECT_EQ(pub_body["contentSha256"].get<std::string>().size(), 64u);
  EXPECT_GE(pub_body["narratives"].size(), 10u);
  EXPECT_THAT(publication.body, HasSubstr("Two new shelters opened"));
  EXPECT_THAT(publication.body, Not(HasSubstr("internalNotes")));
  EXPECT_EQ(
      Http("PATCH",
           "/v1/coordinator/" + plan + "/progressPublications/progress-year-1?updateMask=title",
           R"({"title":"rewritten"})", Office())
          .status,
      400);
  // Budget lines: the readers of the funding analysis; the summary shows the gap; the plan's
  // funding reconciles the shelters' allocation (900,000) with the two years granted (800,000).
  EXPECT_EQ(Http("GET", "/v1/coordinator/budgetLines").status, 401);
  HttpResult budget = Http("GET", "/v1/coordinator/budgetLines:summary", "", Secretariat());
  ASSERT_EQ(budget.status, 200) << budget.body;
  const json totals = json::parse(budget.body)["totals"][0];
  EXPECT_EQ(totals["requested"]["units"], "1250000");
  EXPECT_EQ(totals["granted"]["units"], "955000");
  EXPECT_EQ(totals["gap"]["units"], "295000");
  HttpResult reconciled = Http("GET", "/v1/coordinator/" + plan + ":funding", "", Office());
  ASSERT_EQ(reconciled.status, 200) << reconciled.body;
  const json mismatches = json::parse(reconciled.body)["mismatches"];
  ASSERT_EQ(mismatches.size(), 1u) << reconciled.body;
  EXPECT_EQ(mismatches[0]["measure"], plan + "/measures/shelter-places");
  EXPECT_EQ(mismatches[0]["granted"]["units"], "800000");
}

// The Co-ordinator's international role through the gateway: obligations and their calendar and
// gauge, a cycle submitted, an engagement whose internal notes the public never sees, and an
// external recommendation answered by its responsible institution and compiled into the draft
// report.
TEST_F(SuiteTest, TheInternationalRoleThroughTheGateway) {
  CreateInstitution("intl-ministry", "SECTOR_FOREIGN_AFFAIRS", "INSTITUTION_KIND_GOVERNMENT");
  CreateInstitution("intl-inspectorate", "SECTOR_LABOUR_INSPECTORATE",
                    "INSTITUTION_KIND_GOVERNMENT");
  auto overdue_gauge = [&] {
    const std::string metrics =
        HttpCall(coordinator_->listening["admin_address"], "GET", "/metrics").body;
    const size_t at = metrics.find("\nthb_obligations_overdue ");
    EXPECT_NE(at, std::string::npos) << metrics;
    return at == std::string::npos ? -1 : std::stoi(metrics.substr(at + 25));
  };
  const int overdue_before = overdue_gauge();
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  auto date = [](absl::CivilDay d) {
    return json{{"year", d.year()}, {"month", d.month()}, {"day", d.day()}};
  };
  HttpResult late = Http("POST", "/v1/coordinator/obligations?obligationId=intl-late",
                         json{{"title", "Periodic report"},
                              {"monitoringBody", "Committee X"},
                              {"bodyKind", "MONITORING_BODY_KIND_UN"},
                              {"cycleMonths", 12},
                              {"nextDueDate", date(today - 10)},
                              {"leadInstitution", "institutions/intl-ministry"}}
                             .dump(),
                         Office());
  ASSERT_EQ(late.status, 200) << late.body;
  EXPECT_EQ(overdue_gauge(), overdue_before + 1);
  HttpResult calendar = Http("GET", "/v1/coordinator/obligations:calendar");  // public
  ASSERT_EQ(calendar.status, 200) << calendar.body;
  bool listed = false;
  const json entries = json::parse(calendar.body)["entries"];
  for (const json& e : entries) {
    if (e["obligation"] == "obligations/intl-late") {
      listed = true;
      EXPECT_EQ(e["overdue"], true);
      EXPECT_EQ(e["daysUntilDue"], -10);
    }
  }
  EXPECT_TRUE(listed) << calendar.body;
  EXPECT_EQ(Http("POST", "/v1/coordinator/obligations/intl-late/cycles?cycleId=c1",
                 R"({"label":"2026 report"})")
                .status,
            401);
  ASSERT_EQ(Http("POST", "/v1/coordinator/obligations/intl-late/cycles?cycleId=c1",
                 R"({"label":"2026 report"})", Office())
                .status,
            200);
  HttpResult submitted = Http(
      "POST", "/v1/coordinator/obligations/intl-late/cycles/c1:submit",
      R"({"documentUri":"https://example.org/r.pdf","draftedBy":["institutions/intl-ministry"]})",
      Office());
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(json::parse(submitted.body)["state"], "STATE_SUBMITTED");
  EXPECT_EQ(overdue_gauge(), overdue_before);  // due again in a year

  HttpResult engagement = Http("POST", "/v1/coordinator/engagements?engagementId=intl-forum",
                               json{{"title", "Regional conference"},
                                    {"kind", "KIND_REGIONAL_MEETING"},
                                    {"forum", "Regional network"},
                                    {"startDate", date(today - 3)},
                                    {"partnerStates", {"AUT", "SVN"}},
                                    {"institutions", {"institutions/intl-ministry"}},
                                    {"internalNotes", "position paper draft 3"}}
                                   .dump(),
                               Office());
  ASSERT_EQ(engagement.status, 200) << engagement.body;
  HttpResult seen = Http("GET", "/v1/coordinator/engagements?filter=partner%20%3D%20%22SVN%22");
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_THAT(seen.body, HasSubstr("intl-forum"));
  EXPECT_THAT(seen.body, Not(HasSubstr("position paper")));
  EXPECT_THAT(Http("GET", "/v1/coordinator/engagements/intl-forum", "", Office()).body,
              HasSubstr("position paper"));
  HttpResult referenced =
      Http("DELETE", "/v1/coordinator/institutions/intl-ministry", "", Office());
  EXPECT_EQ(referenced.status, 400) << referenced.body;
  EXPECT_THAT(referenced.body, HasSubstr("RESOURCE_REFERENCED"));

  HttpResult rec =
      Http("POST", "/v1/coordinator/externalRecommendations?externalRecommendationId=intl-r1",
           json{{"source", "Committee X"},
                {"sourceKind", "MONITORING_BODY_KIND_UN"},
                {"obligation", "obligations/intl-late"},
                {"reference", "para. 7"},
                {"issuedOn", date(today - 100)},
                {"text", "Inspect recruitment agencies."},
                {"themes", {"Labour Exploitation"}},
                {"pillar", "PILLAR_PREVENTION"},
                {"responsibleInstitutions", {"institutions/intl-inspectorate"}},
                {"sdgTargets", {"8.7"}}}
               .dump(),
           Office());
  ASSERT_EQ(rec.status, 200) << rec.body;
  const std::string response =
      R"({"followUp":{"text":"All agencies inspected.","status":"FOLLOW_UP_STATUS_IMPLEMENTED",)"
      R"("internalNote":"do not quote the figures"}})";
  HttpResult stranger =
      Http("POST", "/v1/coordinator/externalRecommendations/intl-r1:respond", response,
           Token({roles::kReportingInstitution}, "institutions/intl-ministry"));
  EXPECT_EQ(stranger.status, 403) << stranger.body;
  EXPECT_THAT(stranger.body, HasSubstr("NOT_RESPONSIBLE_INSTITUTION"));
  HttpResult answered =
      Http("POST", "/v1/coordinator/externalRecommendations/intl-r1:respond", response,
           Token({roles::kReportingInstitution}, "institutions/intl-inspectorate"));
  ASSERT_EQ(answered.status, 200) << answered.body;
  EXPECT_EQ(json::parse(answered.body)["status"], "FOLLOW_UP_STATUS_IMPLEMENTED");
  EXPECT_THAT(answered.body, Not(HasSubstr("do not quote")));  // the note is for the office
  HttpResult summary = Http(
      "GET", "/v1/coordinator/externalRecommendations:summary?obligation=obligations/intl-late");
  ASSERT_EQ(summary.status, 200) << summary.body;
  const json s = json::parse(summary.body);
  EXPECT_EQ(s["total"]["implemented"], 1);
  EXPECT_EQ(s["byTheme"][0]["theme"], "labour exploitation");
  const std::string draft_path = "/v1/coordinator/obligations/intl-late/cycles/c1:draftReport";
  EXPECT_EQ(Http("GET", draft_path).status, 401);
  HttpResult draft = Http("GET", draft_path, "", Office());
  ASSERT_EQ(draft.status, 200) << draft.body;
  const std::string markdown = json::parse(draft.body)["markdown"];
  EXPECT_THAT(markdown, HasSubstr("intl-inspectorate: All agencies inspected."));
  EXPECT_THAT(draft.body, Not(HasSubstr("do not quote")));
  EXPECT_THAT(Http("GET", "/v1/coordinator/externalRecommendations/intl-r1", "", Office()).body,
              HasSubstr("do not quote"));

  // A policy document: hidden from the public while a draft, public once adopted, never with the
  // office's notes.
  HttpResult sop = Http("POST", "/v1/coordinator/policyDocuments?policyDocumentId=intl-sop",
                        json{{"title", "Identification SOP"},
                             {"kind", "KIND_STANDARD_OPERATING_PROCEDURE"},
                             {"ownerInstitution", "institutions/intl-inspectorate"},
                             {"internalNotes", "legal review pending"}}
                            .dump(),
                        Office());
  ASSERT_EQ(sop.status, 200) << sop.body;
  EXPECT_EQ(Http("GET", "/v1/coordinator/policyDocuments/intl-sop").status, 404);
  HttpResult adopted =
      Http("POST", "/v1/coordinator/policyDocuments/intl-sop:adopt", "{}", Office());
  ASSERT_EQ(adopted.status, 200) << adopted.body;
  HttpResult published = Http("GET", "/v1/coordinator/policyDocuments/intl-sop");
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_THAT(published.body, HasSubstr("STATE_ADOPTED"));
  EXPECT_THAT(published.body, Not(HasSubstr("legal review")));
  HttpResult again = Http("POST", "/v1/coordinator/policyDocuments/intl-sop:adopt", "{}", Office());
  EXPECT_EQ(again.status, 400) << again.body;
  EXPECT_THAT(again.body, HasSubstr("POLICY_DOCUMENT_TRANSITION_NOT_ALLOWED"));
}

TEST_F(SuiteTest, BulkStatisticsSubmissionOf100kRowsThroughTheGateway) {
  CreateInstitution("bulk-reporter", "SECTOR_LAW_ENFORCEMENT", "INSTITUTION_KIND_GOVERNMENT");
  const std::string reporter = Token({roles::kReportingInstitution}, "institutions/bulk-reporter");
  json rows = json::array();
  int64_t sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const int64_t n = i % 17;
    sum += n;
    rows.push_back({{"indicator", 1 + i % 9},
                    {"form", 1 + (i / 9) % 10},
                    {"sex", 1 + (i / 90) % 4},
                    {"ageGroup", 1 + (i / 360) % 3},
                    {"region", "XV-" + std::to_string(i / 1080)},
                    {"count", n}});
  }
  json body = {{"reportingInstitution", "institutions/bulk-reporter"},
               {"period", {{"year", 2019}}},
               {"rows", rows}};
  // One bad row anywhere: 400, nothing stored.
  body["rows"][99999]["count"] = -1;
  HttpResult bad = Http("POST", "/v1/rapporteur/statisticsSubmissions", body.dump(), reporter);
  ASSERT_EQ(bad.status, 400) << bad.body.substr(0, 500);
  EXPECT_THAT(bad.body, HasSubstr("rows[99999].count"));
  body["rows"][99999]["count"] = 99999 % 17;
  HttpResult ok = Http("POST", "/v1/rapporteur/statisticsSubmissions", body.dump(), reporter);
  ASSERT_EQ(ok.status, 200) << ok.body.substr(0, 500);
  json stored = json::parse(ok.body);
  EXPECT_EQ(stored["version"], 1);  // the rejected attempt left no version behind
  EXPECT_EQ(stored["rows"].size(), 100000u);

  json q = {{"fromYear", 2019},
            {"toYear", 2019},
            {"groupBy", {"DIMENSION_REPORTING_INSTITUTION"}},
            {"forms", json::array()},
            {"ageGroups", {1, 2, 3}},
            {"sexes", {1, 2, 3, 4}}};
  for (int f = 1; f <= 10; ++f) q["forms"].push_back(f);
  for (int r = 0; r < 93; ++r) q["regions"].push_back("XV-" + std::to_string(r));
  HttpResult counted =
      Http("POST", "/v1/rapporteur/statistics:query", q.dump(), Token({roles::kRapporteurAnalyst}));
  ASSERT_EQ(counted.status, 200) << counted.body;
  json cells = json::parse(counted.body)["cells"];
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0]["reportingInstitution"], "institutions/bulk-reporter");
  EXPECT_EQ(cells[0]["count"], std::to_string(sum));
}

// Runs last (gtest keeps declaration order): stops the coordinator.
TEST_F(SuiteTest, ZZ_CoordinatorDownFailsFastThenGracefulShutdown) {
  const int code = coordinator_->process->Stop(SIGTERM);
  EXPECT_EQ(code, 0) << coordinator_->process->Output();
  EXPECT_THAT(coordinator_->process->Output(), HasSubstr("\"msg\":\"draining\""));
  EXPECT_THAT(coordinator_->process->Output(), HasSubstr("\"msg\":\"stopped\""));

  HttpResult seated = Http(
      "POST", "/v1/commission/members",
      R"({"institution":"institutions/police","seat":"SEAT_GOVERNMENT","role":"MEMBER_ROLE_MEMBER"})",
      Secretariat());
  EXPECT_EQ(seated.status, 503) << seated.body;
  HttpResult members = Http("GET", "/v1/commission/members");
  ASSERT_EQ(members.status, 200) << members.body;  // what needs no coordinator keeps working
  EXPECT_THAT(members.body, Not(HasSubstr("institutions/police")));  // nothing half-written
  EXPECT_EQ(Http("GET", "/readyz").status, 503);
  EXPECT_EQ(Http("GET", "/v1/coordinator/institutions/police").status, 503);
}

TEST(Binaries, HelpBadFlagAndUnreachableDatabase) {
  ChildProcess help(THB_COORDINATOR_BIN, {"--help"});
  help.Wait();  // abseil exits 1 after printing usage
  EXPECT_THAT(help.Output(), HasSubstr("Usage: thb-coordinator"));
  EXPECT_THAT(help.Output(), HasSubstr("THB_NAME"));
  ChildProcess bad(THB_COMMISSION_BIN, {"--no_such_flag=1"});
  EXPECT_NE(bad.Wait(), 0);
  EXPECT_THAT(bad.Output(), HasSubstr("no_such_flag"));
  TempDir dir;
  WriteFile(dir.File("key"), TestKey());
  ChildProcess no_db(THB_RAPPORTEUR_BIN, {"--listen=127.0.0.1:0", "--db=/nonexistent-dir/r.db",
                                          "--jwt_hs256_key_file=" + dir.File("key")});
  EXPECT_EQ(no_db.Wait(), 1);
  EXPECT_THAT(no_db.Output(), HasSubstr("cannot open SQLite database /nonexistent-dir/r.db"));
  ChildProcess no_key(THB_COORDINATOR_BIN, {"--listen=127.0.0.1:0", "--db=" + dir.File("c.db")});
  EXPECT_EQ(no_key.Wait(), 1);
  EXPECT_THAT(no_key.Output(), HasSubstr("no token key configured"));
}

}  // namespace
}  // namespace thb::testing
