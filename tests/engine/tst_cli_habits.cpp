// Issue 14, "CLI habits": the built `socketlab` behaves as a Unix command should.
// NO_COLOR, `-` for standard input, --help / --version anywhere (a display or not),
// each subcommand's own options, usage errors exit 2, a LabPolicyError fails `check`,
// the language follows the locale unless --lang, and `run --step` waits for Enter.
#include "clirun.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace clitest;

namespace {

// The environment of the tests without anything that chooses a language or colour.
QProcessEnvironment cleanEnv() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *v : {"LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "NO_COLOR"})
        env.remove(QString::fromLatin1(v));
    return env;
}

QStringList ptyEnv(const QStringList &extra) {
    return QStringList{QStringLiteral("PATH=/usr/bin:/bin"), QStringLiteral("TERM=xterm"),
                       QStringLiteral("HOME=") + QDir::homePath()} +
           extra;
}

const QByteArray Esc("\x1b[");

} // namespace

class TestCliHabits : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void noColor_data();
    void noColor();
    void stdinScript();
    void helpAnywhere_data();
    void helpAnywhere();
    void helpListsEveryCommand();
    void ownOptionsOnly_data();
    void ownOptionsOnly();
    void usageErrorsExit2_data();
    void usageErrorsExit2();
    void policyErrorFailsCheck();
    void languageFollowsLocale_data();
    void languageFollowsLocale();
    void stepWaitsForEnter();

private:
    QString write(const QString &name, const char *text) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        f.write(text);
        return path;
    }
    QTemporaryDir m_dir;
};

// On a terminal the report is coloured, unless NO_COLOR is set (not empty) or
// --no-color; --color colours even with NO_COLOR (an explicit request wins).
void TestCliHabits::noColor_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<bool>("coloured");
    // Lesson 14 asks no question: on a terminal, a lesson with `ask` lines would wait for
    // the learner's answers (this test gives the terminal no input).
    const QStringList run{QStringLiteral("run"), QStringLiteral("14")};
    const QStringList check{QStringLiteral("check"), QStringLiteral("01")}; // never asks
    QTest::newRow("terminal") << run << QStringList{} << true;
    QTest::newRow("NO_COLOR=1") << run << QStringList{QStringLiteral("NO_COLOR=1")} << false;
    QTest::newRow("NO_COLOR empty") << run << QStringList{QStringLiteral("NO_COLOR=")} << true;
    QTest::newRow("--no-color") << run + QStringList{QStringLiteral("--no-color")} << QStringList{}
                                << false;
    QTest::newRow("--color beats NO_COLOR") << run + QStringList{QStringLiteral("--color")}
                                            << QStringList{QStringLiteral("NO_COLOR=1")} << true;
    QTest::newRow("check, terminal") << check << QStringList{} << true;
    QTest::newRow("check, NO_COLOR") << check << QStringList{QStringLiteral("NO_COLOR=1")} << false;
}

void TestCliHabits::noColor() {
    QFETCH(QStringList, args);
    QFETCH(QStringList, env);
    QFETCH(bool, coloured);
    const Result r = ptyRun(args, ptyEnv(env));
    QVERIFY2(!r.crashed && r.exitCode == 0, show(r).constData());
    QVERIFY2(r.out.contains(QLatin1String("client")), show(r).constData());
    QCOMPARE(r.out.toUtf8().contains(Esc), coloured);
}

// `-` is standard input, for `run` and `check`; --step cannot share it.
void TestCliHabits::stdinScript() {
    const QByteArray script = "a: s, t = socketpair()\n"
                              "a: n = s.send(b\"hello\")\n"
                              "expect n == 5\n";
    Result r = socketlab({QStringLiteral("run"), QStringLiteral("-")}, cleanEnv(), script);
    QVERIFY2(!r.crashed && r.exitCode == 0, show(r).constData());
    QVERIFY2(r.out.contains(QLatin1String("(<stdin>)")), show(r).constData());
    QVERIFY2(r.out.contains(QLatin1String("-> 5")), show(r).constData());
    r = socketlab({QStringLiteral("check"), QStringLiteral("-")}, cleanEnv(),
                  "a: x = 1\nexpect x == 2\n");
    QVERIFY2(!r.crashed && r.exitCode == 1, show(r).constData());
    QVERIFY2(r.out.contains(QLatin1String("<stdin>:2: expect x == 2 failed")), show(r).constData());
    r = socketlab({QStringLiteral("run"), QStringLiteral("-"), QStringLiteral("--step")},
                  cleanEnv(), script);
    QVERIFY2(!r.crashed && r.exitCode == 2, show(r).constData());
}

// --help and --version need no display, wherever they are on the command line, even
// when a display is there (QT_QPA_PLATFORM=offscreen: the window could open) or named
// and dead (DISPLAY=:99).
void TestCliHabits::helpAnywhere_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    const QString version = QStringLiteral("socketlab 0.");
    QTest::newRow("--help") << QStringList{QStringLiteral("--help")} << QStringLiteral("Commands:");
    QTest::newRow("-h") << QStringList{QStringLiteral("-h")} << QStringLiteral("Commands:");
    QTest::newRow("lesson --help") << QStringList{QStringLiteral("5"), QStringLiteral("--help")}
                                   << QStringLiteral("Commands:");
    QTest::newRow("--version") << QStringList{QStringLiteral("--version")} << version;
    QTest::newRow("run --help") << QStringList{QStringLiteral("run"), QStringLiteral("--help")}
                                << QStringLiteral("Usage: socketlab run");
    QTest::newRow("run 5 --help") << QStringList{QStringLiteral("run"), QStringLiteral("5"),
                                                 QStringLiteral("--help")}
                                  << QStringLiteral("--step");
    QTest::newRow("check --version")
        << QStringList{QStringLiteral("check"), QStringLiteral("--version")} << version;
    QTest::newRow("--help check") << QStringList{QStringLiteral("--help"), QStringLiteral("check")}
                                  << QStringLiteral("--format <format>");
    QTest::newRow("show -h") << QStringList{QStringLiteral("show"), QStringLiteral("-h")}
                             << QStringLiteral("TRACE");
}

void TestCliHabits::helpAnywhere() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    QProcessEnvironment live = cleanEnv(), dead = cleanEnv();
    live.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    dead.remove(QStringLiteral("QT_QPA_PLATFORM"));
    dead.remove(QStringLiteral("WAYLAND_DISPLAY"));
    dead.insert(QStringLiteral("DISPLAY"), QStringLiteral(":99"));
    for (const QProcessEnvironment &env : {live, dead}) {
        const Result r = socketlab(args, env);
        QVERIFY2(!r.crashed && r.exitCode == 0, show(r).constData());
        QVERIFY2(r.out.contains(expected), show(r).constData());
        QVERIFY2(r.err.isEmpty(), show(r).constData());
    }
}

// `socketlab --help` names every subcommand with an example of each.
void TestCliHabits::helpListsEveryCommand() {
    const Result r = socketlab({QStringLiteral("--help")}, cleanEnv());
    QVERIFY2(!r.crashed && r.exitCode == 0, show(r).constData());
    const QString examples = r.out.section(QStringLiteral("Examples:"), 1);
    QVERIFY2(!examples.isEmpty(), show(r).constData());
    for (const char *c : {"run", "check", "show", "lessons", "trace"}) {
        const QString cmd = QString::fromLatin1(c);
        QVERIFY2(r.out.contains(QStringLiteral("\n  ") + cmd + QLatin1Char(' ')),
                 qPrintable(cmd + QStringLiteral(" not listed\n") + r.out));
        QVERIFY2(examples.contains(QStringLiteral("socketlab ") + cmd + QLatin1Char(' ')),
                 qPrintable(cmd + QStringLiteral(" has no example\n") + r.out));
    }
    // --help-all adds each command's own options.
    const Result all = socketlab({QStringLiteral("--help-all")}, cleanEnv());
    QVERIFY2(!all.crashed && all.exitCode == 0, show(all).constData());
    for (const char *u : {"\nsocketlab run [options] FILE|LESSON|-:\n", "\nsocketlab check ",
                          "\nsocketlab show ", "\nsocketlab lessons ", "--step", "--format"})
        QVERIFY2(all.out.contains(QLatin1String(u)), u);
}

// Each subcommand takes its own options and refuses the others' (exit 2, named).
void TestCliHabits::ownOptionsOnly_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("option");
    QTest::newRow("lessons --trace")
        << QStringList{QStringLiteral("lessons"), QStringLiteral("--trace"), QStringLiteral("x")}
        << QStringLiteral("trace");
    QTest::newRow("run --format") << QStringList{QStringLiteral("run"), QStringLiteral("01"),
                                                 QStringLiteral("--format"), QStringLiteral("json")}
                                  << QStringLiteral("format");
    QTest::newRow("run --all") << QStringList{QStringLiteral("run"), QStringLiteral("01"),
                                              QStringLiteral("--all")}
                               << QStringLiteral("all");
    QTest::newRow("check --step") << QStringList{QStringLiteral("check"), QStringLiteral("01"),
                                                 QStringLiteral("--step")}
                                  << QStringLiteral("step");
    QTest::newRow("show --pace") << QStringList{QStringLiteral("show"), QStringLiteral("t.jsonl"),
                                                QStringLiteral("--pace"), QStringLiteral("1")}
                                 << QStringLiteral("pace");
}

void TestCliHabits::ownOptionsOnly() {
    QFETCH(QStringList, args);
    QFETCH(QString, option);
    const Result r = socketlab(args, cleanEnv());
    QVERIFY2(!r.crashed && r.exitCode == 2, show(r).constData());
    QVERIFY2(r.err.contains(QStringLiteral("Unknown option '%1'").arg(option)),
             show(r).constData());
    QVERIFY2(r.err.contains(QStringLiteral("--help")), show(r).constData()); // the way out
    QVERIFY2(!r.out.contains(QLatin1String("PASS")) && !r.out.contains(QLatin1String("->")),
             show(r).constData()); // nothing ran
}

void TestCliHabits::usageErrorsExit2_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("run, no script") << QStringList{QStringLiteral("run")};
    QTest::newRow("run, two scripts")
        << QStringList{QStringLiteral("run"), QStringLiteral("01"), QStringLiteral("02")};
    QTest::newRow("--lang fr") << QStringList{QStringLiteral("lessons"), QStringLiteral("--lang"),
                                              QStringLiteral("fr")};
    QTest::newRow("--trace without file")
        << QStringList{QStringLiteral("run"), QStringLiteral("01"), QStringLiteral("--trace")};
    QTest::newRow("check --format xml")
        << QStringList{QStringLiteral("check"), QStringLiteral("--format"), QStringLiteral("xml")};
    QTest::newRow("check --all and names")
        << QStringList{QStringLiteral("check"), QStringLiteral("--all"), QStringLiteral("01")};
    QTest::newRow("show, no trace") << QStringList{QStringLiteral("show")};
    QTest::newRow("window option") << QStringList{QStringLiteral("--bogus")};
    QTest::newRow("unknown command")
        << QStringList{QStringLiteral("frobnicate"), QStringLiteral("now")};
    QTest::newRow("no such lesson") << QStringList{QStringLiteral("run"), QStringLiteral("99x")};
}

void TestCliHabits::usageErrorsExit2() {
    QFETCH(QStringList, args);
    QProcessEnvironment env = cleanEnv();
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // the window's line is checked first
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    const Result r = socketlab(args, env);
    QVERIFY2(!r.crashed && r.exitCode == 2, show(r).constData());
    QVERIFY2(r.err.startsWith(QLatin1String("socketlab")), show(r).constData());
}

// A call the lab refused (beyond loopback) fails the check, unless the next
// expectation names the refusal, as lesson 2 does to show it.
void TestCliHabits::policyErrorFailsCheck() {
    const QString refused =
        write(QStringLiteral("refused.lab"), "a: s = socket(AF_INET, SOCK_STREAM)\n"
                                             "a: s.connect((\"192.0.2.1\", 80))\n"
                                             "a: s.close()\n");
    Result r = socketlab({QStringLiteral("check"), refused}, cleanEnv());
    QVERIFY2(!r.crashed && r.exitCode == 1, show(r).constData());
    QVERIFY2(r.out.contains(QLatin1String("refused.lab:2:")) &&
                 r.out.contains(QLatin1String("LabPolicyError")),
             show(r).constData());
    const QString expected =
        write(QStringLiteral("expected.lab"), "a: s = socket(AF_INET, SOCK_STREAM)\n"
                                              "a: s.connect((\"192.0.2.1\", 80))\n"
                                              "say \"refused, as it should be\"\n"
                                              "expect exception == \"LabPolicyError\"\n");
    r = socketlab({QStringLiteral("check"), expected, QStringLiteral("02")}, cleanEnv());
    QVERIFY2(!r.crashed && r.exitCode == 0, show(r).constData());
}

// The narration (and lesson titles) follow LANG / LC_MESSAGES / LC_ALL unless --lang.
void TestCliHabits::languageFollowsLocale_data() {
    QTest::addColumn<QStringList>("vars");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("korean");
    const QStringList lessons{QStringLiteral("lessons")};
    QTest::newRow("LANG=ko") << QStringList{QStringLiteral("LANG=ko_KR.UTF-8")} << lessons << true;
    QTest::newRow("LANG=C.UTF-8") << QStringList{QStringLiteral("LANG=C.UTF-8")} << lessons
                                  << false;
    QTest::newRow("LANG=ko, --lang en")
        << QStringList{QStringLiteral("LANG=ko_KR.UTF-8")}
        << QStringList{QStringLiteral("lessons"), QStringLiteral("--lang"), QStringLiteral("en")}
        << false;
    QTest::newRow("LANG=en, --lang ko")
        << QStringList{QStringLiteral("LANG=en_US.UTF-8")}
        << QStringList{QStringLiteral("lessons"), QStringLiteral("--lang"), QStringLiteral("ko")}
        << true;
    QTest::newRow("LC_ALL wins over LANG")
        << QStringList{QStringLiteral("LANG=ko_KR.UTF-8"), QStringLiteral("LC_ALL=C")} << lessons
        << false;
    QTest::newRow("run narrates in Korean")
        << QStringList{QStringLiteral("LANG=ko_KR.UTF-8")}
        << QStringList{QStringLiteral("run"), QStringLiteral("01")} << true;
}

void TestCliHabits::languageFollowsLocale() {
    QFETCH(QStringList, vars);
    QFETCH(QStringList, args);
    QFETCH(bool, korean);
    QProcessEnvironment env = cleanEnv();
    for (const QString &v : vars)
        env.insert(v.section(QLatin1Char('='), 0, 0), v.section(QLatin1Char('='), 1));
    const Result r = socketlab(args, env);
    QVERIFY2(!r.crashed && r.exitCode == 0, show(r).constData());
    // Hangul syllables: U+AC00..U+D7A3.
    const bool hangul = std::any_of(r.out.begin(), r.out.end(), [](QChar c) {
        return c.unicode() >= 0xAC00 && c.unicode() <= 0xD7A3;
    });
    QVERIFY2(hangul == korean, show(r).constData());
}

// --step: nothing runs until Enter; each line of input runs one step; at the end of the
// input the run goes on by itself. (The next step's absence is certain, not timed: it
// cannot run before its line is written.)
void TestCliHabits::stepWaitsForEnter() {
    const QString path = write(QStringLiteral("steps.lab"), "a: x = 1\n"
                                                            "a: y = 2\n"
                                                            "a: z = 3\n"
                                                            "expect x + y + z == 6\n");
    QProcess p;
    QProcessEnvironment env = cleanEnv();
    env.insert(QStringLiteral("NO_COLOR"), QStringLiteral("1"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SOCKETLAB_BIN), {QStringLiteral("run"), path, QStringLiteral("--step")});
    QVERIFY(p.waitForStarted());
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput(), out.contains("== steps ==")),
                             30000);
    QVERIFY2(!out.contains("x = 1"), out.constData());
    p.write("\n");
    QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput(), out.contains("-> 1")), 30000);
    QVERIFY2(!out.contains("y = 2"), out.constData());
    p.write("\n");
    QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput(), out.contains("-> 2")), 30000);
    QVERIFY2(!out.contains("z = 3"), out.constData());
    p.closeWriteChannel(); // the end of the input: the rest runs
    QVERIFY(p.waitForFinished(30000));
    out += p.readAllStandardOutput();
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    QVERIFY2(out.contains("-> 3") && out.contains("ok    expect x + y + z == 6"), out.constData());
}

QTEST_GUILESS_MAIN(TestCliHabits)
#include "tst_cli_habits.moc"
