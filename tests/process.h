// Runs a real binary as a child process for end-to-end tests: captures its stdout lines, waits
// for its "listening" JSON log line (no sleeps), and stops it with a signal.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"

namespace thb::testing {

// The "address" of a "listening" log line (host:port).
inline std::string AddressOf(const nlohmann::json& listening) {
  return listening.at("address").get<std::string>();
}

class ChildProcess {
 public:
  ChildProcess(std::string binary, std::vector<std::string> args);
  ~ChildProcess();

  // The first log line whose "msg" is "listening", or nullopt if the process exits or the
  // timeout passes first.
  std::optional<nlohmann::json> WaitForListening(absl::Duration timeout = absl::Seconds(30));
  // The first JSON log line for which `match` is true, or nullopt if the process exits or the
  // timeout passes first.
  std::optional<nlohmann::json> WaitForLogLine(
      const std::function<bool(const nlohmann::json&)>& match,
      absl::Duration timeout = absl::Seconds(30));
  pid_t pid() const { return pid_; }
  // Sends `sig` and waits for the exit; returns the exit status (or 128+signal).
  int Stop(int sig);
  // Waits for the process to exit by itself.
  int Wait();
  // Everything printed so far (stdout and stderr).
  std::string Output();

 private:
  void ReadOutput(int fd);

  pid_t pid_ = -1;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  bool closed_ = false;
  std::optional<int> exit_status_;
};

// A THB service binary (coordinator, commission or rapporteur) started on free loopback ports,
// gRPC and admin, with its database `db` and the HS256 key in `key_file`, plus `extra` flags (a
// later flag wins, so `extra` may override these), once it has logged its "listening" line.
struct StartedService {
  std::unique_ptr<ChildProcess> process;
  std::optional<nlohmann::json> listening;  // nullopt: it exited or did not listen in time
};
StartedService StartService(const std::string& binary, const std::string& db,
                            const std::string& key_file, std::vector<std::string> extra = {});

}  // namespace thb::testing
