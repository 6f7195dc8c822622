// Malformed scripts: every row is one mistake a learner makes, and where the parser
// must point (line, column), what it must say and what it must suggest.
#include "script/parser.h"

#include <QTest>

using namespace sl::script;

class TstDiagnostics : public QObject {
    Q_OBJECT
private slots:
    void malformed_data();
    void malformed();
    void warnings_data();
    void warnings();
    void severalErrorsPerScript();
    void stopsAfterTooManyErrors();
    void formatted();
    void formattedWithoutSource();
    void hasErrorsIgnoresWarnings();
    void controlCharactersEscaped();
    void longLineShownAsWindow();
};

// A line that defines `s` so that call checks do not also report "not defined".
static const QString kS = QStringLiteral("client: s = socket()\n");

void TstDiagnostics::malformed_data() {
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("col");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("hint");

    auto row = [](const char *name, const QString &src, int line, int col, const char *msg,
                  const char *hint) {
        QTest::newRow(name) << src << line << col << QString::fromUtf8(msg)
                            << QString::fromUtf8(hint);
    };
    const auto u = [](const char *s) { return QString::fromUtf8(s); };

    // calls
    row("unknown method", kS + u("client: s.sned(b\"x\")"), 2, 11, "unknown call 'sned'",
        "did you mean 'send'?");
    row("unknown function", u("client: x = sockt()"), 1, 13, "unknown call 'sockt'",
        "did you mean 'socket'?");
    row("method as function", u("client: x = send(1)"), 1, 13, "'send' is a method, not a function",
        "s.send(");
    row("function as method", kS + u("client: s.len()"), 2, 11, "'len' is a function, not a method",
        "len(");
    row("too many args", kS + u("client: s.recv(1, 2)"), 2, 9, "recv() takes 1 argument (2 given)",
        "ssize_t recv");
    row("too few args", kS + u("client: s.send()"), 2, 9, "send() takes 1 argument (0 given)", "");
    row("range no args", u("client: x = range()"), 1, 13,
        "range() takes at least 1 argument (0 given)", "");
    row("close with arg", kS + u("client: s.close(1)"), 2, 9,
        "close() takes no arguments (1 given)", "");
    row("listen two args", kS + u("client: s.listen(1, 2)"), 2, 9,
        "listen() takes at most 1 argument (2 given)", "");
    row("kwarg then positional", u("client: s = socket(family=AF_INET, 1)"), 1, 36,
        "positional argument after a keyword argument", "positional arguments first");
    row("call a call", kS + u("client: s.send(b\"x\")(2)"), 2, 21,
        "only functions and methods can be called", "");
    // (`s.family` parses since issue 9: attributes of objects, tst_parser_stmt)
    row("unknown module member", u("client: x = socket.AF_FOO"), 1, 13,
        "unknown name 'socket.AF_FOO'", "socket.AF_INET");
    // literals
    row("unterminated string", u("client: x = \"abc"), 1, 13, "unterminated string", "close it");
    row("unterminated bytes", u("client: x = b'abc"), 1, 13, "unterminated bytes literal", "");
    row("bad escape", u("client: x = b\"a\\q\""), 1, 16, "bad escape '\\q'", "\\\\");
    row("bad hex escape", u("client: x = b\"\\xZZ\""), 1, 15, "bad escape", "two hex digits");
    row("non-ascii bytes", u("client: x = b\"caf\xc3\xa9\""), 1, 18, "non-ASCII character",
        "\\xNN");
    row("double underscore", u("client: x = 1__0"), 1, 13, "bad number '1__0'", "underscores");
    row("trailing underscore", u("client: x = 10_"), 1, 13, "bad number '10_'", "underscores");
    row("empty hex", u("client: x = 0x"), 1, 13, "bad number '0x'", "hex digits");
    row("number into letters", u("client: x = 12ab"), 1, 13, "bad number '12ab'", "");
    row("int overflow", u("client: x = 9223372036854775808"), 1, 13, "too large", "64 bits");
    row("size cap bytes", u("client: x = b\"x\" * 2_000_000_000"), 1, 13,
        "size 2,000,000,000 exceeds the lab's 1 GiB cap", "1,073,741,824");
    row("size cap reversed", u("client: x = 3 * 1024 * 1024 * 1024 * b\"ab\""), 1, 13,
        "size 6,442,450,944 exceeds", "1 GiB");
    row("recv cap", kS + u("client: d = s.recv(2_000_000_000)"), 2, 20,
        "recv(): size 2,000,000,000 exceeds the lab's 1 GiB cap", "smaller size");
    row("recv_exactly cap", kS + u("client: d = s.recv_exactly(1_100_000_000)"), 2, 28,
        "recv_exactly(): size 1,100,000,000 exceeds", "");
    row("recvfrom cap product", kS + u("client: d = s.recvfrom(2 * 1024 * 1024 * 1024)"), 2, 24,
        "recvfrom(): size 2,147,483,648 exceeds", "");
    row("read cap", kS + u("client: d = s.read(0x80000000)"), 2, 20, "read(): size", "");
    // brackets and tokens
    row("unclosed paren", u("client: x = (1, 2"), 1, 13, "'(' is never closed", "')'");
    row("unmatched close", u("client: x = 1)"), 1, 14, "unmatched ')'", "");
    row("crossed brackets", u("client: x = [1, 2)"), 1, 18, "')' does not match '['", "");
    row("dangling operator", u("client: x = 1 +"), 1, 16, "unexpected end of line",
        "expected a value");
    row("two values", u("client: x = 1 2"), 1, 15, "unexpected '2'",
        "expected the end of the statement");
    row("semicolon", u("client: x = 1; y = 2"), 1, 14, "unexpected character ';'",
        "one statement per line");
    row("chained comparison", u("client: x = 1 < 2 < 3"), 1, 19, "chained comparison",
        "a < b and b < c");
    row("too deep", u("client: x = ") + QString(150, u'(') + u("1") + QString(150, u')'), 1, 113,
        "nested too deeply", "split");
    row("long chain", u("client: x = 1") + u(" + 1").repeated(150), 1, 0, "nested too deeply", "");
    // blocks
    row("missing colon for", u("client: for i in range(3)\n    pass"), 1, 26,
        "missing ':' after the for header", "for i in range(3):");
    row("missing colon while", u("client: while True\n    pass"), 1, 19,
        "missing ':' after the while header", "");
    row("missing colon if", u("client: x = 1\nclient: if x\n    pass"), 2, 13,
        "missing ':' after the if header", "");
    row("missing block", u("client: for i in range(3):\nsay \"x\""), 1, 9,
        "expected an indented block after 'for'", "indent");
    row("missing block at end", u("client: while True:"), 1, 9,
        "expected an indented block after 'while'", "");
    row("unexpected indent top", u("client: x = 1\n    client: y = 2"), 2, 1, "unexpected indent",
        "");
    row("unexpected indent block", u("client: while True:\n    x = 1\n        y = 2"), 3, 1,
        "unexpected indent", "");
    row("inconsistent dedent", u("client: for i in range(3):\n        x = 1\n    y = 2"), 3, 1,
        "unindent does not match", "");
    row("tabs after spaces", u("client: while True:\n    x = 1\n\tbreak"), 3, 1,
        "indentation uses tabs here but spaces earlier", "spaces");
    row("tabs and spaces", u("client: while True:\n \tx = 1"), 2, 1,
        "indentation mixes tabs and spaces", "");
    row("break outside loop", u("client: break"), 1, 9, "'break' outside a loop",
        "inside a for or while");
    row("continue in if", u("client: x = 1\nclient: if x:\n    continue"), 3, 5,
        "'continue' outside a loop", "");
    row("else without if", u("client: x = 1\nelse:\n    pass"), 2, 1,
        "'else' without a matching 'if'", "");
    row("inline nested header", u("client: x = 1\nclient: if x: while x: pass"), 2, 15,
        "a block cannot start on the same line", "");
    row("prefix in block", u("client: while True:\n    server: x = 1"), 2, 5,
        "unexpected actor prefix 'server:'", "actor of its header (client)");
    row("for without name", u("client: for 1 in range(3):\n    pass"), 1, 13,
        "expected a name after 'for'", "");
    row("for without in", u("client: for i range(3):\n    pass"), 1, 15,
        "expected 'in' after 'for i'", "");
    row("if without condition", u("client: if:\n    pass"), 1, 11, "if needs a condition", "");
    // actors and lab statements
    row("no actor", u("s = socket()"), 1, 1, "statement without an actor",
        "prefix it with the actor that runs it, e.g. `client: s = socket()`");
    row("empty actor statement", u("client:   # nothing"), 1, 1,
        "empty statement for actor 'client'", "client: s.recv(1024)");
    row("keyword actor", u("while: x = 1"), 1, 1, "'while' cannot be an actor name", "");
    row("say as actor", u("say: x = 1"), 1, 1, "'say' cannot be an actor name", "");
    row("say in actor", u("client: say \"hi\""), 1, 9, "'say' is a lab statement",
        "without an actor prefix");
    row("unsupported keyword", u("client: yield x"), 1, 9, "'yield' is not supported", "");
    row("say without string", u("say hello"), 1, 5, "say needs a string", "quotes");
    row("say bytes", u("say b\"hello\""), 1, 5, "say needs a string", "");
    row("say unknown language", u("say \"a\"\nsay[fr] \"b\""), 2, 5, "unknown say language 'fr'",
        "say[ko]");
    row("say ko alone", u("say[ko] \"안녕\""), 1, 1, "say[ko] without a preceding say",
        "right after");
    row("say ko after step", u("say \"a\"\nclient: x = 1\nsay[ko] \"b\""), 3, 1,
        "say[ko] without a preceding say", "");
    row("say ko twice", u("say \"a\"\nsay[ko] \"b\"\nsay[ko] \"c\""), 3, 1,
        "say[ko] without a preceding say", "");
    row("say unterminated brace", u("say \"got {n bytes\""), 1, 10, "unterminated '{' in say text",
        "{{");
    row("say single close", u("say \"a } b\""), 1, 8, "single '}' in say text", "}}");
    row("say empty placeholder", u("say \"a {} b\""), 1, 8, "empty placeholder", "");
    row("say bad format", u("client: n = 1\nsay \"{n:x}\""), 2, 8, "unknown format ':x'",
        "{value:,}");
    row("say undefined name", u("say \"got {n}\""), 1, 11, "name 'n' is not defined yet", "");
    row("say bad expression", u("client: n = 1\nsay \"{n n}\""), 2, 9,
        "unexpected 'n' in a say placeholder", "");
    row("expect empty", u("expect"), 1, 1, "expect needs an expression", "expect n > 0");
    row("wait empty", u("wait"), 1, 1, "wait needs an expression", "wait until");
    row("wait until extra", u("client: s = socket()\nwait until readable(s) after 2"), 2, 24,
        "unexpected 'after'", "");
    // names
    row("undefined name", u("client: d = conn.recv(10)"), 1, 13, "name 'conn' is not defined yet",
        "assign it in an earlier step, e.g. `client: conn = …`");
    row("used before in order", u("client: x = y\nclient: y = 1"), 1, 13,
        "name 'y' is not defined yet", "");
    row("augassign undefined", u("client: total += 1"), 1, 9, "name 'total' is not defined yet",
        "");
    row("while cond undefined", u("client: while go:\n    go = False"), 1, 15,
        "name 'go' is not defined yet", "");
    row("unknown constant", u("client: s = socket(AF_INTE)"), 1, 20,
        "name 'AF_INTE' is not defined yet", "not a known constant");
    row("assign error", u("client: error = 1"), 1, 9, "cannot assign to 'error'", "errno");
    row("assign result", u("client: result, x = 1, 2"), 1, 9, "cannot assign to 'result'",
        "previous step");
    row("assign exception", u("client: exception = 1"), 1, 9, "cannot assign to 'exception'", "");
    row("assign to call", kS + u("client: s.fileno() = 3"), 2, 9, "cannot assign to 's.fileno()'",
        "assign to a name");
    row("assign to constant", u("client: AF_INET = 3"), 1, 9,
        "cannot assign to the constant AF_INET", "");
    row("augassign on call", kS + u("client: s.fileno() += 1"), 2, 9, "cannot use += on",
        ""); // (x[0] += 1 is an item statement since issue 9: tst_parser_values)
    row("chained assignment", u("client: a = b = 1"), 1, 15, "chained assignment", "");
    row("unexpected character", u("client: x = 1 ? 2"), 1, 15, "unexpected character '?'", "");
}

void TstDiagnostics::malformed() {
    QFETCH(QString, source);
    QFETCH(int, line);
    QFETCH(int, col);
    QFETCH(QString, message);
    QFETCH(QString, hint);

    const ParseResult r = parse(source, QStringLiteral("t.lab"));
    QVERIFY2(!r.program, "a malformed script must not produce a program");
    QVERIFY(hasErrors(r.diagnostics));
    const Diagnostic *found = nullptr;
    for (const Diagnostic &d : r.diagnostics) {
        if (d.severity == Diagnostic::Error && d.message.contains(message)) {
            found = &d;
            break;
        }
    }
    if (!found) {
        QStringList got;
        for (const Diagnostic &d : r.diagnostics)
            got << formatDiagnostic(d, QStringLiteral("t.lab"));
        QFAIL(qPrintable(
            QStringLiteral("no error containing \"%1\"; got:\n%2").arg(message, got.join(u'\n'))));
    }
    QCOMPARE(found->span.line, line);
    if (col > 0)
        QCOMPARE(found->span.col, col);
    QVERIFY(found->span.length >= 1);
    if (!hint.isEmpty())
        QVERIFY2(found->hint.contains(hint), qPrintable(found->hint));
}

void TstDiagnostics::warnings_data() {
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");

    QTest::newRow("unknown meta key") << QStringLiteral("#! colour: blue") << 1
                                      << QStringLiteral("unknown metadata key 'colour'");
    QTest::newRow("malformed meta")
        << QStringLiteral("#! no colon here") << 1 << QStringLiteral("malformed metadata line");
    QTest::newRow("meta language") << QStringLiteral("#! title[fr]: Bonjour") << 1
                                   << QStringLiteral("unknown metadata language 'fr'");
    QTest::newRow("value statement")
        << QStringLiteral("client: x = 1\nclient: x + 1") << 2 << QStringLiteral("does nothing");
}

void TstDiagnostics::warnings() {
    QFETCH(QString, source);
    QFETCH(int, line);
    QFETCH(QString, message);
    const ParseResult r = parse(source);
    QVERIFY2(r.program, "warnings alone must not stop a script");
    QCOMPARE(r.diagnostics.size(), size_t(1));
    QCOMPARE(r.diagnostics[0].severity, Diagnostic::Warning);
    QCOMPARE(r.diagnostics[0].span.line, line);
    QVERIFY2(r.diagnostics[0].message.contains(message), qPrintable(r.diagnostics[0].message));
}

void TstDiagnostics::severalErrorsPerScript() {
    // Recovery per line: each bad line is reported, a bad block header skips its block.
    const QString src = QStringLiteral("client: s.sned(1)\n"
                                       "client: x = 1__0\n"
                                       "client: for i in range(3)\n"
                                       "    x = sockt()\n"
                                       "client: y = \"open\n"
                                       "say[ko] \"x\"\n");
    const ParseResult r = parse(src);
    QVERIFY(!r.program);
    QList<int> lines;
    for (const Diagnostic &d : r.diagnostics)
        lines << d.span.line;
    // line 1 reports two problems (s undefined, sned unknown); line 4 is skipped
    QCOMPARE(lines, (QList<int>{1, 1, 2, 3, 5, 6}));
}

void TstDiagnostics::stopsAfterTooManyErrors() {
    // (`x = 1` alone is a module-level definition since issue 9)
    const ParseResult r = parse(QStringLiteral("x.y = 1\n").repeated(500));
    QCOMPARE(r.diagnostics.size(), size_t(101));
    QCOMPARE(r.diagnostics.back().message, QStringLiteral("too many errors; stopping here"));
    QCOMPARE(r.diagnostics.back().span.line, 101);
}

void TstDiagnostics::formatted() {
    const QString src = QStringLiteral("client: s = socket()\nclient: s.sned(b\"x\")\n");
    const ParseResult r = parse(src, QStringLiteral("lesson.lab"));
    QCOMPARE(r.diagnostics.size(), size_t(1));
    const QString text = formatDiagnostic(r.diagnostics[0], QStringLiteral("lesson.lab"), src);
    const QStringList lines = text.split(u'\n');
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines[0], QStringLiteral("lesson.lab:2:11: error: unknown call 'sned'"));
    QCOMPARE(lines[1], QStringLiteral("    hint: did you mean 'send'?"));
    QCOMPARE(lines[2], QStringLiteral("    client: s.sned(b\"x\")"));
    QCOMPARE(lines[3], QStringLiteral("              ^~~~"));
}

void TstDiagnostics::formattedWithoutSource() {
    Diagnostic d;
    d.severity = Diagnostic::Warning;
    d.span = {3, 7, 2};
    d.message = QStringLiteral("odd");
    QCOMPARE(formatDiagnostic(d, QStringLiteral("a.lab")),
             QStringLiteral("a.lab:3:7: warning: odd"));
    // a span past the end of its line still gets one caret, and no crash
    const QString text = formatDiagnostic(d, QStringLiteral("a.lab"), QStringLiteral("\n\nab"));
    QVERIFY(text.endsWith(QStringLiteral("\n    ab\n          ^")));
}

void TstDiagnostics::hasErrorsIgnoresWarnings() {
    std::vector<Diagnostic> diags(1);
    diags[0].severity = Diagnostic::Warning;
    QVERIFY(!hasErrors(diags));
    diags.push_back({});
    QVERIFY(hasErrors(diags));
    QVERIFY(!hasErrors({}));
}

void TstDiagnostics::controlCharactersEscaped() {
    QCOMPARE(escapeControls(u"a\x1b[2Jb\x07\x7f\u009b\u202e\u200b\u2028\tc"),
             QStringLiteral("a\\x1b[2Jb\\x07\\x7f\\x9b\\u{202e}\\u{200b}\\u{2028}\\x09c"));
    QCOMPARE(escapeControls(u"\tx", true), QStringLiteral("\tx"));
    // Printable text of any script stays as it is, pairs of surrogates included; a lone
    // surrogate does not.
    QCOMPARE(escapeControls(QString::fromUtf8("소켓 \xf0\x9f\x94\x8c é")),
             QString::fromUtf8("소켓 \xf0\x9f\x94\x8c é"));
    QCOMPARE(escapeControls(QString(QChar(0xd800)).append(u'x')), QStringLiteral("\\u{d800}x"));

    // A malformed script with an escape sequence on its line (it was echoed raw, so the
    // script could clear the screen or retitle the terminal): message, echoed line and
    // file name carry no control character, and the caret stays under the culprit.
    const QString src = QStringLiteral("client: x = 1 \x1b[31m ?\n");
    const ParseResult r = parse(src, QStringLiteral("t.lab"));
    QVERIFY(!r.program);
    const QString text = formatDiagnostic(r.diagnostics[0], QStringLiteral("t\x1b.lab"), src);
    for (const QChar c : text)
        QVERIFY2(c == u'\n' || c.unicode() >= 0x20, qPrintable(text));
    const QStringList lines = text.split(u'\n');
    QCOMPARE(lines.size(), 3); // no hint
    QCOMPARE(lines[0], QStringLiteral("t\\x1b.lab:1:15: error: unexpected character '\\x1b'"));
    QCOMPARE(lines[1], QStringLiteral("    client: x = 1 \\x1b[31m ?"));
    QCOMPARE(lines[2], QStringLiteral("                  ^~~~"));

    // Inside a string the byte is legal (Python allows it); a later error on that line
    // still echoes it escaped, and the caret accounts for the escape's width.
    const QString src2 = QStringLiteral("client: y = \"\x1b]0;x\x07\" + sockt()\n");
    const ParseResult r2 = parse(src2, QStringLiteral("t.lab"));
    QVERIFY(!r2.program);
    const QStringList l2 =
        formatDiagnostic(r2.diagnostics[0], QStringLiteral("t.lab"), src2).split(u'\n');
    QCOMPARE(l2[0], QStringLiteral("t.lab:1:24: error: unknown call 'sockt'"));
    QCOMPARE(l2[2], QStringLiteral("    client: y = \"\\x1b]0;x\\x07\" + sockt()"));
    QCOMPARE(l2[2].indexOf(u's', 20), l2[3].indexOf(u'^'));
}

void TstDiagnostics::longLineShownAsWindow() {
    // An error at column 3,001 of a 4,000-character line: the echo is a window around it.
    const QString src = QStringLiteral("c: x = 1 + ") + QString(2989, u' ') +
                        QStringLiteral("sockt()") + QString(993, u' ');
    const ParseResult r = parse(src);
    QVERIFY(!r.program);
    QCOMPARE(r.diagnostics[0].span.col, 3001);
    const QStringList lines =
        formatDiagnostic(r.diagnostics[0], QStringLiteral("t.lab"), src).split(u'\n');
    QVERIFY2(lines[2].size() < 200, qPrintable(lines[2]));
    QVERIFY(lines[2].startsWith(QStringLiteral("    …")));
    QVERIFY(lines[2].endsWith(u'…'));
    QCOMPARE(lines[2].indexOf(QStringLiteral("sockt")), lines[3].indexOf(u'^'));
    QCOMPARE(lines[3].count(u'~'), 4);
}

QTEST_APPLESS_MAIN(TstDiagnostics)
#include "tst_diagnostics.moc"
