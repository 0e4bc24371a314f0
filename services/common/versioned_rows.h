// Resources are stored as one serialized proto per row (column `data`) with a version counter
// (column `version`) from which the etag is derived; columns a list filters on sit beside them.
// These helpers read such a row and enforce etags the same way in every service.
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/storage.h"

namespace thb {

template <typename T>
struct Versioned {
  T resource;
  int64_t version = 0;
};

// `table` is a constant of the calling code, never request input.
template <typename T>
absl::StatusOr<std::optional<Versioned<T>>> LoadVersioned(Transaction& tx, absl::string_view table,
                                                          const std::string& id) {
  THB_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query(absl::StrCat("SELECT data, version FROM ", table, " WHERE id = $1"), {id}));
  if (rows.empty()) return std::optional<Versioned<T>>();
  Versioned<T> v;
  if (!v.resource.ParseFromString(rows[0].Text(0))) {
    return absl::DataLossError(absl::StrCat("stored row ", table, "/", id, " does not parse"));
  }
  v.version = rows[0].Int(1);
  return std::optional<Versioned<T>>(std::move(v));
}

// The messages in the first column of every row `sql` returns, in order. `sql` is a constant
// of the calling code; `params` are bound.
template <typename T>
absl::StatusOr<std::vector<T>> LoadMessages(Transaction& tx, absl::string_view sql,
                                            absl::Span<const Value> params = {}) {
  THB_ASSIGN_OR_RETURN(std::vector<Row> rows, tx.Query(sql, params));
  std::vector<T> out(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!out[i].ParseFromString(rows[i].Text(0)))
      return absl::DataLossError("stored row does not parse");
  }
  return out;
}

// Turns the rows (id, data) of a list query that asked for page_size + 1 rows into a page of
// resources, and the next-page token when the extra row came back.
template <typename T>
absl::Status FillPage(const std::vector<Row>& rows, const PageRequest& request,
                      google::protobuf::RepeatedPtrField<T>* page, std::string* next_page_token) {
  const size_t limit = static_cast<size_t>(request.page_size);
  for (size_t i = 0; i < rows.size() && i < limit; ++i) {
    if (!page->Add()->ParseFromString(rows[i].Text(1))) {
      return absl::DataLossError(absl::StrCat("stored row ", rows[i].Text(0), " does not parse"));
    }
  }
  if (rows.size() > limit) *next_page_token = request.Token(rows[limit - 1].Text(0));
  return absl::OkStatus();
}

// Where a newest-first list (ordered by create_time DESC, id DESC) continues: the decoded
// page token "<create_time>|<id>" of the last row returned; both empty for the first page.
struct NewestFirstCursor {
  std::string create_time;
  std::string id;
  static NewestFirstCursor FromToken(const std::string& after) {
    const size_t bar = after.find('|');
    if (bar == std::string::npos) return {};
    return {after.substr(0, bar), after.substr(bar + 1)};
  }
};

// Like FillPage for rows (create_time, id, data) of a newest-first list.
template <typename T>
absl::Status FillNewestFirstPage(const std::vector<Row>& rows, const PageRequest& request,
                                 google::protobuf::RepeatedPtrField<T>* page,
                                 std::string* next_page_token) {
  const size_t limit = static_cast<size_t>(request.page_size);
  for (size_t i = 0; i < rows.size() && i < limit; ++i) {
    if (!page->Add()->ParseFromString(rows[i].Text(2))) {
      return absl::DataLossError(absl::StrCat("stored row ", rows[i].Text(1), " does not parse"));
    }
  }
  if (rows.size() > limit) {
    *next_page_token =
        request.Token(absl::StrCat(rows[limit - 1].Text(0), "|", rows[limit - 1].Text(1)));
  }
  return absl::OkStatus();
}

// ABORTED when the caller sent an etag that is no longer current; an empty etag skips the check.
absl::Status CheckEtag(absl::string_view given, absl::string_view current,
                       absl::string_view resource_name);

}  // namespace thb
