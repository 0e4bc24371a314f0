// SplitFilter: the AIP-160 subset the list filters share, and what it refuses.
#include "services/common/filter_terms.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "thb/type/v1/vocabulary.pb.h"

namespace thb {
namespace {

TEST(SplitFilter, TermsJoinedByAndWithBareOrQuotedValues) {
  absl::StatusOr<std::vector<FilterTerm>> terms = SplitFilter(
      "pillar = PROTECTION AND lead_institution = \"institutions/x y\" AND forms:LABOUR");
  ASSERT_TRUE(terms.ok()) << terms.status();
  ASSERT_EQ(terms->size(), 3u);
  EXPECT_EQ((*terms)[0].value, "PROTECTION");
  EXPECT_EQ((*terms)[1].value, "institutions/x y");  // spaces inside quotes are the value's
  EXPECT_EQ((*terms)[2].op, ':');
  EXPECT_TRUE(SplitFilter("  ")->empty());
}

TEST(SplitFilter, AnythingAfterAValueIsAnErrorNotAValueThatMatchesNothing) {
  for (const char* filter : {
           "lead_institution = \"institutions/x\" garbage trailing",
           "lead_institution = \"institutions/x\" OR internal_notes = \"y\"",
           "lead_institution = institutions/x OR status = DONE",
           "status = DONE extra",
           "title = \"unterminated",
       }) {
    absl::Status s = SplitFilter(filter).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << filter;
  }
}

TEST(FilterEnumNumber, ReadsShortOrFullNamesAndRefusesUnspecified) {
  const auto* pillar = thb::type::v1::Pillar_descriptor();
  EXPECT_EQ(*FilterEnumNumber(pillar, "PILLAR_", "protection", "pillar"),
            thb::type::v1::PILLAR_PROTECTION);
  EXPECT_EQ(*FilterEnumNumber(pillar, "PILLAR_", "PILLAR_PREVENTION", "pillar"),
            thb::type::v1::PILLAR_PREVENTION);
  for (const char* bad : {"UNSPECIFIED", "PILLAR_UNSPECIFIED", "pizza", ""}) {
    absl::StatusOr<int> n = FilterEnumNumber(pillar, "PILLAR_", bad, "pillar");
    EXPECT_EQ(n.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(*FilterBool("overdue", "true"));
  EXPECT_FALSE(*FilterBool("overdue", "false"));
  EXPECT_EQ(FilterBool("overdue", "yes").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace thb
