// Lab::perform(): a hand-made step is appended to the script and run on the live lab
// (no reset), a bad line changes nothing, names made earlier stay visible, the grown
// source replays the same calls in a fresh lab, and reset() closes what it opened.
#include "labtest.h"

#include "sys/fd.h"

#include <QSignalSpy>
#include <QTest>

using namespace labtest;
using sl::script::CallId;
using sl::script::Diagnostic;

namespace {

// Performs a line and runs it; fails the test (returns nullopt) when either does not.
std::optional<StepReport> performAndStep(Lab &lab, const QString &line) {
    std::vector<Diagnostic> diags;
    if (!lab.perform(line, &diags)) {
        QString why;
        for (const Diagnostic &d : diags)
            why += d.message + QLatin1Char(' ');
        qWarning("perform(%s) refused: %s", qPrintable(line), qPrintable(why));
        return std::nullopt;
    }
    return lab.stepAndWait(10000);
}

// The call ids of every CallEnd, in order: "the same calls".
std::vector<std::uint16_t> callSequence(const sl::trace::Trace &t) {
    std::vector<std::uint16_t> out;
    for (const Event &e : events(t, EventKind::CallEnd))
        out.push_back(e.call.call);
    return out;
}

const char *const Experiment[] = {
    "server: srv = socket(AF_INET, SOCK_STREAM)",
    "server: srv.bind((\"127.0.0.1\", 0))",
    "server: srv.listen(5)",
    "client: s = socket(AF_INET, SOCK_STREAM)",
    "client: s.connect(srv.getsockname())",
    "server: conn, addr = srv.accept()",
    "client: n = s.send(b\"x\" * 100)",
    "server: data = conn.recv(100)",
};

} // namespace

class TestPerform : public QObject {
    Q_OBJECT
private slots:
    void emptyLabCreatesSocket();
    void badLineChangesNothing();
    void earlierNamesAreVisible();
    void refusedWhileStepsRemain();
    void blockIndentIsRefused();
    void savedExperimentReplays();
    void resetClosesEverything();
};

void TestPerform::emptyLabCreatesSocket() {
    Lab lab;
    QSignalSpy changed(&lab, &Lab::programChanged);
    QVERIFY(lab.program() == nullptr);
    const auto r = performAndStep(lab, src("client: s = socket(AF_INET, SOCK_STREAM)"));
    QVERIFY(r);
    QVERIFY(r->outcome.ok);
    QCOMPARE(changed.size(), 1);
    QVERIFY(lab.source().contains(QStringLiteral("client: s = socket(AF_INET, SOCK_STREAM)")));
    QCOMPARE(lab.actorNames(), QStringList{QStringLiteral("client")});
    QVERIFY(sockId(lab.trace(), QStringLiteral("s")) >= 0);
    QCOMPARE(events(lab.trace(), EventKind::ActorNew).size(), std::size_t(1));
    QVERIFY(lab.atEnd());
}

void TestPerform::badLineChangesNothing() {
    Lab lab;
    QVERIFY(performAndStep(lab, src("client: s = socket(AF_INET, SOCK_STREAM)")));
    const QString before = lab.source();
    const auto *prog = lab.program();
    const std::size_t events = lab.trace().size();
    const int pos = lab.position();
    QSignalSpy changed(&lab, &Lab::programChanged);

    std::vector<Diagnostic> diags;
    QVERIFY(!lab.perform(src("client: s.sned(b\"x\")"), &diags));
    QVERIFY(!diags.empty());
    QCOMPARE(diags.front().severity, Diagnostic::Error);
    QCOMPARE(diags.front().span.line, 2); // the performed line, after the first
    QVERIFY(!lab.perform(src("client: t = undefined_name.recv(10)"), &diags));
    QVERIFY(!diags.empty());
    QVERIFY(!lab.perform(src("   "), &diags));

    QCOMPARE(lab.source(), before);
    QCOMPARE(lab.program(), prog);
    QCOMPARE(lab.position(), pos);
    QVERIFY(lab.atEnd());
    QCOMPARE(changed.size(), 0);
    lab.settle(1000);
    // Only the sampler may have added samples; no step and no actor.
    for (std::size_t i = events; i < lab.trace().size(); ++i) {
        const EventKind k = lab.trace().event(i).kind;
        QVERIFY(k != EventKind::StepBegin && k != EventKind::ActorNew && k != EventKind::CallBegin);
    }
}

void TestPerform::earlierNamesAreVisible() {
    Lab lab;
    QVERIFY(performAndStep(lab, src("server: srv = socket(AF_INET, SOCK_STREAM)")));
    QVERIFY(performAndStep(lab, src("server: srv.bind((\"127.0.0.1\", 0))")));
    QVERIFY(performAndStep(lab, src("server: srv.listen(3)")));
    // A new actor, and a name another actor made.
    QVERIFY(performAndStep(lab, src("client: s = socket(AF_INET, SOCK_STREAM)")));
    const auto r = performAndStep(lab, src("client: s.connect(srv.getsockname())"));
    QVERIFY(r);
    QVERIFY2(r->outcome.ok, qPrintable(r->outcome.message));
    QCOMPARE(lab.actorNames(), (QStringList{QStringLiteral("server"), QStringLiteral("client")}));
    QCOMPARE(events(lab.trace(), EventKind::ActorNew).size(), std::size_t(2));
    // Expectations see them too.
    const auto e = performAndStep(lab, src("expect acceptq(srv) == 1"));
    QVERIFY(e);
    QVERIFY2(e->expectPassed, qPrintable(e->expectDetail));
    QCOMPARE(lab.program()->steps.size(), std::size_t(6));
}

void TestPerform::refusedWhileStepsRemain() {
    Lab lab;
    QVERIFY(load(lab, src("client: s = socket(AF_INET, SOCK_STREAM)\n"
                          "client: s.close()\n")));
    QVERIFY(lab.stepAndWait());
    std::vector<Diagnostic> diags;
    QVERIFY(!lab.perform(src("client: t = socket(AF_INET, SOCK_DGRAM)"), &diags));
    QCOMPARE(diags.size(), std::size_t(1));
    QVERIFY(lab.stepAndWait());
    QVERIFY(lab.perform(src("client: t = socket(AF_INET, SOCK_DGRAM)"), &diags));
    QCOMPARE(lab.position(), 2);
    QVERIFY(!lab.atEnd());
}

void TestPerform::blockIndentIsRefused() {
    Lab lab;
    QVERIFY(load(lab, src("client: for i in range(2):\n    x = i\n")));
    QVERIFY(lab.stepAndWait());
    const QString before = lab.source();
    std::vector<Diagnostic> diags;
    // Indented, it would become part of the block that already ran.
    QVERIFY(!lab.perform(src("    y = 1"), &diags));
    QVERIFY(!diags.empty());
    QCOMPARE(lab.source(), before);
}

void TestPerform::savedExperimentReplays() {
    QString saved;
    std::vector<std::uint16_t> calls;
    {
        Lab lab;
        for (const char *line : Experiment) {
            const auto r = performAndStep(lab, src(line));
            QVERIFY(r);
            QVERIFY2(r->outcome.ok, qPrintable(QString::fromUtf8(line) + r->outcome.message));
        }
        lab.settle(2000);
        saved = lab.source();
        calls = callSequence(lab.trace());
        QCOMPARE(callEnds(lab.trace(), CallId::Recv).size(), std::size_t(1));
        QCOMPARE(callEnds(lab.trace(), CallId::Recv).front().call.ret, std::int64_t(100));
    }
    for (const char *line : Experiment)
        QVERIFY(saved.contains(QString::fromUtf8(line)));

    Lab fresh;
    const auto reports = run(fresh, saved);
    QCOMPARE(reports.size(), std::size_t(std::size(Experiment)));
    fresh.settle(2000);
    QCOMPARE(callSequence(fresh.trace()), calls);
    QCOMPARE(callEnds(fresh.trace(), CallId::Recv).front().call.ret, std::int64_t(100));
}

void TestPerform::resetClosesEverything() {
    const int before = sl::sys::openFdCount();
    {
        Lab lab;
        for (const char *line : Experiment)
            QVERIFY(performAndStep(lab, src(line)));
        // A call that blocks: reset() must wake it.
        QVERIFY(lab.perform(src("server: more = conn.recv(100)")));
        const auto r = lab.stepAndWait(10000);
        QVERIFY(r);
        // Blocked at once, or Running when a loaded machine has not put the thread
        // to sleep within the grace period yet; the sampler sees it block soon after.
        QVERIFY(r->status == StepStatus::Blocked || r->status == StepStatus::Running);
        QTRY_COMPARE_WITH_TIMEOUT(lab.actorRun(0), sl::engine::ActorRun::Blocked, 5000);
        QVERIFY(sl::sys::openFdCount() > before);
        lab.reset();
        QCOMPARE(sl::sys::openFdCount(), before);
        // The experiment is kept: it can be stepped again from the start.
        QCOMPARE(lab.position(), 0);
        QCOMPARE(lab.program()->steps.size(), std::size(Experiment) + 1);
        QVERIFY(lab.stepAndWait());
        lab.reset();
        QCOMPARE(sl::sys::openFdCount(), before);
    }
    QCOMPARE(sl::sys::openFdCount(), before);
}

QTEST_GUILESS_MAIN(TestPerform)
#include "tst_perform.moc"
