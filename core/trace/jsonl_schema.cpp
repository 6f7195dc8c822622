#include "trace/jsonl_schema.h"

#include <array>

namespace sl::trace::detail {

namespace {
using T = FieldType;
#define SL_F(Struct, member, name, type)                                                           \
    Field {                                                                                        \
        name, type, offsetof(Struct, member), false                                                \
    }
#define SL_O(Struct, member, name, type)                                                           \
    Field {                                                                                        \
        name, type, offsetof(Struct, member), true                                                 \
    }
// A field added later: always written, read as -1 ("n/a") from a trace made before it.
#define SL_N(Struct, member, name, type)                                                           \
    Field {                                                                                        \
        name, type, offsetof(Struct, member), false, -1                                            \
    }
// A field version 2 writes as a name (jsonl_names.h); optional ones are omitted when zero.
#define SL_FN(Struct, member, name, type, names)                                                   \
    Field {                                                                                        \
        name, type, offsetof(Struct, member), false, 0, Names::names                               \
    }
#define SL_ON(Struct, member, name, type, names)                                                   \
    Field {                                                                                        \
        name, type, offsetof(Struct, member), true, 0, Names::names                                \
    }

constexpr Field CallFields[] = {
    SL_FN(CallData, call, "call", T::U16, Call),
    SL_FN(CallData, err, "err", T::I16, Errno),
    SL_F(CallData, args, "args", T::Str),
    SL_F(CallData, ret, "ret", T::I64),
    SL_F(CallData, asked, "asked", T::I64),
    SL_F(CallData, moved, "moved", T::I64),
    SL_F(CallData, durNs, "dur_ns", T::I64),
    SL_FN(CallData, flags, "flags", T::U8, CallFlags),
    SL_F(CallData, preview, "preview", T::Preview),
};
constexpr Field SampleFields[] = {
    SL_FN(SampleData, state, "state", T::U8, TcpState),
    SL_FN(SampleData, readiness, "readiness", T::U8, Readiness),
    SL_FN(SampleData, listener, "listener", T::U8, Bool),
    SL_FN(SampleData, nonBlocking, "nonblocking", T::U8, Bool),
    SL_F(SampleData, fd, "fd", T::I32),
    SL_F(SampleData, sndbuf, "sndbuf", T::I32),
    SL_F(SampleData, rcvbuf, "rcvbuf", T::I32),
    SL_F(SampleData, sendQ, "send_q", T::I32),
    SL_F(SampleData, unsent, "unsent", T::I32),
    SL_F(SampleData, recvQ, "recv_q", T::I32),
    SL_F(SampleData, acceptQ, "accept_q", T::I32),
    SL_F(SampleData, backlog, "backlog", T::I32),
    SL_N(SampleData, peerWnd, "peer_wnd", T::I32),
    SL_N(SampleData, rcvMem, "rcv_mem", T::I32),
    SL_N(SampleData, drops, "drops", T::I32),
};
constexpr Field StateFields[] = {
    SL_FN(StateData, from, "from", T::U8, TcpState),
    SL_FN(StateData, to, "to", T::U8, TcpState),
};
constexpr Field SocketFields[] = {
    SL_F(SocketData, fd, "fd", T::I32),
    SL_FN(SocketData, domain, "domain", T::I32, Domain),
    SL_FN(SocketData, type, "type", T::I32, SockType),
    SL_O(SocketData, name, "name", T::Str),
    SL_O(SocketData, local, "local", T::Str),
    SL_O(SocketData, peer, "peer", T::Str),
    SL_F(SocketData, peerSock, "peer_sock", T::I32),
    SL_FN(SocketData, kernelOnly, "kernel_only", T::U8, Bool),
};
// A closed socket normally carries no payload: every field is optional.
constexpr Field SocketCloseFields[] = {
    SL_O(SocketData, fd, "fd", T::I32),
    SL_ON(SocketData, domain, "domain", T::I32, Domain),
    SL_ON(SocketData, type, "type", T::I32, SockType),
    SL_O(SocketData, name, "name", T::Str),
    SL_O(SocketData, local, "local", T::Str),
    SL_O(SocketData, peer, "peer", T::Str),
    SL_O(SocketData, peerSock, "peer_sock", T::I32),
    SL_ON(SocketData, kernelOnly, "kernel_only", T::U8, Bool),
};
constexpr Field SelectFields[] = {
    Field{"read", T::Str, offsetof(SelectData, sets) + 0 * sizeof(StrRef), false},
    Field{"write", T::Str, offsetof(SelectData, sets) + 1 * sizeof(StrRef), false},
    Field{"except", T::Str, offsetof(SelectData, sets) + 2 * sizeof(StrRef), false},
    SL_F(SelectData, nfds, "nfds", T::I32),
    SL_F(SelectData, timeoutNs, "timeout_ns", T::I64),
};
constexpr Field ActorNewFields[] = {
    SL_F(TextData, a, "name", T::Str),
    SL_O(TextData, b, "text_b", T::Str),
};
constexpr Field SayFields[] = {
    SL_F(TextData, a, "en", T::Str),
    SL_F(TextData, b, "ko", T::Str),
};
constexpr Field NoteFields[] = {
    SL_F(TextData, a, "text", T::Str),
    SL_O(TextData, b, "text_b", T::Str),
};
constexpr Field ExpectFields[] = {
    SL_FN(ExpectData, passed, "passed", T::U8, Bool),
    SL_F(ExpectData, text, "text", T::Str),
    SL_F(ExpectData, detail, "detail", T::Str),
};
constexpr Field StatusFields[] = {
    SL_FN(StatusData, status, "status", T::U8, ActorState),
    SL_FN(StatusData, call, "call", T::U16, Call),
    SL_F(StatusData, sysno, "sysno", T::I32),
    SL_O(StatusData, wchan, "wchan", T::Str),
};
constexpr Field StepFields[] = {
    SL_ON(StatusData, status, "status", T::U8, ActorState),
    SL_ON(StatusData, call, "call", T::U16, Call),
    SL_O(StatusData, sysno, "sysno", T::I32),
    SL_O(StatusData, wchan, "wchan", T::Str),
};
#undef SL_F
#undef SL_O
#undef SL_N
#undef SL_FN
#undef SL_ON

template <std::size_t N>
constexpr KindSchema make(const Field (&f)[N]) {
    KindSchema s{f, int(N), {}};
    for (const Field &field : f)
        for (std::size_t i = 0; i < fieldSize(field.type); ++i)
            s.covered[field.offset + i] = true;
    return s;
}

// Indexed by EventKind.
constexpr std::array<KindSchema, std::size_t(EventKind::Count_)> Schemas = {
    make(ActorNewFields),    // ActorNew
    make(StatusFields),      // ActorStatus
    make(SocketFields),      // SocketNew
    make(SocketFields),      // SocketInfo
    make(SocketCloseFields), // SocketClose
    make(CallFields),        // CallBegin
    make(CallFields),        // CallEnd
    make(SampleFields),      // Sample
    make(StateFields),       // StateChange
    make(SelectFields),      // SelectIn
    make(SelectFields),      // SelectOut
    make(SayFields),         // Say
    make(ExpectFields),      // Expect
    make(StepFields),        // StepBegin
    make(StepFields),        // StepEnd
    make(NoteFields),        // Note
};
} // namespace

const KindSchema &schemaFor(EventKind kind) {
    return Schemas[std::size_t(kind) < Schemas.size() ? std::size_t(kind) : 0];
}

} // namespace sl::trace::detail
