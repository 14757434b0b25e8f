#pragma once
// Shared by the journal tests: a sink that copies what each entry carried, and
// reading loops (the following one waits on the journal's fd, with a deadline).

#include <poll.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "ingest/journal_source.h"

namespace vigil::ingest::journal_test {

struct Seen {
  int64_t ts_us = 0;
  std::string source, host, program, unit, message;
  int32_t pid = -1;
  int priority = kPriorityUnknown;
  bool parsed = true;
};

// Copies what each entry carried; `also` runs inside the call, while the Event lives.
// Never deleted through JournalSink (its destructor is protected).
// NOLINTNEXTLINE(cppcoreguidelines-virtual-class-destructor)
class Collector final : public JournalSink {
 public:
  std::function<void(const Event&)> also;
  std::vector<Seen> seen;

  void on_entry(const Event& e) override {
    seen.push_back({e.ts_us, std::string(e.source), std::string(e.host), std::string(e.program),
                    std::string(e.unit), std::string(e.message), e.pid, e.priority, e.parsed});
    if (also) also(e);
  }
  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (const Seen& s : seen) out.push_back(s.message);
    return out;
  }
};

inline size_t read_all(JournalSource& source, Collector& sink) {
  size_t total = 0;
  for (;;) {
    const size_t n = source.read(4, sink);  // small batches: batch edges are crossed too
    total += n;
    if (n < 4) return total;
  }
}

// Reads until `want` entries in all arrived, waking on the journal's fd; 10 s at most.
inline void follow_until(JournalSource& source, Collector& sink, size_t want) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (sink.seen.size() < want && std::chrono::steady_clock::now() < deadline) {
    pollfd p{source.fd(), POLLIN, 0};
    poll(&p, 1, 100);
    source.process();
    read_all(source, sink);
  }
}

}  // namespace vigil::ingest::journal_test
