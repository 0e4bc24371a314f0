#include "services/coordinator/mandate_registry.h"

#include "absl/strings/str_cat.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/mutation.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"
#include "services/coordinator/forms_of_exploitation.h"
#include "services/coordinator/institution_registry.h"

namespace thb::coordinator {
namespace {

constexpr char kName[] = "mandate";
const std::vector<std::string> kWritable = {"holder_title",   "institution", "government_level",
                                            "forms_in_scope", "legal_basis", "appointed_on",
                                            "shared_mandate", "shared_with"};
const std::vector<std::string> kOutputOnly = {"name", "update_time", "etag"};

// The mandate is one row, id "mandate".
const ResourceTable<v1::Mandate>& Mandates() {
  static const ResourceTable<v1::Mandate> table(
      "mandate", "mandate",
      {{"institution", [](const v1::Mandate& m) { return Value(m.institution()); }}});
  return table;
}

absl::Status ValidateMandate(const v1::Mandate& m) {
  FieldViolations fv;
  if (!v1::GovernmentLevel_IsValid(m.government_level())) {
    fv.Add("mandate.government_level", "unknown GovernmentLevel value");
  }
  CheckFormsOfExploitation(m.forms_in_scope(), "mandate.forms_in_scope", fv);
  if (IsSet(m.appointed_on()) && !IsValidDate(m.appointed_on())) {
    fv.Add("mandate.appointed_on", "is not a valid calendar date");
  }
  if (!m.shared_mandate() && m.shared_with_size() > 0) {
    fv.Add("mandate.shared_with", "is only for a shared mandate (shared_mandate = true)");
  }
  if (!m.institution().empty() && !ParseResourceName(m.institution(), "institutions", "").ok()) {
    fv.Add("mandate.institution", "must be a resource name institutions/{id}");
  }
  return fv.ToStatus();
}

// FAILED_PRECONDITION unless the hosting institution (when named) is registered and active.
absl::Status CheckHost(Transaction& tx, const std::string& institution) {
  if (institution.empty()) return absl::OkStatus();
  THB_ASSIGN_OR_RETURN(std::optional<v1::Institution> host, FindInstitution(tx, institution));
  if (!host.has_value() || host->state() != v1::Institution::STATE_ACTIVE) {
    return PreconditionFailed(host.has_value() ? type::v1::ERROR_REASON_INSTITUTION_ARCHIVED
                                               : type::v1::ERROR_REASON_INSTITUTION_NOT_REGISTERED,
                              type::v1::PRECONDITION_TYPE_REFERENCE, institution,
                              absl::StrCat("mandate.institution: ", institution,
                                           " is not a registered, active institution"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<v1::Mandate>> FindMandate(Transaction& tx) {
  THB_ASSIGN_OR_RETURN(auto stored, Mandates().Find(tx, kName));
  if (!stored.has_value()) return std::optional<v1::Mandate>();
  return std::optional<v1::Mandate>(std::move(stored->resource));
}

absl::StatusOr<v1::Mandate> MandateRegistry::Get(const std::string& name) {
  if (name != kName) return InvalidField("name", "the mandate's name is \"mandate\"");
  v1::Mandate out;
  out.set_name(kName);
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(std::optional<v1::Mandate> stored, FindMandate(tx));
    if (stored.has_value()) out = *std::move(stored);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Mandate> MandateRegistry::Update(const AuditActor& actor,
                                                    const v1::UpdateMandateRequest& request) {
  if (request.mandate().name() != kName) {
    return InvalidField("mandate.name", "the mandate's name is \"mandate\"");
  }
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(request.update_mask(), {kWritable, kOutputOnly, {}}, "Mandate"));
  return RunMutation<v1::Mandate>(
      db_, {actor, "UpdateMandate", request.request_id()},
      [&](Transaction& tx, v1::Mandate& result) -> absl::Status {
        // Until the office first describes it, the mandate is an empty one at version 0.
        THB_ASSIGN_OR_RETURN(auto stored, Mandates().Find(tx, kName));
        int64_t version = 0;
        result.set_name(kName);
        if (stored.has_value()) {
          result = std::move(stored->resource);
          version = stored->version;
        }
        THB_RETURN_IF_ERROR(CheckEtag(request.mandate().etag(), result.etag(), kName));
        ApplyUpdateMask(request.mandate(), mask, &result);
        THB_RETURN_IF_ERROR(ValidateMandate(result));
        THB_RETURN_IF_ERROR(CheckHost(tx, result.institution()));
        *result.mutable_update_time() = ToProtoTimestamp(clock_.Now());
        return Mandates().Upsert(tx, kName, result, version + 1);
      });
}

}  // namespace thb::coordinator
