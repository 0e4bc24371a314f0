// An in-memory stand-in for the coordinator's read RPCs, for domain tests of the services that
// check institutions, the mandate, plans and measures. `SetUnavailable` simulates the
// coordinator being down.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "services/common/coordinator_client.h"

namespace thb::testing {

class FakeCoordinatorClient : public CoordinatorClient {
 public:
  void Add(const std::string& name, bool active = true) {
    thb::coordinator::v1::Institution inst;
    inst.set_name(name);
    inst.set_state(active ? thb::coordinator::v1::Institution::STATE_ACTIVE
                          : thb::coordinator::v1::Institution::STATE_ARCHIVED);
    institutions_[name] = inst;
  }
  thb::coordinator::v1::Institution& institution(const std::string& name) {
    return institutions_[name];
  }
  void SetUnavailable(bool down) { down_ = down; }
  thb::coordinator::v1::Mandate& mandate() { return mandate_; }
  void AddPlan(const std::string& name, thb::coordinator::v1::ActionPlan::State state) {
    plans_[name].set_name(name);
    plans_[name].set_state(state);
  }
  void AddMeasure(const std::string& name) { measures_[name].set_name(name); }
  void AddPolicyDocument(const std::string& name,
                         thb::coordinator::v1::PolicyDocument::State state) {
    documents_[name].set_name(name);
    documents_[name].set_state(state);
  }
  int calls() const { return calls_; }
  // The international record the architecture assessment reads.
  std::vector<thb::coordinator::v1::Engagement>& engagements() { return engagements_; }
  std::vector<thb::coordinator::v1::ReportingObligation>& obligations() { return obligations_; }
  thb::coordinator::v1::ObligationsCalendar& calendar() { return calendar_; }

  absl::StatusOr<thb::coordinator::v1::Institution> GetInstitution(
      const std::string& name) override {
    return Find(institutions_, name);
  }
  absl::StatusOr<thb::coordinator::v1::Mandate> GetMandate() override {
    ++calls_;
    if (down_) return absl::UnavailableError("the coordinator is unreachable");
    return mandate_;
  }
  absl::StatusOr<thb::coordinator::v1::ActionPlan> GetPlan(const std::string& name) override {
    return Find(plans_, name);
  }
  absl::StatusOr<thb::coordinator::v1::Measure> GetMeasure(const std::string& name) override {
    return Find(measures_, name);
  }
  absl::StatusOr<thb::coordinator::v1::PolicyDocument> GetPolicyDocument(
      const std::string& name) override {
    return Find(documents_, name);
  }
  absl::StatusOr<std::vector<thb::coordinator::v1::ActionPlan>> ListPlans(
      thb::coordinator::v1::ActionPlan::State state) override {
    ++calls_;
    if (down_) return absl::UnavailableError("the coordinator is unreachable");
    std::vector<thb::coordinator::v1::ActionPlan> out;
    for (const auto& [name, plan] : plans_) {
      if (state == 0 || plan.state() == state) out.push_back(plan);
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.name() < b.name(); });
    return out;
  }
  absl::StatusOr<std::vector<thb::coordinator::v1::Engagement>> ListEngagements(
      const google::type::Date&) override {
    ++calls_;
    if (down_) return absl::UnavailableError("the coordinator is unreachable");
    return engagements_;
  }
  absl::StatusOr<std::vector<thb::coordinator::v1::ReportingObligation>> ListReportingObligations(
      const std::string&) override {
    ++calls_;
    if (down_) return absl::UnavailableError("the coordinator is unreachable");
    return obligations_;
  }
  absl::StatusOr<thb::coordinator::v1::ObligationsCalendar> GetObligationsCalendar() override {
    ++calls_;
    if (down_) return absl::UnavailableError("the coordinator is unreachable");
    return calendar_;
  }
  // Analyses answer what was set with SetAnalyses for the plan (NOT_FOUND for unknown plans).
  void SetAnalyses(const std::string& plan, thb::coordinator::v1::CoverageAnalysis coverage,
                   thb::coordinator::v1::ProgressAnalysis progress,
                   thb::coordinator::v1::FundingAnalysis funding) {
    coverage_[plan] = std::move(coverage);
    progress_[plan] = std::move(progress);
    funding_[plan] = std::move(funding);
  }
  absl::StatusOr<thb::coordinator::v1::CoverageAnalysis> AnalyzeCoverage(
      const std::string& plan) override {
    return Find(coverage_, plan);
  }
  absl::StatusOr<thb::coordinator::v1::ProgressAnalysis> AnalyzeProgress(
      const std::string& plan) override {
    return Find(progress_, plan);
  }
  absl::StatusOr<thb::coordinator::v1::FundingAnalysis> AnalyzeFunding(
      const std::string& plan) override {
    return Find(funding_, plan);
  }

 private:
  template <typename T>
  absl::StatusOr<T> Find(const absl::flat_hash_map<std::string, T>& map, const std::string& name) {
    ++calls_;
    if (down_) return absl::UnavailableError("the coordinator is unreachable");
    auto it = map.find(name);
    if (it == map.end()) return absl::NotFoundError(absl::StrCat(name, " not found"));
    return it->second;
  }

  thb::coordinator::v1::Mandate mandate_;
  std::vector<thb::coordinator::v1::Engagement> engagements_;
  std::vector<thb::coordinator::v1::ReportingObligation> obligations_;
  thb::coordinator::v1::ObligationsCalendar calendar_;
  absl::flat_hash_map<std::string, thb::coordinator::v1::CoverageAnalysis> coverage_;
  absl::flat_hash_map<std::string, thb::coordinator::v1::ProgressAnalysis> progress_;
  absl::flat_hash_map<std::string, thb::coordinator::v1::FundingAnalysis> funding_;
  absl::flat_hash_map<std::string, thb::coordinator::v1::ActionPlan> plans_;
  absl::flat_hash_map<std::string, thb::coordinator::v1::Measure> measures_;
  absl::flat_hash_map<std::string, thb::coordinator::v1::PolicyDocument> documents_;
  absl::flat_hash_map<std::string, thb::coordinator::v1::Institution> institutions_;
  bool down_ = false;
  int calls_ = 0;
};

}  // namespace thb::testing
