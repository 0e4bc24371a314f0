// The gateway's per-request work outside the network, each against its baseline in the same run:
// route lookup, request building, and response printing with the gateway's printer against
// protobuf's MessageToJsonString. Usage: thb_transcode_bench [iterations, default 200000]
#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "gateway/route_table.h"
#include "gateway/transcoder.h"
#include "thb/coordinator/v1/coordinator.pb.h"

namespace {

template <class F>
double MicrosPerCall(int n, F f) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) f();
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
             .count() /
         n;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace thb::gateway;
  const int n = argc > 1 ? std::atoi(argv[1]) : 200000;
  const RouteTable table = *RouteTable::Build(SuiteServices());
  const std::string path = "/v1/coordinator/institutions/bench";
  RouteMatch match = table.Find("GET", path);
  if (match.result != RouteMatch::kFound) return 1;

  thb::coordinator::v1::Institution institution;  // what GetInstitution returns in the benchmark
  institution.set_name("institutions/bench");
  institution.set_display_name("Benchmark Institution");
  institution.set_sector(thb::type::v1::SECTOR_GOVERNMENT_POLICY);
  institution.mutable_create_time()->set_seconds(1790000000);
  institution.mutable_update_time()->set_seconds(1790000000);
  institution.set_etag("W/\"1\"");

  size_t sink = 0;
  const double find = MicrosPerCall(n, [&] { sink += table.Find("GET", path).bindings.size(); });
  const double build = MicrosPerCall(
      n, [&] { sink += BuildRequestMessage(*match.route, match.bindings, "", "").ok(); });
  const double ours =
      MicrosPerCall(n, [&] { sink += ResponseToJson(*match.route, institution)->size(); });
  const double protobuf = MicrosPerCall(n, [&] {
    std::string out;
    (void)google::protobuf::util::MessageToJsonString(institution, &out);
    sink += out.size();
  });
  std::printf("route lookup (%zu routes):      %6.2f us\n", table.routes().size(), find);
  std::printf("request message from path:     %6.2f us\n", build);
  std::printf("response JSON, gateway:        %6.2f us\n", ours);
  std::printf("response JSON, protobuf util:  %6.2f us\n", protobuf);
  std::printf("ratio gateway / protobuf:      %6.2f\n", ours / protobuf);
  return sink == 0;
}
