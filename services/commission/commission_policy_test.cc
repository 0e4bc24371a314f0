#include "services/commission/commission_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/commission/commission_service.h"

namespace thb::commission {
namespace {

using ::testing::IsEmpty;

TEST(CommissionPolicy, CoversEveryRpcExactly) {
  const auto& service = CommissionServer::Descriptor();
  EXPECT_THAT(CommissionPolicy().MissingMethods(service), IsEmpty());
  EXPECT_THAT(CommissionPolicy().UnknownMethods(service), IsEmpty());
}

}  // namespace
}  // namespace thb::commission
