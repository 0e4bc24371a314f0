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
            target,
            *cv1::Commission::descriptor()->file()->FindServiceByName("CommissionService")))) {}

  absl::StatusOr<cv1::Commission> GetCommission() override {
    cv1::GetCommissionRequest req;
    req.set_name("commission");
    return Call<cv1::Commission>(req, &cv1::CommissionService::Stub::GetCommission);
  }
  absl::StatusOr<std::vector<cv1::Member>> ListMembers() override {
    return CollectPages<cv1::Member>(
        runtime_, *stub_, &cv1::CommissionService::Stub::ListMembers, cv1::ListMembersRequest(),
        "the commission", [](cv1::ListMembersResponse& page) { return page.mutable_members(); });
  }
  absl::StatusOr<std::vector<cv1::Consultation>> ListConsultations() override {
    return CollectPages<cv1::Consultation>(
        runtime_, *stub_, &cv1::CommissionService::Stub::ListConsultations,
        cv1::ListConsultationsRequest(), "the commission",
        [](cv1::ListConsultationsResponse& page) { return page.mutable_consultations(); });
  }

 private:
  template <typename Response, typename Request>
  absl::StatusOr<Response> Call(const Request& req,
                                grpc::Status (cv1::CommissionService::Stub::*rpc)(
                                    grpc::ClientContext*, const Request&, Response*)) {
    return CallUpstream(runtime_, *stub_, rpc, req, "the commission");
  }

  ServiceRuntime& runtime_;
  std::unique_ptr<cv1::CommissionService::Stub> stub_;
};

}  // namespace

std::unique_ptr<CommissionReader> NewCommissionReader(ServiceRuntime& runtime,
                                                      const std::string& target) {
  return std::make_unique<GrpcCommissionReader>(runtime, target);
}

}  // namespace thb::rapporteur
