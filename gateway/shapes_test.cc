// The annotation shapes the suite's services do not use themselves, on a test-only contract
// (testdata/thb/gatewaytest/v1/shapes.proto): additional_bindings, response_body, "**", and
// well-known types, wrappers, nested and repeated fields as query parameters.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "gateway/openapi.h"
#include "gateway/route_table.h"
#include "gateway/transcoder.h"
#include "services/common/status_macros.h"
#include "thb/gatewaytest/v1/shapes.pb.h"

namespace thb::gateway {
namespace {

namespace gt = thb::gatewaytest::v1;

class ShapesTest : public ::testing::Test {
 protected:
  ShapesTest()
      : table_(*RouteTable::Build(
            {gt::Thing::descriptor()->file()->FindServiceByName("ShapesService")})) {}

  template <typename T>
  absl::StatusOr<T> Request(const std::string& path, const std::string& query) {
    RouteMatch m = table_.Find("GET", path);
    EXPECT_EQ(m.result, RouteMatch::kFound) << path;
    if (m.result != RouteMatch::kFound) return absl::NotFoundError(path);
    THB_ASSIGN_OR_RETURN(auto message, BuildRequestMessage(*m.route, m.bindings, query, ""));
    T out;
    out.CopyFrom(*message);
    return out;
  }

  RouteTable table_;
};

TEST_F(ShapesTest, AdditionalBindingsRouteToTheSameMethod) {
  RouteMatch main = table_.Find("GET", "/v1/things/t1");
  RouteMatch legacy = table_.Find("GET", "/v1/legacy/things/t1");
  ASSERT_EQ(main.result, RouteMatch::kFound);
  ASSERT_EQ(legacy.result, RouteMatch::kFound);
  EXPECT_EQ(main.route->method, legacy.route->method);
  EXPECT_EQ(legacy.route->method->name(), "GetThing");
  EXPECT_EQ(Request<gt::GetThingRequest>("/v1/legacy/things/t1", "")->name(), "things/t1");
}

TEST_F(ShapesTest, ResponseBodyPrintsOnlyThatField) {
  RouteMatch m = table_.Find("GET", "/v1/things/t1:title");
  ASSERT_EQ(m.result, RouteMatch::kFound);
  EXPECT_EQ(m.route->method->name(), "GetThingTitle");
  gt::Thing thing;
  thing.set_name("things/t1");
  thing.set_title("Hello \"world\"");
  EXPECT_EQ(*ResponseToJson(*m.route, thing), R"("Hello \"world\"")");
}

TEST_F(ShapesTest, DoubleStarBindsTheRestOfThePath) {
  EXPECT_EQ(Request<gt::GetFileRequest>("/v1/files/a/b/c.txt", "")->path(), "a/b/c.txt");
  EXPECT_EQ(Request<gt::GetFileRequest>("/v1/files/a%20b", "")->path(), "a b");
}

TEST_F(ShapesTest, WellKnownTypesWrappersNestedAndRepeatedQueryParameters) {
  absl::StatusOr<gt::FindThingsRequest> r = Request<gt::FindThingsRequest>(
      "/v1/things:find",
      "since=2025-01-02T03:04:05Z&within=1.5s&limit=7&mask=name,title&filter.tag=x%20y"
      "&filter.codes=1&filter.codes=2&filter.colour=COLOUR_RED&big=9007199254740993");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->since().seconds(), 1735787045);
  EXPECT_EQ(r->within().seconds(), 1);
  EXPECT_EQ(r->within().nanos(), 500000000);
  EXPECT_EQ(r->limit().value(), 7);
  EXPECT_THAT(r->mask().paths(), ::testing::ElementsAre("name", "title"));
  EXPECT_EQ(r->filter().tag(), "x y");
  EXPECT_THAT(r->filter().codes(), ::testing::ElementsAre(1, 2));
  EXPECT_EQ(r->filter().colour(), gt::COLOUR_RED);
  EXPECT_EQ(r->big(), 9007199254740993);  // beyond a double's precision: parsed as an integer
  EXPECT_EQ(Request<gt::FindThingsRequest>("/v1/things:find", "filter.colour=1")->filter().colour(),
            gt::COLOUR_RED);  // enums by number too
  for (const char* bad : {"since=yesterday", "within=soon", "limit=seven", "filter.colour=BLUE",
                          "filter.nothing=1", "big=1.5"}) {
    EXPECT_EQ(Request<gt::FindThingsRequest>("/v1/things:find", bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST_F(ShapesTest, OpenApiListsEveryBindingAndTheRestOfPathParameter) {
  nlohmann::json doc = nlohmann::json::parse(*BuildOpenApi(table_, ""));
  EXPECT_TRUE(doc["paths"].contains("/v1/things/{thing}"));
  EXPECT_TRUE(doc["paths"].contains("/v1/legacy/things/{thing}"));
  // operationIds stay unique across a method's bindings.
  EXPECT_THAT(
      (std::vector<std::string>{doc["paths"]["/v1/things/{thing}"]["get"]["operationId"],
                                doc["paths"]["/v1/legacy/things/{thing}"]["get"]["operationId"]}),
      ::testing::UnorderedElementsAre("ShapesService_GetThing", "ShapesService_GetThing_2"));
  EXPECT_EQ(doc["paths"]["/v1/things/{thing}:title"]["get"]["responses"]["200"]["content"]
               ["application/json"]["schema"]["type"],
            "string");
  const nlohmann::json& file = doc["paths"]["/v1/files/{path}"]["get"]["parameters"][0];
  EXPECT_EQ(file["name"], "path");
  EXPECT_THAT(file["description"].get<std::string>(), ::testing::HasSubstr("slashes included"));
  std::vector<std::string> query;
  for (const auto& p : doc["paths"]["/v1/things:find"]["get"]["parameters"])
    query.push_back(p["name"]);
  EXPECT_THAT(query, ::testing::IsSupersetOf({"since", "within", "limit", "mask", "filter.tag",
                                              "filter.codes", "filter.colour", "big"}));
}

}  // namespace
}  // namespace thb::gateway
