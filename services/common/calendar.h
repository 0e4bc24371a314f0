// google.type.Date and google.type.Money as the domain uses them: validation, ordering,
// conversion to absl civil days, and exact money arithmetic (no floating point).
#pragma once

#include <string>

#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/type/date.pb.h"
#include "google/type/money.pb.h"

namespace thb {

// A date is "set" when any of its parts is non-zero.
bool IsSet(const google::type::Date& d);
// A full calendar date (year 1900-9999, real month and day).
bool IsValidDate(const google::type::Date& d);
absl::CivilDay ToCivilDay(const google::type::Date& d);
google::type::Date ToDate(absl::CivilDay day);
// The UTC calendar day of an instant.
absl::CivilDay DayOf(absl::Time t);
// "2025-03-01"; sorts like the dates.
std::string FormatDate(const google::type::Date& d);

// ISO 4217 code shape: three upper-case letters.
bool IsCurrencyCode(const std::string& code);
// An ISO 4217 code, units and nanos agreeing in sign, |nanos| < 1e9, and |units| at most
// kMaxMoneyUnits: no budget comes near it, and sums of amounts stay far from overflowing.
inline constexpr int64_t kMaxMoneyUnits = 1'000'000'000'000;  // a trillion
bool IsValidMoney(const google::type::Money& m);
// The amount in nanos of the currency unit.
absl::int128 ToNanos(const google::type::Money& m);
google::type::Money FromNanos(const std::string& currency, absl::int128 nanos);

}  // namespace thb
