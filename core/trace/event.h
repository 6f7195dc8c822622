// One event of the lab's single timeline. Every view (stage, sequence, tables,
// charts) is a view of these events, live or replayed.
//
// An Event is a 64-byte trivially copyable struct: a 16-byte header and a 48-byte
// payload whose meaning depends on `kind`. Text (call arguments, narration, names,
// addresses, select() sets) lives in the Trace's string pool and is referred to by a
// StrRef (0 = none); payload previews live in a separate, capped preview store.
//
// This is the Event every producer appends and every view reads; the Trace does not
// keep it in this form. It stores a 44-byte compact record (trace/compact.h: the same
// header, the payload packed per kind) and Trace::event(i) decodes a copy, exactly
// equal to what was appended: an event whose values do not fit the record is kept whole
// beside it (the lossless rule, see trace.h). So keep the Event that event(i) returns
// by value; never keep a pointer to it. The remote pipe and JSONL carry whole Events.
//
// Call events nest per actor: a CallEnd closes the most recent open CallBegin of the
// same actor, and a CallBegin made while another call of that actor is open is one
// of its sub-calls (the `sendall` helper and its `send`s; a loop and its calls).
#pragma once

#include <cstdint>
#include <type_traits>

namespace sl::trace {

using StrRef = std::uint32_t; // index into Trace's string pool, 0 = none

enum class EventKind : std::uint8_t {
    ActorNew,    // actor: text.a = name
    ActorStatus, // actor: status.status (ActorState), status.call while blocked
    SocketNew,   // sock: socket.{fd, domain, type}, socket.name = script name
    SocketInfo,  // sock: addresses changed: socket.local, socket.peer, socket.peerSock
    SocketClose, // sock: its descriptor was closed
    CallBegin,   // actor, sock (or -1), line: call.{call, args, asked}
    CallEnd,     // actor, sock, line: call.{call, ret, err, asked, moved, durNs, preview}
    Sample,      // sock: a probe sample that differs from the previous one
    StateChange, // sock: state.from -> state.to (also present in the next Sample)
    SelectIn,    // actor, line: the three sets passed in, and the timeout
    SelectOut,   // actor, line: the three sets returned
    Say,         // line: text.a = English, text.b = Korean (values filled in)
    Expect,      // line: expect.{passed, text, detail}
    StepBegin,   // line: a top-level step was dispatched to `actor`
    StepEnd,     // line: step finished (status.status = Idle) or left blocked
    Note,        // text.a: a lab message (load, reset, warnings)
    Count_
};
const char *eventKindName(EventKind k); // "call_end", …
bool eventKindFromName(const char *name, EventKind *out);

enum class ActorState : std::uint8_t { Idle, Running, Blocked, Done };

struct CallData {
    std::uint16_t call; // engine CallId (see engine/calls.h); stable numbers
    std::int16_t err;   // errno, 0 on success
    StrRef args;        // source text of the arguments, e.g. `b"x" * 1_000_000`
    std::int64_t ret;   // return value (byte count, fd, 0, -1)
    std::int64_t asked; // bytes asked for (send len, recv bufsize), -1 if n/a
    std::int64_t moved; // bytes really moved, -1 if n/a
    std::int64_t durNs; // CallEnd: how long the call took
    StrRef preview;     // CallEnd: index into the preview store, 0 = none
    std::uint8_t flags; // CallFlags
    std::uint8_t pad[3];
};
enum CallFlags : std::uint8_t {
    CallNonBlocking = 1, // the socket was non-blocking
    CallPartial = 2,     // moved < asked (a partial send/recv)
    CallHelper = 4,      // a helper / block that expands into sub-calls
    CallWoken = 8,       // ended because reset() woke it
    CallTimeout = 16     // the socket had settimeout(t > 0): EAGAIN here means "timed out"
};

struct SampleData {
    std::uint8_t state;     // sys::TcpState
    std::uint8_t readiness; // sys::Readiness bits
    std::uint8_t listener;
    std::uint8_t nonBlocking;
    std::int32_t fd;
    std::int32_t sndbuf, rcvbuf, sendQ, unsent, recvQ, acceptQ, backlog; // -1 = n/a
    std::int32_t peerWnd; // TCP: the peer's advertised receive window (tcpi_snd_wnd), -1 = n/a
    std::int32_t rcvMem;  // SO_MEMINFO rmem_alloc: memory the receive queue uses, -1 = n/a
    std::int32_t drops;   // SO_MEMINFO drops since the socket was made (UDP overflow), -1 = n/a
};

struct StateData {
    std::uint8_t from, to; // sys::TcpState
    std::uint8_t pad[46];
};

struct SocketData {
    std::int32_t fd;
    std::int32_t domain, type;
    StrRef name;  // SocketNew: script name ("conn"); may be 0
    StrRef local; // SocketInfo: "127.0.0.1:5000"
    StrRef peer;
    std::int32_t peerSock;   // lab socket id of the connected peer when it is a lab socket, -1
    std::uint8_t kernelOnly; // 1: seen only through sock_diag (no descriptor)
    std::uint8_t pad[19];
};

struct SelectData {
    StrRef sets[3]; // lab socket ids, comma separated: "3,5" ("" = empty set)
    std::int32_t nfds;
    std::int64_t timeoutNs; // -1 = block forever
    std::uint8_t pad[24];
};

struct TextData {
    StrRef a, b;
    std::uint8_t pad[40];
};

struct ExpectData {
    std::uint8_t passed;
    std::uint8_t pad0[3];
    StrRef text;   // the expectation as written
    StrRef detail; // what was found, e.g. "state(conn) is ESTABLISHED"
    std::uint8_t pad[36];
};

struct StatusData {
    std::uint8_t status; // ActorState
    std::uint8_t pad0;
    std::uint16_t call; // CallId the actor is blocked in
    std::int32_t sysno; // syscall number from /proc/self/task/TID/syscall, -1
    StrRef wchan;       // kernel wait point, e.g. "inet_csk_accept"
    std::uint8_t pad[36];
};

struct Event {
    std::int64_t tNs = 0; // nanoseconds since the lab's start (steady clock)
    EventKind kind = EventKind::Note;
    std::uint8_t actor = 0xff; // actor index, 0xff = none
    std::uint16_t line = 0;    // script line, 0 = none
    std::int32_t sock = -1;    // lab socket id, -1 = none
    union {
        CallData call;
        SampleData sample;
        StateData state;
        SocketData socket;
        SelectData select;
        TextData text;
        ExpectData expect;
        StatusData status;
        unsigned char raw[48];
    };
    Event()
        : raw{} {}
};
static_assert(sizeof(Event) == 64, "an Event is one cache line");
static_assert(std::is_trivially_copyable_v<Event>);

constexpr std::uint8_t NoActor = 0xff;

} // namespace sl::trace
