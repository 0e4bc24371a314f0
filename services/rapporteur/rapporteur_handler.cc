#include "services/rapporteur/rapporteur_handler.h"

#include "absl/strings/str_cat.h"

namespace thb::rapporteur {
namespace {

// A reporting institution sees only its own submissions; the Rapporteur's staff see all.
absl::Status CheckReader(const Principal& caller, const std::string& institution) {
  if (caller.HasRole(roles::kRapporteurOffice) || caller.HasRole(roles::kRapporteurAnalyst) ||
      caller.institution == institution) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("a reporting institution reads only its own submissions, not ", institution));
}

}  // namespace

grpc::ServerUnaryReactor* RapporteurHandler::CreateStatisticsSubmission(
    grpc::CallbackServerContext* ctx, const v1::CreateStatisticsSubmissionRequest* request,
    v1::StatisticsSubmission* response) {
  return dispatcher_.Unary(ctx, "CreateStatisticsSubmission", [=](const RequestContext& rc) {
    return Respond(statistics_.Create(rc.principal, *request), response);
  });
}

grpc::ServerUnaryReactor* RapporteurHandler::GetStatisticsSubmission(
    grpc::CallbackServerContext* ctx, const v1::GetStatisticsSubmissionRequest* request,
    v1::StatisticsSubmission* response) {
  return dispatcher_.Unary(ctx, "GetStatisticsSubmission", [=](const RequestContext& rc) {
    absl::StatusOr<v1::StatisticsSubmission> sub = statistics_.Get(request->name());
    if (sub.ok()) {
      if (absl::Status s = CheckReader(rc.principal, sub->reporting_institution()); !s.ok()) {
        return s;
      }
    }
    return Respond(std::move(sub), response);
  });
}

grpc::ServerUnaryReactor* RapporteurHandler::ListStatisticsSubmissions(
    grpc::CallbackServerContext* ctx, const v1::ListStatisticsSubmissionsRequest* request,
    v1::ListStatisticsSubmissionsResponse* response) {
  return dispatcher_.Unary(ctx, "ListStatisticsSubmissions", [=](const RequestContext& rc) {
    v1::ListStatisticsSubmissionsRequest scoped = *request;
    const bool staff = rc.principal.HasRole(roles::kRapporteurOffice) ||
                       rc.principal.HasRole(roles::kRapporteurAnalyst);
    if (!staff) {
      if (!scoped.reporting_institution().empty() &&
          scoped.reporting_institution() != rc.principal.institution) {
        return CheckReader(rc.principal, scoped.reporting_institution());
      }
      scoped.set_reporting_institution(rc.principal.institution);
    }
    return Respond(statistics_.List(scoped), response);
  });
}

}  // namespace thb::rapporteur
