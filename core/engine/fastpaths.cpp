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

int Interpreter::plainSlot(const Expr &e) const {
    if (e.kind != ExprKind::Name || e.slot < 0 || (e.local >= 0 && m_frame))
        return -1;
    // eval() answers these three before the names (interpreter.cpp)
    const QChar c0 = e.name.isEmpty() ? QChar() : e.name.front();
    if ((c0 == u'e' || c0 == u'r') &&
        (e.name == QLatin1String("error") || e.name == QLatin1String("result") ||
         e.name == QLatin1String("exception")))
        return -1;
    return e.slot;
}

bool Interpreter::intOperand(const Expr &e, std::int64_t *out) {
    switch (e.kind) {
    case ExprKind::Int:
    case ExprKind::Const:
        *out = e.i;
        return true;
    case ExprKind::Name: {
        const int slot = plainSlot(e);
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
        const int slot = plainSlot(*e.kids[0]);
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
    if (const int slot = plainSlot(named); slot >= 0) {
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

} // namespace sl::engine
