#include "services/common/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

Principal With(std::vector<std::string> roles) {
  Principal p;
  p.authenticated = true;
  p.subject = "s";
  p.roles = std::move(roles);
  return p;
}

const PolicyTable& Table() {
  static const auto* t = new PolicyTable{
      {"GetInstitution", Public()},
      {"CreateInstitution", Roles({roles::kCoordinatorOffice})},
  };
  return *t;
}

TEST(Policy, PublicRpcNeedsNoToken) {
  EXPECT_TRUE(Table().Authorize("GetInstitution", Principal::Anonymous()).ok());
}

TEST(Policy, ProtectedRpcWithoutTokenIsUnauthenticated) {
  absl::Status s = Table().Authorize("CreateInstitution", Principal::Anonymous()).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated);
}

TEST(Policy, WrongRoleIsPermissionDenied) {
  absl::Status s =
      Table().Authorize("CreateInstitution", With({roles::kRapporteurOffice})).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("coordinator_office"));
  absl::StatusOr<std::string> admitted =
      Table().Authorize("CreateInstitution", With({"x", roles::kCoordinatorOffice}));
  ASSERT_TRUE(admitted.ok());
  EXPECT_EQ(*admitted, roles::kCoordinatorOffice);  // the role the audit log records
}

TEST(Policy, RpcWithoutEntryIsDeniedEvenWithEveryRole) {
  absl::Status s = Table().Authorize("DeleteInstitution", With(AllRoles())).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("denied by default"));
}

TEST(Policy, ReportsMissingAndUnknownMethods) {
  PolicyTable t{{"GetInstitution", Public()}, {"GetInstitutoin", Public()}};
  const auto& service =
      *coordinator::v1::Institution::descriptor()->file()->FindServiceByName("CoordinatorService");
  EXPECT_THAT(t.MissingMethods(service), Contains("CreateInstitution"));
  EXPECT_THAT(t.UnknownMethods(service), Contains("GetInstitutoin"));
}

}  // namespace
}  // namespace thb
