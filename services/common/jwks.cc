#include "services/common/jwks.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"

namespace thb {
namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

absl::Status Bad(const std::string& kid, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("JWKS key \"", kid, "\": ", what));
}

// A base64url member of `key`, decoded; empty when missing or malformed.
std::string Member(const nlohmann::json& key, const char* name) {
  auto it = key.find(name);
  std::string out;
  if (it == key.end() || !it->is_string() ||
      !absl::WebSafeBase64Unescape(it->get<std::string>(), &out)) {
    return "";
  }
  return out;
}

absl::StatusOr<std::string> ToPem(const char* type, OSSL_PARAM_BLD* build, const std::string& kid) {
  Owned<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(build));
  Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (params == nullptr || ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
    return Bad(kid, "the key parameters do not form a public key");
  }
  Owned<EVP_PKEY> pkey(raw);
  Owned<BIO> bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_PUBKEY(bio.get(), pkey.get()) != 1)
    return Bad(kid, "cannot encode as PEM");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

absl::StatusOr<std::string> RsaPem(const nlohmann::json& key, const std::string& kid) {
  const std::string n = Member(key, "n");
  const std::string e = Member(key, "e");
  if (n.empty() || e.empty()) return Bad(kid, "RSA key needs base64url \"n\" and \"e\"");
  if (n.size() < 256) return Bad(kid, "RSA key shorter than 2048 bits");
  Owned<BIGNUM> bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()),
                               static_cast<int>(n.size()), nullptr));
  Owned<BIGNUM> bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()),
                               static_cast<int>(e.size()), nullptr));
  Owned<OSSL_PARAM_BLD> build(OSSL_PARAM_BLD_new());
  if (bn_n == nullptr || bn_e == nullptr || build == nullptr ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return Bad(kid, "cannot read the RSA parameters");
  }
  return ToPem("RSA", build.get(), kid);
}

absl::StatusOr<std::string> EcPem(const nlohmann::json& key, const std::string& kid) {
  const std::string x = Member(key, "x");
  const std::string y = Member(key, "y");
  if (x.size() != 32 || y.size() != 32)
    return Bad(kid, "P-256 key needs 32-byte base64url \"x\" and \"y\"");
  const std::string point = std::string(1, '\x04') + x + y;  // uncompressed (SEC 1)
  Owned<OSSL_PARAM_BLD> build(OSSL_PARAM_BLD_new());
  if (build == nullptr ||
      OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return Bad(kid, "cannot read the EC parameters");
  }
  return ToPem("EC", build.get(), kid);
}

}  // namespace

absl::StatusOr<std::vector<JsonWebKey>> ParseJwks(absl::string_view jwks) {
  const nlohmann::json doc = nlohmann::json::parse(jwks, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array()) {
    return absl::InvalidArgumentError("JWKS must be a JSON object with a \"keys\" array");
  }
  std::vector<JsonWebKey> keys;
  std::set<std::string> kids;
  for (const nlohmann::json& key : doc["keys"]) {
    if (!key.is_object()) return absl::InvalidArgumentError("JWKS keys must be JSON objects");
    auto text = [&key](const char* name) {
      auto it = key.find(name);
      return it != key.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    const std::string kty = text("kty");
    const std::string use = text("use");
    const std::string alg = text("alg");
    JsonWebKey out;
    out.kid = text("kid");
    if (!use.empty() && use != "sig") continue;
    if (kty == "RSA" && (alg.empty() || alg == "RS256")) {
      out.alg = "RS256";
      THB_ASSIGN_OR_RETURN(out.pem, RsaPem(key, out.kid));
    } else if (kty == "EC" && text("crv") == "P-256" && (alg.empty() || alg == "ES256")) {
      out.alg = "ES256";
      THB_ASSIGN_OR_RETURN(out.pem, EcPem(key, out.kid));
    } else {
      continue;  // another type or algorithm: not one this suite verifies
    }
    if (!kids.insert(out.kid).second) return Bad(out.kid, "key id used twice");
    keys.push_back(std::move(out));
  }
  if (keys.empty()) return absl::InvalidArgumentError("JWKS has no RS256 or ES256 signature key");
  return keys;
}

}  // namespace thb
