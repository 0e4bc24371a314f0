#include "services/coordinator/engagements.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/filter_terms.h"
#include "services/common/iso_codes.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"
#include "services/coordinator/resource_links.h"

namespace thb::coordinator {
namespace {

constexpr char kCollection[] = "engagements";
const std::vector<std::string> kWritable = {"title",
                                            "kind",
                                            "forum",
                                            "start_date",
                                            "end_date",
                                            "location",
                                            "partner_states",
                                            "partner_organizations",
                                            "institutions",
                                            "outcomes",
                                            "follow_up_actions",
                                            "internal_notes"};
const std::vector<std::string> kOutputOnly = {"name", "create_time", "update_time", "etag"};

const ResourceTable<v1::Engagement>& EngagementTable() {
  static const ResourceTable<v1::Engagement> table(
      "engagements", "engagement",
      {{"start_date", [](const v1::Engagement& e) { return Value(FormatDate(e.start_date())); }}});
  return table;
}

// The last day of `e`: its end date, or its start date when it has none.
google::type::Date LastDay(const v1::Engagement& e) {
  return IsSet(e.end_date()) ? e.end_date() : e.start_date();
}

void Validate(const v1::Engagement& e, FieldViolations& v) {
  if (e.title().empty()) v.Add("engagement.title", "is required");
  if (e.kind() == v1::Engagement::KIND_UNSPECIFIED || !v1::Engagement::Kind_IsValid(e.kind())) {
    v.Add("engagement.kind", "must be one of the Engagement.Kind values");
  }
  if (e.forum().empty()) v.Add("engagement.forum", "is required (the body or forum)");
  if (!IsValidDate(e.start_date())) v.Add("engagement.start_date", "must be a valid date");
  if (IsSet(e.end_date())) {
    if (!IsValidDate(e.end_date())) {
      v.Add("engagement.end_date", "is not a valid calendar date");
    } else if (IsValidDate(e.start_date()) &&
               ToCivilDay(e.end_date()) < ToCivilDay(e.start_date())) {
      v.Add("engagement.end_date", "must not be before start_date");
    }
  }
  for (int i = 0; i < e.partner_states_size(); ++i) {
    if (!IsCountryCode(e.partner_states(i))) {
      v.Add(absl::StrCat("engagement.partner_states[", i, "]"),
            "must be an ISO 3166-1 alpha-3 code such as \"AUT\"");
    }
  }
  for (int i = 0; i < e.partner_organizations_size(); ++i) {
    if (e.partner_organizations(i).empty()) {
      v.Add(absl::StrCat("engagement.partner_organizations[", i, "]"), "must not be empty");
    }
  }
  for (int i = 0; i < e.follow_up_actions_size(); ++i) {
    const v1::FollowUpAction& a = e.follow_up_actions(i);
    const std::string f = absl::StrCat("engagement.follow_up_actions[", i, "]");
    if (a.description().empty()) v.Add(f + ".description", "is required");
    if (IsSet(a.due_date()) && !IsValidDate(a.due_date())) {
      v.Add(f + ".due_date", "is not a valid calendar date");
    }
  }
}

// The institutions `e` names, each registered (an archived one may stay on a past engagement,
// but is not newly added: `before` holds the ones already recorded).
absl::Status CheckReferences(Transaction& tx, const v1::Engagement& e,
                             const v1::Engagement* before) {
  FieldViolations v;
  auto known = [&](const std::string& name, bool follow_up) {
    if (before == nullptr) return false;
    if (!follow_up) {
      return std::find(before->institutions().begin(), before->institutions().end(), name) !=
             before->institutions().end();
    }
    for (const v1::FollowUpAction& a : before->follow_up_actions()) {
      if (a.responsible_institution() == name) return true;
    }
    return false;
  };
  for (int i = 0; i < e.institutions_size(); ++i) {
    THB_RETURN_IF_ERROR(CheckInstitutionReference(tx, e.institutions(i),
                                                  absl::StrCat("engagement.institutions[", i, "]"),
                                                  !known(e.institutions(i), false), v));
  }
  for (int i = 0; i < e.follow_up_actions_size(); ++i) {
    const std::string& r = e.follow_up_actions(i).responsible_institution();
    if (r.empty()) continue;
    THB_RETURN_IF_ERROR(CheckInstitutionReference(
        tx, r, absl::StrCat("engagement.follow_up_actions[", i, "].responsible_institution"),
        !known(r, true), v));
  }
  return v.ToStatus();
}

absl::Status SaveEngagementLinks(Transaction& tx, const v1::Engagement& e) {
  std::vector<std::string> targets(e.institutions().begin(), e.institutions().end());
  for (const v1::FollowUpAction& a : e.follow_up_actions()) {
    targets.push_back(a.responsible_institution());
  }
  return SaveLinks(tx, e.name(), targets);
}

}  // namespace

absl::StatusOr<EngagementFilter> EngagementFilter::Parse(const std::string& text) {
  EngagementFilter f;
  THB_ASSIGN_OR_RETURN(std::vector<FilterTerm> terms, SplitFilter(text, "="));
  THB_RETURN_IF_ERROR(RejectRepeatedFields(terms));
  for (const FilterTerm& t : terms) {
    if (t.field == "kind") {
      THB_ASSIGN_OR_RETURN(f.kind_, FilterEnumNumber(v1::Engagement::Kind_descriptor(), "KIND_",
                                                     t.value, "engagement kind"));
    } else if (t.field == "forum") {
      f.forum_ = t.value;
    } else if (t.field == "partner") {
      f.partner_ = t.value;
    } else if (t.field == "institution") {
      f.institution_ = t.value;
    } else {
      return InvalidField("filter", absl::StrCat("cannot filter on \"", t.field,
                                                 "\" (kind, forum, partner, institution)"));
    }
  }
  return f;
}

bool EngagementFilter::Matches(const v1::Engagement& e) const {
  auto has = [](const auto& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
  };
  if (kind_ && e.kind() != *kind_) return false;
  if (forum_ && e.forum() != *forum_) return false;
  if (partner_ && !has(e.partner_states(), *partner_) &&
      !has(e.partner_organizations(), *partner_)) {
    return false;
  }
  if (institution_ && !has(e.institutions(), *institution_)) return false;
  return true;
}

absl::StatusOr<v1::Engagement> Engagements::Create(const AuditActor& actor,
                                                   const v1::CreateEngagementRequest& request) {
  FieldViolations v;
  Validate(request.engagement(), v);
  if (!request.engagement_id().empty() && !IsValidResourceId(request.engagement_id())) {
    v.Add("engagement_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  return RunMutation<v1::Engagement>(
      db_, {actor, "CreateEngagement", request.request_id()},
      [&](Transaction& tx, v1::Engagement& result) -> absl::Status {
        result = request.engagement();
        THB_RETURN_IF_ERROR(CheckReferences(tx, result, nullptr));
        const std::string id =
            request.engagement_id().empty() ? NewResourceId() : request.engagement_id();
        result.set_name(absl::StrCat(kCollection, "/", id));
        const absl::Time now = clock_.Now();
        *result.mutable_create_time() = ToProtoTimestamp(now);
        *result.mutable_update_time() = ToProtoTimestamp(now);
        THB_RETURN_IF_ERROR(EngagementTable().Insert(tx, id, result));
        return SaveEngagementLinks(tx, result);
      });
}

absl::StatusOr<v1::Engagement> Engagements::Get(const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, "name"));
  THB_ASSIGN_OR_RETURN(std::optional<v1::Engagement> found, EngagementTable().Read(db_, id));
  if (!found.has_value()) return EngagementTable().NotFound(name);
  return *std::move(found);
}

absl::StatusOr<v1::ListEngagementsResponse> Engagements::List(
    const v1::ListEngagementsRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  FieldViolations v;
  for (const auto& [field, date] : {std::pair{"period_start", &request.period_start()},
                                    std::pair{"period_end", &request.period_end()}}) {
    if (IsSet(*date) && !IsValidDate(*date)) v.Add(field, "is not a valid calendar date");
  }
  if (v.empty() && IsSet(request.period_start()) && IsSet(request.period_end()) &&
      ToCivilDay(request.period_end()) < ToCivilDay(request.period_start())) {
    v.Add("period_end", "must not be before period_start");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  THB_ASSIGN_OR_RETURN(EngagementFilter filter, EngagementFilter::Parse(request.filter()));
  const bool from = IsSet(request.period_start());
  const bool to = IsSet(request.period_end());
  v1::ListEngagementsResponse out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListByIdFiltered(
        tx, {EngagementTable().table()}, page,
        [&](const v1::Engagement& e) {
          if (from && ToCivilDay(LastDay(e)) < ToCivilDay(request.period_start())) return false;
          if (to && ToCivilDay(request.period_end()) < ToCivilDay(e.start_date())) return false;
          return filter.Matches(e);
        },
        out.mutable_engagements(), out.mutable_next_page_token());
  }));
  return out;
}

absl::StatusOr<v1::Engagement> Engagements::Update(const AuditActor& actor,
                                                   const v1::UpdateEngagementRequest& request) {
  const v1::Engagement& patch = request.engagement();
  THB_ASSIGN_OR_RETURN(std::string id,
                       ParseResourceName(patch.name(), kCollection, "engagement.name"));
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(request.update_mask(), {kWritable, kOutputOnly, {}}, "Engagement"));
  return UpdateResource<v1::Engagement>(
      db_, {actor, "UpdateEngagement", request.request_id()}, EngagementTable(),
      {id, patch.name(), patch.etag()}, clock_.Now(),
      [&](Transaction& tx, v1::Engagement& result) -> absl::Status {
        const v1::Engagement before = result;
        ApplyUpdateMask(patch, mask, &result);
        FieldViolations v;
        Validate(result, v);
        THB_RETURN_IF_ERROR(v.ToStatus());
        THB_RETURN_IF_ERROR(CheckReferences(tx, result, &before));
        return SaveEngagementLinks(tx, result);
      });
}

absl::Status Engagements::Delete(const AuditActor& actor,
                                 const v1::DeleteEngagementRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(request.name(), kCollection, "name"));
  return RunMutation(
      db_, {actor, "DeleteEngagement", request.request_id(), request.name()},
      [&](Transaction& tx) -> absl::Status {
        THB_ASSIGN_OR_RETURN(auto stored, EngagementTable().Load(tx, id, request.name()));
        THB_RETURN_IF_ERROR(CheckEtag(request.etag(), stored.resource.etag(), request.name()));
        THB_RETURN_IF_ERROR(DeleteLinks(tx, request.name()));
        return tx.Execute("DELETE FROM engagements WHERE id = $1", {id}).status();
      });
}

}  // namespace thb::coordinator
