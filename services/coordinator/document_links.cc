#include "services/coordinator/document_links.h"

#include "absl/strings/match.h"

namespace thb::coordinator {

bool IsDocumentLink(const std::string& uri) {
  return (absl::StartsWith(uri, "https://") || absl::StartsWith(uri, "http://")) &&
         uri.find_first_of(" \t\r\n") == std::string::npos && uri.size() > 8;
}

}  // namespace thb::coordinator
