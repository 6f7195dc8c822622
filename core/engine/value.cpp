#include "engine/value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "engine/bindings/bound.h"
#include "engine/interpreter.h" // ScriptException
#include "engine/lang/object.h"
#include "engine/sockettable.h"

#include <QStringBuilder>

namespace sl::engine {

Value Value::boolean(bool v) {
    Value r;
    r.type = Type::Bool;
    r.i = v ? 1 : 0;
    return r;
}

Value Value::integer(std::int64_t v) {
    Value r;
    r.type = Type::Int;
    r.i = v;
    return r;
}

Value Value::real(double v) {
    Value r;
    r.type = Type::Float;
    r.f = v;
    return r;
}

Value Value::str(const QString &v) {
    Value r;
    r.type = Type::Str;
    r.s = v;
    return r;
}

Value Value::bytes(const QByteArray &v) {
    Value r;
    r.type = Type::Bytes;
    r.b = v;
    return r;
}

Value Value::tuple(ValueList v) {
    Value r;
    r.type = Type::Tuple;
    r.items = std::make_shared<const ValueList>(std::move(v));
    return r;
}

Value Value::list(ValueList v) {
    Value r;
    r.type = Type::List;
    r.obj = std::make_shared<Shared>(std::move(v));
    return r;
}

Value Value::dict(ValueList keysAndValues) {
    Value r;
    r.type = Type::Dict;
    r.obj = std::make_shared<Shared>(std::move(keysAndValues));
    return r;
}

Value Value::socket(std::shared_ptr<LabSocket> s) {
    Value r;
    r.type = Type::Socket;
    r.sock = std::move(s);
    return r;
}

Value Value::actor(int index) {
    Value r;
    r.type = Type::Actor;
    r.i = index;
    return r;
}

bool Value::truthy() const {
    switch (type) {
    case Type::None:
        return false;
    case Type::Bool:
    case Type::Int:
        return i != 0;
    case Type::Float:
        return f != 0.0;
    case Type::Str:
        return !s.isEmpty();
    case Type::Bytes:
        return !b.isEmpty();
    case Type::Tuple:
    case Type::List:
    case Type::Dict:
        return count() != 0;
    case Type::Socket:
    case Type::Actor:
    case Type::Wire:
    case Type::Object:
    case Type::Bound:
        return true;
    }
    return false;
}

double Value::toDouble() const {
    return type == Type::Float ? f : double(i);
}

ValueList Value::seq() const {
    const auto items = snapshot();
    return items ? *items : ValueList{};
}

std::shared_ptr<const ValueList> Value::snapshot() const {
    if (type == Type::Tuple)
        return items;
    if ((type == Type::List || type == Type::Dict) && obj)
        return obj->snapshot();
    return nullptr;
}

std::size_t Value::count() const {
    const auto items = snapshot();
    const std::size_t n = items ? items->size() : 0;
    return type == Type::Dict ? n / 2 : n;
}

namespace {

// Containers being printed or compared on this thread: a list that contains itself
// prints as [...] (as CPython), and nesting deeper than CPython's recursion limit
// raises instead of running out of stack.
thread_local std::vector<const void *> t_inRepr;
thread_local int t_depth = 0;
constexpr int MaxNesting = 500;

struct DepthGuard {
    DepthGuard() {
        if (++t_depth > MaxNesting) {
            --t_depth;
            throw ScriptException{QStringLiteral("RecursionError"),
                                  QStringLiteral("maximum recursion depth exceeded"), 0, true};
        }
    }
    ~DepthGuard() { --t_depth; }
};

QString bytesRepr(const QByteArray &b, int maxBytes) {
    // CPython: single quotes unless the bytes hold ' and no "; printable ASCII as is,
    // \t \n \r \\, the quote escaped, anything else \xNN.
    const bool dq = b.contains('\'') && !b.contains('"');
    const char quote = dq ? '"' : '\'';
    QString out = QStringLiteral("b") + QLatin1Char(quote);
    const qsizetype n = maxBytes < 0 ? b.size() : std::min<qsizetype>(b.size(), maxBytes);
    for (qsizetype k = 0; k < n; ++k) {
        const unsigned char c = static_cast<unsigned char>(b[k]);
        switch (c) {
        case '\r':
            out += QStringLiteral("\\r");
            break;
        case '\n':
            out += QStringLiteral("\\n");
            break;
        case '\t':
            out += QStringLiteral("\\t");
            break;
        case '\\':
            out += QStringLiteral("\\\\");
            break;
        default:
            if (c == quote)
                out += QLatin1Char('\\') + QLatin1Char(char(c));
            else if (c >= 0x20 && c < 0x7f)
                out += QLatin1Char(char(c));
            else
                out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
        }
    }
    out += QLatin1Char(quote);
    if (maxBytes >= 0 && b.size() > maxBytes)
        out += QStringLiteral("… (%L1 bytes)").arg(b.size());
    return out;
}

bool printable(char32_t c) {
    // CPython's str.isprintable(): not a control, format, surrogate, private-use,
    // unassigned or separator character (the space excepted).
    if (c == U' ')
        return true;
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Space:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return false;
    default:
        return true;
    }
}

} // namespace

QString strRepr(const QString &s) {
    const bool dq = s.contains(QLatin1Char('\'')) && !s.contains(QLatin1Char('"'));
    const QChar quote = dq ? u'"' : u'\'';
    QString out(quote);
    for (const char32_t c : s.toUcs4()) {
        if (c == quote.unicode() || c == U'\\') {
            out += QLatin1Char('\\') + QChar(char16_t(c));
        } else if (c == U'\n') {
            out += QStringLiteral("\\n");
        } else if (c == U'\r') {
            out += QStringLiteral("\\r");
        } else if (c == U'\t') {
            out += QStringLiteral("\\t");
        } else if (printable(c)) {
            out += QString::fromUcs4(&c, 1);
        } else if (c < 0x100) {
            out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
        } else if (c < 0x10000) {
            out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
        } else {
            out += QStringLiteral("\\U%1").arg(uint(c), 8, 16, QLatin1Char('0'));
        }
    }
    return out + quote;
}

QString floatRepr(double f) {
    // CPython's repr(float): the shortest digits that read back as the same double;
    // positional when the exponent is in [-4, 16), else d.ddde±XX.
    if (std::isnan(f))
        return QStringLiteral("nan");
    if (std::isinf(f))
        return f < 0 ? QStringLiteral("-inf") : QStringLiteral("inf");
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
    const std::string sci(buf, r.ptr);
    const auto e = sci.find('e');
    std::string mant = sci.substr(0, e);
    const int exp = std::stoi(sci.substr(e + 1));
    const bool neg = mant[0] == '-';
    if (neg)
        mant.erase(0, 1);
    std::string digits;
    for (char c : mant)
        if (c != '.')
            digits += c;
    std::string out;
    if (exp >= -4 && exp < 16) {
        if (exp < 0) {
            out = "0." + std::string(std::size_t(-exp - 1), '0') + digits;
        } else if (std::size_t(exp + 1) >= digits.size()) {
            out = digits + std::string(std::size_t(exp + 1) - digits.size(), '0') + ".0";
        } else {
            out =
                digits.substr(0, std::size_t(exp + 1)) + "." + digits.substr(std::size_t(exp + 1));
        }
    } else {
        out = digits.substr(0, 1);
        if (digits.size() > 1)
            out += "." + digits.substr(1);
        char eb[16];
        std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
        out += eb;
    }
    return QString::fromLatin1((neg ? "-" : "") + out);
}

QString Value::repr(int maxBytes) const {
    switch (type) {
    case Type::None:
        return QStringLiteral("None");
    case Type::Bool:
        return i ? QStringLiteral("True") : QStringLiteral("False");
    case Type::Int:
        return QString::number(i);
    case Type::Float:
        return floatRepr(f);
    case Type::Str:
        return strRepr(s);
    case Type::Bytes:
        return bytesRepr(b, maxBytes);
    case Type::Tuple:
    case Type::List:
    case Type::Dict: {
        const void *id = type == Type::Tuple ? static_cast<const void *>(items.get())
                                             : static_cast<const void *>(obj.get());
        if (std::find(t_inRepr.begin(), t_inRepr.end(), id) != t_inRepr.end())
            return type == Type::Dict ? QStringLiteral("{...}") : QStringLiteral("[...]");
        DepthGuard guard;
        t_inRepr.push_back(id);
        struct Pop {
            ~Pop() { t_inRepr.pop_back(); }
        } pop;
        const auto all = snapshot();
        QStringList parts;
        if (type == Type::Dict) {
            for (std::size_t k = 0; all && k + 1 < all->size(); k += 2)
                parts << (*all)[k].repr(maxBytes) + QStringLiteral(": ") +
                             (*all)[k + 1].repr(maxBytes);
            return QLatin1Char('{') + parts.join(QStringLiteral(", ")) + QLatin1Char('}');
        }
        for (const Value &v : all ? *all : ValueList{})
            parts << v.repr(maxBytes);
        if (type == Type::Tuple)
            return QLatin1Char('(') + parts.join(QStringLiteral(", ")) +
                   (parts.size() == 1 ? QStringLiteral(",)") : QStringLiteral(")"));
        return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    case Type::Socket:
        if (!sock)
            return QStringLiteral("<socket>");
        if (sock->name.isEmpty())
            return QStringLiteral("<socket fd=%1>").arg(sock->fd.load());
        return sock->name;
    case Type::Actor:
        return QStringLiteral("<actor %1>").arg(i);
    case Type::Wire:
        return QStringLiteral("<Wire %1>").arg(i);
    case Type::Object:
        return lang::objectRepr(*pyobj);
    case Type::Bound:
        return boundRepr(*this);
    }
    return {};
}

QString Value::pyStr() const {
    if (type == Type::Str)
        return s;
    if (type == Type::Object)
        return lang::objectStr(*pyobj); // str(e): "[Errno 11] Resource temporarily unavailable"
    return repr(-1);
}

QString Value::display() const {
    if (type == Type::Str)
        return s;
    if (type == Type::Object)
        return lang::objectStr(*pyobj); // str(e): "[Errno 11] Resource temporarily unavailable"
    return repr();
}

const char *Value::typeName() const {
    switch (type) {
    case Type::None:
        return "NoneType";
    case Type::Bool:
        return "bool";
    case Type::Int:
        return "int";
    case Type::Float:
        return "float";
    case Type::Str:
        return "str";
    case Type::Bytes:
        return "bytes";
    case Type::Tuple:
        return "tuple";
    case Type::List:
        return "list";
    case Type::Socket:
        return "socket";
    case Type::Actor:
        return "actor";
    case Type::Wire:
        return "Wire";
    case Type::Dict:
        return "dict";
    case Type::Object:
        return lang::objectTypeName(*pyobj);
    case Type::Bound:
        return boundTypeName(*this);
    }
    return "?";
}

bool Value::equals(const Value &o) const {
    if (isNumber() && o.isNumber()) {
        if (type == Type::Float || o.type == Type::Float)
            return toDouble() == o.toDouble();
        return i == o.i;
    }
    if (type != o.type) {
        // A tuple and a list are never equal in Python; neither are str and bytes.
        return false;
    }
    switch (type) {
    case Type::None:
        return true;
    case Type::Dict: {
        if (obj == o.obj)
            return true;
        DepthGuard guard;
        const auto a = snapshot(), c = o.snapshot();
        if (a->size() != c->size())
            return false;
        // Equal dicts have the same keys with equal values, in any order.
        for (std::size_t k = 0; k + 1 < a->size(); k += 2) {
            bool found = false;
            for (std::size_t m = 0; m + 1 < c->size() && !found; m += 2)
                if ((*c)[m].equals((*a)[k]))
                    found = (*c)[m + 1].equals((*a)[k + 1]);
            if (!found)
                return false;
        }
        return true;
    }
    case Type::Str:
        return s == o.s;
    case Type::Bytes:
        return b == o.b;
    case Type::Socket:
        return sock == o.sock;
    case Type::Object:
        return pyobj == o.pyobj;
    case Type::Bound:
        return boundObj == o.boundObj;
    case Type::Actor:
    case Type::Wire:
        return i == o.i;
    case Type::Tuple:
    case Type::List: {
        if (type == Type::List ? obj == o.obj : items == o.items)
            return true; // CPython compares identity first
        DepthGuard guard;
        const auto a = snapshot(), c = o.snapshot();
        if (a->size() != c->size())
            return false;
        for (std::size_t k = 0; k < a->size(); ++k)
            if (!(*a)[k].equals((*c)[k]))
                return false;
        return true;
    }
    default:
        return false;
    }
}

} // namespace sl::engine
