#include "services/common/calendar.h"

#include "absl/strings/str_format.h"

namespace thb {

bool IsSet(const google::type::Date& d) { return d.year() != 0 || d.month() != 0 || d.day() != 0; }

bool IsValidDate(const google::type::Date& d) {
  if (d.year() < 1900 || d.year() > 9999 || d.month() < 1 || d.month() > 12 || d.day() < 1) {
    return false;
  }
  const absl::CivilDay day(d.year(), d.month(), d.day());
  // CivilDay normalises out-of-range days (Feb 30 -> Mar 2): a real date survives unchanged.
  return day.year() == d.year() && day.month() == d.month() && day.day() == d.day();
}

absl::CivilDay ToCivilDay(const google::type::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

google::type::Date ToDate(absl::CivilDay day) {
  google::type::Date d;
  d.set_year(static_cast<int32_t>(day.year()));
  d.set_month(day.month());
  d.set_day(day.day());
  return d;
}

absl::CivilDay DayOf(absl::Time t) { return absl::ToCivilDay(t, absl::UTCTimeZone()); }

std::string FormatDate(const google::type::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

bool IsCurrencyCode(const std::string& code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

bool IsValidMoney(const google::type::Money& m) {
  if (!IsCurrencyCode(m.currency_code())) return false;
  if (m.nanos() <= -1000000000 || m.nanos() >= 1000000000) return false;
  if (m.units() > kMaxMoneyUnits || m.units() < -kMaxMoneyUnits) return false;
  return !((m.units() > 0 && m.nanos() < 0) || (m.units() < 0 && m.nanos() > 0));
}

absl::int128 ToNanos(const google::type::Money& m) {
  return absl::int128(m.units()) * 1000000000 + m.nanos();
}

google::type::Money FromNanos(const std::string& currency, absl::int128 nanos) {
  google::type::Money m;
  m.set_currency_code(currency);
  m.set_units(static_cast<int64_t>(nanos / 1000000000));
  m.set_nanos(static_cast<int32_t>(nanos % 1000000000));
  return m;
}

}  // namespace thb
