// Fast paths of the loop shapes every lesson and the B1 benchmark run per system call:
// `for i in range(n)`, `while total < n`, `if not data`, `total += len(data)`.
//
// Why: a name read copies the name's Value under its slot lock (another actor may
// assign the name meanwhile, env.cpp), and every copy and temporary Value costs its
// seven members' construct and destroy. These paths read the one scalar they need
// under the same lock instead (Env::peek/modify), so the thread-safety argument is
// the general path's: the lock is held for a few loads, never across a call.
//
// Each path applies only where it gives exactly the general path's result; anything
// else (another type, a def's local, an overflow, a name not assigned yet) answers
// false and the caller evaluates as before, raising the same errors.
#include "engine/interpreter.h"
#include "script/parser.h"

#include <algorithm>

using namespace sl::script;

namespace sl::engine {

Interpreter::RangeSpec Interpreter::rangeSpec(const ValueList &args) {
    auto intArg = [&](std::size_t k) {
        if (k >= args.size() ||
            (args[k].type != Value::Type::Int && args[k].type != Value::Type::Bool))
            raise("TypeError",
                  QStringLiteral("'%1' object cannot be interpreted as an integer")
                      .arg(QLatin1String(k < args.size() ? args[k].typeName() : "NoneType")),
                  true);
        return args[k].i;
    };
    std::int64_t lo = 0, hi = 0, step = 1;
    if (args.size() == 1)
        hi = intArg(0);
    else {
        lo = intArg(0);
        hi = intArg(1);
    }
    if (args.size() == 3)
        step = intArg(2);
    if (step == 0)
        raise("ValueError", QStringLiteral("range() arg 3 must not be zero"), true);
    const std::int64_t count = step > 0 ? std::max<std::int64_t>(0, (hi - lo + step - 1) / step)
                                        : std::max<std::int64_t>(0, (lo - hi - step - 1) / -step);
    if (count > 100'000'000)
        raise("LabLimitError",
              QStringLiteral("range of %L1 items is too long for the lab").arg(count), true);
    return {lo, step, count};
}

bool Interpreter::execForRange(const Stmt &s, Flow *flow) {
    const Expr &call = *s.expr;
    // The conditions under which eval() would reach evalBuiltin()'s range: a call of
    // the catalogue's builtin (a user's def named range has no catalogue entry).
    if (call.kind != ExprKind::Call || !call.call || call.call->kind != CallKind::Builtin ||
        call.call->id != CallId::Range || !call.kwargs.empty())
        return false;
    ValueList args;
    args.reserve(call.kids.size());
    for (const ExprPtr &k : call.kids)
        args.push_back(eval(*k));
    const RangeSpec r = rangeSpec(args);
    const bool plain = s.targetSlots.size() == 1 && !s.complexTarget;
    *flow = Flow::Normal;
    for (std::int64_t k = 0; k < r.count; ++k) {
        const std::int64_t i = r.lo + k * r.step;
        if (!plain)
            bindTarget(s, Value::integer(i)); // `for a, b in …`, or a def's local
        else if (!m_ctx.env.modify(s.targetSlots[0], [i](Value &v) {
                     if (v.type != Value::Type::Int)
                         return false;
                     v.i = i; // an int's other members are empty (Value::integer)
                     return true;
                 }))
            m_ctx.env.set(s.targetSlots[0], Value::integer(i));
        const Flow f = execBlock(s.body);
        if (f == Flow::Return)
            *flow = f;
        if (f == Flow::Break || f == Flow::Return)
            break;
    }
    return true;
}

namespace {
// eval() answers these three before the names (interpreter.cpp). Out of line: the hot
// part of plainSlot() stays small enough to be inlined into this file's fast paths.
[[gnu::noinline]] bool isLabName(const QString &n) {
    return n == QLatin1String("error") || n == QLatin1String("result") ||
           n == QLatin1String("exception");
}

// plainSlot() for this file's fast paths, inlined into each (GCC kept the member
// function out of line: a call per name read).
[[gnu::always_inline]] inline int plainSlotOf(const Expr &e, bool inDef) {
    if (e.kind != ExprKind::Name || e.slot < 0 || (e.local >= 0 && inDef))
        return -1;
    const qsizetype n = e.name.size(); // "error", "result", "exception"
    if ((n == 5 || n == 6 || n == 9) && (e.name.at(0) == u'e' || e.name.at(0) == u'r') &&
        isLabName(e.name))
        return -1;
    return e.slot;
}
} // namespace

int Interpreter::plainSlot(const Expr &e) const {
    return plainSlotOf(e, m_frame != nullptr);
}

bool Interpreter::intOperand(const Expr &e, std::int64_t *out) {
    switch (e.kind) {
    case ExprKind::Int:
    case ExprKind::Const:
        *out = e.i;
        return true;
    case ExprKind::Name: {
        const int slot = plainSlotOf(e, m_frame != nullptr);
        return slot >= 0 && m_ctx.env.peek(slot, [out](const Value &v) {
            if (v.type != Value::Type::Int)
                return false;
            *out = v.i;
            return true;
        });
    }
    case ExprKind::Call: { // len(name) of bytes: lang::length() is b.size()
        if (!e.call || e.call->kind != CallKind::Builtin || e.call->id != CallId::Len ||
            e.kids.size() != 1 || !e.kwargs.empty())
            return false;
        const int slot = plainSlotOf(*e.kids[0], m_frame != nullptr);
        return slot >= 0 && m_ctx.env.peek(slot, [out](const Value &v) {
            if (v.type != Value::Type::Bytes)
                return false;
            *out = v.b.size();
            return true;
        });
    }
    default:
        return false;
    }
}

bool Interpreter::condition(const Expr &e) {
    if (e.kind == ExprKind::Compare && e.kids.size() == 2) {
        std::int64_t a = 0, b = 0;
        if (intOperand(*e.kids[0], &a) && intOperand(*e.kids[1], &b)) {
            switch (e.op) { // as evalCompare(): equals() and lang::compare() of two ints
            case '=':
                return a == b;
            case '!':
                return a != b;
            case '<':
                return a < b;
            case 'l':
                return a <= b;
            case '>':
                return a > b;
            case 'g':
                return a >= b;
            default:
                break;
            }
        }
    }
    const bool negate = e.kind == ExprKind::Unary && e.op == '!' && e.kids.size() == 1;
    const Expr &named = negate ? *e.kids[0] : e;
    if (const int slot = plainSlotOf(named, m_frame != nullptr); slot >= 0) {
        bool truth = false;
        // Only the types whose truth is a field test (a list's count takes its box's
        // lock; an object's may run its __bool__).
        if (m_ctx.env.peek(slot, [&truth](const Value &v) {
                switch (v.type) {
                case Value::Type::None:
                case Value::Type::Bool:
                case Value::Type::Int:
                case Value::Type::Float:
                case Value::Type::Str:
                case Value::Type::Bytes:
                    truth = v.truthy();
                    return true;
                default:
                    return false;
                }
            }))
            return negate ? !truth : truth;
    }
    return eval(e).truthy();
}

bool Interpreter::augIntInPlace(const Stmt &s) {
    if (s.complexTarget || s.targetSlots.size() != 1 || (s.op != '+' && s.op != '-'))
        return false;
    std::int64_t d = 0;
    if (!intOperand(*s.expr, &d))
        return false;
    const bool add = s.op == '+';
    return m_ctx.env.modify(s.targetSlots[0], [d, add](Value &v) {
        if (v.type != Value::Type::Int)
            return false;
        std::int64_t r = 0;
        if (add ? __builtin_add_overflow(v.i, d, &r) : __builtin_sub_overflow(v.i, d, &r))
            return false;
        v.i = r;
        return true;
    });
}

// The LabSocket is used through a plain pointer: the SocketTable holds every LabSocket
// until clear(), which runs only once no actor runs (sockettable.h), so the socket
// outlives this call even if another actor rebinds the name meanwhile.
bool Interpreter::socketIo(const Expr &e, SocketIo *io) {
    if (e.kind != ExprKind::Method || !e.call || m_actor < 0 || e.kids.size() != 2 ||
        !e.kwargs.empty())
        return false;
    const CallId id = e.call->id;
    if (id != CallId::Send && id != CallId::Recv)
        return false;
    const int slot = plainSlotOf(*e.kids[0], m_frame != nullptr);
    if (slot < 0 || !m_ctx.env.peek(slot, [io](const Value &v) {
            if (v.type != Value::Type::Socket || !v.sock)
                return false;
            io->sock = v.sock.get();
            return true;
        }))
        return false;
    const Expr &arg = *e.kids[1];
    if (id == CallId::Send) { // callSocketMethod()'s needBytes(0)
        if (arg.kind == ExprKind::Bytes)
            io->data = arg.bytes;
        else if (const int a = plainSlotOf(arg, m_frame != nullptr);
                 a < 0 || !m_ctx.env.peek(a, [io](const Value &v) {
                     if (v.type != Value::Type::Bytes)
                         return false;
                     io->data = v.b; // a reference count, as the argument's Value took
                     return true;
                 }))
            return false;
    } else { // needCount(0): an int, not negative, within checkSize()'s cap
        if (!intOperand(arg, &io->n) || io->n < 0 || io->n > MaxBytes)
            return false;
    }
    // A closed socket: the general path records the failed call and raises EBADF.
    if (io->sock->fd.load() < 0)
        return false;
    io->send = id == CallId::Send;
    return true;
}

bool Interpreter::execSocketIo(const Stmt &s) {
    const bool binds = s.kind == StmtKind::Assign;
    if (binds && (s.complexTarget || s.targetSlots.size() != 1))
        return false; // a def's local, `a, b = …`, `self.x = …`
    SocketIo io;
    if (!socketIo(*s.expr, &io))
        return false;
    // No m_pendingNames: send() and recv() create no socket to name.
    if (io.send) {
        const std::int64_t n = sendBytes(*s.expr, *io.sock, io.data, 0, CallId::Send);
        if (binds)
            m_ctx.env.set(s.targetSlots[0], Value::integer(n));
        return true;
    }
    const QByteArray &got = recvBytes(*s.expr, *io.sock, io.n, CallId::Recv);
    if (binds) {
        // A name already holding bytes takes the new ones in place (a Bytes Value has
        // no other member: Value::bytes()); its old bytes are released after the lock.
        QByteArray b = got;
        if (!m_ctx.env.modify(s.targetSlots[0], [&b](Value &v) {
                if (v.type != Value::Type::Bytes)
                    return false;
                v.b.swap(b);
                return true;
            }))
            m_ctx.env.set(s.targetSlots[0], Value::bytes(b));
    }
    m_recvBig = QByteArray(); // a big buffer is the script's alone (doRecv())
    return true;
}

} // namespace sl::engine
