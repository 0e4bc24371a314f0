#include "tools/thbctl/changes.h"

#include <fcntl.h>
#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "thb/commission/v1/commission.grpc.pb.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"
#include "thb/rapporteur/v1/rapporteur.grpc.pb.h"

namespace thb::ctl {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using thb::type::v1::AuditEvent;
using thb::type::v1::WatchChangesRequest;

std::unique_ptr<grpc::ClientReader<AuditEvent>> OpenFeed(const std::shared_ptr<grpc::Channel>& ch,
                                                         const std::string& service,
                                                         grpc::ClientContext* ctx,
                                                         const WatchChangesRequest& request) {
  if (service == "coordinator") {
    return thb::coordinator::v1::CoordinatorService::NewStub(ch)->WatchChanges(ctx, request);
  }
  if (service == "commission") {
    return thb::commission::v1::CommissionService::NewStub(ch)->WatchChanges(ctx, request);
  }
  return thb::rapporteur::v1::RapporteurService::NewStub(ch)->WatchChanges(ctx, request);
}

bool Retryable(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::INTERNAL ||
         code == grpc::StatusCode::UNKNOWN || code == grpc::StatusCode::RESOURCE_EXHAUSTED ||
         code == grpc::StatusCode::ABORTED || code == grpc::StatusCode::DEADLINE_EXCEEDED;
}

// Follows the feed after `after`, calling `handle` with each new event in order; reconnects after
// a broken stream. `handle` returns false to stop (0), or an exit code through `*exit_code`.
int Follow(const Connection& service, const FeedOptions& options, int64_t after, std::ostream& err,
           const std::function<bool(const AuditEvent&, int* exit_code)>& handle) {
  std::shared_ptr<grpc::Channel> channel = OpenChannel(service);
  absl::Duration delay = options.initial_backoff;
  int64_t handled = 0;
  for (;;) {
    grpc::ClientContext ctx;
    if (!service.token.empty()) ctx.AddMetadata("authorization", "Bearer " + service.token);
    WatchChangesRequest request;
    request.set_after_sequence(after);
    auto reader = OpenFeed(channel, options.service, &ctx, request);
    AuditEvent event;
    while (reader->Read(&event)) {
      if (event.sequence() <= after) continue;
      int exit_code = 0;
      if (!handle(event, &exit_code)) {
        ctx.TryCancel();
        reader->Finish();
        return exit_code;
      }
      after = event.sequence();
      delay = options.initial_backoff;
      if (options.max_events > 0 && ++handled >= options.max_events) {
        ctx.TryCancel();
        reader->Finish();
        return 0;
      }
    }
    const grpc::Status s = reader->Finish();
    if (!s.ok() && !Retryable(s.error_code())) {
      err << "changes: " << Describe(s) << "\n";
      return 1;
    }
    err << "changes: the stream ended (" << (s.ok() ? "OK" : Describe(s))
        << "); reconnecting after sequence " << after << " in " << absl::FormatDuration(delay)
        << "\n";
    absl::SleepFor(delay);
    delay = std::min(delay * 2, options.max_backoff);
  }
}

struct Url {
  std::string host, port, target;
};

absl::StatusOr<Url> ParseUrl(const std::string& url) {
  if (!absl::StartsWith(url, "http://")) {
    return absl::InvalidArgumentError(
        "--to must be an http:// URL (for https, relay through a local TLS proxy)");
  }
  absl::string_view rest = absl::StripPrefix(url, "http://");
  const size_t slash = rest.find('/');
  absl::string_view authority = rest.substr(0, slash);
  Url u;
  u.target = slash == absl::string_view::npos ? "/" : std::string(rest.substr(slash));
  const size_t colon = authority.rfind(':');
  u.host = std::string(authority.substr(0, colon));
  u.port = colon == absl::string_view::npos ? "80" : std::string(authority.substr(colon + 1));
  if (u.host.empty()) return absl::InvalidArgumentError("--to has no host");
  return u;
}

// One POST; the HTTP status, or an error when there was no answer within `timeout` (for each of
// connecting, sending and reading the answer).
absl::StatusOr<int> Post(const Url& url, const std::string& id, const std::string& body,
                         absl::Duration timeout) {
  using boost::asio::ip::tcp;
  boost::asio::io_context io;
  tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  http::request<http::string_body> req{http::verb::post, url.target, 11};
  req.set(http::field::host, url.host);
  req.set(http::field::content_type, "application/cloudevents+json; charset=utf-8");
  req.set("Idempotency-Key", id);
  req.body() = body;
  req.prepare_payload();
  http::response<http::string_body> res;
  beast::flat_buffer buffer;
  beast::error_code failure;
  const std::chrono::milliseconds limit(absl::ToInt64Milliseconds(timeout));
  resolver.async_resolve(
      url.host, url.port, [&](beast::error_code ec, const tcp::resolver::results_type& results) {
        if (ec) {
          failure = ec;
          return;
        }
        stream.expires_after(limit);
        stream.async_connect(results, [&](beast::error_code ec, const tcp::endpoint&) {
          if (ec) {
            failure = ec;
            return;
          }
          stream.expires_after(limit);
          http::async_write(stream, req, [&](beast::error_code ec, size_t) {
            if (ec) {
              failure = ec;
              return;
            }
            stream.expires_after(limit);
            http::async_read(stream, buffer, res,
                             [&](beast::error_code ec, size_t) { failure = ec; });
          });
        });
      });
  try {
    io.run();
  } catch (const std::exception& e) {
    return absl::UnavailableError(e.what());
  }
  if (failure) return absl::UnavailableError(failure.message());
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return static_cast<int>(res.result_int());
}

}  // namespace

std::string CloudEvent(const std::string& service, const AuditEvent& event) {
  std::string data;
  google::protobuf::util::JsonPrintOptions options;
  (void)google::protobuf::util::MessageToJsonString(event, &data, options);
  std::string time;
  (void)google::protobuf::util::MessageToJsonString(event.time(), &time, options);
  std::string method = event.method();
  const size_t slash = method.rfind('/');
  if (slash != std::string::npos) method = method.substr(slash + 1);
  nlohmann::json ce = {{"specversion", "1.0"},
                       {"id", absl::StrCat(service, "-", event.sequence())},
                       {"source", absl::StrCat("/thb-suite/", service)},
                       {"type", absl::StrCat("org.thbsuite.", service, ".", method)},
                       {"datacontenttype", "application/json"},
                       {"data", nlohmann::json::parse(data)}};
  if (!event.resource().empty()) ce["subject"] = event.resource();
  if (event.has_time()) ce["time"] = nlohmann::json::parse(time);
  return ce.dump();
}

absl::StatusOr<int64_t> ReadCheckpoint(const std::string& path) {
  std::error_code ec;
  const std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (st.type() == std::filesystem::file_type::not_found) return 0;
  if (ec || st.type() != std::filesystem::file_type::regular) {
    return absl::InvalidArgumentError(absl::StrCat("checkpoint ", path, " is not a regular file"));
  }
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read the checkpoint ", path));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int64_t sequence = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &sequence) || sequence < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint ", path, " does not hold a sequence number"));
  }
  return sequence;
}

absl::Status WriteCheckpoint(const std::string& path, int64_t sequence) {
  const std::string temporary = absl::StrCat(path, ".tmp");
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot write ", temporary));
  const std::string text = absl::StrCat(sequence, "\n");
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced || std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot write the checkpoint ", path));
  }
  return absl::OkStatus();
}

int RunWatch(const Connection& service, const FeedOptions& options, std::ostream& out,
             std::ostream& err) {
  return Follow(service, options, options.after_sequence, err, [&](const AuditEvent& event, int*) {
    std::string json;
    google::protobuf::util::JsonPrintOptions o;
    (void)google::protobuf::util::MessageToJsonString(event, &json, o);
    out << json << "\n" << std::flush;
    return true;
  });
}

int RunRelay(const Connection& service, const RelayOptions& options, std::ostream& out,
             std::ostream& err) {
  absl::StatusOr<Url> url = ParseUrl(options.url);
  if (!url.ok()) {
    err << "relay: " << url.status().message() << "\n";
    return 2;
  }
  int64_t after = options.feed.after_sequence;
  if (!options.checkpoint_file.empty()) {
    absl::StatusOr<int64_t> saved = ReadCheckpoint(options.checkpoint_file);
    if (!saved.ok()) {
      err << "relay: " << saved.status().message() << "\n";
      return 2;
    }
    if (*saved > 0) after = *saved;
  }
  err << "relay: " << options.feed.service << " after sequence " << after << " to " << options.url
      << "\n";
  return Follow(service, options.feed, after, err, [&](const AuditEvent& event, int* exit_code) {
    const std::string id = absl::StrCat(options.feed.service, "-", event.sequence());
    const std::string body = CloudEvent(options.feed.service, event);
    absl::Duration delay = options.feed.initial_backoff;
    for (int attempt = 1;; ++attempt) {
      absl::StatusOr<int> status = Post(*url, id, body, options.timeout);
      if (status.ok() && *status >= 200 && *status < 300) break;
      err << "relay: " << id << " attempt " << attempt << ": "
          << (status.ok() ? absl::StrCat("HTTP ", *status) : std::string(status.status().message()))
          << "\n";
      if (options.max_attempts > 0 && attempt >= options.max_attempts) {
        err << "relay: giving up on " << id << "; the checkpoint stays at the last delivered "
            << "event, so the next run starts with this one\n";
        *exit_code = 1;
        return false;
      }
      absl::SleepFor(delay);
      delay = std::min(delay * 2, options.feed.max_backoff);
    }
    if (!options.checkpoint_file.empty()) {
      absl::Status saved = WriteCheckpoint(options.checkpoint_file, event.sequence());
      if (!saved.ok()) {
        err << "relay: " << saved.message() << "\n";
        *exit_code = 1;
        return false;
      }
    }
    out << "delivered " << id << "\n" << std::flush;
    return true;
  });
}

}  // namespace thb::ctl
