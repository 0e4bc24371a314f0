#include "services/coordinator/plan_store.h"

#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/calendar.h"
#include "services/common/resources.h"

namespace thb::coordinator {

absl::StatusOr<std::string> PlanId(const std::string& name, const std::string& field) {
  THB_ASSIGN_OR_RETURN(std::vector<std::string> ids, ParseResourcePath(name, {"plans"}, field));
  return ids[0];
}

absl::StatusOr<std::vector<std::string>> ChildIds(const std::string& name, const char* collection,
                                                  const std::string& field) {
  return ParseResourcePath(name, {"plans", collection}, field);
}

std::string PlanName(const std::string& plan_id) { return absl::StrCat("plans/", plan_id); }

std::string PlanIdOf(const std::string& name) {
  constexpr size_t kPrefix = sizeof("plans");  // "plans/"
  const size_t end = name.find('/', kPrefix);
  return name.substr(kPrefix, end == std::string::npos ? std::string::npos : end - kPrefix);
}

std::string ChildKey(const std::vector<std::string>& ids) { return absl::StrJoin(ids, "/"); }

std::string RowIdOf(const std::string& name) {
  std::vector<std::string> ids;
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  for (size_t i = 1; i < parts.size(); i += 2) ids.emplace_back(parts[i]);
  return ChildKey(ids);
}

const ResourceTable<v1::ActionPlan>& Plans() {
  static const ResourceTable<v1::ActionPlan> table(
      "plans", "plan",
      {{"state", [](const v1::ActionPlan& p) { return Value(int64_t{p.state()}); }}});
  return table;
}

const ResourceTable<v1::Objective>& Objectives() {
  static const ResourceTable<v1::Objective> table(
      "objectives", "objective",
      {{"plan", [](const v1::Objective& o) { return Value(PlanIdOf(o.name())); }}});
  return table;
}

const ResourceTable<v1::Measure>& Measures() {
  static const ResourceTable<v1::Measure> table(
      "measures", "measure",
      {{"plan", [](const v1::Measure& m) { return Value(PlanIdOf(m.name())); }},
       {"objective", [](const v1::Measure& m) { return Value(m.objective()); }}});
  return table;
}

const ResourceTable<v1::ProgressReport>& ProgressReports() {
  static const ResourceTable<v1::ProgressReport> table(
      "progress_reports", "progress report",
      {{"measure",
        [](const v1::ProgressReport& r) {
          return Value(RowIdOf(r.name().substr(0, r.name().rfind("/progressReports/"))));
        }},
       {"create_time",
        [](const v1::ProgressReport& r) { return Value(StoredTime(r.create_time())); }}},
      Versioning::kWriteOnce);
  return table;
}

absl::StatusOr<Versioned<v1::ActionPlan>> LoadPlan(Transaction& tx, const std::string& plan_id) {
  return Plans().Load(tx, plan_id, PlanName(plan_id));
}

absl::Status ReadVisiblePlan(
    Database& db, const PlanAudience& audience, const std::string& plan_id,
    absl::FunctionRef<absl::Status(Transaction& tx, const v1::ActionPlan& plan)> read) {
  return db.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(Versioned<v1::ActionPlan> plan, LoadPlan(tx, plan_id));
    if (!audience.CanSee(plan.resource.state())) return Plans().NotFound(PlanName(plan_id));
    return read(tx, plan.resource);
  });
}

bool IsAmountIn(const std::string& currency, const google::type::Money& amount) {
  return amount.currency_code().empty()
             ? (amount.units() == 0 && amount.nanos() == 0)
             : (amount.currency_code() == currency && IsValidMoney(amount) && ToNanos(amount) >= 0);
}

absl::Status SaveMeasureInstitutions(Transaction& tx, const v1::Measure& m) {
  THB_RETURN_IF_ERROR(
      tx.Execute("DELETE FROM measure_institutions WHERE measure = $1", {m.name()}));
  std::vector<std::string> institutions = {m.lead_institution()};
  institutions.insert(institutions.end(), m.partner_institutions().begin(),
                      m.partner_institutions().end());
  for (const std::string& institution : institutions) {
    THB_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO measure_institutions (measure, institution) VALUES ($1, $2)",
                   {m.name(), institution}));
  }
  return absl::OkStatus();
}

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

absl::Status RecordRevision(Transaction& tx, Versioned<v1::ActionPlan>& plan,
                            const StructuralEdit& edit, const Principal& actor, absl::Time now) {
  if (plan.resource.state() != v1::ActionPlan::STATE_ADOPTED) return absl::OkStatus();
  const std::string plan_id = PlanIdOf(plan.resource.name());
  const int32_t number = plan.resource.revision() + 1;
  v1::PlanRevision rev;
  rev.set_name(absl::StrCat(PlanName(plan_id), "/revisions/r", number));
  rev.set_number(number);
  rev.set_reason(edit.reason);
  rev.set_method(edit.method);
  rev.set_resource(edit.resource);
  rev.set_actor(actor.subject);
  *rev.mutable_create_time() = ToProtoTimestamp(now);
  THB_RETURN_IF_ERROR(
      tx.Execute("INSERT INTO plan_revisions (plan, number, data) VALUES ($1, $2, $3)",
                 {plan_id, int64_t{number}, Blob{rev.SerializeAsString()}}));
  plan.resource.set_revision(number);
  *plan.resource.mutable_update_time() = ToProtoTimestamp(now);
  ++plan.version;
  return Plans().Update(tx, plan_id, plan.resource, plan.version);
}

}  // namespace thb::coordinator
