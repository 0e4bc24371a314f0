#include "services/coordinator/mandate_registry.h"

#include <google/protobuf/util/field_mask_util.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/common/audit_log.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/resources.h"
#include "services/common/update_mask.h"
#include "services/common/versioned_rows.h"

namespace thb::coordinator {
namespace {

constexpr char kName[] = "mandate";
const std::vector<std::string> kWritable = {"holder_title",   "institution", "government_level",
                                            "forms_in_scope", "legal_basis", "appointed_on",
                                            "shared_mandate", "shared_with"};
const std::vector<std::string> kOutputOnly = {"name", "update_time", "etag"};

}  // namespace

absl::StatusOr<v1::Mandate> MandateRegistry::Get(const std::string& name) {
  if (name != kName) return InvalidField("name", "the mandate's name is \"mandate\"");
  v1::Mandate out;
  out.set_name(kName);
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<Versioned<v1::Mandate>>> stored =
        LoadVersioned<v1::Mandate>(tx, "mandate", kName);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) out = (*stored)->resource;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::Mandate> MandateRegistry::Update(const AuditActor& actor,
                                                    const v1::UpdateMandateRequest& request) {
  if (request.mandate().name() != kName) {
    return InvalidField("mandate.name", "the mandate's name is \"mandate\"");
  }
  absl::StatusOr<google::protobuf::FieldMask> mask =
      ResolveUpdateMask(request.update_mask(), {kWritable, kOutputOnly, {}}, "Mandate");
  if (!mask.ok()) return mask.status();

  v1::Mandate result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "UpdateMandate", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<std::optional<Versioned<v1::Mandate>>> stored =
        LoadVersioned<v1::Mandate>(tx, "mandate", kName);
    if (!stored.ok()) return stored.status();
    int64_t version = 0;
    result.set_name(kName);
    if (stored->has_value()) {
      result = (*stored)->resource;
      version = (*stored)->version;
    }
    if (absl::Status e = CheckEtag(request.mandate().etag(), result.etag(), kName); !e.ok())
      return e;
    google::protobuf::util::FieldMaskUtil::MergeMessageTo(request.mandate(), *mask, {}, &result);

    FieldViolations fv;
    if (result.holder_title().size() > 200)
      fv.Add("mandate.holder_title", "must be at most 200 characters");
    if (result.legal_basis().size() > 2000)
      fv.Add("mandate.legal_basis", "must be at most 2000 characters");
    if (!v1::GovernmentLevel_IsValid(result.government_level())) {
      fv.Add("mandate.government_level", "unknown GovernmentLevel value");
    }
    absl::flat_hash_set<int> forms;
    for (int f : result.forms_in_scope()) {
      if (f == thb::type::v1::FORM_OF_EXPLOITATION_UNSPECIFIED ||
          !thb::type::v1::FormOfExploitation_IsValid(f)) {
        fv.Add("mandate.forms_in_scope", "must hold FormOfExploitation values");
      } else if (!forms.insert(f).second) {
        fv.Add("mandate.forms_in_scope", "lists a form twice");
      }
    }
    if (IsSet(result.appointed_on()) && !IsValidDate(result.appointed_on())) {
      fv.Add("mandate.appointed_on", "is not a valid calendar date");
    }
    if (!result.shared_mandate() && result.shared_with_size() > 0) {
      fv.Add("mandate.shared_with", "is only for a shared mandate (shared_mandate = true)");
    }
    if (!result.institution().empty() &&
        !ParseResourceName(result.institution(), "institutions", "").ok()) {
      fv.Add("mandate.institution", "must be a resource name institutions/{id}");
    }
    if (!fv.empty()) return fv.ToStatus();
    if (!result.institution().empty()) {
      absl::StatusOr<std::optional<Versioned<v1::Institution>>> inst =
          LoadVersioned<v1::Institution>(tx, "institutions",
                                         result.institution().substr(sizeof("institutions")));
      if (!inst.ok()) return inst.status();
      if (!inst->has_value() || (*inst)->resource.state() != v1::Institution::STATE_ACTIVE) {
        return absl::FailedPreconditionError(
            absl::StrCat("mandate.institution: ", result.institution(),
                         " is not a registered, active institution"));
      }
    }
    *result.mutable_update_time() = ToProtoTimestamp(clock_.Now());
    result.set_etag(EtagForVersion(version + 1));
    absl::StatusOr<int64_t> n = tx.Execute(
        "INSERT INTO mandate (id, institution, data, version) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (id) DO UPDATE SET institution = $2, data = $3, version = $4",
        {std::string(kName), result.institution(), Blob{result.SerializeAsString()}, version + 1});
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "UpdateMandate", request.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

}  // namespace thb::coordinator
