#include "services/coordinator/institution_registry.h"

#include <google/protobuf/empty.pb.h>
#include <google/protobuf/util/field_mask_util.h>

#include <optional>
#include <regex>

#include "absl/strings/str_cat.h"
#include "services/common/audit_log.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/iso_codes.h"
#include "services/common/resources.h"
#include "services/common/update_mask.h"
#include "services/common/versioned_rows.h"

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
  if (inst.display_name().size() > 200) {
    v.Add("institution.display_name", "must be at most 200 characters");
  }
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

using Stored = Versioned<v1::Institution>;

absl::StatusOr<std::optional<Stored>> Load(Transaction& tx, const std::string& id) {
  return LoadVersioned<v1::Institution>(tx, "institutions", id);
}

absl::Status Save(Transaction& tx, const std::string& id, v1::Institution& inst, int64_t version,
                  bool insert) {
  inst.set_etag(EtagForVersion(version));
  std::vector<Value> params = {id,
                               static_cast<int64_t>(inst.sector()),
                               static_cast<int64_t>(inst.kind()),
                               static_cast<int64_t>(inst.state()),
                               inst.parent(),
                               Blob{inst.SerializeAsString()},
                               version};
  absl::StatusOr<int64_t> n =
      insert ? tx.Execute(
                   "INSERT INTO institutions (id, sector, kind, state, parent, data, version) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                   params)
             : tx.Execute(
                   "UPDATE institutions SET sector = $2, kind = $3, state = $4, "
                   "parent = $5, data = $6, version = $7 WHERE id = $1",
                   params);
  if (!n.ok()) return n.status();
  return absl::OkStatus();
}

absl::Status NotFound(const std::string& name) {
  return absl::NotFoundError(absl::StrCat("institution ", name, " does not exist"));
}

}  // namespace

absl::StatusOr<v1::Institution> InstitutionRegistry::Create(
    const AuditActor& actor, const v1::CreateInstitutionRequest& request) {
  FieldViolations v;
  ValidateFields(request.institution(), v);
  if (!request.institution_id().empty() && !IsValidResourceId(request.institution_id())) {
    v.Add("institution_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  if (!v.empty()) return v.ToStatus();

  v1::Institution result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CreateInstitution", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    const std::string id =
        request.institution_id().empty() ? NewResourceId() : request.institution_id();
    if (!request.institution().parent().empty()) {
      absl::StatusOr<std::optional<Stored>> parent =
          Load(tx, request.institution().parent().substr(sizeof(kCollection)));
      if (!parent.ok()) return parent.status();
      if (!parent->has_value()) {
        return InvalidField("institution.parent", "names an institution that does not exist");
      }
    }
    result = request.institution();
    result.set_name(absl::StrCat(kCollection, "/", id));
    result.set_state(v1::Institution::STATE_ACTIVE);
    const absl::Time now = clock_.Now();
    *result.mutable_create_time() = ToProtoTimestamp(now);
    *result.mutable_update_time() = ToProtoTimestamp(now);
    absl::Status saved = Save(tx, id, result, 1, /*insert=*/true);
    if (saved.code() == absl::StatusCode::kAlreadyExists) {
      return absl::AlreadyExistsError(
          absl::StrCat("institution ", result.name(), " already exists"));
    }
    if (!saved.ok()) return saved;
    return RecordMutation(tx, actor, "CreateInstitution", request.request_id(), result.name(),
                          result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::Institution> InstitutionRegistry::Get(const std::string& name) {
  absl::StatusOr<std::string> id = ParseResourceName(name, kCollection, "name");
  if (!id.ok()) return id.status();
  std::optional<Stored> stored;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<Stored>> loaded = Load(tx, *id);
    if (!loaded.ok()) return loaded.status();
    stored = std::move(*loaded);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!stored) return NotFound(name);
  return stored->resource;
}

absl::StatusOr<v1::ListInstitutionsResponse> InstitutionRegistry::List(
    const v1::ListInstitutionsRequest& request) {
  absl::StatusOr<PageRequest> page = ParsePageRequest(request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  FieldViolations v;
  if (!thb::type::v1::Sector_IsValid(request.sector())) v.Add("sector", "unknown Sector value");
  if (!v1::InstitutionKind_IsValid(request.kind())) v.Add("kind", "unknown InstitutionKind value");
  if (!v.empty()) return v.ToStatus();

  v1::ListInstitutionsResponse response;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows = tx.Query(
        "SELECT id, data FROM institutions WHERE id > $1 "
        "AND ($2 = 1 OR state = $3) AND ($4 = 0 OR sector = $4) AND ($5 = 0 OR kind = $5) "
        "ORDER BY id LIMIT $6",
        {page->after, static_cast<int64_t>(request.show_archived() ? 1 : 0),
         static_cast<int64_t>(v1::Institution::STATE_ACTIVE),
         static_cast<int64_t>(request.sector()), static_cast<int64_t>(request.kind()),
         static_cast<int64_t>(page->page_size) + 1});
    if (!rows.ok()) return rows.status();
    return FillPage(*rows, page->page_size, response.mutable_institutions(),
                    response.mutable_next_page_token());
  });
  if (!s.ok()) return s;
  return response;
}

absl::StatusOr<v1::Institution> InstitutionRegistry::Update(
    const AuditActor& actor, const v1::UpdateInstitutionRequest& request) {
  const v1::Institution& patch = request.institution();
  absl::StatusOr<std::string> id = ParseResourceName(patch.name(), kCollection, "institution.name");
  if (!id.ok()) return id.status();
  absl::StatusOr<google::protobuf::FieldMask> mask =
      ResolveUpdateMask(request.update_mask(),
                        {{std::begin(kWritableFields), std::end(kWritableFields)},
                         {std::begin(kOutputOnlyFields), std::end(kOutputOnlyFields)},
                         {}},
                        "Institution");
  if (!mask.ok()) return mask.status();

  v1::Institution result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "UpdateInstitution", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<std::optional<Stored>> stored = Load(tx, *id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return NotFound(patch.name());
    if (absl::Status e = CheckEtag(patch.etag(), (*stored)->resource.etag(), patch.name()); !e.ok())
      return e;
    result = (*stored)->resource;
    google::protobuf::util::FieldMaskUtil::MergeMessageTo(patch, *mask, {}, &result);
    FieldViolations fv;
    ValidateFields(result, fv);
    if (result.parent() == result.name()) {
      fv.Add("institution.parent", "an institution cannot be its own parent");
    }
    if (!fv.empty()) return fv.ToStatus();
    if (!result.parent().empty()) {
      absl::StatusOr<std::optional<Stored>> parent =
          Load(tx, result.parent().substr(sizeof(kCollection)));
      if (!parent.ok()) return parent.status();
      if (!parent->has_value()) {
        return InvalidField("institution.parent", "names an institution that does not exist");
      }
    }
    *result.mutable_update_time() = ToProtoTimestamp(clock_.Now());
    if (absl::Status e = Save(tx, *id, result, (*stored)->version + 1, false); !e.ok()) return e;
    return RecordMutation(tx, actor, "UpdateInstitution", request.request_id(), result.name(),
                          result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::Institution> InstitutionRegistry::Archive(
    const AuditActor& actor, const v1::ArchiveInstitutionRequest& request) {
  absl::StatusOr<std::string> id = ParseResourceName(request.name(), kCollection, "name");
  if (!id.ok()) return id.status();
  v1::Institution result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "ArchiveInstitution", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<std::optional<Stored>> stored = Load(tx, *id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return NotFound(request.name());
    if (absl::Status e = CheckEtag(request.etag(), (*stored)->resource.etag(), request.name());
        !e.ok())
      return e;
    result = (*stored)->resource;
    if (result.state() == v1::Institution::STATE_ARCHIVED) return absl::OkStatus();
    result.set_state(v1::Institution::STATE_ARCHIVED);
    *result.mutable_update_time() = ToProtoTimestamp(clock_.Now());
    if (absl::Status e = Save(tx, *id, result, (*stored)->version + 1, false); !e.ok()) return e;
    return RecordMutation(tx, actor, "ArchiveInstitution", request.request_id(), result.name(),
                          result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::Status InstitutionRegistry::Delete(const AuditActor& actor,
                                         const v1::DeleteInstitutionRequest& request) {
  absl::StatusOr<std::string> id = ParseResourceName(request.name(), kCollection, "name");
  if (!id.ok()) return id.status();
  return db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    google::protobuf::Empty done;
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "DeleteInstitution", request.request_id(), &done);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<std::optional<Stored>> stored = Load(tx, *id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return NotFound(request.name());
    if (absl::Status e = CheckEtag(request.etag(), (*stored)->resource.etag(), request.name());
        !e.ok())
      return e;
    absl::StatusOr<std::vector<Row>> children =
        tx.Query("SELECT id FROM institutions WHERE parent = $1 LIMIT 1", {request.name()});
    if (!children.ok()) return children.status();
    if (!children->empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat(request.name(), " is the parent of institutions/", (*children)[0].Text(0),
                       "; archive it instead of deleting it"));
    }
    absl::StatusOr<std::vector<Row>> measures =
        tx.Query("SELECT measure FROM measure_institutions WHERE institution = $1 LIMIT 1",
                 {request.name()});
    if (!measures.ok()) return measures.status();
    if (!measures->empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat(request.name(), " leads or partners measure ", (*measures)[0].Text(0),
                       "; archive it instead of deleting it"));
    }
    absl::StatusOr<std::vector<Row>> mandate =
        tx.Query("SELECT id FROM mandate WHERE institution = $1", {request.name()});
    if (!mandate.ok()) return mandate.status();
    if (!mandate->empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          request.name(), " hosts the Co-ordinator's mandate; archive it instead of deleting it"));
    }
    absl::StatusOr<int64_t> n = tx.Execute("DELETE FROM institutions WHERE id = $1", {*id});
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "DeleteInstitution", request.request_id(), request.name(),
                          done);
  });
}

}  // namespace thb::coordinator
