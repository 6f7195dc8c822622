// The script's side of the Wire: Wire(...), wire.cut() / resume() / reset() /
// close() / address(), and the probe held(wire). See wire.h for the relay itself.
#include "engine/interpreter.h"
#include "engine/wire.h"

#include <QStringBuilder>

using namespace sl::script;

namespace sl::engine {

Value Value::wire(int index) {
    Value r;
    r.type = Type::Wire;
    r.i = index;
    return r;
}

Value Interpreter::doWire(const Expr &e, const ValueList &args) {
    // Wire(target, chunk=65536, delay=0, rate=0): positional or keyword, as in Python.
    static const char *const names[] = {"target", "chunk", "delay", "rate"};
    Value given[4];
    bool have[4] = {false, false, false, false};
    for (std::size_t k = 0; k < args.size() && k < 4; ++k) {
        given[k] = args[k];
        have[k] = true;
    }
    for (const auto &kw : e.kwargs) {
        int k = 0;
        while (k < 4 && kw.first != QLatin1String(names[k]))
            ++k;
        if (k == 4)
            raise("TypeError",
                  QStringLiteral("Wire() got an unexpected keyword argument '%1' (it takes "
                                 "target, chunk, delay, rate)")
                      .arg(kw.first),
                  true);
        if (have[k])
            raise("TypeError",
                  QStringLiteral("Wire() got multiple values for argument '%1'").arg(kw.first),
                  true);
        given[k] = eval(*kw.second);
        have[k] = true;
    }
    if (!have[0])
        raise("TypeError",
              QStringLiteral("Wire() needs target=(host, port): the address it forwards to, "
                             "e.g. Wire(target=srv.getsockname())"),
              true);
    WireOptions o;
    o.target = addressArg(given[0], AF_INET, "Wire");
    if (have[1]) {
        // The relay reads into a buffer of this size for every forward: 1 MiB at most.
        if (given[1].type != Value::Type::Int || given[1].i < 1 || given[1].i > (1 << 20))
            raise("ValueError",
                  QStringLiteral("Wire(): chunk must be a byte count from 1 to 1,048,576"), true);
        o.chunk = given[1].i;
    }
    auto seconds = [&](int k, double max, const char *what) {
        if (!have[k] || given[k].isNone())
            return 0.0;
        if (!given[k].isNumber() || given[k].toDouble() < 0 || given[k].toDouble() > max)
            raise("ValueError",
                  QStringLiteral("Wire(): %1 must be a number from 0 to %2")
                      .arg(QLatin1String(what))
                      .arg(max),
                  true);
        return given[k].toDouble();
    };
    o.delay = seconds(2, 60, "delay (seconds)");
    o.rate = seconds(3, 1e12, "rate (bytes per second)");

    // The wire is named after the variable it is bound to ("w"); its sockets are
    // "w.listener", "w.c1" (facing the client) and "w.t1" (facing the target). It
    // records in this actor's lane: this actor is the relay.
    const QString name = m_pendingNames.isEmpty() ? QStringLiteral("wire") : m_pendingNames.first();
    CallMark m = begin(CallId::Wire, &e, nullptr, -1);
    int err = 0;
    const int index = m_ctx.wires.create(m_ctx, m_actor, name, o, &err);
    end(m, index, index < 0 ? err : 0, -1);
    if (index < 0 && err == EBUSY)
        raise("LabPolicyError",
              QStringLiteral("this actor already relays a Wire: the wire's thread records its "
                             "calls in its creator's lane, so give each Wire its own actor "
                             "(e.g. `wire2: w2 = Wire(…)`)"),
              false);
    if (index < 0)
        raiseErrno(err, nullptr, QStringLiteral("the wire could not listen"));
    return Value::wire(index);
}

std::shared_ptr<Wire> Interpreter::wireArg(const Value &v, const char *what) {
    if (v.type != Value::Type::Wire)
        raise("TypeError",
              QStringLiteral("%1 takes a Wire, got %2")
                  .arg(QLatin1String(what), QLatin1String(v.typeName())),
              true);
    auto w = m_ctx.wires.get(v.i);
    if (!w)
        raise("ValueError", QStringLiteral("this Wire is gone (the lab was reset)"), true);
    return w;
}

Value Interpreter::callWireMethod(const Expr &e, const Value &obj, const ValueList &) {
    auto w = wireArg(obj, "a wire method");
    const CallId id = e.call->id;
    if (id == CallId::WireAddress) // the wire knows its address: no system call
        return address(w->address());
    if (id != CallId::WireCut && id != CallId::WireResume && id != CallId::WireReset &&
        id != CallId::Close)
        raise("AttributeError", QStringLiteral("'Wire' object has no attribute '%1'").arg(e.name),
              true);
    if (m_actor < 0)
        raise("LabError",
              QStringLiteral("%1.%2() changes the experiment: only an actor can do that "
                             "(write `relay: %1.%2()`)")
                  .arg(w->name(), e.name),
              true);
    const WireCommand c = id == CallId::WireCut      ? WireCommand::Cut
                          : id == CallId::WireResume ? WireCommand::Resume
                          : id == CallId::WireReset  ? WireCommand::Reset
                                                     : WireCommand::Close;
    if (w->actor() == m_actor) {
        // The relay's own actor: the wire's thread records the call in the lane it
        // writes, with what it does nested inside (one writer per lane).
        w->control(c, true, int(id), m_line, argsRef(&e));
    } else {
        CallMark m = begin(id, &e, nullptr, -1);
        w->control(c);
        end(m, 0, 0, -1);
    }
    m_ctx.sockets.probeAll();
    return Value::none();
}

Value Interpreter::wireHeld(const ValueList &args) {
    return Value::integer(wireArg(args.at(0), "held()")->held());
}

} // namespace sl::engine
