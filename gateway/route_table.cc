#include "gateway/route_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/api/annotations.pb.h"
#include "services/common/status_macros.h"
#include "thb/commission/v1/commission.pb.h"
#include "thb/coordinator/v1/coordinator.pb.h"
#include "thb/rapporteur/v1/rapporteur.pb.h"

namespace thb::gateway {

std::vector<const google::protobuf::ServiceDescriptor*> SuiteServices() {
  return {
      thb::coordinator::v1::Institution::descriptor()->file()->FindServiceByName(
          "CoordinatorService"),
      thb::commission::v1::Member::descriptor()->file()->FindServiceByName("CommissionService"),
      thb::rapporteur::v1::Report::descriptor()->file()->FindServiceByName("RapporteurService")};
}
namespace {

absl::Status AddRule(const google::api::HttpRule& rule, const google::protobuf::MethodDescriptor* m,
                     int upstream, std::vector<Route>& routes) {
  Route r;
  std::string pattern;
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      r.http_method = "GET";
      pattern = rule.get();
      break;
    case google::api::HttpRule::kPost:
      r.http_method = "POST";
      pattern = rule.post();
      break;
    case google::api::HttpRule::kPatch:
      r.http_method = "PATCH";
      pattern = rule.patch();
      break;
    case google::api::HttpRule::kPut:
      r.http_method = "PUT";
      pattern = rule.put();
      break;
    case google::api::HttpRule::kDelete:
      r.http_method = "DELETE";
      pattern = rule.delete_();
      break;
    case google::api::HttpRule::kCustom:
      r.http_method = rule.custom().kind();
      pattern = rule.custom().path();
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(m->full_name(), ": http rule without a pattern"));
  }
  absl::StatusOr<PathTemplate> t = PathTemplate::Parse(pattern);
  if (!t.ok())
    return absl::InvalidArgumentError(absl::StrCat(m->full_name(), ": ", t.status().message()));
  r.path = *std::move(t);
  r.body = rule.body();
  r.response_body = rule.response_body();
  if (!r.body.empty() && r.body != "*" && m->input_type()->FindFieldByName(r.body) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(m->full_name(), ": body field \"", r.body, "\" does not exist"));
  }
  if (!r.response_body.empty() && m->output_type()->FindFieldByName(r.response_body) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(m->full_name(), ": response_body field \"",
                                                   r.response_body, "\" does not exist"));
  }
  r.method = m;
  r.full_method = absl::StrCat("/", m->service()->full_name(), "/", m->name());
  r.upstream = upstream;
  routes.push_back(std::move(r));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RouteTable> RouteTable::Build(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services) {
  RouteTable table;
  for (size_t i = 0; i < services.size(); ++i) {
    const auto* service = services[i];
    for (int j = 0; j < service->method_count(); ++j) {
      const auto* m = service->method(j);
      if (!m->options().HasExtension(google::api::http)) {
        return absl::InvalidArgumentError(
            absl::StrCat(m->full_name(), " has no google.api.http annotation"));
      }
      const google::api::HttpRule& rule = m->options().GetExtension(google::api::http);
      THB_RETURN_IF_ERROR(AddRule(rule, m, static_cast<int>(i), table.routes_));
      for (const auto& extra : rule.additional_bindings()) {
        THB_RETURN_IF_ERROR(AddRule(extra, m, static_cast<int>(i), table.routes_));
      }
    }
  }
  // Most specific first: more literal segments, then templates with a verb.
  std::stable_sort(table.routes_.begin(), table.routes_.end(), [](const Route& a, const Route& b) {
    if (a.path.literal_count() != b.path.literal_count()) {
      return a.path.literal_count() > b.path.literal_count();
    }
    return !a.path.verb().empty() && b.path.verb().empty();
  });
  return table;
}

RouteMatch RouteTable::Find(absl::string_view http_method, absl::string_view path) const {
  RouteMatch match;
  std::optional<RequestPath> split = RequestPath::Split(path);  // once, not per route
  if (!split) return match;
  for (const Route& r : routes_) {
    std::optional<std::vector<PathBinding>> bindings = r.path.Match(*split);
    if (!bindings) continue;
    if (r.http_method == http_method) {
      match.result = RouteMatch::kFound;
      match.route = &r;
      match.bindings = *std::move(bindings);
      return match;
    }
    if (std::find(match.allowed_methods.begin(), match.allowed_methods.end(), r.http_method) ==
        match.allowed_methods.end()) {
      match.allowed_methods.push_back(r.http_method);
    }
  }
  match.result =
      match.allowed_methods.empty() ? RouteMatch::kNotFound : RouteMatch::kMethodNotAllowed;
  return match;
}

}  // namespace thb::gateway
