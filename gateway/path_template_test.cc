#include "gateway/path_template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace thb::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

std::vector<std::pair<std::string, std::string>> Bind(const std::string& tmpl,
                                                      const std::string& path) {
  absl::StatusOr<PathTemplate> t = PathTemplate::Parse(tmpl);
  EXPECT_TRUE(t.ok()) << t.status();
  std::vector<std::pair<std::string, std::string>> out;
  auto m = t->Match(path);
  if (!m) return {{"NO MATCH", ""}};
  for (const auto& b : *m) out.emplace_back(b.field_path, b.value);
  return out;
}

TEST(PathTemplate, LiteralsAndSimpleVariable) {
  EXPECT_THAT(Bind("/v1/coordinator/institutions", "/v1/coordinator/institutions"), ElementsAre());
  EXPECT_THAT(Bind("/v1/{name}", "/v1/abc"), ElementsAre(std::make_pair("name", "abc")));
}

TEST(PathTemplate, MultiSegmentVariableWithNestedFieldPath) {
  EXPECT_THAT(Bind("/v1/coordinator/{measure.name=plans/*/measures/*}",
                   "/v1/coordinator/plans/p1/measures/m3"),
              ElementsAre(std::make_pair("measure.name", "plans/p1/measures/m3")));
  EXPECT_THAT(Bind("/v1/coordinator/{name=plans/*/measures/*}", "/v1/coordinator/plans/p1"),
              ElementsAre(std::make_pair("NO MATCH", "")));
  EXPECT_THAT(Bind("/v1/coordinator/{name=plans/*}", "/v1/coordinator/members/p1"),
              ElementsAre(std::make_pair("NO MATCH", "")));
}

TEST(PathTemplate, CustomVerbs) {
  EXPECT_THAT(Bind("/v1/coordinator/{name=plans/*}:adopt", "/v1/coordinator/plans/p1:adopt"),
              ElementsAre(std::make_pair("name", "plans/p1")));
  EXPECT_THAT(Bind("/v1/coordinator/{name=plans/*}:adopt", "/v1/coordinator/plans/p1:close"),
              ElementsAre(std::make_pair("NO MATCH", "")));
  // A template without a verb does not swallow a custom method's path.
  EXPECT_THAT(Bind("/v1/coordinator/{name=plans/*}", "/v1/coordinator/plans/p1:adopt"),
              ElementsAre(std::make_pair("NO MATCH", "")));
  EXPECT_THAT(Bind("/v1/commission/{name=commission}:cadence", "/v1/commission/commission:cadence"),
              ElementsAre(std::make_pair("name", "commission")));
}

TEST(PathTemplate, DoubleWildcardTakesTheRest) {
  EXPECT_THAT(Bind("/files/{path=**}", "/files/a/b/c"),
              ElementsAre(std::make_pair("path", "a/b/c")));
}

TEST(PathTemplate, PercentDecodingPerSegment) {
  EXPECT_THAT(Bind("/v1/{name=things/*}", "/v1/things/a%20b"),
              ElementsAre(std::make_pair("name", "things/a b")));
  EXPECT_THAT(Bind("/v1/{name=things/*}", "/v1/things/a%2"),
              ElementsAre(std::make_pair("NO MATCH", "")));
  std::string out;
  EXPECT_FALSE(PercentDecode("%zz", &out));
  EXPECT_TRUE(PercentDecode("a%2Fb", &out));
  EXPECT_EQ(out, "a/b");
}

TEST(PathTemplate, RejectsMalformedTemplates) {
  EXPECT_FALSE(PathTemplate::Parse("v1/x").ok());
  EXPECT_FALSE(PathTemplate::Parse("/v1/{name").ok());
  EXPECT_FALSE(PathTemplate::Parse("/v1/**/x").ok());
  EXPECT_FALSE(PathTemplate::Parse("/v1/x:").ok());
  EXPECT_FALSE(PathTemplate::Parse("/v1//x").ok());
}

}  // namespace
}  // namespace thb::gateway
