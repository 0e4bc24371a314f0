#include "services/coordinator/budget_lines.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "absl/numeric/int128.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/calendar.h"
#include "services/common/errors.h"
#include "services/common/filter_terms.h"
#include "services/common/mutation.h"
#include "services/common/paging.h"
#include "services/common/resource_table.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"
#include "services/coordinator/plan_store.h"
#include "services/coordinator/resource_links.h"

namespace thb::coordinator {
namespace {

constexpr char kCollection[] = "budgetLines";
const std::vector<std::string> kWritable = {
    "year",      "title",   "funding_source",  "requesting_institution",
    "requested", "granted", "spent",           "pillar",
    "plan",      "measure", "policy_document", "internal_notes"};
const std::vector<std::string> kOutputOnly = {"name", "create_time", "update_time", "etag"};

// The plan id a line is linked to through its plan or measure; "" otherwise.
std::string LinkedPlanId(const v1::BudgetLine& l) {
  if (l.target_case() == v1::BudgetLine::kPlan) return PlanIdOf(l.plan());
  if (l.target_case() == v1::BudgetLine::kMeasure) return PlanIdOf(l.measure());
  return "";
}

const ResourceTable<v1::BudgetLine>& LineTable() {
  static const ResourceTable<v1::BudgetLine> table(
      "budget_lines", "budget line",
      {{"year", [](const v1::BudgetLine& l) { return Value(int64_t{l.year()}); }},
       {"plan", [](const v1::BudgetLine& l) { return Value(LinkedPlanId(l)); }}});
  return table;
}

// The currency of a line: that of its first amount that names one.
std::string CurrencyOf(const v1::BudgetLine& l) {
  for (const google::type::Money* m : {&l.requested(), &l.granted(), &l.spent()}) {
    if (!m->currency_code().empty()) return m->currency_code();
  }
  return "";
}

void Validate(const v1::BudgetLine& l, FieldViolations& v) {
  const std::string f = "budget_line.";
  if (l.year() < 2000 || l.year() > 2100) v.Add(f + "year", "must be from 2000 to 2100");
  if (l.title().empty()) v.Add(f + "title", "is required");
  if (l.funding_source().empty()) v.Add(f + "funding_source", "is required");
  if (l.requesting_institution().empty()) v.Add(f + "requesting_institution", "is required");
  const std::string currency = CurrencyOf(l);
  if (!IsCurrencyCode(l.requested().currency_code())) {
    v.Add(f + "requested", "is required, with an ISO 4217 currency code");
  }
  for (const auto& [field, m] :
       {std::pair{"requested", &l.requested()}, std::pair{"granted", &l.granted()},
        std::pair{"spent", &l.spent()}}) {
    const bool unset = m->currency_code().empty() && m->units() == 0 && m->nanos() == 0;
    if (unset) continue;  // zero in the line's currency (CompleteAmounts)
    if (!IsValidMoney(*m) || ToNanos(*m) < 0) {
      v.Add(f + field, "must be a valid, non-negative amount of at most 10^12 units");
    } else if (!m->currency_code().empty() && m->currency_code() != currency) {
      v.Add(f + field, absl::StrCat("must be in the line's currency ", currency));
    }
  }
  if (l.target_case() != v1::BudgetLine::kMeasure &&
      (l.pillar() == thb::type::v1::PILLAR_UNSPECIFIED ||
       !thb::type::v1::Pillar_IsValid(l.pillar()))) {
    v.Add(f + "pillar", "is required unless the line funds a measure");
  }
  if (l.target_case() == v1::BudgetLine::kPlan && !ParseResourceName(l.plan(), "plans", "").ok()) {
    v.Add(f + "plan", "must be a plan name plans/{id}");
  }
  if (l.target_case() == v1::BudgetLine::kPolicyDocument &&
      !ParseResourceName(l.policy_document(), "policyDocuments", "").ok()) {
    v.Add(f + "policy_document", "must be a policy document name policyDocuments/{id}");
  }
}

// The line's references, checked in the transaction: the requesting institution (active unless
// `before` already named it) and the target, which must exist; a line funding a plan or measure
// is in the plan's currency and one funding a measure takes the measure's pillar.
absl::Status CheckReferences(Transaction& tx, v1::BudgetLine& l, const v1::BudgetLine* before) {
  FieldViolations v;
  const bool unchanged =
      before != nullptr && before->requesting_institution() == l.requesting_institution();
  THB_RETURN_IF_ERROR(CheckInstitutionReference(
      tx, l.requesting_institution(), "budget_line.requesting_institution", !unchanged, v));
  std::optional<std::string> plan_currency;
  if (l.target_case() == v1::BudgetLine::kMeasure) {
    THB_RETURN_IF_ERROR(CheckMeasureReference(tx, l.measure(), "budget_line.measure", v));
    if (v.empty()) {
      THB_ASSIGN_OR_RETURN(auto measure, Measures().Find(tx, RowIdOf(l.measure())));
      if (measure.has_value()) {
        if (l.pillar() != thb::type::v1::PILLAR_UNSPECIFIED &&
            l.pillar() != measure->resource.pillar()) {
          v.Add("budget_line.pillar", "must be the pillar of the measure it funds, or unset");
        }
        l.set_pillar(measure->resource.pillar());
      }
    }
  }
  if (l.target_case() == v1::BudgetLine::kPlan || l.target_case() == v1::BudgetLine::kMeasure) {
    THB_ASSIGN_OR_RETURN(auto plan, Plans().Find(tx, LinkedPlanId(l)));
    const char* field =
        l.target_case() == v1::BudgetLine::kPlan ? "budget_line.plan" : "budget_line.measure";
    if (!plan.has_value()) {
      v.Add(field, absl::StrCat(PlanName(LinkedPlanId(l)), " does not exist"));
    } else if (plan->resource.state() != v1::ActionPlan::STATE_ADOPTED &&
               plan->resource.state() != v1::ActionPlan::STATE_CLOSED) {
      // The readers of budget lines include the Rapporteur, who does not see plan drafts.
      v.Add(field, absl::StrCat(PlanName(LinkedPlanId(l)),
                                " is not adopted; a line funds an adopted or closed plan"));
    } else {
      plan_currency = plan->resource.currency_code();
    }
  }
  if (plan_currency.has_value() && CurrencyOf(l) != *plan_currency) {
    v.Add("budget_line.requested",
          absl::StrCat("a line funding a plan or measure is in the plan's currency ",
                       *plan_currency));
  }
  if (l.target_case() == v1::BudgetLine::kPolicyDocument) {
    THB_ASSIGN_OR_RETURN(std::vector<Row> rows,
                         tx.Query("SELECT id FROM policy_documents WHERE id = $1",
                                  {l.policy_document().substr(sizeof("policyDocuments"))}));
    if (rows.empty()) {
      v.Add("budget_line.policy_document", absl::StrCat(l.policy_document(), " does not exist"));
    }
  }
  return v.ToStatus();
}

// Fills missing amounts with zero in the line's currency, so every line carries three amounts.
void CompleteAmounts(v1::BudgetLine& l) {
  const std::string currency = CurrencyOf(l);
  for (google::type::Money* m : {l.mutable_requested(), l.mutable_granted(), l.mutable_spent()}) {
    if (m->currency_code().empty()) *m = FromNanos(currency, ToNanos(*m));
  }
}

absl::Status SaveLineLinks(Transaction& tx, const v1::BudgetLine& l) {
  return SaveLinks(tx, l.name(),
                   {l.requesting_institution(), l.plan(), l.measure(), l.policy_document()});
}

class LineFilter {
 public:
  static absl::StatusOr<LineFilter> Parse(const std::string& text) {
    LineFilter f;
    THB_ASSIGN_OR_RETURN(std::vector<FilterTerm> terms, SplitFilter(text, "="));
    THB_RETURN_IF_ERROR(RejectRepeatedFields(terms));
    for (const FilterTerm& t : terms) {
      if (t.field == "year") {
        int year = 0;
        if (!absl::SimpleAtoi(t.value, &year)) {
          return InvalidField("filter", "year must be a number, e.g. year = 2026");
        }
        f.year_ = year;
      } else if (t.field == "pillar") {
        THB_ASSIGN_OR_RETURN(f.pillar_, FilterEnumNumber(thb::type::v1::Pillar_descriptor(),
                                                         "PILLAR_", t.value, "pillar"));
      } else if (t.field == "funding_source" || t.field == "requesting_institution" ||
                 t.field == "plan" || t.field == "measure") {
        f.text_.emplace_back(t.field, t.value);
      } else {
        return InvalidField("filter", absl::StrCat("cannot filter on \"", t.field,
                                                   "\" (year, funding_source, "
                                                   "requesting_institution, pillar, plan, "
                                                   "measure)"));
      }
    }
    return f;
  }
  bool Matches(const v1::BudgetLine& l) const {
    if (year_ && l.year() != *year_) return false;
    if (pillar_ && l.pillar() != *pillar_) return false;
    for (const auto& [field, value] : text_) {
      if (field == "funding_source" && l.funding_source() != value) return false;
      if (field == "requesting_institution" && l.requesting_institution() != value) return false;
      if (field == "plan" && PlanName(LinkedPlanId(l)) != value) return false;
      if (field == "measure" && l.measure() != value) return false;
    }
    return true;
  }

 private:
  std::optional<int> year_;
  std::optional<int> pillar_;
  std::vector<std::pair<std::string, std::string>> text_;
};

// Sums of requested, granted and spent in nanos.
struct Sums {
  absl::int128 requested = 0, granted = 0, spent = 0;
  int count = 0;
  void Add(const v1::BudgetLine& l) {
    requested += ToNanos(l.requested());
    granted += ToNanos(l.granted());
    spent += ToNanos(l.spent());
    ++count;
  }
};

v1::BudgetSummaryLine SummaryLine(const std::string& currency, const Sums& s) {
  v1::BudgetSummaryLine out;
  out.set_currency_code(currency);
  *out.mutable_requested() = FromNanos(currency, s.requested);
  *out.mutable_granted() = FromNanos(currency, s.granted);
  *out.mutable_spent() = FromNanos(currency, s.spent);
  *out.mutable_gap() = FromNanos(currency, s.requested - s.granted);
  out.set_line_count(s.count);
  return out;
}

}  // namespace

absl::StatusOr<std::vector<v1::BudgetLine>> LoadPlanBudgetLines(Transaction& tx,
                                                                const std::string& plan_id) {
  return LoadMessages<v1::BudgetLine>(
      tx, "SELECT data FROM budget_lines WHERE plan = $1 ORDER BY id", {plan_id});
}

void ReconcileBudgetLines(const std::string& currency, const std::vector<v1::Measure>& measures,
                          const std::vector<v1::BudgetLine>& lines, v1::FundingAnalysis& funding) {
  Sums total;
  std::map<std::string, absl::int128> granted_by_measure;
  for (const v1::BudgetLine& l : lines) {
    if (CurrencyOf(l) != currency) continue;  // written in the plan's currency; kept safe
    total.Add(l);
    if (l.target_case() == v1::BudgetLine::kMeasure) {
      granted_by_measure[l.measure()] += ToNanos(l.granted());
    }
  }
  v1::BudgetLineTotals& t = *funding.mutable_budget_lines();
  *t.mutable_requested() = FromNanos(currency, total.requested);
  *t.mutable_granted() = FromNanos(currency, total.granted);
  *t.mutable_spent() = FromNanos(currency, total.spent);
  t.set_line_count(total.count);
  for (const v1::Measure& m : measures) {
    auto it = granted_by_measure.find(m.name());
    if (it == granted_by_measure.end() || it->second == ToNanos(m.budget().allocated())) continue;
    v1::FundingMismatch& mismatch = *funding.add_mismatches();
    mismatch.set_measure(m.name());
    *mismatch.mutable_allocated() = FromNanos(currency, ToNanos(m.budget().allocated()));
    *mismatch.mutable_granted() = FromNanos(currency, it->second);
  }
}

absl::StatusOr<v1::BudgetLine> BudgetLines::Create(const AuditActor& actor,
                                                   const v1::CreateBudgetLineRequest& request) {
  FieldViolations v;
  Validate(request.budget_line(), v);
  if (!request.budget_line_id().empty() && !IsValidResourceId(request.budget_line_id())) {
    v.Add("budget_line_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  return RunMutation<v1::BudgetLine>(db_, {actor, "CreateBudgetLine", request.request_id()},
                                     [&](Transaction& tx, v1::BudgetLine& result) -> absl::Status {
                                       result = request.budget_line();
                                       THB_RETURN_IF_ERROR(CheckReferences(tx, result, nullptr));
                                       CompleteAmounts(result);
                                       const std::string id = request.budget_line_id().empty()
                                                                  ? NewResourceId()
                                                                  : request.budget_line_id();
                                       result.set_name(absl::StrCat(kCollection, "/", id));
                                       const absl::Time now = clock_.Now();
                                       *result.mutable_create_time() = ToProtoTimestamp(now);
                                       *result.mutable_update_time() = ToProtoTimestamp(now);
                                       THB_RETURN_IF_ERROR(LineTable().Insert(tx, id, result));
                                       return SaveLineLinks(tx, result);
                                     });
}

absl::StatusOr<v1::BudgetLine> BudgetLines::Get(const std::string& name) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, kCollection, "name"));
  THB_ASSIGN_OR_RETURN(auto found, LineTable().Read(db_, id));
  if (!found.has_value()) return LineTable().NotFound(name);
  return *std::move(found);
}

absl::StatusOr<v1::ListBudgetLinesResponse> BudgetLines::List(
    const v1::ListBudgetLinesRequest& request) {
  THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  THB_ASSIGN_OR_RETURN(LineFilter filter, LineFilter::Parse(request.filter()));
  v1::ListBudgetLinesResponse out;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) {
    return ListByIdFiltered(
        tx, {LineTable().table()}, page, [&](const v1::BudgetLine& l) { return filter.Matches(l); },
        out.mutable_budget_lines(), out.mutable_next_page_token());
  }));
  return out;
}

absl::StatusOr<v1::BudgetLine> BudgetLines::Update(const AuditActor& actor,
                                                   const v1::UpdateBudgetLineRequest& request) {
  const v1::BudgetLine& patch = request.budget_line();
  THB_ASSIGN_OR_RETURN(std::string id,
                       ParseResourceName(patch.name(), kCollection, "budget_line.name"));
  THB_ASSIGN_OR_RETURN(
      google::protobuf::FieldMask mask,
      ResolveUpdateMask(request.update_mask(), {kWritable, kOutputOnly, {}}, "BudgetLine"));
  return UpdateResource<v1::BudgetLine>(
      db_, {actor, "UpdateBudgetLine", request.request_id()}, LineTable(),
      {id, patch.name(), patch.etag()}, clock_.Now(),
      [&](Transaction& tx, v1::BudgetLine& result) -> absl::Status {
        const v1::BudgetLine before = result;
        ApplyUpdateMask(patch, mask, &result);
        FieldViolations v;
        Validate(result, v);
        THB_RETURN_IF_ERROR(v.ToStatus());
        THB_RETURN_IF_ERROR(CheckReferences(tx, result, &before));
        CompleteAmounts(result);
        return SaveLineLinks(tx, result);
      });
}

absl::Status BudgetLines::Delete(const AuditActor& actor,
                                 const v1::DeleteBudgetLineRequest& request) {
  THB_ASSIGN_OR_RETURN(std::string id, ParseResourceName(request.name(), kCollection, "name"));
  return RunMutation(
      db_, {actor, "DeleteBudgetLine", request.request_id(), request.name()},
      [&](Transaction& tx) -> absl::Status {
        THB_ASSIGN_OR_RETURN(auto stored, LineTable().Load(tx, id, request.name()));
        THB_RETURN_IF_ERROR(CheckEtag(request.etag(), stored.resource.etag(), request.name()));
        THB_RETURN_IF_ERROR(DeleteLinks(tx, request.name()));
        return tx.Execute("DELETE FROM budget_lines WHERE id = $1", {id}).status();
      });
}

absl::StatusOr<v1::BudgetSummary> BudgetLines::Summarize(
    const v1::SummarizeBudgetLinesRequest& request) {
  FieldViolations v;
  if (request.year_from() < 0 || request.year_to() < 0) {
    v.Add("year_from", "years are not negative (0 for no bound)");
  }
  if (request.year_from() != 0 && request.year_to() != 0 &&
      request.year_to() < request.year_from()) {
    v.Add("year_to", "must not be before year_from");
  }
  THB_RETURN_IF_ERROR(v.ToStatus());
  std::vector<v1::BudgetLine> lines;
  THB_RETURN_IF_ERROR(db_.RunReadOnly([&](Transaction& tx) -> absl::Status {
    THB_ASSIGN_OR_RETURN(lines, LoadMessages<v1::BudgetLine>(
                                    tx,
                                    "SELECT data FROM budget_lines WHERE ($1 = 0 OR year >= $1) "
                                    "AND ($2 = 0 OR year <= $2) ORDER BY id",
                                    {int64_t{request.year_from()}, int64_t{request.year_to()}}));
    return absl::OkStatus();
  }));
  std::map<std::string, Sums> totals;
  std::map<std::pair<int, std::string>, Sums> by_year;
  std::map<std::pair<std::string, std::string>, Sums> by_source;
  std::map<std::pair<int, std::string>, Sums> by_pillar;
  for (const v1::BudgetLine& l : lines) {
    const std::string currency = CurrencyOf(l);
    totals[currency].Add(l);
    by_year[{l.year(), currency}].Add(l);
    by_source[{l.funding_source(), currency}].Add(l);
    by_pillar[{l.pillar(), currency}].Add(l);
  }
  v1::BudgetSummary out;
  for (const auto& [currency, s] : totals) *out.add_totals() = SummaryLine(currency, s);
  for (const auto& [key, s] : by_year) {
    v1::BudgetSummaryLine& line = *out.add_by_year() = SummaryLine(key.second, s);
    line.set_year(key.first);
  }
  for (const auto& [key, s] : by_source) {
    v1::BudgetSummaryLine& line = *out.add_by_source() = SummaryLine(key.second, s);
    line.set_funding_source(key.first);
  }
  for (const auto& [key, s] : by_pillar) {
    v1::BudgetSummaryLine& line = *out.add_by_pillar() = SummaryLine(key.second, s);
    line.set_pillar(static_cast<thb::type::v1::Pillar>(key.first));
  }
  *out.mutable_compute_time() = ToProtoTimestamp(clock_.Now());
  return out;
}

}  // namespace thb::coordinator
