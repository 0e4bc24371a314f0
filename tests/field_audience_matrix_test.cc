// Who sees which restricted field, proved on the running binaries. The fictional State's data
// (demo/fictional-state.json, which sets every restricted field: contact e-mails, the office's
// internal notes on the plan and a measure, a survivor leader's legal name, minutes kept private
// and minutes made public) is loaded through the gateway. Then every RPC whose response can carry
// a restricted field (found from the contracts, so a new one cannot be forgotten) is called
// through the gateway as the public and as every role, and as a caller holding every role. Each
// restricted field must appear exactly where the caller is in its declared audience (or its
// message's public_when flag is set) and the all-roles caller sees it; never anywhere else. The
// change feed, as streamed, must not carry them either. docs/SECURITY.md prints the declarations
// (thb-policy-matrix --fields); the test fails when the two differ.
#include <gmock/gmock.h>
#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/auth.h"
#include "services/common/testing/test_support.h"
#include "services/common/viewer.h"
#include "tests/demo_data.h"
#include "tests/http_client.h"
#include "tests/policy_matrix.h"
#include "tests/process.h"

namespace thb::testing {
namespace {

using json = nlohmann::json;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// How to call each RPC whose response can carry a restricted field: a GET through the gateway
// that returns data from the demo set in which the restricted fields are set.
const std::map<std::string, std::string>& Probes() {
  static const auto* probes = new std::map<std::string, std::string>{
      {"coordinator.GetInstitution", "/v1/coordinator/institutions/office-pm"},
      {"coordinator.ListInstitutions", "/v1/coordinator/institutions?pageSize=1000"},
      {"coordinator.GetPlan", "/v1/coordinator/plans/nap-2025-2027"},
      {"coordinator.ListPlans", "/v1/coordinator/plans?pageSize=1000"},
      {"coordinator.GetMeasure", "/v1/coordinator/plans/nap-2025-2027/measures/awareness-schools"},
      {"coordinator.ListMeasures", "/v1/coordinator/plans/nap-2025-2027/measures?pageSize=1000"},
      {"coordinator.GetEngagement", "/v1/coordinator/engagements/alliance-conference"},
      {"coordinator.ListEngagements", "/v1/coordinator/engagements?pageSize=1000"},
      {"coordinator.GetExternalRecommendation",
       "/v1/coordinator/externalRecommendations/greta-identification"},
      {"coordinator.ListExternalRecommendations",
       "/v1/coordinator/externalRecommendations?pageSize=1000"},
      {"coordinator.DraftObligationReport",
       "/v1/coordinator/obligations/greta-round-4/cycles/questionnaire:draftReport"},
      {"coordinator.GetPolicyDocument", "/v1/coordinator/policyDocuments/labour-strategy"},
      {"coordinator.ListPolicyDocuments", "/v1/coordinator/policyDocuments?pageSize=1000"},
      {"coordinator.GetBudgetLine", "/v1/coordinator/budgetLines/shelters-2026"},
      {"coordinator.ListBudgetLines", "/v1/coordinator/budgetLines?pageSize=1000"},
      {"commission.GetMember", "/v1/commission/members/survivor-voices"},
      {"commission.ListMembers", "/v1/commission/members?pageSize=1000"},
      {"commission.GetMeeting", "/v1/commission/meetings/plenary-2025-3"},
      {"commission.ListMeetings", "/v1/commission/meetings?pageSize=1000"},
  };
  return *probes;
}

bool Present(const json& object, const FieldDescriptor& f) {
  if (!object.is_object() || !object.contains(f.json_name())) return false;
  const json& v = object[f.json_name()];
  return !(v.is_null() || (v.is_string() && v.get<std::string>().empty()) ||
           (v.is_array() && v.empty()));
}

// Walks `seen` (the caller's answer) beside `full` (the same request by a caller with every
// role) along the message type `d`, and reports each restricted field the caller got without
// being in its audience, or did not get although it is.
void Compare(const Descriptor* d, const json& seen, const json& full, const std::string& caller,
             const std::string& where, std::vector<std::string>& wrong,
             std::map<std::string, std::set<std::string>>& shown) {
  if (!seen.is_object() || !full.is_object()) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (const type::v1::FieldAudience* audience = AudienceOf(*f)) {
      bool public_now = false;
      if (!audience->public_when().empty()) {
        const FieldDescriptor* flag = d->FindFieldByName(audience->public_when());
        public_now = flag != nullptr && full.value(flag->json_name(), false);
      }
      const bool allowed = AudienceIncludes(*f, caller) || public_now;
      const bool expected = allowed && Present(full, *f);
      const bool got = Present(seen, *f);
      if (got) shown[f->full_name()].insert(caller);
      if (got != expected) {
        wrong.push_back(absl::StrCat(where, " ", f->full_name(), " as ", caller, ": ",
                                     got ? "shown" : "missing", public_now ? " (public)" : ""));
      }
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || !seen.contains(f->json_name()) ||
        !full.contains(f->json_name())) {
      continue;
    }
    const json& s = seen[f->json_name()];
    const json& a = full[f->json_name()];
    if (f->is_repeated() && s.is_array() && a.is_array() && s.size() == a.size()) {
      for (size_t k = 0; k < s.size(); ++k) {
        Compare(f->message_type(), s[k], a[k], caller,
                absl::StrCat(where, ".", f->json_name(), "[", k, "]"), wrong, shown);
      }
    } else if (!f->is_repeated()) {
      Compare(f->message_type(), s, a, caller, where + "." + f->json_name(), wrong, shown);
    }
  }
}

class FieldAudienceMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    WriteFile(dir_->File("key"), TestKey() + "\n");
    const std::string coordinator = Start(THB_COORDINATOR_BIN, "coordinator", {});
    const std::string commission =
        Start(THB_COMMISSION_BIN, "commission", {"--coordinator_target=" + coordinator});
    const std::string rapporteur =
        Start(THB_RAPPORTEUR_BIN, "rapporteur",
              {"--coordinator_target=" + coordinator, "--commission_target=" + commission,
               "--rapporteur_institution=institutions/ombudsperson"});
    auto* gateway = new ChildProcess(
        THB_GATEWAY_BIN,
        {"--listen=127.0.0.1:0", "--coordinator_target=" + coordinator,
         "--commission_target=" + commission, "--rapporteur_target=" + rapporteur});
    processes_.emplace_back(gateway);
    auto line = gateway->WaitForListening();
    ASSERT_TRUE(line.has_value()) << gateway->Output();
    gateway_ = new std::string(AddressOf(*line));
    const json demo =
        LoadDemoData(THB_DEMO_DATA, absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()));
    for (const json& step : demo["steps"]) {
      const json& who = step["as"];
      const std::string token =
          Token(who["roles"].get<std::vector<std::string>>(), who.value("institution", ""),
                absl::Hours(1), who["sub"].get<std::string>());
      HttpResult r = Call(step["method"], step["path"], token,
                          step.contains("body") ? step["body"].dump() : "");
      ASSERT_EQ(r.status, 200) << step["method"] << " " << step["path"] << ": " << r.body;
    }
  }
  static void TearDownTestSuite() {
    processes_.clear();
    delete gateway_;
    delete dir_;
  }

  static std::string Start(const char* binary, const std::string& name,
                           std::vector<std::string> extra) {
    StartedService s =
        StartService(binary, dir_->File(name + ".db"), dir_->File("key"), std::move(extra));
    EXPECT_TRUE(s.listening.has_value()) << name << ": " << s.process->Output();
    processes_.push_back(std::move(s.process));
    return s.listening ? AddressOf(*s.listening) : "127.0.0.1:1";
  }

  static HttpResult Call(const std::string& method, const std::string& target,
                         const std::string& token, const std::string& body = "") {
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["authorization"] = "Bearer " + token;
    return HttpCall(*gateway_, method, target, body, headers);
  }

  // A caller's token; institution-scoped roles act for the survivor-led organisation whose
  // representative's legal name is restricted (being that institution grants nothing more).
  static std::string TokenFor(const std::string& caller) {
    if (caller == "public") return "";
    return Token({caller}, "institutions/survivor-voices", absl::Hours(1), "matrix-" + caller);
  }

  static TempDir* dir_;
  static std::string* gateway_;
  static std::vector<std::unique_ptr<ChildProcess>> processes_;
};

TempDir* FieldAudienceMatrixTest::dir_ = nullptr;
std::string* FieldAudienceMatrixTest::gateway_ = nullptr;
std::vector<std::unique_ptr<ChildProcess>> FieldAudienceMatrixTest::processes_;

TEST_F(FieldAudienceMatrixTest, EveryRestrictedFieldReachesExactlyItsAudienceInEveryResponse) {
  const std::string everyone = Token(AllRoles(), "", absl::Hours(1), "matrix-all-roles");
  std::vector<std::string> wrong;
  std::vector<std::string> unprobed;
  std::map<std::string, std::set<std::string>> shown;  // field -> callers that saw it somewhere
  int cells = 0;
  for (const RestrictedRpc& rpc : RpcsCarryingRestrictedFields()) {
    const std::string key = rpc.service + "." + rpc.method->name();
    if (IsMutation(*rpc.method)) continue;  // mutations: the next test
    auto probe = Probes().find(key);
    if (probe == Probes().end()) {
      unprobed.push_back(key);
      continue;
    }
    HttpResult full = Call("GET", probe->second, everyone);
    ASSERT_EQ(full.status, 200) << key << ": " << full.body;
    const json full_body = json::parse(full.body);
    for (const std::string& caller : MatrixCallers()) {
      HttpResult seen = Call("GET", probe->second, TokenFor(caller));
      ++cells;
      // A refusal (policy) or a resource the caller may not see at all shows no field.
      if (seen.status != 200) {
        EXPECT_THAT(seen.body, ::testing::Not(::testing::HasSubstr("fictional)")))
            << key << " " << caller;
        continue;
      }
      Compare(rpc.method->output_type(), json::parse(seen.body), full_body, caller, key, wrong,
              shown);
    }
  }
  EXPECT_THAT(unprobed, ::testing::IsEmpty())
      << "add a probe for each new RPC carrying restricted fields";
  EXPECT_THAT(wrong, ::testing::IsEmpty());
  // The data set exercised every declared field, each reaching someone and not everyone.
  std::set<std::string> declared;
  for (const RestrictedRpc& rpc : RpcsCarryingRestrictedFields()) {
    for (const auto* f : rpc.fields) declared.insert(f->full_name());
  }
  for (const std::string& field : declared) {
    EXPECT_FALSE(shown[field].empty())
        << field << " was never shown: the probes do not exercise it";
  }
  EXPECT_EQ(shown["thb.coordinator.v1.Institution.contact_email"],
            std::set<std::string>({roles::kCoordinatorOffice}));
  EXPECT_EQ(shown["thb.commission.v1.Member.legal_name"],
            std::set<std::string>({roles::kCommissionSecretariat}));
  EXPECT_EQ(shown["thb.coordinator.v1.ActionPlan.internal_notes"],
            std::set<std::string>({roles::kCoordinatorOffice}));
  EXPECT_EQ(shown["thb.coordinator.v1.Engagement.internal_notes"],
            std::set<std::string>({roles::kCoordinatorOffice}));
  EXPECT_EQ(shown["thb.coordinator.v1.RecommendationFollowUp.internal_note"],
            std::set<std::string>({roles::kCoordinatorOffice}));
  EXPECT_EQ(shown["thb.coordinator.v1.PolicyDocument.internal_notes"],
            std::set<std::string>({roles::kCoordinatorOffice}));
  EXPECT_EQ(shown["thb.coordinator.v1.BudgetLine.internal_notes"],
            std::set<std::string>({roles::kCoordinatorOffice}));
  // Public minutes reach the public; private ones only the Commission and the office (checked
  // cell by cell above).
  EXPECT_TRUE(shown["thb.commission.v1.Meeting.minutes"].count("public"));
  EXPECT_GT(cells, 100);
}

// Mutations answer with the resource too, through the same dispatcher: a writer outside a
// field's audience does not get the field back, and one inside does.
TEST_F(FieldAudienceMatrixTest, MutationAnswersObeyTheAudiencesToo) {
  HttpResult office =
      Call("PATCH", "/v1/coordinator/institutions/office-pm?updateMask=display_name",
           Token({roles::kCoordinatorOffice}),
           R"json({"displayName":"Office of the PM (fictional)"})json");
  ASSERT_EQ(office.status, 200) << office.body;
  EXPECT_THAT(office.body, ::testing::HasSubstr("contactEmail"));
  HttpResult member = Call("PATCH", "/v1/commission/members/survivor-voices?updateMask=voting",
                           Token({roles::kCommissionSecretariat}), R"({"voting":true})");
  ASSERT_EQ(member.status, 200) << member.body;
  EXPECT_THAT(member.body, ::testing::HasSubstr("legalName"));
  // A token with the secretariat's role and another's: the audience is by role, so it sees it;
  // a Commission member's token (also allowed to read) does not.
  HttpResult as_member =
      Call("GET", "/v1/commission/members/survivor-voices", Token({roles::kCommissionMember}));
  ASSERT_EQ(as_member.status, 200);
  EXPECT_THAT(as_member.body, ::testing::Not(::testing::HasSubstr("legalName")));
  EXPECT_THAT(as_member.body, ::testing::HasSubstr("Amira"));
}

TEST_F(FieldAudienceMatrixTest, TheChangeFeedAndAuditLogCarryNoRestrictedValue) {
  for (const std::string service : {"coordinator", "commission"}) {
    HttpResult feed = Call("GET", "/v1/" + service + "/changes?afterSequence=0&pageSize=1000",
                           Token({roles::kServiceRapporteur}));
    HttpResult log = Call("GET", "/v1/" + service + "/auditEvents?pageSize=1000",
                          Token({roles::kRapporteurOffice}));
    for (const HttpResult* r : {&feed, &log}) {
      ASSERT_EQ(r->status, 200) << r->body;
      EXPECT_THAT(r->body, ::testing::HasSubstr("hmac-sha256:"));  // digests present, keyed
      for (const char* value : {"Kestrel", "focal.point@", "budget line 7.3", "autumn",
                                "unverified", "federation", "appeal planned"}) {
        EXPECT_THAT(r->body, ::testing::Not(::testing::HasSubstr(value))) << service;
      }
    }
  }
}

TEST_F(FieldAudienceMatrixTest, SecurityDocPrintsTheDeclaredAudiences) {
  std::optional<std::string> block = GeneratedBlock(
      THB_SECURITY_DOC, "<!-- BEGIN GENERATED FIELD AUDIENCES (thb-policy-matrix --fields) -->",
      "<!-- END GENERATED FIELD AUDIENCES -->");
  ASSERT_TRUE(block.has_value()) << THB_SECURITY_DOC;
  EXPECT_EQ(*block, "\n" + FieldAudienceMarkdown() + "\n")
      << "docs/SECURITY.md is stale: regenerate the block with build/dev/tests/thb-policy-matrix "
         "--fields";
}

}  // namespace
}  // namespace thb::testing
