// thb-rapporteur: the independent National Rapporteur service.
#include "absl/flags/flag.h"
#include "services/common/flags.h"
#include "services/common/service_runtime.h"
#include "services/common/status_macros.h"
#include "services/rapporteur/rapporteur_service.h"

ABSL_FLAG(
    int, disclosure_threshold, 10,
    "k: counts with 0 < count < k are suppressed for callers without the rapporteur_analyst role");
ABSL_FLAG(std::string, statistics_country, "XXX",
          "ISO 3166-1 alpha-3 code of the State, the country column of GLOTIP exports");
ABSL_FLAG(std::string, statistics_country_name, "",
          "the State's name, the Country column of GLOTIP exports (default: the ISO code)");
ABSL_FLAG(std::string, statistics_region, "",
          "UN M49 region of the State (e.g. Europe), the Region column of GLOTIP exports");
ABSL_FLAG(std::string, statistics_subregion, "",
          "UN M49 subregion (e.g. Southern Europe), the Subregion column of GLOTIP exports");
ABSL_FLAG(std::string, statistics_source, "National Rapporteur",
          "the Source column of GLOTIP exports");
ABSL_FLAG(
    std::string, rapporteur_institution, "",
    "institutions/{id} of the Rapporteur in the coordinator's registry (assessment criterion 2)");

int main(int argc, char** argv) {
  std::unique_ptr<thb::rapporteur::RapporteurServer> server;
  thb::ServiceMainOptions pillar;
  pillar.program = "thb-rapporteur";
  pillar.description =
      "THB Suite: the independent National Rapporteur (gRPC). Reads the coordinator and "
      "commission.";
  pillar.service = "rapporteur";
  pillar.default_listen = "0.0.0.0:50053";
  pillar.default_admin_listen = "0.0.0.0:9453";
  pillar.default_db = "thb-rapporteur.db";
  return thb::RunServiceMain(
      argc, argv, pillar,
      [&](thb::ServiceRuntime& runtime, const google::protobuf::ServiceDescriptor** descriptor)
          -> absl::StatusOr<grpc::Service*> {
        thb::rapporteur::RapporteurOptions options;
        options.statistics.disclosure_threshold = absl::GetFlag(FLAGS_disclosure_threshold);
        options.statistics.country_code = absl::GetFlag(FLAGS_statistics_country);
        options.statistics.country_name = absl::GetFlag(FLAGS_statistics_country_name);
        options.statistics.region = absl::GetFlag(FLAGS_statistics_region);
        options.statistics.subregion = absl::GetFlag(FLAGS_statistics_subregion);
        options.statistics.source = absl::GetFlag(FLAGS_statistics_source);
        options.rapporteur_institution = absl::GetFlag(FLAGS_rapporteur_institution);
        THB_ASSIGN_OR_RETURN(
            server, thb::rapporteur::RapporteurServer::Create(
                        runtime,
                        thb::NewCoordinatorClient(runtime, absl::GetFlag(FLAGS_coordinator_target)),
                        thb::rapporteur::NewCommissionReader(
                            runtime, absl::GetFlag(FLAGS_commission_target)),
                        options));
        *descriptor = &thb::rapporteur::RapporteurServer::Descriptor();
        return &server->handler();
      });
}
