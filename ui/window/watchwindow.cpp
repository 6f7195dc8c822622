// WatchWindow: sys::WatchSockets' refreshes as trace events for the stage.
#include "ui/window/watchwindow.h"

#include "engine/lab.h"
#include "trace/trace.h"
#include "ui/stage/stageview.h"
#include "ui/time/tracefeed.h"

#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QVBoxLayout>
#include <sys/socket.h>

namespace sl::ui {

namespace {

QString processName(pid_t pid) {
    QFile f(QStringLiteral("/proc/%1/comm").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLocal8Bit(f.readAll()).trimmed();
}

// The card's name, in place of a script's: what the socket is to its process.
QString roleOf(const sys::WatchedSocket &w, const std::vector<sys::WatchedSocket> &all) {
    if (w.kernelOnly())
        return {};
    if (w.diag.state == sys::TcpState::Listen)
        return QStringLiteral("listener");
    for (const sys::WatchedSocket &o : all)
        if (o.pid == w.pid && o.diag.state == sys::TcpState::Listen &&
            o.diag.local.port() == w.diag.local.port())
            return QStringLiteral("accepted");
    return QStringLiteral("client");
}

} // namespace

WatchWindow::WatchWindow(pid_t pid, int port, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_watch(pid > 0 ? sys::WatchSockets::forPid(pid) : sys::WatchSockets::forPort(port))
    , m_pid(pid)
    , m_port(port)
    , m_lab(new engine::Lab(this))
    , m_feed(new TraceFeed(m_lab, this))
    , m_stage(new StageView(m_feed, this))
    , m_status(new QLabel(this)) {
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(pid > 0
                       ? WatchWindow::tr("Watch — process %1 (%2)").arg(pid).arg(processName(pid))
                       : WatchWindow::tr("Watch — port %1").arg(port));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_stage, 1);
    layout->addWidget(m_status);
    resize(900, 600);
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &WatchWindow::refresh);
    m_timer.start();
}

WatchWindow::~WatchWindow() = default;

WatchWindow *WatchWindow::ask(QWidget *parent) {
    bool ok = false;
    const QString text =
        QInputDialog::getText(parent, WatchWindow::tr("Watch a running program"),
                              WatchWindow::tr("Process id, or :port for every socket on a port:"),
                              QLineEdit::Normal, QString(), &ok)
            .trimmed();
    if (!ok || text.isEmpty())
        return nullptr;
    const bool byPort = text.startsWith(QLatin1Char(':'));
    const int n = (byPort ? text.mid(1) : text).toInt(&ok);
    if (!ok || n <= 0 || (byPort && n > 65535)) {
        QMessageBox::warning(parent, WatchWindow::tr("Watch"),
                             WatchWindow::tr("'%1' is neither a process id nor :port.").arg(text));
        return nullptr;
    }
    auto *w = new WatchWindow(byPort ? 0 : pid_t(n), byPort ? n : 0, parent);
    std::vector<sys::WatchedSocket> probe;
    if (const int rc = w->m_watch.refresh(&probe); rc != 0) {
        QMessageBox::warning(parent, WatchWindow::tr("Watch"), w->m_watch.describeError(rc));
        delete w;
        return nullptr;
    }
    w->refresh();
    w->show();
    return w;
}

int WatchWindow::actorFor(pid_t pid) {
    if (const auto it = m_actors.constFind(pid); it != m_actors.cend())
        return it.value();
    const int actor = int(m_actors.size());
    if (actor >= int(trace::NoActor))
        return -1;
    m_actors.insert(pid, actor);
    trace::Trace &t = m_lab->trace();
    trace::Event ev;
    ev.tNs = t.now();
    ev.kind = trace::EventKind::ActorNew;
    ev.actor = std::uint8_t(actor);
    ev.text.a = t.intern(QStringLiteral("%1 (pid %2)").arg(processName(pid)).arg(pid));
    t.append(ev);
    return actor;
}

void WatchWindow::refresh() {
    std::vector<sys::WatchedSocket> list;
    const int rc = m_watch.refresh(&list);
    if (rc != 0) {
        m_status->setText(m_watch.describeError(rc));
        if (rc == ESRCH)
            m_timer.stop();
        list.clear(); // every card leaves the stage
    } else {
        m_status->setText(
            WatchWindow::tr("%1 TCP socket(s), refreshed every second").arg(list.size()));
    }
    trace::Trace &t = m_lab->trace();
    for (auto &k : m_known)
        k.seen = false;
    for (const sys::WatchedSocket &w : list) {
        const sys::DiagSocket &d = w.diag;
        const QString local = d.local.toString(), peer = d.peer.toString();
        const QString key =
            w.kernelOnly() ? local + QLatin1Char('|') + peer : QString::number(d.inode);
        Known &k = m_known[key];
        k.seen = true;
        trace::Event ev;
        ev.tNs = t.now();
        if (k.sock < 0) {
            k.sock = m_nextSock++;
            const int actor = w.kernelOnly() ? -1 : actorFor(w.pid);
            ev.kind = trace::EventKind::SocketNew;
            ev.actor = actor < 0 ? trace::NoActor : std::uint8_t(actor);
            ev.sock = k.sock;
            ev.socket.fd = w.fd;
            ev.socket.domain = d.local.family();
            ev.socket.type = SOCK_STREAM;
            ev.socket.name = t.intern(roleOf(w, list));
            ev.socket.peerSock = -1;
            ev.socket.kernelOnly = w.kernelOnly() ? 1 : 0;
            t.append(ev);
            ev.kind = trace::EventKind::SocketInfo;
            ev.socket.local = t.intern(local);
            ev.socket.peer = t.intern(d.state == sys::TcpState::Listen ? QString() : peer);
            t.append(ev);
        }
        trace::Event s;
        s.tNs = t.now();
        s.kind = trace::EventKind::Sample;
        s.sock = k.sock;
        s.sample.state =
            std::uint8_t(d.state == sys::TcpState::NewSynRecv ? sys::TcpState::SynRecv : d.state);
        s.sample.readiness = w.readiness;
        const bool listener = d.state == sys::TcpState::Listen;
        s.sample.listener = listener ? 1 : 0;
        s.sample.fd = w.fd;
        s.sample.sndbuf = d.sndbuf;
        s.sample.rcvbuf = d.rcvbuf;
        s.sample.sendQ = listener ? -1 : std::int32_t(d.sendQ);
        s.sample.unsent = -1;
        s.sample.recvQ = listener ? -1 : std::int32_t(d.recvQ);
        s.sample.acceptQ = listener ? std::int32_t(d.recvQ) : -1;
        s.sample.backlog = listener ? std::int32_t(d.sendQ) : -1;
        s.sample.peerWnd = d.peerWnd;
        s.sample.rcvMem = d.rcvMem;
        s.sample.drops = d.drops;
        t.append(s);
    }
    for (auto it = m_known.begin(); it != m_known.end();) {
        if (it->seen) {
            ++it;
            continue;
        }
        trace::Event ev;
        ev.tNs = t.now();
        ev.kind = trace::EventKind::SocketClose;
        ev.sock = it->sock;
        ev.socket.fd = -1;
        ev.socket.peerSock = -1;
        t.append(ev);
        it = m_known.erase(it);
    }
    m_feed->drainNow();
}

} // namespace sl::ui
