// One blocking call to another pillar with this service's token and the upstream deadline. An
// unreachable or slow upstream is UNAVAILABLE with a message naming it; other errors keep their
// code, message and details.
#pragma once

#include <grpcpp/grpcpp.h>

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/errors.h"
#include "services/common/service_runtime.h"
#include "services/common/status_macros.h"

namespace thb {

template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> CallUpstream(ServiceRuntime& runtime, Stub& stub,
                                      grpc::Status (Stub::*rpc)(grpc::ClientContext*,
                                                                const Request&, Response*),
                                      const Request& request, absl::string_view upstream) {
  grpc::ClientContext ctx;
  runtime.PrepareUpstreamCall(ctx);
  Response out;
  grpc::Status s = (stub.*rpc)(&ctx, request, &out);
  if (s.ok()) return out;
  if (s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
      s.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return absl::UnavailableError(
        absl::StrCat(upstream, " is unreachable (", s.error_message(), "); try again later"));
  }
  return FromGrpcStatus(s);
}

// Every item of a paged List RPC (AIP-158): calls `rpc` through CallUpstream with pages of 1000
// until a response has no next_page_token, moving the items `items(response)` names into one
// list. The first failing page's error is returned.
template <typename Item, typename Stub, typename Request, typename Response, typename Items>
absl::StatusOr<std::vector<Item>> CollectPages(ServiceRuntime& runtime, Stub& stub,
                                               grpc::Status (Stub::*rpc)(grpc::ClientContext*,
                                                                         const Request&, Response*),
                                               Request request, absl::string_view upstream,
                                               Items items) {
  std::vector<Item> out;
  request.set_page_size(1000);
  do {
    THB_ASSIGN_OR_RETURN(Response page, CallUpstream(runtime, stub, rpc, request, upstream));
    for (Item& item : *items(page)) out.push_back(std::move(item));
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return out;
}

}  // namespace thb
