// The gateway's routes, built only from the google.api.http annotations of the compiled-in
// service descriptors: one route per binding (the rule and its additional_bindings).
#pragma once

#include <google/protobuf/descriptor.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/path_template.h"

namespace thb::gateway {

struct Route {
  std::string http_method;  // GET, POST, PATCH, PUT, DELETE
  PathTemplate path;
  std::string body;           // "" (no body), "*" (whole request) or a top-level field name
  std::string response_body;  // "" (whole response) or a top-level field name
  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string full_method;  // "/thb.coordinator.v1.CoordinatorService/GetInstitution"
  int upstream = 0;         // index of the service in the list given to Build
};

struct RouteMatch {
  enum Result { kFound, kNotFound, kMethodNotAllowed } result = kNotFound;
  const Route* route = nullptr;
  std::vector<PathBinding> bindings;
  std::vector<std::string> allowed_methods;  // for kMethodNotAllowed
};

// The suite's three services, in upstream order: coordinator, commission, rapporteur.
std::vector<const google::protobuf::ServiceDescriptor*> SuiteServices();

class RouteTable {
 public:
  // Fails when an RPC lacks an annotation, a template does not parse, or a body/field named in
  // a rule does not exist: the contract is checked when the gateway starts, not on a request.
  static absl::StatusOr<RouteTable> Build(
      const std::vector<const google::protobuf::ServiceDescriptor*>& services);

  RouteMatch Find(absl::string_view http_method, absl::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace thb::gateway
