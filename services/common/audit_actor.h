// Who is changing data, as the audit log and the request-id store record it. The RpcDispatcher
// builds one per RPC (RequestContext::actor) and every mutation takes it as its first argument,
// so the caller travels with the call instead of beside it; work outside an RPC passes
// AuditActor::Internal().
#pragma once

#include <google/protobuf/message.h>

#include <string>

namespace thb {

struct AuditActor {
  std::string subject;      // the token's subject
  std::string role;         // the role the policy admitted the call under
  std::string method;       // full gRPC method name; "" outside an RPC
  std::string institution;  // the token's institution claim, "" when it has none
  // The request being served (the dispatcher keeps it alive for the handler's duration), so
  // the request-id store can tell a retry from a different request under the same id. Null
  // outside an RPC: requests are then not compared.
  const google::protobuf::Message* request = nullptr;
  // RequestFingerprint(*request), computed at most once per RPC by the request-id store.
  mutable std::string request_fingerprint;

  // Work outside an RPC (tests, seeding, migrations): the caller "internal", with no role,
  // institution or request; its audit events carry the mutation's short method name.
  static AuditActor Internal() {
    AuditActor actor;
    actor.subject = "internal";
    return actor;
  }
};

}  // namespace thb
