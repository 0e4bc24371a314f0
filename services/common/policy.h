// Authorization: each service declares, in one table, who may call each of its RPCs.
// Anything not in the table is denied; public RPCs are the only ones open without a token.
#pragma once

#include <google/protobuf/descriptor.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/auth.h"

namespace thb {

struct RpcPolicy {
  bool allow_public = false;       // callable without a token
  std::vector<std::string> roles;  // any one of these roles suffices
};

// Shorthands for tables.
RpcPolicy Public();
RpcPolicy Roles(std::initializer_list<const char*> roles);

class PolicyTable {
 public:
  PolicyTable(std::initializer_list<std::pair<const std::string, RpcPolicy>> entries)
      : entries_(entries) {}

  // method: the RPC's short name, e.g. "CreateInstitution".
  // The role the call is admitted under — the first of the method's roles that `principal`
  // holds, "" for a public RPC — which the audit log records; or UNAUTHENTICATED (no token and
  // not public) or PERMISSION_DENIED.
  absl::StatusOr<std::string> Authorize(absl::string_view method, const Principal& principal) const;

  // RPCs of `service` that have no entry (a table must cover its service completely).
  std::vector<std::string> MissingMethods(const google::protobuf::ServiceDescriptor& service) const;
  // Entries that name no RPC of `service` (typos would otherwise pass silently).
  std::vector<std::string> UnknownMethods(const google::protobuf::ServiceDescriptor& service) const;

  const RpcPolicy* Find(absl::string_view method) const;

 private:
  absl::flat_hash_map<std::string, RpcPolicy> entries_;
};

}  // namespace thb
