// The coordinator's authorization table names every RPC of the service, and nothing else.
#include "services/coordinator/coordinator_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/coordinator/coordinator_service.h"

namespace thb::coordinator {
namespace {

using ::testing::IsEmpty;

TEST(CoordinatorPolicy, CoversEveryRpcExactly) {
  const auto& service = CoordinatorServer::Descriptor();
  EXPECT_THAT(CoordinatorPolicy().MissingMethods(service), IsEmpty());
  EXPECT_THAT(CoordinatorPolicy().UnknownMethods(service), IsEmpty());
}

}  // namespace
}  // namespace thb::coordinator
