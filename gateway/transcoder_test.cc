#include "gateway/transcoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "thb/commission/v1/commission.pb.h"
#include "thb/coordinator/v1/coordinator.pb.h"
#include "thb/rapporteur/v1/rapporteur.pb.h"

namespace thb::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace co = thb::coordinator::v1;

const google::protobuf::ServiceDescriptor* Coordinator() {
  return co::Institution::descriptor()->file()->FindServiceByName("CoordinatorService");
}

class TranscoderTest : public ::testing::Test {
 protected:
  TranscoderTest() {
    table_ = *RouteTable::Build(
        {Coordinator(),
         thb::commission::v1::Member::descriptor()->file()->FindServiceByName("CommissionService"),
         thb::rapporteur::v1::Report::descriptor()->file()->FindServiceByName(
             "RapporteurService")});
  }

  template <typename T>
  absl::StatusOr<T> Build(const std::string& method, const std::string& target,
                          const std::string& body = "", bool ignore_unknown_fields = false) {
    const size_t q = target.find('?');
    RouteMatch m = table_.Find(method, target.substr(0, q));
    if (m.result != RouteMatch::kFound) return absl::NotFoundError("no route");
    THB_ASSIGN_OR_RETURN(
        auto msg, BuildRequestMessage(*m.route, m.bindings,
                                      q == std::string::npos ? "" : target.substr(q + 1), body,
                                      ignore_unknown_fields));
    T out;
    out.CopyFrom(*msg);
    return out;
  }

  RouteTable table_;
};

TEST_F(TranscoderTest, EveryRpcOfEveryServiceHasARoute) {
  int rpcs = 0;
  for (const auto* s :
       {Coordinator(),
        thb::commission::v1::Member::descriptor()->file()->FindServiceByName("CommissionService"),
        thb::rapporteur::v1::Report::descriptor()->file()->FindServiceByName(
            "RapporteurService")}) {
    rpcs += s->method_count();
  }
  EXPECT_EQ(table_.routes().size(), static_cast<size_t>(rpcs));
  for (const Route& r : table_.routes()) {
    EXPECT_THAT(r.path.text(), HasSubstr("/v1/")) << r.full_method;
  }
}

TEST_F(TranscoderTest, PathVariableAndQueryParameters) {
  auto req = Build<co::ListInstitutionsRequest>("GET",
                                                "/v1/coordinator/"
                                                "institutions?pageSize=5&page_token=abc&sector="
                                                "SECTOR_CIVIL_SOCIETY&kind=2&showArchived=true");
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->page_size(), 5);
  EXPECT_EQ(req->page_token(), "abc");
  EXPECT_EQ(req->sector(), thb::type::v1::SECTOR_CIVIL_SOCIETY);
  EXPECT_EQ(req->kind(), co::INSTITUTION_KIND_CIVIL_SOCIETY);
  EXPECT_TRUE(req->show_archived());

  auto get = Build<co::GetInstitutionRequest>("GET", "/v1/coordinator/institutions/ngo-1");
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->name(), "institutions/ngo-1");
}

TEST_F(TranscoderTest, RepeatedAndNestedQueryParameters) {
  auto req = Build<thb::rapporteur::v1::ExportStatisticsRequest>(
      "GET",
      "/v1/rapporteur/statistics:export?format=EXPORT_FORMAT_JSON&fromYear=2020&to_year=2024");
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->format(), thb::rapporteur::v1::EXPORT_FORMAT_JSON);
  EXPECT_EQ(req->from_year(), 2020);
  EXPECT_EQ(req->to_year(), 2024);
}

TEST_F(TranscoderTest, BadQueryValuesAreInvalidArgument) {
  EXPECT_EQ(Build<co::ListInstitutionsRequest>("GET", "/v1/coordinator/institutions?pageSize=many")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      Build<co::ListInstitutionsRequest>("GET", "/v1/coordinator/institutions?sector=PIRATES")
          .status()
          .message(),
      HasSubstr("thb.type.v1.Sector"));
  EXPECT_THAT(Build<co::ListInstitutionsRequest>("GET", "/v1/coordinator/institutions?colour=red")
                  .status()
                  .message(),
              HasSubstr("no such field"));
}

TEST_F(TranscoderTest, BodyFieldPlusQueryForTheRest) {
  auto req = Build<co::CreateInstitutionRequest>(
      "POST", "/v1/coordinator/institutions?institutionId=ngo&requestId=r1",
      R"({"displayName":"NGO","sector":"SECTOR_CIVIL_SOCIETY","contact_email":"a@b.org"})");
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->institution_id(), "ngo");
  EXPECT_EQ(req->request_id(), "r1");
  EXPECT_EQ(req->institution().display_name(), "NGO");
  EXPECT_EQ(req->institution().contact_email(), "a@b.org");  // proto names accepted too
}

TEST_F(TranscoderTest, UnknownJsonFieldIsRejected) {
  auto req = Build<co::CreateInstitutionRequest>("POST", "/v1/coordinator/institutions",
                                                 R"({"displayName":"x","favouriteColour":"red"})");
  EXPECT_EQ(req.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(req.status().message(), HasSubstr("favouriteColour"));
  // Like every bad input, it carries a field violation (on the request body).
  const std::vector<FieldViolation> violations = GetFieldViolations(req.status());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "body");
}

TEST_F(TranscoderTest, UnknownFieldsAreDroppedWhenConfigured) {
  auto req = Build<co::UpdateInstitutionRequest>(
      "PATCH",
      "/v1/coordinator/institutions/ngo?requestId=r1&favouriteColour=red&institution.shoeSize=9",
      R"({"displayName":"New","favouriteColour":"red"})", /*ignore_unknown_fields=*/true);
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->institution().display_name(), "New");
  EXPECT_EQ(req->request_id(), "r1");
  EXPECT_EQ(req->update_mask().paths_size(), 1);  // only the known field is to change
  EXPECT_EQ(req->update_mask().paths(0), "display_name");
  // Known fields with bad values are still errors.
  EXPECT_EQ(Build<co::ListInstitutionsRequest>(
                "GET", "/v1/coordinator/institutions?pageSize=many&x=1", "", true)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TranscoderTest, PatchFillsUpdateMaskFromTheBodyAndPathWins) {
  auto req = Build<co::UpdateInstitutionRequest>(
      "PATCH", "/v1/coordinator/institutions/ngo",
      R"({"name":"institutions/other","displayName":"New","contactEmail":"x@y.org"})");
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_EQ(req->institution().name(), "institutions/ngo");
  EXPECT_THAT(req->update_mask().paths(),
              testing::UnorderedElementsAre("name", "display_name", "contact_email"));

  auto explicit_mask = Build<co::UpdateInstitutionRequest>(
      "PATCH", "/v1/coordinator/institutions/ngo?updateMask=displayName",
      R"({"displayName":"New"})");
  ASSERT_TRUE(explicit_mask.ok()) << explicit_mask.status();
  EXPECT_THAT(explicit_mask->update_mask().paths(), ElementsAre("display_name"));
}

TEST_F(TranscoderTest, BodyStarMethodsTakeNoQueryAndGetTakesNoBody) {
  EXPECT_EQ(Build<co::AdoptPlanRequest>("POST", "/v1/coordinator/plans/p1:adopt?etag=x", "{}")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  auto adopt = Build<co::AdoptPlanRequest>(
      "POST", "/v1/coordinator/plans/p1:adopt",
      R"({"etag":"\"v3\"","adoptedOn":{"year":2025,"month":3,"day":1}})");
  ASSERT_TRUE(adopt.ok()) << adopt.status();
  EXPECT_EQ(adopt->name(), "plans/p1");
  EXPECT_EQ(adopt->adopted_on().year(), 2025);
  EXPECT_EQ(Build<co::GetInstitutionRequest>("GET", "/v1/coordinator/institutions/x", "{}")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TranscoderTest, MethodNotAllowedListsTheAllowedOnes) {
  RouteMatch m = table_.Find("DELETE", "/v1/coordinator/institutions");
  EXPECT_EQ(m.result, RouteMatch::kMethodNotAllowed);
  EXPECT_THAT(m.allowed_methods, testing::UnorderedElementsAre("GET", "POST"));
  EXPECT_EQ(table_.Find("GET", "/v2/nothing").result, RouteMatch::kNotFound);
}

TEST_F(TranscoderTest, ResponsesArePrintedAsProto3Json) {
  RouteMatch m = table_.Find("GET", "/v1/coordinator/institutions/x");
  co::Institution inst;
  inst.set_name("institutions/x");
  inst.set_display_name("X");
  inst.set_sector(thb::type::v1::SECTOR_HEALTH);
  absl::StatusOr<std::string> json = ResponseToJson(*m.route, inst);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(*json, R"({"name":"institutions/x","displayName":"X","sector":"SECTOR_HEALTH"})");
}

}  // namespace
}  // namespace thb::gateway
