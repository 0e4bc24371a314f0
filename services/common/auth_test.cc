#include "services/common/auth.h"

#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
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
  std::string Sign(const nlohmann::json& claims) { return *MintHs256Token(testing::TestKey(), claims); }

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
  for (const std::string& token : {header + "." + payload + ".", header + "." + payload + ".x"}) {
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

RsaKeys MakeRsaKeys() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
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
  EVP_PKEY_free(key);
  return keys;
}

std::string SignRs256(const std::string& private_pem, const nlohmann::json& claims) {
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  jwt_add_grants_json(jwt, claims.dump().c_str());
  jwt_set_alg(jwt, JWT_ALG_RS256, reinterpret_cast<const unsigned char*>(private_pem.data()),
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

  absl::StatusOr<Principal> p = v->Verify(SignRs256(keys.private_pem, Claims()));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->subject, "alice");

  // The classic algorithm-confusion attack: HS256 signed with the public key as the secret.
  const std::string confused = *MintHs256Token(keys.public_pem, Claims());
  EXPECT_THAT(v->Verify(confused).status().message(), HasSubstr("algorithm must be RS256"));
}

}  // namespace
}  // namespace thb
