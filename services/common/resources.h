// AIP conventions shared by every resource: ids, names, pages, etags, timestamps.
#pragma once

#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace thb {

// A client-chosen id is 1-63 characters of [a-z0-9-], starting with a letter (AIP-122).
bool IsValidResourceId(absl::string_view id);
// A fresh random id (16 lower-case hex characters, starting with a letter).
std::string NewResourceId();

// The id of `name` if it is "<collection>/<id>" with a valid id; NOT_FOUND-proof callers
// turn an error into INVALID_ARGUMENT on `field`.
absl::StatusOr<std::string> ParseResourceName(absl::string_view name, absl::string_view collection,
                                              absl::string_view field);

// The ids of a nested name such as "plans/p1/measures/m3" for collections {"plans", "measures"};
// INVALID_ARGUMENT on `field` when the name has another shape.
absl::StatusOr<std::vector<std::string>> ParseResourcePath(
    absl::string_view name, const std::vector<std::string>& collections, absl::string_view field);

struct PageRequest {
  int32_t page_size;    // after defaults and clamping
  std::string after;    // sort key to continue after; empty for the first page
  std::string binding;  // digest of the request's other fields (RequestBinding)

  // The opaque token of the next page, continuing after `after` under the same binding.
  std::string Token(absl::string_view next_after) const;
};

// A digest of every field of a list request but page_size and page_token: its parent, filter,
// order and show_* flags. A page token carries the binding of the request that made it, and a
// request with another binding refuses it (AIP-158), so changing the filter between pages cannot
// silently skip entries.
std::string RequestBinding(const google::protobuf::Message& request);

// Applies the default (`default_size`, 50 unless given) and maximum (1000) page size and decodes
// the opaque token, which must carry `binding`. A negative size, a token that does not decode,
// or one made for a request with another binding is INVALID_ARGUMENT.
absl::StatusOr<PageRequest> ParsePage(int32_t page_size, absl::string_view page_token,
                                      std::string binding, int32_t default_size = 50);

// The page a List request asks for (its page_size and page_token), bound to the request.
template <typename R>
absl::StatusOr<PageRequest> ParsePageRequest(const R& request, int32_t default_size = 50) {
  return ParsePage(request.page_size(), request.page_token(), RequestBinding(request),
                   default_size);
}

// Etags are opaque strings derived from a resource's version counter.
std::string EtagForVersion(int64_t version);

google::protobuf::Timestamp ToProtoTimestamp(absl::Time t);
// RFC 3339 UTC with microseconds, sortable as text.
std::string FormatStoredTime(absl::Time t);

}  // namespace thb
