#include "services/common/errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/testing/test_support.h"

namespace thb {
namespace {

TEST(Errors, FieldViolationsSurviveTheTripThroughGrpc) {
  FieldViolations v;
  v.Add("institution.display_name", "is required");
  v.Add("institution.sector", "must be one of the Sector values");
  absl::Status s = v.ToStatus();
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);

  grpc::Status g = ToGrpcStatus(s);
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status wire;
  ASSERT_TRUE(wire.ParseFromString(g.error_details()));
  ASSERT_EQ(wire.details_size(), 1);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(wire.details(0).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(1).field(), "institution.sector");

  absl::Status back = FromGrpcStatus(g);
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  std::vector<FieldViolation> got = GetFieldViolations(back);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].field, "institution.display_name");
  EXPECT_EQ(got[0].description, "is required");
}

TEST(Errors, EmptyCollectorIsOk) { EXPECT_TRUE(FieldViolations().ToStatus().ok()); }

TEST(Errors, CodesMapOneToOneWithoutDetails) {
  for (auto code : {absl::StatusCode::kUnavailable, absl::StatusCode::kPermissionDenied,
                    absl::StatusCode::kUnauthenticated, absl::StatusCode::kInternal}) {
    grpc::Status g = ToGrpcStatus(absl::Status(code, "why"));
    EXPECT_EQ(static_cast<int>(g.error_code()), static_cast<int>(code));
    EXPECT_EQ(g.error_message(), "why");
    EXPECT_TRUE(g.error_details().empty());
  }
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

// Every refusal carries an ErrorInfo: one without a reason of its own gets its code's generic one.
TEST(Errors, RefusalsWithoutAReasonGetTheirCodesGenericOne) {
  const std::pair<absl::StatusCode, const char*> cases[] = {
      {absl::StatusCode::kFailedPrecondition, "PRECONDITION_FAILED"},
      {absl::StatusCode::kNotFound, "RESOURCE_NOT_FOUND"},
      {absl::StatusCode::kAlreadyExists, "RESOURCE_ALREADY_EXISTS"},
      {absl::StatusCode::kAborted, "CONCURRENT_CHANGE"}};
  for (const auto& [code, reason] : cases) {
    grpc::Status g = ToGrpcStatus(absl::Status(code, "why"));
    EXPECT_EQ(static_cast<int>(g.error_code()), static_cast<int>(code));
    EXPECT_EQ(g.error_message(), "why");
    EXPECT_EQ(testing::DecodeRefusal(g).reason, reason);
    EXPECT_EQ(testing::DecodeRefusal(g).domain, "thb-suite");
  }
  // A reason given is kept, not replaced by the generic one.
  grpc::Status etag =
      ToGrpcStatus(WithReason(absl::AbortedError("stale"), type::v1::ERROR_REASON_ETAG_MISMATCH));
  EXPECT_EQ(testing::DecodeRefusal(etag).reason, "ETAG_MISMATCH");
}

TEST(Errors, PreconditionFailedCarriesTypeSubjectAndReason) {
  grpc::Status g = ToGrpcStatus(PreconditionFailed(type::v1::ERROR_REASON_PLAN_FROZEN,
                                                   type::v1::PRECONDITION_TYPE_STATE, "plans/p",
                                                   "plan plans/p is CLOSED"));
  EXPECT_EQ(g.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(g.error_message(), "plan plans/p is CLOSED");
  const testing::RefusalDetails d = testing::DecodeRefusal(g);
  EXPECT_EQ(d.reason, "PLAN_FROZEN");
  EXPECT_EQ(d.precondition_type, "STATE");
  EXPECT_EQ(d.precondition_subject, "plans/p");
  // The details survive a hop through another service (FromGrpcStatus, then ToGrpcStatus).
  const testing::RefusalDetails again = testing::DecodeRefusal(ToGrpcStatus(FromGrpcStatus(g)));
  EXPECT_EQ(again.reason, "PLAN_FROZEN");
  EXPECT_EQ(again.precondition_subject, "plans/p");
}

TEST(Errors, NotFoundAndAlreadyExistsNameTheResource) {
  const testing::RefusalDetails missing = testing::DecodeRefusal(
      ToGrpcStatus(ResourceNotFound("thb.coordinator.v1.Institution", "institutions/x", "gone")));
  EXPECT_EQ(missing.reason, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(missing.resource_type, "thb.coordinator.v1.Institution");
  EXPECT_EQ(missing.resource_name, "institutions/x");
  const testing::RefusalDetails taken = testing::DecodeRefusal(ToGrpcStatus(ResourceAlreadyExists(
      type::v1::ERROR_REASON_SEAT_TAKEN, "thb.commission.v1.Member", "members/m", "taken")));
  EXPECT_EQ(taken.reason, "SEAT_TAKEN");
  EXPECT_EQ(taken.resource_name, "members/m");
  EXPECT_EQ(ReasonOf(Denied(type::v1::ERROR_REASON_NOT_ADDRESSEE, "no")), "NOT_ADDRESSEE");
}

}  // namespace
}  // namespace thb
