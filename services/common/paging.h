// List pages (AIP-158) of a table of stored resources, with the cursor SQL written once. A list
// names its table, an optional condition over the table's columns and its parameters; the helper
// adds the continuation after the page token, the order and the limit, and fills the page and
// the next page token.
//   THB_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(r));
//   return ListById(tx, {"members", "seat = $1", {seat}}, page, out.mutable_members(),
//                   out.mutable_next_page_token());
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/storage.h"
#include "services/common/versioned_rows.h"

namespace thb {

// Which rows a list reads. `table` and `where` are constants of the calling code, never request
// input; `where` refers to its parameters as $1..$n, bound to `params`.
struct ListQuery {
  const char* table;
  std::string where = "1 = 1";
  std::vector<Value> params = {};
};

namespace paging_internal {

inline std::string Placeholder(size_t index) { return absl::StrCat("$", index); }

// T in a parameter that does not take part in deduction (std::type_identity_t of C++20).
template <typename T>
struct Same {
  using type = T;
};

}  // namespace paging_internal

// A page of `query`'s rows in id order (the usual AIP-158 order of the suite's lists), reading
// `columns` too (constants, e.g. "superseded": row columns 2, 3, ... after id and data) so that
// `amend` completes each listed resource from its row: for a field kept in a column rather than in
// the stored message.
template <typename T>
absl::Status ListById(
    Transaction& tx, const ListQuery& query, const PageRequest& page,
    google::protobuf::RepeatedPtrField<T>* out, std::string* next_page_token,
    absl::string_view columns,
    absl::FunctionRef<void(const Row&, typename paging_internal::Same<T>::type&)> amend) {
  using paging_internal::Placeholder;
  const size_t n = query.params.size();
  std::vector<Value> params = query.params;
  params.emplace_back(page.after);
  params.emplace_back(static_cast<int64_t>(page.page_size) + 1);
  THB_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query(absl::StrCat("SELECT id, data", columns.empty() ? "" : ", ", columns, " FROM ",
                            query.table, " WHERE (", query.where, ") AND id > ", Placeholder(n + 1),
                            " ORDER BY id LIMIT ", Placeholder(n + 2)),
               params));
  const int first = out->size();
  THB_RETURN_IF_ERROR(FillPage(rows, page, out, next_page_token));
  for (int i = first; i < out->size(); ++i) amend(rows[i - first], *out->Mutable(i));
  return absl::OkStatus();
}

// A page of `query`'s rows in id order (the usual AIP-158 order of the suite's lists).
template <typename T>
absl::Status ListById(Transaction& tx, const ListQuery& query, const PageRequest& page,
                      google::protobuf::RepeatedPtrField<T>* out, std::string* next_page_token) {
  return ListById(tx, query, page, out, next_page_token, "", [](const Row&, T&) {});
}

// A page of `query`'s rows newest first (create_time DESC, id DESC), for append-only histories
// such as progress reports and assessments; the table has a create_time column.
template <typename T>
absl::Status ListNewestFirst(Transaction& tx, const ListQuery& query, const PageRequest& page,
                             google::protobuf::RepeatedPtrField<T>* out,
                             std::string* next_page_token) {
  using paging_internal::Placeholder;
  const NewestFirstCursor after = NewestFirstCursor::FromToken(page.after);
  const size_t n = query.params.size();
  std::vector<Value> params = query.params;
  params.emplace_back(after.create_time);
  params.emplace_back(after.id);
  params.emplace_back(static_cast<int64_t>(page.page_size) + 1);
  const std::string time = Placeholder(n + 1);
  const std::string id = Placeholder(n + 2);
  THB_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query(absl::StrCat("SELECT create_time, id, data FROM ", query.table, " WHERE (",
                            query.where, ") AND (", time, " = '' OR create_time < ", time,
                            " OR (create_time = ", time, " AND id < ", id,
                            ")) ORDER BY create_time DESC, id DESC LIMIT ", Placeholder(n + 3)),
               params));
  return FillNewestFirstPage(rows, page, out, next_page_token);
}

// A page of `query`'s rows in id order, keeping only the resources `keep` accepts: for a list
// whose filter, or the caller's right to see a row, needs the decoded resource. Reads on past
// the cursor until the page is full. `keep` is callable as absl::StatusOr<bool>(T&) and may
// complete the resource it keeps; its error ends the list.
template <typename T, typename Keep>
absl::Status ListByIdFiltered(Transaction& tx, const ListQuery& query, const PageRequest& page,
                              Keep&& keep, google::protobuf::RepeatedPtrField<T>* out,
                              std::string* next_page_token) {
  std::vector<Value> params = query.params;
  params.emplace_back(page.after);
  THB_ASSIGN_OR_RETURN(
      std::vector<Row> rows,
      tx.Query(
          absl::StrCat("SELECT id, data FROM ", query.table, " WHERE (", query.where, ") AND id > ",
                       paging_internal::Placeholder(params.size()), " ORDER BY id"),
          params));
  std::string last;  // the id of the last resource on the page
  for (const Row& row : rows) {
    T resource;
    if (!resource.ParseFromString(row.Text(1))) {
      return absl::DataLossError(absl::StrCat("stored row ", row.Text(0), " does not parse"));
    }
    THB_ASSIGN_OR_RETURN(const bool kept, absl::StatusOr<bool>(keep(resource)));
    if (!kept) continue;
    if (out->size() == page.page_size) {
      *next_page_token = page.Token(last);
      break;
    }
    last = row.Text(0);
    *out->Add() = std::move(resource);
  }
  return absl::OkStatus();
}

}  // namespace thb
