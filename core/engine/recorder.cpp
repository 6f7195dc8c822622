#include "engine/recorder.h"

namespace sl::engine::record {

Call callBegin(trace::Trace &t, int actor, int line, int call, int sock, trace::StrRef args,
               std::int64_t asked, std::uint8_t flags) {
    Call c;
    c.t0 = t.now();
    c.asked = asked;
    c.sock = sock;
    c.call = std::uint16_t(call);
    c.line = std::uint16_t(line);
    c.actor = actorByte(actor);
    c.flags = flags;
    trace::Event ev;
    ev.tNs = c.t0;
    ev.kind = trace::EventKind::CallBegin;
    ev.actor = c.actor;
    ev.line = c.line;
    ev.sock = sock;
    ev.call.call = c.call;
    ev.call.args = args;
    ev.call.asked = asked;
    ev.call.moved = -1;
    ev.call.flags = flags;
    t.append(ev);
    return c;
}

std::int64_t callEnd(trace::Trace &t, const Call &c, std::int64_t ret, int err, std::int64_t moved,
                     bool woken, const char *payload, std::size_t payloadLen) {
    trace::Event ev;
    ev.tNs = t.now();
    ev.kind = trace::EventKind::CallEnd;
    ev.actor = c.actor;
    ev.line = c.line;
    ev.sock = c.sock;
    ev.call.call = c.call;
    ev.call.err = std::int16_t(err);
    ev.call.ret = ret;
    ev.call.asked = c.asked;
    ev.call.moved = moved;
    ev.call.durNs = ev.tNs - c.t0;
    ev.call.flags = c.flags;
    if (err == 0 && moved >= 0 && c.asked > 0 && moved < c.asked)
        ev.call.flags |= trace::CallPartial;
    if (woken)
        ev.call.flags |= trace::CallWoken;
    if (payload && payloadLen > 0)
        ev.call.preview = t.addPreview(payload, payloadLen);
    t.append(ev);
    return ev.tNs;
}

void actorStatus(trace::Trace &t, std::int64_t tNs, int actor, int line, trace::ActorState status,
                 int call, int sysno, trace::StrRef wchan) {
    trace::Event ev;
    ev.tNs = tNs;
    ev.kind = trace::EventKind::ActorStatus;
    ev.actor = actorByte(actor);
    ev.line = std::uint16_t(line);
    ev.status.status = std::uint8_t(status);
    ev.status.call = std::uint16_t(call);
    ev.status.sysno = sysno;
    ev.status.wchan = wchan;
    t.append(ev);
}

void stepBegin(trace::Trace &t, int actor, int line) {
    trace::Event ev;
    ev.tNs = t.now();
    ev.kind = trace::EventKind::StepBegin;
    ev.actor = actorByte(actor);
    ev.line = std::uint16_t(line);
    t.append(ev);
}

void stepEnd(trace::Trace &t, int actor, int line, trace::ActorState status) {
    trace::Event ev;
    ev.tNs = t.now();
    ev.kind = trace::EventKind::StepEnd;
    ev.actor = actorByte(actor);
    ev.line = std::uint16_t(line);
    ev.status.status = std::uint8_t(status);
    t.append(ev);
}

} // namespace sl::engine::record
