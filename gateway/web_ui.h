// The web application (ui/, built by ui/build.mjs): the public portal and the staff console,
// served from memory at "/" beside the API under "/v1/...".
//
//   GET /                the application's index.html (Cache-Control: no-cache, ETag)
//   GET /assets/{name}   a built asset; names carry a content hash, so they are cached for a year
//   GET /ui-config.json  how the browser signs in (OIDC issuer, client id, redirect) and whether
//                        the development sign-in is on
//
// Every UI answer carries a strict Content-Security-Policy (scripts, styles and fonts from the
// gateway only, no inline script, no framing), which the API's own `default-src 'none'` does not
// allow. Compressible assets are gzip-compressed once at start-up and sent compressed to clients
// that accept it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "gateway/http_message.h"

namespace thb::gateway {

struct WebUiOptions {
  // The directory built by ui/build.mjs: index.html and assets/.
  std::string dir;
  // OpenID Connect sign-in (authorization code flow with PKCE, done by the browser). Empty issuer:
  // no sign-in button except the development one.
  std::string oidc_issuer;        // e.g. https://keycloak.example/realms/thb
  std::string oidc_client_id;     // a public client
  std::string oidc_redirect_uri;  // empty: the page's own origin + "/"
  std::string oidc_scope = "openid";
  // Accept a development token handed over in the URL's fragment (scripts/run.sh prints such a
  // link). Only for a suite that verifies tokens with the development key.
  bool dev_sign_in = false;
};

class WebUi {
 public:
  // The largest file and the largest whole application accepted from `dir`.
  static constexpr size_t kMaxFileBytes = 8 << 20;
  static constexpr size_t kMaxTotalBytes = 32 << 20;

  // Reads every file of the application into memory. INVALID_ARGUMENT when the directory has no
  // index.html, holds something other than regular files, or is too large; a bad issuer or
  // redirect URI (not http(s)) is INVALID_ARGUMENT too.
  static absl::StatusOr<std::unique_ptr<WebUi>> Load(const WebUiOptions& options);

  // The answer for a UI path, or nullopt when `path` is not one (the API and the admin paths).
  std::optional<HttpResponse> Serve(const HttpRequest& request, const std::string& path) const;

  // The Content-Security-Policy of UI answers.
  const std::string& content_security_policy() const { return csp_; }

 private:
  struct File {
    std::string content_type;
    std::string body;
    std::string gzip;  // empty: not worth compressing
    std::string etag;
    bool immutable = false;
  };

  WebUi() = default;
  HttpResponse Answer(const File& file, const HttpRequest& request) const;

  File index_;
  File config_;
  absl::flat_hash_map<std::string, File> assets_;  // by name under assets/
  std::string csp_;
};

}  // namespace thb::gateway
