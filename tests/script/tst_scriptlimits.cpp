// The documented limits of a script (script/limits.h): each is refused with a diagnostic
// that points at the line, and nothing runs; a file beyond them, or a path that is not a
// regular file, is refused before it is read. The lexer stays linear on a huge line.
#include "engine/lab.h"
#include "engine/labreport.h"
#include "lessons/lessoncatalog.h"
#include "script/lexer.h"
#include "script/limits.h"
#include "script/parser.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace sl::script;

class TstScriptLimits : public QObject {
    Q_OBJECT
private slots:
    void maxActors();
    void scriptTooLarge();
    void tooManyLines();
    void lineTooLong();
    void nameTooLong();
    void manyBadLinesAreFewDiagnostics();
    void hugeLineLexesLinearly();
    void fileIsRefusedBeforeReading();
    void terminalReportEscapesScriptText();
};

static const Diagnostic *firstError(const ParseResult &r) {
    for (const Diagnostic &d : r.diagnostics)
        if (d.severity == Diagnostic::Error)
            return &d;
    return nullptr;
}

static QString actors(int n) {
    QString src;
    for (int i = 0; i < n; ++i)
        src += QStringLiteral("a%1: x%1 = %1\n").arg(i);
    return src;
}

void TstScriptLimits::maxActors() {
    // 64 actors are a lab; the 65th is refused where it is named (it aborted the CLI with
    // std::out_of_range at run time).
    const ParseResult ok = parse(actors(MaxActors));
    QVERIFY(ok.program);
    QCOMPARE(ok.program->actors.size(), MaxActors);

    const ParseResult r = parse(actors(MaxActors + 1));
    QVERIFY(!r.program);
    const Diagnostic *d = firstError(r);
    QVERIFY(d);
    QCOMPARE(d->span.line, MaxActors + 1);
    QCOMPARE(d->span.col, 1);
    QVERIFY2(d->message.contains(QStringLiteral("too many actors: 'a64'")), qPrintable(d->message));
    QVERIFY(d->hint.contains(QStringLiteral("64 actors")));
    // An actor already named may go on after the limit.
    QVERIFY(parse(actors(MaxActors) + QStringLiteral("a0: y = 1\n")).program);
}

void TstScriptLimits::scriptTooLarge() {
    const QString src = QStringLiteral("# padding\n").repeated(MaxScriptBytes / 10 + 1);
    QVERIFY(src.size() > MaxScriptBytes);
    const ParseResult r = parse(src);
    QVERIFY(!r.program);
    QCOMPARE(r.diagnostics.size(), std::size_t(1));
    QVERIFY(r.diagnostics[0].message.startsWith(QStringLiteral("script too large")));
    QVERIFY(r.diagnostics[0].hint.contains(QStringLiteral("1,048,576")));
}

void TstScriptLimits::tooManyLines() {
    // Traces store the line in 16 bits: line 65,536 would be recorded as line 0.
    const QString ok = QStringLiteral("c: x = 1\n").repeated(MaxLines);
    QVERIFY(parse(ok).program);
    const ParseResult r = parse(ok + QStringLiteral("c: x = 2"));
    QVERIFY(!r.program);
    QCOMPARE(r.diagnostics.size(), std::size_t(1));
    QCOMPARE(r.diagnostics[0].span.line, MaxLines + 1);
    QVERIFY(r.diagnostics[0].message.contains(QStringLiteral("65,536 lines")));
    QVERIFY(r.diagnostics[0].hint.contains(QStringLiteral("65,535")));
}

void TstScriptLimits::lineTooLong() {
    const QString longLine =
        QStringLiteral("c: x = b\"") + QString(MaxLineLength, u'x') + QStringLiteral("\"");
    const ParseResult r =
        parse(QStringLiteral("c: a = 1\n") + longLine + QStringLiteral("\nc: y = sockt()\n"));
    QVERIFY(!r.program);
    QCOMPARE(r.diagnostics.size(), std::size_t(2)); // the long line, and line 3 still checked
    QCOMPARE(r.diagnostics[0].span.line, 2);
    QCOMPARE(r.diagnostics[0].span.col, MaxLineLength + 1);
    QVERIFY(r.diagnostics[0].message.startsWith(QStringLiteral("line too long")));
    QVERIFY(r.diagnostics[0].hint.contains(QStringLiteral("4,096")));
    QCOMPARE(r.diagnostics[1].span.line, 3);
    // Exactly at the limit is fine.
    const QString atLimit = QStringLiteral("c: x = 1") + QString(MaxLineLength - 8, u' ');
    QVERIFY(parse(atLimit).program);
    // The formatted diagnostic shows a window of the line, not 4 KiB of it.
    const QString text = formatDiagnostic(r.diagnostics[0], QStringLiteral("t.lab"),
                                          QStringLiteral("c: a = 1\n") + longLine);
    QVERIFY2(text.size() < 800, qPrintable(QString::number(text.size())));
}

void TstScriptLimits::nameTooLong() {
    const QString name64(MaxNameLength, u'n');
    QVERIFY(parse(QStringLiteral("c: %1 = 1").arg(name64)).program);
    QVERIFY(parse(QStringLiteral("%1: x = 1").arg(name64)).program);

    for (const QString &src : {QStringLiteral("c: %1n = 1"), QStringLiteral("%1n: x = 1")}) {
        const ParseResult r = parse(src.arg(name64));
        QVERIFY(!r.program);
        const Diagnostic *d = firstError(r);
        QVERIFY(d);
        QCOMPARE(d->message, QStringLiteral("name too long (65 characters)"));
        QVERIFY(d->hint.contains(QStringLiteral("64 characters")));
    }
}

void TstScriptLimits::manyBadLinesAreFewDiagnostics() {
    // Lex errors are found per line before the parser counts errors: 65,535 bad lines must
    // not become 65,535 diagnostics (each formatted one scans the source for its line).
    const ParseResult r = parse(QStringLiteral("c: x = 1 ?\n").repeated(MaxLines));
    QVERIFY(!r.program);
    QCOMPARE(r.diagnostics.size(), std::size_t(101));
    QCOMPARE(r.diagnostics.back().message, QStringLiteral("too many errors; stopping here"));
    QCOMPARE(r.diagnostics.back().span.line, 101);

    // Warnings alone are capped too, and a script with only warnings still runs.
    const ParseResult w =
        parse(QStringLiteral("#! colour: blue\n").repeated(1000) + QStringLiteral("c: x = 1\n"));
    QVERIFY(w.program);
    QCOMPARE(w.diagnostics.size(), std::size_t(201));
    QCOMPARE(w.diagnostics.back().severity, Diagnostic::Warning);
}

void TstScriptLimits::hugeLineLexesLinearly() {
    // parse() refuses a 10 MB line at once; the lexer itself, given one, must still be
    // linear in time and memory (> 120 s was reported on 10 MB; each token cost 128 bytes
    // and a heap string, each '(' a copy of its token). Timings are printed, not asserted.
    const QString unit = QStringLiteral("name_0123 + ");
    const qsizetype units = 10'000'000 / unit.size();
    const QString line = unit.repeated(units);

    QElapsedTimer t;
    t.start();
    const ParseResult refused = parse(line);
    QVERIFY(!refused.program);
    QVERIFY(refused.diagnostics[0].message.startsWith(QStringLiteral("script too large")));
    qInfo("parse() refused %lld characters in %.3f s", qlonglong(line.size()),
          t.nsecsElapsed() / 1e9);

    for (const qsizetype n : {units / 10, units}) {
        const QString text = unit.repeated(n);
        std::vector<detail::Token> toks;
        std::vector<Diagnostic> diags;
        t.restart();
        QVERIFY(detail::lexLine(text, 1, 1, &toks, &diags));
        qInfo("lexLine: %lld characters, %zu tokens in %.3f s", qlonglong(text.size()), toks.size(),
              t.nsecsElapsed() / 1e9);
        QCOMPARE(toks.size(), std::size_t(2 * n + 1)); // name, '+', …, End
        QCOMPARE(toks[2].col, 1 + int(unit.size()));
    }
    // Unclosed brackets: one small record each, not a copy of the token (1 MB: each '('
    // is still a token of its own).
    const QString parens(1'000'000, u'(');
    std::vector<detail::Token> toks;
    std::vector<Diagnostic> diags;
    t.restart();
    QVERIFY(!detail::lexLine(parens, 1, 1, &toks, &diags));
    qInfo("lexLine: %lld '(' in %.3f s", qlonglong(parens.size()), t.nsecsElapsed() / 1e9);
    QCOMPARE(diags.back().message, QStringLiteral("'(' is never closed"));
    QCOMPARE(diags.back().span.col, int(parens.size()));
}

void TstScriptLimits::fileIsRefusedBeforeReading() {
    using sl::lessons::loadScriptFile;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString source, error;

    // A FIFO with no writer: refused at once (it blocked for ever).
    const QString fifo = dir.filePath(QStringLiteral("f.lab"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    QVERIFY(!loadScriptFile(fifo, &source, &error));
    QVERIFY2(error.contains(QStringLiteral("not a regular file")), qPrintable(error));
    QVERIFY(!sl::lessons::findLesson(fifo, &error));

    // /dev/zero never ends (it exhausted memory).
    error.clear();
    QVERIFY(!loadScriptFile(QStringLiteral("/dev/zero"), &source, &error));
    QVERIFY2(error.contains(QStringLiteral("not a regular file")), qPrintable(error));

    QVERIFY(!loadScriptFile(dir.path(), &source, &error));
    QVERIFY2(error.contains(QStringLiteral("directory")), qPrintable(error));
    QVERIFY(!loadScriptFile(dir.filePath(QStringLiteral("missing.lab")), &source, &error));
    QVERIFY2(error.contains(QStringLiteral("No such file")), qPrintable(error));

    // One byte over the limit: refused by its size, nothing read.
    const QString big = dir.filePath(QStringLiteral("big.lab"));
    {
        QFile f(big);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(MaxScriptBytes + 1));
    }
    QVERIFY(!loadScriptFile(big, &source, &error));
    QVERIFY2(error.contains(QStringLiteral("too large (1,048,577 bytes)")), qPrintable(error));

    // At the limit, and an ordinary script: read whole.
    {
        QFile f(big);
        QVERIFY(f.resize(MaxScriptBytes));
    }
    QVERIFY(loadScriptFile(big, &source, &error));
    QCOMPARE(source.size(), MaxScriptBytes);
    const QString ok = dir.filePath(QStringLiteral("ok.lab"));
    {
        QFile f(ok);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#! title: T\xc3\xa9st\nc: x = 1\n");
    }
    QVERIFY(loadScriptFile(ok, &source, &error));
    QCOMPARE(source, QStringLiteral("#! title: Tést\nc: x = 1\n"));
    const auto lesson = sl::lessons::findLesson(ok, &error);
    QVERIFY(lesson);
    QCOMPARE(lesson->title(), QStringLiteral("Tést"));
}

void TstScriptLimits::terminalReportEscapesScriptText() {
    // A script's strings may hold raw escape bytes (Python allows them): `socketlab run`
    // printed them as they were, so a script could clear the screen or retitle the
    // terminal. Its lines, narration and values are printed escaped.
    const QString src = QStringLiteral("c: x = \"\x1b]0;owned\x07\"\n"
                                       "say \"\x1b[2J{x}\"\n");
    sl::engine::Lab lab;
    QVERIFY(lab.load(src, QStringLiteral("esc\x1b.lab")));
    QString text;
    QTextStream out(&text);
    sl::engine::LabReport report(lab, out, QStringLiteral("en"), false);
    report.printHeader(QStringLiteral("T\x1b[1m"), QStringLiteral("esc\x1b.lab"));
    while (!lab.atEnd()) {
        const auto r = lab.stepAndWait(10000);
        QVERIFY(r);
        report.print(*r);
    }
    out.flush();
    QVERIFY2(!text.contains(QChar(0x1b)) && !text.contains(QChar(0x07)), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("\\x1b]0;owned\\x07")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("\\x1b[2J")), qPrintable(text));
}

QTEST_GUILESS_MAIN(TstScriptLimits)
#include "tst_scriptlimits.moc"
