// The shape of a link to a document the office records (a submitted report, the text of a policy
// document): an absolute http or https URL without blanks. Whether it resolves is not checked.
#pragma once

#include <string>

namespace thb::coordinator {

bool IsDocumentLink(const std::string& uri);

}  // namespace thb::coordinator
