#include "services/common/errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

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
  for (auto code : {absl::StatusCode::kNotFound, absl::StatusCode::kAborted,
                    absl::StatusCode::kFailedPrecondition, absl::StatusCode::kUnavailable,
                    absl::StatusCode::kPermissionDenied, absl::StatusCode::kUnauthenticated}) {
    grpc::Status g = ToGrpcStatus(absl::Status(code, "why"));
    EXPECT_EQ(static_cast<int>(g.error_code()), static_cast<int>(code));
    EXPECT_EQ(g.error_message(), "why");
    EXPECT_TRUE(g.error_details().empty());
  }
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

}  // namespace
}  // namespace thb
