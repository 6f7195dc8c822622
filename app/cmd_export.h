// `socketlab export`: pictures and text of a lesson, a script or a trace at one step.
//
//   socketlab export --svg|--png FILE [--mermaid FILE] [--text FILE]
//                    LESSON|SCRIPT|TRACE [--at STEP] [--view stage|sequence|both] [--lang ko]
//
// It runs headless (the offscreen platform unless QT_QPA_PLATFORM says otherwise): a
// lesson or script is run to its end in a lab of its own (as `socketlab run`), a trace
// file (JSON Lines, as File → Save Trace or `run --trace` write it) is read, and the
// trace is drawn by ui/export/ Snapshot at step STEP. The part after "where the trace
// comes from" is exportTrace(), so another source (a traced Python program) shares it.
//
// Thread affinity: main thread; builds its own QApplication, so it is dispatched from
// main() before any Q(Core)Application exists.
#pragma once

#include <QMap>
#include <QString>

class QTextStream;

namespace sl::trace {
class Trace;
}

namespace sl::app {

struct ExportRequest {
    QString svg, png, mermaid, text; // output files ("-": standard output, text kinds only)
    int at = 0;                      // step (1-based); 0 = the end
    QString view = QStringLiteral("both");
    QString lang = QStringLiteral("en");
    int width = 1280;
};

// Writes every output the request names for `trace` (meta: the trace header — source,
// title). Exit status: 0, 1 when an output cannot be written, 2 for a bad request.
int exportTrace(const trace::Trace &trace, const QMap<QString, QString> &meta,
                const ExportRequest &request, QTextStream &err);

// The whole verb (argv[1] == "export"): parses its options, loads, exports.
int cmdExport(int argc, char **argv);

} // namespace sl::app
