// Malformed uses of the Python subset's values (issue 9): dict literals, f-strings,
// slices, item assignment, del, and the builtins and value methods. Every row is one
// mistake, where the parser must point (line, column), what it must say and suggest.
#include "script/parser.h"

#include <QTest>

using namespace sl::script;

class TstParserValues : public QObject {
    Q_OBJECT
private slots:
    void malformed_data();
    void malformed();
    void wellFormed_data();
    void wellFormed();
};

void TstParserValues::malformed_data() {
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("col");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("hint");
    auto row = [](const char *name, const char *src, int line, int col, const char *msg,
                  const char *hint) {
        QTest::newRow(name) << QString::fromUtf8(src) << line << col << QString::fromUtf8(msg)
                            << QString::fromUtf8(hint);
    };
    // dict literals
    row("dict never closed", "client: d = {\"a\": 1", 1, 13, "'{' is never closed", "'}'");
    row("dict bracket mismatch", "client: d = {\"a\": [1}", 1, 21, "'}' does not match '['",
        "reverse order");
    row("dict value missing", "client: d = {\"a\": }", 1, 19,
        "expected a value after ':' in a dict", "key: value");
    row("set literal", "client: d = {1, 2}", 1, 15, "sets are not supported", "list");
    row("dict colon missing", "client: d = {1: 2, 3}", 1, 21, "expected ':' after the dict key",
        "key: value");
    row("dict comma missing", "client: d = {1: 2 3: 4}", 1, 19, "unexpected '3' in a dict",
        "expected ',' or '}'");
    row("dict starts with colon", "client: d = {:1}", 1, 14, "unexpected ':' in a dict",
        "expected a key");
    // f-strings
    row("f-string empty field", "client: s = f\"{}\"", 1, 15, "empty expression in an f-string",
        "{{ }}");
    row("f-string unterminated field", "client: s = f\"{x\"", 1, 15,
        "unterminated '{' in an f-string", "{{");
    row("f-string single close", "client: s = f\"a}\"", 1, 16, "single '}' in an f-string", "}}");
    row("f-string bad conversion", "client: x = 1\nclient: s = f\"{x!z}\"", 2, 17,
        "unknown conversion '!z' in an f-string", "!r");
    row("f-string nested spec", "client: x = 1\nclient: s = f\"{x:{x}}\"", 2, 18,
        "nested fields in a format spec are not supported", "{n:>8}");
    row("f-string bad spec", "client: x = 1\nclient: s = f\"{x:q}\"", 2, 18,
        "invalid format spec 'q'", "{n:,}");
    row("f-string two values", "client: x = 1\nclient: s = f\"{x x}\"", 2, 18,
        "unexpected 'x' in an f-string field", "one value");
    row("f-string undefined name", "client: s = f\"{nope}\"", 1, 16,
        "name 'nope' is not defined yet", "");
    row("f-string unterminated", "client: s = f\"abc", 1, 13, "unterminated string", "");
    // slices
    row("slice of four parts", "client: a = [1]\nclient: b = a[1:2:3:4]", 2, 20,
        "a slice has at most three parts", "start:stop:step");
    row("slice assignment", "client: a = [1]\nclient: a[1:2] = [3]", 2, 9,
        "assignment to a slice is not supported", "a[:i]");
    // item assignment
    row("item assignment without value", "client: d = {}\nclient: d[\"k\"] =", 2, 17,
        "expected a value after '='", "counts[key] = 0");
    row("item augassign without value", "client: d = {}\nclient: d[1] +=", 2, 16,
        "expected a value after '+='", "");
    row("chained item assignment", "client: d = {}\nclient: d[1] = d[2] = 3", 2, 21,
        "chained assignment is not supported", "one value");
    row("item assignment undefined", "client: nope[1] = 2", 1, 9, "name 'nope' is not defined yet",
        "");
    // del
    // `del name` is allowed (lesson 13); a name never assigned is still refused.
    row("del of an undefined name", "client: del nope", 1, 13, "name 'nope' is not defined yet",
        "");
    row("del without item", "client: del", 1, 12, "expected an item after 'del'", "del buffers");
    row("del of two items", "client: d = {}\nclient: del d[1], d[2]", 2, 17, "del takes one item",
        "one `del`");
    row("del of a slice", "client: a = [1]\nclient: del a[0:1]", 2, 13,
        "del of a slice is not supported", "a[:i]");
    row("del of a call", "client: s = socket()\nclient: del s.fileno()", 2, 13,
        "cannot delete 's.fileno()'", "del d[key]");
    // builtins and value methods
    row("method called as function", "client: append(1)", 1, 9,
        "'append' is a method, not a function", "list");
    row("function called as method", "client: a = [1]\nclient: a.sorted()", 2, 11,
        "'sorted' is a function, not a method", "sorted(");
    row("method typo", "client: a = [1]\nclient: a.apend(2)", 2, 11, "unknown call 'apend'",
        "did you mean 'append'?");
    row("builtin typo", "client: x = sortd([1])", 1, 13, "unknown call 'sortd'",
        "did you mean 'sorted'?");
    row("append arity", "client: a = [1]\nclient: a.append()", 2, 9,
        "append() takes 1 argument (0 given)", "");
    row("get arity", "client: d = {}\nclient: v = d.get()", 2, 13,
        "get() takes at least 1 argument (0 given)", "");
}

void TstParserValues::malformed() {
    QFETCH(QString, source);
    QFETCH(int, line);
    QFETCH(int, col);
    QFETCH(QString, message);
    QFETCH(QString, hint);
    const ParseResult r = parse(source, QStringLiteral("t.lab"));
    QVERIFY2(!r.program, "a malformed script must not produce a program");
    const Diagnostic *found = nullptr;
    for (const Diagnostic &d : r.diagnostics)
        if (d.severity == Diagnostic::Error && d.message.contains(message)) {
            found = &d;
            break;
        }
    if (!found) {
        QStringList got;
        for (const Diagnostic &d : r.diagnostics)
            got << formatDiagnostic(d, QStringLiteral("t.lab"));
        QFAIL(qPrintable(
            QStringLiteral("no error containing \"%1\"; got:\n%2").arg(message, got.join(u'\n'))));
    }
    QCOMPARE(found->span.line, line);
    QCOMPARE(found->span.col, col);
    QVERIFY(found->span.length >= 1);
    if (!hint.isEmpty())
        QVERIFY2(found->hint.contains(hint), qPrintable(found->hint));
}

// The forms the rows above get wrong, written right, parse without a diagnostic.
void TstParserValues::wellFormed_data() {
    QTest::addColumn<QString>("source");
    auto row = [](const char *name, const char *src) {
        QTest::newRow(name) << QString::fromUtf8(src);
    };
    row("dict", "client: d = {\"a\": [1, 2], (1, 2): {}, 3: b\"x\",}");
    row("f-string", "client: x = 1\nclient: s = f\"{x!r:>8} {x:,} {x=} {{x}} {[x, 'a'][0]}\"");
    row("slices", "client: a = [1]\nclient: b = a[::2] + a[1:] + a[:-1] + a[::-1] + a[0:1:1]");
    row("item statements", "client: d = {}\nclient: d[1] = 2\nclient: d[1] += 3\nclient: del d[1]");
    row("methods and builtins", "client: a = [3]\nclient: a.append(len(a))\nclient: "
                                "print(sorted(a, reverse=True), sep=\"\", end=\"\\n\")");
    row("dict in a block", "client: for k in {\"a\": 1}:\n    print(k)");
}

void TstParserValues::wellFormed() {
    QFETCH(QString, source);
    const ParseResult r = parse(source, QStringLiteral("t.lab"));
    QStringList got;
    for (const Diagnostic &d : r.diagnostics)
        got << formatDiagnostic(d, QStringLiteral("t.lab"));
    QVERIFY2(r.program && r.diagnostics.empty(), qPrintable(got.join(u'\n')));
}

QTEST_GUILESS_MAIN(TstParserValues)
#include "tst_parser_values.moc"
