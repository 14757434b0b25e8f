#pragma once
// Alert mail for `sendmail -t -i`: recipients are read from the To header, and
// -i (-oi) stops a line holding a lone "." from ending the message (the body
// never has such a line anyway, so a sendmail run without -i truncates nothing).
// Lines end in "\n"; sendmail turns them into CRLF.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "respond/alert_digest.h"

namespace vigil::respond {

struct MailOptions {
  std::vector<std::string> to;  // each must pass valid_mail_address
  std::string from;             // must pass valid_mail_address
  std::string subject_prefix = "[vigil]";
};

// An RFC 5322 message: To, From, Subject, Date, Message-ID, MIME-Version,
// Content-Type text/plain; charset=utf-8, Content-Transfer-Encoding: 8bit,
// Auto-Submitted: auto-generated, X-Vigil-Alert; a blank line; digest_text().
// No header value carries log-derived CR/LF or controls: the subject
// ("<prefix> <severity>: <title> <key> (<count> hits)") has control characters
// dropped, whitespace collapsed, URLs defanged, is cut at 160 bytes, and is
// RFC 2047-encoded (UTF-8, base64) when it holds non-ASCII or "=?", else folded
// at spaces to 78 columns. Body lines are at most 998
// bytes (longer ones are wrapped on a character boundary) and never a lone ".".
// Throws vigil::Error when `to` is empty or an address is not valid.
std::string compose_mail(const MailOptions& options, const AlertDigest& digest, int64_t now_us);

// Conservative: local@domain, the local part of [A-Za-z0-9._%+-] (not starting
// with '-' or '.', no "..", at most 64 bytes), the domain of dot-separated
// labels of [A-Za-z0-9-] (not starting or ending with '-', at most 63 bytes),
// 254 bytes in all. So no spaces, controls, <>,;:" or quoting of any kind.
bool valid_mail_address(std::string_view address);

}  // namespace vigil::respond
