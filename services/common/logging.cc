#include "services/common/logging.h"

#include <google/protobuf/stubs/logging.h>
#include <grpc/support/log.h>

#include <atomic>
#include <cstdio>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace thb {
namespace {

absl::Mutex log_mutex;
std::string& ServiceName() {
  static auto* name = new std::string("thb");
  return *name;
}
std::atomic<int> min_level{static_cast<int>(LogLevel::kInfo)};

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

// protobuf's and gRPC core's own messages ("[libprotobuf ERROR] ..." and "E1201 ... ] ..." on
// stderr by default) become log lines like ours, so every line a binary writes is one JSON object.
void ProtobufLogLine(google::protobuf::LogLevel level, const char* filename, int line,
                     const std::string& message) {
  LogLevel ours = LogLevel::kError;
  if (level == google::protobuf::LOGLEVEL_INFO) ours = LogLevel::kInfo;
  if (level == google::protobuf::LOGLEVEL_WARNING) ours = LogLevel::kWarning;
  Log(ours, message, {{"source", "protobuf"}, {"file", filename}, {"line", line}});
}

void GrpcLogLine(gpr_log_func_args* args) {
  LogLevel ours = LogLevel::kError;
  if (args->severity == GPR_LOG_SEVERITY_DEBUG) ours = LogLevel::kDebug;
  if (args->severity == GPR_LOG_SEVERITY_INFO) ours = LogLevel::kInfo;
  Log(ours, args->message, {{"source", "grpc"}, {"file", args->file}, {"line", args->line}});
}

}  // namespace

absl::StatusOr<LogLevel> ParseLogLevel(absl::string_view text) {
  std::string t = absl::AsciiStrToLower(text);
  if (t == "debug") return LogLevel::kDebug;
  if (t == "info") return LogLevel::kInfo;
  if (t == "warning" || t == "warn") return LogLevel::kWarning;
  if (t == "error") return LogLevel::kError;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown log level \"", text, "\" (debug, info, warning, error)"));
}

void InitLogging(absl::string_view service, LogLevel level) {
  absl::MutexLock lock(&log_mutex);
  ServiceName() = std::string(service);
  min_level = static_cast<int>(level);
  google::protobuf::SetLogHandler(&ProtobufLogLine);
  gpr_set_log_function(&GrpcLogLine);
}

bool LogEnabled(LogLevel level) { return static_cast<int>(level) >= min_level; }

void Log(LogLevel level, absl::string_view message, const nlohmann::json& fields) {
  if (!LogEnabled(level)) return;
  nlohmann::json line = nlohmann::json::object();
  line["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  line["level"] = LevelName(level);
  {
    absl::MutexLock lock(&log_mutex);
    line["service"] = ServiceName();
  }
  line["msg"] = std::string(message);
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) line[key] = value;
  }
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  absl::MutexLock lock(&log_mutex);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace thb
