// thbctl institutions import: a CSV file of institutions into the coordinator's registry.
// Columns (header required): id, display_name, sector, kind (required), parent, region,
// contact_email. Every row is checked before any is sent; each create carries a request id
// derived from the row, and an institution that exists already is left as it is, so running the
// same file again changes nothing.
#pragma once

#include <iosfwd>
#include <string>

#include "tools/thbctl/rpc.h"

namespace thb::ctl {

int RunInstitutionsImport(const Connection& coordinator, const std::string& file, bool dry_run,
                          std::ostream& out, std::ostream& err);

}  // namespace thb::ctl
