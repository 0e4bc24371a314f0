#include "services/coordinator/action_plans.h"

#include <google/protobuf/empty.pb.h>
#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/audit_log.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/resources.h"
#include "services/common/update_mask.h"
#include "services/common/versioned_rows.h"
#include "services/coordinator/measure_filter.h"
#include "services/coordinator/plan_analysis.h"

namespace thb::coordinator {

using google::protobuf::FieldMask;
using google::protobuf::util::FieldMaskUtil;
using State = v1::ActionPlan::State;

struct ActionPlans::PlanContents {
  v1::ActionPlan plan;
  std::vector<v1::Objective> objectives;
  std::vector<v1::Measure> measures;
  std::vector<thb::type::v1::FormOfExploitation> mandate_forms;
};

namespace {

// ---- names -------------------------------------------------------------------------------

absl::StatusOr<std::string> PlanId(const std::string& name, const std::string& field) {
  absl::StatusOr<std::vector<std::string>> ids = ParseResourcePath(name, {"plans"}, field);
  if (!ids.ok()) return ids.status();
  return (*ids)[0];
}

// Ids of a name plans/{p}/<collection>/{c}, as {p, c}.
absl::StatusOr<std::vector<std::string>> ChildIds(const std::string& name, const char* collection,
                                                  const std::string& field) {
  return ParseResourcePath(name, {"plans", collection}, field);
}

std::string PlanName(const std::string& plan_id) { return absl::StrCat("plans/", plan_id); }

// Storage key of a child row: "<plan>/<child>".
std::string ChildKey(const std::vector<std::string>& ids) { return absl::StrJoin(ids, "/"); }

absl::Status NotFound(const std::string& what, const std::string& name) {
  return absl::NotFoundError(absl::StrCat(what, " ", name, " does not exist"));
}

// ---- plan rows ---------------------------------------------------------------------------

absl::StatusOr<Versioned<v1::ActionPlan>> LoadPlan(Transaction& tx, const std::string& plan_id) {
  absl::StatusOr<std::optional<Versioned<v1::ActionPlan>>> p =
      LoadVersioned<v1::ActionPlan>(tx, "plans", plan_id);
  if (!p.ok()) return p.status();
  if (!p->has_value()) return NotFound("plan", PlanName(plan_id));
  return **p;
}

// The plan if `audience` may see it; NOT_FOUND otherwise (its existence is not revealed).
absl::StatusOr<Versioned<v1::ActionPlan>> LoadVisiblePlan(Transaction& tx, const PlanAudience& a,
                                                          const std::string& plan_id) {
  absl::StatusOr<Versioned<v1::ActionPlan>> p = LoadPlan(tx, plan_id);
  if (p.ok() && !a.CanSee(p->resource.state())) return NotFound("plan", PlanName(plan_id));
  return p;
}

// A plan and one of its children (objective or measure), for a change: the child must exist
// and `etag`, when given, must be current.
template <typename T>
struct PlanAndChild {
  Versioned<v1::ActionPlan> plan;
  Versioned<T> child;
};

template <typename T>
absl::StatusOr<PlanAndChild<T>> LoadForChange(Transaction& tx, const std::vector<std::string>& ids,
                                              const char* table, const char* what,
                                              const std::string& name, const std::string& etag) {
  absl::StatusOr<Versioned<v1::ActionPlan>> plan = LoadPlan(tx, ids[0]);
  if (!plan.ok()) return plan.status();
  absl::StatusOr<std::optional<Versioned<T>>> stored = LoadVersioned<T>(tx, table, ChildKey(ids));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return NotFound(what, name);
  if (absl::Status e = CheckEtag(etag, (*stored)->resource.etag(), name); !e.ok()) return e;
  return PlanAndChild<T>{*std::move(plan), **std::move(stored)};
}

absl::Status SavePlan(Transaction& tx, const std::string& id, v1::ActionPlan& plan, int64_t version,
                      bool insert) {
  plan.set_etag(EtagForVersion(version));
  std::vector<Value> params = {id, static_cast<int64_t>(plan.state()),
                               Blob{plan.SerializeAsString()}, version};
  return (insert
              ? tx.Execute("INSERT INTO plans (id, state, data, version) VALUES ($1, $2, $3, $4)",
                           params)
              : tx.Execute("UPDATE plans SET state = $2, data = $3, version = $4 WHERE id = $1",
                           params))
      .status();
}

// Records a structural change of an ADOPTED plan as its next revision (the plan's etag moves).
absl::Status RecordRevision(Transaction& tx, Versioned<v1::ActionPlan>& plan,
                            const std::string& plan_id, const std::string& reason,
                            const std::string& method, const std::string& resource,
                            const Principal& actor, absl::Time now) {
  if (plan.resource.state() != v1::ActionPlan::STATE_ADOPTED) return absl::OkStatus();
  const int32_t number = plan.resource.revision() + 1;
  v1::PlanRevision rev;
  rev.set_name(absl::StrCat(PlanName(plan_id), "/revisions/r", number));
  rev.set_number(number);
  rev.set_reason(reason);
  rev.set_method(method);
  rev.set_resource(resource);
  rev.set_actor(actor.subject);
  *rev.mutable_create_time() = ToProtoTimestamp(now);
  absl::StatusOr<int64_t> n =
      tx.Execute("INSERT INTO plan_revisions (plan, number, data) VALUES ($1, $2, $3)",
                 {plan_id, static_cast<int64_t>(number), Blob{rev.SerializeAsString()}});
  if (!n.ok()) return n.status();
  plan.resource.set_revision(number);
  *plan.resource.mutable_update_time() = ToProtoTimestamp(now);
  ++plan.version;
  return SavePlan(tx, plan_id, plan.resource, plan.version, false);
}

// ---- validation --------------------------------------------------------------------------

void ValidatePlan(const v1::ActionPlan& p, FieldViolations& v) {
  if (p.title().empty()) v.Add("plan.title", "is required");
  if (p.title().size() > 300) v.Add("plan.title", "must be at most 300 characters");
  if (p.description().size() > 10000) v.Add("plan.description", "must be at most 10000 characters");
  if (p.internal_notes().size() > 10000)
    v.Add("plan.internal_notes", "must be at most 10000 characters");
  if (!IsValidDate(p.period_start())) v.Add("plan.period_start", "must be a valid calendar date");
  if (!IsValidDate(p.period_end())) v.Add("plan.period_end", "must be a valid calendar date");
  if (IsValidDate(p.period_start()) && IsValidDate(p.period_end()) &&
      ToCivilDay(p.period_end()) < ToCivilDay(p.period_start())) {
    v.Add("plan.period_end", "must not be before period_start");
  }
  if (!IsCurrencyCode(p.currency_code())) {
    v.Add("plan.currency_code", "must be an ISO 4217 code such as \"EUR\"");
  }
}

void ValidateObjective(const v1::Objective& o, FieldViolations& v) {
  if (o.title().empty()) v.Add("objective.title", "is required");
  if (o.title().size() > 300) v.Add("objective.title", "must be at most 300 characters");
  if (o.description().size() > 10000)
    v.Add("objective.description", "must be at most 10000 characters");
  if (o.pillar() == thb::type::v1::PILLAR_UNSPECIFIED ||
      !thb::type::v1::Pillar_IsValid(o.pillar())) {
    v.Add("objective.pillar", "must be one of the Pillar values");
  }
}

bool ValidAmount(const google::type::Money& m, const std::string& currency) {
  return m.currency_code().empty()
             ? (m.units() == 0 && m.nanos() == 0)
             : (m.currency_code() == currency && IsValidMoney(m) && ToNanos(m) >= 0);
}

// Field-level checks of a measure; references (objective, institutions) are checked separately.
void ValidateMeasure(const v1::Measure& m, const std::string& currency, FieldViolations& v) {
  if (m.title().empty()) v.Add("measure.title", "is required");
  if (m.title().size() > 300) v.Add("measure.title", "must be at most 300 characters");
  if (m.description().size() > 10000)
    v.Add("measure.description", "must be at most 10000 characters");
  if (m.internal_notes().size() > 10000)
    v.Add("measure.internal_notes", "must be at most 10000 characters");
  if (m.pillar() == thb::type::v1::PILLAR_UNSPECIFIED ||
      !thb::type::v1::Pillar_IsValid(m.pillar())) {
    v.Add("measure.pillar", "must be one of the Pillar values");
  }
  if (m.forms().empty()) v.Add("measure.forms", "at least one form of exploitation is required");
  absl::flat_hash_set<int> forms;
  for (int f : m.forms()) {
    if (f == thb::type::v1::FORM_OF_EXPLOITATION_UNSPECIFIED ||
        !thb::type::v1::FormOfExploitation_IsValid(f)) {
      v.Add("measure.forms", "must hold FormOfExploitation values");
    } else if (!forms.insert(f).second) {
      v.Add("measure.forms", "lists a form twice");
    }
  }
  if (m.lead_institution().empty()) v.Add("measure.lead_institution", "is required");
  absl::flat_hash_set<std::string> partners;
  for (const auto& p : m.partner_institutions()) {
    if (p == m.lead_institution())
      v.Add("measure.partner_institutions", "must not repeat the lead");
    if (!partners.insert(p).second)
      v.Add("measure.partner_institutions", "lists an institution twice");
  }
  if (m.partner_institutions_size() > 50)
    v.Add("measure.partner_institutions", "at most 50 partners");
  if (IsSet(m.start_date()) && !IsValidDate(m.start_date())) {
    v.Add("measure.start_date", "is not a valid calendar date");
  }
  if (!IsValidDate(m.due_date())) v.Add("measure.due_date", "must be a valid calendar date");
  if (IsValidDate(m.start_date()) && IsValidDate(m.due_date()) &&
      ToCivilDay(m.due_date()) < ToCivilDay(m.start_date())) {
    v.Add("measure.due_date", "must not be before start_date");
  }
  absl::flat_hash_set<std::string> names;
  for (int i = 0; i < m.indicators_size(); ++i) {
    const auto& ind = m.indicators(i);
    const std::string f = absl::StrCat("measure.indicators[", i, "]");
    if (ind.name().empty() || ind.name().size() > 200)
      v.Add(f + ".name", "is required, at most 200 characters");
    if (!names.insert(ind.name()).second) v.Add(f + ".name", "repeats another indicator's name");
    if (ind.unit().size() > 50) v.Add(f + ".unit", "must be at most 50 characters");
  }
  if (m.indicators_size() > 50) v.Add("measure.indicators", "at most 50 indicators");
  if (!ValidAmount(m.budget().allocated(), currency)) {
    v.Add("measure.budget.allocated",
          absl::StrCat("must be a non-negative amount in the plan's currency ", currency));
  }
  if (m.budget().funding_source().size() > 200) {
    v.Add("measure.budget.funding_source", "must be at most 200 characters");
  }
  if (m.weight() < 0 || m.weight() > 1000) v.Add("measure.weight", "must be between 0 and 1000");
  if (!v1::MeasureStatus_IsValid(m.status()) || m.status() == v1::MEASURE_STATUS_UNSPECIFIED) {
    v.Add("measure.status", "must be one of the MeasureStatus values");
  }
  if (m.progress_percent() < 0 || m.progress_percent() > 100) {
    v.Add("measure.progress_percent", "must be between 0 and 100");
  }
}

// The objective (in the same plan) and institutions (registered, active) a measure names.
absl::Status CheckMeasureReferences(Transaction& tx, const std::string& plan_id,
                                    const v1::Measure& m) {
  FieldViolations v;
  absl::StatusOr<std::vector<std::string>> obj =
      ChildIds(m.objective(), "objectives", "measure.objective");
  if (!obj.ok() || (*obj)[0] != plan_id) {
    v.Add("measure.objective",
          "must name an objective of the same plan (plans/{plan}/objectives/{id})");
  } else {
    absl::StatusOr<std::optional<Versioned<v1::Objective>>> o =
        LoadVersioned<v1::Objective>(tx, "objectives", ChildKey(*obj));
    if (!o.ok()) return o.status();
    if (!o->has_value()) v.Add("measure.objective", absl::StrCat(m.objective(), " does not exist"));
  }
  auto check_institution = [&](const std::string& name, const std::string& field) -> absl::Status {
    absl::StatusOr<std::string> id = ParseResourceName(name, "institutions", field);
    if (!id.ok()) {
      v.Add(field, "must be a resource name institutions/{id}");
      return absl::OkStatus();
    }
    absl::StatusOr<std::optional<Versioned<v1::Institution>>> inst =
        LoadVersioned<v1::Institution>(tx, "institutions", *id);
    if (!inst.ok()) return inst.status();
    if (!inst->has_value()) {
      v.Add(field, absl::StrCat(name, " is not registered"));
    } else if ((*inst)->resource.state() != v1::Institution::STATE_ACTIVE) {
      v.Add(field, absl::StrCat(name, " is archived"));
    }
    return absl::OkStatus();
  };
  if (absl::Status s = check_institution(m.lead_institution(), "measure.lead_institution"); !s.ok())
    return s;
  for (int i = 0; i < m.partner_institutions_size(); ++i) {
    if (absl::Status s = check_institution(m.partner_institutions(i),
                                           absl::StrCat("measure.partner_institutions[", i, "]"));
        !s.ok()) {
      return s;
    }
  }
  return v.ToStatus();
}

absl::Status SaveMeasure(Transaction& tx, const std::string& key, const std::string& plan_id,
                         v1::Measure& m, int64_t version, bool insert) {
  m.set_etag(EtagForVersion(version));
  std::vector<Value> params = {key, plan_id, m.objective(), Blob{m.SerializeAsString()}, version};
  absl::StatusOr<int64_t> n =
      insert ? tx.Execute(
                   "INSERT INTO measures (id, plan, objective, data, version) "
                   "VALUES ($1, $2, $3, $4, $5)",
                   params)
             : tx.Execute(
                   "UPDATE measures SET plan = $2, objective = $3, data = $4, version = $5 "
                   "WHERE id = $1",
                   params);
  if (!n.ok()) return n.status();
  absl::StatusOr<int64_t> d =
      tx.Execute("DELETE FROM measure_institutions WHERE measure = $1", {m.name()});
  if (!d.ok()) return d.status();
  std::vector<std::string> institutions = {m.lead_institution()};
  institutions.insert(institutions.end(), m.partner_institutions().begin(),
                      m.partner_institutions().end());
  for (const std::string& inst : institutions) {
    absl::StatusOr<int64_t> i =
        tx.Execute("INSERT INTO measure_institutions (measure, institution) VALUES ($1, $2)",
                   {m.name(), inst});
    if (!i.ok()) return i.status();
  }
  return absl::OkStatus();
}

const std::vector<std::string> kPlanWritable = {"title",      "description",    "period_start",
                                                "period_end", "internal_notes", "currency_code"};
const std::vector<std::string> kPlanOutputOnly = {
    "name", "state", "adopted_on", "revision", "create_time", "update_time", "etag"};
const std::vector<std::string> kObjectiveWritable = {"title", "description", "pillar"};
const std::vector<std::string> kChildOutputOnly = {"name", "create_time", "update_time", "etag"};
const std::vector<std::string> kMeasureWritable = {"objective",
                                                   "title",
                                                   "description",
                                                   "pillar",
                                                   "forms",
                                                   "lead_institution",
                                                   "partner_institutions",
                                                   "start_date",
                                                   "due_date",
                                                   "indicators",
                                                   "budget",
                                                   "weight",
                                                   "status",
                                                   "progress_percent",
                                                   "internal_notes"};
// Fields whose change alters an adopted plan's structure.
const std::vector<std::string> kMeasureStructural = {
    "objective",  "pillar",   "forms",      "lead_institution", "partner_institutions",
    "start_date", "due_date", "indicators", "budget",           "weight"};

// True when `before` and `after` differ in a top-level field named in `fields`.
bool Differs(const google::protobuf::Message& before, const google::protobuf::Message& after,
             const std::vector<std::string>& fields) {
  for (const std::string& f : fields) {
    const auto* d = before.GetDescriptor()->FindFieldByName(f);
    google::protobuf::util::MessageDifferencer diff;
    std::vector<const google::protobuf::FieldDescriptor*> only = {d};
    if (!diff.CompareWithFields(before, after, only, only)) return true;
  }
  return false;
}

}  // namespace

// ---- audience ----------------------------------------------------------------------------

PlanAudience PlanAudience::For(const Principal& p) {
  PlanAudience a;
  const bool office = p.HasRole(roles::kCoordinatorOffice);
  const bool service = p.HasRole(roles::kServiceCommission) ||
                       p.HasRole(roles::kServiceRapporteur) ||
                       p.HasRole(roles::kServiceCoordinator);
  a.drafts = office || service || p.HasRole(roles::kCommissionSecretariat);
  a.consultation =
      a.drafts || p.HasRole(roles::kCommissionMember) || p.HasRole(roles::kCivilSociety);
  return a;
}

bool PlanAudience::CanSee(State state) const {
  switch (state) {
    case v1::ActionPlan::STATE_ADOPTED:
    case v1::ActionPlan::STATE_CLOSED:
      return true;
    case v1::ActionPlan::STATE_IN_CONSULTATION:
      return consultation;
    default:
      return drafts;
  }
}

// ---- plans -------------------------------------------------------------------------------

absl::StatusOr<v1::ActionPlan> ActionPlans::CreatePlan(const AuditActor& actor, const Principal&,
                                                       const v1::CreatePlanRequest& r) {
  FieldViolations v;
  ValidatePlan(r.plan(), v);
  if (!r.plan_id().empty() && !IsValidResourceId(r.plan_id())) {
    v.Add("plan_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  if (!v.empty()) return v.ToStatus();
  v1::ActionPlan result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CreatePlan", r.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    const std::string id = r.plan_id().empty() ? NewResourceId() : r.plan_id();
    result = r.plan();
    result.set_name(PlanName(id));
    result.set_state(v1::ActionPlan::STATE_DRAFT);
    result.clear_adopted_on();
    result.set_revision(0);
    const absl::Time now = clock_.Now();
    *result.mutable_create_time() = ToProtoTimestamp(now);
    *result.mutable_update_time() = ToProtoTimestamp(now);
    absl::Status saved = SavePlan(tx, id, result, 1, true);
    if (saved.code() == absl::StatusCode::kAlreadyExists) {
      return absl::AlreadyExistsError(absl::StrCat("plan ", result.name(), " already exists"));
    }
    if (!saved.ok()) return saved;
    return RecordMutation(tx, actor, "CreatePlan", r.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::ActionPlan> ActionPlans::GetPlan(const PlanAudience& a,
                                                    const std::string& name) {
  absl::StatusOr<std::string> id = PlanId(name, "name");
  if (!id.ok()) return id.status();
  v1::ActionPlan out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Versioned<v1::ActionPlan>> p = LoadVisiblePlan(tx, a, *id);
    if (!p.ok()) return p.status();
    out = p->resource;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::ListPlansResponse> ActionPlans::ListPlans(const PlanAudience& a,
                                                             const v1::ListPlansRequest& r) {
  absl::StatusOr<PageRequest> page = ParsePageRequest(r.page_size(), r.page_token());
  if (!page.ok()) return page.status();
  if (!v1::ActionPlan::State_IsValid(r.state())) return InvalidField("state", "unknown plan state");
  std::vector<Value> params = {page->after, static_cast<int64_t>(r.state())};
  for (State st : {v1::ActionPlan::STATE_DRAFT, v1::ActionPlan::STATE_IN_CONSULTATION,
                   v1::ActionPlan::STATE_ADOPTED, v1::ActionPlan::STATE_CLOSED}) {
    params.push_back(static_cast<int64_t>(a.CanSee(st) ? st : -1));
  }
  params.push_back(static_cast<int64_t>(page->page_size) + 1);
  v1::ListPlansResponse out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows = tx.Query(
        "SELECT id, data FROM plans WHERE id > $1 AND ($2 = 0 OR state = $2) "
        "AND state IN ($3, $4, $5, $6) ORDER BY id LIMIT $7",
        params);
    if (!rows.ok()) return rows.status();
    return FillPage(*rows, page->page_size, out.mutable_plans(), out.mutable_next_page_token());
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::ActionPlan> ActionPlans::UpdatePlan(const AuditActor& actor, const Principal&,
                                                       const v1::UpdatePlanRequest& r) {
  absl::StatusOr<std::string> id = PlanId(r.plan().name(), "plan.name");
  if (!id.ok()) return id.status();
  absl::StatusOr<FieldMask> mask =
      ResolveUpdateMask(r.update_mask(), {kPlanWritable, kPlanOutputOnly, {}}, "ActionPlan");
  if (!mask.ok()) return mask.status();
  v1::ActionPlan result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "UpdatePlan", r.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<Versioned<v1::ActionPlan>> stored = LoadPlan(tx, *id);
    if (!stored.ok()) return stored.status();
    if (absl::Status e = CheckEtag(r.plan().etag(), stored->resource.etag(), r.plan().name());
        !e.ok())
      return e;
    result = stored->resource;
    FieldMaskUtil::MergeMessageTo(r.plan(), *mask, {}, &result);
    const State state = stored->resource.state();
    if (state == v1::ActionPlan::STATE_CLOSED) {
      return absl::FailedPreconditionError(
          absl::StrCat("plan ", result.name(), " is CLOSED and can no longer change"));
    }
    if (state == v1::ActionPlan::STATE_ADOPTED &&
        Differs(stored->resource, result, {"period_start", "period_end", "currency_code"})) {
      return absl::FailedPreconditionError(
          absl::StrCat("plan ", result.name(), " is ADOPTED: its period and currency are fixed"));
    }
    FieldViolations v;
    ValidatePlan(result, v);
    if (!v.empty()) return v.ToStatus();
    *result.mutable_update_time() = ToProtoTimestamp(clock_.Now());
    if (absl::Status e = SavePlan(tx, *id, result, stored->version + 1, false); !e.ok()) return e;
    return RecordMutation(tx, actor, "UpdatePlan", r.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::Status ActionPlans::DeletePlan(const AuditActor& actor, const Principal&,
                                     const v1::DeletePlanRequest& r) {
  absl::StatusOr<std::string> id = PlanId(r.name(), "name");
  if (!id.ok()) return id.status();
  return db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    google::protobuf::Empty done;
    absl::StatusOr<bool> prior = FindPriorResponse(tx, actor, "DeletePlan", r.request_id(), &done);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<Versioned<v1::ActionPlan>> stored = LoadPlan(tx, *id);
    if (!stored.ok()) return stored.status();
    if (absl::Status e = CheckEtag(r.etag(), stored->resource.etag(), r.name()); !e.ok()) return e;
    if (stored->resource.state() != v1::ActionPlan::STATE_DRAFT) {
      return absl::FailedPreconditionError(
          absl::StrCat("plan ", r.name(), " is ", PlanStateName(stored->resource.state()),
                       "; only a DRAFT plan can be deleted (close an adopted one)"));
    }
    const std::string prefix = absl::StrCat(r.name(), "/measures/");
    for (const char* sql :
         {"DELETE FROM measure_institutions WHERE substr(measure, 1, length($2)) = $2",
          "DELETE FROM progress_reports WHERE substr(id, 1, length($1) + 1) = $1 || '/'",
          "DELETE FROM measures WHERE plan = $1", "DELETE FROM objectives WHERE plan = $1",
          "DELETE FROM plan_revisions WHERE plan = $1", "DELETE FROM plans WHERE id = $1"}) {
      absl::StatusOr<int64_t> n = tx.Execute(sql, {*id, prefix});
      if (!n.ok()) return n.status();
    }
    return RecordMutation(tx, actor, "DeletePlan", r.request_id(), r.name(), done);
  });
}

absl::StatusOr<v1::ActionPlan> ActionPlans::Transition(
    const AuditActor& actor, const std::string& method, const std::string& name,
    const std::string& etag, const std::string& request_id, PlanTransition transition,
    const google::type::Date& adopted_on) {
  absl::StatusOr<std::string> id = PlanId(name, "name");
  if (!id.ok()) return id.status();
  if (IsSet(adopted_on) && !IsValidDate(adopted_on)) {
    return InvalidField("adopted_on", "is not a valid calendar date");
  }
  v1::ActionPlan result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior = FindPriorResponse(tx, actor, method, request_id, &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<Versioned<v1::ActionPlan>> stored = LoadPlan(tx, *id);
    if (!stored.ok()) return stored.status();
    if (absl::Status e = CheckEtag(etag, stored->resource.etag(), name); !e.ok()) return e;
    absl::StatusOr<State> next = NextPlanState(name, stored->resource.state(), transition);
    if (!next.ok()) return next.status();
    result = stored->resource;
    const absl::Time now = clock_.Now();
    if (transition == PlanTransition::kAdopt) {
      absl::StatusOr<std::vector<Row>> any =
          tx.Query("SELECT 1 FROM measures WHERE plan = $1 LIMIT 1", {*id});
      if (!any.ok()) return any.status();
      if (any->empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat("plan ", name, " has no measures; add them before adopting it"));
      }
      *result.mutable_adopted_on() = IsSet(adopted_on) ? adopted_on : ToDate(DayOf(now));
    }
    result.set_state(*next);
    *result.mutable_update_time() = ToProtoTimestamp(now);
    if (absl::Status e = SavePlan(tx, *id, result, stored->version + 1, false); !e.ok()) return e;
    return RecordMutation(tx, actor, method, request_id, result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::ListPlanRevisionsResponse> ActionPlans::ListRevisions(
    const PlanAudience& a, const v1::ListPlanRevisionsRequest& r) {
  absl::StatusOr<std::string> id = PlanId(r.parent(), "parent");
  if (!id.ok()) return id.status();
  absl::StatusOr<PageRequest> page = ParsePageRequest(r.page_size(), r.page_token());
  if (!page.ok()) return page.status();
  int64_t after = 0;
  if (!page->after.empty() && !absl::SimpleAtoi(page->after, &after)) {
    return InvalidField("page_token", "is not a token returned by this method");
  }
  v1::ListPlanRevisionsResponse out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Versioned<v1::ActionPlan>> p = LoadVisiblePlan(tx, a, *id);
    if (!p.ok()) return p.status();
    absl::StatusOr<std::vector<Row>> rows = tx.Query(
        "SELECT number, data FROM plan_revisions WHERE plan = $1 AND number > $2 ORDER BY number "
        "LIMIT $3",
        {*id, after, static_cast<int64_t>(page->page_size) + 1});
    if (!rows.ok()) return rows.status();
    return FillPage(*rows, page->page_size, out.mutable_revisions(), out.mutable_next_page_token());
  });
  if (!s.ok()) return s;
  return out;
}

// ---- objectives --------------------------------------------------------------------------

absl::StatusOr<v1::Objective> ActionPlans::CreateObjective(const AuditActor& actor,
                                                           const Principal& caller,
                                                           const v1::CreateObjectiveRequest& r) {
  absl::StatusOr<std::string> plan_id = PlanId(r.parent(), "parent");
  if (!plan_id.ok()) return plan_id.status();
  FieldViolations v;
  ValidateObjective(r.objective(), v);
  if (!r.objective_id().empty() && !IsValidResourceId(r.objective_id())) {
    v.Add("objective_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  if (!v.empty()) return v.ToStatus();
  v1::Objective result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CreateObjective", r.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<Versioned<v1::ActionPlan>> plan = LoadPlan(tx, *plan_id);
    if (!plan.ok()) return plan.status();
    if (absl::Status e =
            CheckStructuralChange(r.parent(), plan->resource.state(), r.revision_reason());
        !e.ok()) {
      return e;
    }
    const std::string id = r.objective_id().empty() ? NewResourceId() : r.objective_id();
    result = r.objective();
    result.set_name(absl::StrCat(r.parent(), "/objectives/", id));
    const absl::Time now = clock_.Now();
    *result.mutable_create_time() = ToProtoTimestamp(now);
    *result.mutable_update_time() = ToProtoTimestamp(now);
    result.set_etag(EtagForVersion(1));
    absl::StatusOr<int64_t> n =
        tx.Execute("INSERT INTO objectives (id, plan, data, version) VALUES ($1, $2, $3, 1)",
                   {ChildKey({*plan_id, id}), *plan_id, Blob{result.SerializeAsString()}});
    if (n.status().code() == absl::StatusCode::kAlreadyExists) {
      return absl::AlreadyExistsError(absl::StrCat("objective ", result.name(), " already exists"));
    }
    if (!n.ok()) return n.status();
    if (absl::Status e = RecordRevision(tx, *plan, *plan_id, r.revision_reason(), "CreateObjective",
                                        result.name(), caller, now);
        !e.ok()) {
      return e;
    }
    return RecordMutation(tx, actor, "CreateObjective", r.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::Objective> ActionPlans::GetObjective(const PlanAudience& a,
                                                        const std::string& name) {
  absl::StatusOr<std::vector<std::string>> ids = ChildIds(name, "objectives", "name");
  if (!ids.ok()) return ids.status();
  v1::Objective out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Versioned<v1::ActionPlan>> plan = LoadVisiblePlan(tx, a, (*ids)[0]);
    if (!plan.ok()) return plan.status();
    absl::StatusOr<std::optional<Versioned<v1::Objective>>> o =
        LoadVersioned<v1::Objective>(tx, "objectives", ChildKey(*ids));
    if (!o.ok()) return o.status();
    if (!o->has_value()) return NotFound("objective", name);
    out = (*o)->resource;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::ListObjectivesResponse> ActionPlans::ListObjectives(
    const PlanAudience& a, const v1::ListObjectivesRequest& r) {
  absl::StatusOr<std::string> plan_id = PlanId(r.parent(), "parent");
  if (!plan_id.ok()) return plan_id.status();
  absl::StatusOr<PageRequest> page = ParsePageRequest(r.page_size(), r.page_token());
  if (!page.ok()) return page.status();
  v1::ListObjectivesResponse out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Versioned<v1::ActionPlan>> plan = LoadVisiblePlan(tx, a, *plan_id);
    if (!plan.ok()) return plan.status();
    absl::StatusOr<std::vector<Row>> rows =
        tx.Query("SELECT id, data FROM objectives WHERE plan = $1 AND id > $2 ORDER BY id LIMIT $3",
                 {*plan_id, page->after, static_cast<int64_t>(page->page_size) + 1});
    if (!rows.ok()) return rows.status();
    return FillPage(*rows, page->page_size, out.mutable_objectives(),
                    out.mutable_next_page_token());
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::Objective> ActionPlans::UpdateObjective(const AuditActor& actor,
                                                           const Principal& caller,
                                                           const v1::UpdateObjectiveRequest& r) {
  absl::StatusOr<std::vector<std::string>> ids =
      ChildIds(r.objective().name(), "objectives", "objective.name");
  if (!ids.ok()) return ids.status();
  absl::StatusOr<FieldMask> mask =
      ResolveUpdateMask(r.update_mask(), {kObjectiveWritable, kChildOutputOnly, {}}, "Objective");
  if (!mask.ok()) return mask.status();
  v1::Objective result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "UpdateObjective", r.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<PlanAndChild<v1::Objective>> loaded = LoadForChange<v1::Objective>(
        tx, *ids, "objectives", "objective", r.objective().name(), r.objective().etag());
    if (!loaded.ok()) return loaded.status();
    Versioned<v1::ActionPlan>* plan = &loaded->plan;
    const Versioned<v1::Objective>* stored = &loaded->child;
    const v1::Objective& before = stored->resource;
    result = before;
    FieldMaskUtil::MergeMessageTo(r.objective(), *mask, {}, &result);
    FieldViolations v;
    ValidateObjective(result, v);
    if (!v.empty()) return v.ToStatus();
    const bool structural = result.pillar() != before.pillar();
    const absl::string_view reason =
        structural ? absl::string_view(r.revision_reason()) : "cosmetic";
    if (absl::Status e = CheckStructuralChange(PlanName((*ids)[0]), plan->resource.state(), reason);
        !e.ok()) {
      return e;
    }
    const absl::Time now = clock_.Now();
    *result.mutable_update_time() = ToProtoTimestamp(now);
    result.set_etag(EtagForVersion(stored->version + 1));
    absl::StatusOr<int64_t> n =
        tx.Execute("UPDATE objectives SET data = $2, version = $3 WHERE id = $1",
                   {ChildKey(*ids), Blob{result.SerializeAsString()}, stored->version + 1});
    if (!n.ok()) return n.status();
    if (structural) {
      if (absl::Status e = RecordRevision(tx, *plan, (*ids)[0], r.revision_reason(),
                                          "UpdateObjective", result.name(), caller, now);
          !e.ok()) {
        return e;
      }
    }
    return RecordMutation(tx, actor, "UpdateObjective", r.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::Status ActionPlans::DeleteObjective(const AuditActor& actor, const Principal& caller,
                                          const v1::DeleteObjectiveRequest& r) {
  absl::StatusOr<std::vector<std::string>> ids = ChildIds(r.name(), "objectives", "name");
  if (!ids.ok()) return ids.status();
  return db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    google::protobuf::Empty done;
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "DeleteObjective", r.request_id(), &done);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<PlanAndChild<v1::Objective>> loaded =
        LoadForChange<v1::Objective>(tx, *ids, "objectives", "objective", r.name(), r.etag());
    if (!loaded.ok()) return loaded.status();
    Versioned<v1::ActionPlan>* plan = &loaded->plan;
    if (absl::Status e =
            CheckStructuralChange(PlanName((*ids)[0]), plan->resource.state(), r.revision_reason());
        !e.ok()) {
      return e;
    }
    absl::StatusOr<std::vector<Row>> used =
        tx.Query("SELECT id FROM measures WHERE objective = $1 LIMIT 1", {r.name()});
    if (!used.ok()) return used.status();
    if (!used->empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("objective ", r.name(), " still has measures (e.g. plans/",
                       (*used)[0].Text(0), "); move or delete them first"));
    }
    absl::StatusOr<int64_t> n =
        tx.Execute("DELETE FROM objectives WHERE id = $1", {ChildKey(*ids)});
    if (!n.ok()) return n.status();
    if (absl::Status e = RecordRevision(tx, *plan, (*ids)[0], r.revision_reason(),
                                        "DeleteObjective", r.name(), caller, clock_.Now());
        !e.ok()) {
      return e;
    }
    return RecordMutation(tx, actor, "DeleteObjective", r.request_id(), r.name(), done);
  });
}

// ---- measures ----------------------------------------------------------------------------

absl::StatusOr<v1::Measure> ActionPlans::CreateMeasure(const AuditActor& actor,
                                                       const Principal& caller,
                                                       const v1::CreateMeasureRequest& r) {
  absl::StatusOr<std::string> plan_id = PlanId(r.parent(), "parent");
  if (!plan_id.ok()) return plan_id.status();
  if (!r.measure_id().empty() && !IsValidResourceId(r.measure_id())) {
    return InvalidField("measure_id",
                        "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  v1::Measure result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CreateMeasure", r.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<Versioned<v1::ActionPlan>> plan = LoadPlan(tx, *plan_id);
    if (!plan.ok()) return plan.status();
    result = r.measure();
    if (result.weight() == 0) result.set_weight(1);
    if (result.status() == v1::MEASURE_STATUS_UNSPECIFIED)
      result.set_status(v1::MEASURE_STATUS_PLANNED);
    result.mutable_budget()->clear_spent();
    FieldViolations v;
    ValidateMeasure(result, plan->resource.currency_code(), v);
    if (!v.empty()) return v.ToStatus();
    if (absl::Status e =
            CheckStructuralChange(r.parent(), plan->resource.state(), r.revision_reason());
        !e.ok()) {
      return e;
    }
    if (absl::Status e = CheckMeasureReferences(tx, *plan_id, result); !e.ok()) return e;
    const std::string id = r.measure_id().empty() ? NewResourceId() : r.measure_id();
    result.set_name(absl::StrCat(r.parent(), "/measures/", id));
    *result.mutable_budget()->mutable_spent() = FromNanos(plan->resource.currency_code(), 0);
    if (result.budget().allocated().currency_code().empty()) {
      *result.mutable_budget()->mutable_allocated() = FromNanos(plan->resource.currency_code(), 0);
    }
    const absl::Time now = clock_.Now();
    *result.mutable_create_time() = ToProtoTimestamp(now);
    *result.mutable_update_time() = ToProtoTimestamp(now);
    absl::Status saved = SaveMeasure(tx, ChildKey({*plan_id, id}), *plan_id, result, 1, true);
    if (saved.code() == absl::StatusCode::kAlreadyExists) {
      return absl::AlreadyExistsError(absl::StrCat("measure ", result.name(), " already exists"));
    }
    if (!saved.ok()) return saved;
    if (absl::Status e = RecordRevision(tx, *plan, *plan_id, r.revision_reason(), "CreateMeasure",
                                        result.name(), caller, now);
        !e.ok()) {
      return e;
    }
    return RecordMutation(tx, actor, "CreateMeasure", r.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::Measure> ActionPlans::GetMeasure(const PlanAudience& a,
                                                    const std::string& name) {
  absl::StatusOr<std::vector<std::string>> ids = ChildIds(name, "measures", "name");
  if (!ids.ok()) return ids.status();
  v1::Measure out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Versioned<v1::ActionPlan>> plan = LoadVisiblePlan(tx, a, (*ids)[0]);
    if (!plan.ok()) return plan.status();
    absl::StatusOr<std::optional<Versioned<v1::Measure>>> m =
        LoadVersioned<v1::Measure>(tx, "measures", ChildKey(*ids));
    if (!m.ok()) return m.status();
    if (!m->has_value()) return NotFound("measure", name);
    out = (*m)->resource;
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::ListMeasuresResponse> ActionPlans::ListMeasures(
    const PlanAudience& a, const v1::ListMeasuresRequest& r) {
  absl::StatusOr<std::string> plan_id = PlanId(r.parent(), "parent");
  if (!plan_id.ok()) return plan_id.status();
  absl::StatusOr<PageRequest> page = ParsePageRequest(r.page_size(), r.page_token());
  if (!page.ok()) return page.status();
  absl::StatusOr<MeasureFilter> filter = MeasureFilter::Parse(r.filter());
  if (!filter.ok()) return filter.status();
  const absl::CivilDay today = DayOf(clock_.Now());
  v1::ListMeasuresResponse out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Versioned<v1::ActionPlan>> plan = LoadVisiblePlan(tx, a, *plan_id);
    if (!plan.ok()) return plan.status();
    absl::StatusOr<std::vector<Row>> rows =
        tx.Query("SELECT id, data FROM measures WHERE plan = $1 AND id > $2 ORDER BY id",
                 {*plan_id, page->after});
    if (!rows.ok()) return rows.status();
    // The filter needs the decoded measure, so paging happens after it.
    std::string last_key;
    for (const Row& row : *rows) {
      v1::Measure m;
      if (!m.ParseFromString(row.Text(1)))
        return absl::DataLossError("stored measure does not parse");
      if (!filter->Matches(m, today)) continue;
      if (out.measures_size() == page->page_size) {
        out.set_next_page_token(EncodePageToken(last_key));
        break;
      }
      last_key = row.Text(0);
      *out.add_measures() = std::move(m);
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::Measure> ActionPlans::UpdateMeasure(const AuditActor& actor,
                                                       const Principal& caller,
                                                       const v1::UpdateMeasureRequest& r) {
  absl::StatusOr<std::vector<std::string>> ids =
      ChildIds(r.measure().name(), "measures", "measure.name");
  if (!ids.ok()) return ids.status();
  absl::StatusOr<FieldMask> mask =
      ResolveUpdateMask(r.update_mask(), {kMeasureWritable, kChildOutputOnly, {}}, "Measure");
  if (!mask.ok()) return mask.status();
  v1::Measure result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "UpdateMeasure", r.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<PlanAndChild<v1::Measure>> loaded = LoadForChange<v1::Measure>(
        tx, *ids, "measures", "measure", r.measure().name(), r.measure().etag());
    if (!loaded.ok()) return loaded.status();
    Versioned<v1::ActionPlan>* plan = &loaded->plan;
    const Versioned<v1::Measure>* stored = &loaded->child;
    const v1::Measure& before = stored->resource;
    result = before;
    FieldMaskUtil::MergeOptions replace;
    replace.set_replace_repeated_fields(true);
    FieldMaskUtil::MergeMessageTo(r.measure(), *mask, replace, &result);
    *result.mutable_budget()->mutable_spent() = before.budget().spent();  // only reports spend
    FieldViolations v;
    ValidateMeasure(result, plan->resource.currency_code(), v);
    if (!v.empty()) return v.ToStatus();
    const bool structural = Differs(before, result, kMeasureStructural);
    const absl::string_view reason =
        structural ? absl::string_view(r.revision_reason()) : "not structural";
    if (absl::Status e = CheckStructuralChange(PlanName((*ids)[0]), plan->resource.state(), reason);
        !e.ok()) {
      return e;
    }
    if (absl::Status e = CheckMeasureReferences(tx, (*ids)[0], result); !e.ok()) return e;
    const absl::Time now = clock_.Now();
    *result.mutable_update_time() = ToProtoTimestamp(now);
    if (absl::Status e =
            SaveMeasure(tx, ChildKey(*ids), (*ids)[0], result, stored->version + 1, false);
        !e.ok()) {
      return e;
    }
    if (structural) {
      if (absl::Status e = RecordRevision(tx, *plan, (*ids)[0], r.revision_reason(),
                                          "UpdateMeasure", result.name(), caller, now);
          !e.ok()) {
        return e;
      }
    }
    return RecordMutation(tx, actor, "UpdateMeasure", r.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::Status ActionPlans::DeleteMeasure(const AuditActor& actor, const Principal& caller,
                                        const v1::DeleteMeasureRequest& r) {
  absl::StatusOr<std::vector<std::string>> ids = ChildIds(r.name(), "measures", "name");
  if (!ids.ok()) return ids.status();
  return db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    google::protobuf::Empty done;
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "DeleteMeasure", r.request_id(), &done);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<PlanAndChild<v1::Measure>> loaded =
        LoadForChange<v1::Measure>(tx, *ids, "measures", "measure", r.name(), r.etag());
    if (!loaded.ok()) return loaded.status();
    Versioned<v1::ActionPlan>* plan = &loaded->plan;
    if (absl::Status e =
            CheckStructuralChange(PlanName((*ids)[0]), plan->resource.state(), r.revision_reason());
        !e.ok()) {
      return e;
    }
    for (const char* sql : {"DELETE FROM measure_institutions WHERE measure = $2",
                            "DELETE FROM progress_reports WHERE measure = $1",
                            "DELETE FROM measures WHERE id = $1"}) {
      absl::StatusOr<int64_t> n = tx.Execute(sql, {ChildKey(*ids), r.name()});
      if (!n.ok()) return n.status();
    }
    if (absl::Status e = RecordRevision(tx, *plan, (*ids)[0], r.revision_reason(), "DeleteMeasure",
                                        r.name(), caller, clock_.Now());
        !e.ok()) {
      return e;
    }
    return RecordMutation(tx, actor, "DeleteMeasure", r.request_id(), r.name(), done);
  });
}

// ---- progress reports --------------------------------------------------------------------

absl::StatusOr<v1::ProgressReport> ActionPlans::CreateProgressReport(
    const AuditActor& actor, const Principal& caller, const v1::CreateProgressReportRequest& r) {
  absl::StatusOr<std::vector<std::string>> ids = ChildIds(r.parent(), "measures", "parent");
  if (!ids.ok()) return ids.status();
  const v1::ProgressReport& report = r.progress_report();
  const absl::CivilDay today = DayOf(clock_.Now());
  FieldViolations v;
  if (report.narrative().empty()) v.Add("progress_report.narrative", "is required");
  if (report.narrative().size() > 20000)
    v.Add("progress_report.narrative", "must be at most 20000 characters");
  if (report.progress_percent() < 0 || report.progress_percent() > 100) {
    v.Add("progress_report.progress_percent", "must be between 0 and 100");
  }
  if (report.status() != v1::MEASURE_STATUS_UNSPECIFIED &&
      report.status() != v1::MEASURE_STATUS_IN_PROGRESS &&
      report.status() != v1::MEASURE_STATUS_COMPLETED &&
      report.status() != v1::MEASURE_STATUS_DELAYED) {
    v.Add("progress_report.status", "a report may set IN_PROGRESS, COMPLETED or DELAYED");
  }
  if (IsSet(report.as_of()) &&
      (!IsValidDate(report.as_of()) || ToCivilDay(report.as_of()) > today)) {
    v.Add("progress_report.as_of", "must be a valid date, not in the future");
  }
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < report.indicator_values_size(); ++i) {
    if (!seen.insert(report.indicator_values(i).name()).second) {
      v.Add(absl::StrCat("progress_report.indicator_values[", i, "].name"), "is reported twice");
    }
  }
  if (!v.empty()) return v.ToStatus();

  v1::ProgressReport result;
  absl::Status s = db_.RunInTransaction([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> prior =
        FindPriorResponse(tx, actor, "CreateProgressReport", r.request_id(), &result);
    if (!prior.ok() || *prior) return prior.status();
    absl::StatusOr<Versioned<v1::ActionPlan>> plan = LoadPlan(tx, (*ids)[0]);
    if (!plan.ok()) return plan.status();
    absl::StatusOr<std::optional<Versioned<v1::Measure>>> stored =
        LoadVersioned<v1::Measure>(tx, "measures", ChildKey(*ids));
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return NotFound("measure", r.parent());
    v1::Measure measure = (*stored)->resource;
    if (!caller.HasRole(roles::kCoordinatorOffice) &&
        caller.institution != measure.lead_institution()) {
      return absl::PermissionDeniedError(
          absl::StrCat("only the lead institution ", measure.lead_institution(),
                       " reports progress on ", r.parent(), "; the token names ",
                       caller.institution.empty() ? "no institution" : caller.institution));
    }
    if (absl::Status e = CheckProgressReporting(PlanName((*ids)[0]), plan->resource.state());
        !e.ok())
      return e;
    const std::string& currency = plan->resource.currency_code();
    if (!ValidAmount(report.amount_spent(), currency)) {
      return InvalidField(
          "progress_report.amount_spent",
          absl::StrCat("must be a non-negative amount in the plan's currency ", currency));
    }
    FieldViolations fv;
    for (int i = 0; i < report.indicator_values_size(); ++i) {
      const auto& iv = report.indicator_values(i);
      auto it =
          std::find_if(measure.mutable_indicators()->begin(), measure.mutable_indicators()->end(),
                       [&](const v1::Indicator& ind) { return ind.name() == iv.name(); });
      if (it == measure.mutable_indicators()->end()) {
        fv.Add(absl::StrCat("progress_report.indicator_values[", i, "].name"),
               absl::StrCat("the measure has no indicator \"", iv.name(), "\""));
      } else {
        it->set_current(iv.value());
      }
    }
    if (!fv.empty()) return fv.ToStatus();

    const absl::Time now = clock_.Now();
    result = report;
    result.set_name(absl::StrCat(r.parent(), "/progressReports/", NewResourceId()));
    result.set_reporting_institution(caller.institution.empty() ? measure.lead_institution()
                                                                : caller.institution);
    if (!IsSet(result.as_of())) *result.mutable_as_of() = ToDate(today);
    *result.mutable_create_time() = ToProtoTimestamp(now);

    *measure.mutable_budget()->mutable_spent() =
        FromNanos(currency, ToNanos(measure.budget().spent()) + ToNanos(report.amount_spent()));
    measure.set_progress_percent(report.progress_percent());
    if (report.status() != v1::MEASURE_STATUS_UNSPECIFIED) {
      measure.set_status(report.status());
    } else if (measure.status() == v1::MEASURE_STATUS_PLANNED) {
      measure.set_status(v1::MEASURE_STATUS_IN_PROGRESS);
    }
    *measure.mutable_update_time() = ToProtoTimestamp(now);
    if (absl::Status e =
            SaveMeasure(tx, ChildKey(*ids), (*ids)[0], measure, (*stored)->version + 1, false);
        !e.ok()) {
      return e;
    }
    absl::StatusOr<int64_t> n = tx.Execute(
        "INSERT INTO progress_reports (id, measure, create_time, data) VALUES ($1, $2, $3, $4)",
        {absl::StrCat(ChildKey(*ids), "/", result.name().substr(result.name().rfind('/') + 1)),
         ChildKey(*ids), FormatStoredTime(now), Blob{result.SerializeAsString()}});
    if (!n.ok()) return n.status();
    return RecordMutation(tx, actor, "CreateProgressReport", r.request_id(), result.name(), result);
  });
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<v1::ProgressReport> ActionPlans::GetProgressReport(const PlanAudience& a,
                                                                  const std::string& name) {
  absl::StatusOr<std::vector<std::string>> ids =
      ParseResourcePath(name, {"plans", "measures", "progressReports"}, "name");
  if (!ids.ok()) return ids.status();
  v1::ProgressReport out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Versioned<v1::ActionPlan>> plan = LoadVisiblePlan(tx, a, (*ids)[0]);
    if (!plan.ok()) return plan.status();
    absl::StatusOr<std::vector<Row>> rows =
        tx.Query("SELECT data FROM progress_reports WHERE id = $1", {ChildKey(*ids)});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return NotFound("progress report", name);
    if (!out.ParseFromString((*rows)[0].Text(0)))
      return absl::DataLossError("stored report does not parse");
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<v1::ListProgressReportsResponse> ActionPlans::ListProgressReports(
    const PlanAudience& a, const v1::ListProgressReportsRequest& r) {
  absl::StatusOr<std::vector<std::string>> ids = ChildIds(r.parent(), "measures", "parent");
  if (!ids.ok()) return ids.status();
  absl::StatusOr<PageRequest> page = ParsePageRequest(r.page_size(), r.page_token());
  if (!page.ok()) return page.status();
  const NewestFirstCursor after = NewestFirstCursor::FromToken(page->after);
  v1::ListProgressReportsResponse out;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Versioned<v1::ActionPlan>> plan = LoadVisiblePlan(tx, a, (*ids)[0]);
    if (!plan.ok()) return plan.status();
    absl::StatusOr<std::vector<Row>> rows = tx.Query(
        "SELECT create_time, id, data FROM progress_reports WHERE measure = $1 AND "
        "($2 = '' OR create_time < $2 OR (create_time = $2 AND id < $3)) "
        "ORDER BY create_time DESC, id DESC LIMIT $4",
        {ChildKey(*ids), after.create_time, after.id, static_cast<int64_t>(page->page_size) + 1});
    if (!rows.ok()) return rows.status();
    return FillNewestFirstPage(*rows, page->page_size, out.mutable_progress_reports(),
                               out.mutable_next_page_token());
  });
  if (!s.ok()) return s;
  return out;
}

// ---- analyses ----------------------------------------------------------------------------

absl::StatusOr<ActionPlans::PlanContents> ActionPlans::LoadContents(const PlanAudience& a,
                                                                    const std::string& plan_name) {
  absl::StatusOr<std::string> id = PlanId(plan_name, "plan");
  if (!id.ok()) return id.status();
  PlanContents c;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Versioned<v1::ActionPlan>> plan = LoadVisiblePlan(tx, a, *id);
    if (!plan.ok()) return plan.status();
    c.plan = plan->resource;
    absl::StatusOr<std::vector<v1::Objective>> objectives = LoadMessages<v1::Objective>(
        tx, "SELECT data FROM objectives WHERE plan = $1 ORDER BY id", {*id});
    if (!objectives.ok()) return objectives.status();
    c.objectives = *std::move(objectives);
    absl::StatusOr<std::vector<v1::Measure>> measures = LoadMessages<v1::Measure>(
        tx, "SELECT data FROM measures WHERE plan = $1 ORDER BY id", {*id});
    if (!measures.ok()) return measures.status();
    c.measures = *std::move(measures);
    absl::StatusOr<std::optional<Versioned<v1::Mandate>>> mandate =
        LoadVersioned<v1::Mandate>(tx, "mandate", "mandate");
    if (!mandate.ok()) return mandate.status();
    if (mandate->has_value()) {
      for (int f : (*mandate)->resource.forms_in_scope()) {
        c.mandate_forms.push_back(static_cast<thb::type::v1::FormOfExploitation>(f));
      }
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return c;
}

absl::StatusOr<v1::CoverageAnalysis> ActionPlans::AnalyzeCoverage(const PlanAudience& a,
                                                                  const std::string& plan) {
  absl::StatusOr<PlanContents> c = LoadContents(a, plan);
  if (!c.ok()) return c.status();
  v1::CoverageAnalysis out = ComputeCoverage(c->plan, c->measures, c->mandate_forms);
  *out.mutable_compute_time() = ToProtoTimestamp(clock_.Now());
  return out;
}

absl::StatusOr<v1::ProgressAnalysis> ActionPlans::AnalyzeProgress(const PlanAudience& a,
                                                                  const std::string& plan) {
  absl::StatusOr<PlanContents> c = LoadContents(a, plan);
  if (!c.ok()) return c.status();
  const absl::Time now = clock_.Now();
  v1::ProgressAnalysis out = ComputeProgress(c->plan, c->objectives, c->measures, DayOf(now));
  *out.mutable_compute_time() = ToProtoTimestamp(now);
  return out;
}

absl::StatusOr<v1::FundingAnalysis> ActionPlans::AnalyzeFunding(const PlanAudience& a,
                                                                const std::string& plan) {
  absl::StatusOr<PlanContents> c = LoadContents(a, plan);
  if (!c.ok()) return c.status();
  v1::FundingAnalysis out = ComputeFunding(c->plan, c->measures);
  *out.mutable_compute_time() = ToProtoTimestamp(clock_.Now());
  return out;
}

absl::StatusOr<v1::PublicReport> ActionPlans::GetPublicReport(const PlanAudience& a,
                                                              const std::string& plan) {
  absl::StatusOr<PlanContents> c = LoadContents(a, plan);
  if (!c.ok()) return c.status();
  const State state = c->plan.state();
  if (state != v1::ActionPlan::STATE_ADOPTED && state != v1::ActionPlan::STATE_CLOSED) {
    return absl::FailedPreconditionError(
        absl::StrCat("plan ", plan, " is ", PlanStateName(state),
                     "; only ADOPTED or CLOSED plans are published"));
  }
  std::map<std::string, std::string> institution_names;
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    for (const v1::Measure& m : c->measures) {
      if (institution_names.count(m.lead_institution())) continue;
      absl::StatusOr<std::optional<Versioned<v1::Institution>>> inst =
          LoadVersioned<v1::Institution>(tx, "institutions",
                                         m.lead_institution().substr(sizeof("institutions")));
      if (!inst.ok()) return inst.status();
      institution_names[m.lead_institution()] =
          inst->has_value() ? (*inst)->resource.display_name() : "";
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  const absl::Time now = clock_.Now();
  v1::PublicReport out;
  out.set_plan(c->plan.name());
  out.set_title(c->plan.title());
  out.set_description(c->plan.description());
  *out.mutable_period_start() = c->plan.period_start();
  *out.mutable_period_end() = c->plan.period_end();
  out.set_state(state);
  for (const auto& o : c->objectives) *out.add_objectives() = o;
  for (const auto& m : c->measures) {
    v1::PublicMeasure* pm = out.add_measures();
    pm->set_name(m.name());
    pm->set_title(m.title());
    pm->set_pillar(m.pillar());
    *pm->mutable_forms() = m.forms();
    pm->set_lead_institution_name(institution_names[m.lead_institution()]);
    *pm->mutable_due_date() = m.due_date();
    pm->set_status(m.status());
    pm->set_progress_percent(m.progress_percent());
    *pm->mutable_indicators() = m.indicators();
    pm->set_objective(m.objective());
  }
  *out.mutable_coverage() = ComputeCoverage(c->plan, c->measures, c->mandate_forms);
  *out.mutable_progress() = ComputeProgress(c->plan, c->objectives, c->measures, DayOf(now));
  *out.mutable_funding() = ComputeFunding(c->plan, c->measures);
  for (auto* t : {out.mutable_coverage()->mutable_compute_time(),
                  out.mutable_progress()->mutable_compute_time(),
                  out.mutable_funding()->mutable_compute_time()}) {
    *t = ToProtoTimestamp(now);
  }
  // Funding per lead institution is internal planning detail; the public sees pillars and sources.
  out.mutable_funding()->clear_by_institution();
  return out;
}

absl::StatusOr<ActionPlans::Figures> ActionPlans::CurrentFigures() {
  Figures f;
  const absl::CivilDay today = DayOf(clock_.Now());
  absl::Status s = db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<Row>> rows = tx.Query(
        "SELECT m.data, p.data FROM measures m JOIN plans p ON p.id = m.plan WHERE p.state = $1",
        {static_cast<int64_t>(v1::ActionPlan::STATE_ADOPTED)});
    if (!rows.ok()) return rows.status();
    for (int st = v1::MEASURE_STATUS_PLANNED; st <= v1::MEASURE_STATUS_CANCELLED; ++st) {
      f.measures_by_status[v1::MeasureStatus_Name(st)] = 0;
    }
    for (const Row& row : *rows) {
      v1::Measure m;
      if (!m.ParseFromString(row.Text(0)))
        return absl::DataLossError("stored measure does not parse");
      ++f.measures_by_status[v1::MeasureStatus_Name(m.status())];
      if (IsOverdue(m, today)) ++f.overdue_measures;
      if (m.status() == v1::MEASURE_STATUS_CANCELLED) continue;
      const std::string& cur = m.budget().allocated().currency_code();
      f.allocated_by_currency[cur] += static_cast<double>(ToNanos(m.budget().allocated())) / 1e9;
      f.spent_by_currency[cur] += static_cast<double>(ToNanos(m.budget().spent())) / 1e9;
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return f;
}

}  // namespace thb::coordinator
