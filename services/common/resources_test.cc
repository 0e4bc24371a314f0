#include "services/common/resources.h"

#include <gtest/gtest.h>

namespace thb {
namespace {

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
  EXPECT_EQ(ParsePageRequest(0, "")->page_size, 50);
  EXPECT_EQ(ParsePageRequest(5000, "")->page_size, 1000);
  EXPECT_EQ(ParsePageRequest(-1, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParsePageRequest(10, EncodePageToken("abc"))->after, "abc");
  EXPECT_EQ(ParsePageRequest(10, "garbage!").status().code(), absl::StatusCode::kInvalidArgument);
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
