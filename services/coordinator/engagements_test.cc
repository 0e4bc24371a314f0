// Engagements: validation, references to the registry, filters by period, kind, forum, partner
// and institution, and the link index that keeps a named institution from being deleted.
#include "services/coordinator/engagements.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/errors.h"
#include "services/coordinator/action_plans_fixture.h"

namespace thb::coordinator {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class EngagementsTest : public ActionPlansTest {
 protected:
  EngagementsTest() : engagements_(*db_, clock_) {}

  static v1::CreateEngagementRequest Request(const std::string& id, absl::CivilDay start) {
    v1::CreateEngagementRequest r;
    r.set_engagement_id(id);
    v1::Engagement* e = r.mutable_engagement();
    e->set_title("Alliance conference " + id);
    e->set_kind(v1::Engagement::KIND_MULTILATERAL_FORUM);
    e->set_forum("OSCE Alliance against Trafficking in Persons");
    *e->mutable_start_date() = ToDate(start);
    *e->mutable_end_date() = ToDate(start + 2);
    e->add_partner_states("AUT");
    e->add_partner_organizations("UNODC");
    e->add_institutions("institutions/labour");
    e->set_outcomes("Agreed to exchange practice on labour inspection.");
    v1::FollowUpAction* a = e->add_follow_up_actions();
    a->set_description("Share the inspection guideline");
    a->set_responsible_institution("institutions/police");
    e->set_internal_notes("partner sceptical");
    return r;
  }

  std::vector<std::string> Names(const v1::ListEngagementsRequest& r) {
    absl::StatusOr<v1::ListEngagementsResponse> list = engagements_.List(r);
    EXPECT_TRUE(list.ok()) << list.status();
    std::vector<std::string> names;
    for (const auto& e : list->engagements()) names.push_back(e.name());
    return names;
  }

  Engagements engagements_;
};

TEST_F(EngagementsTest, BadInputNamesEveryFieldAndWritesNothing) {
  v1::CreateEngagementRequest r = Request("bad", absl::CivilDay(2025, 5, 10));
  r.mutable_engagement()->clear_title();
  r.mutable_engagement()->set_kind(static_cast<v1::Engagement::Kind>(42));
  *r.mutable_engagement()->mutable_end_date() = ToDate(absl::CivilDay(2025, 5, 1));
  r.mutable_engagement()->add_partner_states("Austria");
  r.mutable_engagement()->mutable_follow_up_actions(0)->clear_description();
  absl::StatusOr<v1::Engagement> e = engagements_.Create(AuditActor::Internal(), r);
  ASSERT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldViolation& v : GetFieldViolations(e.status())) fields.push_back(v.field);
  EXPECT_THAT(fields, UnorderedElementsAre("engagement.title", "engagement.kind",
                                           "engagement.end_date", "engagement.partner_states[1]",
                                           "engagement.follow_up_actions[0].description"));
  // References are checked in the transaction: an unregistered institution writes nothing.
  r = Request("ghost", absl::CivilDay(2025, 5, 10));
  r.mutable_engagement()->add_institutions("institutions/nobody");
  e = engagements_.Create(AuditActor::Internal(), r);
  ASSERT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(e.status())[0].field, "engagement.institutions[1]");
  EXPECT_EQ(engagements_.Get("engagements/ghost").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(engagements_.Get("meetings/x").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(EngagementsTest, ListsByPeriodKindForumPartnerAndInstitution) {
  ASSERT_TRUE(
      engagements_.Create(AuditActor::Internal(), Request("a-2024", absl::CivilDay(2024, 11, 3)))
          .ok());
  ASSERT_TRUE(
      engagements_.Create(AuditActor::Internal(), Request("b-2025", absl::CivilDay(2025, 4, 7)))
          .ok());
  v1::CreateEngagementRequest bilateral = Request("c-bilateral", absl::CivilDay(2025, 12, 30));
  bilateral.mutable_engagement()->set_kind(v1::Engagement::KIND_BILATERAL_MEETING);
  bilateral.mutable_engagement()->set_forum("Bilateral talks");
  bilateral.mutable_engagement()->clear_partner_states();
  bilateral.mutable_engagement()->add_partner_states("DEU");
  bilateral.mutable_engagement()->clear_institutions();
  bilateral.mutable_engagement()->clear_end_date();
  ASSERT_TRUE(engagements_.Create(AuditActor::Internal(), bilateral).ok());

  v1::ListEngagementsRequest r;
  EXPECT_THAT(Names(r),
              ElementsAre("engagements/a-2024", "engagements/b-2025", "engagements/c-bilateral"));
  *r.mutable_period_start() = ToDate(absl::CivilDay(2025, 1, 1));
  *r.mutable_period_end() = ToDate(absl::CivilDay(2025, 12, 31));
  EXPECT_THAT(Names(r), ElementsAre("engagements/b-2025", "engagements/c-bilateral"));
  // An engagement that ends inside the period counts (4-6 November 2024 ends on the 5th).
  *r.mutable_period_start() = ToDate(absl::CivilDay(2024, 11, 5));
  *r.mutable_period_end() = ToDate(absl::CivilDay(2024, 11, 5));
  EXPECT_THAT(Names(r), ElementsAre("engagements/a-2024"));
  r.clear_period_start();
  r.clear_period_end();
  r.set_filter("kind = BILATERAL_MEETING");
  EXPECT_THAT(Names(r), ElementsAre("engagements/c-bilateral"));
  r.set_filter("partner = \"DEU\"");
  EXPECT_THAT(Names(r), ElementsAre("engagements/c-bilateral"));
  r.set_filter("partner = \"UNODC\" AND institution = \"institutions/labour\"");
  EXPECT_THAT(Names(r), ElementsAre("engagements/a-2024", "engagements/b-2025"));
  r.set_filter("forum = \"Bilateral talks\"");
  EXPECT_THAT(Names(r), ElementsAre("engagements/c-bilateral"));
  for (const char* bad : {"kind = PICNIC", "budget = 3", "partner",
                          "kind = BILATERAL_MEETING AND kind = MULTILATERAL_FORUM"}) {
    r.set_filter(bad);
    EXPECT_EQ(engagements_.List(r).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  r.set_filter("");
  *r.mutable_period_start() = ToDate(absl::CivilDay(2025, 12, 31));
  *r.mutable_period_end() = ToDate(absl::CivilDay(2025, 1, 1));
  EXPECT_EQ(engagements_.List(r).status().code(), absl::StatusCode::kInvalidArgument);
  r.clear_period_start();
  r.clear_period_end();
  r.set_page_size(1);
  absl::StatusOr<v1::ListEngagementsResponse> first = engagements_.List(r);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->next_page_token().empty());
  // The token belongs to this request: another filter refuses it.
  r.set_page_token(first->next_page_token());
  r.set_filter("kind = BILATERAL_MEETING");
  EXPECT_EQ(engagements_.List(r).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(EngagementsTest, NamedInstitutionsCannotBeDeletedAndArchivedOnesStay) {
  absl::StatusOr<v1::Engagement> e =
      engagements_.Create(AuditActor::Internal(), Request("forum", absl::CivilDay(2025, 6, 1)));
  ASSERT_TRUE(e.ok()) << e.status();
  v1::DeleteInstitutionRequest del;
  del.set_name("institutions/labour");
  absl::Status refused = registry_->Delete(AuditActor::Internal(), del);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(refused), "RESOURCE_REFERENCED");
  EXPECT_THAT(std::string(refused.message()), ::testing::HasSubstr("engagements/forum"));

  // Archived after the fact, it stays on the engagement through later edits...
  v1::ArchiveInstitutionRequest archive;
  archive.set_name("institutions/labour");
  ASSERT_TRUE(registry_->Archive(AuditActor::Internal(), archive).ok());
  v1::UpdateEngagementRequest u;
  u.mutable_engagement()->set_name("engagements/forum");
  u.mutable_engagement()->set_outcomes("Guideline shared in July.");
  u.mutable_update_mask()->add_paths("outcomes");
  absl::StatusOr<v1::Engagement> updated = engagements_.Update(AuditActor::Internal(), u);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->institutions(0), "institutions/labour");
  EXPECT_NE(updated->etag(), e->etag());
  // ...but is not newly added to another.
  absl::StatusOr<v1::Engagement> again =
      engagements_.Create(AuditActor::Internal(), Request("second", absl::CivilDay(2025, 7, 1)));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kInvalidArgument);
  // A stale etag is refused.
  u.mutable_engagement()->set_etag(e->etag());
  EXPECT_EQ(engagements_.Update(AuditActor::Internal(), u).status().code(),
            absl::StatusCode::kAborted);

  v1::DeleteEngagementRequest gone;
  gone.set_name("engagements/forum");
  ASSERT_TRUE(engagements_.Delete(AuditActor::Internal(), gone).ok());
  del.set_name("institutions/police");  // the follow-up action's institution is free again too
  // police still leads the fixture's measures only when a plan exists; here it is free.
  EXPECT_TRUE(registry_->Delete(AuditActor::Internal(), del).ok());
  del.set_name("institutions/labour");
  EXPECT_TRUE(registry_->Delete(AuditActor::Internal(), del).ok());
}

TEST_F(EngagementsTest, ARetryWithTheSameRequestIdAnswersTheFirstResult) {
  v1::CreateEngagementRequest r = Request("", absl::CivilDay(2025, 6, 1));
  r.set_request_id("5b0c6f1e-retry");
  absl::StatusOr<v1::Engagement> first = engagements_.Create(AuditActor::Internal(), r);
  absl::StatusOr<v1::Engagement> second = engagements_.Create(AuditActor::Internal(), r);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->name(), second->name());
  EXPECT_THAT(Names({}), ElementsAre(first->name()));
}

}  // namespace
}  // namespace thb::coordinator
