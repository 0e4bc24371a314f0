#include "services/common/input_limits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "services/common/testing/test_support.h"
#include "thb/commission/v1/commission.pb.h"
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
  ok.mutable_institution()->set_contact_email(std::string(16 * 1024, 'x'));
  EXPECT_THAT(Violations(ok), IsEmpty());  // exactly at the limits

  coordinator::v1::CreateInstitutionRequest too_long = ok;
  too_long.set_institution_id(std::string(1025, 'a'));
  too_long.mutable_institution()->set_contact_email(std::string(16 * 1024 + 1, 'x'));
  EXPECT_THAT(Violations(too_long),
              ElementsAre("institution.contact_email", "institution_id"));  // field order
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

// The domain's limits are the only limits of their fields: a text the domain allows in full is
// not cut short by the 16 KiB default (the default once refused minutes the domain accepts).
// Each at its limit passes, one byte over is refused naming the field.
TEST(InputLimits, DomainLimitsAboveTheDefaultHoldExactlyAtTheBoundary) {
  struct Case {
    std::function<void(google::protobuf::Message*, size_t)> set;
    google::protobuf::Message* request;
    size_t limit;
    std::string field;
  };
  commission::v1::RecordMeetingOutcomeRequest outcome;
  commission::v1::CreateMeetingRequest meeting;
  commission::v1::CreateSubmissionRequest submission;
  commission::v1::CreateStatusReportRequest summary;
  commission::v1::CreateStatusReportRequest issues;
  coordinator::v1::CreateProgressReportRequest narrative;
  const std::vector<Case> cases = {
      {[&](auto*, size_t n) { outcome.set_minutes(std::string(n, 'm')); }, &outcome, 100000,
       "minutes"},
      {[&](auto*, size_t n) { meeting.mutable_meeting()->set_minutes(std::string(n, 'm')); },
       &meeting, 100000, "meeting.minutes"},
      {[&](auto*, size_t n) { submission.mutable_submission()->set_text(std::string(n, 's')); },
       &submission, 20000, "submission.text"},
      {[&](auto*, size_t n) { summary.mutable_status_report()->set_summary(std::string(n, 's')); },
       &summary, 20000, "status_report.summary"},
      {[&](auto*, size_t n) {
         issues.mutable_status_report()->set_issues_raised(std::string(n, 'i'));
       },
       &issues, 20000, "status_report.issues_raised"},
      {[&](auto*, size_t n) {
         narrative.mutable_progress_report()->set_narrative(std::string(n, 'n'));
       },
       &narrative, 20000, "progress_report.narrative"},
  };
  for (const Case& c : cases) {
    c.set(c.request, c.limit);
    EXPECT_THAT(Violations(*c.request), IsEmpty()) << c.field << " at its limit";
    c.set(c.request, c.limit + 1);
    EXPECT_THAT(Violations(*c.request), ElementsAre(c.field)) << c.field << " one byte over";
  }
}

TEST(InputLimits, ShorterDomainLimitsAreEnforcedBeforeTheHandler) {
  coordinator::v1::CreateInstitutionRequest inst;
  inst.mutable_institution()->set_display_name(std::string(200, 'd'));
  EXPECT_THAT(Violations(inst), IsEmpty());
  inst.mutable_institution()->set_display_name(std::string(201, 'd'));
  EXPECT_THAT(Violations(inst), ElementsAre("institution.display_name"));

  commission::v1::CreateMeetingRequest meeting;
  for (int i = 0; i < 100; ++i) meeting.mutable_meeting()->add_agenda();
  EXPECT_THAT(Violations(meeting), IsEmpty());
  meeting.mutable_meeting()->add_agenda();
  EXPECT_THAT(Violations(meeting), ElementsAre("meeting.agenda"));
}

// A repeated field's declared limit counts entries, not bytes: a list capped at 20 themes takes a
// theme longer than 20 bytes, and an institution name longer than its list's count.
TEST(InputLimits, ARepeatedFieldsLimitCountsEntriesAndEachEntryIsIdentifierSized) {
  coordinator::v1::CreateExternalRecommendationRequest r;
  r.mutable_external_recommendation()->add_themes("labour exploitation in agriculture");
  r.mutable_external_recommendation()->add_responsible_institutions("institutions/" +
                                                                    std::string(63, 'a'));
  EXPECT_THAT(Violations(r), ::testing::IsEmpty());
  r.mutable_external_recommendation()->add_themes(std::string(1025, 'x'));
  EXPECT_THAT(Violations(r), ElementsAre("external_recommendation.themes[1]"));
  r.mutable_external_recommendation()->clear_themes();
  for (int i = 0; i < 21; ++i) r.mutable_external_recommendation()->add_themes("t");
  EXPECT_THAT(Violations(r), ElementsAre("external_recommendation.themes"));
}

// A declared limit names a field that exists, so a renamed field cannot silently lose its limit.
TEST(InputLimits, EveryDeclaredLimitNamesAStringBytesOrRepeatedField) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  // The generated descriptors are registered when first used; these pull in every contract.
  ASSERT_NE(coordinator::v1::Institution::descriptor(), nullptr);
  ASSERT_NE(commission::v1::Meeting::descriptor(), nullptr);
  ASSERT_NE(rapporteur::v1::Report::descriptor(), nullptr);
  ASSERT_GE(SuiteInputLimits().field_limits.size(), 30u);
  for (const auto& [name, limit] : SuiteInputLimits().field_limits) {
    const google::protobuf::FieldDescriptor* f = pool->FindFieldByName(name);
    ASSERT_NE(f, nullptr) << name << " is not a field of the contracts";
    EXPECT_TRUE(f->is_repeated() ||
                f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_STRING)
        << name;
    EXPECT_GT(limit, 0u) << name;
  }
}

}  // namespace
}  // namespace thb
