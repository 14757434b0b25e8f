#pragma once
// One exception type for failures that reach the user; the text names the file
// (and line where there is one) and what went wrong.

#include <stdexcept>
#include <string>

namespace vigil {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "file:line:col: message" — the form every editor and CI log understands.
struct Diagnostic {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
  int col = 0;   // 1-based; 0 when unknown
  std::string message;

  std::string str() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    if (col > 0) out += ":" + std::to_string(col);
    return out + ": " + message;
  }
};

// strerror(err), but safe to call from several threads at once.
std::string errno_message(int err);

}  // namespace vigil
