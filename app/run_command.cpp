// `vigil run`: builds the service's configuration from a file or from flags,
// sets up logging, and hands over to run_service.

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>

#include "app/commands.h"
#include "app/rule_loading.h"
#include "app/run_config.h"
#include "app/run_service.h"

namespace vigil::app {
namespace {

bool uses_source_flags(const RunCommand& c) {
  return !c.db_path.empty() || c.journal || !c.journal_dir.empty() || !c.follow.empty() ||
         !c.rule_paths.empty();
}

RunConfig config_from_flags(const RunCommand& c) {
  RunConfig config;
  config.database = c.db_path;
  config.rule_paths = c.rule_paths;
  config.journal.enabled = c.journal || !c.journal_dir.empty();
  config.journal.directory = c.journal_dir;
  for (const std::string& path : c.follow) {
    // A command line may name files relative to where it runs; the service's
    // identity of a file is its absolute path.
    config.files.push_back(FileSourceConfig{
        std::filesystem::absolute(path).lexically_normal().string(), ingest::Format::kAuto, {}});
  }
  // Without a config, a file's existing lines are read on the first start: that is
  // what someone trying vigil on a log expects to see.
  config.start_at_end = false;
  return config;
}

RunConfig read_config(const RunCommand& c, std::vector<Diagnostic>& errors) {
  RunConfig config =
      c.config_path.empty() ? config_from_flags(c) : load_run_config(c.config_path, errors);
  if (c.config_path.empty()) validate_run_config(config, errors);
  if (!c.log_level.empty()) config.log_level = c.log_level;
  return config;
}

// "%*" in a pattern: the "<N>" prefix by which journald takes a line's priority.
class SyslogPriorityFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm& /*time*/,
              spdlog::memory_buf_t& dest) override {
    static constexpr std::array<char, 7> kPriority = {'7', '7', '6', '4', '3', '2', '6'};
    const auto level = static_cast<size_t>(msg.level);
    const std::array<char, 3> text = {'<', kPriority[level < kPriority.size() ? level : 6], '>'};
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SyslogPriorityFlag>();
  }
};

// Under systemd (JOURNAL_STREAM is set), journald adds the time and the unit.
void set_up_logging(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("vigil");
  if (std::getenv("JOURNAL_STREAM") != nullptr) {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<SyslogPriorityFlag>('*').set_pattern("%*%v");
    logger->set_formatter(std::move(formatter));
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  }
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::flush_on(spdlog::level::info);
}

std::unique_ptr<rules::Matcher> load_config_rules(const RunConfig& config) {
  const std::vector<std::string> paths =
      config.rule_paths.empty() ? default_rule_paths() : config.rule_paths;
  auto matcher = load_rules(paths, /*print_warnings=*/false);
  if (!matcher) return nullptr;
  std::vector<Diagnostic> errors;
  check_alerting_config(config.alerting, matcher->rules(), config.file, errors);
  for (const Diagnostic& e : errors) std::fprintf(stderr, "%s\n", e.str().c_str());
  return errors.empty() ? std::move(matcher) : nullptr;
}

}  // namespace

int run_run_command(const RunCommand& command) {
  if (!command.config_path.empty() && uses_source_flags(command)) {
    std::fprintf(stderr,
                 "vigil run: --config takes the sources, database and rules from the file; "
                 "drop --db, --journal, --journal-dir, --follow and --rules\n");
    return kExitUsage;
  }
  std::vector<Diagnostic> errors;
  RunSetup setup;
  setup.config = read_config(command, errors);
  for (const Diagnostic& e : errors) std::fprintf(stderr, "%s\n", e.str().c_str());
  if (!errors.empty()) return kExitUsage;
  set_up_logging(setup.config.log_level);
  setup.reload_config = [command](std::vector<Diagnostic>& reload_errors) {
    return read_config(command, reload_errors);
  };
  setup.load_rules = load_config_rules;
  return run_service(setup);
}

}  // namespace vigil::app
