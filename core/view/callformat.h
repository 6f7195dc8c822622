// How a traced call reads in the views: `send(1000000)`, `→ 6144`,
// `→ EAGAIN (BlockingIOError)`, and its C equivalent for tooltips.
//
// Thread affinity: none (reads the trace's string pool, which locks briefly).
#pragma once

#include "trace/trace.h"

#include <QString>
#include <QStringList>

namespace sl::ui {

// The call as the script wrote it, with byte counts shown as numbers:
// `send(1000000)`, `recv(4096)`, `connect(srv.getsockname())`.
QString callText(const trace::Trace &trace, const trace::Event &begin);
// `6144`, `EAGAIN (BlockingIOError)`.
QString resultText(const trace::Event &end);
// `send(fd 5, buf, 1000000, MSG_NOSIGNAL)`.
QString cCallText(const trace::Trace &trace, const trace::Event &begin, int fd);
// Splits `a, (b, c), "d,e"` at its top-level commas.
QStringList splitArgs(const QString &args);

} // namespace sl::ui
