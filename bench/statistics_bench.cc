// Statistics at scale: 1,000,000 stored rows (10 years x 40 institutions x 2,500 rows of
// indicator x form x sex x age group x region), then
//   - the analyst's group-by query (exact, straight from SQL) through StatisticsQueries, and the
//     same aggregation in the sqlite3 shell over the same file (the baseline, same run);
//   - the public query: building the disclosure plan over all the data (cold, once per data
//     change) and answering from it (warm).
// Prints medians of several runs and the ratios.
// Usage: thb_statistics_bench [--runs=N] [--keep] [--reuse=FILE (a database kept by --keep)]
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/storage.h"
#include "services/common/testing/fake_coordinator_client.h"
#include "services/rapporteur/rapporteur_schema.h"
#include "services/rapporteur/statistics_ledger.h"
#include "services/rapporteur/statistics_query.h"

namespace {

namespace v1 = thb::rapporteur::v1;
namespace tv1 = thb::type::v1;

// Every institution is registered and active (the rest of the coordinator is the test fake's).
class AnyInstitution : public thb::testing::FakeCoordinatorClient {
 public:
  absl::StatusOr<thb::coordinator::v1::Institution> GetInstitution(
      const std::string& name) override {
    thb::coordinator::v1::Institution i;
    i.set_name(name);
    i.set_state(thb::coordinator::v1::Institution::STATE_ACTIVE);
    return i;
  }
};

using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Wall time of `sqlite3 file sql`, output discarded.
double TimeSqliteShell(const std::string& file, const std::string& sql) {
  const auto start = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    execlp("sqlite3", "sqlite3", file.c_str(), sql.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "sqlite3 failed (is it installed?)\n");
    std::exit(1);
  }
  return Seconds(start, Clock::now());
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  bool keep = false;
  std::string reuse;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--runs=", 0) == 0) runs = std::max(1, std::atoi(a.c_str() + 7));
    if (a == "--keep") keep = true;
    if (a.rfind("--reuse=", 0) == 0) reuse = a.substr(8);
  }
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / absl::StrCat("thb-bench-", getpid());
  std::filesystem::create_directories(dir);
  const std::string file = reuse.empty() ? (dir / "rapporteur.db").string() : reuse;
  auto db = thb::OpenDatabase(file);
  if (!db.ok()) return std::fprintf(stderr, "%s\n", std::string(db.status().message()).c_str()), 1;
  (*db)->ApplyMigrations("common", thb::CommonMigrations()).IgnoreError();
  (*db)->ApplyMigrations("rapporteur", thb::rapporteur::RapporteurMigrations()).IgnoreError();
  AnyInstitution institutions;
  thb::rapporteur::StatisticsLedger ledger(**db, thb::Clock::Real(), institutions);
  thb::rapporteur::StatisticsQueries queries(**db, {10, "XXX"});
  thb::Principal office;
  office.authenticated = true;
  office.roles = {thb::roles::kRapporteurOffice};

  // 10 years x 40 institutions x 2,500 rows: indicator (9) x form (10) x sex (4) x age (3) x
  // region.
  const auto load_start = Clock::now();
  unsigned seed = 12345;
  for (int year = 2016; year < 2026 && reuse.empty(); ++year) {
    for (int inst = 0; inst < 40; ++inst) {
      v1::CreateStatisticsSubmissionRequest req;
      auto* s = req.mutable_statistics_submission();
      s->set_reporting_institution(absl::StrCat("institutions/i", inst));
      s->mutable_period()->set_year(year);
      for (int idx = 0; idx < 2500; ++idx) {
        auto* r = s->add_rows();
        r->set_indicator(static_cast<v1::StatisticalIndicator>(1 + idx % 9));
        r->set_form(static_cast<tv1::FormOfExploitation>(1 + (idx / 9) % 10));
        r->set_sex(static_cast<tv1::Sex>(1 + (idx / 90) % 4));
        r->set_age_group(static_cast<tv1::AgeGroup>(1 + (idx / 360) % 3));
        r->set_region(absl::StrCat("XV-", idx / 1080));
        seed = seed * 1103515245u + 12345u;
        r->set_count((seed >> 16) % 40);
      }
      absl::StatusOr<v1::StatisticsSubmission> out =
          ledger.Create(thb::AuditActor::Internal(), office, req);
      if (!out.ok())
        return std::fprintf(stderr, "%s\n", std::string(out.status().message()).c_str()), 1;
    }
  }
  const double load = Seconds(load_start, Clock::now());

  // Victims by year and sex over every form, age group and region: all 1,000,000 rows match.
  v1::QueryStatisticsRequest q;
  q.add_group_by(v1::DIMENSION_YEAR);
  q.add_group_by(v1::DIMENSION_SEX);
  for (int f = 1; f <= 10; ++f) q.add_forms(static_cast<tv1::FormOfExploitation>(f));
  for (int a = 1; a <= 3; ++a) q.add_age_groups(static_cast<tv1::AgeGroup>(a));
  for (int r = 0; r < 3; ++r) q.add_regions(absl::StrCat("XV-", r));
  // Level 23 = form | sex | age group | region (statistics_cells.h), the level these rows have.
  const std::string shell_sql =
      "SELECT year, sex, SUM(value), COUNT(*) FROM statistics_rows WHERE effective = 1 AND level = "
      "23 "
      "AND year >= 0 AND year <= 9999 AND form IN (1,2,3,4,5,6,7,8,9,10) AND age IN (1,2,3) "
      "AND region IN ('XV-0','XV-1','XV-2') GROUP BY year, sex;";

  thb::Principal analyst;
  analyst.authenticated = true;
  analyst.roles = {thb::roles::kRapporteurAnalyst};
  thb::Principal anyone;

  std::vector<double> ours, shell, warm;
  int cells = 0;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    absl::StatusOr<v1::QueryStatisticsResponse> r = queries.Query(analyst, q);
    ours.push_back(Seconds(t0, Clock::now()));
    if (!r.ok()) return std::fprintf(stderr, "%s\n", std::string(r.status().message()).c_str()), 1;
    cells = r->cells_size();
    if (cells != 40) return std::fprintf(stderr, "expected 40 cells, got %d\n", cells), 1;
    shell.push_back(TimeSqliteShell(file, shell_sql));
  }
  auto c0 = Clock::now();
  absl::StatusOr<std::shared_ptr<const thb::rapporteur::DisclosurePlan>> plan =
      queries.CurrentPlan();
  const double cold = Seconds(c0, Clock::now());
  if (!plan.ok()) return 1;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    absl::StatusOr<v1::QueryStatisticsResponse> r = queries.Query(anyone, q);
    warm.push_back(Seconds(t0, Clock::now()));
    if (!r.ok()) return 1;
  }

  std::printf("rows stored                         1000000 (400 submissions of 2500 rows)\n");
  std::printf("load (400 CreateStatisticsSubmission) %.1f s\n", load);
  std::printf("analyst group-by (year x sex), %d cells: median %.3f s over %d runs\n", cells,
              Median(ours), runs);
  std::printf("sqlite3 shell, same SQL aggregation:    median %.3f s (process start included)\n",
              Median(shell));
  std::printf("ratio analyst / sqlite3 shell:          %.2f\n", Median(ours) / Median(shell));
  std::printf(
      "public: disclosure plan build (cold):   %.3f s, %zu atoms, %lld primary + %lld secondary "
      "suppressions, %lld tables withheld whole\n",
      cold, (*plan)->atoms().size(), static_cast<long long>((*plan)->primary_suppressions()),
      static_cast<long long>((*plan)->secondary_suppressions()),
      static_cast<long long>((*plan)->tables_withheld_whole()));
  std::printf("public group-by from the plan (warm):   median %.3f s\n", Median(warm));
  std::printf("ratio public warm / sqlite3 shell:      %.4f\n", Median(warm) / Median(shell));
  if (!keep)
    std::filesystem::remove_all(dir);
  else
    std::printf("kept %s\n", file.c_str());
  return 0;
}
