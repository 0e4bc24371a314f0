// How one kind of resource is stored, declared once: the table (columns id, data, version, and
// the index columns list queries filter on), the noun its errors use, and each index column's
// value as a function of the resource. The table writes the SQL of loading, inserting and
// updating a versioned row, sets the etag from the version, and words NOT_FOUND and
// ALREADY_EXISTS the same way for every resource. UpdateResource is the whole update routine
// (load, etag check, change, stamp, save, record) for one resource. A record that is stored once
// and never changed (an evaluation, an assessment) lives in a Versioning::kWriteOnce table: no
// version column, no etag.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <cassert>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/errors.h"
#include "services/common/mutation.h"
#include "services/common/resources.h"
#include "services/common/status_macros.h"
#include "services/common/storage.h"
#include "services/common/versioned_rows.h"

namespace thb {

namespace resource_table_internal {

template <typename T, typename = void>
struct HasUpdateTime : std::false_type {};
template <typename T>
struct HasUpdateTime<T, std::void_t<decltype(std::declval<T&>().mutable_update_time())>>
    : std::true_type {};

template <typename T, typename = void>
struct HasEtag : std::false_type {};
template <typename T>
struct HasEtag<T, std::void_t<decltype(std::declval<T&>().set_etag(""))>> : std::true_type {};

}  // namespace resource_table_internal

// Whether a table's rows carry a version (the etag's source, incremented by every update) or are
// written once and never updated (no version column; the resource has no etag).
enum class Versioning { kVersioned, kWriteOnce };

// `t` as FormatStoredTime writes it: the value of a time column (create_time) taken from the
// resource's own timestamp.
inline std::string StoredTime(const google::protobuf::Timestamp& t) {
  return FormatStoredTime(absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos()));
}

template <typename T>
class ResourceTable {
 public:
  // An index column beside id, data and version, and its value for a resource.
  struct Column {
    const char* name;
    std::function<Value(const T&)> value;
  };

  // `table`, `noun` and the column names are constants of the calling code, never request input.
  ResourceTable(const char* table, const char* noun, std::vector<Column> columns = {},
                Versioning versioning = Versioning::kVersioned)
      : table_(table), noun_(noun), columns_(std::move(columns)), versioning_(versioning) {
    std::vector<std::string> names = {"id"};
    std::vector<std::string> placeholders = {"$1"};
    std::vector<std::string> sets;
    for (size_t i = 0; i < columns_.size(); ++i) {
      names.push_back(columns_[i].name);
      placeholders.push_back(absl::StrCat("$", i + 2));
      sets.push_back(absl::StrCat(columns_[i].name, " = $", i + 2));
    }
    const size_t data = columns_.size() + 2;
    names.emplace_back("data");
    placeholders.push_back(absl::StrCat("$", data));
    if (versioned()) {
      names.emplace_back("version");
      placeholders.push_back(absl::StrCat("$", data + 1));
    }
    sets.push_back(absl::StrCat("data = $", data));
    sets.push_back(absl::StrCat("version = $", data + 1));
    insert_sql_ = absl::StrCat("INSERT INTO ", table_, " (", absl::StrJoin(names, ", "),
                               ") VALUES (", absl::StrJoin(placeholders, ", "), ")");
    update_sql_ =
        absl::StrCat("UPDATE ", table_, " SET ", absl::StrJoin(sets, ", "), " WHERE id = $1");
    upsert_sql_ =
        absl::StrCat(insert_sql_, " ON CONFLICT (id) DO UPDATE SET ", absl::StrJoin(sets, ", "));
  }

  const char* table() const { return table_; }
  const char* noun() const { return noun_; }

  // "<noun> <name> does not exist".
  absl::Status NotFound(absl::string_view name) const {
    return ResourceNotFound(T::descriptor()->full_name(), std::string(name),
                            absl::StrCat(noun_, " ", name, " does not exist"));
  }

  // The stored row `id`, or nullopt (version 0 in a write-once table).
  absl::StatusOr<std::optional<Versioned<T>>> Find(Transaction& tx, const std::string& id) const {
    if (versioned()) return LoadVersioned<T>(tx, table_, id);
    THB_ASSIGN_OR_RETURN(
        std::vector<T> found,
        LoadMessages<T>(tx, absl::StrCat("SELECT data FROM ", table_, " WHERE id = $1"), {id}));
    if (found.empty()) return std::optional<Versioned<T>>();
    return std::optional<Versioned<T>>(Versioned<T>{std::move(found[0]), 0});
  }

  // The stored resource `id`, read in a read-only transaction of its own (a Get); nullopt when
  // there is none.
  absl::StatusOr<std::optional<T>> Read(Database& db, const std::string& id) const {
    std::optional<T> out;
    THB_RETURN_IF_ERROR(db.RunReadOnly([&](Transaction& tx) -> absl::Status {
      THB_ASSIGN_OR_RETURN(std::optional<Versioned<T>> found, Find(tx, id));
      if (found.has_value()) out = std::move(found->resource);
      return absl::OkStatus();
    }));
    return out;
  }

  // The stored row `id`; NOT_FOUND naming `name` when there is none.
  absl::StatusOr<Versioned<T>> Load(Transaction& tx, const std::string& id,
                                    absl::string_view name) const {
    THB_ASSIGN_OR_RETURN(std::optional<Versioned<T>> found, Find(tx, id));
    if (!found.has_value()) return NotFound(name);
    return *std::move(found);
  }

  // Writes `resource` as row `id` at version 1 (its etag set to match; a write-once row has
  // neither); ALREADY_EXISTS naming the resource when the id is taken.
  absl::Status Insert(Transaction& tx, const std::string& id, T& resource) const {
    if constexpr (resource_table_internal::HasEtag<T>::value) {
      if (versioned()) resource.set_etag(EtagForVersion(1));
    }
    absl::StatusOr<int64_t> n = tx.Execute(insert_sql_, Params(id, resource, 1));
    if (n.status().code() == absl::StatusCode::kAlreadyExists) {
      return ResourceAlreadyExists(type::v1::ERROR_REASON_RESOURCE_ALREADY_EXISTS,
                                   T::descriptor()->full_name(), resource.name(),
                                   absl::StrCat(noun_, " ", resource.name(), " already exists"));
    }
    return n.status();
  }

  // Overwrites row `id` with `resource` at `version` (its etag set to match). Versioned tables
  // only, as is Upsert.
  absl::Status Update(Transaction& tx, const std::string& id, T& resource, int64_t version) const {
    assert(versioned());
    resource.set_etag(EtagForVersion(version));
    return tx.Execute(update_sql_, Params(id, resource, version)).status();
  }

  // Inserts or overwrites row `id` (for singletons such as the mandate).
  absl::Status Upsert(Transaction& tx, const std::string& id, T& resource, int64_t version) const {
    assert(versioned());
    resource.set_etag(EtagForVersion(version));
    return tx.Execute(upsert_sql_, Params(id, resource, version)).status();
  }

 private:
  bool versioned() const { return versioning_ == Versioning::kVersioned; }

  std::vector<Value> Params(const std::string& id, const T& resource, int64_t version) const {
    std::vector<Value> params;
    params.reserve(columns_.size() + 3);
    params.emplace_back(id);
    for (const Column& c : columns_) params.push_back(c.value(resource));
    params.emplace_back(Blob{resource.SerializeAsString()});
    if (versioned()) params.emplace_back(version);
    return params;
  }

  const char* table_;
  const char* noun_;
  std::vector<Column> columns_;
  Versioning versioning_;
  std::string insert_sql_;
  std::string update_sql_;
  std::string upsert_sql_;
};

// Where a stored resource is and what the caller last saw of it.
struct StoredRef {
  std::string id;    // the row's id
  std::string name;  // the resource name, for errors
  std::string etag;  // the caller's etag; empty skips the check
};

// A change to a stored resource, made inside the mutation's transaction on a copy of it.
template <typename T>
using ResourceChange = absl::FunctionRef<absl::Status(Transaction& tx, T& resource)>;

// Loads `ref` (NOT_FOUND), checks the caller's etag (ABORTED), applies `change`, stamps
// update_time with `now` (when T has one) and writes the next version; `result` is the resource
// as saved. For use inside a RunMutation body that does more than update one resource.
template <typename T>
absl::Status ChangeStored(Transaction& tx, const ResourceTable<T>& table, const StoredRef& ref,
                          absl::Time now, ResourceChange<T> change, T& result) {
  THB_ASSIGN_OR_RETURN(Versioned<T> stored, table.Load(tx, ref.id, ref.name));
  THB_RETURN_IF_ERROR(CheckEtag(ref.etag, stored.resource.etag(), ref.name));
  result = std::move(stored.resource);
  THB_RETURN_IF_ERROR(change(tx, result));
  if constexpr (resource_table_internal::HasUpdateTime<T>::value) {
    *result.mutable_update_time() = ToProtoTimestamp(now);
  }
  return table.Update(tx, ref.id, result, stored.version + 1);
}

// The whole update mutation of one resource: RunMutation around ChangeStored.
template <typename T>
absl::StatusOr<T> UpdateResource(Database& db, const MutationCall& call,
                                 const ResourceTable<T>& table, const StoredRef& ref,
                                 absl::Time now, ResourceChange<T> change) {
  return RunMutation<T>(db, call, [&](Transaction& tx, T& result) {
    return ChangeStored(tx, table, ref, now, change, result);
  });
}

}  // namespace thb
