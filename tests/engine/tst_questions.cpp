// Predict, then step: a question's verdict against what the kernel decided, in the lab
// (QuestionDesk on real loopback sockets) and in the terminal (`socketlab run --answers`,
// the non-interactive run, `check`, `lessons --json`, `--lang ko`).
#include "engine/questions.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace sl::engine;
using sl::script::Question;

class TstQuestions : public QObject {
    Q_OBJECT
private slots:
    void judgeNumber();
    void judgeChoice();
    void judgeYesNo();
    void deskHoldsAndJudges();
    void cliAnswersFile();
    void cliNonInteractiveShows();
    void cliCheckFailsOnUnreadableAnswer();
    void cliLessonsJson();
    void cliKoreanLines();
};

namespace {

AskedQuestion question(Question::Kind kind, QStringList choices = {}, double tol = 0) {
    AskedQuestion q;
    q.kind = kind;
    q.choices = choices;
    q.tolerance = tol;
    return q;
}

struct Run {
    int exitCode = -1;
    QString out, err;
};

Run socketlab(const QStringList &args) {
    QProcess p;
    p.setStandardInputFile(QProcess::nullDevice()); // not a terminal: never asks
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("NO_COLOR"), QStringLiteral("1")); // every command honours it
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SOCKETLAB_BIN), args);
    Run r;
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// A non-blocking send() into a small buffer nobody reads: the kernel decides how much.
const char *kScript = R"(server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
client: s = socket(AF_INET, SOCK_STREAM)
client: s.setsockopt(SOL_SOCKET, SO_SNDBUF, 4096)
client: s.connect(srv.getsockname())
server: conn, addr = srv.accept()
client: s.setblocking(False)
ask "How many bytes will send() take?" number answer result
ask[ko] "send()는 몇 바이트를 가져갈까요?"
client: n = s.send(b"x" * 1_000_000)
ask "Will recv() on the empty client socket raise EAGAIN?" yesno answer error == EAGAIN
client: s.recv(10)
say "took {n}"
)";

QString writeFile(QTemporaryDir &dir, const QString &name, const QString &text) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(text.toUtf8());
    return path;
}

} // namespace

void TstQuestions::judgeNumber() {
    const AskedQuestion q = question(Question::Kind::Number);
    Verdict v = judge(q, QStringLiteral("6,144"), Value::integer(6144), {});
    QVERIFY(v.answered && v.right);
    QCOMPARE(v.actual, QStringLiteral("6,144"));
    QCOMPARE(v.given, QStringLiteral("6,144"));
    v = judge(q, QStringLiteral("6_000"), Value::integer(6144), {});
    QVERIFY(v.answered && !v.right);
    v = judge(question(Question::Kind::Number, {}, 0.1), QStringLiteral("6000"),
              Value::integer(6144), {});
    QVERIFY(v.right); // within 10%
    v = judge(q, QStringLiteral("lots"), Value::integer(6144), {});
    QVERIFY(!v.answered);
    QVERIFY(!v.invalid.isEmpty());
    v = judge(q, QString(), Value::integer(6144), {});
    QVERIFY(!v.answered && v.invalid.isEmpty()); // skipped
    QCOMPARE(v.actual, QStringLiteral("6,144"));
}

void TstQuestions::judgeChoice() {
    const AskedQuestion q =
        question(Question::Kind::Choice,
                 {QStringLiteral("EAGAIN"), QStringLiteral("EPIPE"), QStringLiteral("CLOSE_WAIT")});
    const ValueList values = {Value::integer(11), Value::integer(32),
                              Value::str(QStringLiteral("CLOSE_WAIT"))};
    Verdict v = judge(q, QStringLiteral("2"), Value::integer(32), values);
    QVERIFY(v.answered && v.right);
    QCOMPARE(v.given, QStringLiteral("EPIPE"));
    QCOMPARE(v.actual, QStringLiteral("EPIPE")); // shown as the choice, not 32
    v = judge(q, QStringLiteral("eagain"), Value::integer(32), values);
    QVERIFY(v.answered && !v.right);
    QCOMPARE(v.given, QStringLiteral("EAGAIN"));
    v = judge(q, QStringLiteral("close_wait"), Value::str(QStringLiteral("CLOSE_WAIT")), values);
    QVERIFY(v.right);
    v = judge(q, QStringLiteral("7"), Value::integer(32), values);
    QVERIFY(!v.answered);
    // A value none of the choices has: every answer is wrong, the value is shown.
    v = judge(q, QStringLiteral("1"), Value::integer(104), values);
    QVERIFY(v.answered && !v.right);
    QCOMPARE(v.actual, QStringLiteral("104"));
}

void TstQuestions::judgeYesNo() {
    const AskedQuestion q = question(Question::Kind::YesNo);
    QVERIFY(judge(q, QStringLiteral("yes"), Value::boolean(true), {}).right);
    QVERIFY(judge(q, QStringLiteral("N"), Value::boolean(false), {}).right);
    QVERIFY(judge(q, QStringLiteral("예"), Value::boolean(true), {}).right);
    QVERIFY(!judge(q, QStringLiteral("아니요"), Value::boolean(true), {}).right);
    QCOMPARE(judge(q, {}, Value::integer(0), {}).actual, QStringLiteral("no"));
}

void TstQuestions::deskHoldsAndJudges() {
    Lab lab;
    QuestionDesk desk(lab);
    desk.setHoldForAnswers(true);
    QVERIFY(lab.load(QString::fromUtf8(kScript), QStringLiteral("q.lab")));
    QList<Verdict> verdicts;
    connect(&desk, &QuestionDesk::verdictReady, this,
            [&](const AskedQuestion &, const Verdict &v) { verdicts << v; });
    while (!desk.hasQuestion() && !lab.atEnd())
        QVERIFY(lab.stepAndWait());
    QVERIFY(desk.awaitingAnswer());
    QCOMPARE(desk.current()->text[0], QStringLiteral("How many bytes will send() take?"));
    QCOMPARE(desk.current()->text[1], QStringLiteral("send()는 몇 바이트를 가져갈까요?"));
    // Held: the send does not run before the learner answers.
    QVERIFY(lab.held());
    const int pos = lab.position();
    lab.step();
    QCOMPARE(lab.position(), pos);
    desk.answer(QStringLiteral("1000000"));
    QVERIFY(!lab.held());
    QVERIFY(lab.stepAndWait()); // the send
    QCOMPARE(verdicts.size(), 1);
    QVERIFY(verdicts[0].answered);
    QVERIFY(!verdicts[0].right); // the buffers hold far less than 1,000,000 bytes
    QVERIFY(verdicts[0].actual != QStringLiteral("1,000,000"));
    QVERIFY(!verdicts[0].actual.isEmpty());
    QVERIFY(lab.stepAndWait()); // the second ask
    desk.answer(QStringLiteral("yes"));
    QVERIFY(lab.stepAndWait()); // recv on an empty non-blocking socket
    QCOMPARE(verdicts.size(), 2);
    QVERIFY(verdicts[1].right);
    QCOMPARE(desk.asked(), 2);
    QCOMPARE(desk.right(), 1);
    // The trace keeps each prediction beside its step.
    bool noted = false;
    for (std::size_t i = 0; i < lab.trace().size(); ++i) {
        const auto &ev = lab.trace().event(i);
        if (ev.kind == sl::trace::EventKind::Note &&
            lab.trace().text(ev.text.a).startsWith(
                QStringLiteral("question (line 10): answered 1,000,000")))
            noted = true;
    }
    QVERIFY(noted);
}

void TstQuestions::cliAnswersFile() {
    QTemporaryDir dir;
    const QString lab = writeFile(dir, QStringLiteral("q.lab"), QString::fromUtf8(kScript));
    const QString answers =
        writeFile(dir, QStringLiteral("a.txt"), QStringLiteral("1000000\nyes\n"));
    const Run r = socketlab({QStringLiteral("run"), lab, QStringLiteral("--answers"), answers});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("? Predict (10): How many bytes will send() take?")),
             qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("✗ wrong: you said 1,000,000, the kernel said ")));
    QVERIFY(r.out.contains(QStringLiteral("✓ right: you said yes, the kernel said yes")));
    QVERIFY(r.out.contains(QStringLiteral("questions: 1 of 2 right")));
    // The verdict comes after the step it is about.
    QVERIFY(r.out.indexOf(QStringLiteral("n = s.send(")) <
            r.out.indexOf(QStringLiteral("✗ wrong")));
}

void TstQuestions::cliNonInteractiveShows() {
    QTemporaryDir dir;
    const QString lab = writeFile(dir, QStringLiteral("q.lab"), QString::fromUtf8(kScript));
    const Run r = socketlab({QStringLiteral("run"), lab}); // stdin is /dev/null
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QStringLiteral("? Predict (10)")));
    QVERIFY(r.out.contains(QStringLiteral("= the kernel said yes")));
    QVERIFY(!r.out.contains(QStringLiteral("your answer")));
    QVERIFY(!r.out.contains(QStringLiteral("questions:")));
}

void TstQuestions::cliCheckFailsOnUnreadableAnswer() {
    QTemporaryDir dir;
    const QString lab = writeFile(dir, QStringLiteral("bad.lab"),
                                  QStringLiteral("client: s = socket(AF_INET, SOCK_STREAM)\n"
                                                 "ask \"Q?\" number answer len(result)\n"
                                                 "client: s.fileno()\n"));
    const Run r = socketlab({QStringLiteral("check"), lab});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains(QStringLiteral("bad.lab:2: the question's answer `len(result)` could "
                                           "not be read: TypeError")),
             qPrintable(r.out));
}

void TstQuestions::cliLessonsJson() {
    const Run r = socketlab({QStringLiteral("lessons"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray list = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QVERIFY(list.size() >= 17);
    int asking = 0;
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        QVERIFY(!o.value(QStringLiteral("id")).toString().isEmpty());
        QVERIFY(!o.value(QStringLiteral("title"))
                     .toObject()
                     .value(QStringLiteral("ko"))
                     .toString()
                     .isEmpty());
        QVERIFY(!o.value(QStringLiteral("seed")).toString().isEmpty());
        QVERIFY(o.value(QStringLiteral("level")).toInt() >= 1);
        QVERIFY(o.value(QStringLiteral("requires")).isArray());
        asking += o.value(QStringLiteral("questions")).toInt() >= 2;
    }
    QVERIFY(asking >= 12);
    const QJsonObject second = list.at(1).toObject();
    QCOMPARE(second.value(QStringLiteral("requires")).toArray().at(0).toString(),
             QStringLiteral("01-client-basics"));
}

void TstQuestions::cliKoreanLines() {
    QTemporaryDir dir;
    const QString lab = writeFile(dir, QStringLiteral("q.lab"), QString::fromUtf8(kScript));
    const Run r =
        socketlab({QStringLiteral("run"), lab, QStringLiteral("--lang"), QStringLiteral("ko")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("? 예측 (10): send()는 몇 바이트를 가져갈까요?")),
             qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("부분 전송: 1,000,000바이트 중 ")));
    QVERIFY(r.out.contains(QStringLiteral("[Errno 11] EAGAIN: 자원을 일시적으로 사용할 수 없음")));
    QVERIFY(r.out.contains(QStringLiteral("= 커널의 답: 예")));
    // A diagnostic in Korean: the blank of an exercise, with its hint.
    const QString bad = writeFile(dir, QStringLiteral("blank.lab"),
                                  QStringLiteral("client: s = socket(AF_INET, SOCK_STREAM)\n"
                                                 "client: s.setblocking(___)\n"
                                                 "#! hint: a non-blocking socket never waits\n"));
    const Run b =
        socketlab({QStringLiteral("run"), bad, QStringLiteral("--lang"), QStringLiteral("ko")});
    QCOMPARE(b.exitCode, 2);
    QVERIFY2(b.err.contains(QStringLiteral("채울 빈칸: ___을(를) 코드로 바꾸세요")),
             qPrintable(b.err));
    QVERIFY(b.err.contains(QStringLiteral("a non-blocking socket never waits")));
}

QTEST_GUILESS_MAIN(TstQuestions)
#include "tst_questions.moc"
