#include "respond/process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "respond/unique_fd.h"
#include "tests/support/child.h"
#include "tests/support/temp_dir.h"

namespace vigil::respond {
namespace {

using std::chrono::steady_clock;
using Argv = std::vector<std::string>;

// A /bin/sh script written by the test (not log-derived), made executable.
std::string script(const test::TempDir& dir, std::string_view name, const std::string& body) {
  std::string path = dir.write(name, "#!/bin/sh\n" + body + "\n");
  std::filesystem::permissions(path, std::filesystem::perms(0755));
  return path;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

RunLimits within(std::chrono::milliseconds timeout,
                 std::chrono::milliseconds grace = std::chrono::seconds(2)) {
  RunLimits limits;
  limits.timeout_us = std::chrono::microseconds(timeout).count();
  limits.kill_grace_us = std::chrono::microseconds(grace).count();
  return limits;
}

// Dead: no such process, or a zombie waiting for a reaper that is not us.
bool gone(pid_t pid) {
  if (::kill(pid, 0) != 0) return errno == ESRCH;
  const std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
  const size_t close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
}

pid_t pid_in(const std::string& path) {
  return static_cast<pid_t>(std::stol(slurp(path)));
}

double seconds_since(steady_clock::time_point start) {
  return std::chrono::duration<double>(steady_clock::now() - start).count();
}

TEST(RunCommand, PassesArgvExactlyWithoutAShell) {
  test::TempDir dir;
  const std::string prog =
      script(dir, "record", R"(printf '%s\n' "$0" "$@" > )" + dir.file("argv"));
  const Argv argv = {prog,
                     "plain",
                     "with  spaces",
                     "'single' \"double\"",
                     "$(touch " + dir.file("x") + ")",
                     "`touch " + dir.file("y") + "`",
                     "; touch " + dir.file("z"),
                     "*",
                     "$HOME",
                     ""};
  const RunResult result = run_command(argv, within(std::chrono::seconds(20)));
  ASSERT_TRUE(result.ok()) << result.error << result.output;
  EXPECT_EQ(lines(slurp(dir.file("argv"))), argv);
  for (const char* name : {"x", "y", "z"}) EXPECT_FALSE(std::filesystem::exists(dir.file(name)));
  EXPECT_LE(result.started_us, result.finished_us);
}

TEST(RunCommand, HasAFixedMinimalEnvironmentAndRootAsWorkingDirectory) {
  const RunResult env = run_command({"/usr/bin/env"}, within(std::chrono::seconds(20)));
  ASSERT_TRUE(env.ok()) << env.error;
  EXPECT_EQ(env.output, "PATH=/usr/sbin:/usr/bin:/sbin:/bin\nLANG=C\n");
  const RunResult pwd = run_command({"/bin/pwd"}, within(std::chrono::seconds(20)));
  EXPECT_EQ(pwd.output, "/\n");
}

TEST(RunCommand, ReportsTheExitStatus) {
  test::TempDir dir;
  const RunResult result =
      run_command({script(dir, "fail", "echo failing; exit 3")}, within(std::chrono::seconds(20)));
  EXPECT_TRUE(result.started);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.exit_status, 3);
  EXPECT_EQ(result.signal, 0);
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.output, "failing\n");
  EXPECT_EQ(result.error, "");
}

TEST(RunCommand, ReportsAKillingSignal) {
  test::TempDir dir;
  const RunResult result =
      run_command({script(dir, "die", "kill -KILL $$")}, within(std::chrono::seconds(20)));
  EXPECT_TRUE(result.started);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.signal, SIGKILL);
  EXPECT_EQ(result.exit_status, -1);
}

TEST(RunCommand, MergesStdoutAndStderrInOrder) {
  test::TempDir dir;
  const RunResult result = run_command({script(dir, "both", "echo out; echo err >&2; echo out2")},
                                       within(std::chrono::seconds(20)));
  EXPECT_EQ(result.output, "out\nerr\nout2\n");
  EXPECT_FALSE(result.output_truncated);
}

TEST(RunCommand, TimeoutKillsTheChildAndItsGrandchild) {
  test::TempDir dir;
  const std::string prog =
      script(dir, "hang", "sleep 60 & echo $! > " + dir.file("grandchild") + "\nsleep 60 & wait");
  const auto start = steady_clock::now();
  const RunResult result = run_command({prog}, within(std::chrono::milliseconds(500)));
  EXPECT_LT(seconds_since(start), 5.0);
  EXPECT_TRUE(result.started);
  EXPECT_TRUE(result.timed_out);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.signal, SIGTERM);
  EXPECT_EQ(result.error, "timed out after 0.5 s");
  const pid_t grandchild = pid_in(dir.file("grandchild"));
  EXPECT_TRUE(test::wait_until([&] { return gone(grandchild); }, std::chrono::seconds(5)));
}

TEST(RunCommand, SigkillFollowsWhenSigtermIsIgnored) {
  test::TempDir dir;
  const std::string prog = script(dir, "stubborn", "trap '' TERM\nsleep 60 & wait");
  const auto start = steady_clock::now();
  const RunResult result =
      run_command({prog}, within(std::chrono::milliseconds(300), std::chrono::milliseconds(300)));
  EXPECT_LT(seconds_since(start), 5.0);
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.signal, SIGKILL);
  EXPECT_EQ(result.error, "timed out after 0.3 s");
}

TEST(RunCommand, ABackgroundProcessHoldingTheOutputCountsAsTheCommand) {
  test::TempDir dir;
  const std::string prog = script(dir, "leave", "sleep 60 & echo $! > " + dir.file("bg"));
  const RunResult result = run_command({prog}, within(std::chrono::milliseconds(300)));
  EXPECT_EQ(result.exit_status, 0);
  EXPECT_TRUE(result.timed_out);
  const pid_t bg = pid_in(dir.file("bg"));
  EXPECT_TRUE(test::wait_until([&] { return gone(bg); }, std::chrono::seconds(5)));
}

TEST(RunCommand, ABackgroundProcessThatLetGoOfTheOutputIsLeftAlone) {
  test::TempDir dir;
  const std::string prog =
      script(dir, "daemon", "sleep 60 >/dev/null 2>&1 & echo $! > " + dir.file("bg"));
  const RunResult result = run_command({prog}, within(std::chrono::seconds(20)));
  EXPECT_TRUE(result.ok()) << result.error;
  const pid_t bg = pid_in(dir.file("bg"));
  EXPECT_FALSE(gone(bg));
  ::kill(bg, SIGKILL);
}

TEST(RunCommand, KeepsTheFirstBytesOfALargeOutputWithoutBlockingTheChild) {
  test::TempDir dir;
  const std::string prog = script(dir, "flood", "head -c 1048576 /dev/zero | tr '\\0' x");
  const RunResult result = run_command({prog}, within(std::chrono::seconds(20)));
  EXPECT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.output, std::string(1024, 'x'));
  EXPECT_TRUE(result.output_truncated);
}

TEST(RunCommand, WritesALargeStdinWhileReadingALargeOutput) {
  test::TempDir dir;
  RunLimits limits = within(std::chrono::seconds(20));
  limits.stdin_data.reserve(1 << 20);
  for (size_t i = 0; limits.stdin_data.size() < (1 << 20); ++i) {
    limits.stdin_data += "line " + std::to_string(i) + "\n";
  }
  limits.stdin_data.resize(1 << 20);
  const std::string prog = script(dir, "copy", "tee " + dir.file("stdin.copy"));
  const RunResult result = run_command({prog}, limits);
  EXPECT_TRUE(result.ok()) << result.error;
  EXPECT_TRUE(slurp(dir.file("stdin.copy")) == limits.stdin_data);
  EXPECT_EQ(result.output, limits.stdin_data.substr(0, 1024));
  EXPECT_TRUE(result.output_truncated);
}

TEST(RunCommand, AChildThatIgnoresItsStdinDoesNotHurtUs) {
  test::TempDir dir;
  RunLimits limits = within(std::chrono::seconds(20));
  limits.stdin_data.assign(1 << 20, 'i');
  const RunResult result = run_command({script(dir, "deaf", "exec 0<&-; echo bye")}, limits);
  EXPECT_TRUE(result.ok()) << result.error;  // and SIGPIPE did not kill the test
  EXPECT_EQ(result.output, "bye\n");
}

TEST(RunCommand, StdinIsDevNullByDefault) {
  const RunResult result =
      run_command({"/usr/bin/readlink", "/proc/self/fd/0"}, within(std::chrono::seconds(20)));
  EXPECT_EQ(result.output, "/dev/null\n");
}

TEST(RunCommand, ProgramsThatCannotStartAreReported) {
  test::TempDir dir;
  const std::string plain = dir.write("plain", "#!/bin/sh\necho hi\n");  // mode 0644
  const auto run = [](const Argv& argv) { return run_command(argv, RunLimits{}); };
  const RunResult missing = run({"/nonexistent/prog"});
  EXPECT_FALSE(missing.started);
  EXPECT_EQ(missing.error, "/nonexistent/prog: execve: No such file or directory");
  EXPECT_EQ(run({plain}).error, plain + ": execve: Permission denied");
  EXPECT_EQ(run({"ls"}).error, "ls: not an absolute path");
  EXPECT_EQ(run({}).error, "empty command");
  const RunResult nul = run({"/bin/echo", std::string("a\0b", 3)});
  EXPECT_FALSE(nul.started);
  EXPECT_EQ(nul.error, "argv[1] holds a NUL byte");
}

TEST(RunCommand, TheChildInheritsNoOtherDescriptor) {
  test::TempDir dir;
  // Owned, so that a failed ASSERT below still closes them.
  const UniqueFd leaky(::open(dir.write("f", "x").c_str(), O_RDONLY));  // no O_CLOEXEC
  ASSERT_TRUE(leaky.valid());
  const UniqueFd high(::fcntl(leaky.get(), F_DUPFD, 50));  // no FD_CLOEXEC either
  ASSERT_GE(high.get(), 50);
  const RunResult result =
      run_command({"/bin/ls", "/proc/self/fd"}, within(std::chrono::seconds(20)));
  ASSERT_TRUE(result.ok()) << result.error;
  // 0-2, and 3: the directory ls is listing.
  EXPECT_EQ(lines(result.output), (std::vector<std::string>{"0", "1", "2", "3"}));
}

TEST(RunCommand, TheChildStartsWithDefaultSignalsInItsOwnGroup) {
  struct sigaction ignore {};
  struct sigaction old_usr1 {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGUSR1, &ignore, &old_usr1);
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  sigset_t old_mask;
  ::pthread_sigmask(SIG_BLOCK, &usr2, &old_mask);
  const RunResult result = run_command({"/bin/grep", "-E", "^(SigBlk|SigIgn)", "/proc/self/status"},
                                       within(std::chrono::seconds(20)));
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  ::sigaction(SIGUSR1, &old_usr1, nullptr);
  EXPECT_EQ(result.output, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");

  test::TempDir dir;
  const std::string prog = script(dir, "group", "cut -d' ' -f5 /proc/$$/stat; echo $$");
  const std::vector<std::string> ids = lines(run_command({prog}, RunLimits{}).output);
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0], ids[1]);  // process group id == its pid
}

TEST(RunCommand, IsSafeToCallFromSeveralThreads) {
  test::TempDir dir;
  const std::string prog = script(dir, "echo", "echo \"$1\"");
  std::vector<std::thread> threads;
  threads.reserve(6);
  std::atomic<int> good{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const std::string word = "t" + std::to_string(t) + "-" + std::to_string(i);
        const RunResult r = run_command({prog, word}, within(std::chrono::seconds(30)));
        if (r.ok() && r.output == word + "\n") ++good;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(good.load(), 60);
}

}  // namespace
}  // namespace vigil::respond
