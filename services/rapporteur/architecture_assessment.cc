#include "services/rapporteur/architecture_assessment.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/calendar.h"
#include "services/common/vocabulary.h"

namespace thb::rapporteur {
namespace {

namespace cov1 = ::thb::coordinator::v1;
namespace cmv1 = ::thb::commission::v1;
namespace tv1 = ::thb::type::v1;

v1::CriterionResult Result(v1::Criterion c, v1::CriterionStatus s,
                           std::vector<std::string> evidence) {
  v1::CriterionResult r;
  r.set_criterion(c);
  r.set_status(s);
  for (std::string& e : evidence) r.add_evidence(std::move(e));
  return r;
}

// MET when all parts hold, NOT_MET when none, PARTIALLY_MET otherwise.
v1::CriterionStatus Combine(int held, int parts) {
  if (held == parts) return v1::CRITERION_STATUS_MET;
  if (held == 0) return v1::CRITERION_STATUS_NOT_MET;
  return v1::CRITERION_STATUS_PARTIALLY_MET;
}

std::string Unreadable(absl::string_view what, const absl::Status& s) {
  return absl::StrCat(what, " could not be read: ", s.message());
}

std::string Forms(const google::protobuf::RepeatedField<int>& forms) {
  std::vector<std::string> names;
  for (int f : forms) names.push_back(tv1::FormOfExploitation_Name(f));
  return names.empty() ? "none" : absl::StrJoin(names, ", ");
}

v1::CriterionResult Placement(const ArchitectureFacts& f) {
  const auto c = v1::CRITERION_HIGH_LEVEL_PLACEMENT;
  if (!f.mandate.ok())
    return Result(c, v1::CRITERION_STATUS_UNKNOWN, {Unreadable("the mandate", f.mandate.status())});
  const auto level = f.mandate->government_level();
  std::vector<std::string> e = {absl::StrCat(
      "mandate: government level ", cov1::GovernmentLevel_Name(level),
      f.mandate->holder_title().empty() ? "" : ", held by the ", f.mandate->holder_title())};
  switch (level) {
    case cov1::GOVERNMENT_LEVEL_HEAD_OF_GOVERNMENT_OFFICE:
    case cov1::GOVERNMENT_LEVEL_MINISTER:
    case cov1::GOVERNMENT_LEVEL_DEPUTY_MINISTER:
    case cov1::GOVERNMENT_LEVEL_STATE_SECRETARY:
      return Result(c, v1::CRITERION_STATUS_MET, e);
    case cov1::GOVERNMENT_LEVEL_SENIOR_OFFICIAL:
      return Result(c, v1::CRITERION_STATUS_PARTIALLY_MET, e);
    case cov1::GOVERNMENT_LEVEL_HEAD_OF_UNIT:
    case cov1::GOVERNMENT_LEVEL_OTHER:
      return Result(c, v1::CRITERION_STATUS_NOT_MET, e);
    default:
      e.emplace_back("the mandate does not record a government level");
      return Result(c, v1::CRITERION_STATUS_UNKNOWN, e);
  }
}

v1::CriterionResult SeparateAndChairs(const ArchitectureFacts& f) {
  const auto c = v1::CRITERION_SEPARATE_AND_CHAIRS_COMMISSION;
  std::vector<std::string> unknown;
  if (!f.mandate.ok())
    unknown.push_back(Unreadable("the mandate", f.mandate.status()));
  else if (f.mandate->institution().empty())
    unknown.emplace_back("the mandate names no institution");
  if (!f.commission.ok()) unknown.push_back(Unreadable("the commission", f.commission.status()));
  if (f.rapporteur_institution.empty()) {
    unknown.emplace_back(
        "the rapporteur's own institution is not configured (--rapporteur_institution)");
  }
  if (!unknown.empty()) return Result(c, v1::CRITERION_STATUS_UNKNOWN, unknown);
  const std::string& coordinator = f.mandate->institution();
  const bool separate = f.rapporteur_institution != coordinator;
  const bool chairs = f.commission->chair_institution() == coordinator;
  return Result(
      c, Combine(separate + chairs, 2),
      {absl::StrCat("co-ordinator's institution: ", coordinator),
       absl::StrCat("rapporteur's institution: ", f.rapporteur_institution,
                    separate ? " (separate)" : " (the same: not independent)"),
       absl::StrCat(
           "commission chair institution: ",
           f.commission->chair_institution().empty() ? "none" : f.commission->chair_institution(),
           chairs ? " (the co-ordinator chairs)" : " (not the co-ordinator)")});
}

v1::CriterionResult Comprehensive(const ArchitectureFacts& f) {
  const auto c = v1::CRITERION_COMPREHENSIVE_MANDATE;
  std::vector<std::string> unknown;
  if (!f.mandate.ok()) unknown.push_back(Unreadable("the mandate", f.mandate.status()));
  if (f.plan.empty()) {
    unknown.emplace_back("there is no ADOPTED plan to check the coverage of");
  } else if (!f.coverage.ok()) {
    unknown.push_back(Unreadable(absl::StrCat("the coverage of ", f.plan), f.coverage.status()));
  }
  if (!unknown.empty()) return Result(c, v1::CRITERION_STATUS_UNKNOWN, unknown);
  std::vector<std::string> missing;
  for (const int form : ConcreteForms()) {
    bool in_scope = false;
    for (int s : f.mandate->forms_in_scope()) in_scope = in_scope || s == form;
    if (!in_scope) missing.push_back(tv1::FormOfExploitation_Name(form));
  }
  const bool mandate_all = missing.empty();
  const bool plan_covers = f.coverage->mandate_forms_not_covered().empty();
  return Result(
      c, Combine(mandate_all + plan_covers, 2),
      {mandate_all ? "the mandate covers every form of exploitation"
                   : absl::StrCat("forms outside the mandate: ", absl::StrJoin(missing, ", ")),
       plan_covers ? absl::StrCat(f.plan, " has measures for every form in the mandate")
                   : absl::StrCat(f.plan, " has no measures for: ",
                                  Forms(f.coverage->mandate_forms_not_covered()))});
}

v1::CriterionResult OutsideCriminalJustice(const ArchitectureFacts& f) {
  const auto c = v1::CRITERION_OUTSIDE_CRIMINAL_JUSTICE;
  if (!f.mandate.ok())
    return Result(c, v1::CRITERION_STATUS_UNKNOWN, {Unreadable("the mandate", f.mandate.status())});
  if (!f.coordinator_institution.ok()) {
    return Result(
        c, v1::CRITERION_STATUS_UNKNOWN,
        {Unreadable(absl::StrCat("the co-ordinator's institution ", f.mandate->institution()),
                    f.coordinator_institution.status())});
  }
  const auto sector = f.coordinator_institution->sector();
  std::vector<std::string> e = {absl::StrCat(f.coordinator_institution->name(), " (",
                                             f.coordinator_institution->display_name(),
                                             ") is in sector ", tv1::Sector_Name(sector))};
  if (sector == tv1::SECTOR_UNSPECIFIED) {
    e.emplace_back("the institution's sector is not recorded");
    return Result(c, v1::CRITERION_STATUS_UNKNOWN, e);
  }
  const bool criminal_justice = sector == tv1::SECTOR_LAW_ENFORCEMENT ||
                                sector == tv1::SECTOR_PROSECUTION ||
                                sector == tv1::SECTOR_JUDICIARY;
  return Result(c, criminal_justice ? v1::CRITERION_STATUS_NOT_MET : v1::CRITERION_STATUS_MET, e);
}

v1::CriterionResult CivilSociety(const ArchitectureFacts& f) {
  const auto c = v1::CRITERION_CIVIL_SOCIETY_AND_SURVIVORS;
  std::vector<std::string> unknown;
  if (!f.members.ok())
    unknown.push_back(Unreadable("the commission's members", f.members.status()));
  if (!f.consultations.ok())
    unknown.push_back(Unreadable("the commission's consultations", f.consultations.status()));
  if (!unknown.empty()) return Result(c, v1::CRITERION_STATUS_UNKNOWN, unknown);
  int civil = 0, survivors = 0;
  for (const cmv1::Member& m : *f.members) {
    if (IsSet(m.term_end()) && ToCivilDay(m.term_end()) < f.today) continue;  // seat no longer held
    civil += m.seat() == cmv1::SEAT_CIVIL_SOCIETY;
    survivors += m.seat() == cmv1::SEAT_SURVIVOR_LEADER;
  }
  const size_t consultations = f.consultations->size();
  return Result(c, Combine((civil > 0) + (survivors > 0) + (consultations > 0), 3),
                {absl::StrCat("civil-society seats held: ", civil),
                 absl::StrCat("survivor-leader seats held: ", survivors),
                 absl::StrCat("consultations held by the commission: ", consultations)});
}

v1::CriterionResult InternationalRole(const ArchitectureFacts& f) {
  const auto c = v1::CRITERION_INTERNATIONAL_ROLE;
  for (const absl::Status& s :
       {f.recent_engagements.status(), f.obligations.status(), f.obligations_recorded.status()}) {
    if (!s.ok())
      return Result(c, v1::CRITERION_STATUS_UNKNOWN,
                    {Unreadable("the coordinator's international record", s)});
  }
  std::vector<std::string> e;
  int held = 0;
  if (f.recent_engagements->empty()) {
    e.emplace_back("no international engagement recorded in the last 365 days");
  } else {
    ++held;
    std::vector<std::string> fora;
    for (const auto& engagement : *f.recent_engagements) {
      if (fora.size() < 5) fora.push_back(engagement.forum());
    }
    e.push_back(absl::StrCat(
        f.recent_engagements->size(), " international engagements in the last 365 days (",
        absl::StrJoin(fora, "; "), f.recent_engagements->size() > fora.size() ? "; ..." : "", ")"));
  }
  if (*f.obligations_recorded == 0) {
    e.emplace_back("no reporting obligation to a monitoring body is recorded");
  } else if (f.obligations->overdue_count() > 0) {
    std::vector<std::string> late;
    for (const auto& entry : f.obligations->entries()) {
      if (entry.overdue()) {
        late.push_back(
            absl::StrCat(entry.monitoring_body(), " (due ", FormatDate(entry.due_date()), ")"));
      }
    }
    e.push_back(absl::StrCat(f.obligations->overdue_count(), " of ", *f.obligations_recorded,
                             " reporting obligations overdue: ", absl::StrJoin(late, "; ")));
  } else {
    ++held;
    e.push_back(
        absl::StrCat(*f.obligations_recorded, " reporting obligations recorded, none overdue"));
  }
  return Result(c, Combine(held, 2), e);
}

}  // namespace

std::vector<v1::CriterionResult> AssessArchitecture(const ArchitectureFacts& facts) {
  return {Placement(facts),     SeparateAndChairs(facts),
          Comprehensive(facts), OutsideCriminalJustice(facts),
          CivilSociety(facts),  InternationalRole(facts)};
}

}  // namespace thb::rapporteur
