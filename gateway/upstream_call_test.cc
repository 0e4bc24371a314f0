// The calls to an upstream on their own, against a fake coordinator over real gRPC: what a unary
// call answers (JSON, or the error answer), which metadata and deadline it carries, and how a
// server-streaming call writes its lines through a recording ChunkedResponse.
#include "gateway/upstream_call.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gateway/http_errors.h"
#include "services/common/testing/fake_upstream.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"

namespace thb::gateway {
namespace {

namespace co = thb::coordinator::v1;
using ::testing::ElementsAre;

// GetInstitution echoes the name, or fails NOT_FOUND for "institutions/missing", and remembers
// the metadata and the deadline of the call. WatchChanges sends `after_sequence` events (at most
// 3) then ends OK, or ABORTED when after_sequence is 1, or PERMISSION_DENIED at once for 99.
class FakeCoordinator final : public co::CoordinatorService::CallbackService {
 public:
  grpc::ServerUnaryReactor* GetInstitution(grpc::CallbackServerContext* ctx,
                                           const co::GetInstitutionRequest* req,
                                           co::Institution* resp) override {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    RememberCall(*ctx);
    if (req->name() == "institutions/missing") {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "no such institution"));
    } else {
      resp->set_name(req->name());
      reactor->Finish(grpc::Status::OK);
    }
    return reactor;
  }

  grpc::ServerWriteReactor<thb::type::v1::AuditEvent>* WatchChanges(
      grpc::CallbackServerContext*, const thb::type::v1::WatchChangesRequest* req) override {
    class Events : public grpc::ServerWriteReactor<thb::type::v1::AuditEvent> {
     public:
      explicit Events(int64_t count) {
        if (count == 99) {
          Finish(grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "not for you"));
          return;
        }
        end_ =
            count == 1 ? grpc::Status(grpc::StatusCode::ABORTED, "log rotated") : grpc::Status::OK;
        for (int64_t i = 1; i <= std::min<int64_t>(count, 3); ++i) {
          events_.emplace_back().set_sequence(i);
        }
        WriteNext();
      }
      void OnWriteDone(bool) override {
        events_.pop_front();
        WriteNext();
      }
      void OnDone() override { delete this; }

     private:
      void WriteNext() {
        if (events_.empty()) {
          Finish(end_);
        } else {
          StartWrite(&events_.front());
        }
      }
      std::deque<thb::type::v1::AuditEvent> events_;
      grpc::Status end_;
    };
    return new Events(req->after_sequence());
  }

  // The metadata the gateway sets, and the deadline.
  void RememberCall(const grpc::CallbackServerContext& ctx) {
    absl::MutexLock lock(&mu_);
    metadata_.clear();
    for (const char* key : {"x-request-id", "authorization", "traceparent", "x-tenant"}) {
      auto it = ctx.client_metadata().find(key);
      if (it == ctx.client_metadata().end()) continue;
      metadata_[key] = std::string(it->second.data(), it->second.size());
    }
    deadline_ = absl::FromChrono(ctx.deadline());
  }

  std::map<std::string, std::string> metadata() {
    absl::MutexLock lock(&mu_);
    return metadata_;
  }
  absl::Time deadline() {
    absl::MutexLock lock(&mu_);
    return deadline_;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, std::string> metadata_ ABSL_GUARDED_BY(mu_);
  absl::Time deadline_ ABSL_GUARDED_BY(mu_);
};

// Records what a streamed answer wrote; every chunk is on the wire at once.
class RecordedStream : public ChunkedResponse {
 public:
  void Write(std::string data, std::function<void(bool)> written) override {
    {
      absl::MutexLock lock(&mu_);
      chunks_.push_back(std::move(data));
    }
    if (written) written(true);
  }
  void Finish() override { ended.Notify(); }
  void OnClientGone(std::function<void()>) override {}

  std::vector<std::string> chunks() {
    absl::MutexLock lock(&mu_);
    return chunks_;
  }
  absl::Notification ended;  // the last chunk, or the answer given instead of streaming

 private:
  absl::Mutex mu_;
  std::vector<std::string> chunks_ ABSL_GUARDED_BY(mu_);
};

// One fake coordinator for the suite: gRPC (1.51) can abort when servers using the callback API
// start and stop in quick succession in one process, so the suite starts one, once.
class UpstreamCallTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fake_ = new FakeCoordinator();
    std::string address;
    server_ = testing::ServeOnFreePort(fake_, &address).release();
    ASSERT_FALSE(address.empty());
    stub_ = new grpc::GenericStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  }
  static void TearDownTestSuite() {
    delete stub_;
    server_->Shutdown();
    delete server_;
    delete fake_;
  }
  void SetUp() override {
    routes_ = *RouteTable::Build(
        {co::Institution::descriptor()->file()->FindServiceByName("CoordinatorService")});
  }

  const Route& RouteFor(const std::string& path) {
    RouteMatch match = routes_.Find("GET", path);
    EXPECT_EQ(match.result, RouteMatch::kFound) << path;
    return *match.route;
  }

  // A unary GetInstitution call for `name`, and its answer.
  HttpResponse GetInstitution(const std::string& name, const ForwardedHeaders& forwarded = {},
                              std::optional<absl::Duration> timeout = absl::Seconds(30)) {
    co::GetInstitutionRequest message;
    message.set_name(name);
    const std::string request_id = "req-1";
    absl::Notification done;
    HttpResponse answer;
    StartUnaryCall(*stub_,
                   {RouteFor("/v1/coordinator/" + name), message, request_id, forwarded, timeout},
                   [&](HttpResponse res) {
                     answer = std::move(res);
                     done.Notify();
                   });
    done.WaitForNotification();
    return answer;
  }

  // A WatchChanges stream: the header it opened with (or none) and what it wrote, or the answer
  // it gave instead.
  struct Streamed {
    std::optional<ResponseHeader> header;
    std::shared_ptr<RecordedStream> stream = std::make_shared<RecordedStream>();
    std::optional<HttpResponse> answer;
  };
  Streamed Watch(int64_t after_sequence) {
    thb::type::v1::WatchChangesRequest message;
    message.set_after_sequence(after_sequence);
    const std::string request_id = "req-2";
    Streamed out;
    StartStreamingCall(
        *stub_,
        {RouteFor("/v1/coordinator/changes:watch"), message, request_id, ForwardedHeaders{},
         std::nullopt},
        [&](HttpResponse res) {
          out.answer = std::move(res);
          out.stream->ended.Notify();
        },
        [&](ResponseHeader header) -> std::shared_ptr<ChunkedResponse> {
          out.header = std::move(header);
          return out.stream;
        });
    out.stream->ended.WaitForNotification();
    return out;
  }

  static FakeCoordinator* fake_;
  static grpc::Server* server_;
  static grpc::GenericStub* stub_;
  RouteTable routes_;
};
FakeCoordinator* UpstreamCallTest::fake_ = nullptr;
grpc::Server* UpstreamCallTest::server_ = nullptr;
grpc::GenericStub* UpstreamCallTest::stub_ = nullptr;

TEST_F(UpstreamCallTest, AUnaryCallAnswersTheResponseAsJson) {
  HttpResponse res = GetInstitution("institutions/police");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(res.body(), R"({"name":"institutions/police"})");
}

TEST_F(UpstreamCallTest, AUnaryErrorIsTheErrorAnswer) {
  HttpResponse res = GetInstitution("institutions/missing");
  EXPECT_EQ(res.result_int(), 404u);
  EXPECT_EQ(res.body(), R"({"code":5,"message":"no such institution"})");
}

TEST_F(UpstreamCallTest, ACallCarriesTheRequestIdTheForwardedHeadersAndTheDeadline) {
  ForwardedHeaders forwarded;
  forwarded.authorization = "Bearer t";
  forwarded.traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  forwarded.custom = {{"x-tenant", "valdoria"}};
  const absl::Time before = absl::Now();
  ASSERT_EQ(GetInstitution("institutions/police", forwarded, absl::Seconds(7)).result_int(), 200u);
  std::map<std::string, std::string> md = fake_->metadata();
  EXPECT_EQ(md["x-request-id"], "req-1");
  EXPECT_EQ(md["authorization"], "Bearer t");
  EXPECT_EQ(md["traceparent"], forwarded.traceparent);
  EXPECT_EQ(md["x-tenant"], "valdoria");
  // About 7 s from the call (gRPC sends the time left, which the server rounds).
  EXPECT_GT(fake_->deadline(), before + absl::Seconds(6));
  EXPECT_LT(fake_->deadline(), absl::Now() + absl::Seconds(8));
  // Nothing forwarded, no deadline: only the request id goes, and the call may last.
  ASSERT_EQ(GetInstitution("institutions/police", {}, std::nullopt).result_int(), 200u);
  md = fake_->metadata();
  EXPECT_EQ(md["x-request-id"], "req-1");
  EXPECT_EQ(md.count("authorization"), 0u);
  EXPECT_EQ(md.count("traceparent"), 0u);
  EXPECT_GT(fake_->deadline(), absl::Now() + absl::Hours(24 * 365));
}

TEST_F(UpstreamCallTest, AStreamWritesOneJsonLinePerMessage) {
  Streamed out = Watch(3);
  ASSERT_TRUE(out.header.has_value());
  EXPECT_FALSE(out.answer.has_value());
  EXPECT_EQ(out.header->result_int(), 200u);
  EXPECT_EQ((*out.header)[http::field::content_type], "application/x-ndjson");
  EXPECT_EQ((*out.header)[http::field::cache_control], "no-store");
  EXPECT_THAT(out.stream->chunks(), ElementsAre("{\"sequence\":\"1\"}\n", "{\"sequence\":\"2\"}\n",
                                                "{\"sequence\":\"3\"}\n"));
}

TEST_F(UpstreamCallTest, AStreamThatEndsBeforeAnyMessageIsA200WithoutLinesOrTheErrorAnswer) {
  Streamed empty = Watch(0);
  ASSERT_TRUE(empty.header.has_value());
  EXPECT_TRUE(empty.stream->chunks().empty());
  Streamed denied = Watch(99);
  EXPECT_FALSE(denied.header.has_value());
  ASSERT_TRUE(denied.answer.has_value());
  EXPECT_EQ(denied.answer->result_int(), 403u);
  EXPECT_EQ(denied.answer->body(), R"({"code":7,"message":"not for you"})");
}

TEST_F(UpstreamCallTest, AStreamThatFailsAfterItStartedEndsWithTheErrorLine) {
  Streamed out = Watch(1);
  ASSERT_TRUE(out.header.has_value());
  EXPECT_THAT(out.stream->chunks(),
              ElementsAre("{\"sequence\":\"1\"}\n",
                          StreamErrorLine(grpc::Status(grpc::StatusCode::ABORTED, "log rotated"))));
}

}  // namespace
}  // namespace thb::gateway
