#include "services/coordinator/institution_registry.h"

#include <google/protobuf/empty.pb.h>

#include <optional>
#include <regex>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/iso_codes.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"
#include "services/common/versioned_rows.h"
#include "services/coordinator/resource_links.h"

namespace thb::coordinator {
namespace {

constexpr char kCollection[] = "institutions";
const char* const kWritableFields[] = {"display_name", "sector", "kind",
                                       "parent",       "region", "contact_email"};
// AIP-203: output-only fields named in an update mask are ignored, not rejected.
const char* const kOutputOnlyFields[] = {"name", "state", "create_time", "update_time", "etag"};

bool IsEmail(const std::string& s) {
  static const std::regex re("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
  return s.size() <= 254 && std::regex_match(s, re);
}

// Validates the writable fields of `inst` (as named in `prefix.field`).
void ValidateFields(const v1::Institution& inst, FieldViolations& v) {
  if (inst.display_name().empty()) v.Add("institution.display_name", "is required");
  if (inst.sector() == thb::type::v1::SECTOR_UNSPECIFIED ||
      !thb::type::v1::Sector_IsValid(inst.sector())) {
    v.Add("institution.sector", "must be one of the Sector values");
  }
  if (inst.kind() == v1::INSTITUTION_KIND_UNSPECIFIED ||
      !v1::InstitutionKind_IsValid(inst.kind())) {
    v.Add("institution.kind", "must be one of the InstitutionKind values");
  }
  if (!inst.parent().empty() && !ParseResourceName(inst.parent(), kCollection, "").ok()) {
    v.Add("institution.parent", "must be a resource name institutions/{id}");
  }
  if (!inst.region().empty() && !IsRegionCode(inst.region())) {
    v.Add("institution.region", "must be an ISO 3166-2 code such as \"AT-9\"");
  }
  if (!inst.contact_email().empty() && !IsEmail(inst.contact_email())) {
    v.Add("institution.contact_email", "must be an e-mail address");
  }
}

const ResourceTable<v1::Institution>& Institutions() {
  static const ResourceTable<v1::Institution> table(
      "institutions", "institution",
      {{"sector", [](const v1::Institution& i) { return Value(int64_t{i.sector()}); }},
       {"kind", [](const v1::Institution& i) { return Value(int64_t{i.kind()}); }},
       {"state", [](const v1::Institution& i) { return Value(int64_t{i.state()}); }},
       {"parent", [](const v1::Institution& i) { return Value(i.parent()); }}});
  return table;
}

// INVALID_ARGUMENT on institution.parent unless `parent` is empty or a stored institution.
absl::Status CheckParentExists(Transaction& tx, const std::string& parent) {
  if (parent.empty()) return absl::OkStatus();
  THB_ASSIGN_OR_RETURN(std::optional<v1::Institution> found, FindInstitution(tx, parent));
  if (!found.has_value()) {
    return InvalidField("institution.parent", "names an institution that does not exist");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<v1::Institution>> FindInstitution(Transaction& tx,
                                                               const std::string& name) {
  THB_ASSIGN_OR_RETURN(auto found, Institutions().Find(tx, name.substr(sizeof(kCollection))));
  if (!found.has_value()) return std::optional<v1::Institution>();
  return std::optional<v1::Institution>(std::move(found->resource));
}

absl::StatusOr<v1::Institution> InstitutionRegistry::Create(
    const AuditActor& actor, const v1::CreateInstitutionRequest& request) {
  FieldViolations v;
  ValidateFields(request.institution(), v);
  if (!request.institution_id().empty() && !IsValidResourceId(request.institution_id())) {
    v.Add("institution_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  if (!v.empty()) return v.ToStatus();

  return RunMutation<v1::Institution>(
      db_, {actor, "CreateInstitution", request.request_id()},
      [&](Transaction& tx, v1::Institution& result) -> absl::Status {
        THB_RETURN_IF_ERROR(CheckParentExists(tx, request.institution().parent()));
        const std::string id =
            request.institution_id().empty() ? NewResourceId() : request.institution_id();
        result = request.institution();
        result.set_name(absl::StrCat(kCollection, "/", id));
        result.set_state(v1::Institution::STATE_ACTIVE);
        const absl::Time now = clock_.Now();
        *result.mutable_create_time() = ToProtoTimestamp(now);
        *result.mutable_update_time() = ToProtoTimestamp(now);
        return Institutions().Insert(tx, id, result);
      });
}

absl::StatusOr<v1::Institution> InstitutionRegistry::Get(const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, "name"));
  v1::Institution found;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(auto stored, Institutions().Load(tx, id, name));
    found = std::move(stored.resource);
    return absl::OkStatus();
  }));
  return found;
}

absl::StatusOr<v1::ListInstitutionsResponse> InstitutionRegistry::List(
    const v1::ListInstitutionsRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  FieldViolations v;
  if (!thb::type::v1::Sector_IsValid(request.sector())) v.Add("sector", "unknown Sector value");
  if (!v1::InstitutionKind_IsValid(request.kind())) v.Add("kind", "unknown InstitutionKind value");
  THB_RETURN_IF_ERROR(v.ToStatus());

  const ListQuery query = {
      "institutions",
      "($1 = 1 OR state = $2) AND ($3 = 0 OR sector = $3) AND ($4 = 0 OR kind = $4)",
      {int64_t{request.show_archived() ? 1 : 0}, int64_t{v1::Institution::STATE_ACTIVE},
       int64_t{request.sector()}, int64_t{request.kind()}}};
  v1::ListInstitutionsResponse response;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListById(tx, query, page, response.mutable_institutions(),
                    response.mutable_next_page_token());
  }));
  return response;
}

absl::StatusOr<v1::Institution> InstitutionRegistry::Update(
    const AuditActor& actor, const v1::UpdateInstitutionRequest& request) {
  const v1::Institution& patch = request.institution();
  THB_ASSIGN_OR_RETURN(std::string id,
                       ParseResourceName(patch.name(), kCollection, "institution.name"));
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(request.update_mask(),
                        {{std::begin(kWritableFields), std::end(kWritableFields)},
                         {std::begin(kOutputOnlyFields), std::end(kOutputOnlyFields)},
                         {}},
                        "Institution"));

  return UpdateResource<v1::Institution>(
      db_, {actor, "UpdateInstitution", request.request_id()}, Institutions(),
      {id, patch.name(), patch.etag()}, clock_.Now(),
      [&](Transaction& tx, v1::Institution& result) -> absl::Status {
        ApplyUpdateMask(patch, mask, &result);
        FieldViolations fv;
        ValidateFields(result, fv);
        if (result.parent() == result.name()) {
          fv.Add("institution.parent", "an institution cannot be its own parent");
        }
        THB_RETURN_IF_ERROR(fv.ToStatus());
        return CheckParentExists(tx, result.parent());
      });
}

absl::StatusOr<v1::Institution> InstitutionRegistry::Archive(
    const AuditActor& actor, const v1::ArchiveInstitutionRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(request.name(), kCollection, "name"));
  return UpdateResource<v1::Institution>(
      db_, {actor, "ArchiveInstitution", request.request_id()}, Institutions(),
      {id, request.name(), request.etag()}, clock_.Now(),
      [&](Transaction&, v1::Institution& result) -> absl::Status {
        if (result.state() == v1::Institution::STATE_ARCHIVED) return NothingChanged();
        result.set_state(v1::Institution::STATE_ARCHIVED);
        return absl::OkStatus();
      });
}

absl::Status InstitutionRegistry::Delete(const AuditActor& actor,
                                         const v1::DeleteInstitutionRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(request.name(), kCollection, "name"));
  return RunMutation(
      db_, {actor, "DeleteInstitution", request.request_id(), request.name()},
      [&](Transaction& tx) -> absl::Status {
        THB_ASSIGN_OR_RETURN(auto stored, Institutions().Load(tx, id, request.name()));
        THB_RETURN_IF_ERROR(CheckEtag(request.etag(), stored.resource.etag(), request.name()));
        THB_ASSIGN_OR_RETURN(
            std::vector<Row> children,
            tx.Query("SELECT id FROM institutions WHERE parent = $1 LIMIT 1", {request.name()}));
        if (!children.empty()) {
          return PreconditionFailed(
              type::v1::ERROR_REASON_INSTITUTION_HAS_CHILDREN, type::v1::PRECONDITION_TYPE_IN_USE,
              request.name(),
              absl::StrCat(request.name(), " is the parent of institutions/", children[0].Text(0),
                           "; archive it instead of deleting it"));
        }
        THB_ASSIGN_OR_RETURN(
            std::vector<Row> measures,
            tx.Query("SELECT measure FROM measure_institutions WHERE institution = $1 LIMIT 1",
                     {request.name()}));
        if (!measures.empty()) {
          return PreconditionFailed(
              type::v1::ERROR_REASON_INSTITUTION_HAS_MEASURES, type::v1::PRECONDITION_TYPE_IN_USE,
              request.name(),
              absl::StrCat(request.name(), " leads or partners measure ", measures[0].Text(0),
                           "; archive it instead of deleting it"));
        }
        THB_ASSIGN_OR_RETURN(
            std::vector<Row> mandate,
            tx.Query("SELECT id FROM mandate WHERE institution = $1", {request.name()}));
        if (!mandate.empty()) {
          return PreconditionFailed(
              type::v1::ERROR_REASON_INSTITUTION_HOSTS_MANDATE, type::v1::PRECONDITION_TYPE_IN_USE,
              request.name(),
              absl::StrCat(request.name(),
                           " hosts the Co-ordinator's mandate; archive it instead of deleting it"));
        }
        THB_RETURN_IF_ERROR(RequireUnreferenced(tx, request.name()));
        return tx.Execute("DELETE FROM institutions WHERE id = $1", {id}).status();
      });
}

}  // namespace thb::coordinator
