// The suite's authorization matrix, generated from the three policy tables and the contracts:
// every RPC of every service against the public and every role. The matrix test calls each cell
// through the real servers; thb-policy-matrix prints the same matrix for docs/SECURITY.md.
#pragma once

#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>

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

}  // namespace thb::testing
