// The built-in lesson catalogue, read as text: every lesson parses, has its Korean
// title and summary, narrates every point in both languages, and the lessons as a
// whole use every call DESIGN.md promises. Running the lessons against the kernel is
// `socketlab check` (one CTest case per lesson); this test never opens a socket.
#include "lessons/lessoncatalog.h"
#include "script/ast.h"
#include "script/parser.h"

#include <QSet>
#include <QStringList>
#include <QTest>

using sl::lessons::LessonInfo;
using namespace sl::script;

namespace {

// Every name a script can call, as DESIGN.md lists them ("Calls" and the helpers).
const char *const DesignCalls[] = {
    "socket",     "bind",       "listen",      "accept",      "connect",      "connect_ex",
    "send",       "recv",       "shutdown",    "close",       "setblocking",  "settimeout",
    "setsockopt", "getsockopt", "getsockname", "getpeername", "select",       "sleep",
    "sendto",     "recvfrom",   "socketpair",  "sendall",     "recv_exactly", "recv_until",
    "send_msg",   "recv_msg",
};

void collectCalls(const Expr &e, QSet<QString> *out) {
    if (e.kind == ExprKind::Call || e.kind == ExprKind::Method)
        out->insert(e.name);
    for (const ExprPtr &k : e.kids)
        if (k)
            collectCalls(*k, out);
    for (const auto &kw : e.kwargs)
        if (kw.second)
            collectCalls(*kw.second, out);
}

void collectCalls(const Stmt &s, QSet<QString> *out) {
    if (s.expr)
        collectCalls(*s.expr, out);
    if (s.timeout)
        collectCalls(*s.timeout, out);
    for (const StmtPtr &b : s.body)
        collectCalls(*b, out);
    for (const StmtPtr &b : s.orelse)
        collectCalls(*b, out);
    // Narration may quote a call's value ({len(data)}): count those too.
    for (const std::vector<SayPart> &parts : s.say)
        for (const SayPart &p : parts)
            if (p.expr)
                collectCalls(*p.expr, out);
}

std::optional<Program> parseLesson(const LessonInfo &l, QString *why) {
    ParseResult r = parse(l.source, l.path);
    if (!r.program) {
        QStringList lines;
        for (const Diagnostic &d : r.diagnostics)
            lines << formatDiagnostic(d, l.path, l.source);
        *why = lines.join(QLatin1Char('\n'));
    }
    return std::move(r.program);
}

} // namespace

class TestLessons : public QObject {
    Q_OBJECT

private slots:
    void catalogueIsNotEmpty();
    void eachLesson_data();
    void eachLesson();
    void designCallsAreTaught();
};

void TestLessons::catalogueIsNotEmpty() {
    const auto all = sl::lessons::builtinLessons();
    QVERIFY2(!all.isEmpty(), "no built-in lessons compiled in (:/lessons/)");
    QSet<int> numbers;
    for (const LessonInfo &l : all) {
        QVERIFY2(l.number > 0, qPrintable(l.id + QStringLiteral(": no lesson number")));
        QVERIFY2(
            !numbers.contains(l.number),
            qPrintable(QStringLiteral("lesson number %1 used twice (%2)").arg(l.number).arg(l.id)));
        numbers.insert(l.number);
    }
}

void TestLessons::eachLesson_data() {
    QTest::addColumn<int>("index");
    const auto all = sl::lessons::builtinLessons();
    for (int i = 0; i < all.size(); ++i)
        QTest::newRow(qPrintable(all[i].id)) << i;
}

void TestLessons::eachLesson() {
    QFETCH(int, index);
    const LessonInfo l = sl::lessons::builtinLessons().at(index);

    QString why;
    const std::optional<Program> p = parseLesson(l, &why);
    QVERIFY2(p, qPrintable(why));

    for (const char *key : {"title", "title[ko]", "summary", "summary[ko]", "seed"})
        QVERIFY2(!l.meta.value(QLatin1String(key)).isEmpty(),
                 qPrintable(QStringLiteral("%1: no '#! %2:' line").arg(l.id, QLatin1String(key))));

    int says = 0;
    QStringList missing;
    for (const StmtPtr &s : p->steps) {
        if (s->kind != StmtKind::Say)
            continue;
        ++says;
        if (!s->say.contains(QStringLiteral("ko")))
            missing << QString::number(s->span.line);
        if (!s->say.contains(QStringLiteral("en")))
            missing << QStringLiteral("%1 (no English)").arg(s->span.line);
    }
    QVERIFY2(says > 0, qPrintable(l.id + QStringLiteral(": no narration")));
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("%1: say without say[ko] on line(s) %2")
                                               .arg(l.id, missing.join(QStringLiteral(", ")))));

    // A lesson ends with a closing summary: its last statement is narration.
    QVERIFY2(!p->steps.empty() && p->steps.back()->kind == StmtKind::Say,
             qPrintable(l.id + QStringLiteral(": does not end with a closing say")));
}

void TestLessons::designCallsAreTaught() {
    QSet<QString> used;
    for (const LessonInfo &l : sl::lessons::builtinLessons()) {
        QString why;
        const std::optional<Program> p = parseLesson(l, &why);
        QVERIFY2(p, qPrintable(why));
        for (const StmtPtr &s : p->steps)
            collectCalls(*s, &used);
    }
    QStringList missing;
    for (const char *name : DesignCalls)
        if (!used.contains(QLatin1String(name)))
            missing << QLatin1String(name);
    if (!missing.isEmpty())
        QFAIL(qPrintable(QStringLiteral("calls named in DESIGN.md that no built-in lesson uses: ") +
                         missing.join(QStringLiteral(", "))));
}

QTEST_GUILESS_MAIN(TestLessons)
#include "tst_lessons.moc"
