// libFuzzer target: the path-template parser and the route matcher. The input is split at the
// first newline into a template and a path; the template is parsed (errors are fine, crashes and
// sanitizer reports are not) and, when valid, matched against the path; the path is also looked
// up in the suite's real route table under every HTTP method.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gateway/fuzz/suite_routes.h"
#include "gateway/path_template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string templ = input.substr(0, newline);
  const std::string path = newline == std::string::npos ? input : input.substr(newline + 1);
  if (auto parsed = thb::gateway::PathTemplate::Parse(templ); parsed.ok()) {
    auto bindings = parsed->Match(path);
    if (bindings) {
      for (const auto& b : *bindings) (void)b;
    }
  }
  for (const char* method : {"GET", "POST", "PATCH", "DELETE", "PUT"}) {
    (void)thb::gateway::SuiteRouteTable().Find(method, path);
  }
  return 0;
}
