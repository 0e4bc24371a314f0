#include "services/commission/commission_charter.h"

#include <google/protobuf/util/field_mask_util.h>

#include "absl/strings/str_cat.h"
#include "services/common/audit_log.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/resources.h"
#include "services/common/update_mask.h"
#include "services/common/versioned_rows.h"

namespace thb::commission {
namespace {

constexpr char kName[] = "commission";
const std::vector<std::string> kWritable = {"display_name", "legal_basis", "chair_institution",
                                            "meeting_cadence_days", "quorum_rule"};
const std::vector<std::string> kOutputOnly = {"name", "update_time", "etag"};

void Validate(const v1::Commission& c, FieldViolations& v) {
  if (c.display_name().size() > 300)
    v.Add("commission.display_name", "must be at most 300 characters");
  if (c.legal_basis().size() > 2000)
    v.Add("commission.legal_basis", "must be at most 2000 characters");
  if (!c.chair_institution().empty() &&
      !ParseResourceName(c.chair_institution(), "institutions", "").ok()) {
    v.Add("commission.chair_institution", "must be a resource name institutions/{id}");
  }
  if (c.meeting_cadence_days() < 1 || c.meeting_cadence_days() > 366) {
    v.Add("commission.meeting_cadence_days", "must be between 1 and 366 days");
  }
  const v1::QuorumRule& q = c.quorum_rule();
  if (!v1::QuorumRule::Kind_IsValid(q.kind())) v.Add("commission.quorum_rule.kind", "unknown kind");
  if (q.kind() == v1::QuorumRule::KIND_FRACTION_OF_VOTING_MEMBERS &&
      (q.fraction() <= 0 || q.fraction() > 1)) {
    v.Add("commission.quorum_rule.fraction", "must be in (0, 1] for a fraction rule");
  }
  if (q.kind() == v1::QuorumRule::KIND_FIXED_COUNT && q.count() < 1) {
    v.Add("commission.quorum_rule.count", "must be at least 1 for a fixed-count rule");
  }
}

absl::StatusOr<Versioned<v1::Commission>> Load(Transaction& tx) {
  absl::StatusOr<std::optional<Versioned<v1::Commission>>> stored =
      LoadVersioned<v1::Commission>(tx, "commission", kName);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) return **stored;
  Versioned<v1::Commission> fresh;
  fresh.resource.set_name(kName);
  return fresh;
}

}  // namespace

absl::StatusOr<v1::Commission> CommissionCharter::Get(const std::string& name) {
  if (name != kName) return InvalidField("name", "the Commission's name is \"commission\"");
  v1::Commission out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Versioned<v1::Commission>> c = Load(tx);
    if (!c.ok()) return c.status();
    out = c->resource;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::Commission> CommissionCharter::Update(
    const AuditActor& actor, const v1::UpdateCommissionRequest& request) {
  if (request.commission().name() != kName) {
    return InvalidField("commission.name", "the Commission's name is \"commission\"");
  }
  absl::StatusOr<google::protobuf::FieldMask> mask =
      ResolveUpdateMask(request.update_mask(), {kWritable, kOutputOnly, {}}, "Commission");
  if (!mask.ok()) return mask.status();
  FieldViolations v;

  // What the update would produce, to validate and to see whether the chair changes.
  v1::Commission current;
  if (absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
        absl::StatusOr<Versioned<v1::Commission>> c = Load(tx);
        if (!c.ok()) return c.status();
        current = c->resource;
        return absl::OkStatus();
      });
      !s.ok()) {
    return s;
  }
  v1::Commission proposed = current;
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(request.commission(), *mask, {}, &proposed);
  Validate(proposed, v);
  if (!v.empty()) return v.ToStatus();
  if (!proposed.chair_institution().empty() &&
      proposed.chair_institution() != current.chair_institution()) {
    absl::StatusOr<thb::coordinator::v1::Mandate> mandate = coordinator_.GetMandate();
    if (!mandate.ok()) return mandate.status();
    if (mandate->institution().empty()) {
      return absl::FailedPreconditionError(
          "commission.chair_institution: the coordinator's mandate names no institution yet; the "
          "chair must be the National Co-ordinator's institution");
    }
    if (mandate->institution() != proposed.chair_institution()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "commission.chair_institution: the Commission is chaired by the National Co-ordinator, "
          "whose institution is ",
          mandate->institution(), " according to the coordinator's mandate, not ",
          proposed.chair_institution()));
    }
  }

  v1::Commission result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "UpdateCommission", request.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<Versioned<v1::Commission>> stored = Load(tx);
    if (!stored.ok()) return stored.status();
    if (absl::Status e = CheckEtag(request.commission().etag(), stored->resource.etag(), kName);
        !e.ok()) {
      return e;
    }
    if (stored->resource.chair_institution() != current.chair_institution()) {
      return absl::AbortedError("the Commission changed while this update was checked; try again");
    }
    // Rebuild from what is stored now, so a concurrent change to another field is not lost.
    result = stored->resource;
    google::protobuf::util::FieldMaskUtil::MergeMessageTo(request.commission(), *mask, {}, &result);
    FieldViolations again;
    Validate(result, again);
    if (!again.empty()) return again.ToStatus();
    *result.mutable_update_time() = ToProtoTimestamp(clock_.Now());
    result.set_etag(EtagForVersion(stored->version + 1));
    absl::StatusOr<int64_t> n = tx.Execute(
        "INSERT INTO commission (id, data, version) VALUES ($1, $2, $3) "
        "ON CONFLICT (id) DO UPDATE SET data = $2, version = $3",
        {std::string(kName), Blob{result.SerializeAsString()}, stored->version + 1});
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "UpdateCommission", request.request_id(), result.name(),
                          result);
  });
  if (!s.ok()) return s;
  return result;
}

}  // namespace thb::commission
