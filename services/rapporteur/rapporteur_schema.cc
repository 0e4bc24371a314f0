#include "services/rapporteur/rapporteur_schema.h"

#include <vector>

namespace thb::rapporteur {

absl::Span<const Migration> RapporteurMigrations() {
  static const auto* m = new std::vector<Migration>{
      {1, "statistics submissions",
       "CREATE TABLE statistics_submissions ("
       "  id TEXT PRIMARY KEY,"
       "  institution TEXT NOT NULL,"
       "  year INTEGER NOT NULL,"
       "  quarter INTEGER NOT NULL,"
       "  version INTEGER NOT NULL,"
       "  superseded INTEGER NOT NULL,"
       "  data BLOB NOT NULL,"
       "  UNIQUE (institution, year, quarter, version));"},
      // One row per count, for aggregation in SQL. `effective` marks the rows queries use: the
      // latest version of each period, and an institution's quarters only for a year it has no
      // annual submission for (so nothing is counted twice). `generation` changes with every
      // submission; the public disclosure plan is rebuilt when it does.
      {2, "statistics rows, population tables",
       "ALTER TABLE statistics_submissions ADD COLUMN effective INTEGER NOT NULL DEFAULT 0;"
       "CREATE TABLE statistics_rows ("
       "  submission TEXT NOT NULL,"
       "  institution TEXT NOT NULL,"
       "  year INTEGER NOT NULL,"
       "  effective INTEGER NOT NULL,"
       "  level INTEGER NOT NULL,"
       "  indicator INTEGER NOT NULL,"
       "  form INTEGER NOT NULL,"
       "  sex INTEGER NOT NULL,"
       "  age INTEGER NOT NULL,"
       "  citizenship INTEGER NOT NULL,"
       "  country TEXT NOT NULL,"
       "  region TEXT NOT NULL,"
       "  value INTEGER NOT NULL);"
       "CREATE INDEX statistics_rows_by_submission ON statistics_rows (submission);"
       // Covering: a query at one level reads this index alone, in order, never the table.
       "CREATE INDEX statistics_rows_by_level ON statistics_rows (effective, level, year, "
       "indicator, "
       "form, sex, age, citizenship, country, region, institution, value);"
       "CREATE TABLE statistics_generation (id INTEGER PRIMARY KEY, generation INTEGER NOT NULL);"
       "INSERT INTO statistics_generation (id, generation) VALUES (1, 0);"
       "CREATE TABLE population_tables ("
       "  id TEXT PRIMARY KEY,"
       "  create_time TEXT NOT NULL,"
       "  data BLOB NOT NULL);"},
      {3, "recommendations, reports, evaluations, assessments",
       "CREATE TABLE recommendations ("
       "  id TEXT PRIMARY KEY,"
       "  create_time TEXT NOT NULL,"
       "  version INTEGER NOT NULL,"
       "  data BLOB NOT NULL);"
       "CREATE TABLE reports ("
       "  id TEXT PRIMARY KEY,"
       "  state INTEGER NOT NULL,"
       "  create_time TEXT NOT NULL,"
       "  version INTEGER NOT NULL,"
       "  data BLOB NOT NULL);"
       "CREATE TABLE evaluations ("
       "  id TEXT PRIMARY KEY,"
       "  plan TEXT NOT NULL,"
       "  create_time TEXT NOT NULL,"
       "  data BLOB NOT NULL);"
       "CREATE TABLE assessments ("
       "  id TEXT PRIMARY KEY,"
       "  create_time TEXT NOT NULL,"
       "  data BLOB NOT NULL);"},
      // Atoms a public disclosure plan has withheld. Later plans withhold them too, so the public
      // pattern only grows: an institution that changes its own data cannot make a later plan
      // publish what an earlier one withheld and difference the two (disclosure.h).
      {4, "disclosure: atoms withheld once stay withheld",
       "CREATE TABLE disclosure_withheld ("
       "  indicator INTEGER NOT NULL,"
       "  year INTEGER NOT NULL,"
       "  level INTEGER NOT NULL,"
       "  form INTEGER NOT NULL,"
       "  sex INTEGER NOT NULL,"
       "  age INTEGER NOT NULL,"
       "  citizenship INTEGER NOT NULL,"
       "  country TEXT NOT NULL,"
       "  region TEXT NOT NULL,"
       "  PRIMARY KEY (indicator, year, level, form, sex, age, citizenship, country, region));"},
  };
  return *m;
}

}  // namespace thb::rapporteur
