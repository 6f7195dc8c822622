#include "cmd_pyexport.h"

#include "cli.h"

#include "engine/version.h"
#include "lessons/lessoncatalog.h"
#include "script/parser.h"
#include "script/pyexport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QProcess>
#include <QSaveFile>
#include <QTextStream>
#include <cstdio>
#include <cstring>

namespace sl::app {

bool isPythonExport(int argc, char **argv) {
    if (argc < 2 || std::strcmp(argv[1], "export") != 0)
        return false;
    for (int i = 2; i < argc; ++i) {
        if (std::strcmp(argv[i], "--") == 0)
            return false;
        if (std::strcmp(argv[i], "--python") == 0 || std::strncmp(argv[i], "--python=", 9) == 0)
            return true;
    }
    return false;
}

int cmdPyExport(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("socketlab"));
    QCoreApplication::setApplicationVersion(labVersion());
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "socketlab export --python: a lesson or script as a runnable Python 3 program "
        "(standard library only). Each actor is a thread, the lab's step order is kept, "
        "`say` is printed (or written as comments), `expect` becomes an assert on probes "
        "that read the kernel. Exit status of the program: 0 when every expect holds.\n\n"
        "Examples:\n"
        "  socketlab export --python 5 -o partial_send.py && python3 partial_send.py\n"
        "  socketlab export --python my.lab --lang ko --comments -o my.py"));
    parser.addHelpOption();
    const QCommandLineOption pythonOpt(QStringLiteral("python"),
                                       QStringLiteral("Export as Python (this mode)."));
    const QCommandLineOption outOpt(QStringList{QStringLiteral("o"), QStringLiteral("output")},
                                    QStringLiteral("Write to FILE (default: standard output)."),
                                    QStringLiteral("file"), QStringLiteral("-"));
    const QCommandLineOption langOpt(QStringLiteral("lang"),
                                     QStringLiteral("Language of the narration: en or ko."),
                                     QStringLiteral("lang"), QStringLiteral("en"));
    const QCommandLineOption commentsOpt(
        QStringLiteral("comments"), QStringLiteral("Write `say` lines as comments, not print()."));
    parser.addOptions({pythonOpt, outOpt, langOpt, commentsOpt});
    parser.addPositionalArgument(QStringLiteral("export"), QStringLiteral("The verb."));
    parser.addPositionalArgument(QStringLiteral("LESSON|FILE"),
                                 QStringLiteral("A lesson (number, id or name) or a .lab file."));
    if (!parser.parse(QCoreApplication::arguments())) {
        err << "socketlab: " << parser.errorText() << "\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    const QStringList args = parser.positionalArguments(); // "export", source
    if (args.size() != 2) {
        err << "socketlab: export --python takes one LESSON or FILE\n";
        return 2;
    }
    script::PyExportOptions opts;
    opts.lang = parser.value(langOpt);
    opts.comments = parser.isSet(commentsOpt);
    if (opts.lang != QLatin1String("en") && opts.lang != QLatin1String("ko")) {
        err << "socketlab: --lang must be en or ko\n";
        return 2;
    }
    QString error;
    const auto lesson = lessons::findLesson(args.at(1), &error);
    if (!lesson) {
        err << "socketlab: " << error << "\n";
        return 2;
    }
    const script::ParseResult parsed =
        script::parse(lessons::fillBlanks(lesson->source), lesson->path);
    for (const script::Diagnostic &d : parsed.diagnostics)
        err << script::formatDiagnostic(d, lesson->path, lesson->source) << "\n";
    if (!parsed.program)
        return 2;
    const QByteArray py = script::exportPython(*parsed.program, opts).toUtf8();
    const QString out = parser.value(outOpt);
    if (out == QLatin1String("-")) {
        std::fwrite(py.constData(), 1, std::size_t(py.size()), stdout);
        return 0;
    }
    QSaveFile f(out);
    if (!f.open(QIODevice::WriteOnly) || f.write(py) != py.size() || !f.commit()) {
        err << "socketlab: cannot write " << out << ": " << f.errorString() << "\n";
        return 1;
    }
    return 0;
}

namespace {

// `export` is dispatched from main() before the table (it needs its own QApplication for
// pictures, or none for Python), so the table's entry is reached only for the manual
// (--help-all: both help texts, from child runs of this binary, which have the right
// application) and, in a build without the window library, for a picture export.
int exportTableMain(const QStringList &args) {
    const bool help = args.contains(QStringLiteral("--help")) ||
                      args.contains(QStringLiteral("--help-all")) ||
                      args.contains(QStringLiteral("-h"));
    if (!help) {
        QTextStream(stderr) << "socketlab export: this build has no window library, so no "
                               "pictures; `socketlab export --python LESSON` works\n";
        return 2;
    }
    QTextStream(stdout).flush();
    std::fflush(stdout);
    QList<QStringList> helps = {
        {QStringLiteral("export"), QStringLiteral("--python"), QStringLiteral("--help")}};
#ifdef SOCKETLAB_HAVE_UI
    // Only where main() dispatches pictures before the table (no loop back to here).
    helps.prepend({QStringLiteral("export"), QStringLiteral("--help")});
#endif
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    for (const QStringList &a : helps) {
        p.start(QCoreApplication::applicationFilePath(), a);
        if (!p.waitForFinished(30000) || p.exitCode() != 0)
            return 1;
    }
    return 0;
}

} // namespace

Command exportCommand() {
    return {QStringLiteral("export"),
            QStringLiteral("[options] SOURCE"),
            QStringLiteral("A lesson, script or trace at one step as SVG, PNG, Mermaid or text, "
                           "or the experiment as a runnable Python program (--python)."),
            {QStringLiteral("socketlab export --svg l3.svg 3 --at 6  # lesson 3 after step 6"),
             QStringLiteral("socketlab export --mermaid - 5   # lesson 5's sequence as Mermaid"),
             QStringLiteral("socketlab export --python 5 -o l5.py  # lesson 5 as Python 3")},
            exportTableMain};
}

} // namespace sl::app
