// What the rapporteur's domain tests share: a temporary database with the rapporteur's schema,
// a fake clock on 2025-06-15, principals, and the requests the tests make again and again.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/auth.h"
#include "services/common/calendar.h"
#include "services/common/clock.h"
#include "services/common/storage.h"
#include "services/common/testing/fake_coordinator_client.h"
#include "services/common/testing/test_support.h"
#include "services/rapporteur/population_tables.h"
#include "services/rapporteur/rapporteur_schema.h"
#include "services/rapporteur/recommendations.h"
#include "services/rapporteur/reports.h"
#include "services/rapporteur/statistics_ledger.h"
#include "services/rapporteur/statistics_query.h"

namespace thb::rapporteur {

// 2025-06-15: statistics for 2025 are allowed, for 2026 not yet.
inline absl::Time TestNow() {
  return absl::FromCivil(absl::CivilDay(2025, 6, 15), absl::UTCTimeZone());
}

// A database in `dir` with the common and the rapporteur's migrations applied.
inline std::unique_ptr<Database> OpenRapporteurDatabase(const thb::testing::TempDir& dir) {
  std::unique_ptr<Database> db = *OpenDatabase(dir.File("r.db"));
  EXPECT_TRUE(db->ApplyMigrations("common", CommonMigrations()).ok());
  EXPECT_TRUE(db->ApplyMigrations("rapporteur", RapporteurMigrations()).ok());
  return db;
}

inline Principal As(std::vector<std::string> roles, std::string institution = "",
                    std::string subject = "someone") {
  Principal p;
  p.authenticated = true;
  p.roles = std::move(roles);
  p.institution = std::move(institution);
  p.subject = std::move(subject);
  return p;
}

// One row of a statistics submission, victims identified unless said otherwise.
struct CountRow {
  int32_t sex = 0;
  int32_t age = 0;
  std::string region;
  int64_t count = 0;
  v1::StatisticalIndicator indicator = v1::STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED;
};

inline v1::CreateStatisticsSubmissionRequest SubmissionRequest(const std::string& institution,
                                                               int year,
                                                               const std::vector<CountRow>& rows,
                                                               int quarter = 0) {
  v1::CreateStatisticsSubmissionRequest req;
  auto* s = req.mutable_statistics_submission();
  s->set_reporting_institution(institution);
  s->mutable_period()->set_year(year);
  s->mutable_period()->set_quarter(quarter);
  for (const CountRow& r : rows) {
    auto* row = s->add_rows();
    row->set_indicator(r.indicator);
    row->set_sex(static_cast<thb::type::v1::Sex>(r.sex));
    row->set_age_group(static_cast<thb::type::v1::AgeGroup>(r.age));
    row->set_region(r.region);
    row->set_count(r.count);
  }
  return req;
}

// Statistics submitted by the Rapporteur's office for the police and an NGO, queried by the
// public, the office and an analyst (k = 10).
class StatisticsTest : public ::testing::Test {
 protected:
  StatisticsTest() : clock_(TestNow()) {
    db_ = OpenRapporteurDatabase(dir_);
    directory_.Add("institutions/police");
    directory_.Add("institutions/ngo");
    ledger_ = std::make_unique<StatisticsLedger>(*db_, clock_, directory_);
    queries_ = std::make_unique<StatisticsQueries>(
        *db_, StatisticsConfig{10, "XVA", "Valdoria", "Europe", "Southern Europe"});
    populations_ = std::make_unique<PopulationTables>(*db_, clock_);
    office_.authenticated = true;
    office_.roles = {roles::kRapporteurOffice};
    analyst_.authenticated = true;
    analyst_.roles = {roles::kRapporteurAnalyst};
  }

  using R = CountRow;
  v1::StatisticsSubmission Submit(const std::string& institution, int year,
                                  const std::vector<R>& rows, int quarter = 0) {
    absl::StatusOr<v1::StatisticsSubmission> out = ledger_->Create(
        AuditActor::Internal(), office_, SubmissionRequest(institution, year, rows, quarter));
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : v1::StatisticsSubmission();
  }

  v1::QueryStatisticsResponse Query(const Principal& who, const v1::QueryStatisticsRequest& req) {
    absl::StatusOr<v1::QueryStatisticsResponse> out = queries_->Query(who, req);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : v1::QueryStatisticsResponse();
  }

  thb::testing::TempDir dir_;
  FakeClock clock_;
  thb::testing::FakeCoordinatorClient directory_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<StatisticsLedger> ledger_;
  std::unique_ptr<StatisticsQueries> queries_;
  std::unique_ptr<PopulationTables> populations_;
  Principal office_, analyst_, public_;
};

// An annual report for 2024, drafted.
inline v1::CreateReportRequest Draft(const std::string& title, const std::string& supersedes = "") {
  v1::CreateReportRequest r;
  r.mutable_report()->set_kind(v1::Report::KIND_ANNUAL);
  r.mutable_report()->set_title(title);
  r.mutable_report()->set_year(2024);
  r.mutable_report()->set_content("# Findings\r\nIdentification rose.");
  r.mutable_report()->set_supersedes(supersedes);
  return r;
}

// Recommendations and reports against a coordinator that knows the labour inspectorate and the
// measure plans/nap/measures/m1.
class RecommendationsAndReportsTest : public ::testing::Test {
 protected:
  RecommendationsAndReportsTest() : clock_(TestNow()) {
    db_ = OpenRapporteurDatabase(dir_);
    coordinator_.Add("institutions/labour-inspectorate");
    coordinator_.AddMeasure("plans/nap/measures/m1");
    book_ = std::make_unique<RecommendationBook>(*db_, clock_, coordinator_);
    shelf_ = std::make_unique<ReportShelf>(*db_, clock_);
  }

  v1::Recommendation Issue(v1::Addressee::Kind kind, const std::string& institution = "",
                           absl::CivilDay due = absl::CivilDay(2025, 12, 31)) {
    v1::CreateRecommendationRequest r;
    r.mutable_recommendation()->set_text("Fund specialised shelters for male victims");
    r.mutable_recommendation()->mutable_addressee()->set_kind(kind);
    r.mutable_recommendation()->mutable_addressee()->set_institution(institution);
    r.mutable_recommendation()->set_pillar(thb::type::v1::PILLAR_PROTECTION);
    r.mutable_recommendation()->set_priority(v1::PRIORITY_HIGH);
    *r.mutable_recommendation()->mutable_due_date() = ToDate(due);
    absl::StatusOr<v1::Recommendation> out = book_->Create(AuditActor::Internal(), r);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : v1::Recommendation();
  }
  v1::RespondToRecommendationRequest Response(const std::string& name,
                                              const std::string& measure = "") {
    v1::RespondToRecommendationRequest r;
    r.set_name(name);
    r.set_position(v1::RESPONSE_POSITION_PARTIALLY_ACCEPTED);
    r.set_planned_actions("Two shelters in 2026");
    r.set_linked_measure(measure);
    return r;
  }

  thb::testing::TempDir dir_;
  FakeClock clock_;
  thb::testing::FakeCoordinatorClient coordinator_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<RecommendationBook> book_;
  std::unique_ptr<ReportShelf> shelf_;
};

}  // namespace thb::rapporteur
