// Structured logging: one JSON object per line on stdout, so log shippers need no parser
// configuration. Every line carries the time, level and service name.
#pragma once

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace thb {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

absl::StatusOr<LogLevel> ParseLogLevel(absl::string_view text);

// Sets the service name written on every line and the lowest level written.
void InitLogging(absl::string_view service, LogLevel min_level);

bool LogEnabled(LogLevel level);

// Writes one line: {"ts":..., "level":..., "service":..., "msg":..., <fields>}.
void Log(LogLevel level, absl::string_view message, const nlohmann::json& fields = nullptr);

}  // namespace thb
