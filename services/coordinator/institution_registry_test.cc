#include "services/coordinator/institution_registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/errors.h"
#include "services/common/testing/test_support.h"
#include "services/coordinator/action_plans_fixture.h"
#include "services/coordinator/coordinator_schema.h"

namespace thb::coordinator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class RegistryTest : public ::testing::Test {
 protected:
  RegistryTest() : clock_(absl::FromUnixSeconds(1'750'000'000)) {
    db_ = *OpenDatabase(dir_.File("c.db"));
    EXPECT_TRUE(db_->ApplyMigrations("common", CommonMigrations()).ok());
    EXPECT_TRUE(db_->ApplyMigrations("coordinator", CoordinatorMigrations()).ok());
    registry_ = std::make_unique<InstitutionRegistry>(*db_, clock_);
  }

  v1::CreateInstitutionRequest Ministry(const std::string& id = "ministry") {
    v1::CreateInstitutionRequest r;
    r.set_institution_id(id);
    r.mutable_institution()->set_display_name("Ministry of Interior");
    r.mutable_institution()->set_sector(thb::type::v1::SECTOR_GOVERNMENT_POLICY);
    r.mutable_institution()->set_kind(v1::INSTITUTION_KIND_GOVERNMENT);
    return r;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<InstitutionRegistry> registry_;
};

TEST_F(RegistryTest, CreateThenGet) {
  absl::StatusOr<v1::Institution> created = registry_->Create(AuditActor::Internal(), Ministry());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "institutions/ministry");
  EXPECT_EQ(created->state(), v1::Institution::STATE_ACTIVE);
  EXPECT_EQ(created->create_time().seconds(), 1'750'000'000);
  EXPECT_FALSE(created->etag().empty());
  absl::StatusOr<v1::Institution> got = registry_->Get("institutions/ministry");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->display_name(), "Ministry of Interior");
  EXPECT_EQ(registry_->Get("institutions/nope").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(registry_->Get("members/x").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RegistryTest, InvalidInputListsEveryViolationAndWritesNothing) {
  v1::CreateInstitutionRequest r;
  r.set_institution_id("Bad Id");
  r.mutable_institution()->set_region("Vienna");
  r.mutable_institution()->set_contact_email("not-an-address");
  r.mutable_institution()->set_parent("ministries/1");
  absl::Status s = registry_->Create(AuditActor::Internal(), r).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(testing::ViolatedFields(s),
              UnorderedElementsAre("institution.display_name", "institution.sector",
                                   "institution.kind", "institution.parent", "institution.region",
                                   "institution.contact_email", "institution_id"));
  EXPECT_EQ(registry_->List({})->institutions_size(), 0);
}

TEST_F(RegistryTest, DuplicateIdIsAlreadyExists) {
  ASSERT_TRUE(registry_->Create(AuditActor::Internal(), Ministry()).ok());
  EXPECT_EQ(registry_->Create(AuditActor::Internal(), Ministry()).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(RegistryTest, RetriedCreateWithSameRequestIdReturnsFirstResult) {
  v1::CreateInstitutionRequest r = Ministry("");
  r.set_request_id("retry-1");
  absl::StatusOr<v1::Institution> first = registry_->Create(AuditActor::Internal(), r);
  absl::StatusOr<v1::Institution> second = registry_->Create(AuditActor::Internal(), r);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->name(), second->name());
  EXPECT_EQ(registry_->List({})->institutions_size(), 1);
}

TEST_F(RegistryTest, ParentMustExist) {
  v1::CreateInstitutionRequest r = Ministry("agency");
  r.mutable_institution()->set_parent("institutions/ministry");
  EXPECT_THAT(testing::ViolatedFields(registry_->Create(AuditActor::Internal(), r).status()),
              ElementsAre("institution.parent"));
  ASSERT_TRUE(registry_->Create(AuditActor::Internal(), Ministry()).ok());
  EXPECT_TRUE(registry_->Create(AuditActor::Internal(), r).ok());
}

TEST_F(RegistryTest, ListPagesThroughEverythingInOrder) {
  for (int i = 0; i < 7; ++i)
    ASSERT_TRUE(registry_->Create(AuditActor::Internal(), Ministry("m" + std::to_string(i))).ok());
  std::vector<std::string> names;
  v1::ListInstitutionsRequest req;
  req.set_page_size(3);
  int pages = 0;
  do {
    absl::StatusOr<v1::ListInstitutionsResponse> page = registry_->List(req);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& i : page->institutions()) names.push_back(i.name());
    req.set_page_token(page->next_page_token());
    ++pages;
  } while (!req.page_token().empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(names.size(), 7u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST_F(RegistryTest, ListFiltersBySectorAndHidesArchived) {
  ASSERT_TRUE(registry_->Create(AuditActor::Internal(), Ministry("ministry")).ok());
  v1::CreateInstitutionRequest ngo = Ministry("ngo");
  ngo.mutable_institution()->set_sector(thb::type::v1::SECTOR_CIVIL_SOCIETY);
  ngo.mutable_institution()->set_kind(v1::INSTITUTION_KIND_CIVIL_SOCIETY);
  ASSERT_TRUE(registry_->Create(AuditActor::Internal(), ngo).ok());
  v1::ListInstitutionsRequest by_sector;
  by_sector.set_sector(thb::type::v1::SECTOR_CIVIL_SOCIETY);
  ASSERT_EQ(registry_->List(by_sector)->institutions_size(), 1);
  EXPECT_EQ(registry_->List(by_sector)->institutions(0).name(), "institutions/ngo");

  v1::ArchiveInstitutionRequest archive;
  archive.set_name("institutions/ngo");
  ASSERT_TRUE(registry_->Archive(AuditActor::Internal(), archive).ok());
  EXPECT_EQ(registry_->List({})->institutions_size(), 1);
  v1::ListInstitutionsRequest all;
  all.set_show_archived(true);
  EXPECT_EQ(registry_->List(all)->institutions_size(), 2);
}

TEST_F(RegistryTest, UpdateAppliesMaskAndChecksEtag) {
  v1::Institution created = *registry_->Create(AuditActor::Internal(), Ministry());
  clock_.Advance(absl::Minutes(5));
  v1::UpdateInstitutionRequest u;
  u.mutable_institution()->set_name(created.name());
  u.mutable_institution()->set_display_name("Ministry of the Interior");
  u.mutable_institution()->set_region("AT-9");  // not in the mask: unchanged
  u.mutable_institution()->set_etag(created.etag());
  u.mutable_update_mask()->add_paths("display_name");
  u.mutable_update_mask()->add_paths("etag");  // output only: ignored (AIP-203)
  absl::StatusOr<v1::Institution> updated = registry_->Update(AuditActor::Internal(), u);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name(), "Ministry of the Interior");
  EXPECT_EQ(updated->region(), "");
  EXPECT_NE(updated->etag(), created.etag());
  EXPECT_EQ(updated->update_time().seconds(), 1'750'000'300);

  // The same (now stale) etag again: ABORTED, nothing changes.
  u.mutable_institution()->set_display_name("Something else");
  EXPECT_EQ(registry_->Update(AuditActor::Internal(), u).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(registry_->Get(created.name())->display_name(), "Ministry of the Interior");

  u.clear_update_mask();
  u.mutable_update_mask()->add_paths("no_such_field");
  EXPECT_THAT(testing::ViolatedFields(registry_->Update(AuditActor::Internal(), u).status()),
              ElementsAre("update_mask"));
}

TEST_F(RegistryTest, UpdateValidatesTheResult) {
  v1::Institution created = *registry_->Create(AuditActor::Internal(), Ministry());
  v1::UpdateInstitutionRequest u;
  u.mutable_institution()->set_name(created.name());
  u.mutable_update_mask()->add_paths("display_name");  // clearing a required field
  EXPECT_THAT(testing::ViolatedFields(registry_->Update(AuditActor::Internal(), u).status()),
              ElementsAre("institution.display_name"));
  u.mutable_update_mask()->Clear();
  u.mutable_update_mask()->add_paths("parent");
  u.mutable_institution()->set_parent(created.name());
  EXPECT_THAT(testing::ViolatedFields(registry_->Update(AuditActor::Internal(), u).status()),
              ElementsAre("institution.parent"));
}

TEST_F(RegistryTest, ReferencedInstitutionCannotBeDeletedOnlyArchived) {
  ASSERT_TRUE(registry_->Create(AuditActor::Internal(), Ministry()).ok());
  v1::CreateInstitutionRequest agency = Ministry("agency");
  agency.mutable_institution()->set_parent("institutions/ministry");
  ASSERT_TRUE(registry_->Create(AuditActor::Internal(), agency).ok());
  v1::DeleteInstitutionRequest del;
  del.set_name("institutions/ministry");
  absl::Status s = registry_->Delete(AuditActor::Internal(), del);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("archive it instead"));
  del.set_name("institutions/agency");
  del.set_request_id("delete-agency");
  EXPECT_TRUE(registry_->Delete(AuditActor::Internal(), del).ok());
  EXPECT_EQ(registry_->Get("institutions/agency").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(registry_->Delete(AuditActor::Internal(), del)
                  .ok());  // a retry with the same request_id succeeds again
  del.clear_request_id();
  EXPECT_EQ(registry_->Delete(AuditActor::Internal(), del).code(), absl::StatusCode::kNotFound);
  del.set_name("institutions/ministry");
  EXPECT_TRUE(registry_->Delete(AuditActor::Internal(), del).ok());
}

// Measures name their institutions, so a lead or partner cannot be deleted.
using InstitutionReferencesTest = ActionPlansTest;

TEST_F(InstitutionReferencesTest, ReferencedInstitutionCannotBeDeleted) {
  MakePlanWithOneMeasure();
  v1::DeleteInstitutionRequest del;
  del.set_name("institutions/ngo");  // a partner
  absl::Status s = registry_->Delete(AuditActor::Internal(), del);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("plans/nap/measures/shelter"));
}

}  // namespace
}  // namespace thb::coordinator
