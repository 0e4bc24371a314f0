// Issue 15's attacks on disclosure control, at the domain level: the public and each reporting
// institution run every query the API offers (every group-by combination, filters, year ranges,
// totals, rates) and the GLOTIP export, write everything published as linear equations over the
// unknown counts, add what they may assume (no count is negative; the sign of every breakdown's
// residual; an insider's own parts, also across its own resubmissions), and bound each suppressed
// count by linear programming. No sensitive count may be confined to less than [0, n + k].
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"
#include "services/common/errors.h"
#include "services/common/testing/fake_coordinator_client.h"
#include "services/common/testing/test_support.h"
#include "services/rapporteur/disclosure.h"
#include "services/rapporteur/rapporteur_schema.h"
#include "services/rapporteur/statistics_cells.h"
#include "services/rapporteur/statistics_ledger.h"
#include "services/rapporteur/statistics_query.h"
#include "services/rapporteur/testing/domain_fixtures.h"
#include "services/rapporteur/testing/linear_attacker.h"

namespace thb::rapporteur {
namespace {

namespace tv1 = ::thb::type::v1;
using disclosure_testing::LinearAttacker;
using json = nlohmann::json;

constexpr auto kIdentified = v1::STATISTICAL_INDICATOR_VICTIMS_IDENTIFIED;
constexpr auto kProsecuted = v1::STATISTICAL_INDICATOR_PERSONS_PROSECUTED;
constexpr int kK = 10;

struct Row {
  v1::StatisticalIndicator indicator = kIdentified;
  int32_t form = 0, sex = 0, age = 0;
  int64_t count = 0;
};

std::string Label(const google::protobuf::EnumDescriptor* type, int value,
                  absl::string_view prefix) {
  std::string name =
      absl::AsciiStrToLower(absl::StripPrefix(type->FindValueByNumber(value)->name(), prefix));
  std::replace(name.begin(), name.end(), '_', ' ');
  name[0] = absl::ascii_toupper(name[0]);
  return name;
}

// One generation of published data, as the attacker wrote it down: sums of atoms and their values.
struct Observation {
  struct ByKeys {
    bool operator()(const std::vector<CellKey>& a, const std::vector<CellKey>& b) const {
      auto tie = [](const CellKey& k) {
        return std::tie(k.indicator, k.year, k.level, k.form, k.sex, k.age);
      };
      return std::lexicographical_compare(
          a.begin(), a.end(), b.begin(), b.end(),
          [&](const CellKey& x, const CellKey& y) { return tie(x) < tie(y); });
    }
  };
  std::map<std::vector<CellKey>, int64_t, ByKeys> sums;
  std::vector<CellKey> suppressed;  // atoms shown as suppressed
  // The truth behind it: every atom's parts by institution.
  std::map<std::string, std::vector<std::pair<CellKey, int64_t>>> parts;
};

class AttackTest : public StatisticsTest {
 protected:
  AttackTest() { Reset(); }

  void Reset() {
    populations_.reset();
    queries_.reset();
    ledger_.reset();
    db_.reset();
    latest_.clear();
    db_ = *OpenDatabase(dir_.File(absl::StrCat("r", ++databases_, ".db")));
    ASSERT_TRUE(db_->ApplyMigrations("common", CommonMigrations()).ok());
    ASSERT_TRUE(db_->ApplyMigrations("rapporteur", RapporteurMigrations()).ok());
    for (const char* i : {"institutions/police", "institutions/ngo", "institutions/i0",
                          "institutions/i1", "institutions/i2", "institutions/i3"}) {
      directory_.Add(i);
    }
    ledger_ = std::make_unique<StatisticsLedger>(*db_, clock_, directory_);
    queries_ = std::make_unique<StatisticsQueries>(*db_, StatisticsConfig{kK, "XVA"});
    populations_ = std::make_unique<PopulationTables>(*db_, clock_);
    office_.authenticated = true;
    office_.roles = {roles::kRapporteurOffice};
  }

  void Submit(const std::string& institution, int year, const std::vector<Row>& rows) {
    v1::CreateStatisticsSubmissionRequest req;
    auto* s = req.mutable_statistics_submission();
    s->set_reporting_institution(institution);
    s->mutable_period()->set_year(year);
    for (const Row& r : rows) {
      auto* row = s->add_rows();
      row->set_indicator(r.indicator);
      row->set_form(static_cast<tv1::FormOfExploitation>(r.form));
      row->set_sex(static_cast<tv1::Sex>(r.sex));
      row->set_age_group(static_cast<tv1::AgeGroup>(r.age));
      row->set_count(r.count);
    }
    absl::StatusOr<v1::StatisticsSubmission> out =
        ledger_->Create(AuditActor::Internal(), office_, req);
    ASSERT_TRUE(out.ok()) << out.status();
    latest_[institution][year] = *out;
  }

  v1::QueryStatisticsResponse Query(const v1::QueryStatisticsRequest& q) {
    absl::StatusOr<v1::QueryStatisticsResponse> r = queries_->Query(public_, q);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : v1::QueryStatisticsResponse();
  }

  // Runs every query and the export as the public (an insider sees the same numbers).
  Observation Observe() {
    Observation o;
    for (const auto& [institution, years] : latest_) {
      for (const auto& [year, sub] : years) {
        for (const v1::StatisticsRow& r : sub.rows())
          o.parts[institution].push_back({KeyOf(r, year), r.count()});
      }
    }
    // Every atom, from the most detailed query of each level.
    std::vector<CellKey> atoms;
    for (int32_t level = 0; level < 8; ++level) {
      v1::QueryStatisticsRequest q;
      q.add_group_by(v1::DIMENSION_INDICATOR);
      q.add_group_by(v1::DIMENSION_YEAR);
      if (level & kFormBit) q.add_group_by(v1::DIMENSION_FORM);
      if (level & kSexBit) q.add_group_by(v1::DIMENSION_SEX);
      if (level & kAgeBit) q.add_group_by(v1::DIMENSION_AGE_GROUP);
      const v1::QueryStatisticsResponse response = Query(q);
      for (const v1::StatisticsCell& c : response.cells()) {
        CellKey k;
        k.level = level;
        k.indicator = c.indicator();
        k.year = c.year();
        k.form = c.form();
        k.sex = c.sex();
        k.age = c.age_group();
        atoms.push_back(k);
        if (c.suppressed()) o.suppressed.push_back(k);
      }
    }
    auto record = [&](std::vector<CellKey> keys, int64_t value) {
      if (keys.empty()) return;
      for (const CellKey& k : keys) {
        for (const CellKey& s : o.suppressed) {
          EXPECT_FALSE(k == s) << "a published sum includes a suppressed atom: level " << k.level
                               << " year " << k.year << " indicator " << k.indicator << " = "
                               << value << " over " << keys.size();
        }
      }
      auto [it, fresh] = o.sums.emplace(std::move(keys), value);
      EXPECT_EQ(it->second, value) << "two answers for the same sum";
    };
    // Every group-by combination x filters on form, sex and age x all years or one.
    const std::vector<v1::Dimension> dims = {v1::DIMENSION_INDICATOR, v1::DIMENSION_YEAR,
                                             v1::DIMENSION_FORM, v1::DIMENSION_SEX,
                                             v1::DIMENSION_AGE_GROUP};
    for (int g = 0; g < 32; ++g) {
      for (int f = 0; f < 8; ++f) {
        for (int years = 0; years < 3; ++years) {
          v1::QueryStatisticsRequest q;
          for (int d = 0; d < 5; ++d) {
            if (g & (1 << d)) q.add_group_by(dims[d]);
          }
          int32_t fbits = 0;
          if (f & 1) q.add_forms(tv1::FormOfExploitation(1)), fbits |= kFormBit;
          if (f & 2) q.add_sexes(tv1::Sex(2)), fbits |= kSexBit;
          if (f & 4)
            q.add_age_groups(tv1::AgeGroup(1)), q.add_age_groups(tv1::AgeGroup(2)),
                fbits |= kAgeBit;
          if (years > 0) q.set_from_year(2022 + years), q.set_to_year(2022 + years);
          q.set_include_rates(true);
          const int32_t gbits =
              (g & 4 ? kFormBit : 0) | (g & 8 ? kSexBit : 0) | (g & 16 ? kAgeBit : 0);
          auto matches = [&](const CellKey& k, int32_t level) {
            return k.level == level && (!(fbits & kFormBit) || k.form == 1) &&
                   (!(fbits & kSexBit) || k.sex == 2) && (years == 0 || k.year == 2022 + years);
          };
          const v1::QueryStatisticsResponse r = Query(q);
          std::vector<CellKey> all;
          for (const v1::StatisticsCell& c : r.cells()) {
            std::vector<CellKey> keys;
            for (const CellKey& k : atoms) {
              if (!matches(k, gbits | fbits)) continue;
              if ((g & 1) && k.indicator != c.indicator()) continue;
              if ((g & 2) && k.year != c.year()) continue;
              if ((g & 4) && k.form != c.form()) continue;
              if ((g & 8) && k.sex != c.sex()) continue;
              if ((g & 16) && k.age != c.age_group()) continue;
              keys.push_back(k);
            }
            all.insert(all.end(), keys.begin(), keys.end());
            EXPECT_FALSE(c.suppressed() && (c.has_rate_per_100k() || c.count() != 0))
                << "a rate leaks";
            if (!c.suppressed()) record(keys, c.count());
          }
          if (r.has_total()) {
            std::vector<CellKey> keys;
            for (const CellKey& k : atoms) {
              if (matches(k, fbits)) keys.push_back(k);
            }
            record(keys.empty() ? all : keys, r.total());
          }
        }
      }
    }
    // The export: each line one atom.
    v1::ExportStatisticsRequest e;
    e.set_format(v1::EXPORT_FORMAT_JSON);
    absl::StatusOr<v1::ExportStatisticsResponse> exported = queries_->Export(e);
    EXPECT_TRUE(exported.ok());
    if (exported.ok()) {
      const json doc = json::parse(exported->content());
      for (const json& line : doc["rows"]) {
        if (line["value"].is_null()) continue;
        std::vector<CellKey> keys;
        for (const CellKey& k : atoms) {
          std::string sex = k.sex ? Label(tv1::Sex_descriptor(), k.sex, "SEX_") : "Total";
          std::string age =
              k.age ? Label(tv1::AgeGroup_descriptor(), k.age, "AGE_GROUP_") : "Total";
          if (age == "Child") age = "Children";
          if (age == "Adult") age = "Adults";
          const std::string category =
              k.form ? Label(tv1::FormOfExploitation_descriptor(), k.form, "FORM_OF_EXPLOITATION_")
                     : "Total";
          if (line["indicator"] == Label(v1::StatisticalIndicator_descriptor(), k.indicator,
                                         "STATISTICAL_INDICATOR_") &&
              line["year"] == k.year && line["sex"] == sex && line["age"] == age &&
              line["category"] == category) {
            keys.push_back(k);
          }
        }
        EXPECT_EQ(keys.size(), 1u) << line.dump();
        record(keys, line["value"].get<int64_t>());
      }
    }
    return o;
  }

  // The attacker `view` (an institution, or "" for the public) over every generation observed
  // while only it changed its data. Fails the test for every sensitive count (or residual) whose
  // interval does not contain [0, n + k], and every suppressed atom the public confines to less
  // than k. Returns the number of targets checked.
  int Attack(const std::vector<Observation>& generations, const std::string& view) {
    // The unknowns: the other contributors' part of each atom (the whole atom for the public),
    // the same in every generation since only `view` changed its data.
    std::map<std::tuple<int32_t, int32_t, int32_t, int32_t, int32_t, int32_t>, int> unknown;
    auto tie = [](const CellKey& k) {
      return std::make_tuple(k.indicator, k.year, k.level, k.form, k.sex, k.age);
    };
    LinearAttacker attacker;
    auto column = [&](const CellKey& k) {
      auto [it, fresh] = unknown.try_emplace(tie(k), 0);
      if (fresh) it->second = attacker.AddUnknown(0);
      return it->second;
    };
    struct Truth {
      std::map<std::tuple<int32_t, int32_t, int32_t, int32_t, int32_t, int32_t>,
               std::pair<CellKey, int64_t>>
          total, own;
    };
    auto truth_of = [&](const Observation& o) {
      Truth t;
      for (const auto& [institution, list] : o.parts) {
        for (const auto& [key, count] : list) {
          auto& cell = t.total[tie(key)];
          cell.first = key;
          cell.second += count;
          if (institution == view) {
            t.own[tie(key)] = {key, t.own[tie(key)].second + count};
          }
        }
      }
      return t;
    };
    auto own_of = [](const Truth& t, const CellKey& k, auto tie) {
      auto it = t.own.find(tie(k));
      return it == t.own.end() ? int64_t{0} : it->second.second;
    };
    // Relations: an atom and its breakdown at any finer level present, with the residual's sign.
    struct Relation {
      CellKey parent;
      std::vector<CellKey> children;
    };
    auto relations_of = [&](const Truth& t) {
      std::map<std::pair<std::tuple<int32_t, int32_t, int32_t, int32_t, int32_t, int32_t>, int32_t>,
               Relation>
          rel;
      for (const auto& [ck, child] : t.total) {
        for (const auto& [pk, parent] : t.total) {
          const CellKey& c = child.first;
          const CellKey& p = parent.first;
          if (c.indicator != p.indicator || c.year != p.year || c.level == p.level ||
              (c.level & p.level) != p.level)
            continue;
          if (!(ProjectToLevel(c, p.level) == p)) continue;
          Relation& r = rel[{pk, c.level}];
          r.parent = p;
          r.children.push_back(c);
        }
      }
      return rel;
    };
    auto sign_sense = [](int64_t s) {
      return s == 0  ? LinearAttacker::Sense::kEqual
             : s > 0 ? LinearAttacker::Sense::kAtLeast
                     : LinearAttacker::Sense::kAtMost;
    };
    std::set<std::tuple<int32_t, int32_t, int32_t, int32_t, int32_t, int32_t>> suppressed;
    for (const Observation& o : generations) {
      const Truth t = truth_of(o);
      for (const auto& [keys, value] : o.sums) {
        LinearAttacker::Terms terms;
        double rhs = static_cast<double>(value);
        for (const CellKey& k : keys) {
          terms.push_back({column(k), 1.0});
          rhs -= static_cast<double>(own_of(t, k, tie));
        }
        attacker.Add(terms, LinearAttacker::Sense::kEqual, rhs);
      }
      for (const auto& [id, r] : relations_of(t)) {
        LinearAttacker::Terms terms = {{column(r.parent), 1.0}};
        int64_t residual = t.total.at(tie(r.parent)).second;
        int64_t own = own_of(t, r.parent, tie);
        for (const CellKey& c : r.children) {
          terms.push_back({column(c), -1.0});
          residual -= t.total.at(tie(c)).second;
          own -= own_of(t, c, tie);
        }
        attacker.Add(terms, sign_sense(residual - own), 0);  // the others' residual
      }
      for (const CellKey& k : o.suppressed) suppressed.insert(tie(k));
    }
    // Targets, at the truth of the last generation (the others' parts never changed).
    const Truth t = truth_of(generations.back());
    int checked = 0;
    auto check = [&](const LinearAttacker::Terms& terms, int64_t n, bool is_suppressed,
                     const std::string& what) {
      const LinearAttacker::Interval in = attacker.Bound(terms);
      ASSERT_TRUE(in.feasible) << what << ": the attacker's system contradicts itself";
      ++checked;
      if (n > 0 && n < kK) {
        EXPECT_LE(in.lo, 1e-6) << what << " (true " << n << ") is known to be non-zero, view '"
                               << view << "'";
        EXPECT_GE(in.hi, n + kK - 1e-6)
            << what << " (true " << n << ") is known to be below " << n + kK << ", view '" << view
            << "': [" << in.lo << ", " << in.hi << "]";
      } else if (is_suppressed && view.empty()) {
        EXPECT_GE(in.hi - in.lo, kK - 1e-6)
            << what << " (true " << n << ") is confined to [" << in.lo << ", " << in.hi << "]";
      }
    };
    for (const auto& [id, cell] : t.total) {
      const int64_t n = cell.second - own_of(t, cell.first, tie);
      const bool is_suppressed = suppressed.count(id) > 0;
      if (n > 0 && n < kK) {
        EXPECT_TRUE(is_suppressed) << "a sensitive count is published";
      }
      check({{column(cell.first), 1.0}}, n, is_suppressed,
            absl::StrCat("atom level ", cell.first.level, " form ", cell.first.form, " sex ",
                         cell.first.sex, " age ", cell.first.age, " year ", cell.first.year,
                         " indicator ", cell.first.indicator));
    }
    for (const auto& [id, r] : relations_of(t)) {
      LinearAttacker::Terms terms = {{column(r.parent), 1.0}};
      int64_t g = t.total.at(tie(r.parent)).second - own_of(t, r.parent, tie);
      for (const CellKey& c : r.children) {
        terms.push_back({column(c), -1.0});
        g -= t.total.at(tie(c)).second - own_of(t, c, tie);
      }
      if (g > 0 && g < kK) {
        check(terms, g, true,
              absl::StrCat("the residual of level ", r.parent.level, " over level ",
                           r.children[0].level, " year ", r.parent.year));
      }
    }
    return checked;
  }

  // Every view: the public and each institution.
  void AttackFromEveryView(const Observation& o) {
    Attack({o}, "");
    for (const auto& [institution, list] : o.parts) Attack({o}, institution);
  }

  std::map<std::string, std::map<int, v1::StatisticsSubmission>> latest_;
  int databases_ = 0;
};

bool Published(const Observation& o, const CellKey& k) {
  for (const auto& [keys, value] : o.sums) {
    if (keys.size() == 1 && keys[0] == k) return true;
  }
  return false;
}

CellKey Key(v1::StatisticalIndicator indicator, int year, int32_t sex, int32_t age) {
  CellKey k;
  k.indicator = indicator;
  k.year = year;
  k.sex = sex;
  k.age = age;
  k.level = (sex ? kSexBit : 0) | (age ? kAgeBit : 0);
  return k;
}

// a) Non-adjacent levels: a total and a sex x age table without margins. The total minus the
// three published cells would be the suppressed one.
TEST_F(AttackTest, TotalAndATwoWayTableWithoutMarginsDoNotGiveAwayASmallCell) {
  Submit("institutions/police", 2022,
         {{kIdentified, 0, 0, 0, 128},
          {kIdentified, 0, 1, 1, 3},
          {kIdentified, 0, 1, 2, 40},
          {kIdentified, 0, 2, 1, 25},
          {kIdentified, 0, 2, 2, 60}});
  v1::QueryStatisticsRequest q;
  q.add_group_by(v1::DIMENSION_SEX);
  q.add_group_by(v1::DIMENSION_AGE_GROUP);
  const v1::QueryStatisticsResponse r = Query(q);
  ASSERT_EQ(r.cells_size(), 4);
  EXPECT_TRUE(r.cells(0).suppressed());
  int published = 0;
  for (const auto& c : r.cells()) published += c.suppressed() ? 0 : 1;
  EXPECT_FALSE(r.has_total() && published == 3) << "total - the three others = the small cell";
  const Observation o = Observe();
  EXPECT_FALSE(Published(o, Key(kIdentified, 2022, 1, 1)));
  EXPECT_GT(Attack({o}, ""), 0);
}

// b) Mixed levels across institutions: the police's total and sex breakdown, an NGO's total
// only. Total minus the sexes is the NGO's 3.
TEST_F(AttackTest, AnotherInstitutionsUndisaggregatedTotalIsNotTheDifference) {
  Submit("institutions/police", 2023,
         {{kProsecuted, 0, 0, 0, 60}, {kProsecuted, 0, 1, 0, 20}, {kProsecuted, 0, 2, 0, 40}});
  Submit("institutions/ngo", 2023, {{kProsecuted, 0, 0, 0, 3}});
  v1::QueryStatisticsRequest q;
  q.add_group_by(v1::DIMENSION_SEX);
  const v1::QueryStatisticsResponse r = Query(q);
  bool all_published = r.has_total();
  for (const auto& c : r.cells()) all_published = all_published && !c.suppressed();
  EXPECT_FALSE(all_published) << "63 - 20 - 40 = 3";
  AttackFromEveryView(Observe());
}

// c) The insider: the police put 100 on the cell where the NGO has 3, read the published sum,
// then resubmit zeros. Whatever it submits, the NGO's 3 stays protected, also across the two
// generations (the insider knows its own change).
TEST_F(AttackTest, AnInsiderCannotSubtractItsOwnContributionNorDifferenceItsResubmissions) {
  Submit("institutions/ngo", 2024,
         {{kIdentified, 0, 0, 0, 8}, {kIdentified, 0, 1, 0, 3}, {kIdentified, 0, 2, 0, 5}});
  Submit("institutions/police", 2024,
         {{kIdentified, 0, 0, 0, 150}, {kIdentified, 0, 1, 0, 100}, {kIdentified, 0, 2, 0, 50}});
  v1::QueryStatisticsRequest q;
  q.add_group_by(v1::DIMENSION_SEX);
  const v1::QueryStatisticsResponse first = Query(q);
  ASSERT_GE(first.cells_size(), 2);
  EXPECT_TRUE(first.cells(0).suppressed()) << "103 - the police's 100 = the NGO's 3";
  const Observation g1 = Observe();
  Attack({g1}, "institutions/police");
  // Zeros, then everything on the males: each generation and all of them together.
  Submit("institutions/police", 2024,
         {{kIdentified, 0, 0, 0, 0}, {kIdentified, 0, 1, 0, 0}, {kIdentified, 0, 2, 0, 0}});
  const Observation g2 = Observe();
  Submit("institutions/police", 2024,
         {{kIdentified, 0, 0, 0, 100}, {kIdentified, 0, 1, 0, 0}, {kIdentified, 0, 2, 0, 100}});
  const Observation g3 = Observe();
  EXPECT_GT(Attack({g1, g2, g3}, "institutions/police"), 0);
  Attack({g3}, "");
}

TEST_F(AttackTest, TheContributorRuleSuppressesWhatOneInstitutionCouldSubtract) {
  Submit("institutions/police", 2024, {{kIdentified, 0, 1, 0, 100}, {kIdentified, 0, 2, 0, 40}});
  Submit("institutions/ngo", 2024, {{kIdentified, 0, 1, 0, 4}, {kIdentified, 0, 2, 0, 20}});
  const Observation o = Observe();
  EXPECT_FALSE(Published(o, Key(kIdentified, 2024, 1, 0)));  // 104 - 100 = 4
  EXPECT_TRUE(Published(o, Key(kIdentified, 2024, 2, 0)));   // 60 - 40 = 20 and 60 - 20 = 40
}

TEST_F(AttackTest, CountsAboveTheRowLimitAreRejectedAndSumsNeverWrap) {
  v1::CreateStatisticsSubmissionRequest req;
  auto* s = req.mutable_statistics_submission();
  s->set_reporting_institution("institutions/police");
  s->mutable_period()->set_year(2024);
  auto* row = s->add_rows();
  row->set_indicator(kIdentified);
  row->set_count((int64_t{1} << 62) + 1);
  absl::StatusOr<v1::StatisticsSubmission> out =
      ledger_->Create(AuditActor::Internal(), office_, req);
  ASSERT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<FieldViolation> v = GetFieldViolations(out.status());
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "statistics_submission.rows[0].count");
  row->set_count(kMaxRowCount);
  EXPECT_TRUE(ledger_->Create(AuditActor::Internal(), office_, req).ok());
  // The plan adds with a check too: two parts of 2^62 + 1 do not wrap into a negative total.
  CellKey k = Key(kIdentified, 2024, 0, 0);
  absl::StatusOr<DisclosurePlan> plan = DisclosurePlan::Build(
      std::vector<DisclosurePlan::Contribution>{{k, 0, (int64_t{1} << 62) + 1},
                                                {k, 1, (int64_t{1} << 62) + 1}},
      kK);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
}

// Random submissions at mixed levels by several institutions, some inconsistent; the public and
// every institution attack everything published. Then one institution changes its own data
// twice and attacks the three generations together.
TEST_F(AttackTest, RandomisedAttackersRecoverNoSuppressedCount) {
  const absl::Time deadline = absl::Now() + absl::Seconds(15);
  int rounds = 0, targets = 0;
  const std::vector<std::string> institutions = {"institutions/i0", "institutions/i1",
                                                 "institutions/i2"};
  for (unsigned seed = 1; seed <= 400 && absl::Now() < deadline; ++seed, ++rounds) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    Reset();
    std::mt19937 rng(seed);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    auto submit_random = [&](const std::string& institution, int year) {
      std::vector<Row> rows;
      for (auto indicator : {kIdentified, kProsecuted}) {
        if (uniform(0, 3) == 0) continue;
        int64_t micro[2][2][2];
        for (auto& a : micro) {
          for (auto& b : a) {
            for (int64_t& c : b) c = uniform(0, 1) ? uniform(0, 4) : uniform(0, 30);
          }
        }
        std::set<int32_t> levels;
        for (int n = uniform(1, 3); n > 0; --n) levels.insert(uniform(0, 7));
        for (int32_t level : levels) {
          std::map<std::tuple<int, int, int>, int64_t> cells;
          for (int f = 1; f <= 2; ++f) {
            for (int s = 1; s <= 2; ++s) {
              for (int a = 1; a <= 2; ++a) {
                cells[{level & kFormBit ? f : 0, level & kSexBit ? s : 0,
                       level & kAgeBit ? a : 0}] += micro[f - 1][s - 1][a - 1];
              }
            }
          }
          for (auto& [key, count] : cells) {
            if (uniform(0, 9) == 0) count += uniform(-3, 3);  // an inconsistent report
            rows.push_back({indicator, std::get<0>(key), std::get<1>(key), std::get<2>(key),
                            std::max<int64_t>(0, count)});
          }
        }
      }
      if (!rows.empty()) Submit(institution, year, rows);
    };
    for (const std::string& i : institutions) {
      for (int year : {2023, 2024}) submit_random(i, year);
    }
    const Observation first = Observe();
    if (first.parts.empty()) continue;
    targets += Attack({first}, "");
    for (const auto& [institution, list] : first.parts) targets += Attack({first}, institution);
    // One institution resubmits its own data twice; the others do not change.
    const std::string& insider = institutions[seed % institutions.size()];
    submit_random(insider, 2023 + static_cast<int>(seed % 2));
    const Observation second = Observe();
    submit_random(insider, 2023 + static_cast<int>(seed % 2));
    const Observation third = Observe();
    targets += Attack({first, second, third}, insider);
    if (HasFailure()) {
      for (const auto& [institution, list] : first.parts) {
        for (const auto& [k, c] : list) {
          std::printf("%s ind %d year %d level %d f%d s%d a%d = %lld\n", institution.c_str(),
                      k.indicator, k.year, k.level, k.form, k.sex, k.age,
                      static_cast<long long>(c));
        }
      }
      for (const CellKey& k : first.suppressed) {
        std::printf("suppressed ind %d year %d level %d f%d s%d a%d\n", k.indicator, k.year,
                    k.level, k.form, k.sex, k.age);
      }
      break;
    }
  }
  EXPECT_GE(rounds, 20) << "too few rounds in the time budget";
  EXPECT_GT(targets, 1000);
  RecordProperty("rounds", rounds);
  std::printf("%d rounds, %d targets bounded\n", rounds, targets);
}

}  // namespace
}  // namespace thb::rapporteur
