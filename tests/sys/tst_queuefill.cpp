// QueueFill against real loopback sockets: "full" is drawn exactly when the kernel takes
// no more. The samples are KernelProbe's, put in a trace as the lab records them and
// replayed into a StageState, as the stage and the terminal report read them.
#include "loopback.h"
#include "sys/kernelprobe.h"
#include "trace/trace.h"
#include "view/queuefill.h"
#include "view/stagestate.h"

#include <QTest>

using namespace sl::sys;
namespace sys = sl::sys;
namespace trace = sl::trace;
using namespace sl::test;
using sl::ui::QueueFill;

namespace {

std::int64_t sendUntilEagain(int fd) {
    static const QByteArray mib(1 << 20, 'x');
    std::int64_t total = 0;
    for (;;) {
        const SysResult r = sys::send(fd, mib.constData(), std::size_t(mib.size()));
        if (!r.ok())
            return total;
        total += r.ret;
    }
}

// A trace holding sockets 0..n-1 (type, peer) and one sample of each.
struct Recorder {
    trace::Trace t;
    int add(int type, int peer = -1) {
        const int id = count++;
        trace::Event e;
        e.kind = trace::EventKind::SocketNew;
        e.sock = id;
        e.socket.fd = -1;
        e.socket.domain = AF_INET;
        e.socket.type = type;
        e.socket.peerSock = -1;
        t.append(e);
        if (peer >= 0) {
            e.kind = trace::EventKind::SocketInfo;
            e.socket.peerSock = peer;
            t.append(e);
        }
        return id;
    }
    void sample(int id, int fd, bool tcp) {
        const SocketSample x = KernelProbe::sample(fd, tcp);
        trace::Event e;
        e.kind = trace::EventKind::Sample;
        e.sock = id;
        e.sample.state = std::uint8_t(x.state);
        e.sample.readiness = x.readiness;
        e.sample.listener = x.listener;
        e.sample.fd = fd;
        e.sample.sndbuf = x.sndbuf;
        e.sample.rcvbuf = x.rcvbuf;
        e.sample.sendQ = x.sendQ;
        e.sample.unsent = x.unsent;
        e.sample.recvQ = x.recvQ;
        e.sample.acceptQ = x.acceptQ;
        e.sample.backlog = x.backlog;
        e.sample.peerWnd = x.peerWnd;
        e.sample.rcvMem = x.rcvMem;
        e.sample.drops = x.drops;
        t.append(e);
    }
    sl::ui::StageState state() const { return sl::ui::buildStageState(t, t.size()); }
    int count = 0;
};

} // namespace

class TestQueueFill : public QObject {
    Q_OBJECT
private slots:
    void pinnedReceiverIsFullAtWindow0() {
        // Lesson 5's connection: SO_RCVBUF 4096 (8,192 of memory) on the listener, SO_SNDBUF
        // 4096 on the client, non-blocking sends until EAGAIN and the zero window.
        Connection c = connection(4096, 4096);
        QVERIFY(c.server);
        QVERIFY(sys::setNonBlocking(c.client.get(), true).ok());
        std::int64_t total = sendUntilEagain(c.client.get());
        QTRY_COMPARE_WITH_TIMEOUT(total += sendUntilEagain(c.client.get()), 12288, 3000);
        QTRY_COMPARE(KernelProbe::sample(c.client.get(), true).peerWnd, 0);
        const SocketSample rcv = KernelProbe::sample(c.server.get(), true);
        QCOMPARE(rcv.rcvbuf, 8192);
        // The receiver holds half its SO_RCVBUF as data, and more than that as memory.
        QVERIFY2(rcv.recvQ > 0 && rcv.recvQ < rcv.rcvbuf, qPrintable(QString::number(rcv.recvQ)));
        QVERIFY(rcv.rcvMem > rcv.recvQ && rcv.rcvMem <= rcv.rcvbuf);

        Recorder r;
        const int snd = r.add(SOCK_STREAM), srv = r.add(SOCK_STREAM, snd);
        r.add(SOCK_STREAM); // unrelated
        r.sample(snd, c.client.get(), true);
        r.sample(srv, c.server.get(), true);
        {
            trace::Event e; // the client's peer is the server
            e.kind = trace::EventKind::SocketInfo;
            e.sock = snd;
            e.socket.fd = -1;
            e.socket.domain = AF_INET;
            e.socket.type = SOCK_STREAM;
            e.socket.peerSock = srv;
            r.t.append(e);
        }
        const sl::ui::StageState st = r.state();
        const QueueFill in = sl::ui::recvFill(st, *st.socket(srv));
        QVERIFY(in.window0);
        QVERIFY(in.full);
        QCOMPARE(in.used, std::int64_t(rcv.recvQ));
        QCOMPARE(in.capacity, in.used);
        QCOMPARE(in.ratio(), 1.0);
        const QueueFill out = sl::ui::sendFill(st, *st.socket(snd));
        QVERIFY(out.window0);
        QCOMPARE(out.used + in.used, total);

        // Read everything: the window opens, and the receive queue is empty again.
        QByteArray buf(1 << 16, 0);
        std::int64_t got = 0;
        while (got < total && waitFor(c.server.get(), POLLIN))
            got += sys::recv(c.server.get(), buf.data(), std::size_t(buf.size())).ret;
        QCOMPARE(got, total);
        QTRY_VERIFY(KernelProbe::sample(c.client.get(), true).peerWnd > 0);
        r.sample(snd, c.client.get(), true);
        r.sample(srv, c.server.get(), true);
        const sl::ui::StageState after = r.state();
        const QueueFill empty = sl::ui::recvFill(after, *after.socket(srv));
        QVERIFY(!empty.full && !empty.window0);
        QCOMPARE(empty.used, 0);
        QVERIFY(empty.capacity > 0);
        QVERIFY(!sl::ui::sendFill(after, *after.socket(snd)).window0);
    }

    void smallQueueIsVisible() {
        Connection c = connection();
        QVERIFY(c.server);
        QCOMPARE(sys::send(c.client.get(), "abc", 3).ret, 3);
        QTRY_COMPARE(KernelProbe::sample(c.server.get(), true).recvQ, 3);
        Recorder r;
        const int cl = r.add(SOCK_STREAM), sv = r.add(SOCK_STREAM, cl);
        r.sample(cl, c.client.get(), true);
        r.sample(sv, c.server.get(), true);
        const sl::ui::StageState st = r.state();
        const QueueFill f = sl::ui::recvFill(st, *st.socket(sv));
        QCOMPARE(f.used, 3);
        QVERIFY(!f.full);
        QVERIFY(f.ratio() >= QueueFill::MinVisible);
    }

    void udpDatagramsBytesAndDrops() {
        // 40 datagrams of 520 bytes into SO_RCVBUF 4096 (8,192 of memory): most are dropped.
        Fd rx(int(sys::socket(AF_INET, SOCK_DGRAM).ret)),
            tx(int(sys::socket(AF_INET, SOCK_DGRAM).ret));
        QVERIFY(sys::setsockoptInt(rx.get(), SOL_SOCKET, SO_RCVBUF, 4096).ok());
        QVERIFY(sys::bind(rx.get(), loopback(0)).ok());
        const QByteArray d(520, 'u');
        for (int i = 0; i < 40; ++i)
            QCOMPARE(sys::sendto(tx.get(), d.constData(), 520, loopback(localPort(rx.get()))).ret,
                     520);
        QTRY_VERIFY(KernelProbe::sample(rx.get(), false).drops > 0);
        Recorder r;
        const int id = r.add(SOCK_DGRAM);
        r.sample(id, rx.get(), false);
        const sl::ui::StageState st = r.state();
        const QueueFill f = sl::ui::recvFill(st, *st.socket(id));
        QVERIFY(f.full);
        QCOMPARE(f.capacity, 8192);
        QVERIFY(f.used > 0 && f.used <= 8192);
        // Drain: the datagrams really waiting, and the drops, add up to the 40 sent.
        sys::setNonBlocking(rx.get(), true);
        QByteArray buf(2048, 0);
        int waiting = 0;
        while (sys::recv(rx.get(), buf.data(), std::size_t(buf.size())).ret == 520)
            ++waiting;
        qInfo("UDP: %d datagrams waiting, %lld bytes of memory (truesize %lld each), %lld drops",
              waiting, qlonglong(f.used), qlonglong(sl::ui::udpTruesize(520)), qlonglong(f.drops));
        QCOMPARE(f.datagrams, waiting);
        QCOMPARE(f.dataBytes, std::int64_t(waiting) * 520);
        QCOMPARE(f.drops + waiting, 40);
        QVERIFY(!f.estimated);

        // One small datagram: 35 bytes of data, visible on the bar.
        QCOMPARE(sys::sendto(tx.get(), d.constData(), 35, loopback(localPort(rx.get()))).ret, 35);
        QTRY_VERIFY(KernelProbe::sample(rx.get(), false).rcvMem > 0);
        r.sample(id, rx.get(), false);
        const sl::ui::StageState one = r.state();
        const QueueFill g = sl::ui::recvFill(one, *one.socket(id));
        QCOMPARE(g.datagrams, 1);
        QCOMPARE(g.dataBytes, 35);
        QVERIFY(!g.full);
        QVERIFY(g.ratio() >= QueueFill::MinVisible);
    }
};

QTEST_GUILESS_MAIN(TestQueueFill)
#include "tst_queuefill.moc"
