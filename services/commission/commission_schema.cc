#include "services/commission/commission_schema.h"

#include <vector>

namespace thb::commission {

absl::Span<const Migration> CommissionMigrations() {
  static const auto* m = new std::vector<Migration>{
      {1, "commission members",
       "CREATE TABLE members ("
       "  id TEXT PRIMARY KEY,"
       "  institution TEXT NOT NULL UNIQUE,"
       "  seat INTEGER NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"},
      {2, "the commission singleton",
       "CREATE TABLE commission ("
       "  id TEXT PRIMARY KEY,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"},
  };
  return *m;
}

}  // namespace thb::commission
