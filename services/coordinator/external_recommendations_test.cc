// The register of external recommendations: intake checks, responses by the office or a
// responsible institution linked to measures (the follow-up history), the summary's clusters and
// the draft State report, which never carries the office's internal notes.
#include "services/coordinator/external_recommendations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/errors.h"
#include "services/coordinator/action_plans_fixture.h"
#include "services/coordinator/reporting_obligations.h"

namespace thb::coordinator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
namespace t = thb::type::v1;

class ExternalRecommendationsTest : public ActionPlansTest {
 protected:
  ExternalRecommendationsTest() : obligations_(*db_, clock_), register_(*db_, clock_) {
    MakePlanWithOneMeasure();
    Adopt();
    v1::CreateReportingObligationRequest o;
    o.set_obligation_id("greta");
    o.mutable_obligation()->set_title("GRETA evaluation, fourth round");
    o.mutable_obligation()->set_monitoring_body("GRETA (Council of Europe)");
    o.mutable_obligation()->set_body_kind(v1::MONITORING_BODY_KIND_REGIONAL);
    o.mutable_obligation()->set_cycle_months(48);
    *o.mutable_obligation()->mutable_next_due_date() = ToDate(absl::CivilDay(2025, 9, 30));
    EXPECT_TRUE(obligations_.Create(AuditActor::Internal(), o).ok());
    v1::CreateReportingCycleRequest c;
    c.set_parent("obligations/greta");
    c.set_cycle_id("round-4");
    c.mutable_cycle()->set_label("Reply to the fourth-round questionnaire");
    EXPECT_TRUE(obligations_.CreateCycle(AuditActor::Internal(), c).ok());
  }

  v1::ExternalRecommendation Make(const std::string& id, t::Pillar pillar,
                                  const std::string& reference, const std::string& theme) {
    v1::CreateExternalRecommendationRequest r;
    r.set_external_recommendation_id(id);
    v1::ExternalRecommendation* x = r.mutable_external_recommendation();
    x->set_source("GRETA (Council of Europe)");
    x->set_source_kind(v1::MONITORING_BODY_KIND_REGIONAL);
    x->set_obligation("obligations/greta");
    x->set_reference(reference);
    *x->mutable_issued_on() = ToDate(absl::CivilDay(2024, 6, 20));
    x->set_text("GRETA urges the authorities to " + id + ".");
    x->add_themes(theme);
    x->set_pillar(pillar);
    x->add_responsible_institutions("institutions/police");
    x->add_sdg_targets("16.2");
    absl::StatusOr<v1::ExternalRecommendation> made = register_.Create(AuditActor::Internal(), r);
    EXPECT_TRUE(made.ok()) << made.status();
    return *made;
  }

  absl::StatusOr<v1::ExternalRecommendation> Respond(const Principal& who, const std::string& name,
                                                     v1::FollowUpStatus status,
                                                     const std::string& measure = "") {
    v1::RespondToExternalRecommendationRequest r;
    r.set_name(name);
    r.mutable_follow_up()->set_text("Shelter capacity doubled in 2025.");
    r.mutable_follow_up()->set_status(status);
    if (!measure.empty()) r.mutable_follow_up()->add_linked_measures(measure);
    r.mutable_follow_up()->set_internal_note("minister wants this quiet");
    return register_.Respond(AuditActor::Internal(), who, r);
  }

  ReportingObligations obligations_;
  ExternalRecommendations register_;
};

TEST_F(ExternalRecommendationsTest, IntakeIsCheckedAndThemesNormalised) {
  v1::CreateExternalRecommendationRequest r;
  v1::ExternalRecommendation* x = r.mutable_external_recommendation();
  x->set_obligation("obligations/none");
  x->add_sdg_targets("18.1");
  x->add_sdg_targets("5.2");
  x->add_forms(static_cast<t::FormOfExploitation>(99));
  absl::StatusOr<v1::ExternalRecommendation> bad = register_.Create(AuditActor::Internal(), r);
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldViolation& v : GetFieldViolations(bad.status())) fields.push_back(v.field);
  EXPECT_THAT(fields,
              ::testing::IsSupersetOf(
                  {"external_recommendation.source", "external_recommendation.text",
                   "external_recommendation.pillar", "external_recommendation.sdg_targets[0]"}));
  // A well-formed one naming an obligation that does not exist writes nothing.
  v1::ExternalRecommendation made =
      Make("identify", t::PILLAR_PROTECTION, "para. 12", "  Victim Identification ");
  EXPECT_THAT(made.themes(), ElementsAre("victim identification"));
  EXPECT_EQ(made.status(), v1::FOLLOW_UP_STATUS_NOT_STARTED);
  r = {};
  r.mutable_external_recommendation()->CopyFrom(made);
  r.mutable_external_recommendation()->set_obligation("obligations/none");
  r.set_external_recommendation_id("orphan");
  EXPECT_EQ(register_.Create(AuditActor::Internal(), r).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(register_.Get("externalRecommendations/orphan").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ExternalRecommendationsTest, ResponsesBuildTheHistoryAndOnlyResponsibleInstitutionsRespond) {
  Make("identify", t::PILLAR_PROTECTION, "para. 12", "victim identification");
  Principal ngo = police_;
  ngo.institution = "institutions/ngo";
  absl::StatusOr<v1::ExternalRecommendation> refused =
      Respond(ngo, "externalRecommendations/identify", v1::FOLLOW_UP_STATUS_IMPLEMENTED);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(refused.status()), "NOT_RESPONSIBLE_INSTITUTION");
  absl::StatusOr<v1::ExternalRecommendation> bad_link =
      Respond(police_, "externalRecommendations/identify", v1::FOLLOW_UP_STATUS_IN_PROGRESS,
              "plans/nap/measures/none");
  EXPECT_EQ(bad_link.status().code(), absl::StatusCode::kInvalidArgument);

  absl::StatusOr<v1::ExternalRecommendation> first =
      Respond(police_, "externalRecommendations/identify", v1::FOLLOW_UP_STATUS_IN_PROGRESS,
              "plans/nap/measures/shelter");
  ASSERT_TRUE(first.ok()) << first.status();
  clock_.Set(absl::FromCivil(absl::CivilDay(2025, 9, 1), absl::UTCTimeZone()));
  absl::StatusOr<v1::ExternalRecommendation> second = Respond(
      office_, "externalRecommendations/identify", v1::FOLLOW_UP_STATUS_PARTIALLY_IMPLEMENTED);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->status(), v1::FOLLOW_UP_STATUS_PARTIALLY_IMPLEMENTED);
  ASSERT_EQ(second->follow_ups_size(), 2);
  EXPECT_EQ(second->follow_ups(0).responding_institution(), "institutions/police");
  EXPECT_EQ(ToCivilDay(second->follow_ups(0).as_of()), absl::CivilDay(2025, 3, 1));
  EXPECT_EQ(ToCivilDay(second->follow_ups(1).as_of()), absl::CivilDay(2025, 9, 1));
  EXPECT_THAT(second->linked_measures(), ElementsAre("plans/nap/measures/shelter"));

  // The history is kept: no delete, and the linked measure stays while it is named.
  v1::DeleteExternalRecommendationRequest del;
  del.set_name("externalRecommendations/identify");
  EXPECT_EQ(ReasonOf(register_.Delete(AuditActor::Internal(), del)),
            "RECOMMENDATION_HAS_RESPONSES");
  v1::DeleteMeasureRequest dm;
  dm.set_name("plans/nap/measures/shelter");
  dm.set_revision_reason("merged into another measure");
  EXPECT_EQ(ReasonOf(plans_->DeleteMeasure(AuditActor::Internal(), office_, dm)),
            "RESOURCE_REFERENCED");
  // Nor does an institution that answered disappear from under the history, even once it is no
  // longer responsible.
  v1::UpdateExternalRecommendationRequest add;
  add.mutable_external_recommendation()->set_name("externalRecommendations/identify");
  add.mutable_external_recommendation()->add_responsible_institutions("institutions/labour");
  add.mutable_update_mask()->add_paths("responsible_institutions");
  ASSERT_TRUE(register_.Update(AuditActor::Internal(), add).ok());
  Principal labour = police_;
  labour.institution = "institutions/labour";
  ASSERT_TRUE(
      Respond(labour, "externalRecommendations/identify", v1::FOLLOW_UP_STATUS_IN_PROGRESS).ok());
  add.mutable_external_recommendation()->clear_responsible_institutions();
  add.mutable_external_recommendation()->add_responsible_institutions("institutions/police");
  ASSERT_TRUE(register_.Update(AuditActor::Internal(), add).ok());
  v1::DeleteInstitutionRequest di;
  di.set_name("institutions/labour");
  EXPECT_EQ(ReasonOf(registry_->Delete(AuditActor::Internal(), di)), "RESOURCE_REFERENCED");
  // An update cannot rewrite the follow-up.
  v1::UpdateExternalRecommendationRequest u;
  u.mutable_external_recommendation()->set_name("externalRecommendations/identify");
  u.mutable_external_recommendation()->set_status(v1::FOLLOW_UP_STATUS_IMPLEMENTED);
  u.mutable_external_recommendation()->clear_follow_ups();
  u.mutable_update_mask()->add_paths("status");
  u.mutable_update_mask()->add_paths("follow_ups");
  absl::StatusOr<v1::ExternalRecommendation> updated = register_.Update(AuditActor::Internal(), u);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->status(), v1::FOLLOW_UP_STATUS_IN_PROGRESS);
  EXPECT_EQ(updated->follow_ups_size(), 3);
}

// What links a measure is public: a draft plan's measures are never named in it.
TEST_F(ExternalRecommendationsTest, AResponseLinksOnlyMeasuresOfAdoptedPlans) {
  Make("identify", t::PILLAR_PROTECTION, "para. 12", "victim identification");
  MakePlan("draft-nap");
  v1::CreateObjectiveRequest o;
  o.set_parent("plans/draft-nap");
  o.set_objective_id("o");
  o.mutable_objective()->set_title("Objective");
  o.mutable_objective()->set_pillar(t::PILLAR_PROTECTION);
  ASSERT_TRUE(plans_->CreateObjective(AuditActor::Internal(), office_, o).ok());
  v1::CreateMeasureRequest m = MeasureRequest("secret");
  m.set_parent("plans/draft-nap");
  m.mutable_measure()->set_objective("plans/draft-nap/objectives/o");
  ASSERT_TRUE(plans_->CreateMeasure(AuditActor::Internal(), office_, m).ok());
  absl::StatusOr<v1::ExternalRecommendation> refused =
      Respond(office_, "externalRecommendations/identify", v1::FOLLOW_UP_STATUS_IN_PROGRESS,
              "plans/draft-nap/measures/secret");
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(GetFieldViolations(refused.status())[0].description, HasSubstr("not adopted"));
  EXPECT_EQ(register_.Get("externalRecommendations/identify")->follow_ups_size(), 0);
}

TEST_F(ExternalRecommendationsTest, SummaryClustersByThemePillarAndSource) {
  Make("identify", t::PILLAR_PROTECTION, "para. 12", "victim identification");
  Make("train", t::PILLAR_PREVENTION, "para. 3", "victim identification");
  Make("prosecute", t::PILLAR_PROSECUTION, "para. 20", "sanctions");
  ASSERT_TRUE(Respond(office_, "externalRecommendations/train", v1::FOLLOW_UP_STATUS_IMPLEMENTED,
                      "plans/nap/measures/shelter")
                  .ok());
  absl::StatusOr<v1::ExternalRecommendationSummary> s = register_.Summarize({});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->total().total(), 3);
  EXPECT_EQ(s->total().implemented(), 1);
  EXPECT_EQ(s->total().not_started(), 2);
  EXPECT_EQ(s->total().linked_to_measures(), 1);
  ASSERT_EQ(s->by_theme_size(), 2);
  EXPECT_EQ(s->by_theme(0).theme(), "sanctions");
  EXPECT_EQ(s->by_theme(1).theme(), "victim identification");
  EXPECT_EQ(s->by_theme(1).total(), 2);
  ASSERT_EQ(s->by_pillar_size(), 3);
  EXPECT_EQ(s->by_pillar(0).pillar(), t::PILLAR_PREVENTION);
  ASSERT_EQ(s->by_source_size(), 1);
  EXPECT_EQ(s->by_source(0).total(), 3);
  v1::SummarizeExternalRecommendationsRequest other;
  other.set_obligation("obligations/other");
  EXPECT_EQ(register_.Summarize(other)->total().total(), 0);
  other.set_obligation("not a name");
  EXPECT_EQ(register_.Summarize(other).status().code(), absl::StatusCode::kInvalidArgument);

  v1::ListExternalRecommendationsRequest list;
  list.set_filter("theme = \"Victim identification\" AND status = NOT_STARTED");
  EXPECT_EQ(register_.List(list)->external_recommendations(0).name(),
            "externalRecommendations/identify");
  list.set_filter("sdg_target = \"16.2\" AND pillar = PROSECUTION");
  EXPECT_EQ(register_.List(list)->external_recommendations_size(), 1);
  list.set_filter("status = WHATEVER");
  EXPECT_EQ(register_.List(list).status().code(), absl::StatusCode::kInvalidArgument);
  list.set_filter("pillar = PROTECTION AND pillar = PREVENTION");  // one field, compared once
  EXPECT_EQ(register_.List(list).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ExternalRecommendationsTest, TheDraftReportCompilesFollowUpWithoutInternalNotes) {
  Make("identify", t::PILLAR_PROTECTION, "para. 12", "victim identification");
  Make("train", t::PILLAR_PREVENTION, "para. 3", "training");
  ASSERT_TRUE(Respond(police_, "externalRecommendations/identify", v1::FOLLOW_UP_STATUS_IN_PROGRESS,
                      "plans/nap/measures/shelter")
                  .ok());
  absl::StatusOr<v1::ObligationReportDraft> draft =
      register_.DraftReport("obligations/greta/cycles/round-4");
  ASSERT_TRUE(draft.ok()) << draft.status();
  ASSERT_EQ(draft->entries_size(), 2);
  EXPECT_EQ(draft->entries(0).recommendation(), "externalRecommendations/train");  // PREVENTION
  EXPECT_EQ(draft->entries(1).follow_ups_size(), 1);
  EXPECT_TRUE(draft->entries(1).follow_ups(0).internal_note().empty());
  EXPECT_THAT(draft->entries(1).measures(),
              ElementsAre("Shelter places for victims (Planned, 0 %)"));
  EXPECT_THAT(draft->markdown(), HasSubstr("# Draft report to GRETA (Council of Europe)"));
  EXPECT_THAT(draft->markdown(), HasSubstr("## Protection"));
  EXPECT_THAT(draft->markdown(), HasSubstr("Institution police: Shelter capacity doubled"));
  EXPECT_THAT(draft->markdown(), HasSubstr("**Status:** In progress"));
  EXPECT_THAT(draft->markdown(), Not(HasSubstr("minister wants")));
  EXPECT_THAT(draft->DebugString(), Not(HasSubstr("minister wants")));
  EXPECT_EQ(register_.DraftReport("obligations/greta/cycles/none").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace thb::coordinator
