#include "services/rapporteur/population_tables.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/testing/test_support.h"
#include "services/rapporteur/testing/domain_fixtures.h"

namespace thb::rapporteur {
namespace {

using ::testing::Contains;

class PopulationTablesTest : public StatisticsTest {};

TEST_F(PopulationTablesTest, CreateValidatesEveryEntryAndListShowsWhatWasStored) {
  v1::CreatePopulationTableRequest pop;
  pop.mutable_population_table()->set_source("National statistics office");
  auto* e = pop.mutable_population_table()->add_entries();
  e->set_region("AT-1");
  e->set_year(2023);
  e->set_population(1500000);
  ASSERT_TRUE(populations_->Create(AuditActor::Internal(), pop).ok());
  EXPECT_EQ(populations_->List({})->population_tables_size(), 1);

  v1::CreatePopulationTableRequest bad;
  bad.mutable_population_table()->add_entries()->set_population(-5);
  std::vector<std::string> fields =
      testing::ViolatedFields(populations_->Create(AuditActor::Internal(), bad).status());
  EXPECT_THAT(fields, Contains("population_table.source"));
  EXPECT_THAT(fields, Contains("population_table.entries[0].population"));
  EXPECT_THAT(fields, Contains("population_table.entries[0].year"));
}

}  // namespace
}  // namespace thb::rapporteur
