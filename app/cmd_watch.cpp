// socketlab watch --pid P | --port N: the TCP sockets of a running program the lab did
// not start, refreshed in the terminal (issue 11 §2). No calls are seen, only the
// kernel's side: states, queues, buffers, readiness and the kernel-only sockets
// (accept queue, TIME_WAIT) — core/sys/watchsockets.h says how.
#include "cli.h"

#include "sys/watchsockets.h"

#include <QDateTime>
#include <QFile>
#include <cerrno>
#include <ctime>
#include <unistd.h>

namespace sl::app {

namespace {

QString processName(pid_t pid) {
    QFile f(QStringLiteral("/proc/%1/comm").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLocal8Bit(f.readAll()).trimmed();
}

void sleepMs(int ms) {
    timespec ts{ms / 1000, long(ms % 1000) * 1000000L};
    while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

int watchMain(const QStringList &args) {
    CommandLine cl(watchCommand());
    cl.addOption(QCommandLineOption(QStringLiteral("pid"),
                                    QStringLiteral("Watch the sockets of process P."),
                                    QStringLiteral("P")));
    cl.addOption(QCommandLineOption(
        QStringLiteral("port"),
        QStringLiteral("Watch every TCP socket whose local or peer port is N (with its PID)."),
        QStringLiteral("N")));
    cl.addOption(QCommandLineOption(QStringLiteral("interval"),
                                    QStringLiteral("Milliseconds between refreshes (default "
                                                   "1000, at least 50)."),
                                    QStringLiteral("MS"), QStringLiteral("1000")));
    cl.addOption(QCommandLineOption(
        QStringLiteral("count"),
        QStringLiteral("Stop after N refreshes (default: until Ctrl+C or the process ends)."),
        QStringLiteral("N"), QStringLiteral("0")));
    if (const auto rc = cl.parse(args))
        return *rc;
    if (!cl.positionals().isEmpty())
        return cl.usageError(
            QStringLiteral("takes no arguments (got '%1')").arg(cl.positionals().first()));
    const bool byPid = cl.isSet(QStringLiteral("pid")), byPort = cl.isSet(QStringLiteral("port"));
    if (byPid == byPort)
        return cl.usageError(QStringLiteral("needs exactly one of --pid P or --port N"));
    bool ok = false;
    const int target = cl.value(byPid ? QStringLiteral("pid") : QStringLiteral("port")).toInt(&ok);
    if (!ok || target <= 0 || (byPort && target > 65535))
        return cl.usageError(byPid ? QStringLiteral("--pid needs a process id (a number > 0)")
                                   : QStringLiteral("--port needs a port number, 1 to 65535"));
    const int interval = cl.value(QStringLiteral("interval")).toInt(&ok);
    if (!ok || interval < 50 || interval > 3600000)
        return cl.usageError(QStringLiteral("--interval needs milliseconds, 50 to 3600000"));
    const int count = cl.value(QStringLiteral("count")).toInt(&ok);
    if (!ok || count < 0)
        return cl.usageError(QStringLiteral("--count needs a number of refreshes (0: no limit)"));

    sys::WatchSockets watch =
        byPid ? sys::WatchSockets::forPid(pid_t(target)) : sys::WatchSockets::forPort(target);
    const QString what =
        byPid ? QStringLiteral("process %1 (%2)").arg(target).arg(processName(pid_t(target)))
              : QStringLiteral("port %1").arg(target);
    // A terminal gets one table redrawn in place; a pipe or file every refresh in turn.
    const bool redraw = isatty(STDOUT_FILENO) && count != 1;
    std::vector<sys::WatchedSocket> list;
    for (int n = 1; count == 0 || n <= count; ++n) {
        if (n > 1)
            sleepMs(interval);
        const int rc = watch.refresh(&list);
        if (rc != 0) {
            if (n > 1 && rc == ESRCH) { // it was there: it ended while watched
                err() << "socketlab watch: process " << target << " has ended\n";
                return ExitOk;
            }
            err() << "socketlab watch: " << watch.describeError(rc) << "\n";
            return ExitFailed;
        }
        if (redraw)
            out() << "\x1b[H\x1b[J";
        out() << "socketlab watch: " << what << ", refresh " << n << " at "
              << QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss.zzz")) << ", "
              << list.size() << " TCP socket(s)";
        if (byPid && watch.otherSockets() > 0)
            out() << ", " << watch.otherSockets() << " other socket(s) not shown (UDP, Unix)";
        out() << "\n" << sys::watchTable(list, byPort);
        if (!redraw)
            out() << "\n";
        out().flush();
    }
    return ExitOk;
}

} // namespace

Command watchCommand() {
    return {QStringLiteral("watch"),
            QStringLiteral("[options] --pid P|--port N"),
            QStringLiteral("Watch the TCP sockets of a running program (states, queues, "
                           "buffers, readiness, kernel-only sockets)."),
            {QStringLiteral("socketlab watch --pid 4242   # the sockets of process 4242"),
             QStringLiteral("socketlab watch --port 8080 --count 1   # one look at port 8080")},
            watchMain};
}

} // namespace sl::app
