// socketlab show TRACE: the terminal report of a recorded run, replayed from its trace.
#include "cli.h"
#include "showreplay.h"

#include <QFile>

namespace sl::app {

namespace {

int showMain(const QStringList &args) {
    CommandLine cl(showCommand());
    cl.parser().addPositionalArgument(
        QStringLiteral("trace"),
        QStringLiteral("A trace (JSON Lines) written by 'socketlab run --trace', 'check "
                       "--trace' or the window's File → Save Trace; - reads standard input."),
        QStringLiteral("TRACE"));
    cl.addLangOption();
    cl.addColorOptions();
    if (const auto rc = cl.parse(args))
        return *rc;
    const QStringList pos = cl.positionals();
    if (pos.size() != 1)
        return cl.usageError(pos.isEmpty()
                                 ? QStringLiteral("needs a trace file")
                                 : QStringLiteral("shows one trace (got %1)").arg(pos.size()));
    QFile f;
    const bool opened = pos.first() == QLatin1String("-")
                            ? f.open(stdin, QIODevice::ReadOnly)
                            : (f.setFileName(pos.first()), f.open(QIODevice::ReadOnly));
    if (!opened) {
        err() << "socketlab show: cannot read " << pos.first() << ": " << f.errorString() << "\n";
        return ExitUsage;
    }
    return replayTrace(f, pos.first(), cl.lang(), cl.color(), out(), err());
}

} // namespace

Command showCommand() {
    return {QStringLiteral("show"),
            QStringLiteral("[options] TRACE"),
            QStringLiteral("Print the terminal report of a recorded run from its trace file, "
                           "as 'run' printed it."),
            {QStringLiteral("socketlab show t.jsonl --lang ko   # a saved run, replayed")},
            showMain};
}

} // namespace sl::app
