#include "services/common/input_limits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/testing/test_support.h"
#include "thb/coordinator/v1/coordinator.pb.h"
#include "thb/rapporteur/v1/rapporteur.pb.h"

namespace thb {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Violations(const google::protobuf::Message& m) {
  FieldViolations v;
  CheckInputLimits(m, SuiteInputLimits(), &v);
  return testing::ViolatedFields(v.ToStatus());
}

TEST(InputLimits, StringsAreBoundedIdentifiersMoreTightly) {
  coordinator::v1::CreateInstitutionRequest ok;
  ok.set_institution_id(std::string(1024, 'a'));
  ok.mutable_institution()->set_display_name(std::string(16 * 1024, 'x'));
  EXPECT_THAT(Violations(ok), IsEmpty());  // exactly at the limits

  coordinator::v1::CreateInstitutionRequest too_long = ok;
  too_long.set_institution_id(std::string(1025, 'a'));
  too_long.mutable_institution()->set_display_name(std::string(16 * 1024 + 1, 'x'));
  EXPECT_THAT(Violations(too_long),
              ElementsAre("institution.display_name", "institution_id"));  // field order
}

TEST(InputLimits, RepeatedFieldsAreCountedAndTheirItemsChecked) {
  rapporteur::v1::QueryStatisticsRequest query;
  for (int i = 0; i < 1000; ++i) query.add_regions("r");
  EXPECT_THAT(Violations(query), IsEmpty());
  query.add_regions("r");
  EXPECT_THAT(Violations(query), ElementsAre("regions"));

  rapporteur::v1::QueryStatisticsRequest long_item;
  long_item.add_regions("r");
  long_item.add_regions(std::string(16 * 1024 + 1, 'r'));
  EXPECT_THAT(Violations(long_item), ElementsAre("regions[1]"));
}

TEST(InputLimits, NamedFieldsHaveTheirOwnLimits) {
  rapporteur::v1::CreateReportRequest report;
  report.mutable_report()->set_content(std::string(1024 * 1024, 'm'));  // a long report is fine
  EXPECT_THAT(Violations(report), IsEmpty());
  report.mutable_report()->set_content(std::string(1024 * 1024 + 1, 'm'));
  EXPECT_THAT(Violations(report), ElementsAre("report.content"));

  rapporteur::v1::CreateStatisticsSubmissionRequest rows;
  for (int i = 0; i < 1001; ++i) rows.mutable_statistics_submission()->add_rows();
  EXPECT_THAT(Violations(rows), IsEmpty());  // up to 100,000 rows
}

}  // namespace
}  // namespace thb
