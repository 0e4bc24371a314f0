#include "services/coordinator/coordinator_handler.h"

namespace thb::coordinator {

grpc::ServerUnaryReactor* CoordinatorHandler::CreateInstitution(
    grpc::CallbackServerContext* ctx, const v1::CreateInstitutionRequest* request,
    v1::Institution* response) {
  return dispatcher_.Unary(ctx, "CreateInstitution", [=](const RequestContext&) {
    return Respond(registry_.Create(*request), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::GetInstitution(
    grpc::CallbackServerContext* ctx, const v1::GetInstitutionRequest* request,
    v1::Institution* response) {
  return dispatcher_.Unary(ctx, "GetInstitution", [=](const RequestContext& rc) {
    absl::StatusOr<v1::Institution> inst = registry_.Get(request->name());
    // Contact data is for the administering office and the services, never for the public.
    if (inst.ok() && !rc.principal.authenticated) inst->clear_contact_email();
    return Respond(std::move(inst), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ListInstitutions(
    grpc::CallbackServerContext* ctx, const v1::ListInstitutionsRequest* request,
    v1::ListInstitutionsResponse* response) {
  return dispatcher_.Unary(ctx, "ListInstitutions", [=](const RequestContext& rc) {
    absl::StatusOr<v1::ListInstitutionsResponse> page = registry_.List(*request);
    if (page.ok() && !rc.principal.authenticated) {
      for (auto& inst : *page->mutable_institutions()) inst.clear_contact_email();
    }
    return Respond(std::move(page), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::UpdateInstitution(
    grpc::CallbackServerContext* ctx, const v1::UpdateInstitutionRequest* request,
    v1::Institution* response) {
  return dispatcher_.Unary(ctx, "UpdateInstitution", [=](const RequestContext&) {
    return Respond(registry_.Update(*request), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::ArchiveInstitution(
    grpc::CallbackServerContext* ctx, const v1::ArchiveInstitutionRequest* request,
    v1::Institution* response) {
  return dispatcher_.Unary(ctx, "ArchiveInstitution", [=](const RequestContext&) {
    return Respond(registry_.Archive(*request), response);
  });
}

grpc::ServerUnaryReactor* CoordinatorHandler::DeleteInstitution(
    grpc::CallbackServerContext* ctx, const v1::DeleteInstitutionRequest* request,
    google::protobuf::Empty*) {
  return dispatcher_.Unary(ctx, "DeleteInstitution", [=](const RequestContext&) {
    return registry_.Delete(*request);
  });
}

}  // namespace thb::coordinator
