// thbctl statistics import: a CSV file of aggregate counts into the rapporteur, in one
// transactional submission per institution and period.
#pragma once

#include <iosfwd>
#include <string>

#include "tools/thbctl/rpc.h"
#include "tools/thbctl/statistics_csv.h"

namespace thb::ctl {

struct ImportOptions {
  std::string file;
  RowDefaults defaults;
  bool dry_run = false;
  bool progress_bar = false;  // a redrawn bar (a terminal) instead of progress lines
};

// 0 on success; 1 when the service refused or failed; 2 for a file with bad rows (nothing sent).
//  1. every row is checked locally; any bad row ends the import before anything is sent;
//  2. every submission is checked by the service (validate_only), also before anything is stored;
//  3. unless --dry-run, each submission is sent with a request id derived from its content, so a
//     re-run of an interrupted import stores each submission once.
int RunStatisticsImport(const Connection& rapporteur, const ImportOptions& given, std::ostream& out,
                        std::ostream& err);

}  // namespace thb::ctl
