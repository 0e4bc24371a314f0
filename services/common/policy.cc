#include "services/common/policy.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"

namespace thb {
namespace {

// Policy refusals carry a google.rpc.ErrorInfo (domain "thb-suite", reason, the RPC), so a
// client can tell "your role may not call this" from a refusal by the domain logic.
absl::Status Refusal(absl::StatusCode code, absl::string_view message, ErrorReason reason,
                     absl::string_view method) {
  return WithReason(absl::Status(code, message), reason, {{"method", std::string(method)}});
}

}  // namespace

RpcPolicy Public() { return RpcPolicy{true, {}}; }

RpcPolicy Roles(std::initializer_list<const char*> roles) {
  RpcPolicy p;
  for (const char* r : roles) p.roles.emplace_back(r);
  return p;
}

const RpcPolicy* PolicyTable::Find(absl::string_view method) const {
  auto it = entries_.find(method);
  return it == entries_.end() ? nullptr : &it->second;
}

absl::StatusOr<std::string> PolicyTable::Authorize(absl::string_view method,
                                                   const Principal& principal) const {
  const RpcPolicy* policy = Find(method);
  if (policy == nullptr) {
    return Refusal(absl::StatusCode::kPermissionDenied,
                   absl::StrCat(method, " has no access policy; denied by default"),
                   thb::type::v1::ERROR_REASON_NO_POLICY, method);
  }
  if (policy->allow_public) return std::string();
  if (!principal.authenticated) {
    return Refusal(absl::StatusCode::kUnauthenticated,
                   absl::StrCat(method, " requires a bearer token (Authorization: Bearer <JWT>)"),
                   thb::type::v1::ERROR_REASON_TOKEN_REQUIRED, method);
  }
  for (const auto& role : policy->roles) {
    if (principal.HasRole(role)) return role;
  }
  return Refusal(
      absl::StatusCode::kPermissionDenied,
      absl::StrCat(method, " is not permitted for roles [", absl::StrJoin(principal.roles, ", "),
                   "]; allowed: [", absl::StrJoin(policy->roles, ", "), "]"),
      thb::type::v1::ERROR_REASON_ROLE_NOT_PERMITTED, method);
}

std::vector<std::string> PolicyTable::MissingMethods(
    const google::protobuf::ServiceDescriptor& service) const {
  std::vector<std::string> missing;
  for (int i = 0; i < service.method_count(); ++i) {
    if (!entries_.contains(service.method(i)->name())) missing.push_back(service.method(i)->name());
  }
  return missing;
}

std::vector<std::string> PolicyTable::UnknownMethods(
    const google::protobuf::ServiceDescriptor& service) const {
  std::vector<std::string> unknown;
  for (const auto& [name, policy] : entries_) {
    if (service.FindMethodByName(name) == nullptr) unknown.push_back(name);
  }
  return unknown;
}

}  // namespace thb
