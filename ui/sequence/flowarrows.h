// FlowArrows: what went over the wire between the actors, derived from the trace only,
// for the Sequence's ladder (a flow graph like Wireshark's). Three kinds of arrow:
//   - Data: bytes that ARRIVED in a stream socket's receive queue — the growth of its
//     recvQ between two samples plus what recv() took meanwhile (so bytes still queued
//     on the sender, behind a zero window, draw no arrow yet). When a recv() takes bytes
//     no sample saw arrive, the arrow is drawn just before that recv() returned.
//   - Fin: the peer's FIN arrived — the socket went ESTABLISHED → CLOSE_WAIT, or
//     FIN_WAIT* → TIME_WAIT/CLOSING (a socket with a descriptor reads CLOSE then: Linux
//     hands the connection to a time-wait socket), or a recv() on it returned b'' first.
//   - Rst: a reset arrived — a socket that still has its descriptor went to CLOSE from
//     ESTABLISHED or CLOSE_WAIT, or a call on it failed with ECONNRESET.
// An arrow goes from the actor of the sending socket (the peer; a kernel-only socket
// belongs to the actor whose socket had its address) to the actor of the receiving one.
// Arrows whose sender is unknown (no lab socket on the other end) are not drawn.
//
// Each arrow has a sort key comparable with the Sequence's rows (2 × anchor event:
// arrows after an event are 2e+1, arrows before one 2e−1), so the ladder interleaves
// them with the calls in trace order.
//
// Thread affinity: one thread (the GUI's). Qt Core only.
#pragma once

#include "trace/trace.h"

#include <QByteArray>
#include <QHash>
#include <vector>

namespace sl::ui {

struct FlowArrow {
    enum Kind { Data, Fin, Rst };
    Kind kind = Data;
    int from = -1, to = -1;         // actor indices
    int fromSock = -1, toSock = -1; // lab socket ids
    std::int64_t bytes = 0;         // Data: bytes delivered
    QByteArray preview;             // Data: the sender's last payload, when it is these bytes
    std::size_t event = 0;          // the event that showed it
    std::int64_t key = 0;           // sort key among the rows (see above)
};

class FlowArrows {
public:
    void clear();
    // Reads events [consumed(), to) of `trace`.
    void consume(const trace::Trace &trace, std::size_t to);
    std::size_t consumed() const { return m_consumed; }
    const std::vector<FlowArrow> &arrows() const { return m_arrows; }

private:
    struct Sock {
        int actor = -1;
        int type = 0;
        int peer = -1; // lab socket id of the connected peer
        bool kernelOnly = false;
        bool closed = false; // its descriptor was closed
        bool finIn = false;  // a FIN arrow to it was drawn
        bool rstIn = false;
        trace::StrRef local = 0;
        std::int64_t recvQ = 0;    // last sampled
        std::int64_t read = 0;     // taken by recv() since that sample
        std::int64_t credited = 0; // drawn by a recv() fallback since that sample
        QByteArray lastSent;       // preview of its last send
        std::int64_t lastSentBytes = 0;
    };
    int actorOf(int sock) const;
    void arrow(FlowArrow::Kind kind, int toSock, std::size_t event, bool before,
               std::int64_t bytes = 0);

    std::size_t m_consumed = 0;
    std::vector<FlowArrow> m_arrows;
    QHash<int, Sock> m_socks;
    QHash<trace::StrRef, int> m_addrActor; // local address → actor of a socket with a descriptor
};

} // namespace sl::ui
