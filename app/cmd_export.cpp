#include "cmd_export.h"

#include "ui/export/sequenceexport.h"
#include "ui/export/snapshot.h"
#include "ui/window/i18n.h"

#include "engine/runner.h"
#include "engine/version.h"
#include "lessons/lessoncatalog.h"
#include "trace/jsonl.h"
#include "trace/trace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTextStream>
#include <cstdio>

namespace sl::app {

namespace {

bool writeText(const QString &path, const QString &text, QTextStream &err) {
    if (path == QLatin1String("-")) {
        QTextStream(stdout) << text;
        return true;
    }
    QSaveFile f(path);
    const QByteArray data = text.toUtf8();
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit()) {
        err << "socketlab: cannot write " << path << ": " << f.errorString() << "\n";
        return false;
    }
    return true;
}

// A trace file: JSON Lines whose first byte opens an object (a .lab script never does).
bool looksLikeTrace(const QString &path) {
    QFile f(path);
    if (!QFileInfo(path).isFile() || !f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = f.peek(64).trimmed();
    return head.startsWith('{');
}

bool readTrace(const QString &path, trace::Trace &t, QMap<QString, QString> &meta,
               QTextStream &err) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        err << "socketlab: cannot read " << path << ": " << f.errorString() << "\n";
        return false;
    }
    trace::JsonlError e;
    if (!trace::readJsonl(f, t, &meta, &e) && !e.incomplete) {
        err << "socketlab: " << path << ":" << e.line << ": " << e.message << "\n";
        return false;
    }
    if (e.incomplete)
        err << "socketlab: " << path << ": the trace was cut short; exporting what it holds\n";
    return true;
}

// Runs a lesson or script to its end (or its first failed expectation) in a lab of its
// own, recording its trace through `run --trace`'s writer, and reads it back.
bool runToTrace(const QString &key, const QString &lang, trace::Trace &t,
                QMap<QString, QString> &meta, QTextStream &err) {
    QString error;
    const auto lesson = lessons::findLesson(key, &error);
    if (!lesson) {
        err << "socketlab: " << error << "\n";
        return false;
    }
    QTemporaryDir dir;
    if (!dir.isValid()) {
        err << "socketlab: no temporary directory: " << dir.errorString() << "\n";
        return false;
    }
    engine::RunOptions opts;
    opts.lang = lang;
    opts.quiet = true;
    opts.tracePath = dir.filePath(QStringLiteral("trace.jsonl"));
    QString discarded;
    QTextStream out(&discarded);
    const engine::RunResult r = engine::runLesson(*lesson, opts, out, err);
    if (!r.loaded)
        return false;
    if (!r.passed && !r.failure.isEmpty())
        err << "socketlab: note: " << r.failure << " (exported as far as it ran)\n";
    if (!readTrace(opts.tracePath, t, meta, err))
        return false;
    meta.insert(QStringLiteral("title"), lesson->title(lang));
    return true;
}

} // namespace

int exportTrace(const trace::Trace &t, const QMap<QString, QString> &meta, const ExportRequest &req,
                QTextStream &err) {
    ui::ExportView view;
    if (!ui::exportViewFromName(req.view, &view)) {
        err << "socketlab: --view must be stage, sequence or both\n";
        return 2;
    }
    const int steps = ui::stepCount(t);
    if (req.at < 0 || req.at > steps) {
        err << "socketlab: --at must be a step from 1 to " << steps << " (got " << req.at << ")\n";
        return 2;
    }
    ui::setUiLanguage(req.lang, false);
    const ui::Snapshot snap(t, ui::positionAfterStep(t, req.at),
                            meta.value(QStringLiteral("source")), req.width);
    QString title = meta.value(QStringLiteral("title"), meta.value(QStringLiteral("lesson_title")));
    if (req.at > 0)
        title += QStringLiteral(" — ") + ui::stepTitle(req.at, steps);
    bool ok = true;
    QString why;
    if (!req.svg.isEmpty() && !snap.writeSvg(req.svg, view, title.trimmed(), &why)) {
        err << "socketlab: cannot write " << req.svg << ": " << why << "\n";
        ok = false;
    }
    if (!req.png.isEmpty() && !snap.writePng(req.png, view, &why)) {
        err << "socketlab: cannot write " << req.png << ": " << why << "\n";
        ok = false;
    }
    if (!req.mermaid.isEmpty())
        ok = writeText(req.mermaid, ui::sequenceMermaid(snap, title.trimmed()), err) && ok;
    if (!req.text.isEmpty())
        ok = writeText(req.text, ui::sequencePlainText(snap, title.trimmed()), err) && ok;
    return ok ? 0 : 1;
}

int cmdExport(int argc, char **argv) {
    // Pictures need no display: the offscreen platform draws them (fonts included).
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("socketlab"));
    QCoreApplication::setApplicationVersion(labVersion());
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "socketlab export: the stage and the sequence of a lesson, a script or a trace at one "
        "step, as SVG, PNG (2x), Mermaid or plain text.\n\n"
        "Examples:\n"
        "  socketlab export --svg l3.svg 3 --at 6\n"
        "  socketlab export --png seq.png --view sequence lesson5.jsonl\n"
        "  socketlab export --mermaid - 5\n\n"
        "As a runnable Python program: socketlab export --python LESSON [-o OUT.py] (see "
        "socketlab export --python --help)."));
    parser.addHelpOption();
    const QCommandLineOption svgOpt(QStringLiteral("svg"), QStringLiteral("Write an SVG picture."),
                                    QStringLiteral("file"));
    const QCommandLineOption pngOpt(QStringLiteral("png"),
                                    QStringLiteral("Write a PNG picture at twice the pixels."),
                                    QStringLiteral("file"));
    const QCommandLineOption mermaidOpt(
        QStringLiteral("mermaid"),
        QStringLiteral("Write the sequence as a Mermaid sequenceDiagram (- for stdout)."),
        QStringLiteral("file"));
    const QCommandLineOption textOpt(
        QStringLiteral("text"), QStringLiteral("Write the sequence as plain text (- for stdout)."),
        QStringLiteral("file"));
    const QCommandLineOption atOpt(QStringLiteral("at"),
                                   QStringLiteral("The step to show (1 = after the first); "
                                                  "default: the end."),
                                   QStringLiteral("step"));
    const QCommandLineOption viewOpt(QStringLiteral("view"),
                                     QStringLiteral("stage, sequence or both (default)."),
                                     QStringLiteral("view"), QStringLiteral("both"));
    const QCommandLineOption langOpt(QStringLiteral("lang"),
                                     QStringLiteral("Language of the texts: en or ko."),
                                     QStringLiteral("lang"), QStringLiteral("en"));
    const QCommandLineOption widthOpt(QStringLiteral("width"),
                                      QStringLiteral("Picture width in pixels (default 1280)."),
                                      QStringLiteral("pixels"), QStringLiteral("1280"));
    parser.addOptions({svgOpt, pngOpt, mermaidOpt, textOpt, atOpt, viewOpt, langOpt, widthOpt});
    parser.addPositionalArgument(QStringLiteral("export"), QStringLiteral("The verb."));
    parser.addPositionalArgument(QStringLiteral("source"),
                                 QStringLiteral("A lesson (number, name), a .lab script or a "
                                                "trace (.jsonl)."));
    if (!parser.parse(QCoreApplication::arguments())) {
        err << "socketlab export: " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    const QStringList args = parser.positionalArguments(); // "export", source
    ExportRequest req;
    req.svg = parser.value(svgOpt);
    req.png = parser.value(pngOpt);
    req.mermaid = parser.value(mermaidOpt);
    req.text = parser.value(textOpt);
    req.view = parser.value(viewOpt);
    req.lang = parser.value(langOpt);
    bool ok = true;
    if (parser.isSet(atOpt))
        req.at = parser.value(atOpt).toInt(&ok);
    if (!ok || req.at < 1 && parser.isSet(atOpt)) {
        err << "socketlab export: --at needs a step number from 1 (got '" << parser.value(atOpt)
            << "')\n";
        return 2;
    }
    req.width = parser.value(widthOpt).toInt(&ok);
    if (!ok || req.width < 320 || req.width > 8000) {
        err << "socketlab export: --width must be 320 to 8000 pixels\n";
        return 2;
    }
    if (req.lang != QLatin1String("en") && req.lang != QLatin1String("ko")) {
        err << "socketlab export: --lang must be en or ko\n";
        return 2;
    }
    if (args.size() != 2) {
        err << "socketlab export: needs one lesson, script or trace (see --help)\n";
        return 2;
    }
    if (req.svg.isEmpty() && req.png.isEmpty() && req.mermaid.isEmpty() && req.text.isEmpty()) {
        err << "socketlab export: nothing to write: give --svg, --png, --mermaid, --text or "
               "--python\n";
        return 2;
    }
    trace::Trace t;
    QMap<QString, QString> meta;
    const QString source = args.at(1);
    const bool loaded = looksLikeTrace(source) ? readTrace(source, t, meta, err)
                                               : runToTrace(source, req.lang, t, meta, err);
    if (!loaded)
        return 2;
    return exportTrace(t, meta, req, err);
}

} // namespace sl::app
