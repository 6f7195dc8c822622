// Python's operators, builtins and the probe functions of the .lab language.
#include "engine/interpreter.h"

#include "engine/lang/lang.h"
#include "script/parser.h"
#include "sys/errors.h"

#include <QStringBuilder>
#include <chrono>
#include <cmath>

using namespace sl::script;

namespace sl::engine {

namespace {

// Integers' bitwise operators (POLLIN | POLLOUT, flags & ~O_NONBLOCK, 1 << 16); bool op
// bool stays a bool for | & ^, as in CPython (True | False is True).
Value bitwiseOp(char op, const Value &a, const Value &b) {
    const std::int64_t x = a.i, y = b.i;
    const bool bools = a.type == Value::Type::Bool && b.type == Value::Type::Bool;
    switch (op) {
    case '|':
        return bools ? Value::boolean((x | y) != 0) : Value::integer(x | y);
    case '&':
        return bools ? Value::boolean((x & y) != 0) : Value::integer(x & y);
    case '^':
        return bools ? Value::boolean((x ^ y) != 0) : Value::integer(x ^ y);
    default:
        break;
    }
    if (y < 0)
        lang::raise("ValueError", QStringLiteral("negative shift count"));
    if (op == 'R') // Python's >> floors: -5 >> 1 is -3, as the arithmetic shift gives
        return Value::integer(y >= 63 ? (x < 0 ? -1 : 0) : x >> y);
    if (x == 0)
        return Value::integer(0);
    // x << y overflows when the result does not fit a signed 64-bit integer
    if (y >= 63 || (x > 0 ? x > (INT64_MAX >> y) : x < (INT64_MIN >> y)))
        lang::raise("OverflowError", QStringLiteral("integer too large for the lab"));
    return Value::integer(std::int64_t(std::uint64_t(x) << y));
}

} // namespace

void Interpreter::checkSize(std::int64_t n, const char *what) {
    if (n > MaxBytes)
        raise("LabLimitError",
              QStringLiteral("%L1 bytes for %2 exceed the lab's 1 GiB cap (1,073,741,824 bytes)")
                  .arg(n)
                  .arg(QLatin1String(what)),
              true);
}

// `a + b` for bytes, str, lists and tuples (`conns = conns + [c]`, `[srv] + conns`: how a
// select() loop keeps its list). Shared by `+` and `+=` so both give Python's result.
// A list and a tuple do not mix, as in Python. false when a and b do not concatenate.
bool Interpreter::concat(const Value &a, const Value &b, Value *out) {
    if (a.type == Value::Type::Bytes && b.type == Value::Type::Bytes) {
        checkSize(a.b.size() + b.b.size(), "a bytes object");
        *out = Value::bytes(a.b + b.b);
        return true;
    }
    if (a.type == Value::Type::Str && b.type == Value::Type::Str) {
        *out = Value::str(a.s + b.s);
        return true;
    }
    if (!a.isSequence() || a.type != b.type)
        return false;
    const auto x = a.snapshot(), y = b.snapshot();
    checkItems(x->size() + y->size());
    ValueList items;
    items.reserve(x->size() + y->size());
    items.insert(items.end(), x->begin(), x->end());
    items.insert(items.end(), y->begin(), y->end());
    *out = a.type == Value::Type::List ? Value::list(std::move(items))
                                       : Value::tuple(std::move(items));
    return true;
}

void Interpreter::checkItems(std::size_t n) {
    constexpr std::size_t MaxItems = 1 << 20;
    if (n > MaxItems)
        raise("MemoryError", QStringLiteral("a sequence of more than %1 items").arg(MaxItems),
              true);
}

// `lst += more` extends the list in place, as CPython's list.__iadd__: every name of
// the list sees the new items. false when cur is not a list.
bool Interpreter::extendInPlace(const Value &cur, const Value &more) {
    if (cur.type != Value::Type::List)
        return false;
    const ValueList add = lang::items(more);
    checkItems(cur.count() + add.size());
    cur.obj->mutate([&](ValueList &items) { items.insert(items.end(), add.begin(), add.end()); });
    return true;
}

Value Interpreter::evalBinary(const Expr &e) {
    const Value a = eval(*e.kids.at(0));
    const Value b = eval(*e.kids.at(1));
    return binaryOp(e.op, a, b);
}

Value Interpreter::binaryOp(char op, const Value &a, const Value &b) {
    const QString opText = op == 'f'   ? QStringLiteral("//")
                           : op == 'L' ? QStringLiteral("<<")
                           : op == 'R' ? QStringLiteral(">>")
                                       : QString(QLatin1Char(op));
    auto typeError = [&]() {
        raise("TypeError",
              QStringLiteral("unsupported operand type(s) for %1: '%2' and '%3'")
                  .arg(opText, QLatin1String(a.typeName()), QLatin1String(b.typeName())),
              true);
    };
    const bool aSeq = a.type == Value::Type::Bytes || a.type == Value::Type::Str || a.isSequence();
    const bool bSeq = b.type == Value::Type::Bytes || b.type == Value::Type::Str || b.isSequence();
    if (op == '*' && (aSeq || bSeq)) {
        const Value &data = aSeq ? a : b;
        const Value &count = aSeq ? b : a;
        if (count.type != Value::Type::Int && count.type != Value::Type::Bool)
            raise("TypeError",
                  QStringLiteral("can't multiply sequence by non-int of type '%1'")
                      .arg(QLatin1String(count.typeName())),
                  true);
        const std::int64_t n = std::max<std::int64_t>(0, count.i);
        if (data.type == Value::Type::Bytes || data.type == Value::Type::Str) {
            const std::int64_t unit =
                data.type == Value::Type::Bytes ? data.b.size() : data.s.size() * 2;
            std::int64_t total = 0;
            if (__builtin_mul_overflow(unit, n, &total))
                total = INT64_MAX;
            checkSize(total, data.type == Value::Type::Bytes ? "a bytes object" : "a str");
            return data.type == Value::Type::Bytes ? Value::bytes(data.b.repeated(qsizetype(n)))
                                                   : Value::str(data.s.repeated(qsizetype(n)));
        }
        const auto items = data.snapshot();
        std::int64_t total = 0;
        if (__builtin_mul_overflow(std::int64_t(items->size()), n, &total))
            total = INT64_MAX;
        checkItems(std::size_t(total));
        ValueList out;
        out.reserve(std::size_t(total));
        for (std::int64_t k = 0; k < n; ++k)
            out.insert(out.end(), items->begin(), items->end());
        return data.type == Value::Type::List ? Value::list(std::move(out))
                                              : Value::tuple(std::move(out));
    }
    if (op == '+') {
        Value joined;
        if (concat(a, b, &joined))
            return joined;
        if (a.type == Value::Type::Bytes && b.type == Value::Type::Str)
            raise("TypeError", QStringLiteral("can't concat str to bytes"), true);
        if (a.type == Value::Type::Bytes && bSeq)
            raise("TypeError",
                  QStringLiteral("can't concat %1 to bytes").arg(QLatin1String(b.typeName())),
                  true);
        if (a.type == Value::Type::Str || a.isSequence())
            raise("TypeError",
                  QStringLiteral("can only concatenate %1 (not \"%2\") to %1")
                      .arg(QLatin1String(a.typeName()), QLatin1String(b.typeName())),
                  true);
    }
    if (op == '%' && a.type == Value::Type::Str) // "%05d" % n, "%s:%d" % (host, port)
        return Value::str(lang::percentFormat(a.s, b));
    if (!a.isNumber() || !b.isNumber())
        typeError();
    if (op == '|' || op == '&' || op == '^' || op == 'L' || op == 'R') {
        if (a.type == Value::Type::Float || b.type == Value::Type::Float)
            typeError(); // as CPython: 1.0 | 2 is a TypeError
        return bitwiseOp(op, a, b);
    }
    const bool real = a.type == Value::Type::Float || b.type == Value::Type::Float || op == '/';
    if (real) {
        const double x = a.toDouble(), y = b.toDouble();
        const bool ints = a.type != Value::Type::Float && b.type != Value::Type::Float;
        switch (op) {
        case '+':
            return Value::real(x + y);
        case '-':
            return Value::real(x - y);
        case '*':
            return Value::real(x * y);
        case '/':
            if (y == 0)
                raise("ZeroDivisionError",
                      ints ? QStringLiteral("division by zero")
                           : QStringLiteral("float division by zero"),
                      true);
            return Value::real(x / y);
        case 'f':
            if (y == 0)
                raise("ZeroDivisionError", QStringLiteral("float floor division by zero"), true);
            return Value::real(std::floor(x / y));
        case '%': {
            if (y == 0)
                raise("ZeroDivisionError", QStringLiteral("float modulo"), true);
            double m = std::fmod(x, y);
            if (m != 0 && ((m < 0) != (y < 0)))
                m += y;
            return Value::real(m);
        }
        }
        typeError();
    }
    const std::int64_t x = a.i, y = b.i;
    std::int64_t r = 0;
    switch (op) {
    case '+':
        if (__builtin_add_overflow(x, y, &r))
            raise("OverflowError", QStringLiteral("integer too large for the lab"), true);
        return Value::integer(r);
    case '-':
        if (__builtin_sub_overflow(x, y, &r))
            raise("OverflowError", QStringLiteral("integer too large for the lab"), true);
        return Value::integer(r);
    case '*':
        if (__builtin_mul_overflow(x, y, &r))
            raise("OverflowError", QStringLiteral("integer too large for the lab"), true);
        return Value::integer(r);
    case 'f':
    case '%': {
        if (y == 0)
            raise("ZeroDivisionError",
                  op == 'f' ? QStringLiteral("integer division or modulo by zero")
                            : QStringLiteral("integer modulo by zero"),
                  true);
        if (x == INT64_MIN && y == -1)
            raise("OverflowError", QStringLiteral("integer too large for the lab"), true);
        std::int64_t q = x / y, m = x % y;
        if (m != 0 && ((m < 0) != (y < 0))) { // Python floors
            q -= 1;
            m += y;
        }
        return Value::integer(op == 'f' ? q : m);
    }
    }
    typeError();
    return {};
}

Value Interpreter::evalCompare(const Expr &e) {
    const Value a = eval(*e.kids.at(0));
    const Value b = eval(*e.kids.at(1));
    auto same = [&]() {
        if (a.type != b.type)
            return false;
        if (a.type == Value::Type::List || a.type == Value::Type::Dict)
            return a.obj == b.obj; // identity, as CPython's `is`
        return a.equals(b);
    };
    switch (e.op) {
    case '=':
        return Value::boolean(a.equals(b));
    case '!':
        return Value::boolean(!a.equals(b));
    case 's':
        return Value::boolean(same());
    case 't':
        return Value::boolean(!same());
    case 'i':
        return Value::boolean(lang::contains(b, a));
    case 'n':
        return Value::boolean(!lang::contains(b, a));
    default:
        break;
    }
    const char *opText = e.op == '<' ? "<" : e.op == 'l' ? "<=" : e.op == '>' ? ">" : ">=";
    const int c = lang::compare(a, b, opText);
    switch (e.op) {
    case '<':
        return Value::boolean(c < 0);
    case 'l':
        return Value::boolean(c <= 0);
    case '>':
        return Value::boolean(c > 0);
    case 'g':
        return Value::boolean(c >= 0);
    }
    return Value::boolean(false);
}

Value Interpreter::evalIndex(const Expr &e) {
    const Value obj = eval(*e.kids.at(0));
    if (e.kind == ExprKind::Slice) {
        const Value lo = eval(*e.kids.at(1)), hi = eval(*e.kids.at(2));
        const Value step = e.kids.size() > 3 ? eval(*e.kids[3]) : Value::none();
        return lang::getSlice(obj, lo, hi, step);
    }
    return lang::getItem(obj, eval(*e.kids.at(1)));
}

// A call's argument list, taken from the interpreter's per-level lists and cleared
// (capacity kept) when the call returns or raises: no allocation per call.
struct Interpreter::ArgList {
    Interpreter &in;
    ValueList &items;
    explicit ArgList(Interpreter &i)
        : in(i)
        , items(i.takeArgList()) {}
    ~ArgList() {
        items.clear();
        --in.m_argDepth;
    }
    ArgList(const ArgList &) = delete;
    ArgList &operator=(const ArgList &) = delete;
};

ValueList &Interpreter::takeArgList() {
    if (m_argDepth == m_argLists.size())
        m_argLists.push_back(std::make_unique<ValueList>());
    return *m_argLists[m_argDepth++];
}

namespace {
// An argument built in place: emplace_back(InPlace{…}) lets eval() construct its Value
// straight in the list (the conversion's result is elided into the element), where
// push_back(eval(…)) moved it there and destroyed the moved-from temporary.
template <class F>
struct InPlace {
    F f;
    operator Value() const { return f(); }
};
template <class F>
InPlace(F) -> InPlace<F>;
} // namespace

Value Interpreter::evalCall(const Expr &e) {
    const ArgList list(*this);
    ValueList &args = list.items;
    args.reserve(e.kids.size());
    for (const ExprPtr &k : e.kids)
        args.emplace_back(InPlace{[&] { return eval(*k); }});
    if (!e.call)
        raise("NameError", QStringLiteral("unknown call '%1'").arg(e.name), true);
    switch (e.call->kind) {
    case CallKind::Builtin:
        return evalBuiltin(e, args);
    case CallKind::Probe:
        return evalProbe(e, args);
    default:
        break;
    }
    if (m_actor < 0)
        raise("LabError",
              QStringLiteral("%1() makes a system call: only an actor can do that "
                             "(write `client: %1(…)`)")
                  .arg(e.name),
              true);
    return callFunction(e, args);
}

Value Interpreter::evalMethod(const Expr &e) {
    if (SocketIo io; socketIo(e, &io)) { // `n = s.send(buf)`, `f(c.recv(n))`: fastpaths.cpp
        if (io.send)
            return Value::integer(sendBytes(e, *io.sock, io.data, 0, CallId::Send));
        return doRecv(e, *io.sock, io.n, CallId::Recv);
    }
    // A socket's method on a name (`conn.recv(n)`, `s.send(buf)`) on an actor: only the
    // socket's shared_ptr is copied under the name's lock, not the whole Value. The
    // same checks as below for a Socket value, in the same order.
    if (e.call && m_actor >= 0) {
        if (const int slot = plainSlot(*e.kids.at(0)); slot >= 0) {
            std::shared_ptr<LabSocket> sock;
            if (m_ctx.env.peek(slot, [&sock](const Value &v) {
                    if (v.type != Value::Type::Socket || !v.sock)
                        return false;
                    sock = v.sock;
                    return true;
                })) {
                const ArgList list(*this);
                ValueList &args = list.items;
                args.reserve(e.kids.size());
                for (std::size_t k = 1; k < e.kids.size(); ++k)
                    args.emplace_back(InPlace{[&] { return eval(*e.kids[k]); }});
                if (e.call->id == CallId::Fileno)
                    return Value::integer(sock->fd.load());
                return callSocketMethod(e, *sock, args);
            }
        }
    }
    const Value obj = eval(*e.kids.at(0));
    const ArgList list(*this);
    ValueList &args = list.items;
    args.reserve(e.kids.size());
    for (std::size_t k = 1; k < e.kids.size(); ++k)
        args.emplace_back(InPlace{[&] { return eval(*e.kids[k]); }});
    if (obj.type == Value::Type::Object) // a Python object's method (lang/pycalls.cpp)
        return callObjectMethod(e, obj, args);
    if (lang::hasMethods(obj)) // str, bytes, list, tuple, dict: lang/valuemethods.cpp
        return lang::callMethod(e.name, obj, args, evalKwargs(e));
    if (!e.call) // not in the catalogue: AttributeError, as CPython says it
        return callObjectMethod(e, obj, args);
    if (obj.type == Value::Type::Wire)
        return callWireMethod(e, obj, args); // wirecalls.cpp
    if (obj.type == Value::Type::Bound && obj.boundObj)
        return callBoundMethod(e, obj, args); // bindings/bound.cpp
    if (obj.type != Value::Type::Socket || !obj.sock)
        raise("AttributeError",
              QStringLiteral("'%1' object has no attribute '%2'")
                  .arg(QLatin1String(obj.typeName()), e.name),
              true);
    if (e.call->id == CallId::Fileno) // no system call: the lab knows the number
        return Value::integer(obj.sock->fd.load());
    if (e.call->id == CallId::Gettimeout || e.call->id == CallId::Getblocking)
        return callSocketMethod(e, *obj.sock, args); // no system call either
    if (m_actor < 0)
        raise("LabError",
              QStringLiteral("%1.%2() makes a system call: only an actor can do that")
                  .arg(obj.repr(), e.name),
              true);
    return callSocketMethod(e, *obj.sock, args);
}

Value Interpreter::evalBuiltin(const Expr &e, const ValueList &args) {
    switch (e.call->id) {
    case CallId::Range: { // a list; `for … in range()` does without it (fastpaths.cpp)
        const RangeSpec r = rangeSpec(args);
        ValueList items;
        items.reserve(std::size_t(r.count));
        for (std::int64_t k = 0; k < r.count; ++k)
            items.push_back(Value::integer(r.lo + k * r.step));
        return Value::list(std::move(items));
    }
    case CallId::Bytes: {
        if (args.empty())
            return Value::bytes({});
        const Value &v = args[0];
        if (v.type == Value::Type::Int || v.type == Value::Type::Bool) {
            if (v.i < 0)
                raise("ValueError", QStringLiteral("negative count"), true);
            checkSize(v.i, "a bytes object");
            return Value::bytes(QByteArray(qsizetype(v.i), '\0'));
        }
        if (v.type == Value::Type::Str) {
            if (args.size() < 2)
                raise("TypeError", QStringLiteral("string argument without an encoding"), true);
            return lang::callMethod(QStringLiteral("encode"), v, {args[1]}, {});
        }
        if (args.size() > 1)
            raise("TypeError", QStringLiteral("encoding without a string argument"), true);
        if (v.type == Value::Type::Bytes)
            return v;
        if (v.isSequence()) {
            QByteArray out;
            for (const Value &x : *v.snapshot()) {
                if (x.type != Value::Type::Int && x.type != Value::Type::Bool)
                    raise("TypeError",
                          QStringLiteral("'%1' object cannot be interpreted as an integer")
                              .arg(QLatin1String(x.typeName())),
                          true);
                if (x.i < 0 || x.i > 255)
                    raise("ValueError", QStringLiteral("bytes must be in range(0, 256)"), true);
                out += char(x.i);
            }
            return Value::bytes(out);
        }
        raise(
            "TypeError",
            QStringLiteral("cannot convert '%1' object to bytes").arg(QLatin1String(v.typeName())),
            true);
    }
    case CallId::Monotonic: // time.monotonic(): for throughput measured in the run
        return Value::real(
            std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
                .count());
    default:
        if (Value v; bindingBuiltin(e, args, &v)) // bindings/structmod.cpp
            return v;
        break;
    }
    if (e.name == QLatin1String("print"))
        return doPrint(args, evalKwargs(e));
    // len, int, str, min, max, abs and the Python subset's own (lang/builtins.cpp)
    return lang::callBuiltin(e.name, args, evalKwargs(e));
}

} // namespace sl::engine
