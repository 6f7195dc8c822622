// Active learning in the language: `ask` (a question put before the next actor step)
// and `___` (a blank left for the learner), with what the parser says when either is
// written wrong; and the catalogue's side: metadata of the path, fillBlanks().
#include "lessons/lessoncatalog.h"
#include "script/parser.h"

#include <QTest>

using namespace sl::script;

class TstAsk : public QObject {
    Q_OBJECT
private slots:
    void forms();
    void korean();
    void malformed_data();
    void malformed();
    void blankRefusedWithHint();
    void fillBlanks();
    void pathMetadata();
    void builtinLessonsAsk();
};

static const QString kHead = QStringLiteral("client: s = socket(AF_INET, SOCK_STREAM)\n");

void TstAsk::forms() {
    const ParseResult r = parse(
        kHead +
        QStringLiteral(
            "ask \"What will send() return?\" choices [4096, 6_144, \"all\", b\"x\", EAGAIN, -1] "
            "answer result\n"
            "client: n = s.fileno()\n"
            "ask \"How many?\" number within 10% answer n\n"
            "client: m = s.fileno()\n"
            "ask \"Blocked?\" yesno answer blocked(client)\n"
            "client: s.close()\n"));
    QVERIFY2(r.program, r.diagnostics.empty() ? "" : qPrintable(r.diagnostics[0].message));
    const Program &p = *r.program;
    QCOMPARE(p.steps.size(), std::size_t(7));
    const Stmt &a = *p.steps[1];
    QCOMPARE(a.kind, StmtKind::Ask);
    QCOMPARE(a.actorIndex, -1);
    QVERIFY(a.question);
    QCOMPARE(a.question->kind, Question::Kind::Choice);
    QCOMPARE(a.question->choices.size(), std::size_t(6));
    QCOMPARE(a.question->choices[1]->text, QStringLiteral("6_144"));
    QCOMPARE(a.question->answer->text, QStringLiteral("result"));
    QCOMPARE(p.steps[3]->question->kind, Question::Kind::Number);
    QCOMPARE(p.steps[3]->question->tolerance, 0.1);
    QCOMPARE(p.steps[5]->question->kind, Question::Kind::YesNo);
    QCOMPARE(p.steps[5]->question->answer->text, QStringLiteral("blocked(client)"));
    QCOMPARE(a.say.constFind(QStringLiteral("en"))->at(0).text,
             QStringLiteral("What will send() return?"));
}

void TstAsk::korean() {
    const ParseResult r =
        parse(kHead + QStringLiteral("ask \"Which fd {s.fileno()}?\" number answer result\n"
                                     "ask[ko] \"fd는 {s.fileno()}?\"\n"
                                     "client: s.fileno()\n"));
    QVERIFY(r.program);
    const Stmt &a = *r.program->steps[1];
    QVERIFY(a.say.contains(QStringLiteral("ko")));
    QCOMPARE(a.lastLine, 3);
    QCOMPARE(a.say.constFind(QStringLiteral("ko"))->size(), std::size_t(3)); // text, {expr}, text
}

void TstAsk::malformed_data() {
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
    const auto row = [](const char *name, const char *src, int line, const char *msg) {
        QTest::newRow(name) << kHead + QString::fromUtf8(src) << line << QString::fromUtf8(msg);
    };
    row("no text", "ask number answer 1\nclient: s.close()\n", 2, "ask needs a question in quotes");
    row("no form", "ask \"Q?\" answer 1\nclient: s.close()\n", 2,
        "expected `choices [...]`, `number` or `yesno` after the question");
    row("no answer", "ask \"Q?\" number\nclient: s.close()\n", 2, "ask needs `answer EXPR`");
    row("empty answer", "ask \"Q?\" number answer\nclient: s.close()\n", 2,
        "expected a value after 'answer'");
    row("one choice", "ask \"Q?\" choices [1] answer 1\nclient: s.close()\n", 2,
        "choices needs at least two values");
    row("computed choice", "ask \"Q?\" choices [1, s.fileno()] answer 1\nclient: s.close()\n", 2,
        "a choice must be a literal value, not 's.fileno()'");
    row("bad tolerance", "ask \"Q?\" number within ten answer 1\nclient: s.close()\n", 2,
        "expected a percentage after 'within'");
    row("last step", "client: s.close()\nask \"Q?\" yesno answer True\n", 3,
        "ask with no actor step after it");
    row("two asks",
        "ask \"A?\" yesno answer True\nask \"B?\" yesno answer True\nclient: s.close()\n", 3,
        "a second ask before the step the first one is about");
    row("ko alone", "ask[ko] \"질문?\"\nclient: s.close()\n", 2, "ask[ko] without a preceding ask");
    row("in a block", "client: for i in range(2):\n    ask \"Q?\" yesno answer True\n", 3,
        "'ask' is a lab statement, not an actor's");
    row("undefined answer", "ask \"Q?\" number answer nope\nclient: s.close()\n", 2,
        "name 'nope' is not defined yet");
}

void TstAsk::malformed() {
    QFETCH(QString, source);
    QFETCH(int, line);
    QFETCH(QString, message);
    const ParseResult r = parse(source);
    QVERIFY(!r.program);
    bool found = false;
    for (const Diagnostic &d : r.diagnostics)
        found = found || (d.span.line == line && d.message == message);
    if (!found)
        for (const Diagnostic &d : r.diagnostics)
            qWarning() << d.span.line << d.message;
    QVERIFY(found);
}

void TstAsk::blankRefusedWithHint() {
    const ParseResult r =
        parse(kHead + QStringLiteral("client: s.setblocking(___)\n"
                                     "#! solution: False\n"
                                     "#! hint: a non-blocking socket never waits\n"));
    QVERIFY(!r.program);
    QCOMPARE(r.diagnostics.size(), std::size_t(1)); // no "not defined", no unknown key
    const Diagnostic &d = r.diagnostics[0];
    QCOMPARE(d.span.line, 2);
    QCOMPARE(d.span.col, 23);
    QCOMPARE(d.message, QStringLiteral("a blank to fill in: replace ___ with your code"));
    QCOMPARE(d.hint, QStringLiteral("a non-blocking socket never waits")); // the lesson's hint
    // In a method name too, and in a block's body.
    QVERIFY(!parse(kHead + QStringLiteral("client: s.___()\n")).program);
    QVERIFY(!parse(kHead + QStringLiteral("client: while True:\n    s.recv(___)\n")).program);
    // A name that merely contains underscores is no blank.
    QVERIFY(parse(kHead + QStringLiteral("client: ___x = 1\n")).program);
}

void TstAsk::fillBlanks() {
    const QString src = kHead + QStringLiteral("client: s.setblocking(___)\n"
                                               "#! solution: False\n"
                                               "client: n = 1\n");
    const QString filled = sl::lessons::fillBlanks(src);
    QVERIFY(filled.contains(QStringLiteral("client: s.setblocking(False)\n")));
    QVERIFY(parse(filled).program);
    // A blank without its solution line is left for the parser to refuse.
    const QString bare = kHead + QStringLiteral("client: s.setblocking(___)\n");
    QCOMPARE(sl::lessons::fillBlanks(bare), bare);
}

void TstAsk::pathMetadata() {
    sl::lessons::LessonInfo l;
    l.source = QStringLiteral("#! level: 3\n#! requires: 01-client-basics, 05-partial-send\n") +
               kHead + QStringLiteral("ask \"Q?\" yesno answer True\nclient: s.close()\n");
    l.meta = sl::lessons::readMeta(l.source);
    QCOMPARE(l.level(), 3);
    QCOMPARE(l.prerequisites(),
             QStringList({QStringLiteral("01-client-basics"), QStringLiteral("05-partial-send")}));
    QCOMPARE(l.questionCount(), 1);
    QVERIFY(!l.hasBlanks());
    const ParseResult r = parse(l.source);
    QVERIFY(r.program);
    QVERIFY(r.diagnostics.empty()); // level and requires are known keys
}

void TstAsk::builtinLessonsAsk() {
    // The path and the questions of the built-in lessons (issue 10): every lesson has a
    // level, every prerequisite is a lesson, at least 12 lessons ask 2 questions or more.
    const auto all = sl::lessons::builtinLessons();
    QVERIFY(all.size() >= 17);
    QStringList ids;
    for (const auto &l : all)
        ids << l.id;
    int withTwo = 0;
    for (const auto &l : all) {
        QVERIFY2(l.level() >= 1, qPrintable(l.id));
        for (const QString &req : l.prerequisites())
            QVERIFY2(ids.contains(req), qPrintable(l.id + QStringLiteral(": ") + req));
        withTwo += l.questionCount() >= 2;
        QVERIFY2(parse(sl::lessons::fillBlanks(l.source)).program, qPrintable(l.id));
    }
    QVERIFY2(withTwo >= 12, qPrintable(QString::number(withTwo)));
}

QTEST_GUILESS_MAIN(TstAsk)
#include "tst_ask.moc"
