// Two replicas of the coordinator — two real processes — on one PostgreSQL database that the test
// starts itself. Conflicting writes sent to both at once: exactly one wins, the other is told its
// etag is stale; a create retried on both replicas at once with one request_id stores one
// institution and answers both alike; and the audit chain the replicas share stays linear.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <thread>

#include "services/common/auth.h"
#include "services/common/testing/postgres_server.h"
#include "services/common/testing/test_support.h"
#include "tests/process.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"

namespace thb::testing {
namespace {

namespace v1 = coordinator::v1;

class CoordinatorReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<PostgresServer::WithDatabase> pg = PostgresServer::StartWithDatabase();
    ASSERT_TRUE(pg.ok()) << pg.status();
    postgres_ = std::move(pg->server);
    WriteFile(dir_.File("key"), TestKey() + "\n");
    for (int i = 0; i < 2; ++i) {
      StartedService s = StartService(THB_COORDINATOR_BIN, pg->url, dir_.File("key"));
      replicas_.push_back(std::move(s.process));
      ASSERT_TRUE(s.listening.has_value()) << replicas_.back()->Output();
      stubs_.push_back(v1::CoordinatorService::NewStub(
          grpc::CreateChannel(AddressOf(*s.listening), grpc::InsecureChannelCredentials())));
    }
  }

  void TearDown() override {
    replicas_.clear();  // the services stop before their database does
    postgres_.reset();
  }

  static std::unique_ptr<grpc::ClientContext> Office() {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer " + Token({roles::kCoordinatorOffice}));
    return ctx;
  }

  static v1::CreateInstitutionRequest NewInstitution(const std::string& id) {
    v1::CreateInstitutionRequest r;
    r.set_institution_id(id);
    r.mutable_institution()->set_display_name(id);
    r.mutable_institution()->set_sector(thb::type::v1::SECTOR_CIVIL_SOCIETY);
    r.mutable_institution()->set_kind(v1::INSTITUTION_KIND_CIVIL_SOCIETY);
    return r;
  }

  TempDir dir_;
  std::unique_ptr<PostgresServer> postgres_;
  std::vector<std::unique_ptr<ChildProcess>> replicas_;
  std::vector<std::unique_ptr<v1::CoordinatorService::Stub>> stubs_;
};

TEST_F(CoordinatorReplicasTest, ConflictingWritesOnTwoReplicasExactlyOneWins) {
  v1::Institution current;
  ASSERT_TRUE(stubs_[0]->CreateInstitution(Office().get(), NewInstitution("ngo"), &current).ok());
  for (int round = 0; round < 15; ++round) {
    grpc::Status status[2];
    v1::Institution result[2];
    std::thread writers[2];
    for (int r = 0; r < 2; ++r) {
      writers[r] = std::thread([&, r] {
        v1::UpdateInstitutionRequest update;
        *update.mutable_institution() = current;  // both hold the same etag
        update.mutable_institution()->set_display_name("name from replica " + std::to_string(r));
        update.mutable_update_mask()->add_paths("display_name");
        status[r] = stubs_[r]->UpdateInstitution(Office().get(), update, &result[r]);
      });
    }
    for (auto& w : writers) w.join();
    ASSERT_NE(status[0].ok(), status[1].ok())
        << "round " << round << ": " << status[0].error_message() << " / "
        << status[1].error_message();
    const int winner = status[0].ok() ? 0 : 1;
    EXPECT_EQ(status[1 - winner].error_code(), grpc::StatusCode::ABORTED)
        << status[1 - winner].error_message();
    current = result[winner];
  }
  v1::GetInstitutionRequest get;
  get.set_name("institutions/ngo");
  v1::Institution stored;
  ASSERT_TRUE(stubs_[1]->GetInstitution(Office().get(), get, &stored).ok());
  EXPECT_EQ(stored.etag(), current.etag());
  EXPECT_EQ(stored.display_name(), current.display_name());
}

TEST_F(CoordinatorReplicasTest, ACreateRetriedOnBothReplicasAtOnceStoresOneInstitution) {
  for (int round = 0; round < 10; ++round) {
    v1::CreateInstitutionRequest create = NewInstitution("");  // server-chosen id
    create.mutable_institution()->set_display_name("retried " + std::to_string(round));
    create.set_request_id("retry-" + std::to_string(round));
    grpc::Status status[2];
    v1::Institution created[2];
    std::thread senders[2];
    for (int r = 0; r < 2; ++r) {
      senders[r] = std::thread([&, r] {
        status[r] = stubs_[r]->CreateInstitution(Office().get(), create, &created[r]);
      });
    }
    for (auto& s : senders) s.join();
    ASSERT_TRUE(status[0].ok()) << status[0].error_code() << " " << status[0].error_message();
    ASSERT_TRUE(status[1].ok()) << status[1].error_message();
    EXPECT_EQ(created[0].name(), created[1].name()) << "round " << round;
  }
  v1::ListInstitutionsRequest list;
  list.set_page_size(100);
  v1::ListInstitutionsResponse all;
  ASSERT_TRUE(stubs_[0]->ListInstitutions(Office().get(), list, &all).ok());
  EXPECT_EQ(all.institutions_size(), 10);

  // Both replicas appended to one chain: linear, one event per institution.
  thb::type::v1::AuditVerification verdict;
  ASSERT_TRUE(stubs_[1]->VerifyAuditChain(Office().get(), {}, &verdict).ok());
  EXPECT_TRUE(verdict.intact()) << verdict.detail();
  EXPECT_EQ(verdict.events_checked(), 10);
}

}  // namespace
}  // namespace thb::testing
