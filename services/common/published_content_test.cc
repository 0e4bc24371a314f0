#include "services/common/published_content.h"

#include <gtest/gtest.h>

#include "google/type/date.pb.h"
#include "thb/coordinator/v1/coordinator.pb.h"

namespace thb {
namespace {

TEST(PublishedContentSha256, NormalisesNewlinesInHeadersAndBody) {
  // sha256("thb-test-v1\na\nb\nc\n\nx\ny"), computed outside the suite.
  EXPECT_EQ(PublishedContentSha256("thb-test-v1", {"a\r\nb", "c"}, "x\ry"),
            "6de65cf03d14fa71337de33408b3312a28f9e5c220cf760035ad18b2a47f20be");
  EXPECT_EQ(PublishedContentSha256("thb-test-v1", {"a\nb", "c"}, "x\ny"),
            PublishedContentSha256("thb-test-v1", {"a\r\nb", "c"}, "x\r\ny"));
  EXPECT_NE(PublishedContentSha256("thb-test-v1", {"a", "b"}, ""),
            PublishedContentSha256("thb-test-v1", {"ab"}, ""));
}

TEST(CanonicalJson, SortsKeysAndDropsWhitespace) {
  coordinator::v1::ProgressRollup r;
  r.set_plan("plans/é");
  r.set_progress_percent(37.5);
  r.set_measure_count(4);
  // What json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) writes.
  EXPECT_EQ(CanonicalJson(r), R"({"measure_count":4,"plan":"plans/é","progress_percent":37.5})");
  r.set_progress_percent(45.0);  // a double without a fraction is written as an integer
  EXPECT_EQ(CanonicalJson(r), R"({"measure_count":4,"plan":"plans/é","progress_percent":45})");
}

}  // namespace
}  // namespace thb
