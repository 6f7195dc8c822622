// `socketlab show`: the terminal report of a recorded run, printed from its trace as
// `socketlab run` printed it live. The steps are rebuilt from the trace's step, call,
// say and expect events (statements from the script source the trace carries); the
// socket lines come from view/textreport, which replays the trace up to each step.
//
// Thread affinity: the caller's thread.
#pragma once

#include <QIODevice>
#include <QString>
#include <QTextStream>

namespace sl::app {

// Reads the JSON Lines trace from `in` and prints its report. 0: printed; 1: the
// trace is malformed after some events (those were printed, then the error);
// 2: not a trace.
int replayTrace(QIODevice &in, const QString &name, const QString &lang, bool color,
                QTextStream &out, QTextStream &err);

} // namespace sl::app
