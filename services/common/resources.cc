#include "services/common/resources.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <memory>
#include <random>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"
#include "services/common/sha256.h"
#include "services/common/versioned_rows.h"

namespace thb {

bool IsValidResourceId(absl::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  if (!(id[0] >= 'a' && id[0] <= 'z')) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return id.back() != '-';
}

std::string NewResourceId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  std::string id = absl::StrFormat("%016x", rng());
  id[0] = "abcdef"[rng() % 6];
  return id;
}

absl::StatusOr<std::string> ParseResourceName(absl::string_view name, absl::string_view collection,
                                              absl::string_view field) {
  std::string prefix = absl::StrCat(collection, "/");
  if (!absl::StartsWith(name, prefix) || !IsValidResourceId(name.substr(prefix.size()))) {
    return InvalidField(std::string(field),
                        absl::StrCat("must be a resource name of the form ", collection, "/{id}",
                                     name.empty() ? " (it is empty)" : ""));
  }
  return std::string(name.substr(prefix.size()));
}

absl::StatusOr<std::vector<std::string>> ParseResourcePath(
    absl::string_view name, const std::vector<std::string>& collections, absl::string_view field) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  bool ok = parts.size() == 2 * collections.size();
  std::vector<std::string> ids;
  std::string pattern;
  for (size_t i = 0; i < collections.size(); ++i) {
    absl::StrAppend(&pattern, i ? "/" : "", collections[i], "/{id}");
    if (ok && (parts[2 * i] != collections[i] || !IsValidResourceId(parts[2 * i + 1]))) ok = false;
    if (ok) ids.push_back(parts[2 * i + 1]);
  }
  if (!ok) {
    return InvalidField(std::string(field),
                        absl::StrCat("must be a resource name of the form ", pattern));
  }
  return ids;
}

std::string RequestBinding(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> rest(request.New());
  rest->CopyFrom(request);
  const google::protobuf::Descriptor* d = rest->GetDescriptor();
  const google::protobuf::Reflection* r = rest->GetReflection();
  for (const char* paging : {"page_size", "page_token"}) {
    if (const auto* field = d->FindFieldByName(paging)) r->ClearField(rest.get(), field);
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    rest->SerializeToCodedStream(&coded);
  }
  // The method's request type too: a token of one list is refused by another.
  return Sha256Hex(absl::StrCat(d->full_name(), "\n", bytes)).substr(0, 16);
}

// A token is base64url("v2:" + binding + ":" + the sort key to continue after).
absl::StatusOr<PageRequest> ParsePage(int32_t page_size, absl::string_view page_token,
                                      std::string binding, int32_t default_size) {
  if (page_size < 0) return InvalidField("page_size", "must not be negative");
  PageRequest req;
  req.page_size = page_size == 0 ? default_size : std::min(page_size, 1000);
  req.binding = std::move(binding);
  if (!page_token.empty()) {
    std::string raw;
    const std::string prefix = absl::StrCat("v2:", req.binding, ":");
    if (!absl::WebSafeBase64Unescape(page_token, &raw) || !absl::StartsWith(raw, "v2:")) {
      return InvalidField("page_token", "is not a token returned by this method");
    }
    if (!absl::StartsWith(raw, prefix)) {
      return InvalidField("page_token",
                          "was returned for a request with other parameters (parent, filter, "
                          "order or show flags); repeat that request unchanged, or start again "
                          "without a page token");
    }
    req.after = raw.substr(prefix.size());
  }
  return req;
}

std::string PageRequest::Token(absl::string_view next_after) const {
  return absl::WebSafeBase64Escape(absl::StrCat("v2:", binding, ":", next_after));
}

absl::Status CheckEtag(absl::string_view given, absl::string_view current,
                       absl::string_view resource_name) {
  if (!given.empty() && given != current) {
    return WithReason(absl::AbortedError(absl::StrCat("etag ", given, " is stale: ", resource_name,
                                                      " is now at ", current, "; read it again")),
                      type::v1::ERROR_REASON_ETAG_MISMATCH,
                      {{"resource", std::string(resource_name)}});
  }
  return absl::OkStatus();
}

std::string EtagForVersion(int64_t version) { return absl::StrCat("\"v", version, "\""); }

google::protobuf::Timestamp ToProtoTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t micros = absl::ToUnixMicros(t);
  ts.set_seconds(micros / 1000000);
  ts.set_nanos(static_cast<int32_t>((micros % 1000000) * 1000));
  return ts;
}

std::string FormatStoredTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

}  // namespace thb
