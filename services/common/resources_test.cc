#include "services/common/resources.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/testing/test_support.h"
#include "thb/type/v1/audit.pb.h"

namespace thb {
namespace {

using ::testing::ElementsAre;

TEST(Resources, ResourceIds) {
  EXPECT_TRUE(IsValidResourceId("ministry-interior"));
  EXPECT_TRUE(IsValidResourceId("a1"));
  EXPECT_FALSE(IsValidResourceId(""));
  EXPECT_FALSE(IsValidResourceId("1abc"));
  EXPECT_FALSE(IsValidResourceId("Abc"));
  EXPECT_FALSE(IsValidResourceId("a/b"));
  EXPECT_FALSE(IsValidResourceId("trailing-"));
  EXPECT_FALSE(IsValidResourceId(std::string(64, 'a')));
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(IsValidResourceId(NewResourceId()));
}

TEST(Resources, ParseResourceName) {
  EXPECT_EQ(*ParseResourceName("institutions/x1", "institutions", "name"), "x1");
  absl::StatusOr<std::string> bad = ParseResourceName("members/x1", "institutions", "name");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseResourceName("institutions/x1/y", "institutions", "name").ok());
}

TEST(Resources, PageRequests) {
  EXPECT_EQ(ParsePage(0, "", "b")->page_size, 50);
  EXPECT_EQ(ParsePage(5000, "", "b")->page_size, 1000);
  EXPECT_EQ(ParsePage(-1, "", "b").status().code(), absl::StatusCode::kInvalidArgument);
  const std::string token = PageRequest{10, "", "b"}.Token("abc");
  EXPECT_EQ(ParsePage(10, token, "b")->after, "abc");
  EXPECT_EQ(ParsePage(10, "garbage!", "b").status().code(), absl::StatusCode::kInvalidArgument);
  // A token made under another binding is refused, not read as a cursor.
  EXPECT_THAT(testing::ViolatedFields(ParsePage(10, token, "c").status()),
              ElementsAre("page_token"));
}

// AIP-158: a page token belongs to the request that made it. Everything but the page size and the
// token itself binds it: the parent, the filter, the order and the show flags.
TEST(Resources, PageTokensAreBoundToTheRequest) {
  type::v1::ListAuditEventsRequest first;
  first.set_resource("institutions/a");
  first.set_page_size(2);
  type::v1::ListAuditEventsRequest next = first;
  next.set_page_size(7);            // the size may change between pages
  next.set_page_token("anything");  // and the token is not part of the binding
  EXPECT_EQ(RequestBinding(first), RequestBinding(next));
  type::v1::ListAuditEventsRequest other = first;
  other.set_resource("institutions/b");
  EXPECT_NE(RequestBinding(first), RequestBinding(other));
  // Another list with the same fields is another request.
  type::v1::ListChangesRequest changes;
  EXPECT_NE(RequestBinding(changes), RequestBinding(type::v1::ListAuditEventsRequest()));

  const std::string token = PageRequest{2, "", RequestBinding(first)}.Token("5");
  next.set_page_token(token);
  EXPECT_EQ(ParsePageRequest(next)->after, "5");
  other.set_page_token(token);
  EXPECT_THAT(testing::ViolatedFields(ParsePageRequest(other).status()), ElementsAre("page_token"));
}

TEST(Resources, TimestampsKeepMicroseconds) {
  const absl::Time t = absl::FromUnixMicros(1'700'000'000'123'456);
  google::protobuf::Timestamp ts = ToProtoTimestamp(t);
  EXPECT_EQ(ts.seconds(), 1'700'000'000);
  EXPECT_EQ(ts.nanos(), 123'456'000);
  EXPECT_EQ(FormatStoredTime(t), "2023-11-14T22:13:20.123456Z");
}

}  // namespace
}  // namespace thb
