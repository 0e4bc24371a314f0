// libFuzzer target: the JSON body and query-string parser behind every route. The input's first
// byte picks a route of the suite's route table; the rest, split at the first newline, is a
// query string and a JSON body for BuildRequestMessage. Malformed input must come back as an
// error status, never a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gateway/fuzz/suite_routes.h"
#include "gateway/transcoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& routes = thb::gateway::SuiteRouteTable().routes();
  const thb::gateway::Route& route = routes[data[0] % routes.size()];
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t newline = rest.find('\n');
  const std::string query = newline == std::string::npos ? "" : rest.substr(0, newline);
  const std::string body = newline == std::string::npos ? rest : rest.substr(newline + 1);
  auto message = thb::gateway::BuildRequestMessage(route, {}, query, body);
  if (message.ok()) (void)thb::gateway::ResponseToJson(route, **message);
  return 0;
}
