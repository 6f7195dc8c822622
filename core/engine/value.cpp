#include "engine/value.h"

#include <cmath>

#include "engine/bindings/bound.h"
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
    r.items = std::make_shared<const ValueList>(std::move(v));
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
        return items && !items->empty();
    case Type::Socket:
    case Type::Actor:
    case Type::Wire:
    case Type::Bound:
        return true;
    }
    return false;
}

double Value::toDouble() const {
    return type == Type::Float ? f : double(i);
}

const ValueList &Value::seq() const {
    static const ValueList empty;
    return items ? *items : empty;
}

static QString bytesRepr(const QByteArray &b, int maxBytes) {
    // Python's repr of bytes: printable ASCII as is, \r \n \t \\ \' and \xNN.
    QString out = QStringLiteral("b'");
    const int n = int(std::min<qsizetype>(b.size(), maxBytes));
    for (int k = 0; k < n; ++k) {
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
        case '\'':
            out += QStringLiteral("\\'");
            break;
        default:
            if (c >= 0x20 && c < 0x7f)
                out += QLatin1Char(char(c));
            else
                out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
        }
    }
    out += QLatin1Char('\'');
    if (b.size() > maxBytes)
        out += QStringLiteral("… (%L1 bytes)").arg(b.size());
    return out;
}

QString Value::repr(int maxBytes) const {
    switch (type) {
    case Type::None:
        return QStringLiteral("None");
    case Type::Bool:
        return i ? QStringLiteral("True") : QStringLiteral("False");
    case Type::Int:
        return QString::number(i);
    case Type::Float: {
        // Six significant digits (narration), but a float always looks like one, as
        // in Python: 0.0, 2.0, not 0 and 2.
        QString t = QString::number(f, 'g', 6);
        if (std::isfinite(f) && !t.contains(QLatin1Char('.')) && !t.contains(QLatin1Char('e')))
            t += QStringLiteral(".0");
        return t;
    }
    case Type::Str:
        return QLatin1Char('\'') + s + QLatin1Char('\'');
    case Type::Bytes:
        return bytesRepr(b, maxBytes);
    case Type::Tuple:
    case Type::List: {
        QStringList parts;
        for (const Value &v : seq())
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
    case Type::Bound:
        return boundRepr(*this);
    }
    return {};
}

QString Value::display() const {
    if (type == Type::Str)
        return s;
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
    case Type::Str:
        return s == o.s;
    case Type::Bytes:
        return b == o.b;
    case Type::Socket:
        return sock == o.sock;
    case Type::Bound:
        return obj == o.obj;
    case Type::Actor:
    case Type::Wire:
        return i == o.i;
    case Type::Tuple:
    case Type::List: {
        const ValueList &a = seq(), &c = o.seq();
        if (a.size() != c.size())
            return false;
        for (std::size_t k = 0; k < a.size(); ++k)
            if (!a[k].equals(c[k]))
                return false;
        return true;
    }
    default:
        return false;
    }
}

} // namespace sl::engine
