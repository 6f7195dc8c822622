#include "tracer/programtracer.h"
#include "tracer/ring.h"

#include "script/catalog.h"
#include "sys/kernelprobe.h"
#include "sys/sockdiag.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <algorithm>
#include <arpa/inet.h>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace sl::tracer {

using preload::Call;
using preload::Record;

namespace {

std::int64_t monoNs() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

quint64 key(int a, int b) {
    return (quint64(quint32(a)) << 32) | quint32(b);
}

} // namespace

ProgramTracer::ProgramTracer(trace::Trace &trace)
    : m_trace(trace) {}

ProgramTracer::~ProgramTracer() {
    if (m_pid > 0 && !m_exited) {
        ::kill(m_pid, SIGKILL);
        int st = 0;
        ::waitpid(m_pid, &st, 0);
    }
    for (int fd : std::as_const(m_pidfds))
        if (fd >= 0)
            ::close(fd);
}

QString ProgramTracer::preloadPath() {
    const QByteArray env = qgetenv("SOCKETLAB_PRELOAD");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
    const QString dir = QCoreApplication::applicationDirPath();
    const QString name = QStringLiteral("libsocketlab_preload.so");
    for (const QString &rel :
         {QStringLiteral("/../lib/socketlab/"), QStringLiteral("/../lib64/socketlab/"),
          QStringLiteral("/../lib/x86_64-linux-gnu/socketlab/"),
          QStringLiteral("/../lib/aarch64-linux-gnu/socketlab/"), QStringLiteral("/")}) {
        const QFileInfo fi(dir + rel + name);
        if (fi.exists())
            return fi.canonicalFilePath();
    }
    return {};
}

bool ProgramTracer::start(const QStringList &argv, bool step, bool stdinNull, QString *error) {
    if (argv.isEmpty()) {
        *error = QStringLiteral("no program to trace");
        return false;
    }
    const QString lib = preloadPath();
    if (lib.isEmpty()) {
        *error = QStringLiteral("the interposer libsocketlab_preload.so was not found beside "
                                "the socketlab binary (set SOCKETLAB_PRELOAD to its path)");
        return false;
    }
    // A relative path (./client) is the working directory's.
    const QString exe = argv.first().contains(QLatin1Char('/'))
                            ? QDir(m_workDir.isEmpty() ? QDir::currentPath() : m_workDir)
                                  .absoluteFilePath(argv.first())
                            : QStandardPaths::findExecutable(argv.first());
    struct stat st;
    if (exe.isEmpty() || ::stat(QFile::encodeName(exe).constData(), &st) != 0) {
        *error = QStringLiteral("%1: program not found").arg(argv.first());
        return false;
    }
    // The dynamic loader ignores LD_PRELOAD for a set-id program anyway; the lab says so
    // rather than running it untraced, and never gives it a way to the ring.
    if (st.st_mode & (S_ISUID | S_ISGID)) {
        *error = QStringLiteral("%1 is a setuid/setgid program: the lab never traces one").arg(exe);
        return false;
    }
    m_noPidfd = qEnvironmentVariableIntValue("SOCKETLAB_TRACE_NO_PIDFD") == 1;
    m_ring = std::make_unique<Ring>();
    if (!m_ring->ok()) {
        *error = QStringLiteral("cannot make the shared trace buffer: %1")
                     .arg(QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    m_ring->setStep(step);
    m_everStepped = step;

    std::vector<QByteArray> envStore;
    for (char **e = environ; *e; ++e) {
        if (std::strncmp(*e, "LD_PRELOAD=", 11) == 0 ||
            std::strncmp(*e, "SOCKETLAB_TRACE_FD=", 19) == 0)
            continue;
        envStore.emplace_back(*e);
    }
    // After a preload the environment already has (a sanitizer runtime must stay first).
    QByteArray preload = "LD_PRELOAD=";
    if (const QByteArray old = qgetenv("LD_PRELOAD"); !old.isEmpty())
        preload += old + ' ';
    preload += QFile::encodeName(lib);
    envStore.push_back(preload);
    const QString pyDir = QFileInfo(lib).absolutePath() + QStringLiteral("/python");
    if (m_pythonLines && QFileInfo::exists(pyDir + QStringLiteral("/sitecustomize.py"))) {
        QByteArray path = "PYTHONPATH=" + QFile::encodeName(pyDir);
        if (const QByteArray old = qgetenv("PYTHONPATH"); !old.isEmpty())
            path += ':' + old;
        envStore.erase(
            std::remove_if(envStore.begin(), envStore.end(),
                           [](const QByteArray &e) { return e.startsWith("PYTHONPATH="); }),
            envStore.end());
        envStore.push_back(path);
    }
    envStore.push_back(QByteArray(preload::EnvFd) + '=' + QByteArray::number(m_ring->fd()));
    std::vector<char *> envp;
    for (QByteArray &b : envStore)
        envp.push_back(b.data());
    envp.push_back(nullptr);
    std::vector<QByteArray> argStore;
    for (const QString &a : argv)
        argStore.push_back(QFile::encodeName(a));
    std::vector<char *> args;
    for (QByteArray &b : argStore)
        args.push_back(b.data());
    args.push_back(nullptr);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (stdinNull)
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    const QByteArray workDir = QFile::encodeName(m_workDir);
    if (!workDir.isEmpty())
        posix_spawn_file_actions_addchdir_np(&fa, workDir.constData());
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // The lab ignores SIGPIPE; the program gets the default back, as from a shell.
    sigset_t def;
    sigemptyset(&def);
    sigaddset(&def, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    m_monoOrigin = monoNs() - m_trace.now();
    const QByteArray path = QFile::encodeName(exe);
    const int rc = posix_spawn(&m_pid, path.constData(), &fa, &attr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        m_pid = -1;
        *error = QStringLiteral("%1: %2").arg(exe, QString::fromLocal8Bit(strerror(rc)));
        return false;
    }
    trace::Event ev;
    ev.tNs = m_trace.now();
    ev.kind = trace::EventKind::Note;
    ev.text.a = m_trace.intern(
        QStringLiteral("trace: %1 (pid %2)").arg(argv.join(QLatin1Char(' '))).arg(m_pid));
    m_trace.append(ev);
    m_lastProgressNs = monoNs();
    return true;
}

std::int64_t ProgramTracer::labNs(std::int64_t mono) const {
    return mono - m_monoOrigin;
}

void ProgramTracer::waitForBatch(int read) {
    if (read < 1024) {
        timespec ts{0, 2000000};
        nanosleep(&ts, nullptr);
    }
}

int ProgramTracer::poll() {
    if (!m_ring || m_pending)
        return 0;
    int n = 0;
    while (const Record *r = m_ring->peek()) {
        if (r->phase == preload::ThreadName) { // the name actorFor() gives the thread
            m_threadNames.insert(
                key(r->pid, r->tid),
                QString::fromLocal8Bit(r->preview, std::min<int>(r->previewLen, 16)));
            m_ring->consume();
            continue;
        }
        handle(*r);
        ++n;
        const bool begin = r->phase == preload::Begin;
        if (begin && m_ring->stepOn()) {
            m_pending = r; // consumed below; its producer waits for release()
            m_ring->consume();
            break;
        }
        if (begin && m_everStepped)
            m_ring->release(r); // it may have been published while stepping was on
        m_ring->consume();
        if (n >= 16384)
            break;
    }
    m_ring->publishTail();
    if (n)
        m_lastProgressNs = monoNs();
    for (int id : m_touched)
        probe(m_socks[std::size_t(id)]);
    m_touched.clear();
    markBlocked();
    return n;
}

void ProgramTracer::release() {
    if (!m_pending)
        return;
    m_ring->release(m_pending);
    m_pending = nullptr;
}

void ProgramTracer::setStep(bool on) {
    if (m_ring)
        m_ring->setStep(on);
    m_everStepped = m_everStepped || on;
    if (!on)
        release();
}

std::uint64_t ProgramTracer::dropped() const {
    return m_ring ? m_ring->dropped() : 0;
}

std::vector<TracedCall> ProgramTracer::takeCalls() {
    std::vector<TracedCall> out;
    out.swap(m_calls);
    return out;
}

int ProgramTracer::actorFor(const Record &r) {
    const quint64 k = key(r.pid, r.tid);
    if (auto it = m_actorIndex.constFind(k); it != m_actorIndex.constEnd())
        return *it;
    // The name the thread had at its first call (a ThreadName record), else /proc: the
    // thread may be gone by now.
    QString comm = m_threadNames.take(k);
    if (comm.isEmpty()) {
        QFile f(QStringLiteral("/proc/%1/task/%2/comm").arg(r.pid).arg(r.tid));
        if (f.open(QIODevice::ReadOnly))
            comm = QString::fromLocal8Bit(f.readAll().trimmed());
    }
    if (comm.isEmpty())
        comm = QStringLiteral("thread");
    Actor a;
    a.pid = r.pid;
    a.tid = r.tid;
    a.name = r.pid == r.tid ? QStringLiteral("%1 [%2]").arg(comm).arg(r.pid)
                            : QStringLiteral("%1 [%2/%3]").arg(comm).arg(r.pid).arg(r.tid);
    const int index = int(m_actors.size());
    m_actors.push_back(a);
    m_actorIndex.insert(k, index);
    trace::Event ev;
    ev.tNs = m_trace.now();
    ev.kind = trace::EventKind::ActorNew;
    ev.actor = actorByte(index);
    ev.text.a = m_trace.intern(a.name);
    m_trace.append(ev);
    return index;
}

ProgramTracer::Sock *ProgramTracer::newSock(const Record &r, int fd, std::uint32_t inode,
                                            int domain, int type) {
    Sock s;
    s.id = int(m_socks.size());
    s.domain = domain;
    s.type = type;
    s.inode = inode;
    s.refs = 1;
    s.pid = r.pid;
    s.fd = fd;
    m_socks.push_back(s);
    m_fdSock.insert(key(r.pid, fd), s.id);
    if (inode)
        m_inodeSock.insert(inode, s.id);
    trace::Event ev;
    ev.tNs = labNs(r.t1 ? r.t1 : r.t0);
    ev.kind = trace::EventKind::SocketNew;
    ev.sock = s.id;
    ev.socket.fd = fd;
    ev.socket.domain = domain;
    ev.socket.type = type & 0xf;
    ev.socket.name = m_trace.intern(QStringLiteral("[%1]").arg(r.pid));
    ev.socket.peerSock = -1;
    m_trace.append(ev);
    return &m_socks.back();
}

// The lab socket of the record's descriptor; a descriptor first seen here (inherited
// over fork or exec, or made by a call not traced) becomes one when `create`.
ProgramTracer::Sock *ProgramTracer::sockFor(const Record &r, bool create) {
    if (r.fd < 0)
        return nullptr;
    if (auto it = m_fdSock.constFind(key(r.pid, r.fd)); it != m_fdSock.constEnd())
        return &m_socks[std::size_t(*it)];
    if (!r.inode || !create)
        return nullptr;
    if (auto it = m_inodeSock.constFind(r.inode); it != m_inodeSock.constEnd()) {
        Sock &s = m_socks[std::size_t(*it)]; // the same kernel socket in another process
        ++s.refs;
        m_fdSock.insert(key(r.pid, r.fd), s.id);
        return &s;
    }
    return newSock(r, r.fd, r.inode, -1, -1);
}

void ProgramTracer::closeFd(int pid, int fd) {
    const auto it = m_fdSock.find(key(pid, fd));
    if (it == m_fdSock.end())
        return;
    Sock &s = m_socks[std::size_t(*it)];
    m_fdSock.erase(it);
    if (--s.refs > 0) {
        if (s.pid == pid && s.fd == fd) { // probe through another descriptor of it
            for (auto j = m_fdSock.cbegin(); j != m_fdSock.cend(); ++j)
                if (*j == s.id) {
                    s.pid = int(j.key() >> 32);
                    s.fd = int(quint32(j.key()));
                    break;
                }
        }
        return;
    }
    if (s.inode)
        m_inodeSock.remove(s.inode);
    s.fd = -1;
    trace::Event ev;
    ev.tNs = m_trace.now();
    ev.kind = trace::EventKind::SocketClose;
    ev.sock = s.id;
    m_trace.append(ev);
}

} // namespace sl::tracer
