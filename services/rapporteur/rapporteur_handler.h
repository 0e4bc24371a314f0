// gRPC adapter of thb.rapporteur.v1.RapporteurService over the shared dispatcher.
// RPCs whose domain logic has not been built yet answer UNIMPLEMENTED (the generated default).
#pragma once

#include "services/common/rpc_dispatcher.h"
#include "services/rapporteur/statistics_ledger.h"
#include "thb/rapporteur/v1/rapporteur.grpc.pb.h"

namespace thb::rapporteur {

class RapporteurHandler final : public v1::RapporteurService::CallbackService {
 public:
  RapporteurHandler(const RpcDispatcher& dispatcher, StatisticsLedger& statistics)
      : dispatcher_(dispatcher), statistics_(statistics) {}

  grpc::ServerUnaryReactor* CreateStatisticsSubmission(
      grpc::CallbackServerContext* ctx, const v1::CreateStatisticsSubmissionRequest* request,
      v1::StatisticsSubmission* response) override;
  grpc::ServerUnaryReactor* GetStatisticsSubmission(
      grpc::CallbackServerContext* ctx, const v1::GetStatisticsSubmissionRequest* request,
      v1::StatisticsSubmission* response) override;
  grpc::ServerUnaryReactor* ListStatisticsSubmissions(
      grpc::CallbackServerContext* ctx, const v1::ListStatisticsSubmissionsRequest* request,
      v1::ListStatisticsSubmissionsResponse* response) override;

 private:
  const RpcDispatcher& dispatcher_;
  StatisticsLedger& statistics_;
};

}  // namespace thb::rapporteur
