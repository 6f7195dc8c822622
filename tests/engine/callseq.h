// The export round trip (issue 11 §3): a trace reduced to what `socketlab run` of a lesson
// and `socketlab trace` of its exported Python program must share — per actor, the
// sequence of system calls and their results ("send→6144", "connect→ECONNREFUSED"),
// descriptors, ports and times aside.
//
// What is left out, and why (both sides get the same rules, so that a rule cannot hide a
// difference of one side only):
//   - the lab's helper calls (sendall, recv_until, a loop's <block>): the traced program's
//     record is the system calls they expand to, which the lab records too;
//   - calls the interposer does not wrap, so a traced program never shows them:
//     getsockname, getpeername, sleep, gethostname, gethostbyname (uname() and
//     getaddrinfo() are no socket calls); and the lab's calls on a pipe (a "socket" of
//     domain 0: pipe(), its read/write), since the interposer records socket descriptors;
//   - the Wire: the lab's relay actor (any actor that calls Wire(...)) and the exported
//     program's relay threads (named "wire") relay differently by design (the lab's is
//     non-blocking, Python's blocks in recv); the exported runtime also hides its Wire
//     and its probes from the interposer (socketlab_untraced());
//   - the traced program's main thread: it runs the lesson's lab lines (expect, say,
//     wait), not an actor;
//   - os.fork()'s children (lesson 4): the lab's "pid N (server)" lanes, and a traced
//     child's "server [pid]" (one thread, named like a main thread); and the os.* process
//     calls (fork, _exit, waitpid, getpid), which the interposer does not wrap.
// Names: the lab records Python's method names where the system call differs:
// connect_ex is connect, settimeout is setblocking (one fcntl O_NONBLOCK in CPython).
// A lab call that timed out (settimeout(t), flag "timeout", EAGAIN) is what CPython does
// for a timeout: it polls first (poll.poll→ok, nothing ready) and only connect() is
// tried before (connect→EINPROGRESS).
// Repeats of an identical call+result fold into one (a loop may retry a different number
// of times under timing); Options::varying names calls whose runs of successful byte
// counts fold into the run's first count (a loop that takes whatever the kernel freed);
// Options::ignored names calls a lesson's allow-list leaves out, Options::anyCount calls
// whose (positive) byte count is not compared, Options::cycle folds the repeats of a block
// of up to that many calls (a polling loop's rounds: "recv→EAGAIN accept→EAGAIN" again and
// again, as many times as the peer took to send).
//
// Thread affinity: none (plain functions over a trace the caller owns).
#pragma once

#include "sys/errors.h"
#include "trace/jsonl.h"
#include "trace/jsonl_names.h"
#include "trace/trace.h"

#include <QFile>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>

namespace callseq {

using Seqs = QMap<QString, QStringList>; // actor name (first 15 bytes, as /proc comm) -> calls

struct Options {
    bool traced = false; // a `socketlab trace` file: actors are "comm [pid/tid]"
    QSet<QString> varying;
    QSet<QString> ignored;  // calls left out (a lesson's allow-list says why)
    QSet<QString> anyCount; // a positive byte count of these is "n" (its size varies)
    int cycle = 1;          // a block of up to this many calls repeated at once: one kept
};

inline QString callName(const sl::trace::Event &e) {
    const char *n = sl::trace::detail::callNameOf(e.call.call);
    return n ? QString::fromLatin1(n) : QStringLiteral("#%1").arg(e.call.call);
}

inline bool isByteCall(const QString &c) {
    static const QSet<QString> bytes{QStringLiteral("send"),    QStringLiteral("recv"),
                                     QStringLiteral("sendto"),  QStringLiteral("recvfrom"),
                                     QStringLiteral("sendmsg"), QStringLiteral("recvmsg"),
                                     QStringLiteral("read"),    QStringLiteral("write"),
                                     QStringLiteral("readv"),   QStringLiteral("writev")};
    return bytes.contains(c);
}

// Reads `path` (a version-2 JSONL trace) into per-actor call sequences; *error on failure.
inline Seqs read(const QString &path, const Options &opt, QString *error) {
    using namespace sl::trace;
    Trace t;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": cannot open");
        return {};
    }
    JsonlError je;
    if (!readJsonl(f, t, nullptr, &je)) {
        *error = QStringLiteral("%1: line %2: %3").arg(path).arg(je.line).arg(je.message);
        return {};
    }
    static const QSet<QString> notInterposed{
        QStringLiteral("getsockname"),   QStringLiteral("getpeername"),
        QStringLiteral("sleep"),         QStringLiteral("gethostname"),
        QStringLiteral("gethostbyname"), QStringLiteral("os.fork"),
        QStringLiteral("os._exit"),      QStringLiteral("os.waitpid"),
        QStringLiteral("os.getpid")};
    static const QRegularExpression forkedChild(QStringLiteral("^pid \\d+ \\(.*\\)$"));
    static const QRegularExpression threadName(QStringLiteral("^(.*) \\[(\\d+)/(\\d+)\\]$"));
    QMap<int, QString> actors; // trace actor -> name; absent: not compared
    QSet<int> pipes;           // lab "sockets" that are pipes (domain 0)
    QSet<int> relays;          // lab actors that run a Wire
    std::vector<std::pair<int, QString>> calls;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const Event &e = t.event(i);
        if (e.kind == EventKind::ActorNew) {
            QString name = t.text(e.text.a);
            if (opt.traced) {
                const auto m = threadName.match(name);
                if (!m.hasMatch() || m.captured(1) == QLatin1String("wire"))
                    continue; // the main thread ("python3 [pid]") and the Wire's relay
                name = m.captured(1);
            }
            if (!opt.traced && forkedChild.match(name).hasMatch())
                continue; // a forked child's lane (see above)
            actors.insert(e.actor, name.left(15));
        } else if (e.kind == EventKind::SocketNew && !opt.traced && e.socket.domain == 0) {
            pipes.insert(e.sock);
        } else if (e.kind == EventKind::CallEnd) {
            if (e.call.flags & CallHelper)
                continue;
            QString c = callName(e);
            if (c == QLatin1String("Wire"))
                relays.insert(e.actor);
            if (notInterposed.contains(c) || opt.ignored.contains(c) || c.startsWith(u'<') ||
                pipes.contains(e.sock) || c == QLatin1String("pipe"))
                continue;
            if (c == QLatin1String("connect_ex"))
                c = QStringLiteral("connect");
            else if (c == QLatin1String("settimeout"))
                c = QStringLiteral("setblocking");
            QString r;
            if (e.call.err)
                r = QString::fromLatin1(sl::sys::errnoName(e.call.err));
            else if (isByteCall(c) && e.call.ret > 0 && opt.anyCount.contains(c))
                r = QStringLiteral("n");
            else if (isByteCall(c))
                r = QString::number(e.call.ret);
            else
                r = QStringLiteral("ok");
            if (!opt.traced && (e.call.flags & CallTimeout) && e.call.err == EAGAIN) {
                if (c == QLatin1String("connect"))
                    calls.emplace_back(e.actor, QStringLiteral("connect→EINPROGRESS"));
                calls.emplace_back(e.actor, QStringLiteral("poll.poll→ok"));
                continue;
            }
            calls.emplace_back(e.actor, c + QStringLiteral("→") + r);
        }
    }
    Seqs out;
    for (const auto &[actor, call] : calls) {
        if (!actors.contains(actor) || relays.contains(actor))
            continue;
        QStringList &seq = out[actors.value(actor)];
        const QString name = call.section(QStringLiteral("→"), 0, 0);
        const QString result = call.section(QStringLiteral("→"), 1);
        bool count = false;
        result.toLongLong(&count);
        if (!seq.isEmpty()) {
            const QString last = seq.last();
            if (last == call)
                continue; // a repeat: a loop's retries
            if (count && result.toLongLong() > 0 && opt.varying.contains(name) &&
                last.section(QStringLiteral("→"), 0, 0) == name) {
                bool lastCount = false;
                const qint64 n = last.section(QStringLiteral("→"), 1).toLongLong(&lastCount);
                if (lastCount && n > 0)
                    continue; // a run of varying counts: its first stands for it
            }
        }
        seq.append(call);
        for (qsizetype len = 2; len <= opt.cycle; ++len) {
            const qsizetype n = seq.size();
            if (n >= 2 * len && seq.mid(n - len) == seq.mid(n - 2 * len, len)) {
                seq.resize(n - len);
                break;
            }
        }
    }
    return out;
}

} // namespace callseq
