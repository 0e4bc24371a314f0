// Token verification with and without the verified-token cache, in one run: N distinct RS256
// tokens verified once each (every one a signature check) against one token verified N times
// (one check, then cache hits). Usage: thb_token_bench [N, default 2000]
#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "services/common/auth.h"

namespace {

std::string Pem(EVP_PKEY* key, bool private_key) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (private_key) {
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    PEM_write_bio_PUBKEY(bio, key);
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

std::string Sign(const std::string& private_pem, int serial) {
  const nlohmann::json claims = {{"sub", "analyst"},
                                 {"roles", {"rapporteur_analyst"}},
                                 {"jti", std::to_string(serial)},
                                 {"exp", std::time(nullptr) + 3600}};
  jwt_t* jwt = nullptr;
  jwt_new(&jwt);
  jwt_add_grants_json(jwt, claims.dump().c_str());
  jwt_set_alg(jwt, JWT_ALG_RS256, reinterpret_cast<const unsigned char*>(private_pem.data()),
              static_cast<int>(private_pem.size()));
  char* s = jwt_encode_str(jwt);
  std::string out = s;
  free(s);
  jwt_free(jwt);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 2000;
  EVP_PKEY* key = EVP_RSA_gen(2048);
  const std::string private_pem = Pem(key, true);
  thb::TokenVerifierOptions options;
  options.rs256_public_key = Pem(key, false);
  EVP_PKEY_free(key);
  auto verifier = *thb::TokenVerifier::Create(options);

  std::vector<std::string> tokens;
  tokens.reserve(n);
  for (int i = 0; i < n; ++i) tokens.push_back(Sign(private_pem, i));
  auto time = [&](auto&& f) {
    const auto start = std::chrono::steady_clock::now();
    int ok = 0;
    for (int i = 0; i < n; ++i) ok += f(i);
    const double us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count() /
        n;
    if (ok != n) std::fprintf(stderr, "only %d of %d verified\n", ok, n);
    return us;
  };
  const double uncached = time([&](int i) { return verifier->Verify(tokens[i]).ok(); });
  const double cached = time([&](int) { return verifier->Verify(tokens[0]).ok(); });
  std::printf("RS256 verification, every token new: %7.2f us\n", uncached);
  std::printf("the same token again (cache hit):    %7.2f us\n", cached);
  std::printf("ratio cached / uncached:             %9.5f (cache hits: %lld)\n", cached / uncached,
              static_cast<long long>(verifier->cache_hits()));
  return 0;
}
