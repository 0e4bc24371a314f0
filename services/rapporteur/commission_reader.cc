#include "services/rapporteur/commission_reader.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/service_runtime.h"
#include "services/common/upstream_call.h"

namespace thb::rapporteur {
namespace {

namespace cv1 = ::thb::commission::v1;

class GrpcCommissionReader : public CommissionReader {
 public:
  GrpcCommissionReader(ServiceRuntime& runtime, const std::string& target)
      : runtime_(runtime),
        stub_(cv1::CommissionService::NewStub(runtime.UpstreamChannel(
            target, *cv1::Commission::descriptor()->file()->FindServiceByName("CommissionService")))) {}

  absl::StatusOr<cv1::Commission> GetCommission() override {
    cv1::GetCommissionRequest req;
    req.set_name("commission");
    return Call<cv1::Commission>(req, &cv1::CommissionService::Stub::GetCommission);
  }
  absl::StatusOr<std::vector<cv1::Member>> ListMembers() override {
    std::vector<cv1::Member> out;
    cv1::ListMembersRequest req;
    req.set_page_size(1000);
    do {
      auto page = Call<cv1::ListMembersResponse>(req, &cv1::CommissionService::Stub::ListMembers);
      if (!page.ok()) return page.status();
      for (auto& m : *page->mutable_members()) out.push_back(std::move(m));
      req.set_page_token(page->next_page_token());
    } while (!req.page_token().empty());
    return out;
  }
  absl::StatusOr<std::vector<cv1::Consultation>> ListConsultations() override {
    std::vector<cv1::Consultation> out;
    cv1::ListConsultationsRequest req;
    req.set_page_size(1000);
    do {
      auto page = Call<cv1::ListConsultationsResponse>(req, &cv1::CommissionService::Stub::ListConsultations);
      if (!page.ok()) return page.status();
      for (auto& c : *page->mutable_consultations()) out.push_back(std::move(c));
      req.set_page_token(page->next_page_token());
    } while (!req.page_token().empty());
    return out;
  }

 private:
  template <typename Response, typename Request>
  absl::StatusOr<Response> Call(const Request& req,
                                grpc::Status (cv1::CommissionService::Stub::*rpc)(grpc::ClientContext*, const Request&, Response*)) {
    return CallUpstream(runtime_, *stub_, rpc, req, "the commission");
  }

  ServiceRuntime& runtime_;
  std::unique_ptr<cv1::CommissionService::Stub> stub_;
};

}  // namespace

std::unique_ptr<CommissionReader> NewCommissionReader(ServiceRuntime& runtime, const std::string& target) {
  return std::make_unique<GrpcCommissionReader>(runtime, target);
}

}  // namespace thb::rapporteur
