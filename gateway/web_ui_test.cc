// The web application's files served by the gateway (web_ui.cc): caching by name, gzip, ETags,
// the UI's own Content-Security-Policy while the API keeps its own, the sign-in configuration,
// and the directories and flags it refuses.
#include "gateway/web_ui.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "gateway/gateway.h"
#include "gateway/testing_http.h"
#include "thb/coordinator/v1/coordinator.grpc.pb.h"

namespace thb::gateway {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Gunzip(const std::string& gz) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

class WebUiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::path(::testing::TempDir()) /
        ("webui-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "assets");
    Write("index.html", "<!doctype html><title>THB</title><script src=/assets/app-1a2b.js>");
    for (int i = 0; i < 400; ++i) script_ += "console.log('compressible line');\n";
    Write("assets/app-1a2b.js", script_);
    Write("assets/app-9f8e.css", "body{margin:0}");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  std::unique_ptr<WebUi> Load(WebUiOptions options = {}) {
    options.dir = dir_.string();
    absl::StatusOr<std::unique_ptr<WebUi>> ui = WebUi::Load(options);
    EXPECT_TRUE(ui.ok()) << ui.status();
    return ui.ok() ? *std::move(ui) : nullptr;
  }
  static HttpRequest Get(const std::string& target) {
    return HttpRequest{http::verb::get, target, 11};
  }

  fs::path dir_;
  std::string script_;
};

TEST_F(WebUiTest, IndexIsRevalidatedAssetsAreCachedForAYear) {
  auto ui = Load();
  std::optional<HttpResponse> index = ui->Serve(Get("/"), "/");
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(index->result(), http::status::ok);
  EXPECT_THAT(std::string(index->body()), HasSubstr("<title>THB</title>"));
  EXPECT_EQ((*index)[http::field::cache_control], "no-cache");
  EXPECT_EQ((*index)[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(ui->Serve(Get("/index.html"), "/index.html")->body(), index->body());

  std::optional<HttpResponse> css = ui->Serve(Get("/assets/app-9f8e.css"), "/assets/app-9f8e.css");
  ASSERT_TRUE(css.has_value());
  EXPECT_EQ(css->body(), "body{margin:0}");
  EXPECT_EQ((*css)[http::field::cache_control], "public, max-age=31536000, immutable");
  EXPECT_EQ((*css)[http::field::content_type], "text/css; charset=utf-8");
}

TEST_F(WebUiTest, EveryUiAnswerCarriesTheStrictPolicy) {
  auto ui = Load();
  for (const char* path : {"/", "/assets/app-1a2b.js", "/assets/missing.js", "/ui-config.json"}) {
    std::optional<HttpResponse> res = ui->Serve(Get(path), path);
    ASSERT_TRUE(res.has_value()) << path;
    const std::string csp((*res)["Content-Security-Policy"]);
    EXPECT_THAT(csp, HasSubstr("default-src 'self'")) << path;
    EXPECT_THAT(csp, HasSubstr("script-src 'self';")) << path;
    EXPECT_THAT(csp, HasSubstr("frame-ancestors 'none'")) << path;
    EXPECT_THAT(csp, HasSubstr("object-src 'none'")) << path;
    EXPECT_THAT(csp, Not(HasSubstr("unsafe"))) << path;
  }
}

TEST_F(WebUiTest, GzipOnlyForClientsThatAcceptIt) {
  auto ui = Load();
  HttpRequest req = Get("/assets/app-1a2b.js");
  std::optional<HttpResponse> plain = ui->Serve(req, "/assets/app-1a2b.js");
  EXPECT_EQ(plain->body(), script_);
  EXPECT_EQ((*plain)[http::field::content_encoding], "");
  EXPECT_EQ((*plain)[http::field::vary], "Accept-Encoding");

  req.set(http::field::accept_encoding, "br, gzip, deflate");
  std::optional<HttpResponse> gz = ui->Serve(req, "/assets/app-1a2b.js");
  EXPECT_EQ((*gz)[http::field::content_encoding], "gzip");
  EXPECT_LT(gz->body().size(), script_.size() / 10);
  EXPECT_EQ(Gunzip(gz->body()), script_);

  req.set(http::field::accept_encoding, "gzip;q=0, identity");
  EXPECT_EQ(ui->Serve(req, "/assets/app-1a2b.js")->body(), script_);
  // Too small to be worth compressing: sent as it is.
  req.set(http::field::accept_encoding, "gzip");
  EXPECT_EQ(ui->Serve(req, "/assets/app-9f8e.css")->body(), "body{margin:0}");
}

TEST_F(WebUiTest, MatchingEtagIsNotModified) {
  auto ui = Load();
  std::optional<HttpResponse> first = ui->Serve(Get("/"), "/");
  const std::string etag((*first)[http::field::etag]);
  ASSERT_FALSE(etag.empty());
  HttpRequest again = Get("/");
  again.set(http::field::if_none_match, "\"other\", " + etag);
  std::optional<HttpResponse> second = ui->Serve(again, "/");
  EXPECT_EQ(second->result(), http::status::not_modified);
  EXPECT_TRUE(second->body().empty());
  again.set(http::field::if_none_match, "\"stale\"");
  EXPECT_EQ(ui->Serve(again, "/")->result(), http::status::ok);
}

TEST_F(WebUiTest, OnlyGetOnUiPathsAndNothingOutsideThem) {
  auto ui = Load();
  HttpRequest post{http::verb::post, "/", 11};
  std::optional<HttpResponse> refused = ui->Serve(post, "/");
  EXPECT_EQ(refused->result(), http::status::method_not_allowed);
  EXPECT_EQ((*refused)[http::field::allow], "GET, HEAD");
  for (const char* path :
       {"/assets/../index.html", "/assets/", "/assets/app-1a2b.js/", "/assets/.hidden"}) {
    EXPECT_EQ(ui->Serve(Get(path), path)->result(), http::status::not_found) << path;
  }
  for (const char* path : {"/v1/coordinator/institutions", "/healthz", "/index", "/assetsx"}) {
    EXPECT_FALSE(ui->Serve(Get(path), path).has_value()) << path;
  }
}

TEST_F(WebUiTest, ConfigTellsTheBrowserHowToSignIn) {
  auto plain = Load();
  nlohmann::json config = nlohmann::json::parse(plain->Serve(Get("/"), "/ui-config.json")->body());
  EXPECT_TRUE(config["oidc"].is_null());
  EXPECT_EQ(config["devSignIn"], false);
  EXPECT_THAT(plain->content_security_policy(), HasSubstr("connect-src 'self';"));

  WebUiOptions options;
  options.oidc_issuer = "https://idp.example:8443/realms/thb";
  options.oidc_client_id = "thb-portal";
  options.dev_sign_in = true;
  auto oidc = Load(options);
  config = nlohmann::json::parse(oidc->Serve(Get("/"), "/ui-config.json")->body());
  EXPECT_EQ(config["oidc"]["issuer"], "https://idp.example:8443/realms/thb");
  EXPECT_EQ(config["oidc"]["clientId"], "thb-portal");
  EXPECT_EQ(config["oidc"]["scope"], "openid");
  EXPECT_EQ(config["devSignIn"], true);
  // The browser may reach the issuer's origin (discovery, token endpoint), nothing else.
  EXPECT_THAT(oidc->content_security_policy(),
              HasSubstr("connect-src 'self' https://idp.example:8443;"));
}

TEST_F(WebUiTest, RefusesBadDirectoriesAndFlags) {
  WebUiOptions options;
  options.dir = (dir_ / "nowhere").string();
  EXPECT_EQ(WebUi::Load(options).status().code(), absl::StatusCode::kInvalidArgument);

  options.dir = dir_.string();
  options.oidc_issuer = "https://idp.example; script-src *";
  options.oidc_client_id = "c";
  absl::Status bad = WebUi::Load(options).status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.message(), HasSubstr("--oidc_issuer"));
  options.oidc_issuer = "javascript:alert(1)";
  EXPECT_EQ(WebUi::Load(options).status().code(), absl::StatusCode::kInvalidArgument);
  options.oidc_issuer = "https://idp.example";
  options.oidc_client_id = "";
  EXPECT_THAT(WebUi::Load(options).status().message(), HasSubstr("--oidc_client_id"));
  options.oidc_client_id = "c";
  options.oidc_redirect_uri = "data:text/html,x";
  EXPECT_THAT(WebUi::Load(options).status().message(), HasSubstr("--oidc_redirect_uri"));

  // A link or a directory among the assets is refused, not followed.
  fs::create_symlink("/etc/passwd", dir_ / "assets" / "passwd.txt");
  WebUiOptions plain;
  plain.dir = dir_.string();
  EXPECT_THAT(WebUi::Load(plain).status().message(), HasSubstr("not a regular file"));
  fs::remove(dir_ / "assets" / "passwd.txt");
  fs::create_directory(dir_ / "assets" / "nested");
  EXPECT_EQ(WebUi::Load(plain).status().code(), absl::StatusCode::kInvalidArgument);
}

// Through the gateway and a real HTTP server: the UI's paths carry the UI's policy, the API's
// answers keep `default-src 'none'`, and a 304 goes out without a body.
TEST_F(WebUiTest, ServedBesideTheApi) {
  GatewayOptions options;
  options.web_ui = Load();
  std::vector<Upstream> upstreams = {
      {"coordinator",
       coordinator::v1::Institution::descriptor()->file()->FindServiceByName("CoordinatorService"),
       grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials())}};
  options.default_deadline = absl::Seconds(2);
  std::unique_ptr<Gateway> gateway = *Gateway::Create(std::move(upstreams), options);
  ServedGateway served(gateway.get());

  HttpResponse index = served.Get("/");
  EXPECT_EQ(index.result(), http::status::ok);
  EXPECT_THAT(std::string(index["Content-Security-Policy"]), HasSubstr("script-src 'self'"));
  EXPECT_EQ(index["X-Content-Type-Options"], "nosniff");
  HttpRequest again{http::verb::get, "/", 11};
  again.set(http::field::if_none_match, index[http::field::etag]);
  HttpResponse not_modified = served.Send(again);
  EXPECT_EQ(not_modified.result(), http::status::not_modified);
  EXPECT_TRUE(not_modified.body().empty());

  HttpRequest gz{http::verb::get, "/assets/app-1a2b.js", 11};
  gz.set(http::field::accept_encoding, "gzip");
  EXPECT_EQ(Gunzip(served.Send(gz).body()), script_);

  // HEAD: the GET answer's headers, Content-Length included, and no body; the next request on
  // the same connection is read as a request (no stray bytes in between).
  for (const char* path : {"/", "/v1/nowhere"}) {
    boost::asio::io_context client;
    boost::asio::ip::tcp::socket socket(client);
    socket.connect(
        {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(served.port())});
    const std::string pipelined =
        std::string("HEAD ") + path +
        " HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    boost::asio::write(socket, boost::asio::buffer(pipelined));
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> head_parser;
    head_parser.skip(true);  // a response to HEAD has no body, whatever Content-Length says
    http::read(socket, buffer, head_parser);
    const HttpResponse& head = head_parser.get();
    EXPECT_EQ(head.result(), std::string(path) == "/" ? http::status::ok : http::status::not_found)
        << path;
    EXPECT_NE(head[http::field::content_length], "0") << path;
    HttpResponse next;
    http::read(socket, buffer, next);
    EXPECT_EQ(next.result(), http::status::ok) << path;
    EXPECT_EQ(next.body(), R"({"status":"ok"})") << path;
  }

  HttpResponse api = served.Get("/v1/nowhere");
  EXPECT_EQ(api.result(), http::status::not_found);
  EXPECT_EQ(api["Content-Security-Policy"], "default-src 'none'; frame-ancestors 'none'");
  EXPECT_EQ(api[http::field::content_type], "application/json");
  EXPECT_EQ(served.Get("/healthz")["Content-Security-Policy"],
            "default-src 'none'; frame-ancestors 'none'");
}

}  // namespace
}  // namespace thb::gateway
