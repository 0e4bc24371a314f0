#include "gateway/web_ui.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/sha256.h"

namespace thb::gateway {
namespace {

namespace fs = std::filesystem;

constexpr size_t kCompressAbove = 1024;

struct MediaType {
  const char* extension;
  const char* content_type;
  bool compressible;
};
constexpr MediaType kMediaTypes[] = {
    {".html", "text/html; charset=utf-8", true},
    {".js", "text/javascript; charset=utf-8", true},
    {".css", "text/css; charset=utf-8", true},
    {".json", "application/json", true},
    {".svg", "image/svg+xml", true},
    {".txt", "text/plain; charset=utf-8", true},
    {".png", "image/png", false},
    {".ico", "image/x-icon", false},
    {".woff2", "font/woff2", false},
};

const MediaType* MediaTypeOf(const std::string& name) {
  for (const MediaType& m : kMediaTypes) {
    if (absl::EndsWith(name, m.extension)) return &m;
  }
  return nullptr;
}

// gzip (RFC 1952) of `data` at the best compression; empty when zlib fails.
std::string Gzip(const std::string& data) {
  z_stream z{};
  // 15 window bits + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    return "";
  }
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END ? out : "";
}

absl::StatusOr<std::string> ReadFile(const fs::path& path) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  if (ec || !fs::is_regular_file(st)) {
    return absl::InvalidArgumentError(
        absl::StrCat("web UI: ", path.string(), " is not a regular file"));
  }
  const uintmax_t size = fs::file_size(path, ec);
  if (ec || size > WebUi::kMaxFileBytes) {
    return absl::InvalidArgumentError(absl::StrCat("web UI: ", path.string(), " is larger than ",
                                                   WebUi::kMaxFileBytes, " bytes"));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return absl::InvalidArgumentError(absl::StrCat("web UI: cannot read ", path.string()));
  }
  return text.str();
}

// scheme://host[:port] of an http(s) URL whose every character is safe inside a CSP header and a
// JSON string; INVALID_ARGUMENT otherwise.
absl::StatusOr<std::string> OriginOf(const std::string& flag, const std::string& url) {
  const bool https = absl::StartsWith(url, "https://");
  if (!https && !absl::StartsWith(url, "http://")) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " must be an http(s) URL"));
  }
  for (const char c : url) {
    const bool ok = absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                    absl::string_view("-._~:/?#[]@!$&()*+=%").find(c) != absl::string_view::npos;
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag, " may hold only URL characters (no spaces, quotes, commas or ';')"));
    }
  }
  const size_t host_start = https ? 8 : 7;
  const size_t host_end = url.find_first_of("/?#", host_start);
  const std::string origin = url.substr(0, host_end);
  if (origin.size() == host_start) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " has no host"));
  }
  return origin;
}

bool AcceptsGzip(const HttpRequest& request) {
  const std::string accepted(request[http::field::accept_encoding]);
  for (absl::string_view part : absl::StrSplit(accepted, ',')) {
    std::vector<absl::string_view> params = absl::StrSplit(part, ';');
    const absl::string_view coding = absl::StripAsciiWhitespace(params[0]);
    if (!absl::EqualsIgnoreCase(coding, "gzip") && coding != "*") continue;
    bool refused = false;
    for (size_t i = 1; i < params.size(); ++i) {
      std::string p = absl::AsciiStrToLower(absl::StripAsciiWhitespace(params[i]));
      p.erase(std::remove(p.begin(), p.end(), ' '), p.end());
      if (p == "q=0" || p == "q=0." || p == "q=0.0" || p == "q=0.00" || p == "q=0.000") {
        refused = true;
      }
    }
    if (!refused) return true;
  }
  return false;
}

// An asset's name: what ui/build.mjs writes (letters, digits, '.', '-', '_'), never ".." or "".
bool IsAssetName(absl::string_view name) {
  if (name.empty() || name[0] == '.') return false;
  for (const char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

HttpResponse PlainResponse(http::status status, std::string text) {
  HttpResponse res{status, 11};
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.body() = std::move(text);
  return res;
}

}  // namespace

absl::StatusOr<std::unique_ptr<WebUi>> WebUi::Load(const WebUiOptions& options) {
  auto ui = std::unique_ptr<WebUi>(new WebUi());
  size_t total = 0;
  auto make_file = [&total](const std::string& name, std::string body,
                            bool immutable) -> absl::StatusOr<File> {
    const MediaType* media = MediaTypeOf(name);
    File f;
    f.content_type = media != nullptr ? media->content_type : "application/octet-stream";
    if (media != nullptr && media->compressible && body.size() >= kCompressAbove) {
      std::string gz = Gzip(body);
      if (!gz.empty() && gz.size() < body.size()) f.gzip = std::move(gz);
    }
    f.etag = absl::StrCat("\"", Sha256Hex(body).substr(0, 32), "\"");
    f.immutable = immutable;
    total += body.size();
    if (total > kMaxTotalBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("web UI: more than ", kMaxTotalBytes, " bytes of assets"));
    }
    f.body = std::move(body);
    return f;
  };

  const fs::path dir(options.dir);
  absl::StatusOr<std::string> index = ReadFile(dir / "index.html");
  if (!index.ok()) return index.status();
  absl::StatusOr<File> index_file = make_file("index.html", *std::move(index), false);
  if (!index_file.ok()) return index_file.status();
  ui->index_ = *std::move(index_file);

  std::error_code ec;
  const fs::path assets = dir / "assets";
  if (fs::is_directory(fs::symlink_status(assets, ec))) {
    for (const fs::directory_entry& entry : fs::directory_iterator(assets, ec)) {
      const std::string name = entry.path().filename().string();
      if (!IsAssetName(name)) {
        return absl::InvalidArgumentError(
            absl::StrCat("web UI: unexpected asset name ", entry.path().string()));
      }
      absl::StatusOr<std::string> body = ReadFile(entry.path());
      if (!body.ok()) return body.status();
      absl::StatusOr<File> file = make_file(name, *std::move(body), true);
      if (!file.ok()) return file.status();
      ui->assets_.emplace(name, *std::move(file));
    }
    if (ec) {
      return absl::InvalidArgumentError(
          absl::StrCat("web UI: cannot list ", assets.string(), ": ", ec.message()));
    }
  }

  nlohmann::json config = {{"oidc", nullptr}, {"devSignIn", options.dev_sign_in}};
  std::string connect_src = "'self'";
  if (!options.oidc_issuer.empty()) {
    absl::StatusOr<std::string> origin = OriginOf("--oidc_issuer", options.oidc_issuer);
    if (!origin.ok()) return origin.status();
    if (options.oidc_client_id.empty()) {
      return absl::InvalidArgumentError("--oidc_client_id is required with --oidc_issuer");
    }
    if (!options.oidc_redirect_uri.empty()) {
      absl::StatusOr<std::string> redirect =
          OriginOf("--oidc_redirect_uri", options.oidc_redirect_uri);
      if (!redirect.ok()) return redirect.status();
    }
    // The browser fetches the discovery document and the token endpoint from the issuer.
    absl::StrAppend(&connect_src, " ", *origin);
    config["oidc"] = {{"issuer", options.oidc_issuer},
                      {"clientId", options.oidc_client_id},
                      {"redirectUri", options.oidc_redirect_uri},
                      {"scope", options.oidc_scope}};
  }
  absl::StatusOr<File> config_file = make_file("ui-config.json", config.dump(), false);
  if (!config_file.ok()) return config_file.status();
  ui->config_ = *std::move(config_file);
  ui->csp_ = absl::StrCat(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "font-src 'self'; connect-src ",
      connect_src,
      "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  return ui;
}

std::optional<HttpResponse> WebUi::Serve(const HttpRequest& request,
                                         const std::string& path) const {
  const File* file = nullptr;
  if (path == "/" || path == "/index.html") {
    file = &index_;
  } else if (path == "/ui-config.json") {
    file = &config_;
  } else if (absl::StartsWith(path, "/assets/")) {
    auto it = assets_.find(path.substr(8));
    if (it != assets_.end()) file = &it->second;
  } else {
    return std::nullopt;
  }
  HttpResponse res;
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    res = PlainResponse(http::status::method_not_allowed, "only GET and HEAD are allowed here\n");
    res.set(http::field::allow, "GET, HEAD");
  } else if (file == nullptr) {
    res = PlainResponse(http::status::not_found, "no such asset\n");
  } else {
    res = Answer(*file, request);
  }
  res.set("Content-Security-Policy", csp_);
  return res;
}

HttpResponse WebUi::Answer(const File& file, const HttpRequest& request) const {
  HttpResponse res{http::status::ok, 11};
  res.set(http::field::etag, file.etag);
  res.set(http::field::cache_control,
          file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (!file.gzip.empty()) res.set(http::field::vary, "Accept-Encoding");
  const std::string if_none_match(request[http::field::if_none_match]);
  for (absl::string_view tag : absl::StrSplit(if_none_match, ',')) {
    tag = absl::StripAsciiWhitespace(tag);
    absl::ConsumePrefix(&tag, "W/");
    if (tag == file.etag || tag == "*") {
      res.result(http::status::not_modified);
      return res;
    }
  }
  res.set(http::field::content_type, file.content_type);
  if (!file.gzip.empty() && AcceptsGzip(request)) {
    res.set(http::field::content_encoding, "gzip");
    res.body() = file.gzip;
  } else {
    res.body() = file.body;
  }
  return res;
}

}  // namespace thb::gateway
