#include "tests/process.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "absl/strings/str_join.h"
#include "absl/time/clock.h"

extern char** environ;

namespace thb::testing {

ChildProcess::ChildProcess(std::string binary, std::vector<std::string> args) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<char*> argv;
  argv.push_back(binary.data());
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    throw std::runtime_error("cannot start " + binary + ": " + std::strerror(rc));
  }
  reader_ = std::thread([this, fd = fds[0]] { ReadOutput(fd); });
}

ChildProcess::~ChildProcess() {
  if (!exit_status_) Stop(SIGKILL);
  if (reader_.joinable()) reader_.join();
}

void ChildProcess::ReadOutput(int fd) {
  std::string partial;
  char buf[4096];
  while (true) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    partial.append(buf, n);
    size_t nl;
    while ((nl = partial.find('\n')) != std::string::npos) {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.push_back(partial.substr(0, nl));
      partial.erase(0, nl + 1);
      cv_.notify_all();
    }
  }
  close(fd);
  std::lock_guard<std::mutex> lock(mu_);
  if (!partial.empty()) lines_.push_back(partial);
  closed_ = true;
  cv_.notify_all();
}

std::optional<nlohmann::json> ChildProcess::WaitForListening(absl::Duration timeout) {
  return WaitForLogLine([](const nlohmann::json& j) { return j.value("msg", "") == "listening"; },
                        timeout);
}

std::optional<nlohmann::json> ChildProcess::WaitForLogLine(
    const std::function<bool(const nlohmann::json&)>& match, absl::Duration timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  const auto deadline = absl::ToChronoTime(absl::Now() + timeout);
  size_t seen = 0;
  while (true) {
    for (; seen < lines_.size(); ++seen) {
      nlohmann::json j = nlohmann::json::parse(lines_[seen], nullptr, false);
      if (j.is_object() && match(j)) return j;
    }
    if (closed_) return std::nullopt;
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout) return std::nullopt;
  }
}

int ChildProcess::Stop(int sig) {
  if (exit_status_) return *exit_status_;
  kill(pid_, sig);
  return Wait();
}

int ChildProcess::Wait() {
  if (exit_status_) return *exit_status_;
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (reader_.joinable()) reader_.join();
  return *exit_status_;
}

std::string ChildProcess::Output() {
  std::lock_guard<std::mutex> lock(mu_);
  return absl::StrJoin(lines_, "\n");
}

StartedService StartService(const std::string& binary, const std::string& db,
                            const std::string& key_file, std::vector<std::string> extra) {
  std::vector<std::string> args = {"--listen=127.0.0.1:0", "--admin_listen=127.0.0.1:0",
                                   "--db=" + db, "--jwt_hs256_key_file=" + key_file};
  args.insert(args.end(), extra.begin(), extra.end());
  StartedService s{std::make_unique<ChildProcess>(binary, std::move(args)), std::nullopt};
  s.listening = s.process->WaitForListening();
  return s;
}

}  // namespace thb::testing
