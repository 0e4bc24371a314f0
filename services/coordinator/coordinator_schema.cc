#include "services/coordinator/coordinator_schema.h"

#include <vector>

namespace thb::coordinator {

absl::Span<const Migration> CoordinatorMigrations() {
  // Each resource is one serialized proto (data) with a version counter for its etag; the
  // columns beside it are the ones lists filter or join on.
  static const auto* m = new std::vector<Migration>{
      {1, "institutions registry",
       "CREATE TABLE institutions ("
       "  id TEXT PRIMARY KEY,"
       "  sector INTEGER NOT NULL,"
       "  kind INTEGER NOT NULL,"
       "  state INTEGER NOT NULL,"
       "  parent TEXT NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"
       "CREATE INDEX institutions_parent ON institutions (parent);"},
      {2, "mandate, action plans, objectives, measures, progress reports, revisions",
       "CREATE TABLE mandate ("
       "  id TEXT PRIMARY KEY,"
       "  institution TEXT NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"
       "CREATE TABLE plans ("
       "  id TEXT PRIMARY KEY,"
       "  state INTEGER NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"
       "CREATE TABLE objectives ("
       "  id TEXT PRIMARY KEY,"  // "<plan>/<objective>"
       "  plan TEXT NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"
       "CREATE INDEX objectives_plan ON objectives (plan);"
       "CREATE TABLE measures ("
       "  id TEXT PRIMARY KEY,"  // "<plan>/<measure>"
       "  plan TEXT NOT NULL,"
       "  objective TEXT NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"
       "CREATE INDEX measures_plan ON measures (plan);"
       "CREATE INDEX measures_objective ON measures (objective);"
       "CREATE TABLE measure_institutions ("  // lead and partners, for reference checks
       "  measure TEXT NOT NULL,"
       "  institution TEXT NOT NULL,"
       "  PRIMARY KEY (measure, institution));"
       "CREATE INDEX measure_institutions_institution ON measure_institutions (institution);"
       "CREATE TABLE progress_reports ("
       "  id TEXT PRIMARY KEY,"  // "<plan>/<measure>/<report>"
       "  measure TEXT NOT NULL,"
       "  create_time TEXT NOT NULL,"
       "  data BLOB NOT NULL);"
       "CREATE INDEX progress_reports_measure ON progress_reports (measure, create_time);"
       "CREATE TABLE plan_revisions ("
       "  plan TEXT NOT NULL,"
       "  number INTEGER NOT NULL,"
       "  data BLOB NOT NULL,"
       "  PRIMARY KEY (plan, number));"},
      {3, "links between resources, engagements, reporting obligations and their cycles",
       "CREATE TABLE resource_links ("  // which resource names which (resource_links.h)
       "  source TEXT NOT NULL,"
       "  target TEXT NOT NULL,"
       "  PRIMARY KEY (source, target));"
       "CREATE INDEX resource_links_target ON resource_links (target);"
       "CREATE TABLE engagements ("
       "  id TEXT PRIMARY KEY,"
       "  start_date TEXT NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"
       "CREATE TABLE obligations ("
       "  id TEXT PRIMARY KEY,"
       "  state INTEGER NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"
       "CREATE TABLE obligation_cycles ("
       "  id TEXT PRIMARY KEY,"       // "<obligation>/<cycle>"
       "  obligation TEXT NOT NULL,"  // obligations/{obligation}
       "  state INTEGER NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"
       "CREATE INDEX obligation_cycles_obligation ON obligation_cycles (obligation, state);"},
      {4, "external recommendations",
       "CREATE TABLE external_recommendations ("
       "  id TEXT PRIMARY KEY,"
       "  obligation TEXT NOT NULL,"  // obligations/{obligation} or ''
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"
       "CREATE INDEX external_recommendations_obligation ON external_recommendations "
       "(obligation);"},
      {5, "policy documents",
       "CREATE TABLE policy_documents ("
       "  id TEXT PRIMARY KEY,"
       "  state INTEGER NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"},
      {6, "progress publications",
       "CREATE TABLE progress_publications ("
       "  id TEXT PRIMARY KEY,"  // "<plan>/<publication>"
       "  plan TEXT NOT NULL,"
       "  state INTEGER NOT NULL,"
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"
       "CREATE INDEX progress_publications_plan ON progress_publications (plan);"},
      {7, "budget lines",
       "CREATE TABLE budget_lines ("
       "  id TEXT PRIMARY KEY,"
       "  year INTEGER NOT NULL,"
       "  plan TEXT NOT NULL,"  // the plan id of the plan or measure it funds, or ''
       "  data BLOB NOT NULL,"
       "  version INTEGER NOT NULL);"
       "CREATE INDEX budget_lines_plan ON budget_lines (plan);"},
  };
  return *m;
}

}  // namespace thb::coordinator
