// Runs a real binary as a child process for end-to-end tests: captures its stdout lines, waits
// for its "listening" JSON log line (no sleeps), and stops it with a signal.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

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

}  // namespace thb::testing
