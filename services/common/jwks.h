// JSON Web Key Sets (RFC 7517): the signing keys an OIDC identity provider (Keycloak, a national
// IdP) publishes at its jwks_uri, saved to a file. Each usable key becomes a PEM public key that
// libjwt verifies with, bound to its key id and to the one algorithm its type allows.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace thb {

struct JsonWebKey {
  std::string kid;  // may be empty when the set has a single key
  std::string alg;  // "RS256" (kty RSA) or "ES256" (kty EC, crv P-256)
  std::string pem;  // SubjectPublicKeyInfo PEM
};

// The signature keys of `jwks` ({"keys":[...]}). Keys for encryption ("use":"enc") or of other
// types and algorithms are skipped; INVALID_ARGUMENT when the JSON is malformed, a usable key's
// parameters do not decode, two keys share a kid, or no usable key is left.
absl::StatusOr<std::vector<JsonWebKey>> ParseJwks(absl::string_view jwks);

}  // namespace thb
