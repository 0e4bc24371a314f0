// ApplyUpdateMask: a field the mask names is replaced whole (AIP-134), never merged.
#include "services/common/update_mask.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb {
namespace {

using ::testing::ElementsAre;
namespace co = thb::coordinator::v1;
namespace t = thb::type::v1;

TEST(ApplyUpdateMask, ReplacesRepeatedFieldsInsteadOfAppending) {
  co::Mandate stored;
  stored.add_forms_in_scope(t::FORM_OF_EXPLOITATION_FORCED_LABOUR);
  stored.add_forms_in_scope(t::FORM_OF_EXPLOITATION_ORGAN_REMOVAL);
  co::Mandate patch;
  patch.add_forms_in_scope(t::FORM_OF_EXPLOITATION_FORCED_LABOUR);
  google::protobuf::FieldMask mask;
  mask.add_paths("forms_in_scope");
  ApplyUpdateMask(patch, mask, &stored);
  EXPECT_THAT(stored.forms_in_scope(), ElementsAre(t::FORM_OF_EXPLOITATION_FORCED_LABOUR));
}

TEST(ApplyUpdateMask, ReplacesMessagesSoAZeroReplacesAnOldValue) {
  co::Measure stored;
  stored.set_title("kept");
  stored.mutable_budget()->mutable_allocated()->set_units(250000);
  stored.mutable_budget()->mutable_allocated()->set_nanos(500000000);
  stored.mutable_budget()->set_funding_source("Donor");
  co::Measure patch;
  patch.mutable_budget()->mutable_allocated()->set_units(300000);  // nanos 0
  google::protobuf::FieldMask mask;
  mask.add_paths("budget");
  ApplyUpdateMask(patch, mask, &stored);
  EXPECT_EQ(stored.budget().allocated().units(), 300000);
  EXPECT_EQ(stored.budget().allocated().nanos(), 0);  // merged, it would still be 500000000
  EXPECT_EQ(stored.budget().funding_source(), "");    // the whole budget was named
  EXPECT_EQ(stored.title(), "kept");                  // fields not named are untouched

  // A nested path replaces only what it names.
  co::Measure nested;
  nested.mutable_budget()->set_funding_source("EU programme");
  mask.Clear();
  mask.add_paths("budget.funding_source");
  ApplyUpdateMask(nested, mask, &stored);
  EXPECT_EQ(stored.budget().allocated().units(), 300000);
  EXPECT_EQ(stored.budget().funding_source(), "EU programme");
}

}  // namespace
}  // namespace thb
