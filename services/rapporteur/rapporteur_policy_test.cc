#include "services/rapporteur/rapporteur_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/rapporteur/rapporteur_service.h"

namespace thb::rapporteur {
namespace {

using ::testing::IsEmpty;

TEST(RapporteurPolicy, CoversEveryRpcExactly) {
  const auto& service = RapporteurServer::Descriptor();
  EXPECT_THAT(RapporteurPolicy().MissingMethods(service), IsEmpty());
  EXPECT_THAT(RapporteurPolicy().UnknownMethods(service), IsEmpty());
}

}  // namespace
}  // namespace thb::rapporteur
