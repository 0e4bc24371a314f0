// The real coordinator service in-process on port 0, called through a real gRPC stub.
#include "services/coordinator/coordinator_handler.h"

#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <thread>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/testing/test_support.h"
#include "services/coordinator/coordinator_service.h"

namespace thb::coordinator {
namespace {

using ::testing::IsEmpty;

class CoordinatorServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    runtime_ = *ServiceRuntime::Create(testing::TestConfig("coordinator", dir_));
    server_ = *CoordinatorServer::Create(*runtime_);
    ASSERT_TRUE(runtime_->Start(&server_->handler(), CoordinatorServer::Descriptor()).ok());
    channel_ = grpc::CreateChannel(runtime_->address(), grpc::InsecureChannelCredentials());
    stub_ = v1::CoordinatorService::NewStub(channel_);
  }
  void TearDown() override { runtime_->Shutdown(absl::Seconds(1)); }

  std::unique_ptr<grpc::ClientContext> As(const std::vector<std::string>& roles) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!roles.empty()) ctx->AddMetadata("authorization", "Bearer " + testing::Token(roles));
    return ctx;
  }

  v1::CreateInstitutionRequest Ngo() {
    v1::CreateInstitutionRequest r;
    r.set_institution_id("ngo");
    r.mutable_institution()->set_display_name("La Strada");
    r.mutable_institution()->set_sector(thb::type::v1::SECTOR_CIVIL_SOCIETY);
    r.mutable_institution()->set_kind(v1::INSTITUTION_KIND_CIVIL_SOCIETY);
    r.mutable_institution()->set_contact_email("office@ngo.example");
    return r;
  }

  testing::TempDir dir_;
  std::unique_ptr<ServiceRuntime> runtime_;
  std::unique_ptr<CoordinatorServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::CoordinatorService::Stub> stub_;
};

TEST_F(CoordinatorServiceTest, OfficeCreatesAndPublicReadsWithoutContactData) {
  v1::Institution created;
  grpc::Status s = stub_->CreateInstitution(As({roles::kCoordinatorOffice}).get(), Ngo(), &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(created.contact_email(), "office@ngo.example");

  v1::GetInstitutionRequest get;
  get.set_name("institutions/ngo");
  v1::Institution seen;
  ASSERT_TRUE(stub_->GetInstitution(As({}).get(), get, &seen).ok());
  EXPECT_EQ(seen.display_name(), "La Strada");
  EXPECT_THAT(seen.contact_email(), IsEmpty());
}

// Contact e-mails reach the Co-ordinator's office only: not the public, and not any other
// signed-in role (the review found every token read them), including the institution itself.
TEST_F(CoordinatorServiceTest, ContactEmailsReachTheOfficeOnly) {
  v1::Institution created;
  ASSERT_TRUE(
      stub_->CreateInstitution(As({roles::kCoordinatorOffice}).get(), Ngo(), &created).ok());
  v1::GetInstitutionRequest get;
  get.set_name("institutions/ngo");
  for (const std::string& role : AllRoles()) {
    for (const std::string& institution : {std::string(), std::string("institutions/ngo")}) {
      grpc::ClientContext get_ctx, list_ctx;
      const std::string token = testing::Token({role}, institution);
      get_ctx.AddMetadata("authorization", "Bearer " + token);
      list_ctx.AddMetadata("authorization", "Bearer " + token);
      v1::Institution seen;
      v1::ListInstitutionsResponse list;
      ASSERT_TRUE(stub_->GetInstitution(&get_ctx, get, &seen).ok()) << role;
      ASSERT_TRUE(stub_->ListInstitutions(&list_ctx, {}, &list).ok()) << role;
      ASSERT_EQ(list.institutions_size(), 1);
      const std::string expected = role == roles::kCoordinatorOffice ? "office@ngo.example" : "";
      EXPECT_EQ(seen.contact_email(), expected) << role << " " << institution;
      EXPECT_EQ(list.institutions(0).contact_email(), expected) << role << " " << institution;
      EXPECT_EQ(seen.display_name(), "La Strada");
    }
  }
}

TEST_F(CoordinatorServiceTest, NoTokenIsUnauthenticatedAndWrongRoleIsDenied) {
  v1::Institution out;
  EXPECT_EQ(stub_->CreateInstitution(As({}).get(), Ngo(), &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(
      stub_->CreateInstitution(As({roles::kRapporteurOffice}).get(), Ngo(), &out).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  grpc::ClientContext forged;
  forged.AddMetadata("authorization",
                     "Bearer " + testing::Token({roles::kCoordinatorOffice}) + "x");
  EXPECT_EQ(stub_->CreateInstitution(&forged, Ngo(), &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::ListInstitutionsResponse list;
  ASSERT_TRUE(stub_->ListInstitutions(As({}).get(), {}, &list).ok());
  EXPECT_EQ(list.institutions_size(), 0);  // nothing was written
}

// The first field violation in a status's BadRequest details, as a client reads it off the wire.
google::rpc::BadRequest::FieldViolation FirstViolation(const grpc::Status& s) {
  google::rpc::Status details;
  google::rpc::BadRequest br;
  if (!details.ParseFromString(s.error_details()) || details.details_size() == 0 ||
      !details.details(0).UnpackTo(&br) || br.field_violations_size() == 0) {
    return {};
  }
  return br.field_violations(0);
}

TEST_F(CoordinatorServiceTest, BadInputCarriesFieldViolationsOnTheWire) {
  v1::CreateInstitutionRequest bad = Ngo();
  bad.mutable_institution()->clear_display_name();
  v1::Institution out;
  grpc::Status s = stub_->CreateInstitution(As({roles::kCoordinatorOffice}).get(), bad, &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FirstViolation(s).field(), "institution.display_name");
}

TEST_F(CoordinatorServiceTest, OversizedFieldsAreRefusedBeforeTheHandlerAndStoreNothing) {
  v1::CreateInstitutionRequest big = Ngo();
  big.mutable_institution()->set_display_name(std::string(200 + 1, 'd'));
  v1::Institution out;
  grpc::Status s = stub_->CreateInstitution(As({roles::kCoordinatorOffice}).get(), big, &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FirstViolation(s).field(), "institution.display_name");
  EXPECT_THAT(FirstViolation(s).description(), ::testing::HasSubstr("longer than 200 bytes"));
  v1::GetInstitutionRequest get;
  get.set_name("institutions/ngo");
  EXPECT_EQ(stub_->GetInstitution(As({}).get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(CoordinatorServiceTest, MutationsAreAuditedWithTheCallerAndNothingElseIs) {
  v1::CreateInstitutionRequest create = Ngo();
  create.set_request_id("create-ngo-1");
  v1::Institution out;
  ASSERT_TRUE(stub_->CreateInstitution(As({roles::kCoordinatorOffice}).get(), create, &out).ok());
  // A retry with the same request_id, a refused call and a read append nothing.
  ASSERT_TRUE(stub_->CreateInstitution(As({roles::kCoordinatorOffice}).get(), create, &out).ok());
  v1::CreateInstitutionRequest bad = Ngo();
  bad.mutable_institution()->clear_display_name();
  ASSERT_FALSE(stub_->CreateInstitution(As({roles::kCoordinatorOffice}).get(), bad, &out).ok());
  v1::GetInstitutionRequest get;
  get.set_name("institutions/ngo");
  ASSERT_TRUE(stub_->GetInstitution(As({}).get(), get, &out).ok());

  thb::type::v1::ListAuditEventsResponse log;
  ASSERT_TRUE(stub_->ListAuditEvents(As({roles::kCoordinatorOffice}).get(), {}, &log).ok());
  ASSERT_EQ(log.audit_events_size(), 1);
  const thb::type::v1::AuditEvent& e = log.audit_events(0);
  EXPECT_EQ(e.actor(), "tester");
  EXPECT_EQ(e.role(), roles::kCoordinatorOffice);
  EXPECT_EQ(e.method(), "/thb.coordinator.v1.CoordinatorService/CreateInstitution");
  EXPECT_EQ(e.resource(), "institutions/ngo");
  EXPECT_EQ(e.request_id(), "create-ngo-1");

  thb::type::v1::AuditVerification verdict;
  ASSERT_TRUE(stub_->VerifyAuditChain(As({roles::kRapporteurOffice}).get(), {}, &verdict).ok());
  EXPECT_TRUE(verdict.intact());
  EXPECT_EQ(verdict.events_checked(), 1);
  // The log is for the office and the Rapporteur, not for the public or other pillars' staff.
  EXPECT_EQ(stub_->ListAuditEvents(As({}).get(), {}, &log).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(
      stub_->ListAuditEvents(As({roles::kCommissionSecretariat}).get(), {}, &log).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CoordinatorServiceTest, WatchChangesDeliversHistoryThenNewEventsInOrderAndResumes) {
  auto create = [&](const std::string& id) {
    v1::CreateInstitutionRequest r = Ngo();
    r.set_institution_id(id);
    v1::Institution out;
    ASSERT_TRUE(stub_->CreateInstitution(As({roles::kCoordinatorOffice}).get(), r, &out).ok());
  };
  create("a");
  create("b");
  create("c");
  {
    auto ctx = As({roles::kServiceCommission});
    thb::type::v1::WatchChangesRequest from;
    from.set_after_sequence(1);
    auto stream = stub_->WatchChanges(ctx.get(), from);
    thb::type::v1::AuditEvent e;
    ASSERT_TRUE(stream->Read(&e));
    EXPECT_EQ(e.sequence(), 2);
    EXPECT_EQ(e.resource(), "institutions/b");
    ASSERT_TRUE(stream->Read(&e));
    EXPECT_EQ(e.sequence(), 3);
    // Caught up: the next events arrive as they commit, in order.
    create("d");
    create("e");
    ASSERT_TRUE(stream->Read(&e));
    EXPECT_EQ(e.sequence(), 4);
    EXPECT_EQ(e.resource(), "institutions/d");
    ASSERT_TRUE(stream->Read(&e));
    EXPECT_EQ(e.sequence(), 5);
    EXPECT_EQ(e.previous_hash().size(), 64u);
    ctx->TryCancel();
    EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  // A reader that reconnects after event 4 resumes with event 5 and nothing before it.
  auto ctx = As({roles::kServiceRapporteur});
  thb::type::v1::WatchChangesRequest resume;
  resume.set_after_sequence(4);
  auto stream = stub_->WatchChanges(ctx.get(), resume);
  thb::type::v1::AuditEvent e;
  ASSERT_TRUE(stream->Read(&e));
  EXPECT_EQ(e.sequence(), 5);
  EXPECT_EQ(e.resource(), "institutions/e");
  ctx->TryCancel();
  stream->Finish();

  auto denied_ctx = As({roles::kRapporteurAnalyst});
  auto denied = stub_->WatchChanges(denied_ctx.get(), resume);
  EXPECT_FALSE(denied->Read(&e));
  EXPECT_EQ(denied->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
  auto bad_ctx = As({roles::kCoordinatorOffice});
  thb::type::v1::WatchChangesRequest negative;
  negative.set_after_sequence(-3);
  auto bad = stub_->WatchChanges(bad_ctx.get(), negative);
  EXPECT_FALSE(bad->Read(&e));
  EXPECT_EQ(bad->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CoordinatorServiceTest, ShutdownEndsWatchStreamsAtOnceNamingWhereToResume) {
  v1::Institution out;
  ASSERT_TRUE(stub_->CreateInstitution(As({roles::kCoordinatorOffice}).get(), Ngo(), &out).ok());
  auto ctx = As({roles::kServiceCommission});
  auto stream = stub_->WatchChanges(ctx.get(), thb::type::v1::WatchChangesRequest());
  thb::type::v1::AuditEvent e;
  ASSERT_TRUE(stream->Read(&e));
  // A drain deadline far beyond the test's patience: the stream must not wait for it.
  std::thread stopper([&] { runtime_->Shutdown(absl::Minutes(5)); });
  EXPECT_FALSE(stream->Read(&e));
  grpc::Status s = stream->Finish();
  stopper.join();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("after_sequence 1"));
}

TEST_F(CoordinatorServiceTest, HealthServesOverallAndPerServiceName) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  for (const std::string name : {"", "thb.coordinator.v1.CoordinatorService"}) {
    grpc::ClientContext ctx;
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(name);
    grpc::health::v1::HealthCheckResponse resp;
    ASSERT_TRUE(health->Check(&ctx, req, &resp).ok());
    EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING) << name;
  }
}

TEST_F(CoordinatorServiceTest, RequestIdIsEchoedAndServerMetricsCount) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("x-request-id", "trace-me-42");
  v1::Institution out;
  v1::GetInstitutionRequest get;
  get.set_name("institutions/absent");
  EXPECT_EQ(stub_->GetInstitution(&ctx, get, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  auto it = ctx.GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(it, ctx.GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(it->second.data(), it->second.size()), "trace-me-42");

  double not_found = -1, ok_create = -1;
  for (const auto& family : runtime_->metrics().registry().Collect()) {
    if (family.name != "grpc_server_handled_total") continue;
    for (const auto& m : family.metric) {
      std::map<std::string, std::string> l;
      for (const auto& p : m.label) l[p.name] = p.value;
      if (l["grpc_method"] == "GetInstitution" && l["grpc_code"] == "NOT_FOUND")
        not_found = m.counter.value;
      if (l["grpc_method"] == "CreateInstitution" && l["grpc_code"] == "OK")
        ok_create = m.counter.value;
    }
  }
  EXPECT_EQ(not_found, 1);
  EXPECT_EQ(ok_create, 0);  // pre-created at zero
}

// Server reflection (grpc.reflection.v1alpha, what grpcurl and Postman use) lists the service.
// The request is hand-encoded: ServerReflectionRequest{list_services: "*"} is field 7, "*".
TEST_F(CoordinatorServiceTest, ReflectionListsTheService) {
  grpc::GenericStub generic(channel_);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto call = generic.PrepareCall(
      &ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  auto step = [&](int tag) {
    void* got = nullptr;
    bool ok = false;
    EXPECT_TRUE(cq.Next(&got, &ok));
    // A completion-queue tag is an opaque number here, never dereferenced.
    EXPECT_EQ(got, reinterpret_cast<void*>(tag));  // NOLINT(performance-no-int-to-ptr)
    return ok;
  };
  call->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(step(1));
  const std::string request("\x3a\x01*", 3);
  grpc::Slice slice(request);
  grpc::ByteBuffer out(&slice, 1);
  call->Write(out, reinterpret_cast<void*>(2));
  ASSERT_TRUE(step(2));
  grpc::ByteBuffer in;
  call->Read(&in, reinterpret_cast<void*>(3));
  ASSERT_TRUE(step(3));
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(in.Dump(&slices).ok());
  std::string response;
  for (const auto& sl : slices)
    response.append(reinterpret_cast<const char*>(sl.begin()), sl.size());
  EXPECT_NE(response.find("thb.coordinator.v1.CoordinatorService"), std::string::npos);
  EXPECT_NE(response.find("grpc.health.v1.Health"), std::string::npos);
  call->WritesDone(reinterpret_cast<void*>(4));
  step(4);
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  step(5);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(CoordinatorServiceTest, PlanThroughGrpcWithRolesAndInstitutionScope) {
  v1::Institution inst;
  v1::CreateInstitutionRequest police = Ngo();
  police.set_institution_id("police");
  ASSERT_TRUE(stub_->CreateInstitution(As({roles::kCoordinatorOffice}).get(), police, &inst).ok());

  v1::CreatePlanRequest plan;
  plan.set_plan_id("nap");
  plan.mutable_plan()->set_title("NAP");
  plan.mutable_plan()->set_currency_code("EUR");
  for (auto* d :
       {plan.mutable_plan()->mutable_period_start(), plan.mutable_plan()->mutable_period_end()}) {
    d->set_year(2025);
    d->set_month(1);
    d->set_day(1);
  }
  v1::ActionPlan created;
  ASSERT_TRUE(stub_->CreatePlan(As({roles::kCoordinatorOffice}).get(), plan, &created).ok());
  // A commission member may not create plans, and the public does not see drafts.
  EXPECT_EQ(stub_->CreatePlan(As({roles::kCommissionMember}).get(), plan, &created).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::GetPlanRequest get;
  get.set_name("plans/nap");
  EXPECT_EQ(stub_->GetPlan(As({}).get(), get, &created).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(stub_->GetPlan(As({roles::kServiceRapporteur}).get(), get, &created).ok());

  v1::CreateObjectiveRequest obj;
  obj.set_parent("plans/nap");
  obj.set_objective_id("o");
  obj.mutable_objective()->set_title("Protect");
  obj.mutable_objective()->set_pillar(thb::type::v1::PILLAR_PROTECTION);
  v1::Objective o;
  ASSERT_TRUE(stub_->CreateObjective(As({roles::kCoordinatorOffice}).get(), obj, &o).ok());
  v1::CreateMeasureRequest m;
  m.set_parent("plans/nap");
  m.set_measure_id("m");
  m.mutable_measure()->set_objective("plans/nap/objectives/o");
  m.mutable_measure()->set_title("Shelters");
  m.mutable_measure()->set_pillar(thb::type::v1::PILLAR_PROTECTION);
  m.mutable_measure()->add_forms(thb::type::v1::FORM_OF_EXPLOITATION_FORCED_LABOUR);
  m.mutable_measure()->set_lead_institution("institutions/police");
  m.mutable_measure()->mutable_due_date()->set_year(2099);
  m.mutable_measure()->mutable_due_date()->set_month(1);
  m.mutable_measure()->mutable_due_date()->set_day(1);
  v1::Measure measure;
  ASSERT_TRUE(stub_->CreateMeasure(As({roles::kCoordinatorOffice}).get(), m, &measure).ok());
  v1::AdoptPlanRequest adopt;
  adopt.set_name("plans/nap");
  ASSERT_TRUE(stub_->AdoptPlan(As({roles::kCoordinatorOffice}).get(), adopt, &created).ok());

  v1::CreateProgressReportRequest report;
  report.set_parent("plans/nap/measures/m");
  report.mutable_progress_report()->set_narrative("Started");
  report.mutable_progress_report()->set_progress_percent(10);
  v1::ProgressReport filed;
  grpc::ClientContext as_police;
  as_police.AddMetadata("authorization", "Bearer " + testing::Token({roles::kReportingInstitution},
                                                                    "institutions/police"));
  ASSERT_TRUE(stub_->CreateProgressReport(&as_police, report, &filed).ok());
  grpc::ClientContext as_other;
  as_other.AddMetadata("authorization", "Bearer " + testing::Token({roles::kReportingInstitution},
                                                                   "institutions/ngo"));
  EXPECT_EQ(stub_->CreateProgressReport(&as_other, report, &filed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::GetPublicReportRequest pub;
  pub.set_plan("plans/nap");
  v1::PublicReport public_report;
  ASSERT_TRUE(stub_->GetPublicReport(As({}).get(), pub, &public_report).ok());
  EXPECT_EQ(public_report.progress().overall().progress_percent(), 10);
}

}  // namespace
}  // namespace thb::coordinator
