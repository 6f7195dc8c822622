// The Wire: a relay the lab puts between two peers, so that what loopback hides (its
// 64 KiB MTU delivers a whole send() at once, and a peer is never silent) becomes
// visible: a stream that arrives in pieces, a peer that stops answering, a reset.
//
//   relay:  wire = Wire(target=srv.getsockname(), chunk=100, delay=0.05)
//   client: c.connect(wire.address())
//
// It is real, not simulated: the wire has its own thread and its own sockets. It
// listens on 127.0.0.1:0; for every connection it accepts, it connects to the target
// and forwards bytes both ways with recv(chunk) / send(), pausing `delay` seconds
// (plus n / `rate` seconds) after each forward. Every call it makes — socket, bind,
// listen, accept, connect, recv, send, shutdown, setsockopt, close — is recorded
// like any actor's, in the lane of the actor that created it (write `wire: w =
// Wire(…)`, and list that actor between the peers: the stage shows the relay between
// them). That actor is the relay: give it no other work (one wire per actor), since
// the wire's thread records in its lane. Its sockets are lab sockets, probed like any
// other: the bytes it holds are visible in their receive queues.
//
// Controls (each returns once the wire's thread has acted on it; when the relay's own
// actor calls one, the wire's thread records the call, so one thread writes the lane):
//  - cut():    stop forwarding. Both connections stay open and nothing is sent: to
//              each peer the other is silent (a dead peer). Bytes pile up in the
//              wire's receive queues.
//  - resume(): forward again, held bytes first.
//  - reset():  SO_LINGER {1, 0} + close() on both sockets of every connection: an RST
//              to each peer (recv → ECONNRESET).
//  - close():  close every socket of the wire (FIN to each peer) and end its thread.
//
// The wire's thread never blocks except in poll() on its sockets and an eventfd;
// every socket of it is non-blocking. So cut/resume/reset/close are answered at
// once, and Lab::reset() stops it with stopAll() (no call recorded, nothing closed:
// the socket table closes the descriptors after the thread has been joined).
//
// Ownership: a WireSet (in LabContext) owns the lab's wires; a script Value names a
// wire by its index in the set (Value::wire), like an actor. Thread affinity: the
// controls and the probes may be called from any thread.
#pragma once

#include "sys/net.h"
#include "trace/trace.h"

#include <QString>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace sl::engine {

struct LabContext;
struct LabSocket;

struct WireOptions {
    sys::SockAddr target;       // where each accepted connection is forwarded to
    std::int64_t chunk = 65536; // bytes per forward (one recv(chunk), then send)
    double delay = 0;           // seconds a direction pauses after each forward
    double rate = 0;            // bytes/s; adds n / rate seconds to the pause (0: none)
};

enum class WireCommand { Cut, Resume, Reset, Close };

class Wire {
public:
    // actor: the index of the actor that creates it (its lane in the trace).
    Wire(LabContext &ctx, int actor, const QString &name, const WireOptions &o);
    ~Wire(); // stops and joins the thread (no recorded calls)
    Wire(const Wire &) = delete;
    Wire &operator=(const Wire &) = delete;

    // socket(), bind(127.0.0.1:0), listen() (recorded under the wire's actor), then
    // the thread. On failure returns false with the errno in *err.
    bool start(int *err);

    // Performs a control. record: the wire's thread records it as call `call` (line,
    // args) in the wire's lane, with what it does (reset's setsockopt + close) nested.
    void control(WireCommand c, bool record = false, int call = 0, int line = 0,
                 trace::StrRef args = 0);
    // Lab::reset(): ends the thread without a recorded call and without closing
    // (the descriptors are lab sockets: the socket table closes them).
    void stop();

    sys::SockAddr address() const { return m_address; }
    // Bytes in the wire's hands: read and not yet sent, plus what waits in its
    // sockets' receive queues (SIOCINQ, probed now).
    std::int64_t held() const;
    std::int64_t forwarded() const { return m_forwarded.load(); } // bytes sent by the wire
    bool isCut() const { return m_cut.load(); }
    int actor() const { return m_actor; }
    QString name() const { return m_name; }

private:
    struct Direction {
        QByteArray pending;      // read from src, not yet sent to dst
        std::int64_t nextNs = 0; // trace time before which it does not read again
        bool eof = false;        // src sent FIN; dst was shut down for writing
    };
    struct Conn {
        int number = 0;
        std::shared_ptr<LabSocket> a; // accepted from the client
        std::shared_ptr<LabSocket> b; // connected to the target
        bool connecting = false;
        Direction ab, ba;
    };
    struct Command {
        WireCommand what;
        bool record;
        int call, line;
        trace::StrRef args;
    };

    void loop();
    void runCommand(const Command &c);
    void acceptOne();
    bool step(Conn &c, Direction &d, LabSocket &src, LabSocket &dst, short srcEv, short dstEv);
    bool trySend(Conn &c, Direction &d, LabSocket &dst);
    void finishConnect(Conn &c);
    void abort(Conn &c);     // RST both sides (SO_LINGER {1, 0} + close)
    void closeConn(Conn &c); // close both sides
    void closeSock(LabSocket &s);
    void lingerZero(LabSocket &s);
    void setNonBlocking(LabSocket &s);

    // Recording, with the layout of Interpreter::begin()/end().
    struct Mark {
        std::int64_t t0 = 0;
        std::uint16_t call = 0;
        int sock = -1;
        std::int64_t asked = -1;
        std::uint8_t flags = 0;
        int line = 0;
    };
    Mark begin(int call, const LabSocket *s, std::int64_t asked, const QString &args);
    Mark begin(int call, const LabSocket *s, std::int64_t asked, trace::StrRef args, int line);
    void end(const Mark &m, std::int64_t ret, int err, std::int64_t moved,
             const char *payload = nullptr, std::size_t payloadLen = 0);

    LabContext &m_ctx;
    int m_actor; // the creating actor: the wire's lane
    QString m_name;
    WireOptions m_opt;
    sys::SockAddr m_address;
    std::shared_ptr<LabSocket> m_listener;
    std::vector<Conn> m_conns; // the wire's thread only
    int m_connCount = 0;
    int m_wakeFd = -1; // eventfd: commands and stop wake poll()

    std::atomic<bool> m_cut{false};
    std::atomic<bool> m_quit{false};
    std::atomic<std::int64_t> m_pendingBytes{0};
    std::atomic<std::int64_t> m_forwarded{0};

    mutable std::mutex m_mutex; // commands, and the socket ids held() probes
    std::condition_variable m_acted;
    std::vector<Command> m_commands;
    std::uint64_t m_asked = 0, m_done = 0;
    std::vector<int> m_sockIds;
    bool m_running = false;
    std::thread m_thread;
};

// The lab's wires. Lab::reset() calls stopAll() once the actors have returned and
// before the socket table closes the descriptors.
class WireSet {
public:
    WireSet() = default;
    ~WireSet();
    // Creates and starts a wire in `actor`'s lane; returns its index, or -1 with the
    // errno in *err (EBUSY: that actor already relays a wire).
    int create(LabContext &ctx, int actor, const QString &name, const WireOptions &o, int *err);
    std::shared_ptr<Wire> get(std::int64_t index) const;
    void stopAll(); // stops, joins and forgets every wire

private:
    mutable std::mutex m_mutex;
    std::vector<std::shared_ptr<Wire>> m_wires;
};

} // namespace sl::engine
