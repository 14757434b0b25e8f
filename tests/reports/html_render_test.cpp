// The HTML report rendered by headless Chromium (Debian's `chromium`): it loads
// from a file with the network off, and the screenshot is not blank. Skipped,
// saying why, when Chromium is not installed.

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>

#include "tests/reports/report_fixture.h"

namespace vigil::test {
namespace {

std::string find_chromium() {
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (access(path, X_OK) == 0) return path;
  }
  return {};
}

// Screenshot of `url` at a phone's width; the PNG's size, 0 when none was made.
uintmax_t screenshot(const std::string& chromium, const TempDir& dir, const std::string& url,
                     const std::string& png) {
  const ProcessResult r =
      run_process({chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                   "--no-first-run", "--user-data-dir=" + dir.file("profile"),
                   "--proxy-server=127.0.0.1:9",  // any network access would fail
                   "--window-size=412,1600", "--screenshot=" + png, url});
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(png, ec);
  if (ec) ADD_FAILURE() << "no screenshot of " << url << ": " << r.err;
  return ec ? 0 : size;
}

TEST(HtmlRender, ChromiumRendersANonBlankPage) {
  const std::string chromium = find_chromium();
  if (chromium.empty()) {
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium): HTML render check "
                    "skipped";
  }
  TempDir dir;
  const std::string db = dir.file("fixture.db");
  ASSERT_TRUE(scan_into(db, {"auth.log", "app.log", "rfc5424.log"}));
  const std::string html = dir.file("report.html");
  const ProcessResult r = run_vigil(
      {"report", "--db", db, "--day", "2026-11-28", "--tz", "UTC", "--format", "html", "-o", html});
  ASSERT_EQ(r.exit_status, 0) << r.err;

  const std::string png = dir.file("report.png");
  const uintmax_t report_size = screenshot(chromium, dir, "file://" + html, png);
  const uintmax_t blank_size = screenshot(
      chromium, dir, "file://" + dir.write("blank.html", "<html></html>"), dir.file("blank.png"));
  ASSERT_GT(blank_size, 0u);
  std::ifstream in(png, std::ios::binary);
  std::array<char, 8> signature{};
  in.read(signature.data(), signature.size());
  EXPECT_EQ(std::string(signature.data(), 8), std::string("\x89PNG\r\n\x1a\n", 8));
  // A uniform page compresses to almost nothing; text, tables and bars do not.
  EXPECT_GT(report_size, 4 * blank_size)
      << "report " << report_size << " bytes, blank " << blank_size;
}

}  // namespace
}  // namespace vigil::test
