// The four audit RPCs every service offers on its own log (ListAuditEvents, VerifyAuditChain,
// ListChanges, WatchChanges), written once: a service's handler derives from
// AuditRpcs<its generated CallbackService> and gets them, with the same policy path as its
// other RPCs.
#pragma once

#include "services/common/audit_log.h"
#include "services/common/change_feed.h"
#include "services/common/rpc_dispatcher.h"

namespace thb {

template <typename CallbackService>
class AuditRpcs : public CallbackService {
 public:
  AuditRpcs(const RpcDispatcher& dispatcher, AuditLog& log, CommitSignal& commits)
      : audit_dispatcher_(dispatcher), log_(log), commits_(commits) {}

  grpc::ServerUnaryReactor* ListAuditEvents(grpc::CallbackServerContext* ctx,
                                            const type::v1::ListAuditEventsRequest* request,
                                            type::v1::ListAuditEventsResponse* response) override {
    return audit_dispatcher_.Unary(
        ctx, *request, response, "ListAuditEvents",
        [=](const RequestContext&) { return Respond(log_.List(*request), response); });
  }
  grpc::ServerUnaryReactor* VerifyAuditChain(grpc::CallbackServerContext* ctx,
                                             const type::v1::VerifyAuditChainRequest* request,
                                             type::v1::AuditVerification* response) override {
    return audit_dispatcher_.Unary(
        ctx, *request, response, "VerifyAuditChain",
        [=](const RequestContext&) { return Respond(log_.Verify(*request), response); });
  }
  grpc::ServerUnaryReactor* ListChanges(grpc::CallbackServerContext* ctx,
                                        const type::v1::ListChangesRequest* request,
                                        type::v1::ListChangesResponse* response) override {
    return audit_dispatcher_.Unary(
        ctx, *request, response, "ListChanges",
        [=](const RequestContext&) { return Respond(log_.ListChanges(*request), response); });
  }
  grpc::ServerWriteReactor<type::v1::AuditEvent>* WatchChanges(
      grpc::CallbackServerContext* ctx, const type::v1::WatchChangesRequest* request) override {
    return thb::WatchChanges(audit_dispatcher_, log_, commits_, ctx, *request);
  }

 private:
  const RpcDispatcher& audit_dispatcher_;
  AuditLog& log_;
  CommitSignal& commits_;
};

}  // namespace thb
