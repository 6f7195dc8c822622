// StageState: what the stage shows at one point of the trace, rebuilt by replaying
// trace events [0, cursor). Pure data and pure functions, no widgets: the stage view,
// the status bar and the tests all read it, and none of them makes a socket call.
//
// Thread affinity: none. apply() reads the trace's string pool (which locks briefly),
// so it may run on the GUI thread while actors append.
#pragma once

#include "trace/trace.h"

#include <QString>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

namespace sl::ui {

struct ActorSnap {
    QString name;
    trace::ActorState state = trace::ActorState::Idle;
    std::uint16_t call = 0;      // outermost open call (CallId), 0 = none
    std::uint16_t blockedIn = 0; // CallId it is blocked in, when Blocked
    std::int64_t sinceNs = 0;    // start of the current state (call begin for Running/Blocked)
    std::vector<std::pair<std::uint16_t, std::int64_t>> open; // open calls: id, begin tNs
};

struct SocketSnap {
    int id = -1;    // lab socket id
    int actor = -1; // the actor that created it; -1 for kernel-only sockets
    QString name;
    int fd = -1;
    int domain = 0, type = 0;
    QString local, peer;
    int peerSock = -1;
    bool kernelOnly = false;
    bool closed = false;
    bool hasSample = false;
    trace::SampleData sample{};
};

// A Wire's relay, kept for the lane of the actor that created it (the wire's thread
// records its calls there). Everything is read from the trace: its controls, and per
// direction the bytes its recv() read that its send() has not passed on yet.
struct RelaySnap {
    bool cut = false;    // cut() since the last resume(): nothing is forwarded
    bool closed = false; // the wire was closed: its thread has ended
    std::unordered_map<int, std::int64_t> pending; // by the socket the bytes were read from
    std::unordered_map<int, int> from; // a socket the relay sends on → the one it reads for it
    int lastRead = -1; // a recv() that read bytes: the relay's next call sends them on
};

struct StageState {
    std::vector<ActorSnap> actors;   // by actor index
    std::vector<SocketSnap> sockets; // in order of appearance
    std::size_t cursor = 0;          // events applied
    std::int64_t lastNs = 0;         // time of the last applied event
    std::map<int, RelaySnap> relays; // by the index of the actor whose lane it records in

    const SocketSnap *socket(int id) const;
    const SocketSnap *socketNamed(const QString &name) const;
    SocketSnap *socket(int id);
    const RelaySnap *relay(int actor) const;
    // What the relay in `actor`'s lane holds, as Wire::held() counts it: the receive
    // queues of its sockets (their samples at this point) plus the bytes it has read and
    // not yet sent on. -1 when that lane holds no relay.
    std::int64_t relayHeld(int actor) const;

    // Applies one event (the one at index `cursor`).
    void apply(const trace::Trace &trace, const trace::Event &e);
    // Applies events [cursor, end).
    void advance(const trace::Trace &trace, std::size_t end);
    void clear() { *this = StageState(); }

private:
    int creatingActor() const;
    RelaySnap *relayFor(int actor);
    void applyRelay(const trace::Event &e);
    // id → index in `sockets`: the stage looks sockets up per card and per peer line, and
    // a thousand sockets must not cost a million comparisons a frame.
    std::unordered_map<int, std::size_t> m_index;
};

// A name or address read from a trace, as the views show it: at most MaxShownText
// characters ("…" after). A trace file may hold a megabyte-long name, and measuring it
// for every paint froze the window.
constexpr int MaxShownText = 160;
constexpr int MaxShownDetails = 1000; // a table cell's longer text
QString shownText(const QString &text, int max = MaxShownText);

// Which cards belong together, so a learner pairs them at a glance (issue 8, points 3
// and 4). Connected peers (peerSock, either direction) form a pair; so does a closed lab
// socket and the kernel-only socket that continues it (same local and peer address:
// FIN_WAIT2, TIME_WAIT, …), which is its ghost. Each group of two or more cards gets a
// number 1, 2, … in the order its first card appeared, the same on every card of it.
struct StagePairs {
    std::unordered_map<int, int> number; // socket id → pair number (1 …); absent: alone
    std::unordered_map<int, int>
        ghostOf; // kernel-only socket id → the closed lab socket it continues
    int of(int sockId) const {
        const auto it = number.find(sockId);
        return it == number.end() ? 0 : it->second;
    }
};
StagePairs stagePairs(const StageState &state);

// Replays [0, cursor) of the trace.
StageState buildStageState(const trace::Trace &trace, std::size_t cursor);

// "blocked in recv() for 3.2 s", "running send()", "idle".
QString actorStatusText(const ActorSnap &a, std::int64_t nowNs);
// A lane's status line: the actor's, or for an idle relay's lane what the wire does,
// "relay: cut, holds 4 bytes".
QString laneStatusText(const StageState &s, int actor, std::int64_t nowNs);

} // namespace sl::ui
