// The suite's authorization matrix, generated from the three policy tables and the contracts:
// every RPC of every service against the public and every role. The matrix test calls each cell
// through the real servers; thb-policy-matrix prints the same matrix for docs/SECURITY.md.
#pragma once

#include <google/protobuf/descriptor.h>

#include <optional>
#include <string>
#include <vector>

#include "services/common/policy.h"

namespace thb::testing {

struct PolicedService {
  std::string name;  // "coordinator", "commission", "rapporteur"
  const PolicyTable* policy;
  const google::protobuf::ServiceDescriptor* descriptor;
};

// The three services in dependency order.
const std::vector<PolicedService>& SuiteServices();

// The callers of the matrix: "public" (no token), then every role of AllRoles().
const std::vector<std::string>& MatrixCallers();

// Whether the policy table lets `caller` call `method`.
bool PolicyAllows(const PolicyTable& policy, const std::string& method, const std::string& caller);

// The HTTP verb of the method's google.api.http binding ("get", "post", ...).
std::string HttpVerb(const google::protobuf::MethodDescriptor& method);

// True for RPCs that change data: every RPC bound to a verb other than GET, except the two
// that only read (VerifyAuditChain recomputes the chain; QueryStatistics takes its query as
// a body).
bool IsMutation(const google::protobuf::MethodDescriptor& method);

// The matrix as Markdown tables, one per service, as written in docs/SECURITY.md.
std::string PolicyMatrixMarkdown();

// The text of the file at `path` between the line `begin` and the marker `end`, or nullopt when
// either is missing (for the generated blocks of docs/SECURITY.md).
std::optional<std::string> GeneratedBlock(const std::string& path, const std::string& begin,
                                          const std::string& end);

// An RPC whose response can carry a restricted field (one with a declared audience), and those
// fields.
struct RestrictedRpc {
  std::string service;  // "coordinator"
  const google::protobuf::MethodDescriptor* method;
  std::vector<const google::protobuf::FieldDescriptor*> fields;
};
// Every such RPC of the suite, in service and declaration order.
std::vector<RestrictedRpc> RpcsCarryingRestrictedFields();

// Whether `caller` ("public" or a role) may read `field` when its message's public_when flag
// (if any) is false; straight from the declaration.
bool AudienceIncludes(const google::protobuf::FieldDescriptor& field, const std::string& caller);

// The restricted fields as a Markdown table (field, readers, public when, why, RPCs carrying
// it), as written in docs/SECURITY.md.
std::string FieldAudienceMarkdown();

}  // namespace thb::testing
