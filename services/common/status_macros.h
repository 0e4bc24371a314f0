// Early return on error, so a routine reads as its steps:
//   THB_RETURN_IF_ERROR(tx.Execute(...));            // absl::Status or absl::StatusOr<T>
//   THB_ASSIGN_OR_RETURN(std::string id, ParseId(...));
//   THB_ASSIGN_OR_RETURN(auto rows, tx.Query(...));
// Either returns the error status from the enclosing function (which returns absl::Status or any
// absl::StatusOr<U>).
#pragma once

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace thb::status_internal {

inline const absl::Status& AsStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& AsStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

}  // namespace thb::status_internal

#define THB_STATUS_CONCAT_INNER_(a, b) a##b
#define THB_STATUS_CONCAT_(a, b) THB_STATUS_CONCAT_INNER_(a, b)

#define THB_RETURN_IF_ERROR(expr)                                 \
  do {                                                            \
    if (const auto& thb_status_or_ = (expr);                      \
        !::thb::status_internal::AsStatus(thb_status_or_).ok()) { \
      return ::thb::status_internal::AsStatus(thb_status_or_);    \
    }                                                             \
  } while (false)

#define THB_ASSIGN_OR_RETURN(lhs, expr) \
  THB_ASSIGN_OR_RETURN_IMPL_(THB_STATUS_CONCAT_(thb_statusor_, __COUNTER__), lhs, expr)

// `lhs` is a declaration ("auto x"), which parentheses would break.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define THB_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr)    \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()
// NOLINTEND(bugprone-macro-parentheses)
