// socketlab trace [--step] [--quiet] [--trace FILE] -- PROGRAM [ARGS…]: runs a real
// program (python3 client.py, curl, nc) with the lab's interposer preloaded and prints
// each socket call it makes — thread, C call, result, errno by name — with the kernel's
// view of the socket after it, rendered by TextReport from the trace exactly as for a
// lab script. `--step` holds every call until Enter (lines of standard input; at its end,
// or without one, calls run on). The exit status is the program's.
#include "cli.h"

#include "sys/errors.h"
#include "trace/jsonl.h"
#include "tracer/programtracer.h"
#include "view/textreport.h"

#include <QSaveFile>
#include <csignal>
#include <ctime>
#include <map>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sl::app {

namespace {

volatile std::sig_atomic_t g_signal = 0;
void onSignal(int signo) {
    g_signal = signo;
}

std::int64_t monoMs() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

QString resultText(const tracer::TracedCall &c) {
    if (c.ret >= 0 || c.err == 0)
        return QStringLiteral("-> %1").arg(c.ret);
    return QStringLiteral("-> -1 %1 (%2)")
        .arg(QLatin1String(sys::errnoName(c.err)), sys::errnoMessage(c.err));
}

class TraceReport {
public:
    TraceReport(const trace::Trace &t, bool color)
        : m_report(t, out(), color)
        , m_color(color) {}
    void call(const tracer::TracedCall &c) {
        if (!c.ended) {
            m_open[c.actor] = {c, monoMs(), false};
            return;
        }
        const auto it = m_open.find(c.actor);
        const bool shown = it != m_open.end() && it->second.shown;
        if (it != m_open.end())
            m_open.erase(it);
        out() << head(c, shown ? QStringLiteral(" returned") : QString());
        const QString indent(18, QLatin1Char(' '));
        const QString res = resultText(c);
        out() << indent << (c.ret < 0 && c.err ? paint(res, "35") : res) << "\n";
        if (c.partial)
            out() << indent
                  << paint(QStringLiteral("partial: %L1 of %L2 bytes").arg(c.moved).arg(c.asked),
                           "33;1")
                  << "\n";
        if (c.sock >= 0) {
            m_report.setEnd(c.traceEnd); // the kernel as it was after this call
            const QString line = m_report.socketLine(c.sock);
            if (!line.isEmpty())
                out() << indent << line << "\n";
        }
    }
    // Calls begun >= 100 ms ago and not returned: blocked, said once.
    void blocked() {
        const std::int64_t now = monoMs();
        for (auto &[actor, o] : m_open) {
            if (o.shown || now - o.since < 100)
                continue;
            o.shown = true;
            out() << head(o.call, QString()) << QString(18, QLatin1Char(' '))
                  << paint(QStringLiteral("… blocked in %1()").arg(o.call.text.section(u'(', 0, 0)),
                           "33")
                  << "\n";
        }
        out().flush();
    }
    void next(const tracer::TracedCall &c) {
        m_open[c.actor] = {c, monoMs(), true};
        out() << head(c, paint(QStringLiteral("   <- next"), "1"));
        out().flush();
    }

private:
    struct Open {
        tracer::TracedCall call;
        std::int64_t since;
        bool shown;
    };
    QString head(const tracer::TracedCall &c, const QString &tail) const {
        const QString where = c.where.isEmpty() ? QString() : c.where + QStringLiteral("  ");
        return QStringLiteral("%1  ").arg(c.actorName, -16) + where + c.text + tail +
               QLatin1Char('\n');
    }
    QString paint(const QString &t, const char *code) const {
        return m_color ? QStringLiteral("\x1b[%1m").arg(QLatin1String(code)) + t +
                             QStringLiteral("\x1b[0m")
                       : t;
    }
    ui::TextReport m_report;
    bool m_color;
    std::map<int, Open> m_open;
};

// --step: one line of standard input (false at its end: the calls run on). Returns
// early, false, when the program has exited meanwhile.
bool waitForEnter(pid_t child, bool interactive) {
    if (interactive) {
        err() << "  -- Enter: run this call (Ctrl+C stops) --";
        err().flush();
    }
    for (;;) {
        pollfd p{STDIN_FILENO, POLLIN, 0};
        const int n = ::poll(&p, 1, 100);
        if (g_signal)
            return false;
        if (n > 0) {
            char c = 0;
            const ssize_t r = ::read(STDIN_FILENO, &c, 1);
            if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
                return false;
            if (r == 1 && c == '\n')
                break;
            continue;
        }
        siginfo_t info{};
        if (::waitid(P_PID, id_t(child), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == child)
            return false;
    }
    if (interactive) {
        err() << "\r\x1b[2K";
        err().flush();
    }
    return true;
}

int traceMain(const QStringList &args) {
    CommandLine cl(traceCommand());
    cl.parser().setOptionsAfterPositionalArgumentsMode(
        QCommandLineParser::ParseAsPositionalArguments);
    cl.parser().addPositionalArgument(QStringLiteral("program"),
                                      QStringLiteral("The program to run, and its arguments."),
                                      QStringLiteral("-- PROGRAM [ARGS…]"));
    cl.addColorOptions();
    cl.addOption({QStringLiteral("step"),
                  QStringLiteral("Hold every socket call until Enter (reads lines of standard "
                                 "input; at its end the calls run on). The program's standard "
                                 "input is then /dev/null.")});
    cl.addOption({QStringLiteral("break"),
                  QStringLiteral("Like --step, but hold only the calls named in <calls> "
                                 "(comma separated C names: accept,recv,connect…)."),
                  QStringLiteral("calls")});
    cl.addOption({QStringLiteral("quiet"),
                  QStringLiteral("Print no calls, only the summary (the trace is still "
                                 "recorded).")});
    cl.addOption({QStringLiteral("trace"),
                  QStringLiteral("Write the trace as JSON Lines to <file>: every call, "
                                 "socket and kernel sample of the run."),
                  QStringLiteral("file")});
    if (const auto rc = cl.parse(args))
        return *rc;
    const QStringList argv = cl.positionals();
    if (argv.isEmpty())
        return cl.usageError(QStringLiteral("needs a program: socketlab trace -- PROGRAM [ARGS…]"));
    // --break: breakpoints by call kind. The program still waits at every call (the
    // lab releases the others at once), so the kernel is probed between calls as --step.
    QStringList breakAt;
    for (const QString &c : cl.value(QStringLiteral("break")).split(u',', Qt::SkipEmptyParts))
        breakAt << c.trimmed();
    const bool step = cl.isSet(QStringLiteral("step")) || !breakAt.isEmpty();
    const bool quiet = cl.isSet(QStringLiteral("quiet"));

    trace::Trace trace;
    tracer::ProgramTracer tracer(trace);
    tracer.setProbeEachCall(!quiet);
    tracer.setCollectCalls(!quiet);
    tracer.setPythonLines(!quiet);
    QString error;
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    std::signal(SIGHUP, onSignal);
    if (!tracer.start(argv, step, step, &error)) {
        err() << "socketlab: " << error << "\n";
        return 127;
    }
    const bool interactive = isatty(STDIN_FILENO);
    TraceReport report(trace, cl.color());
    bool stepping = step;
    bool forwarded = false;
    for (;;) {
        const int n = tracer.poll();
        for (const tracer::TracedCall &c : tracer.takeCalls()) {
            if (!quiet)
                report.call(c);
        }
        if (!quiet)
            report.blocked();
        if (g_signal && !forwarded) {
            // Ctrl+C reached the program too (one process group); SIGTERM/SIGHUP are
            // passed on. The trace ends when the program does.
            forwarded = true;
            if (g_signal != SIGINT)
                ::kill(tracer.pid(), g_signal);
            tracer.setStep(false);
        }
        if (tracer.stepPending()) {
            const tracer::TracedCall next = tracer.pendingCall();
            const bool hold = breakAt.isEmpty() || breakAt.contains(next.text.section(u'(', 0, 0));
            if (!quiet && hold)
                report.next(next);
            if (stepping && hold && !waitForEnter(tracer.pid(), interactive && !quiet)) {
                stepping = false;
                tracer.setStep(false);
            }
            tracer.release();
            continue;
        }
        if (tracer.finished())
            break;
        tracer::ProgramTracer::waitForBatch(n);
    }
    for (const tracer::TracedCall &c : tracer.takeCalls())
        if (!quiet)
            report.call(c);
    const int status = tracer.exitStatus();
    err() << "socketlab: " << argv.first() << " exited with status " << status << "; "
          << tracer.callCount() << (tracer.callCount() == 1 ? " socket call" : " socket calls")
          << " traced, " << tracer.actorCount()
          << (tracer.actorCount() == 1 ? " thread" : " threads");
    if (tracer.dropped())
        err() << ", " << tracer.dropped() << " records lost";
    err() << "\n";
    if (cl.isSet(QStringLiteral("trace"))) {
        QSaveFile f(cl.value(QStringLiteral("trace")));
        QMap<QString, QString> meta;
        meta.insert(QStringLiteral("title"), QStringLiteral("trace: ") + argv.join(u' '));
        meta.insert(QStringLiteral("program"), argv.join(u' '));
        if (!f.open(QIODevice::WriteOnly) || !trace::writeJsonl(trace, f, meta) || !f.commit()) {
            err() << "socketlab: cannot write " << f.fileName() << ": " << f.errorString() << "\n";
            return status ? status : ExitFailed;
        }
    }
    return status;
}

} // namespace

Command traceCommand() {
    return {QStringLiteral("trace"),
            QStringLiteral("[options] -- PROGRAM [ARGS…]"),
            QStringLiteral("Run your own program and show each socket call it makes, with "
                           "the kernel's view of the socket after it."),
            {QStringLiteral("socketlab trace -- python3 client.py    # every call, its result "
                            "and the queues"),
             QStringLiteral("socketlab trace --step -- python3 server.py  # Enter runs the "
                            "next call"),
             QStringLiteral("socketlab trace --quiet --trace t.jsonl -- curl -s "
                            "http://127.0.0.1:8000/  # record only")},
            traceMain};
}

} // namespace sl::app
