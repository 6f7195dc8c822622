// The recorder: the one place where the engine builds trace events (issue 9's note: the
// events used to be built field by field in ~50 places, the Wire copying the
// interpreter's begin/end). Each function fills one Event kind completely — flags that
// follow from the values (a partial send/recv, a call woken by reset()) included — and
// appends it, so a kind's fields mean the same whoever records it.
//
// Still building their own events (owned by other files, to move here next):
// interpreter.cpp, calls.cpp (select in/out), methods.cpp, helpers.cpp, sockettable.cpp
// (socket new/info/close, samples, state changes), perform.cpp, runner.cpp (notes),
// labsteps.cpp (say, expect, actor status, actor new).
//
// Thread affinity: any thread (Trace::append is lock-free); a Call is used by the thread
// that began it.
#pragma once

#include "trace/trace.h"

#include <cstdint>

namespace sl::engine::record {

// An open call: what its CallEnd repeats.
struct Call {
    std::int64_t t0 = 0; // the CallBegin's time
    std::int64_t asked = -1;
    std::int32_t sock = -1;
    std::uint16_t call = 0;
    std::uint16_t line = 0;
    std::uint8_t actor = trace::NoActor;
    std::uint8_t flags = 0;
};

inline std::uint8_t actorByte(int actor) {
    return actor < 0 || actor > 0xfe ? trace::NoActor : std::uint8_t(actor);
}

// CallBegin at now(); returns the open call.
Call callBegin(trace::Trace &t, int actor, int line, int call, int sock, trace::StrRef args,
               std::int64_t asked, std::uint8_t flags);

// CallEnd of c at now(): its duration, CallPartial when fewer than asked bytes moved,
// CallWoken when `woken`, a preview of the payload's first bytes. Returns its time.
std::int64_t callEnd(trace::Trace &t, const Call &c, std::int64_t ret, int err, std::int64_t moved,
                     bool woken, const char *payload = nullptr, std::size_t payloadLen = 0);

// ActorStatus (sysno -1 and no wait point unless given).
void actorStatus(trace::Trace &t, std::int64_t tNs, int actor, int line, trace::ActorState status,
                 int call = 0, int sysno = -1, trace::StrRef wchan = 0);

// StepBegin (status Idle is implied) and StepEnd (status says how the step left the actor).
void stepBegin(trace::Trace &t, int actor, int line);
void stepEnd(trace::Trace &t, int actor, int line, trace::ActorState status);

} // namespace sl::engine::record
