#include "services/common/auth.h"

#include <jwt.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/jwks.h"
#include "services/common/status_macros.h"

namespace thb {
namespace {

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("invalid token: ", why));
}

struct JwtDeleter {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

absl::StatusOr<nlohmann::json> DecodeSegment(absl::string_view segment) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(segment, &raw)) return Unauthenticated("bad base64url");
  nlohmann::json j = nlohmann::json::parse(raw, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Unauthenticated("segment is not a JSON object");
  return j;
}

}  // namespace

const std::vector<std::string>& AllRoles() {
  static const auto* all = new std::vector<std::string>{
      roles::kCoordinatorOffice,    roles::kCommissionSecretariat, roles::kCommissionMember,
      roles::kReportingInstitution, roles::kRapporteurOffice,      roles::kRapporteurAnalyst,
      roles::kCivilSociety,         roles::kServiceCoordinator,    roles::kServiceCommission,
      roles::kServiceRapporteur,    roles::kServiceGateway};
  return *all;
}

bool Principal::HasRole(absl::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

absl::StatusOr<std::unique_ptr<TokenVerifier>> TokenVerifier::Create(TokenVerifierOptions options) {
  const int sources =
      !options.hs256_key.empty() + !options.rs256_public_key.empty() + !options.jwks.empty();
  if (sources != 1) {
    return absl::InvalidArgumentError(
        "configure exactly one token key: an HS256 key file, an RS256 public key file or a JWKS "
        "file");
  }
  auto verifier = std::unique_ptr<TokenVerifier>(new TokenVerifier(std::move(options)));
  const TokenVerifierOptions& o = verifier->options_;
  if (!o.hs256_key.empty()) verifier->keys_[""] = {"HS256", o.hs256_key};
  if (!o.rs256_public_key.empty()) verifier->keys_[""] = {"RS256", o.rs256_public_key};
  if (!o.jwks.empty()) {
    THB_ASSIGN_OR_RETURN(std::vector<JsonWebKey> keys, ParseJwks(o.jwks));
    for (JsonWebKey& k : keys) verifier->keys_[k.kid] = {k.alg, std::move(k.pem)};
  }
  return verifier;
}

int64_t TokenVerifier::cache_hits() const {
  absl::MutexLock lock(&mu_);
  return cache_hits_;
}

absl::StatusOr<Principal> TokenVerifier::Verify(absl::string_view token) const {
  const absl::Time now = options_.clock->Now();
  const std::string key(token);
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      if (now >= it->second.not_before && now < it->second.expires) {
        ++cache_hits_;
        return it->second.principal;
      }
      cache_.erase(it);  // expired (or, with a clock moved back, not yet valid): check again
    }
  }
  THB_ASSIGN_OR_RETURN(Cached verified, VerifyUncached(token));
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= kCacheSize) cache_.clear();  // bounded; refills with the tokens in use
  cache_[key] = verified;
  return verified.principal;
}

absl::StatusOr<TokenVerifier::Cached> TokenVerifier::VerifyUncached(absl::string_view token) const {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return Unauthenticated("not a compact JWS (header.payload.signature)");
  THB_ASSIGN_OR_RETURN(nlohmann::json header, DecodeSegment(parts[0]));
  // The key decides the algorithm: a token never chooses how it is verified.
  std::string kid;
  if (auto it = header.find("kid"); it != header.end() && it->is_string())
    kid = it->get<std::string>();
  auto key_it = keys_.find(kid);
  if (key_it == keys_.end() && keys_.size() == 1 && keys_.begin()->first.empty())
    key_it = keys_.begin();
  if (key_it == keys_.end()) {
    return Unauthenticated(kid.empty() ? "token has no key id (kid)"
                                       : absl::StrCat("unknown key id ", kid));
  }
  const Key& k = key_it->second;
  const std::string& expected_alg = k.alg;
  const auto alg_it = header.find("alg");
  if (alg_it == header.end() || !alg_it->is_string() || *alg_it != expected_alg) {
    return Unauthenticated(absl::StrCat("algorithm must be ", expected_alg));
  }
  if (parts[2].empty()) return Unauthenticated("missing signature");

  jwt_t* raw = nullptr;
  std::string token_str(token);
  int rc =
      jwt_decode(&raw, token_str.c_str(), reinterpret_cast<const unsigned char*>(k.material.data()),
                 static_cast<int>(k.material.size()));
  JwtPtr jwt(raw);
  if (rc != 0 || jwt == nullptr) return Unauthenticated("signature does not verify");
  if (jwt_get_alg(jwt.get()) != jwt_str_alg(expected_alg.c_str())) {
    return Unauthenticated(absl::StrCat("algorithm must be ", expected_alg));
  }

  THB_ASSIGN_OR_RETURN(nlohmann::json claims, DecodeSegment(parts[1]));
  const absl::Time now = options_.clock->Now();
  const auto exp = claims.find("exp");
  if (exp == claims.end() || !exp->is_number()) return Unauthenticated("missing exp");
  if (absl::FromUnixSeconds(exp->get<int64_t>()) + options_.clock_skew <= now) {
    return Unauthenticated("token expired");
  }
  const auto nbf = claims.find("nbf");
  if (nbf != claims.end() && nbf->is_number() &&
      absl::FromUnixSeconds(nbf->get<int64_t>()) - options_.clock_skew > now) {
    return Unauthenticated("token not yet valid (nbf)");
  }
  if (!options_.issuer.empty()) {
    const auto iss = claims.find("iss");
    if (iss == claims.end() || !iss->is_string() || *iss != options_.issuer) {
      return Unauthenticated("wrong issuer");
    }
  }
  if (!options_.audience.empty()) {
    const auto aud = claims.find("aud");
    bool ok = false;
    if (aud != claims.end() && aud->is_string()) ok = *aud == options_.audience;
    if (aud != claims.end() && aud->is_array()) {
      for (const auto& a : *aud) ok = ok || (a.is_string() && a == options_.audience);
    }
    if (!ok) return Unauthenticated("wrong audience");
  }

  Principal p;
  p.authenticated = true;
  if (auto sub = claims.find("sub"); sub != claims.end() && sub->is_string()) {
    p.subject = sub->get<std::string>();
  }
  if (p.subject.empty()) return Unauthenticated("missing sub");
  if (auto r = claims.find("roles"); r != claims.end() && r->is_array()) {
    for (const auto& role : *r) {
      if (role.is_string()) p.roles.push_back(role.get<std::string>());
    }
  }
  if (auto inst = claims.find("institution"); inst != claims.end() && inst->is_string()) {
    p.institution = inst->get<std::string>();
  }
  Cached out;
  out.principal = std::move(p);
  out.expires = absl::FromUnixSeconds(exp->get<int64_t>()) + options_.clock_skew;
  out.not_before = nbf != claims.end() && nbf->is_number()
                       ? absl::FromUnixSeconds(nbf->get<int64_t>()) - options_.clock_skew
                       : absl::InfinitePast();
  return out;
}

absl::StatusOr<std::string> MintHs256Token(absl::string_view key, const nlohmann::json& claims) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("jwt_new failed");
  JwtPtr jwt(raw);
  if (jwt_add_grants_json(jwt.get(), claims.dump().c_str()) != 0) {
    return absl::InvalidArgumentError("claims are not a JSON object");
  }
  std::string k(key);
  if (jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(k.data()),
                  static_cast<int>(k.size())) != 0) {
    return absl::InvalidArgumentError("bad HS256 key");
  }
  char* encoded = jwt_encode_str(jwt.get());
  if (encoded == nullptr) return absl::InternalError("jwt_encode_str failed");
  std::string out(encoded);
  free(encoded);  // libjwt 1.10 allocates with malloc and has no jwt_free_str
  return out;
}

}  // namespace thb
