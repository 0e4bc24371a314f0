#include "services/commission/commission_charter.h"

#include "absl/strings/str_cat.h"
#include "services/commission/commission_tables.h"
#include "services/common/errors.h"
#include "services/common/mutation.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"

namespace thb::commission {
namespace {

constexpr char kName[] = "commission";
const std::vector<std::string> kWritable = {"display_name", "legal_basis", "chair_institution",
                                            "meeting_cadence_days", "quorum_rule"};
const std::vector<std::string> kOutputOnly = {"name", "update_time", "etag"};

void Validate(const v1::Commission& c, FieldViolations& v) {
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

// The stored Commission, or version 0 with only the name before it is first described.
absl::StatusOr<Versioned<v1::Commission>> Load(Transaction& tx) {
  THB_ASSIGN_OR_RETURN(auto stored, CommissionTable().Find(tx, kName));
  if (stored.has_value()) return *std::move(stored);
  Versioned<v1::Commission> fresh;
  fresh.resource.set_name(kName);
  return fresh;
}

// The chair named by `proposed` when it changes from `current`: FAILED_PRECONDITION unless it is
// the institution of the coordinator's mandate.
absl::Status CheckChair(CoordinatorClient& coordinator, const v1::Commission& current,
                        const v1::Commission& proposed) {
  if (proposed.chair_institution().empty() ||
      proposed.chair_institution() == current.chair_institution()) {
    return absl::OkStatus();
  }
  THB_ASSIGN_OR_RETURN(thb::coordinator::v1::Mandate mandate, coordinator.GetMandate());
  if (mandate.institution().empty()) {
    return PreconditionFailed(
        type::v1::ERROR_REASON_MANDATE_HAS_NO_INSTITUTION,
        type::v1::PRECONDITION_TYPE_CONFIGURATION, "mandate",
        "commission.chair_institution: the coordinator's mandate names no institution yet; the "
        "chair must be the National Co-ordinator's institution");
  }
  if (mandate.institution() != proposed.chair_institution()) {
    return PreconditionFailed(
        type::v1::ERROR_REASON_CHAIR_NOT_COORDINATOR, type::v1::PRECONDITION_TYPE_REFERENCE,
        proposed.chair_institution(),
        absl::StrCat(
            "commission.chair_institution: the Commission is chaired by the National Co-ordinator, "
            "whose institution is ",
            mandate.institution(), " according to the coordinator's mandate, not ",
            proposed.chair_institution()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Commission> CommissionCharter::Get(const std::string& name) {
  if (name != kName) return InvalidField("name", "the Commission's name is \"commission\"");
  v1::Commission out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(auto c, Load(tx));
    out = std::move(c.resource);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::Commission> CommissionCharter::Update(
    const AuditActor& actor, const v1::UpdateCommissionRequest& request) {
  if (request.commission().name() != kName) {
    return InvalidField("commission.name", "the Commission's name is \"commission\"");
  }
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(request.update_mask(), {kWritable, kOutputOnly, {}}, "Commission"));

  // What the update would produce, to validate and to see whether the chair changes.
  THB_ASSIGN_OR_RETURN(v1::Commission current, Get(kName));
  v1::Commission proposed = current;
  ApplyUpdateMask(request.commission(), mask, &proposed);
  FieldViolations v;
  Validate(proposed, v);
  THB_RETURN_IF_ERROR(v.ToStatus());
  THB_RETURN_IF_ERROR(CheckChair(coordinator_, current, proposed));

  return RunMutation<v1::Commission>(
      db_, {actor, "UpdateCommission", request.request_id()},
      [&](Transaction& tx, v1::Commission& result) -> absl::Status {
        THB_ASSIGN_OR_RETURN(auto stored, Load(tx));
        THB_RETURN_IF_ERROR(CheckEtag(request.commission().etag(), stored.resource.etag(), kName));
        if (stored.resource.chair_institution() != current.chair_institution()) {
          return WithReason(
              absl::AbortedError("the Commission changed while this update was checked; try again"),
              type::v1::ERROR_REASON_CONCURRENT_CHANGE);
        }
        // Rebuild from what is stored now, so a concurrent change to another field is not lost.
        result = std::move(stored.resource);
        ApplyUpdateMask(request.commission(), mask, &result);
        FieldViolations again;
        Validate(result, again);
        THB_RETURN_IF_ERROR(again.ToStatus());
        *result.mutable_update_time() = ToProtoTimestamp(clock_.Now());
        return CommissionTable().Upsert(tx, kName, result, stored.version + 1);
      });
}

}  // namespace thb::commission
