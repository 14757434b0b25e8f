#pragma once
// `vigil scan --journal-dir DIR`: a journal directory read once, to its end, through
// the matcher into the store and the JSON output.

#include "app/scan_pipeline.h"

namespace vigil::app {

// Reads options.journal_dir after the cursor saved in options.db_path (under the
// source key "journal:<absolute dir>"), else from its oldest entry. Each batch
// commits its hits with the cursor of the last entry it covers, so a re-scan
// stores nothing twice. Adds its hits to `summary`'s counts; a journal that cannot
// be read is reported in the result. Throws vigil::Error when the database cannot
// be opened or written.
JournalSummary scan_journal(const ScanOptions& options, const rules::Matcher& matcher,
                            ScanSummary& summary);

}  // namespace vigil::app
