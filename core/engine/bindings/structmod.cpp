// struct.pack/unpack/calcsize and socket.htons/ntohs/htonl/ntohl, as CPython 3.11's
// _struct and socket modules do them on this (little-endian, LP64) machine: the same
// sizes, alignment (native mode only), byte orders and struct.error messages. Pure:
// no system call, so they run on the lab's thread too (say "{pack('!I', n)}").
#include "engine/interpreter.h"

#include <QtEndian>
#include <cstring>

using namespace sl::script;

namespace sl::engine {

namespace {

[[noreturn]] void structError(const QString &message) {
    throw ScriptException{QStringLiteral("struct.error"), message, 0, true};
}

[[noreturn]] void typeError(const QString &message) {
    throw ScriptException{QStringLiteral("TypeError"), message, 0, true};
}

enum class Order { Native, NativeStd, Little, Big }; // '@', '=', '<', '>' or '!'

struct Item {
    char code = 0;
    int count = 1;  // repeat count, or the length of 's'
    int size = 0;   // bytes of one value
    int offset = 0; // where the first value starts
};

struct Format {
    Order order = Order::Native;
    std::vector<Item> items;
    int size = 0;
    int values = 0; // arguments pack() takes, values unpack() returns
};

bool standard(Order o) {
    return o != Order::Native;
}

int sizeOf(char c, Order o) {
    switch (c) {
    case 'x':
    case 'c':
    case 'b':
    case 'B':
    case '?':
    case 's':
        return 1;
    case 'h':
    case 'H':
        return 2;
    case 'i':
    case 'I':
    case 'f':
        return 4;
    case 'l':
    case 'L':
        return standard(o) ? 4 : 8;
    case 'q':
    case 'Q':
    case 'd':
        return 8;
    default:
        return 0;
    }
}

Format parseFormat(const Value &fmt) {
    QByteArray text;
    if (fmt.type == Value::Type::Str)
        text = fmt.s.toLatin1();
    else if (fmt.type == Value::Type::Bytes)
        text = fmt.b;
    else
        typeError(QStringLiteral("Struct() argument 1 must be a str or bytes object, not %1")
                      .arg(QLatin1String(fmt.typeName())));
    Format f;
    int k = 0;
    if (!text.isEmpty()) {
        switch (text[0]) {
        case '@':
            k = 1;
            break;
        case '=':
            f.order = Order::NativeStd;
            k = 1;
            break;
        case '<':
            f.order = Order::Little;
            k = 1;
            break;
        case '>':
        case '!':
            f.order = Order::Big;
            k = 1;
            break;
        default:
            break;
        }
    }
    for (; k < text.size(); ++k) {
        char c = text[k];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        Item it;
        if (c >= '0' && c <= '9') {
            std::int64_t n = 0;
            while (k < text.size() && text[k] >= '0' && text[k] <= '9') {
                n = n * 10 + (text[k] - '0');
                if (n > (1 << 30))
                    structError(QStringLiteral("total struct size too long"));
                ++k;
            }
            if (k >= text.size())
                structError(QStringLiteral("repeat count given without format specifier"));
            c = text[k];
            it.count = int(n);
        }
        it.code = c;
        it.size = sizeOf(c, f.order);
        if (it.size == 0)
            structError(QStringLiteral("bad char in struct format"));
        if (!standard(f.order) && c != 's' && c != 'x') // native mode aligns each value
            f.size = (f.size + it.size - 1) / it.size * it.size;
        it.offset = f.size;
        f.size += c == 's' ? it.count : it.size * it.count;
        if (f.size > (1 << 30))
            structError(QStringLiteral("total struct size too long"));
        f.values += c == 'x' ? 0 : c == 's' ? 1 : it.count;
        f.items.push_back(it);
    }
    return f;
}

void putInt(char *p, std::uint64_t v, int size, Order o) {
    const bool big = o == Order::Big;
    for (int b = 0; b < size; ++b)
        p[big ? size - 1 - b : b] = char((v >> (8 * b)) & 0xff);
}

std::uint64_t getInt(const char *p, int size, Order o) {
    const bool big = o == Order::Big;
    std::uint64_t v = 0;
    for (int b = 0; b < size; ++b)
        v |= std::uint64_t(std::uint8_t(p[big ? size - 1 - b : b])) << (8 * b);
    return v;
}

// The range check and its message, as CPython 3.11 words it per code and mode.
void checkRange(char c, std::int64_t v, Order o) {
    const bool stdBig = o == Order::Big;
    const bool nativeTable = o != Order::Big; // '@', '=', '<' share the native wording
    auto need = [&](std::int64_t lo, std::int64_t hi, const QString &what) {
        if (v < lo || v > hi)
            structError(
                QStringLiteral("%1 format requires %2 <= number <= %3").arg(what).arg(lo).arg(hi));
    };
    switch (c) {
    case 'b':
        return need(-128, 127, QStringLiteral("byte"));
    case 'B':
        return need(0, 255, QStringLiteral("ubyte"));
    case 'h':
        return need(-32768, 32767, nativeTable ? QStringLiteral("short") : QStringLiteral("'h'"));
    case 'H':
        if (nativeTable)
            return need(0, 65535, QStringLiteral("ushort"));
        if (v < 0)
            structError(QStringLiteral("argument out of range"));
        return need(0, 65535, QStringLiteral("'H'"));
    case 'i':
        return need(INT32_MIN, INT32_MAX, QStringLiteral("'i'"));
    case 'l':
        if (standard(o))
            need(INT32_MIN, INT32_MAX, QStringLiteral("'l'"));
        return;
    case 'I':
    case 'L':
        if (v < 0)
            structError(QStringLiteral("argument out of range"));
        if (c == 'I' || standard(o))
            need(0, UINT32_MAX, QStringLiteral("'%1'").arg(QLatin1Char(c)));
        return;
    case 'Q':
        if (v < 0)
            structError(stdBig ? QStringLiteral("int too large to convert")
                               : QStringLiteral("argument out of range"));
        return;
    default:
        return;
    }
}

QByteArray pack(const Format &f, const ValueList &args, std::size_t first) {
    const std::size_t given = args.size() - first;
    if (given != std::size_t(f.values))
        structError(
            QStringLiteral("pack expected %1 items for packing (got %2)").arg(f.values).arg(given));
    QByteArray out(f.size, '\0');
    std::size_t a = first;
    for (const Item &it : f.items) {
        char *p = out.data() + it.offset;
        if (it.code == 'x')
            continue;
        if (it.code == 's') {
            const Value &v = args[a++];
            if (v.type != Value::Type::Bytes)
                structError(QStringLiteral("argument for 's' must be a bytes object"));
            std::memcpy(p, v.b.constData(), std::size_t(std::min<qsizetype>(v.b.size(), it.count)));
            continue;
        }
        for (int n = 0; n < it.count; ++n, p += it.size) {
            const Value &v = args[a++];
            switch (it.code) {
            case 'c':
                if (v.type != Value::Type::Bytes || v.b.size() != 1)
                    structError(QStringLiteral("char format requires a bytes object of length 1"));
                *p = v.b[0];
                break;
            case '?':
                *p = v.truthy() ? 1 : 0;
                break;
            case 'f':
            case 'd': {
                if (!v.isNumber())
                    structError(QStringLiteral("required argument is not a float"));
                std::uint64_t bits = 0;
                if (it.code == 'f') {
                    const float x = float(v.toDouble());
                    std::uint32_t b32;
                    std::memcpy(&b32, &x, 4);
                    bits = b32;
                } else {
                    const double x = v.toDouble();
                    std::memcpy(&bits, &x, 8);
                }
                putInt(p, bits, it.size, f.order);
                break;
            }
            default:
                if (v.type != Value::Type::Int && v.type != Value::Type::Bool)
                    structError(QStringLiteral("required argument is not an integer"));
                checkRange(it.code, v.i, f.order);
                putInt(p, std::uint64_t(v.i), it.size, f.order);
            }
        }
    }
    return out;
}

Value unpack(const Format &f, const Value &data) {
    if (data.type != Value::Type::Bytes)
        typeError(QStringLiteral("a bytes-like object is required, not '%1'")
                      .arg(QLatin1String(data.typeName())));
    if (data.b.size() != f.size)
        structError(QStringLiteral("unpack requires a buffer of %1 bytes").arg(f.size));
    ValueList out;
    out.reserve(std::size_t(f.values));
    for (const Item &it : f.items) {
        const char *p = data.b.constData() + it.offset;
        if (it.code == 'x')
            continue;
        if (it.code == 's') {
            out.push_back(Value::bytes(QByteArray(p, it.count)));
            continue;
        }
        for (int n = 0; n < it.count; ++n, p += it.size) {
            const std::uint64_t u = getInt(p, it.size, f.order);
            switch (it.code) {
            case 'c':
                out.push_back(Value::bytes(QByteArray(p, 1)));
                break;
            case '?':
                out.push_back(Value::boolean(u != 0));
                break;
            case 'f': {
                const std::uint32_t b32 = std::uint32_t(u);
                float x;
                std::memcpy(&x, &b32, 4);
                out.push_back(Value::real(x));
                break;
            }
            case 'd': {
                double x;
                std::memcpy(&x, &u, 8);
                out.push_back(Value::real(x));
                break;
            }
            case 'b':
            case 'h':
            case 'i':
            case 'l':
            case 'q': { // sign-extend from the value's width
                const int shift = 64 - 8 * it.size;
                out.push_back(Value::integer(std::int64_t(u << shift) >> shift));
                break;
            }
            default:
                out.push_back(Value::integer(std::int64_t(u)));
            }
        }
    }
    return Value::tuple(std::move(out));
}

// socket.htons() and friends: CPython 3.11 refuses what does not fit, with these words.
Value byteSwap(CallId id, const Value &v) {
    if (v.type != Value::Type::Int && v.type != Value::Type::Bool)
        typeError(QStringLiteral("'%1' object cannot be interpreted as an integer")
                      .arg(QLatin1String(v.typeName())));
    const bool shortForm = id == CallId::Htons || id == CallId::Ntohs;
    const char *name = id == CallId::Htons   ? "htons"
                       : id == CallId::Ntohs ? "ntohs"
                       : id == CallId::Htonl ? "htonl"
                                             : "ntohl";
    if (shortForm) {
        if (v.i < 0)
            throw ScriptException{
                QStringLiteral("OverflowError"),
                QStringLiteral("%1: can't convert negative Python int to C 16-bit unsigned integer")
                    .arg(QLatin1String(name)),
                0, true};
        if (v.i > 0xffff)
            throw ScriptException{
                QStringLiteral("OverflowError"),
                QStringLiteral("%1: Python int too large to convert to C 16-bit unsigned integer")
                    .arg(QLatin1String(name)),
                0, true};
        return Value::integer(qFromBigEndian(std::uint16_t(v.i)));
    }
    if (v.i < 0)
        throw ScriptException{QStringLiteral("OverflowError"),
                              QStringLiteral("can't convert negative value to unsigned int"), 0,
                              true};
    if (v.i > 0xffffffffLL)
        throw ScriptException{QStringLiteral("OverflowError"),
                              QStringLiteral("int larger than 32 bits"), 0, true};
    return Value::integer(qFromBigEndian(std::uint32_t(v.i)));
}

} // namespace

bool Interpreter::bindingBuiltin(const Expr &e, const ValueList &args, Value *out) {
    switch (e.call->id) {
    case CallId::Pack:
        *out = Value::bytes(pack(parseFormat(args.at(0)), args, 1));
        return true;
    case CallId::Unpack:
        *out = unpack(parseFormat(args.at(0)), args.at(1));
        return true;
    case CallId::Calcsize:
        *out = Value::integer(parseFormat(args.at(0)).size);
        return true;
    case CallId::Htons:
    case CallId::Ntohs:
    case CallId::Htonl:
    case CallId::Ntohl:
        *out = byteSwap(e.call->id, args.at(0));
        return true;
    default:
        return false;
    }
}

} // namespace sl::engine
