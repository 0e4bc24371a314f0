// Identity: the principal behind a request, taken from a bearer JWT verified with libjwt.
// Only the configured algorithm is accepted ("alg: none" and algorithm switching are refused);
// exp is required, nbf/iss/aud are checked, with a bounded clock skew.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/clock.h"

namespace thb {

// Role names carried in the token's "roles" claim. docs/SECURITY.md explains each.
namespace roles {
inline constexpr char kCoordinatorOffice[] = "coordinator_office";
inline constexpr char kCommissionSecretariat[] = "commission_secretariat";
inline constexpr char kCommissionMember[] = "commission_member";
inline constexpr char kReportingInstitution[] = "reporting_institution";
inline constexpr char kRapporteurOffice[] = "rapporteur_office";
inline constexpr char kRapporteurAnalyst[] = "rapporteur_analyst";
inline constexpr char kCivilSociety[] = "civil_society";
inline constexpr char kServiceCoordinator[] = "service_coordinator";
inline constexpr char kServiceCommission[] = "service_commission";
inline constexpr char kServiceRapporteur[] = "service_rapporteur";
inline constexpr char kServiceGateway[] = "service_gateway";
}  // namespace roles

// Every role above, for tools and tests.
const std::vector<std::string>& AllRoles();

struct Principal {
  bool authenticated = false;
  std::string subject;             // "sub"
  std::vector<std::string> roles;  // "roles"
  std::string institution;         // "institution": institutions/{id}, for scoped roles

  bool HasRole(absl::string_view role) const;
  static Principal Anonymous() { return Principal{}; }
};

struct TokenVerifierOptions {
  // Exactly one of the three key sources.
  std::string hs256_key;         // shared secret (local development)
  std::string rs256_public_key;  // PEM public key (an IdP's signing key)
  std::string jwks;              // a JWKS document (RS256 and ES256 keys, chosen by "kid")
  std::string issuer;            // required "iss" when non-empty
  std::string audience;          // required in "aud" when non-empty
  absl::Duration clock_skew = absl::Seconds(60);
  const Clock* clock = &Clock::Real();
};

// Verified tokens are cached (up to kCacheSize, until their exp plus the skew), so a client that
// presents the same token on every request pays for the signature check once.
class TokenVerifier {
 public:
  static constexpr size_t kCacheSize = 10000;

  // Fails unless exactly one key source is given, or when the JWKS does not parse.
  static absl::StatusOr<std::unique_ptr<TokenVerifier>> Create(TokenVerifierOptions options);

  // UNAUTHENTICATED with a reason when the token is not acceptable.
  absl::StatusOr<Principal> Verify(absl::string_view token) const;

  // Verifications answered from the cache, for tests and metrics.
  int64_t cache_hits() const;

 private:
  struct Key {
    std::string alg;  // the only algorithm this key verifies
    std::string material;
  };
  struct Cached {
    Principal principal;
    absl::Time not_before;  // nbf - skew (InfinitePast without nbf)
    absl::Time expires;     // exp + skew
  };
  explicit TokenVerifier(TokenVerifierOptions options) : options_(std::move(options)) {}
  absl::StatusOr<Cached> VerifyUncached(absl::string_view token) const;

  TokenVerifierOptions options_;
  absl::flat_hash_map<std::string, Key> keys_;  // by kid ("" for a single unnamed key)
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Cached> cache_ ABSL_GUARDED_BY(mu_);
  mutable int64_t cache_hits_ ABSL_GUARDED_BY(mu_) = 0;
};

// Signs claims with HS256, for local development tools and tests.
absl::StatusOr<std::string> MintHs256Token(absl::string_view key, const nlohmann::json& claims);

}  // namespace thb
