// thb-token: mints an HS256 bearer token for local development and demos, signed with the
// same key file the services are started with. Production tokens come from the identity
// provider (RS256), never from this tool.
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "services/common/auth.h"
#include "services/common/flags.h"

ABSL_FLAG(std::string, key_file, "", "HS256 key file (the services' --jwt_hs256_key_file)");
ABSL_FLAG(std::string, sub, "dev-user", "subject (sub claim)");
ABSL_FLAG(std::string, roles, "", "comma-separated roles, e.g. coordinator_office");
ABSL_FLAG(std::string, institution, "", "institution claim, e.g. institutions/ministry-interior");
ABSL_FLAG(std::string, issuer, "", "iss claim");
ABSL_FLAG(std::string, audience, "", "aud claim");
ABSL_FLAG(absl::Duration, ttl, absl::Hours(8), "lifetime of the token");

// A command-line tool: an exception (out of memory) may end it with the runtime's message.
// NOLINTNEXTLINE(bugprone-exception-escape)
int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Mints a development bearer token: thb-token --key_file=K --roles=R");
  absl::ParseCommandLine(argc, argv);
  absl::StatusOr<std::string> key = thb::ReadFileToString(absl::GetFlag(FLAGS_key_file));
  if (!key.ok()) {
    std::fprintf(stderr, "thb-token: %s\n", std::string(key.status().message()).c_str());
    return 1;
  }
  const absl::Time now = absl::Now();
  nlohmann::json claims = {{"sub", absl::GetFlag(FLAGS_sub)},
                           {"iat", absl::ToUnixSeconds(now)},
                           {"exp", absl::ToUnixSeconds(now + absl::GetFlag(FLAGS_ttl))},
                           {"roles", nlohmann::json::array()}};
  for (absl::string_view r : absl::StrSplit(absl::GetFlag(FLAGS_roles), ',', absl::SkipEmpty())) {
    claims["roles"].push_back(std::string(r));
  }
  if (!absl::GetFlag(FLAGS_institution).empty())
    claims["institution"] = absl::GetFlag(FLAGS_institution);
  if (!absl::GetFlag(FLAGS_issuer).empty()) claims["iss"] = absl::GetFlag(FLAGS_issuer);
  if (!absl::GetFlag(FLAGS_audience).empty()) claims["aud"] = absl::GetFlag(FLAGS_audience);
  absl::StatusOr<std::string> token =
      thb::MintHs256Token(absl::StripTrailingAsciiWhitespace(*key), claims);
  if (!token.ok()) {
    std::fprintf(stderr, "thb-token: %s\n", std::string(token.status().message()).c_str());
    return 1;
  }
  std::printf("%s\n", token->c_str());
  return 0;
}
