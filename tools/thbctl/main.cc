// thbctl: the operator's command-line tool for THB Suite. One binary, subcommands:
//   thbctl statistics import FILE.csv [--institution=ID --year=Y --quarter=Q] [--dry_run]
//   thbctl statistics export [--format=glotip|csv|json] [--from_year --to_year] [--rates] [--out]
//   thbctl institutions import FILE.csv [--dry_run]
//   thbctl changes watch SERVICE [--after_sequence=N]
//   thbctl changes relay SERVICE --to=URL --checkpoint=FILE
//   thbctl token --key_file=K --roles=R [--institution=institutions/ID]
// Targets and the token come from flags or the environment (THB_COORDINATOR, THB_COMMISSION,
// THB_RAPPORTEUR, THB_TOKEN, ...: every flag --name has the fallback THB_NAME).
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "services/common/auth.h"
#include "services/common/flags.h"
#include "thb/rapporteur/v1/rapporteur.grpc.pb.h"
#include "tools/thbctl/changes.h"
#include "tools/thbctl/institutions_import.h"
#include "tools/thbctl/statistics_import.h"

ABSL_FLAG(std::string, coordinator, "127.0.0.1:50051", "the coordinator's gRPC target");
ABSL_FLAG(std::string, commission, "127.0.0.1:50052", "the commission's gRPC target");
ABSL_FLAG(std::string, rapporteur, "127.0.0.1:50053", "the rapporteur's gRPC target");
ABSL_FLAG(std::string, ca_file, "", "PEM CA certificates: call the services over TLS");
ABSL_FLAG(std::string, token, "", "bearer token (or THB_TOKEN)");
ABSL_FLAG(std::string, token_file, "", "a file holding the bearer token");
ABSL_FLAG(int, deadline, 120,
          "seconds each call may take (changes relay: each step of a delivery)");
ABSL_FLAG(bool, dry_run, false, "check everything, store nothing");
ABSL_FLAG(std::string, institution, "",
          "statistics import: institutions/{id} of rows without reporting_institution; token: the "
          "institution claim");
ABSL_FLAG(int, year, 0, "statistics import: the year of rows without a year column");
ABSL_FLAG(int, quarter, 0, "statistics import: the quarter (1-4; 0 for the whole year)");
ABSL_FLAG(std::string, progress, "auto", "auto (a bar on a terminal), bar or lines");
ABSL_FLAG(std::string, format, "glotip",
          "statistics export: glotip (UNODC, 13 columns), csv or json");
ABSL_FLAG(int, from_year, 0, "statistics export: first year (0: all)");
ABSL_FLAG(int, to_year, 0, "statistics export: last year (0: all)");
ABSL_FLAG(bool, rates, false, "statistics export: add rates per 100,000 population");
ABSL_FLAG(std::string, out, "-", "statistics export: the output file (- for stdout)");
ABSL_FLAG(int64_t, after_sequence, 0, "changes: start after this sequence");
ABSL_FLAG(int64_t, max_events, 0, "changes: stop after this many events (0: never)");
ABSL_FLAG(std::string, to, "", "changes relay: the receiver, http://host:port/path");
ABSL_FLAG(std::string, checkpoint, "", "changes relay: file holding the last delivered sequence");
ABSL_FLAG(int, max_attempts, 0, "changes relay: attempts per event before giving up (0: never)");
ABSL_FLAG(absl::Duration, retry_initial, absl::Milliseconds(500), "first wait between attempts");
ABSL_FLAG(absl::Duration, retry_max, absl::Seconds(30), "longest wait between attempts");
ABSL_FLAG(std::string, key_file, "",
          "token: the HS256 key file (the services' --jwt_hs256_key_file)");
ABSL_FLAG(std::string, sub, "dev-user", "token: the subject (sub claim)");
ABSL_FLAG(std::string, roles, "", "token: comma-separated roles, e.g. coordinator_office");
ABSL_FLAG(std::string, issuer, "", "token: iss claim");
ABSL_FLAG(std::string, audience, "", "token: aud claim");
ABSL_FLAG(absl::Duration, ttl, absl::Hours(8), "token: lifetime");

namespace thb::ctl {
namespace {

constexpr char kUsage[] =
    "usage:\n"
    "  thbctl statistics import FILE.csv [--institution=ID] [--year=Y] [--quarter=Q] [--dry_run]\n"
    "  thbctl statistics export [--format=glotip|csv|json] [--from_year=Y] [--to_year=Y] "
    "[--rates] [--out=FILE]\n"
    "  thbctl institutions import FILE.csv [--dry_run]\n"
    "  thbctl changes watch coordinator|commission|rapporteur [--after_sequence=N]\n"
    "  thbctl changes relay coordinator|commission|rapporteur --to=http://... "
    "--checkpoint=FILE\n"
    "  thbctl token --key_file=K --roles=R [--institution=institutions/ID]\n"
    "Targets: --coordinator, --commission, --rapporteur (or THB_COORDINATOR, ...); the bearer "
    "token: --token, --token_file or THB_TOKEN.\n";

int Usage(const std::string& why) {
  if (!why.empty()) std::cerr << "thbctl: " << why << "\n";
  std::cerr << kUsage;
  return 2;
}

Connection Target(const std::string& target) {
  Connection c;
  c.target = target;
  c.ca_file = absl::GetFlag(FLAGS_ca_file);
  c.token = absl::GetFlag(FLAGS_token);
  if (!absl::GetFlag(FLAGS_token_file).empty()) {
    absl::StatusOr<std::string> t = ReadFileToString(absl::GetFlag(FLAGS_token_file));
    if (t.ok()) c.token = std::string(absl::StripAsciiWhitespace(*t));
  }
  c.deadline_seconds = absl::GetFlag(FLAGS_deadline);
  return c;
}

int Token() {
  absl::StatusOr<std::string> key = ReadFileToString(absl::GetFlag(FLAGS_key_file));
  if (!key.ok()) return Usage(std::string(key.status().message()));
  const absl::Time now = absl::Now();
  nlohmann::json claims = {{"sub", absl::GetFlag(FLAGS_sub)},
                           {"iat", absl::ToUnixSeconds(now)},
                           {"exp", absl::ToUnixSeconds(now + absl::GetFlag(FLAGS_ttl))},
                           {"roles", nlohmann::json::array()}};
  for (absl::string_view r : absl::StrSplit(absl::GetFlag(FLAGS_roles), ',', absl::SkipEmpty())) {
    claims["roles"].push_back(std::string(r));
  }
  if (!absl::GetFlag(FLAGS_institution).empty()) {
    claims["institution"] = absl::GetFlag(FLAGS_institution);
  }
  if (!absl::GetFlag(FLAGS_issuer).empty()) claims["iss"] = absl::GetFlag(FLAGS_issuer);
  if (!absl::GetFlag(FLAGS_audience).empty()) claims["aud"] = absl::GetFlag(FLAGS_audience);
  absl::StatusOr<std::string> token =
      MintHs256Token(absl::StripTrailingAsciiWhitespace(*key), claims);
  if (!token.ok()) {
    std::cerr << "thbctl token: " << token.status().message() << "\n";
    return 1;
  }
  std::cout << *token << "\n";
  return 0;
}

int Export() {
  namespace rv1 = thb::rapporteur::v1;
  rv1::ExportStatisticsRequest request;
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format == "glotip") {
    request.set_format(rv1::EXPORT_FORMAT_GLOTIP_CSV);
  } else if (format == "csv") {
    request.set_format(rv1::EXPORT_FORMAT_CSV);
  } else if (format == "json") {
    request.set_format(rv1::EXPORT_FORMAT_JSON);
  } else {
    return Usage("--format must be glotip, csv or json");
  }
  request.set_from_year(absl::GetFlag(FLAGS_from_year));
  request.set_to_year(absl::GetFlag(FLAGS_to_year));
  request.set_include_rates(absl::GetFlag(FLAGS_rates));
  const Connection c = Target(absl::GetFlag(FLAGS_rapporteur));
  rv1::ExportStatisticsResponse response;
  grpc::Status s = rv1::RapporteurService::NewStub(OpenChannel(c))
                       ->ExportStatistics(NewContext(c).get(), request, &response);
  if (!s.ok()) {
    std::cerr << "thbctl statistics export: " << Describe(s) << "\n";
    return 1;
  }
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out == "-") {
    std::cout << response.content();
    return 0;
  }
  // Written beside the target and renamed: a reader never sees half a file.
  const std::string temporary = out + ".tmp";
  {
    std::ofstream f(temporary, std::ios::binary | std::ios::trunc);
    f << response.content();
    if (!f.flush()) {
      std::cerr << "thbctl statistics export: cannot write " << temporary << "\n";
      return 1;
    }
  }
  if (std::rename(temporary.c_str(), out.c_str()) != 0) {
    std::cerr << "thbctl statistics export: cannot write " << out << "\n";
    return 1;
  }
  std::cerr << "wrote " << out << "\n";
  return 0;
}

std::string ServiceTarget(const std::string& service) {
  if (service == "coordinator") return absl::GetFlag(FLAGS_coordinator);
  if (service == "commission") return absl::GetFlag(FLAGS_commission);
  return absl::GetFlag(FLAGS_rapporteur);
}

int Run(const std::vector<std::string>& args) {
  auto is = [&](std::initializer_list<const char*> words) {
    if (args.size() < words.size()) return false;
    size_t i = 0;
    for (const char* w : words) {
      if (args[i++] != w) return false;
    }
    return true;
  };
  if (is({"token"}) && args.size() == 1) return Token();
  if (is({"statistics", "export"}) && args.size() == 2) return Export();
  if (is({"statistics", "import"}) || is({"institutions", "import"})) {
    if (args.size() != 3) return Usage("import needs exactly one FILE.csv (- for stdin)");
    if (args[0] == "institutions") {
      return RunInstitutionsImport(Target(absl::GetFlag(FLAGS_coordinator)), args[2],
                                   absl::GetFlag(FLAGS_dry_run), std::cout, std::cerr);
    }
    if (absl::GetFlag(FLAGS_quarter) < 0 || absl::GetFlag(FLAGS_quarter) > 4) {
      return Usage("--quarter must be 1-4, or 0 for the whole year");
    }
    if (absl::GetFlag(FLAGS_year) < 0) return Usage("--year must be a year");
    ImportOptions o;
    o.file = args[2];
    o.defaults.institution = absl::GetFlag(FLAGS_institution);
    o.defaults.year = absl::GetFlag(FLAGS_year);
    o.defaults.quarter = absl::GetFlag(FLAGS_quarter);
    o.defaults.current_year = absl::ToCivilYear(absl::Now(), absl::UTCTimeZone()).year();
    o.dry_run = absl::GetFlag(FLAGS_dry_run);
    const std::string progress = absl::GetFlag(FLAGS_progress);
    o.progress_bar = progress == "bar" || (progress == "auto" && ::isatty(2) == 1);
    return RunStatisticsImport(Target(absl::GetFlag(FLAGS_rapporteur)), o, std::cout, std::cerr);
  }
  if (is({"changes", "watch"}) || is({"changes", "relay"})) {
    if (args.size() != 3 ||
        (args[2] != "coordinator" && args[2] != "commission" && args[2] != "rapporteur")) {
      return Usage("changes needs a service: coordinator, commission or rapporteur");
    }
    FeedOptions feed;
    feed.service = args[2];
    feed.after_sequence = absl::GetFlag(FLAGS_after_sequence);
    feed.max_events = absl::GetFlag(FLAGS_max_events);
    feed.initial_backoff = absl::GetFlag(FLAGS_retry_initial);
    feed.max_backoff = absl::GetFlag(FLAGS_retry_max);
    const Connection c = Target(ServiceTarget(args[2]));
    if (args[1] == "watch") return RunWatch(c, feed, std::cout, std::cerr);
    if (absl::GetFlag(FLAGS_to).empty()) return Usage("changes relay needs --to=URL");
    RelayOptions relay;
    relay.feed = feed;
    relay.url = absl::GetFlag(FLAGS_to);
    relay.checkpoint_file = absl::GetFlag(FLAGS_checkpoint);
    relay.max_attempts = absl::GetFlag(FLAGS_max_attempts);
    relay.timeout = absl::Seconds(absl::GetFlag(FLAGS_deadline));
    return RunRelay(c, relay, std::cout, std::cerr);
  }
  return Usage(args.empty() ? "" : "unknown command");
}

}  // namespace
}  // namespace thb::ctl

// A command-line tool: an exception (out of memory) may end it with the runtime's message.
// NOLINTNEXTLINE(bugprone-exception-escape)
int main(int argc, char** argv) {
  std::vector<char*> positional =
      thb::ParseFlags(argc, argv, {"thbctl", "THB Suite's operator tool (see the usage below)."});
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  return thb::ctl::Run(args);
}
