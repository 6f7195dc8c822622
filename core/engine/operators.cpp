// Python's operators, builtins and the probe functions of the .lab language.
#include "engine/interpreter.h"

#include "script/parser.h"
#include "sys/errors.h"

#include <QStringBuilder>
#include <chrono>
#include <cmath>

using namespace sl::script;

namespace sl::engine {

void Interpreter::checkSize(std::int64_t n, const char *what) {
    if (n > MaxBytes)
        raise("LabLimitError",
              QStringLiteral("%L1 bytes for %2 exceed the lab's 1 GiB cap (1,073,741,824 bytes)")
                  .arg(n)
                  .arg(QLatin1String(what)),
              true);
}

static std::int64_t normIndex(std::int64_t i, std::int64_t n) {
    if (i < 0)
        i += n;
    return std::clamp<std::int64_t>(i, 0, n);
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
    const ValueList &x = a.seq(), &y = b.seq();
    constexpr std::size_t MaxItems = 1 << 20;
    if (x.size() + y.size() > MaxItems)
        raise("MemoryError", QStringLiteral("a sequence of more than %1 items").arg(MaxItems),
              true);
    ValueList items;
    items.reserve(x.size() + y.size());
    items.insert(items.end(), x.begin(), x.end());
    items.insert(items.end(), y.begin(), y.end());
    *out = a.type == Value::Type::List ? Value::list(std::move(items))
                                       : Value::tuple(std::move(items));
    return true;
}

Value Interpreter::evalBinary(const Expr &e) {
    const Value a = eval(*e.kids.at(0));
    const Value b = eval(*e.kids.at(1));
    auto typeError = [&]() {
        raise("TypeError",
              QStringLiteral("unsupported operand types for %1: '%2' and '%3'")
                  .arg(e.op == 'f' ? QStringLiteral("//") : QString(QLatin1Char(e.op)),
                       QLatin1String(a.typeName()), QLatin1String(b.typeName())),
              true);
    };
    if (e.op == '*' && (a.type == Value::Type::Bytes || b.type == Value::Type::Bytes)) {
        const Value &data = a.type == Value::Type::Bytes ? a : b;
        const Value &count = a.type == Value::Type::Bytes ? b : a;
        if (count.type != Value::Type::Int && count.type != Value::Type::Bool)
            typeError();
        const std::int64_t n = std::max<std::int64_t>(0, count.i);
        std::int64_t total = 0;
        if (__builtin_mul_overflow(std::int64_t(data.b.size()), n, &total))
            total = INT64_MAX;
        checkSize(total, "a bytes object");
        return Value::bytes(data.b.repeated(qsizetype(n)));
    }
    if (e.op == '+') {
        Value joined;
        if (concat(a, b, &joined))
            return joined;
    }
    if (e.op == '%' && a.type == Value::Type::Str) {
        // "%05d" % n, as the HOWTO's length prefix would be written
        QString fmt = a.s;
        const QByteArray spec = fmt.toLatin1();
        char buf[64];
        if (b.type == Value::Type::Int)
            std::snprintf(buf, sizeof buf, spec.constData(), static_cast<long long>(b.i));
        else
            typeError();
        return Value::str(QString::fromLatin1(buf));
    }
    if (!a.isNumber() || !b.isNumber())
        typeError();
    const bool real = a.type == Value::Type::Float || b.type == Value::Type::Float || e.op == '/';
    if (real) {
        const double x = a.toDouble(), y = b.toDouble();
        switch (e.op) {
        case '+':
            return Value::real(x + y);
        case '-':
            return Value::real(x - y);
        case '*':
            return Value::real(x * y);
        case '/':
            if (y == 0)
                raise("ZeroDivisionError", QStringLiteral("division by zero"), true);
            return Value::real(x / y);
        case 'f':
            if (y == 0)
                raise("ZeroDivisionError", QStringLiteral("division by zero"), true);
            return Value::real(std::floor(x / y));
        case '%':
            if (y == 0)
                raise("ZeroDivisionError", QStringLiteral("modulo by zero"), true);
            return Value::real(x - std::floor(x / y) * y);
        }
        typeError();
    }
    const std::int64_t x = a.i, y = b.i;
    std::int64_t r = 0;
    switch (e.op) {
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
            raise("ZeroDivisionError", QStringLiteral("integer division or modulo by zero"), true);
        if (x == INT64_MIN && y == -1)
            raise("OverflowError", QStringLiteral("integer too large for the lab"), true);
        std::int64_t q = x / y, m = x % y;
        if (m != 0 && ((m < 0) != (y < 0))) { // Python floors
            q -= 1;
            m += y;
        }
        return Value::integer(e.op == 'f' ? q : m);
    }
    }
    typeError();
    return {};
}

static bool contains(const Value &hay, const Value &needle) {
    if (hay.type == Value::Type::Bytes && needle.type == Value::Type::Bytes)
        return hay.b.contains(needle.b);
    if (hay.type == Value::Type::Str && needle.type == Value::Type::Str)
        return hay.s.contains(needle.s);
    for (const Value &v : hay.seq())
        if (v.equals(needle))
            return true;
    return false;
}

Value Interpreter::evalCompare(const Expr &e) {
    const Value a = eval(*e.kids.at(0));
    const Value b = eval(*e.kids.at(1));
    switch (e.op) {
    case '=':
        return Value::boolean(a.equals(b));
    case '!':
        return Value::boolean(!a.equals(b));
    case 's':
        return Value::boolean(a.equals(b) && (a.type == b.type));
    case 't':
        return Value::boolean(!(a.equals(b) && (a.type == b.type)));
    case 'i':
        return Value::boolean(contains(b, a));
    case 'n':
        return Value::boolean(!contains(b, a));
    default:
        break;
    }
    int c = 0;
    if (a.isNumber() && b.isNumber()) {
        if (a.type == Value::Type::Float || b.type == Value::Type::Float)
            c = a.toDouble() < b.toDouble() ? -1 : (a.toDouble() > b.toDouble() ? 1 : 0);
        else
            c = a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
    } else if (a.type == Value::Type::Str && b.type == Value::Type::Str) {
        c = a.s.compare(b.s);
    } else if (a.type == Value::Type::Bytes && b.type == Value::Type::Bytes) {
        c = a.b.compare(b.b);
    } else {
        raise("TypeError",
              QStringLiteral("'%1' not supported between '%2' and '%3'")
                  .arg(e.op == '<' ? QStringLiteral("<") : QStringLiteral(">"),
                       QLatin1String(a.typeName()), QLatin1String(b.typeName())),
              true);
    }
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
    std::int64_t n = 0;
    if (obj.type == Value::Type::Bytes)
        n = obj.b.size();
    else if (obj.type == Value::Type::Str)
        n = obj.s.size();
    else if (obj.isSequence())
        n = std::int64_t(obj.seq().size());
    else
        raise("TypeError",
              QStringLiteral("'%1' object is not subscriptable").arg(QLatin1String(obj.typeName())),
              true);
    if (e.kind == ExprKind::Slice) {
        auto bound = [&](const Expr &k, std::int64_t dflt) {
            if (k.kind == ExprKind::None)
                return dflt;
            const Value v = eval(k);
            if (v.type != Value::Type::Int)
                raise("TypeError", QStringLiteral("slice indices must be integers"), true);
            return normIndex(v.i, n);
        };
        const std::int64_t lo = bound(*e.kids.at(1), 0);
        const std::int64_t hi = std::max(lo, bound(*e.kids.at(2), n));
        if (obj.type == Value::Type::Bytes)
            return Value::bytes(obj.b.mid(lo, hi - lo));
        if (obj.type == Value::Type::Str)
            return Value::str(obj.s.mid(lo, hi - lo));
        ValueList part(obj.seq().begin() + lo, obj.seq().begin() + hi);
        return obj.type == Value::Type::Tuple ? Value::tuple(std::move(part))
                                              : Value::list(std::move(part));
    }
    const Value idx = eval(*e.kids.at(1));
    if (idx.type != Value::Type::Int)
        raise("TypeError", QStringLiteral("indices must be integers"), true);
    const std::int64_t k = idx.i < 0 ? idx.i + n : idx.i;
    if (k < 0 || k >= n)
        raise("IndexError", QStringLiteral("index %1 out of range").arg(idx.i), true);
    if (obj.type == Value::Type::Bytes)
        return Value::integer(static_cast<unsigned char>(obj.b.at(qsizetype(k))));
    if (obj.type == Value::Type::Str)
        return Value::str(obj.s.mid(k, 1));
    return obj.seq()[std::size_t(k)];
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

Value Interpreter::evalCall(const Expr &e) {
    const ArgList list(*this);
    ValueList &args = list.items;
    args.reserve(e.kids.size());
    for (const ExprPtr &k : e.kids)
        args.push_back(eval(*k));
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
    const Value obj = eval(*e.kids.at(0));
    const ArgList list(*this);
    ValueList &args = list.items;
    args.reserve(e.kids.size());
    for (std::size_t k = 1; k < e.kids.size(); ++k)
        args.push_back(eval(*e.kids[k]));
    if (!e.call)
        raise("AttributeError", QStringLiteral("no method '%1'").arg(e.name), true);
    if (e.call->id == CallId::Decode) {
        if (obj.type != Value::Type::Bytes)
            raise("AttributeError",
                  QStringLiteral("'%1' object has no attribute 'decode'")
                      .arg(QLatin1String(obj.typeName())),
                  true);
        return Value::str(QString::fromUtf8(obj.b));
    }
    if (e.call->id == CallId::Encode) {
        if (obj.type != Value::Type::Str)
            raise("AttributeError",
                  QStringLiteral("'%1' object has no attribute 'encode'")
                      .arg(QLatin1String(obj.typeName())),
                  true);
        return Value::bytes(obj.s.toUtf8());
    }
    if (obj.type == Value::Type::Wire)
        return callWireMethod(e, obj, args); // wirecalls.cpp
    if (obj.type == Value::Type::Bound && obj.obj)
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
    auto intArg = [&](std::size_t k) {
        if (k >= args.size() ||
            (args[k].type != Value::Type::Int && args[k].type != Value::Type::Bool))
            raise("TypeError", QStringLiteral("%1() needs an integer argument").arg(e.name), true);
        return args[k].i;
    };
    switch (e.call->id) {
    case CallId::Len: {
        const Value &v = args.at(0);
        if (v.type == Value::Type::Bytes)
            return Value::integer(v.b.size());
        if (v.type == Value::Type::Str)
            return Value::integer(v.s.size());
        if (v.isSequence())
            return Value::integer(std::int64_t(v.seq().size()));
        raise("TypeError",
              QStringLiteral("object of type '%1' has no len()").arg(QLatin1String(v.typeName())),
              true);
    }
    case CallId::Range: {
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
        const std::int64_t count = step > 0
                                       ? std::max<std::int64_t>(0, (hi - lo + step - 1) / step)
                                       : std::max<std::int64_t>(0, (lo - hi - step - 1) / -step);
        if (count > 100'000'000)
            raise("LabLimitError",
                  QStringLiteral("range of %L1 items is too long for the lab").arg(count), true);
        ValueList items;
        items.reserve(std::size_t(count));
        for (std::int64_t k = 0; k < count; ++k)
            items.push_back(Value::integer(lo + k * step));
        return Value::list(std::move(items));
    }
    case CallId::Int: {
        const Value &v = args.at(0);
        if (v.type == Value::Type::Int || v.type == Value::Type::Bool)
            return Value::integer(v.i);
        if (v.type == Value::Type::Float)
            return Value::integer(std::int64_t(v.f));
        bool ok = false;
        const QString text = v.type == Value::Type::Bytes ? QString::fromLatin1(v.b) : v.s;
        const std::int64_t r = text.trimmed().toLongLong(&ok);
        if (!ok)
            raise("ValueError", QStringLiteral("invalid literal for int(): %1").arg(v.repr()),
                  true);
        return Value::integer(r);
    }
    case CallId::Str:
        return Value::str(args.empty() ? QString() : args[0].display());
    case CallId::Bytes:
        if (args.empty())
            return Value::bytes({});
        if (args[0].type == Value::Type::Int) {
            checkSize(args[0].i, "a bytes object");
            return Value::bytes(QByteArray(qsizetype(std::max<std::int64_t>(0, args[0].i)), '\0'));
        }
        if (args[0].type == Value::Type::Str)
            return Value::bytes(args[0].s.toUtf8());
        if (args[0].type == Value::Type::Bytes)
            return args[0];
        raise("TypeError",
              QStringLiteral("cannot make bytes from %1").arg(QLatin1String(args[0].typeName())),
              true);
    case CallId::Min:
    case CallId::Max: {
        const ValueList &pool = args.size() == 1 ? args[0].seq() : args;
        if (pool.empty())
            raise("ValueError", QStringLiteral("%1() of an empty sequence").arg(e.name), true);
        Value best = pool[0];
        for (const Value &v : pool) {
            if (!v.isNumber())
                raise("TypeError", QStringLiteral("%1() needs numbers").arg(e.name), true);
            if (e.call->id == CallId::Min ? v.toDouble() < best.toDouble()
                                          : v.toDouble() > best.toDouble())
                best = v;
        }
        return best;
    }
    case CallId::Monotonic: // time.monotonic(): for throughput measured in the run
        return Value::real(
            std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
                .count());
    case CallId::Abs: {
        const Value &v = args.at(0);
        if (v.type == Value::Type::Float)
            return Value::real(std::fabs(v.f));
        return Value::integer(v.i < 0 ? -v.i : v.i);
    }
    default:
        if (Value v; bindingBuiltin(e, args, &v)) // bindings/structmod.cpp
            return v;
        break;
    }
    raise("NameError", QStringLiteral("unknown builtin '%1'").arg(e.name), true);
}

} // namespace sl::engine
