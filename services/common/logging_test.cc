// Every line a binary writes to stdout is one JSON object, its own and protobuf's alike.
#include "services/common/logging.h"

#include <google/protobuf/stubs/logging.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"

namespace thb {
namespace {

std::vector<nlohmann::json> Lines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    nlohmann::json parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(parsed.is_object()) << "not a JSON object: " << line;
    lines.push_back(parsed);
  }
  return lines;
}

TEST(Logging, ProtobufMessagesBecomeJsonLines) {
  InitLogging("logtest", LogLevel::kInfo);
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  GOOGLE_LOG(ERROR) << "a message from protobuf";
  GOOGLE_LOG(WARNING) << "a warning with \"quotes\" and \xff bytes";
  // A real one: a proto3 string with ill-formed UTF-8 makes protobuf complain while serializing.
  google::protobuf::Value value;
  value.set_string_value("\xff\xfe");
  std::string wire;
  (void)value.SerializeToString(&wire);
  const std::string out = testing::internal::GetCapturedStdout();
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.find("[libprotobuf"), std::string::npos) << err;
  std::vector<nlohmann::json> lines = Lines(out);
  ASSERT_GE(lines.size(), 3u) << out;
  EXPECT_EQ(lines[0]["level"], "error");
  EXPECT_EQ(lines[0]["msg"], "a message from protobuf");
  EXPECT_EQ(lines[0]["source"], "protobuf");
  EXPECT_EQ(lines[0]["service"], "logtest");
  EXPECT_EQ(lines[1]["level"], "warning");
  EXPECT_NE(lines[2]["msg"].get<std::string>().find("UTF-8"), std::string::npos) << out;
}

TEST(Logging, IllFormedUtf8InFieldsStillMakesOneJsonLine) {
  InitLogging("logtest", LogLevel::kInfo);
  testing::internal::CaptureStdout();
  Log(LogLevel::kInfo, "bad \xc3", {{"request_id", "\xff\xfe"}});
  std::vector<nlohmann::json> lines = Lines(testing::internal::GetCapturedStdout());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["level"], "info");
}

}  // namespace
}  // namespace thb
