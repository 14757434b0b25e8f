// journal-bare-loop: the floor for reading a journal directory with sd-journal.
// Reads MESSAGE, _SYSTEMD_UNIT and the realtime timestamp of every entry and does
// nothing else; the journald benchmark compares `vigil scan --journal-dir` with it.
//
// Usage: journal-bare-loop DIR   (prints the entries read and a checksum)

#include <systemd/sd-journal.h>

#include <cstdint>
#include <cstdio>
#include <system_error>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: journal-bare-loop DIR\n");
    return 2;
  }
  sd_journal* j = nullptr;
  int r = sd_journal_open_directory(&j, argv[1], 0);
  if (r < 0) {
    std::fprintf(stderr, "journal-bare-loop: %s: %s\n", argv[1],
                 std::generic_category().message(-r).c_str());
    return 1;
  }
  uint64_t entries = 0;
  uint64_t checksum = 0;
  while ((r = sd_journal_next(j)) > 0) {
    const void* data = nullptr;
    size_t size = 0;
    if (sd_journal_get_data(j, "MESSAGE", &data, &size) >= 0) checksum += size;
    if (sd_journal_get_data(j, "_SYSTEMD_UNIT", &data, &size) >= 0) checksum += size;
    uint64_t realtime = 0;
    if (sd_journal_get_realtime_usec(j, &realtime) >= 0) checksum ^= realtime;
    ++entries;
  }
  sd_journal_close(j);
  if (r < 0) {
    std::fprintf(stderr, "journal-bare-loop: %s: %s\n", argv[1],
                 std::generic_category().message(-r).c_str());
    return 1;
  }
  std::printf("%llu entries, checksum %llu\n", static_cast<unsigned long long>(entries),
              static_cast<unsigned long long>(checksum));
  return 0;
}
