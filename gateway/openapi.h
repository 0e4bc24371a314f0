// OpenAPI 3.1 for the gateway's routes, generated at start-up from the same annotations that
// route requests, with descriptions taken from the proto comments (a descriptor set built with
// source info is embedded in the binary). Served at GET /openapi.json.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/route_table.h"

namespace thb::gateway {

// `descriptor_set` is a serialized FileDescriptorSet with source info covering the routes'
// services; without it the document still lists everything, without descriptions.
absl::StatusOr<std::string> BuildOpenApi(const RouteTable& routes,
                                         absl::string_view descriptor_set);

// The descriptor set embedded at build time (protos/, imports included, with comments).
absl::string_view EmbeddedDescriptorSet();

}  // namespace thb::gateway
