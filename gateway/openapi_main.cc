// thb-openapi: prints the gateway's OpenAPI 3.1 document (the same as GET /openapi.json) without
// starting anything, for documentation builds and the lint test.
#include <cstdio>

#include "gateway/openapi.h"
#include "gateway/route_table.h"

int main() {
  auto routes = thb::gateway::RouteTable::Build(thb::gateway::SuiteServices());
  if (!routes.ok()) {
    std::fprintf(stderr, "thb-openapi: %s\n", std::string(routes.status().message()).c_str());
    return 1;
  }
  auto doc = thb::gateway::BuildOpenApi(*routes, thb::gateway::EmbeddedDescriptorSet());
  if (!doc.ok()) {
    std::fprintf(stderr, "thb-openapi: %s\n", std::string(doc.status().message()).c_str());
    return 1;
  }
  std::fwrite(doc->data(), 1, doc->size(), stdout);
  std::fputc('\n', stdout);
  return 0;
}
