// The five assessment rules over facts given directly (no service is read).
#include "services/rapporteur/architecture_assessment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/calendar.h"
#include "services/common/vocabulary.h"

namespace thb::rapporteur {
namespace {

namespace tv1 = ::thb::type::v1;
namespace cov1 = ::thb::coordinator::v1;
namespace cmv1 = ::thb::commission::v1;
using ::testing::HasSubstr;

ArchitectureFacts GoodArchitecture() {
  ArchitectureFacts f;
  f.today = absl::CivilDay(2025, 6, 15);
  cov1::Mandate m;
  m.set_institution("institutions/office-pm");
  m.set_holder_title("State Secretary");
  m.set_government_level(cov1::GOVERNMENT_LEVEL_STATE_SECRETARY);
  for (tv1::FormOfExploitation form : ConcreteForms()) m.add_forms_in_scope(form);
  f.mandate = m;
  cov1::Institution inst;
  inst.set_name("institutions/office-pm");
  inst.set_sector(tv1::SECTOR_GOVERNMENT_POLICY);
  f.coordinator_institution = inst;
  f.plan = "plans/nap";
  f.coverage = cov1::CoverageAnalysis();
  cmv1::Commission c;
  c.set_chair_institution("institutions/office-pm");
  f.commission = c;
  std::vector<cmv1::Member> members(2);
  members[0].set_seat(cmv1::SEAT_CIVIL_SOCIETY);
  members[1].set_seat(cmv1::SEAT_SURVIVOR_LEADER);
  f.members = members;
  f.consultations = std::vector<cmv1::Consultation>(1);
  f.rapporteur_institution = "institutions/ombudsperson";
  std::vector<cov1::Engagement> engagements(1);
  engagements[0].set_forum("OSCE Alliance against Trafficking in Persons");
  f.recent_engagements = engagements;
  f.obligations = cov1::ObligationsCalendar();
  f.obligations_recorded = 2;
  return f;
}

std::vector<v1::CriterionStatus> Statuses(const ArchitectureFacts& f) {
  std::vector<v1::CriterionStatus> out;
  for (const auto& r : AssessArchitecture(f)) out.push_back(r.status());
  return out;
}

constexpr auto kMet = v1::CRITERION_STATUS_MET;
constexpr auto kPartly = v1::CRITERION_STATUS_PARTIALLY_MET;
constexpr auto kNot = v1::CRITERION_STATUS_NOT_MET;
constexpr auto kUnknown = v1::CRITERION_STATUS_UNKNOWN;

TEST(AssessmentRules, AGoodArchitectureMeetsAllSix) {
  std::vector<v1::CriterionResult> r = AssessArchitecture(GoodArchitecture());
  ASSERT_EQ(r.size(), 6u);
  for (const auto& c : r) {
    EXPECT_EQ(c.status(), kMet) << v1::Criterion_Name(c.criterion());
    EXPECT_FALSE(c.evidence().empty());
  }
}

TEST(AssessmentRules, EachCriterionReactsToItsOwnFacts) {
  ArchitectureFacts f = GoodArchitecture();
  f.mandate->set_government_level(cov1::GOVERNMENT_LEVEL_SENIOR_OFFICIAL);
  f.rapporteur_institution = "institutions/office-pm";  // the Co-ordinator is its own rapporteur
  f.mandate->clear_forms_in_scope();
  f.mandate->add_forms_in_scope(tv1::FORM_OF_EXPLOITATION_SEXUAL_EXPLOITATION);
  f.coordinator_institution->set_sector(tv1::SECTOR_LAW_ENFORCEMENT);
  f.consultations->clear();
  f.obligations->set_overdue_count(1);
  auto* late = f.obligations->add_entries();
  late->set_monitoring_body("GRETA");
  late->set_overdue(true);
  *late->mutable_due_date() = ToDate(absl::CivilDay(2025, 5, 1));
  EXPECT_EQ(Statuses(f),
            (std::vector<v1::CriterionStatus>{kPartly, kPartly, kPartly, kNot, kPartly, kPartly}));
  EXPECT_THAT(AssessArchitecture(f)[5].evidence(1), HasSubstr("GRETA (due 2025-05-01)"));

  f.mandate->set_government_level(cov1::GOVERNMENT_LEVEL_HEAD_OF_UNIT);
  f.commission->set_chair_institution("institutions/ngo");
  f.coverage->add_mandate_forms_not_covered(tv1::FORM_OF_EXPLOITATION_SEXUAL_EXPLOITATION);
  f.members->clear();
  f.recent_engagements->clear();
  f.obligations_recorded = 0;  // nothing tracked counts as not met
  EXPECT_EQ(Statuses(f), (std::vector<v1::CriterionStatus>{kNot, kNot, kNot, kNot, kNot, kNot}));
}

TEST(AssessmentRules, MissingDataAndUnreachableServicesAreUnknownNeverAGuess) {
  ArchitectureFacts f = GoodArchitecture();
  f.commission = absl::UnavailableError("the commission is unreachable");
  f.members = absl::UnavailableError("the commission is unreachable");
  f.consultations = absl::UnavailableError("the commission is unreachable");
  EXPECT_EQ(Statuses(f),
            (std::vector<v1::CriterionStatus>{kMet, kUnknown, kMet, kMet, kUnknown, kMet}));
  EXPECT_THAT(AssessArchitecture(f)[1].evidence(0), HasSubstr("unreachable"));

  ArchitectureFacts g = GoodArchitecture();
  g.mandate = absl::UnavailableError("the coordinator is unreachable");
  g.coordinator_institution = g.mandate.status();
  g.coverage = g.mandate.status();
  g.recent_engagements = g.mandate.status();
  EXPECT_EQ(Statuses(g), (std::vector<v1::CriterionStatus>{kUnknown, kUnknown, kUnknown, kUnknown,
                                                           kMet, kUnknown}));

  ArchitectureFacts h = GoodArchitecture();
  h.mandate->set_government_level(cov1::GOVERNMENT_LEVEL_UNSPECIFIED);
  h.rapporteur_institution.clear();
  h.plan.clear();
  h.coordinator_institution->set_sector(tv1::SECTOR_UNSPECIFIED);
  EXPECT_EQ(Statuses(h),
            (std::vector<v1::CriterionStatus>{kUnknown, kUnknown, kUnknown, kUnknown, kMet, kMet}));

  ArchitectureFacts expired = GoodArchitecture();
  *(*expired.members)[1].mutable_term_end() = ToDate(absl::CivilDay(2025, 1, 1));  // seat ended
  EXPECT_EQ(Statuses(expired)[4], kPartly);
}

}  // namespace
}  // namespace thb::rapporteur
