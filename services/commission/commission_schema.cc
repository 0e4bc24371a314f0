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
      {3, "meetings and action items",
       "CREATE TABLE meetings ("
       "  id TEXT PRIMARY KEY,"
       "  body TEXT NOT NULL,"
       "  state INTEGER NOT NULL,"
       "  start_time TEXT NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"
       "CREATE INDEX meetings_body ON meetings (body, start_time);"
       "CREATE TABLE action_items ("
       "  id TEXT PRIMARY KEY,"
       "  meeting TEXT NOT NULL,"
       "  status INTEGER NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"},
      {4, "consultations and submissions",
       "CREATE TABLE consultations ("
       "  id TEXT PRIMARY KEY,"
       "  plan TEXT NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"
       "CREATE TABLE submissions ("
       "  id TEXT PRIMARY KEY,"  // "<consultation>/<submission>"
       "  consultation TEXT NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"
       "CREATE INDEX submissions_consultation ON submissions (consultation);"},
      {5, "bodies and their status reports",
       "CREATE TABLE bodies ("
       "  id TEXT PRIMARY KEY,"
       "  kind INTEGER NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"
       "CREATE TABLE status_reports ("
       "  id TEXT PRIMARY KEY,"  // "<body>/<report>"
       "  body TEXT NOT NULL,"
       "  create_time TEXT NOT NULL,"
       "  data BLOB NOT NULL);"
       "CREATE INDEX status_reports_body ON status_reports (body, create_time);"},
  };
  return *m;
}

}  // namespace thb::commission
