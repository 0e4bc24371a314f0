// The commission in-process on port 0, against a fake coordinator gRPC server (also in-process),
// called through real stubs: the cross-service checks, the service principal it presents, and
// what happens when the coordinator goes away.
#include "services/commission/commission_handler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/synchronization/mutex.h"
#include "services/commission/commission_service.h"
#include "services/common/testing/fake_upstream.h"
#include "services/common/testing/test_support.h"

namespace thb::commission {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
namespace co = thb::coordinator::v1;

class FakeCoordinator final : public co::CoordinatorService::CallbackService,
                              public testing::AuthorizationRecorder {
 public:
  grpc::ServerUnaryReactor* GetInstitution(grpc::CallbackServerContext* ctx,
                                           const co::GetInstitutionRequest* req,
                                           co::Institution* resp) override {
    Remember(*ctx);
    auto* reactor = ctx->DefaultReactor();
    if (req->name() == "institutions/ngo" || req->name() == "institutions/office-pm") {
      resp->set_name(req->name());
      resp->set_state(co::Institution::STATE_ACTIVE);
      reactor->Finish(grpc::Status::OK);
    } else {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "no such institution"));
    }
    return reactor;
  }
  grpc::ServerUnaryReactor* GetMandate(grpc::CallbackServerContext* ctx,
                                       const co::GetMandateRequest*, co::Mandate* resp) override {
    Remember(*ctx);
    resp->set_name("mandate");
    resp->set_institution("institutions/office-pm");
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

class CommissionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string address;
    coordinator_ = testing::ServeOnFreePort(&fake_, &address);
    ASSERT_FALSE(address.empty());
    runtime_ = *ServiceRuntime::Create(testing::TestConfig("commission", dir_));
    server_ = *CommissionServer::Create(*runtime_, NewCoordinatorClient(*runtime_, address));
    ASSERT_TRUE(runtime_->Start(&server_->handler(), CommissionServer::Descriptor()).ok());
    stub_ = v1::CommissionService::NewStub(
        grpc::CreateChannel(runtime_->address(), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    runtime_->Shutdown(absl::Seconds(1));
    if (coordinator_) coordinator_->Shutdown();
  }
  std::unique_ptr<grpc::ClientContext> As(const std::vector<std::string>& roles) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!roles.empty()) ctx->AddMetadata("authorization", "Bearer " + testing::Token(roles));
    return ctx;
  }
  v1::CreateMemberRequest Seat(const std::string& institution) {
    v1::CreateMemberRequest r;
    r.mutable_member()->set_institution(institution);
    r.mutable_member()->set_seat(v1::SEAT_SURVIVOR_LEADER);
    r.mutable_member()->set_role(v1::MEMBER_ROLE_MEMBER);
    r.mutable_member()->set_representative("Amira");
    r.mutable_member()->set_pseudonymous(true);
    r.mutable_member()->set_legal_name("Real Name");
    return r;
  }

  testing::TempDir dir_;
  FakeCoordinator fake_;
  std::unique_ptr<grpc::Server> coordinator_;
  std::unique_ptr<ServiceRuntime> runtime_;
  std::unique_ptr<CommissionServer> server_;
  std::unique_ptr<v1::CommissionService::Stub> stub_;
};

TEST_F(CommissionServiceTest, SeatsCheckedMembersWithItsOwnServiceToken) {
  v1::Member m;
  grpc::Status s =
      stub_->CreateMember(As({roles::kCommissionSecretariat}).get(), Seat("institutions/ngo"), &m);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(m.legal_name(), "Real Name");  // the secretariat sees it
  // The commission called the coordinator as itself, not with the caller's token.
  const std::string auth = fake_.last_authorization();
  ASSERT_THAT(auth, HasSubstr("Bearer "));
  absl::StatusOr<Principal> principal =
      TokenVerifier::Create({testing::TestKey()}).value()->Verify(auth.substr(7));
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_TRUE(principal->HasRole(roles::kServiceCommission));

  v1::GetMemberRequest get;
  get.set_name(m.name());
  v1::Member seen;
  ASSERT_TRUE(stub_->GetMember(As({}).get(), get, &seen).ok());
  EXPECT_THAT(seen.legal_name(), IsEmpty());  // never to the public

  grpc::Status unknown = stub_->CreateMember(As({roles::kCommissionSecretariat}).get(),
                                             Seat("institutions/ghost"), &m);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // The refusal is structured: a client acts on the reason, not on the message text.
  testing::RefusalDetails why = testing::DecodeRefusal(unknown);
  EXPECT_EQ(why.domain, "thb-suite");
  EXPECT_EQ(why.reason, "INSTITUTION_NOT_REGISTERED");
  EXPECT_EQ(why.precondition_type, "REFERENCE");
  EXPECT_EQ(why.precondition_subject, "institutions/ghost");

  // A second seat for the same institution: ALREADY_EXISTS with the reason and the resource.
  grpc::Status again =
      stub_->CreateMember(As({roles::kCommissionSecretariat}).get(), Seat("institutions/ngo"), &m);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  why = testing::DecodeRefusal(again);
  EXPECT_EQ(why.reason, "SEAT_TAKEN");
  EXPECT_EQ(why.resource_type, "thb.commission.v1.Member");

  // NOT_FOUND names the resource it looked for.
  get.set_name("members/nobody");
  grpc::Status missing = stub_->GetMember(As({}).get(), get, &seen);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  why = testing::DecodeRefusal(missing);
  EXPECT_EQ(why.reason, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(why.resource_type, "thb.commission.v1.Member");
  EXPECT_EQ(why.resource_name, "members/nobody");
}

TEST_F(CommissionServiceTest, ChairCheckedAgainstTheMandateOverGrpc) {
  v1::UpdateCommissionRequest r;
  r.mutable_commission()->set_name("commission");
  r.mutable_commission()->set_chair_institution("institutions/ngo");
  r.mutable_commission()->set_meeting_cadence_days(90);
  v1::Commission c;
  grpc::Status s = stub_->UpdateCommission(As({roles::kCommissionSecretariat}).get(), r, &c);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("institutions/office-pm"));
  const testing::RefusalDetails why = testing::DecodeRefusal(s);
  EXPECT_EQ(why.reason, "CHAIR_NOT_COORDINATOR");
  EXPECT_EQ(why.precondition_subject, "institutions/ngo");
  r.mutable_commission()->set_chair_institution("institutions/office-pm");
  EXPECT_TRUE(stub_->UpdateCommission(As({roles::kCommissionSecretariat}).get(), r, &c).ok());
}

TEST_F(CommissionServiceTest, CoordinatorDownFailsFastAndWritesNothingWhileReadsGoOn) {
  coordinator_->Shutdown();
  coordinator_.reset();
  v1::Member m;
  grpc::Status s =
      stub_->CreateMember(As({roles::kCommissionSecretariat}).get(), Seat("institutions/ngo"), &m);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(s.error_message(), HasSubstr("coordinator is unreachable"));
  v1::ListMembersResponse list;
  ASSERT_TRUE(stub_->ListMembers(As({}).get(), {}, &list).ok());
  EXPECT_EQ(list.members_size(), 0);
  v1::GetCommissionRequest get;
  get.set_name("commission");
  v1::Commission c;
  EXPECT_TRUE(stub_->GetCommission(As({}).get(), get, &c).ok());
}

}  // namespace
}  // namespace thb::commission
