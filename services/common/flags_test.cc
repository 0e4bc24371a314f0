#include "services/common/flags.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "absl/flags/flag.h"

namespace thb {
namespace {

TEST(Flags, EnvironmentFallsBackAndCommandLineWins) {
  setenv("THB_DB", "/from/env.db", 1);
  setenv("THB_LOG_LEVEL", "debug", 1);
  char prog[] = "thb-test";
  char log_flag[] = "--log_level=warning";
  char* argv[] = {prog, log_flag};
  ParseFlags(2, argv, {"thb-test", "test", "127.0.0.1:1", "", "default.db"});
  EXPECT_EQ(absl::GetFlag(FLAGS_db), "/from/env.db");     // env beats the binary's default
  EXPECT_EQ(absl::GetFlag(FLAGS_log_level), "warning");   // command line beats env
  EXPECT_EQ(absl::GetFlag(FLAGS_listen), "127.0.0.1:1");  // default when neither is given
  unsetenv("THB_DB");
  unsetenv("THB_LOG_LEVEL");
}

}  // namespace
}  // namespace thb
