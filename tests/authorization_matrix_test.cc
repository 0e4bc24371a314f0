// The authorization matrix, proved on the real binaries: every RPC of every service is called
// as the public and as every role, and each cell's outcome must be the one the service's policy
// table states. A refusal counts only when it is the policy's (a google.rpc.ErrorInfo from the
// suite); any other answer (bad request, not found, ok...) means the call got past the policy.
// The matrix is also the one in docs/SECURITY.md, and the independence of the pillars is checked
// against explicit lists, not against the tables.
#include <gmock/gmock.h>
#include <google/protobuf/empty.pb.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <map>
#include <sstream>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/audit_log.h"
#include "services/common/auth.h"
#include "services/common/storage.h"
#include "services/common/testing/test_support.h"
#include "tests/policy_matrix.h"
#include "tests/process.h"
#include "thb/commission/v1/commission.grpc.pb.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"
#include "thb/rapporteur/v1/rapporteur.grpc.pb.h"

namespace thb::testing {
namespace {

struct Outcome {
  bool allowed = false;
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
};

// "service/Method" -> caller -> outcome.
using Observed = std::map<std::string, std::map<std::string, Outcome>>;

// The reason of the suite's policy refusal carried by `status`, or "" when it is not one.
std::string PolicyRefusal(const grpc::Status& status) {
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) return "";
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info) && info.domain() == "thb-suite") return info.reason();
  }
  return "";
}

std::string TokenFor(const std::string& caller) {
  if (caller == "public") return "";
  // Institution-scoped roles carry their institution, as a real token would.
  return Token({caller}, "institutions/matrix-institution", absl::Hours(1), "matrix-" + caller);
}

grpc::Status CallUnary(grpc::GenericStub& stub, const std::string& method,
                       const std::string& token) {
  grpc::ClientContext ctx;
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  grpc::Slice empty("");  // every request message empty: zero bytes on the wire
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&ctx, method, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  return done.get_future().get();
}

// Each service's log has an event before the run, so an admitted WatchChanges delivers one
// message at once and a refused one ends with the policy's status: no timing involved.
template <typename Service>
grpc::Status CallWatch(const std::shared_ptr<grpc::Channel>& channel, const std::string& token) {
  auto stub = Service::NewStub(channel);
  grpc::ClientContext ctx;
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  auto reader = stub->WatchChanges(&ctx, type::v1::WatchChangesRequest());
  type::v1::AuditEvent event;
  if (reader->Read(&event)) {
    ctx.TryCancel();
    reader->Finish();
    return grpc::Status::OK;
  }
  return reader->Finish();
}

class AuthorizationMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    WriteFile(dir_->File("key"), TestKey() + "\n");
    for (const PolicedService& s : SuiteServices()) SeedOneAuditEvent(dir_->File(s.name + ".db"));
    const std::string coordinator = Start(THB_COORDINATOR_BIN, "coordinator", {});
    const std::string commission =
        Start(THB_COMMISSION_BIN, "commission", {"--coordinator_target=" + coordinator});
    const std::string rapporteur =
        Start(THB_RAPPORTEUR_BIN, "rapporteur",
              {"--coordinator_target=" + coordinator, "--commission_target=" + commission,
               "--rapporteur_institution=institutions/ombudsperson", "--statistics_country=XVD"});
    observed_ = new Observed();
    const std::map<std::string, std::string> address = {
        {"coordinator", coordinator}, {"commission", commission}, {"rapporteur", rapporteur}};
    for (const PolicedService& s : SuiteServices()) {
      auto channel = grpc::CreateChannel(address.at(s.name), grpc::InsecureChannelCredentials());
      grpc::GenericStub stub(channel);
      for (int i = 0; i < s.descriptor->method_count(); ++i) {
        const google::protobuf::MethodDescriptor& m = *s.descriptor->method(i);
        for (const std::string& caller : MatrixCallers()) {
          const std::string token = TokenFor(caller);
          grpc::Status status;
          if (m.server_streaming()) {
            status = s.name == "coordinator"
                         ? CallWatch<coordinator::v1::CoordinatorService>(channel, token)
                     : s.name == "commission"
                         ? CallWatch<commission::v1::CommissionService>(channel, token)
                         : CallWatch<rapporteur::v1::RapporteurService>(channel, token);
          } else {
            status =
                CallUnary(stub, absl::StrCat("/", s.descriptor->full_name(), "/", m.name()), token);
          }
          Outcome& o = (*observed_)[s.name + "/" + m.name()][caller];
          o.allowed = PolicyRefusal(status).empty();
          o.code = status.error_code();
          o.message = status.error_message();
        }
      }
    }
  }

  static void TearDownTestSuite() {
    processes_.clear();
    delete observed_;
    delete dir_;
  }

  static void SeedOneAuditEvent(const std::string& db_path) {
    std::unique_ptr<Database> db = *OpenDatabase(db_path);
    ASSERT_TRUE(db->ApplyMigrations("common", CommonMigrations()).ok());
    ASSERT_TRUE(db->RunInTransaction([](Transaction& tx) {
                    return RecordMutation(tx, AuditActor::Internal(), "SeedForTheMatrixTest", "",
                                          "seed/1", google::protobuf::Empty());
                  }).ok());
  }

  static std::string Start(const char* binary, const std::string& name,
                           std::vector<std::string> extra) {
    extra.insert(extra.begin(), "--upstream_timeout=5s");
    StartedService s =
        StartService(binary, dir_->File(name + ".db"), dir_->File("key"), std::move(extra));
    EXPECT_TRUE(s.listening.has_value()) << name << ": " << s.process->Output();
    processes_.push_back(std::move(s.process));
    return s.listening ? AddressOf(*s.listening) : "127.0.0.1:1";
  }

  static const Outcome& Cell(const std::string& service, const std::string& method,
                             const std::string& caller) {
    return observed_->at(service + "/" + method).at(caller);
  }

  static TempDir* dir_;
  static std::vector<std::unique_ptr<ChildProcess>> processes_;
  static Observed* observed_;
};

TempDir* AuthorizationMatrixTest::dir_ = nullptr;
std::vector<std::unique_ptr<ChildProcess>> AuthorizationMatrixTest::processes_;
Observed* AuthorizationMatrixTest::observed_ = nullptr;

TEST_F(AuthorizationMatrixTest, EveryCellOfEveryServiceIsWhatItsPolicyTableSays) {
  int cells = 0;
  int allowed = 0;
  std::vector<std::string> wrong;
  for (const PolicedService& s : SuiteServices()) {
    for (int i = 0; i < s.descriptor->method_count(); ++i) {
      const std::string method = s.descriptor->method(i)->name();
      for (const std::string& caller : MatrixCallers()) {
        const Outcome& o = Cell(s.name, method, caller);
        const bool expected = PolicyAllows(*s.policy, method, caller);
        ++cells;
        allowed += o.allowed;
        if (o.allowed != expected) {
          wrong.push_back(absl::StrCat(s.name, ".", method, " as ", caller, ": expected ",
                                       expected ? "allowed" : "refused", ", got code ",
                                       static_cast<int>(o.code), " ", o.message));
        }
        // Refusals say why in the code: no token is UNAUTHENTICATED, a role PERMISSION_DENIED.
        if (!o.allowed) {
          EXPECT_EQ(o.code, caller == "public" ? grpc::StatusCode::UNAUTHENTICATED
                                               : grpc::StatusCode::PERMISSION_DENIED)
              << s.name << "." << method << " as " << caller;
        }
      }
    }
  }
  EXPECT_THAT(wrong, ::testing::IsEmpty());
  // 3 services, every RPC, 12 callers; both outcomes occur (a run that refused or admitted
  // everything would prove nothing).
  EXPECT_EQ(cells, 12 * (SuiteServices()[0].descriptor->method_count() +
                         SuiteServices()[1].descriptor->method_count() +
                         SuiteServices()[2].descriptor->method_count()));
  EXPECT_GT(allowed, cells / 5);
  EXPECT_LT(allowed, cells - cells / 5);
}

TEST_F(AuthorizationMatrixTest, NoCoordinatorOrCommissionPrincipalChangesRapporteurData) {
  // Written out, not taken from the tables: the principals of the other two pillars.
  const std::vector<std::string> others = {roles::kCoordinatorOffice, roles::kCommissionSecretariat,
                                           roles::kCommissionMember,  roles::kServiceCoordinator,
                                           roles::kServiceCommission, roles::kServiceGateway};
  const google::protobuf::ServiceDescriptor& rapporteur = *SuiteServices()[2].descriptor;
  int checked = 0;
  for (int i = 0; i < rapporteur.method_count(); ++i) {
    const google::protobuf::MethodDescriptor& m = *rapporteur.method(i);
    if (!IsMutation(m)) continue;
    for (const std::string& caller : others) {
      const Outcome& o = Cell("rapporteur", m.name(), caller);
      if (m.name() == "RespondToRecommendation") continue;  // checked below
      EXPECT_FALSE(o.allowed) << "rapporteur." << m.name() << " as " << caller;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 10 * 6);
  // The one exception: the addressee of a recommendation answers it (which recommendation is
  // theirs is checked by the service against the recommendation itself).
  EXPECT_TRUE(Cell("rapporteur", "RespondToRecommendation", roles::kCoordinatorOffice).allowed);
  EXPECT_TRUE(Cell("rapporteur", "RespondToRecommendation", roles::kCommissionSecretariat).allowed);
  for (const char* service_principal : {roles::kServiceCoordinator, roles::kServiceCommission}) {
    EXPECT_FALSE(Cell("rapporteur", "RespondToRecommendation", service_principal).allowed);
  }
}

TEST_F(AuthorizationMatrixTest, TheRapporteurChangesNoCoordinatorOrCommissionData) {
  const std::vector<std::string> rapporteur = {roles::kRapporteurOffice, roles::kRapporteurAnalyst,
                                               roles::kServiceRapporteur};
  int checked = 0;
  for (const PolicedService& s : {SuiteServices()[0], SuiteServices()[1]}) {
    for (int i = 0; i < s.descriptor->method_count(); ++i) {
      const google::protobuf::MethodDescriptor& m = *s.descriptor->method(i);
      if (!IsMutation(m)) continue;
      for (const std::string& caller : rapporteur) {
        EXPECT_FALSE(Cell(s.name, m.name(), caller).allowed)
            << s.name << "." << m.name() << " as " << caller;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, (18 + 9 + 4 + 6 + 4 + 3 + 17) * 3);  // every mutation of both services
  // ...while it may read what its evaluation needs, and audit both pillars.
  EXPECT_TRUE(Cell("coordinator", "AnalyzeCoverage", roles::kServiceRapporteur).allowed);
  EXPECT_TRUE(Cell("coordinator", "VerifyAuditChain", roles::kRapporteurOffice).allowed);
  EXPECT_TRUE(Cell("commission", "VerifyAuditChain", roles::kRapporteurOffice).allowed);
}

TEST_F(AuthorizationMatrixTest, DocsCarryTheGeneratedMatrix) {
  std::optional<std::string> block =
      GeneratedBlock(THB_SECURITY_DOC, "<!-- BEGIN GENERATED MATRIX (thb-policy-matrix) -->",
                     "<!-- END GENERATED MATRIX -->");
  ASSERT_TRUE(block.has_value()) << THB_SECURITY_DOC;
  EXPECT_EQ(*block, PolicyMatrixMarkdown())
      << "docs/SECURITY.md is stale: regenerate the block with build/dev/tests/thb-policy-matrix";
}

}  // namespace
}  // namespace thb::testing
