#include "services/common/auth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <jwt.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/flags.h"
#include "services/common/jwks.h"
#include "services/common/testing/test_support.h"

namespace thb {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

nlohmann::json Claims() {
  return {{"sub", "alice"},
          {"roles", {"coordinator_office"}},
          {"institution", "institutions/ministry"},
          {"iss", "https://idp.example"},
          {"aud", "thb"},
          {"iat", absl::ToUnixSeconds(kNow)},
          {"exp", absl::ToUnixSeconds(kNow + absl::Hours(1))}};
}

class HsVerifierTest : public ::testing::Test {
 protected:
  HsVerifierTest() : clock_(kNow) {
    TokenVerifierOptions o;
    o.hs256_key = testing::TestKey();
    o.issuer = "https://idp.example";
    o.audience = "thb";
    o.clock = &clock_;
    verifier_ = *TokenVerifier::Create(o);
  }
  std::string Sign(const nlohmann::json& claims) {
    return *MintHs256Token(testing::TestKey(), claims);
  }

  FakeClock clock_;
  std::unique_ptr<TokenVerifier> verifier_;
};

TEST_F(HsVerifierTest, AcceptsValidTokenAndReadsClaims) {
  absl::StatusOr<Principal> p = verifier_->Verify(Sign(Claims()));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(p->authenticated);
  EXPECT_EQ(p->subject, "alice");
  EXPECT_THAT(p->roles, ElementsAre("coordinator_office"));
  EXPECT_EQ(p->institution, "institutions/ministry");
  EXPECT_TRUE(p->HasRole("coordinator_office"));
  EXPECT_FALSE(p->HasRole("rapporteur_office"));
}

TEST_F(HsVerifierTest, RejectsExpiredTokenBeyondSkew) {
  clock_.Set(kNow + absl::Hours(1) + absl::Seconds(61));
  absl::StatusOr<Principal> p = verifier_->Verify(Sign(Claims()));
  EXPECT_EQ(p.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(p.status().message(), HasSubstr("expired"));
  clock_.Set(kNow + absl::Hours(1) + absl::Seconds(30));  // within the allowed skew
  EXPECT_TRUE(verifier_->Verify(Sign(Claims())).ok());
}

TEST_F(HsVerifierTest, RejectsMissingExp) {
  nlohmann::json c = Claims();
  c.erase("exp");
  EXPECT_THAT(verifier_->Verify(Sign(c)).status().message(), HasSubstr("missing exp"));
}

TEST_F(HsVerifierTest, RejectsNotYetValid) {
  nlohmann::json c = Claims();
  c["nbf"] = absl::ToUnixSeconds(kNow + absl::Minutes(10));
  EXPECT_THAT(verifier_->Verify(Sign(c)).status().message(), HasSubstr("not yet valid"));
}

TEST_F(HsVerifierTest, RejectsWrongAudienceAndIssuer) {
  nlohmann::json c = Claims();
  c["aud"] = "someone-else";
  EXPECT_THAT(verifier_->Verify(Sign(c)).status().message(), HasSubstr("wrong audience"));
  c["aud"] = {"x", "thb"};  // an array containing ours is fine
  EXPECT_TRUE(verifier_->Verify(Sign(c)).ok());
  c["iss"] = "https://evil.example";
  EXPECT_THAT(verifier_->Verify(Sign(c)).status().message(), HasSubstr("wrong issuer"));
}

TEST_F(HsVerifierTest, RejectsAlgNone) {
  const std::string header = absl::WebSafeBase64Escape(R"({"alg":"none","typ":"JWT"})");
  const std::string payload = absl::WebSafeBase64Escape(Claims().dump());
  for (const std::string& token :
       {absl::StrCat(header, ".", payload, "."), absl::StrCat(header, ".", payload, ".x")}) {
    absl::StatusOr<Principal> p = verifier_->Verify(token);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kUnauthenticated) << token;
    EXPECT_THAT(p.status().message(), HasSubstr("algorithm must be HS256"));
  }
}

TEST_F(HsVerifierTest, RejectsTamperedPayloadAndWrongKey) {
  std::vector<std::string> parts = absl::StrSplit(Sign(Claims()), '.');
  nlohmann::json c = Claims();
  c["roles"] = {"rapporteur_office"};
  const std::string forged = parts[0] + "." + absl::WebSafeBase64Escape(c.dump()) + "." + parts[2];
  EXPECT_THAT(verifier_->Verify(forged).status().message(), HasSubstr("signature"));
  const std::string other = *MintHs256Token("another-key-that-is-long-enough-0123456789", Claims());
  EXPECT_EQ(verifier_->Verify(other).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(verifier_->Verify("not-a-jwt").status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(HsVerifierTest, RejectsTokenWithoutSubject) {
  nlohmann::json c = Claims();
  c.erase("sub");
  EXPECT_THAT(verifier_->Verify(Sign(c)).status().message(), HasSubstr("missing sub"));
}

TEST(TokenVerifierCreate, NeedsExactlyOneKey) {
  EXPECT_FALSE(TokenVerifier::Create({}).ok());
  TokenVerifierOptions both;
  both.hs256_key = "k";
  both.rs256_public_key = "p";
  EXPECT_FALSE(TokenVerifier::Create(both).ok());
}

// RS256: a key pair made at test time; the verifier gets only the public key (as from a file).
struct RsaKeys {
  std::string private_pem;
  std::string public_pem;
};

RsaKeys PemsOf(EVP_PKEY* key);

RsaKeys MakeRsaKeys() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  RsaKeys keys = PemsOf(key);
  EVP_PKEY_free(key);
  return keys;
}

RsaKeys PemsOf(EVP_PKEY* key) {
  BIO* priv = BIO_new(BIO_s_mem());
  BIO* pub = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(priv, key, nullptr, nullptr, 0, nullptr, nullptr);
  PEM_write_bio_PUBKEY(pub, key);
  auto read = [](BIO* b) {
    char* data = nullptr;
    long n = BIO_get_mem_data(b, &data);
    return std::string(data, n);
  };
  RsaKeys keys{read(priv), read(pub)};
  BIO_free(priv);
  BIO_free(pub);
  return keys;
}

std::string Sign(jwt_alg_t alg, const std::string& private_pem, const nlohmann::json& claims,
                 const std::string& kid = "") {
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  jwt_add_grants_json(jwt, claims.dump().c_str());
  if (!kid.empty()) jwt_add_header(jwt, "kid", kid.c_str());
  jwt_set_alg(jwt, alg, reinterpret_cast<const unsigned char*>(private_pem.data()),
              static_cast<int>(private_pem.size()));
  char* s = jwt_encode_str(jwt);
  std::string out = s ? s : "";
  free(s);
  jwt_free(jwt);
  return out;
}

TEST(Rs256Verifier, AcceptsProviderTokenAndRefusesHs256Switch) {
  const RsaKeys keys = MakeRsaKeys();
  testing::TempDir dir;
  testing::WriteFile(dir.File("idp.pem"), keys.public_pem);
  FakeClock clock(kNow);
  TokenVerifierOptions o;
  o.rs256_public_key = *ReadFileToString(dir.File("idp.pem"));
  o.clock = &clock;
  std::unique_ptr<TokenVerifier> v = *TokenVerifier::Create(o);

  absl::StatusOr<Principal> p = v->Verify(Sign(JWT_ALG_RS256, keys.private_pem, Claims()));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->subject, "alice");

  // The classic algorithm-confusion attack: HS256 signed with the public key as the secret.
  const std::string confused = *MintHs256Token(keys.public_pem, Claims());
  EXPECT_THAT(v->Verify(confused).status().message(), HasSubstr("algorithm must be RS256"));
}

// JWKS: an identity provider's key set, as saved from its jwks_uri, with one RSA and one P-256
// key made at test time and published only as JWK parameters.
std::string Base64Url(const std::string& bytes) { return absl::WebSafeBase64Escape(bytes); }

std::string BnParam(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  EVP_PKEY_get_bn_param(key, name, &bn);
  std::string out(BN_num_bytes(bn), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return out;
}

class JwksVerifierTest : public ::testing::Test {
 protected:
  JwksVerifierTest() : clock_(kNow) {
    EVP_PKEY* rsa = EVP_RSA_gen(2048);
    EVP_PKEY* ec = EVP_EC_gen("P-256");
    rsa_ = PemsOf(rsa);
    ec_ = PemsOf(ec);
    unsigned char point[65];
    size_t point_size = 0;
    EVP_PKEY_get_octet_string_param(ec, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &point_size);
    const std::string p(reinterpret_cast<char*>(point), point_size);  // 0x04 || x || y
    jwks_ = {{"keys",
              {{{"kty", "RSA"},
                {"kid", "rsa-1"},
                {"use", "sig"},
                {"alg", "RS256"},
                {"n", Base64Url(BnParam(rsa, OSSL_PKEY_PARAM_RSA_N))},
                {"e", Base64Url(BnParam(rsa, OSSL_PKEY_PARAM_RSA_E))}},
               {{"kty", "EC"},
                {"kid", "ec-1"},
                {"crv", "P-256"},
                {"x", Base64Url(p.substr(1, 32))},
                {"y", Base64Url(p.substr(33, 32))}},
               {{"kty", "RSA"}, {"kid", "enc-1"}, {"use", "enc"}, {"n", "AQAB"}, {"e", "AQAB"}}}}};
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(ec);
    TokenVerifierOptions o;
    o.jwks = jwks_.dump();
    o.issuer = "https://idp.example";
    o.audience = "thb";
    o.clock = &clock_;
    verifier_ = *TokenVerifier::Create(o);
  }

  FakeClock clock_;
  RsaKeys rsa_;
  RsaKeys ec_;
  nlohmann::json jwks_;
  std::unique_ptr<TokenVerifier> verifier_;
};

TEST_F(JwksVerifierTest, AcceptsRs256AndEs256TokensByKeyId) {
  absl::StatusOr<Principal> rs =
      verifier_->Verify(Sign(JWT_ALG_RS256, rsa_.private_pem, Claims(), "rsa-1"));
  ASSERT_TRUE(rs.ok()) << rs.status();
  EXPECT_EQ(rs->subject, "alice");
  absl::StatusOr<Principal> es =
      verifier_->Verify(Sign(JWT_ALG_ES256, ec_.private_pem, Claims(), "ec-1"));
  ASSERT_TRUE(es.ok()) << es.status();
  EXPECT_THAT(es->roles, ElementsAre("coordinator_office"));
}

TEST_F(JwksVerifierTest, RefusesUnknownOrMissingKeyIdAndAKeyUsedForAnotherAlgorithm) {
  EXPECT_THAT(verifier_->Verify(Sign(JWT_ALG_RS256, rsa_.private_pem, Claims(), "rsa-2"))
                  .status()
                  .message(),
              HasSubstr("unknown key id rsa-2"));
  EXPECT_THAT(verifier_->Verify(Sign(JWT_ALG_RS256, rsa_.private_pem, Claims())).status().message(),
              HasSubstr("no key id"));
  // The encryption key is not a signature key.
  EXPECT_THAT(verifier_->Verify(Sign(JWT_ALG_RS256, rsa_.private_pem, Claims(), "enc-1"))
                  .status()
                  .message(),
              HasSubstr("unknown key id"));
  // An RSA signature presented under the EC key's id, and an EC signature under the RSA key's.
  EXPECT_THAT(
      verifier_->Verify(Sign(JWT_ALG_RS256, rsa_.private_pem, Claims(), "ec-1")).status().message(),
      HasSubstr("algorithm must be ES256"));
  EXPECT_THAT(
      verifier_->Verify(Sign(JWT_ALG_ES256, ec_.private_pem, Claims(), "rsa-1")).status().message(),
      HasSubstr("algorithm must be RS256"));
  // Signed by another key under a known id.
  const RsaKeys other = MakeRsaKeys();
  EXPECT_THAT(verifier_->Verify(Sign(JWT_ALG_RS256, other.private_pem, Claims(), "rsa-1"))
                  .status()
                  .message(),
              HasSubstr("signature does not verify"));
  // HS256 with the published RSA key as the secret (algorithm confusion), and alg none.
  EXPECT_EQ(verifier_->Verify(*MintHs256Token(rsa_.public_pem, Claims())).status().code(),
            absl::StatusCode::kUnauthenticated);
  const std::string none =
      Base64Url(R"({"alg":"none","kid":"rsa-1"})") + "." + Base64Url(Claims().dump()) + ".";
  EXPECT_THAT(verifier_->Verify(none).status().message(), HasSubstr("algorithm must be RS256"));
}

TEST_F(JwksVerifierTest, ClaimsAreCheckedForJwksTokensToo) {
  nlohmann::json wrong_issuer = Claims();
  wrong_issuer["iss"] = "https://elsewhere.example";
  EXPECT_THAT(verifier_->Verify(Sign(JWT_ALG_ES256, ec_.private_pem, wrong_issuer, "ec-1"))
                  .status()
                  .message(),
              HasSubstr("wrong issuer"));
  nlohmann::json expired = Claims();
  expired["exp"] = absl::ToUnixSeconds(kNow - absl::Minutes(5));
  EXPECT_THAT(
      verifier_->Verify(Sign(JWT_ALG_ES256, ec_.private_pem, expired, "ec-1")).status().message(),
      HasSubstr("expired"));
}

TEST_F(JwksVerifierTest, VerifiedTokensAreCachedUntilTheyExpire) {
  const std::string token = Sign(JWT_ALG_RS256, rsa_.private_pem, Claims(), "rsa-1");
  ASSERT_TRUE(verifier_->Verify(token).ok());
  EXPECT_EQ(verifier_->cache_hits(), 0);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(verifier_->Verify(token).ok());
  EXPECT_EQ(verifier_->cache_hits(), 3);
  // A failed token is never cached: it fails each time.
  const std::string forged = token.substr(0, token.rfind('.') + 1) + "AAAA";
  EXPECT_FALSE(verifier_->Verify(forged).ok());
  EXPECT_FALSE(verifier_->Verify(forged).ok());
  EXPECT_EQ(verifier_->cache_hits(), 3);
  // Past exp + skew the cached entry no longer answers.
  clock_.Advance(absl::Hours(1) + absl::Seconds(61));
  EXPECT_THAT(verifier_->Verify(token).status().message(), HasSubstr("expired"));
  EXPECT_EQ(verifier_->cache_hits(), 3);
}

TEST(Jwks, RefusesSetsWithoutAUsableKeyOrWithBrokenKeys) {
  EXPECT_FALSE(ParseJwks("not json").ok());
  EXPECT_FALSE(ParseJwks(R"({"keys":[]})").ok());
  EXPECT_FALSE(ParseJwks(R"({"keys":[{"kty":"oct","k":"c2VjcmV0"}]})").ok());  // no symmetric keys
  EXPECT_THAT(ParseJwks(R"({"keys":[{"kty":"EC","crv":"P-256","kid":"a","x":"AQ","y":"AQ"}]})")
                  .status()
                  .message(),
              HasSubstr("32-byte"));
  EXPECT_THAT(ParseJwks(R"({"keys":[{"kty":"RSA","kid":"short","n":"AQAB","e":"AQAB"}]})")
                  .status()
                  .message(),
              HasSubstr("2048"));
}

}  // namespace
}  // namespace thb
