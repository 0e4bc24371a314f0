#include "gateway/forwarded_headers.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"

namespace thb::gateway {
namespace {

constexpr absl::string_view kCustomPrefix = "grpc-metadata-";
constexpr size_t kMaxAuthorizationBytes = 16 * 1024;
constexpr size_t kMaxRequestIdBytes = 256;
constexpr size_t kMaxTraceparentBytes = 512;
constexpr size_t kMaxCustomValueBytes = 4 * 1024;
constexpr size_t kMaxCustomHeaders = 16;
// Set by the gateway, read by the services, or HTTP's own connection-level headers.
constexpr absl::string_view kReservedNames[] = {"authorization",
                                                "x-request-id",
                                                "traceparent",
                                                "tracestate",
                                                "content-type",
                                                "content-length",
                                                "content-encoding",
                                                "te",
                                                "user-agent",
                                                "host",
                                                "connection",
                                                "keep-alive",
                                                "transfer-encoding",
                                                "upgrade",
                                                "proxy-authorization",
                                                "cookie",
                                                "forwarded",
                                                "x-forwarded-for",
                                                "x-forwarded-host",
                                                "x-forwarded-proto",
                                                "x-real-ip"};

// The one value of a header that may appear at most once, checked against gRPC's rules.
absl::Status SingleValue(const HttpRequest& request, absl::string_view name, size_t max_bytes,
                         std::string* out) {
  int seen = 0;
  for (const auto& field : request) {
    const absl::string_view field_name(field.name_string().data(), field.name_string().size());
    if (!absl::EqualsIgnoreCase(field_name, name)) continue;
    if (++seen > 1) return InvalidField(std::string(name), "header given more than once");
    const absl::string_view value(field.value().data(), field.value().size());
    if (value.size() > max_bytes) {
      return InvalidField(std::string(name),
                          absl::StrCat("header longer than ", max_bytes, " bytes"));
    }
    if (!IsLegalMetadataValue(value)) {
      return InvalidField(std::string(name),
                          "header value may hold only printable ASCII characters (0x20 to 0x7E)");
    }
    *out = std::string(value);
  }
  return absl::OkStatus();
}

}  // namespace

bool IsLegalMetadataName(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!(absl::ascii_isdigit(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.')) {
      return false;
    }
  }
  return true;
}

bool IsLegalMetadataValue(absl::string_view value) {
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7E) return false;
  }
  return true;
}

bool IsReservedMetadataName(absl::string_view name) {
  if (absl::StartsWith(name, "grpc-") || absl::StartsWith(name, ":") ||
      absl::EndsWith(name, "-bin")) {
    return true;
  }
  for (absl::string_view reserved : kReservedNames) {
    if (name == reserved) return true;
  }
  return false;
}

std::optional<absl::Duration> ParseGrpcTimeout(absl::string_view value) {
  if (value.size() < 2 || value.size() > 9) return std::nullopt;
  const absl::string_view digits = value.substr(0, value.size() - 1);
  for (char c : digits) {
    if (!absl::ascii_isdigit(c)) return std::nullopt;
  }
  int64_t n;
  if (!absl::SimpleAtoi(digits, &n)) return std::nullopt;
  switch (value.back()) {
    case 'H':
      return absl::Hours(n);
    case 'M':
      return absl::Minutes(n);
    case 'S':
      return absl::Seconds(n);
    case 'm':
      return absl::Milliseconds(n);
    case 'u':
      return absl::Microseconds(n);
    case 'n':
      return absl::Nanoseconds(n);
  }
  return std::nullopt;
}

absl::StatusOr<ForwardedHeaders> ExtractForwardedHeaders(const HttpRequest& request) {
  ForwardedHeaders out;
  THB_RETURN_IF_ERROR(
      SingleValue(request, "Authorization", kMaxAuthorizationBytes, &out.authorization));
  THB_RETURN_IF_ERROR(SingleValue(request, "X-Request-Id", kMaxRequestIdBytes, &out.request_id));
  THB_RETURN_IF_ERROR(SingleValue(request, "traceparent", kMaxTraceparentBytes, &out.traceparent));
  std::string timeout;
  THB_RETURN_IF_ERROR(SingleValue(request, "grpc-timeout", 16, &timeout));
  if (!timeout.empty()) {
    out.timeout = ParseGrpcTimeout(timeout);
    if (!out.timeout) {
      return InvalidField("grpc-timeout",
                          "must be 1 to 8 digits and a unit: H, M, S, m, u or n (e.g. 500m)");
    }
  }
  for (const auto& field : request) {
    const std::string header(field.name_string());
    const std::string lower = absl::AsciiStrToLower(header);
    if (!absl::StartsWith(lower, kCustomPrefix)) continue;
    const std::string name = lower.substr(kCustomPrefix.size());
    if (!IsLegalMetadataName(name)) {
      return InvalidField(header, "a metadata name may hold only 0-9, a-z, '-', '_' and '.'");
    }
    if (IsReservedMetadataName(name)) {
      return InvalidField(
          header,
          absl::StrCat("\"", name, "\" is reserved and cannot be set through grpc-metadata-"));
    }
    const absl::string_view value(field.value().data(), field.value().size());
    if (value.size() > kMaxCustomValueBytes) {
      return InvalidField(header,
                          absl::StrCat("header longer than ", kMaxCustomValueBytes, " bytes"));
    }
    if (!IsLegalMetadataValue(value)) {
      return InvalidField(header,
                          "header value may hold only printable ASCII characters (0x20 to 0x7E)");
    }
    if (out.custom.size() == kMaxCustomHeaders) {
      return InvalidField(header,
                          absl::StrCat("at most ", kMaxCustomHeaders, " grpc-metadata- headers"));
    }
    out.custom.emplace_back(name, std::string(value));
  }
  return out;
}

}  // namespace thb::gateway
