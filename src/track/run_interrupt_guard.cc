// RunInterruptGuard: a signal handler may only do async-signal-safe work, so
// it writes the signal number into a pipe; a watcher thread reads it, ends the
// run KILLED through an ordinary store connection and exits the process.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>

#include "core/error.h"
#include "track/tracking_store.h"

namespace ember::track {

namespace {
// The write end of the active guard's pipe; -1 when none. Read by the signal
// handler, so it is a plain lock-free atomic int.
volatile std::sig_atomic_t g_signal_fd = -1;

extern "C" void OnTerminatingSignal(int sig) {
  const int saved = errno;
  const unsigned char byte = static_cast<unsigned char>(sig);
  if (g_signal_fd >= 0) [[maybe_unused]] ssize_t n = ::write(g_signal_fd, &byte, 1);
  errno = saved;
}
}  // namespace

struct RunInterruptGuard::State {
  int read_fd = -1;
  int write_fd = -1;
  struct sigaction old_int {};
  struct sigaction old_term {};
  std::thread watcher;
};

RunInterruptGuard::RunInterruptGuard(const std::string& root, const std::string& run_id)
    : state_(std::make_unique<State>()) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) ThrowErrno("creating the interrupt pipe for run", run_id);
  state_->read_fd = fds[0];
  state_->write_fd = fds[1];
  g_signal_fd = fds[1];
  struct sigaction action {};
  action.sa_handler = OnTerminatingSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &state_->old_int);
  sigaction(SIGTERM, &action, &state_->old_term);
  const int read_fd = fds[0];
  state_->watcher = std::thread([root, run_id, read_fd] {
    unsigned char sig = 0;
    ssize_t n;
    do {
      n = ::read(read_fd, &sig, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1 || sig == 0) return;  // the guard is going away
    const char* name = sig == SIGINT ? "SIGINT" : "SIGTERM";
    try {
      TrackingStore store = TrackingStore::Open(root);
      store.EndRun(run_id, RunStatus::kKilled, fmt::format("interrupted by {}", name));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ember: run %s could not be marked KILLED: %s\n", run_id.c_str(), e.what());
    }
    std::fprintf(stderr, "ember: %s: run %s ended KILLED\n", name, run_id.c_str());
    std::_Exit(128 + sig);
  });
}

RunInterruptGuard::~RunInterruptGuard() {
  sigaction(SIGINT, &state_->old_int, nullptr);
  sigaction(SIGTERM, &state_->old_term, nullptr);
  g_signal_fd = -1;
  const unsigned char stop = 0;
  [[maybe_unused]] ssize_t n = ::write(state_->write_fd, &stop, 1);
  if (state_->watcher.joinable()) state_->watcher.join();
  ::close(state_->read_fd);
  ::close(state_->write_fd);
}

}  // namespace ember::track
