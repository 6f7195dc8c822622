// Issue 14, "Pictures and text … for grading": `socketlab check --format json|junit`
// (per script: the verdict, the failed expectation's line and values, the time), the
// JUnit XML checked against the common schema's structure (and by xmllint when it is
// installed), `check --trace DIR` (one trace per script), and `socketlab show TRACE`
// printing what `run` printed.
#include "clirun.h"
#include "trace/jsonl.h"
#include "trace/trace.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace clitest;

class TestCliGrading : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void junit();
    void json();
    void traceDir();
    void showReplaysRun();
    void showRefusesNonTrace();

private:
    QString write(const QString &name, const char *text) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        f.write(text);
        return path;
    }
    QStringList m_scripts; // a passing lesson, a failing script, a missing one
    QTemporaryDir m_dir;
};

void TestCliGrading::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_scripts = {QStringLiteral("01"),
                 write(QStringLiteral("student.lab"), "a: s, t = socketpair()\n"
                                                      "a: n = s.send(b\"abc\")\n"
                                                      "expect n == 4\n"),
                 m_dir.filePath(QStringLiteral("missing.lab"))};
}

// The JUnit XML: testsuites > testsuite > testcase (> failure | error), every count
// attribute equal to what the elements say, the failure's line and values given.
void TestCliGrading::junit() {
    const QString xmlPath = m_dir.filePath(QStringLiteral("grades.xml"));
    const Result r = socketlab(QStringList{QStringLiteral("check")} + m_scripts +
                               QStringList{QStringLiteral("--format"), QStringLiteral("junit"),
                                           QStringLiteral("-o"), xmlPath});
    QVERIFY2(!r.crashed && r.exitCode == 1, show(r).constData());
    QVERIFY2(r.out.contains(QLatin1String("PASS")), show(r).constData()); // progress shown
    QFile f(xmlPath);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray xml = f.readAll();

    QXmlStreamReader x(xml);
    QStringList path;
    int suites = 0, cases = 0, failures = 0, errors = 0;
    QXmlStreamAttributes suitesAttr, suiteAttr;
    QMap<QString, QXmlStreamAttributes> caseAttr;
    QMap<QString, QString> caseFailure; // name -> "failure: message" / "error: …"
    QString current;
    while (!x.atEnd()) {
        x.readNext();
        if (x.isStartElement()) {
            const QString n = x.name().toString();
            if (path.isEmpty()) {
                QCOMPARE(n, QStringLiteral("testsuites"));
                suitesAttr = x.attributes();
            } else if (n == QLatin1String("testsuite")) {
                QCOMPARE(path.last(), QStringLiteral("testsuites"));
                ++suites;
                suiteAttr = x.attributes();
            } else if (n == QLatin1String("testcase")) {
                QCOMPARE(path.last(), QStringLiteral("testsuite"));
                ++cases;
                current = x.attributes().value(QLatin1String("name")).toString();
                caseAttr[current] = x.attributes();
                QVERIFY(x.attributes().hasAttribute(QLatin1String("classname")));
                bool ok = false;
                (void)x.attributes().value(QLatin1String("time")).toDouble(&ok);
                QVERIFY2(ok, qPrintable(current));
            } else if (n == QLatin1String("failure") || n == QLatin1String("error")) {
                QCOMPARE(path.last(), QStringLiteral("testcase"));
                (n == QLatin1String("failure") ? failures : errors)++;
                caseFailure[current] =
                    n + QStringLiteral(": ") + x.attributes().value(QLatin1String("message"));
            } else {
                QVERIFY2(n == QLatin1String("properties") || n == QLatin1String("property") ||
                             n == QLatin1String("system-out"),
                         qPrintable(n));
            }
            path << n;
        } else if (x.isEndElement()) {
            path.removeLast();
        }
    }
    QVERIFY2(!x.hasError(), qPrintable(x.errorString()));
    QCOMPARE(suites, 1);
    QCOMPARE(cases, 3);
    QCOMPARE(failures, 1);
    QCOMPARE(errors, 1);
    for (const QXmlStreamAttributes &a : {suitesAttr, suiteAttr}) {
        QCOMPARE(a.value(QLatin1String("tests")).toInt(), cases);
        QCOMPARE(a.value(QLatin1String("failures")).toInt(), failures);
        QCOMPARE(a.value(QLatin1String("errors")).toInt(), errors);
    }
    QVERIFY(!caseFailure.contains(QStringLiteral("01-client-basics")));
    QVERIFY2(caseFailure.value(QStringLiteral("student")) ==
                 QStringLiteral("failure: ") + m_scripts.at(1) +
                     QStringLiteral(":3: expect n == 4 failed (n is 3)"),
             qPrintable(caseFailure.value(QStringLiteral("student"))));
    QCOMPARE(caseAttr[QStringLiteral("student")].value(QLatin1String("line")).toInt(), 3);
    QVERIFY(caseFailure.value(m_scripts.at(2)).startsWith(QLatin1String("error: ")));

    // The schema's own validator, where it is installed.
    const QString xmllint = QStandardPaths::findExecutable(QStringLiteral("xmllint"));
    if (!xmllint.isEmpty()) {
        QProcess p;
        p.start(xmllint, {QStringLiteral("--noout"), xmlPath});
        QVERIFY(p.waitForFinished(30000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    }
}

// JSON: per script its verdict, the failure's line, statement and the values found.
void TestCliGrading::json() {
    const Result r = socketlab(QStringList{QStringLiteral("check")} + m_scripts +
                               QStringList{QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(!r.crashed && r.exitCode == 1, show(r).constData());
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &pe); // stdout: only it
    QVERIFY2(pe.error == QJsonParseError::NoError, qPrintable(pe.errorString() + r.out));
    const QJsonObject root = doc.object();
    QCOMPARE(root.value(QLatin1String("tests")).toInt(), 3);
    QCOMPARE(root.value(QLatin1String("passed")).toInt(), 1);
    QCOMPARE(root.value(QLatin1String("failed")).toInt(), 1);
    QCOMPARE(root.value(QLatin1String("errors")).toInt(), 1);
    const QJsonArray results = root.value(QLatin1String("results")).toArray();
    QCOMPARE(results.size(), 3);
    const QJsonObject pass = results.at(0).toObject(), fail = results.at(1).toObject();
    QCOMPARE(pass.value(QLatin1String("result")).toString(), QStringLiteral("passed"));
    QVERIFY(pass.value(QLatin1String("time")).toDouble() > 0);
    QVERIFY(pass.value(QLatin1String("expectations")).toInt() > 0);
    QCOMPARE(fail.value(QLatin1String("result")).toString(), QStringLiteral("failed"));
    const QJsonObject why = fail.value(QLatin1String("failure")).toObject();
    QCOMPARE(why.value(QLatin1String("line")).toInt(), 3);
    QCOMPARE(why.value(QLatin1String("statement")).toString(), QStringLiteral("expect n == 4"));
    QCOMPARE(why.value(QLatin1String("detail")).toString(), QStringLiteral("n is 3"));
    QCOMPARE(results.at(2).toObject().value(QLatin1String("result")).toString(),
             QStringLiteral("error"));
}

// --trace DIR: one trace per script, named by its id, each a complete trace of it.
void TestCliGrading::traceDir() {
    const QString dir = m_dir.filePath(QStringLiteral("traces/nested"));
    const Result r = socketlab({QStringLiteral("check"), QStringLiteral("01"), QStringLiteral("02"),
                                m_scripts.at(1), QStringLiteral("--trace"), dir});
    QVERIFY2(!r.crashed && r.exitCode == 1, show(r).constData());
    for (const char *id : {"01-client-basics", "02-server-basics", "student"}) {
        QFile f(QDir(dir).filePath(QString::fromLatin1(id) + QStringLiteral(".jsonl")));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        sl::trace::Trace t;
        QMap<QString, QString> meta;
        sl::trace::JsonlError error;
        QVERIFY2(sl::trace::readJsonl(f, t, &meta, &error), qPrintable(error.message));
        QCOMPARE(meta.value(QStringLiteral("lesson")), QString::fromLatin1(id));
        QVERIFY(t.size() > 0);
    }
}

// show: the report `run` printed, from the trace alone: the same step lines (line,
// actor, statement), the same expectations and narration, and lesson 5's window 0.
void TestCliGrading::showReplaysRun() {
    const QString trace = m_dir.filePath(QStringLiteral("t5.jsonl"));
    const Result run =
        socketlab({QStringLiteral("run"), QStringLiteral("05"), QStringLiteral("--trace"), trace});
    QVERIFY2(!run.crashed && run.exitCode == 0, show(run).constData());
    const Result shown = socketlab({QStringLiteral("show"), trace});
    QVERIFY2(!shown.crashed && shown.exitCode == 0, show(shown).constData());
    static const QRegularExpression stepOrCheck(
        QStringLiteral(R"(^(==.*|\s*\d+ (\w+\s+\S.*|ok\s+.*|FAIL\s+.*)|\s+» .*))"));
    const auto lines = [](const QString &text) {
        QStringList l;
        for (const QString &line : text.split(QLatin1Char('\n')))
            if (stepOrCheck.match(line).hasMatch())
                l << line.trimmed();
        return l;
    };
    const QStringList ran = lines(run.out), replayed = lines(shown.out);
    QVERIFY(ran.size() > 20);
    QCOMPARE(replayed, ran);
    QVERIFY2(shown.out.contains(QLatin1String("(peer's window 0)")), show(shown).constData());
    QVERIFY2(shown.out.contains(QLatin1String("partial: ")), show(shown).constData());
    // The narration in the language asked for.
    const Result ko =
        socketlab({QStringLiteral("show"), trace, QStringLiteral("--lang"), QStringLiteral("ko")});
    QVERIFY2(ko.exitCode == 0 && ko.out.contains(QStringLiteral("부분 전송")),
             show(ko).constData());
}

void TestCliGrading::showRefusesNonTrace() {
    const QString notTrace = write(QStringLiteral("not.jsonl"), "hello\n");
    Result r = socketlab({QStringLiteral("show"), notTrace});
    QVERIFY2(!r.crashed && r.exitCode == 2, show(r).constData());
    QVERIFY2(r.err.contains(QLatin1String("not a Socket Lab trace")), show(r).constData());
    r = socketlab({QStringLiteral("show"), m_dir.filePath(QStringLiteral("none.jsonl"))});
    QVERIFY2(!r.crashed && r.exitCode == 2, show(r).constData());
}

QTEST_GUILESS_MAIN(TestCliGrading)
#include "tst_cli_grading.moc"
