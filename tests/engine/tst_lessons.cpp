// The built-in lesson catalogue, read as text: every lesson parses, has its Korean
// title and summary, narrates every point in both languages, and the lessons as a
// whole use every call DESIGN.md promises. Running the lessons against the kernel is
// `socketlab check` (one CTest case per lesson); this test never opens a socket.
#include "lessons/lessoncatalog.h"
#include "script/ast.h"
#include "script/parser.h"

#include <QMap>
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

// --- Any reading pace (DESIGN.md principle 8) ---------------------------------------
// A reader may pause for minutes before any step. `expect blocked(A)` right after A's
// call only holds at any pace if that call cannot end by itself: a select() with a
// timeout, or a call on a socket given a finite settimeout(), ends while the reader
// reads, and the expectation then fails (lesson 3's `expect blocked(late)` did).

bool isNumber(const Expr *e) {
    return e && (e->kind == ExprKind::Int || e->kind == ExprKind::Float);
}

// The call in this expression that gives up after a timeout, "" when none.
QString timedCall(const Expr &e, const QSet<QString> &timedSockets) {
    if (e.kind == ExprKind::Call && e.name == QLatin1String("select") && e.kids.size() >= 4 &&
        isNumber(e.kids[3].get()))
        return QStringLiteral("select() with a %1 s timeout").arg(e.kids[3]->text);
    if (e.kind == ExprKind::Method && !e.kids.empty() && e.kids[0] &&
        e.kids[0]->kind == ExprKind::Name && timedSockets.contains(e.kids[0]->name) &&
        e.name != QLatin1String("settimeout"))
        return QStringLiteral("%1.%2() with settimeout()").arg(e.kids[0]->name, e.name);
    for (const ExprPtr &k : e.kids)
        if (k)
            if (const QString t = timedCall(*k, timedSockets); !t.isEmpty())
                return t;
    return {};
}

// `sock.settimeout(number)` marks sock as timed, `settimeout(None)` unmarks it.
void noteTimeouts(const Expr &e, QSet<QString> *timedSockets) {
    if (e.kind == ExprKind::Method && e.name == QLatin1String("settimeout") && e.kids.size() >= 2 &&
        e.kids[0] && e.kids[0]->kind == ExprKind::Name) {
        if (isNumber(e.kids[1].get()))
            timedSockets->insert(e.kids[0]->name);
        else
            timedSockets->remove(e.kids[0]->name);
    }
    for (const ExprPtr &k : e.kids)
        if (k)
            noteTimeouts(*k, timedSockets);
}

// "line N: …" for every `expect blocked(A)` that only holds for a fast reader.
QStringList paceDependentExpectations(const Program &p) {
    QStringList found;
    QSet<QString> timed;
    QMap<QString, QString> lastTimedCall; // actor -> its last step's timed call ("" none)
    for (const StmtPtr &s : p.steps) {
        if (!s->actor.isEmpty()) {
            QString t;
            if (s->expr)
                t = timedCall(*s->expr, timed);
            if (s->expr)
                noteTimeouts(*s->expr, &timed);
            lastTimedCall[s->actor] = t;
            continue;
        }
        if (s->kind != StmtKind::Expect || !s->expr)
            continue;
        const Expr &e = *s->expr;
        if (e.kind == ExprKind::Call && e.name == QLatin1String("blocked") && !e.kids.empty() &&
            e.kids[0]) {
            const QString t = lastTimedCall.value(e.kids[0]->name);
            if (!t.isEmpty())
                found << QStringLiteral("line %1: `%2` after %3, which ends by itself while "
                                        "a reader reads")
                             .arg(s->span.line)
                             .arg(s->source, t);
        }
    }
    return found;
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
    void holdsAtAnyPace_data() { eachLesson_data(); }
    void holdsAtAnyPace();
    void paceLintSeesTimedCalls();
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

void TestLessons::holdsAtAnyPace() {
    QFETCH(int, index);
    const LessonInfo l = sl::lessons::builtinLessons().at(index);
    QString why;
    const std::optional<Program> p = parseLesson(l, &why);
    QVERIFY2(p, qPrintable(why));
    const QStringList found = paceDependentExpectations(*p);
    QVERIFY2(found.isEmpty(), qPrintable(l.id + QStringLiteral(" depends on the reading pace: ") +
                                         found.join(QStringLiteral("; "))));
}

// The lint itself: lesson 3's and lesson 12's old forms are found, waits that cannot end
// by themselves are not.
void TestLessons::paceLintSeesTimedCalls() {
    const char *const src = "late: c5 = socket(AF_INET, SOCK_STREAM)\n"
                            "late: c5.settimeout(0.5)\n"
                            "late: rc = c5.connect_ex((\"127.0.0.1\", 9))\n"
                            "expect blocked(late)\n"
                            "server: r, w, x = select([c5], [], [], 5)\n"
                            "expect blocked(server)\n"
                            "server: r, w, x = select([c5], [], [])\n"
                            "expect blocked(server)\n"
                            "late: c5.settimeout(None)\n"
                            "late: data = c5.recv(10)\n"
                            "expect blocked(late)\n";
    ParseResult r = parse(QString::fromUtf8(src), QStringLiteral("pace.lab"));
    QVERIFY(r.program);
    const QStringList found = paceDependentExpectations(*r.program);
    QCOMPARE(found.size(), 2);
    QVERIFY2(found[0].startsWith(QStringLiteral("line 4:")), qPrintable(found[0]));
    QVERIFY2(found[1].startsWith(QStringLiteral("line 6:")), qPrintable(found[1]));
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
