// Formatting as CPython does it: format(v, spec) with the format mini-language (used by
// f-strings and str.format), and printf-style `%` formatting of str.
#include "engine/lang/lang.h"

#include <QList>
#include <QStringList>

#include <cmath>
#include <cstdio>

namespace sl::engine::lang {

using T = Value::Type;

namespace {

struct Spec {
    QChar fill = u' ';
    char align = 0; // '<', '>', '=', '^' or 0
    char sign = 0;  // '+', '-', ' ' or 0
    bool alt = false, zero = false;
    int width = -1, precision = -1;
    char grouping = 0; // ',' or '_'
    char type = 0;
};

Spec parseSpec(const QString &spec) {
    // The parser checked the syntax (parse_value.cpp); .format() specs come at run time.
    Spec s;
    qsizetype i = 0;
    auto isAlign = [](QChar c) { return c == u'<' || c == u'>' || c == u'=' || c == u'^'; };
    if (spec.size() >= 2 && isAlign(spec[1])) {
        s.fill = spec[0];
        s.align = char(spec[1].unicode());
        i = 2;
    } else if (!spec.isEmpty() && isAlign(spec[0])) {
        s.align = char(spec[0].unicode());
        i = 1;
    }
    if (i < spec.size() && (spec[i] == u'+' || spec[i] == u'-' || spec[i] == u' '))
        s.sign = char(spec[i++].unicode());
    if (i < spec.size() && spec[i] == u'#') {
        s.alt = true;
        ++i;
    }
    if (i < spec.size() && spec[i] == u'0') {
        s.zero = true;
        ++i;
    }
    auto number = [&]() {
        int n = -1;
        while (i < spec.size() && spec[i].isDigit())
            n = std::max(n, 0) * 10 + spec[i++].digitValue();
        return n;
    };
    s.width = number();
    if (i < spec.size() && (spec[i] == u',' || spec[i] == u'_'))
        s.grouping = char(spec[i++].unicode());
    if (i < spec.size() && spec[i] == u'.') {
        ++i;
        s.precision = number();
        if (s.precision < 0)
            raise("ValueError", QStringLiteral("Format specifier missing precision"));
    }
    if (i < spec.size())
        s.type = char(spec[i++].unicode());
    if (i < spec.size())
        raise("ValueError", QStringLiteral("Invalid format specifier '%1'").arg(spec));
    if (s.zero && !s.align) {
        s.fill = u'0';
        s.align = '=';
    }
    return s;
}

QString group(const QString &digits, char sep, int every) {
    if (!sep)
        return digits;
    QString out;
    for (qsizetype k = 0; k < digits.size(); ++k) {
        if (k > 0 && (digits.size() - k) % every == 0)
            out += QLatin1Char(sep);
        out += digits[k];
    }
    return out;
}

// Pads "prefix" (sign, 0x) + "body" to the spec's width.
QString pad(const QString &prefix, QString body, const Spec &s, char defaultAlign,
            bool zeroGroupable = false, int every = 3) {
    const char align = s.align ? s.align : defaultAlign;
    const qsizetype len = prefix.size() + body.size();
    if (s.width <= len)
        return prefix + body;
    if (align == '=' && s.fill == u'0' && s.grouping && zeroGroupable) {
        // CPython pads with zeros that are grouped too: format(1234, '08,') = '0,001,234'
        QString digits = body;
        digits.remove(QLatin1Char(s.grouping));
        const qsizetype dot = digits.indexOf(QLatin1Char('.'));
        QString intPart = dot < 0 ? digits : digits.left(dot);
        const QString rest = dot < 0 ? QString() : digits.mid(dot);
        QString grouped = group(intPart, s.grouping, every) + rest;
        while (prefix.size() + grouped.size() < s.width) {
            intPart.prepend(QLatin1Char('0'));
            grouped = group(intPart, s.grouping, every) + rest;
        }
        return prefix + grouped;
    }
    const QString fill = QString(s.width - len, s.fill);
    switch (align) {
    case '<':
        return prefix + body + fill;
    case '^': {
        const qsizetype left = (s.width - len) / 2;
        return QString(left, s.fill) + prefix + body + QString(s.width - len - left, s.fill);
    }
    case '=':
        return prefix + fill + body;
    default:
        return fill + prefix + body;
    }
}

QString signOf(bool negative, const Spec &s) {
    if (negative)
        return QStringLiteral("-");
    if (s.sign == '+')
        return QStringLiteral("+");
    if (s.sign == ' ')
        return QStringLiteral(" ");
    return {};
}

QString formatInt(std::int64_t v, const Spec &s) {
    const bool neg = v < 0;
    const std::uint64_t mag = neg ? std::uint64_t(0) - std::uint64_t(v) : std::uint64_t(v);
    QString digits, prefix = signOf(neg, s);
    int every = 3;
    switch (s.type) {
    case 'x':
    case 'X':
        digits = QString::number(mag, 16);
        if (s.type == 'X')
            digits = digits.toUpper();
        if (s.alt)
            prefix += s.type == 'X' ? QStringLiteral("0X") : QStringLiteral("0x");
        every = 4;
        break;
    case 'o':
        digits = QString::number(mag, 8);
        if (s.alt)
            prefix += QStringLiteral("0o");
        every = 4;
        break;
    case 'b':
        digits = QString::number(mag, 2);
        if (s.alt)
            prefix += QStringLiteral("0b");
        every = 4;
        break;
    case 'c':
        return pad({}, QString(QChar(char16_t(v))), s, '>');
    default:
        digits = QString::number(mag);
    }
    if (s.grouping == ',' && every != 3)
        raise("ValueError",
              QStringLiteral("Cannot specify ',' with '%1'.").arg(QChar::fromLatin1(s.type)));
    return pad(prefix, group(digits, s.grouping, every), s, '>', true, every);
}

QString formatFloat(double v, const Spec &s) {
    const bool neg = std::signbit(v) && !std::isnan(v);
    const double mag = std::fabs(v);
    QString body;
    char buf[512];
    const int prec = s.precision < 0 ? 6 : std::min(s.precision, 300);
    const char type = s.type;
    if (std::isinf(mag) || std::isnan(mag)) {
        body = std::isnan(mag) ? QStringLiteral("nan") : QStringLiteral("inf");
        if (type == 'F' || type == 'E' || type == 'G')
            body = body.toUpper();
        return pad(signOf(neg, s), body, s, '>');
    }
    if (type == 'f' || type == 'F') {
        std::snprintf(buf, sizeof buf, s.alt ? "%#.*f" : "%.*f", prec, mag);
        body = QString::fromLatin1(buf);
    } else if (type == 'e' || type == 'E') {
        std::snprintf(buf, sizeof buf, s.alt ? "%#.*e" : "%.*e", prec, mag);
        body = QString::fromLatin1(buf);
        if (type == 'E')
            body = body.toUpper();
    } else if (type == '%') {
        std::snprintf(buf, sizeof buf, s.alt ? "%#.*f" : "%.*f", prec, mag * 100);
        body = QString::fromLatin1(buf) + QLatin1Char('%');
    } else if (type == 'g' || type == 'G' || type == 'n') {
        std::snprintf(buf, sizeof buf, s.alt ? "%#.*g" : "%.*g", prec == 0 ? 1 : prec, mag);
        body = QString::fromLatin1(buf);
        if (type == 'G')
            body = body.toUpper();
    } else if (s.precision >= 0) { // no type, a precision: 'g' that keeps a float look
        std::snprintf(buf, sizeof buf, "%.*g", prec == 0 ? 1 : prec, mag);
        body = QString::fromLatin1(buf);
        if (!body.contains(QLatin1Char('.')) && !body.contains(QLatin1Char('e')))
            body += QStringLiteral(".0");
    } else { // no type: repr
        body = floatRepr(mag);
    }
    if (s.grouping) {
        qsizetype end = 0;
        while (end < body.size() && body[end].isDigit())
            ++end;
        body = group(body.left(end), s.grouping, 3) + body.mid(end);
    }
    return pad(signOf(neg, s), body, s, '>', true);
}

} // namespace

QString format(const Value &v, const QString &spec) {
    if (spec.isEmpty())
        return v.pyStr();
    const Spec s = parseSpec(spec);
    auto unknown = [&]() -> QString {
        raise("ValueError", QStringLiteral("Unknown format code '%1' for object of type '%2'")
                                .arg(QChar::fromLatin1(s.type))
                                .arg(QLatin1String(v.typeName())));
    };
    switch (v.type) {
    case T::Bool:
        if (!s.type) // format(True, '>6') is 'True' padded; with a numeric type, an int
            return pad({}, v.pyStr(), s, '<');
        [[fallthrough]];
    case T::Int:
        switch (s.type) {
        case 0:
        case 'd':
        case 'n':
        case 'x':
        case 'X':
        case 'o':
        case 'b':
        case 'c':
            if (s.precision >= 0)
                raise("ValueError",
                      QStringLiteral("Precision not allowed in integer format specifier"));
            return formatInt(v.i, s);
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G':
        case '%':
            return formatFloat(double(v.i), s);
        default:
            return unknown();
        }
    case T::Float:
        switch (s.type) {
        case 0:
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G':
        case 'n':
        case '%':
            return formatFloat(v.f, s);
        default:
            return unknown();
        }
    case T::Str: {
        if (s.type && s.type != 's')
            return unknown();
        if (s.sign)
            raise("ValueError", QStringLiteral("Sign not allowed in string format specifier"));
        if (s.align == '=')
            raise("ValueError",
                  QStringLiteral("'=' alignment not allowed in string format specifier"));
        QString text = v.s;
        if (s.precision >= 0)
            text = text.left(s.precision);
        return pad({}, text, s, '<');
    }
    default:
        raise("TypeError", QStringLiteral("unsupported format string passed to %1.__format__")
                               .arg(QLatin1String(v.typeName())));
    }
}

QString formatField(const Value &v, char conversion, const QString &spec) {
    if (conversion == 'r')
        return format(Value::str(v.repr(-1)), spec);
    if (conversion == 's')
        return format(Value::str(v.pyStr()), spec);
    return format(v, spec);
}

QString percentFormat(const QString &fmt, const Value &argsV) {
    // A tuple gives the arguments; anything else is the one argument.
    const ValueList args = argsV.type == T::Tuple ? argsV.seq() : ValueList{argsV};
    std::size_t next = 0;
    QString out;
    for (qsizetype i = 0; i < fmt.size(); ++i) {
        if (fmt[i] != u'%') {
            out += fmt[i];
            continue;
        }
        ++i;
        Spec s;
        for (; i < fmt.size(); ++i) {
            const QChar c = fmt[i];
            if (c == u'-')
                s.align = '<';
            else if (c == u'0')
                s.zero = true;
            else if (c == u'+' || c == u' ')
                s.sign = s.sign == '+' ? '+' : char(c.unicode());
            else if (c == u'#')
                s.alt = true;
            else
                break;
        }
        while (i < fmt.size() && fmt[i].isDigit())
            s.width = std::max(s.width, 0) * 10 + fmt[i++].digitValue();
        if (i < fmt.size() && fmt[i] == u'.') {
            ++i;
            s.precision = 0;
            while (i < fmt.size() && fmt[i].isDigit())
                s.precision = s.precision * 10 + fmt[i++].digitValue();
        }
        if (i >= fmt.size())
            raise("ValueError", QStringLiteral("incomplete format"));
        const QChar conv = fmt[i];
        if (conv == u'%') {
            out += u'%';
            continue;
        }
        if (next >= args.size())
            raise("TypeError", QStringLiteral("not enough arguments for format string"));
        const Value &a = args[next++];
        if (s.zero && s.align != '<') {
            s.fill = u'0';
            s.align = '=';
        } else if (!s.align) {
            s.align = '>';
        }
        switch (conv.unicode()) {
        case 's':
        case 'r':
        case 'a': {
            QString text = conv == u's' ? a.pyStr() : a.repr(-1);
            if (s.precision >= 0)
                text = text.left(s.precision);
            s.fill = u' ';
            if (s.align == '=')
                s.align = '>';
            out += pad({}, text, s, '>');
            break;
        }
        case 'd':
        case 'i':
        case 'u':
        case 'x':
        case 'X':
        case 'o':
        case 'c': {
            if (!a.isNumber())
                raise("TypeError", QStringLiteral("%%%1 format: a real number is required, not %2")
                                       .arg(conv == u'i' || conv == u'u' ? QChar(u'd') : conv,
                                            QLatin1String(a.typeName())));
            const std::int64_t n = a.type == T::Float ? std::int64_t(a.f) : a.i;
            s.type = conv == u'i' || conv == u'u' ? 'd' : char(conv.unicode());
            const int prec = s.precision;
            s.precision = -1;
            QString t = formatInt(n, Spec{u' ', 0, s.sign, s.alt, false, -1, -1, 0, s.type});
            if (prec > 0) { // %.3d: at least 3 digits
                const bool neg = t.startsWith(u'-');
                QString digits = neg ? t.mid(1) : t;
                while (digits.size() < prec)
                    digits.prepend(u'0');
                t = (neg ? QStringLiteral("-") : QString()) + digits;
            }
            if (s.align == '=') { // %05d: zeros after the sign
                const bool signed_ = t.startsWith(u'-') || t.startsWith(u'+') || t.startsWith(u' ');
                const QString sign = signed_ ? t.left(1) : QString();
                QString body = signed_ ? t.mid(1) : t;
                while (sign.size() + body.size() < s.width)
                    body.prepend(u'0');
                out += sign + body;
            } else {
                Spec p;
                p.align = s.align;
                p.width = s.width;
                out += pad({}, t, p, '>');
            }
            break;
        }
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G': {
            if (!a.isNumber())
                raise(
                    "TypeError",
                    QStringLiteral("must be real number, not %1").arg(QLatin1String(a.typeName())));
            s.type = char(conv.unicode());
            if (s.precision < 0)
                s.precision = 6;
            out += formatFloat(a.toDouble(), s);
            break;
        }
        default:
            raise("ValueError",
                  QStringLiteral("unsupported format character '%1' (0x%2) at index %3")
                      .arg(conv)
                      .arg(conv.unicode(), 0, 16)
                      .arg(i));
        }
    }
    if (next < args.size())
        raise("TypeError", QStringLiteral("not all arguments converted during string formatting"));
    return out;
}

QString strFormat(const QString &fmt, const ValueList &args, const Kwargs &kw) {
    QString out;
    std::size_t autoIndex = 0;
    for (qsizetype i = 0; i < fmt.size(); ++i) {
        const QChar c = fmt[i];
        if (c == u'}') {
            if (i + 1 < fmt.size() && fmt[i + 1] == u'}') {
                out += c;
                ++i;
                continue;
            }
            raise("ValueError", QStringLiteral("Single '}' encountered in format string"));
        }
        if (c != u'{') {
            out += c;
            continue;
        }
        if (i + 1 < fmt.size() && fmt[i + 1] == u'{') {
            out += c;
            ++i;
            continue;
        }
        const qsizetype close = fmt.indexOf(u'}', i);
        if (close < 0)
            raise("ValueError", QStringLiteral("Single '{' encountered in format string"));
        QString field = fmt.mid(i + 1, close - i - 1);
        QString spec;
        char conv = 0;
        if (const qsizetype colon = field.indexOf(u':'); colon >= 0) {
            spec = field.mid(colon + 1);
            field = field.left(colon);
        }
        if (const qsizetype bang = field.indexOf(u'!'); bang >= 0) {
            const QString cv = field.mid(bang + 1);
            if (cv != QLatin1String("r") && cv != QLatin1String("s"))
                raise("ValueError", QStringLiteral("Unknown conversion specifier %1").arg(cv));
            conv = cv[0].toLatin1();
            field = field.left(bang);
        }
        Value v;
        bool isNumber = false;
        const int n = field.toInt(&isNumber);
        if (field.isEmpty()) {
            if (autoIndex >= args.size())
                raise("IndexError", QStringLiteral("Replacement index %1 out of range for "
                                                   "positional args tuple")
                                        .arg(autoIndex));
            v = args[autoIndex++];
        } else if (isNumber) {
            if (n < 0 || std::size_t(n) >= args.size())
                raise("IndexError", QStringLiteral("Replacement index %1 out of range for "
                                                   "positional args tuple")
                                        .arg(n));
            v = args[std::size_t(n)];
        } else {
            bool found = false;
            for (const auto &[k, x] : kw)
                if (k == field) {
                    v = x;
                    found = true;
                }
            if (!found)
                raise("KeyError", strRepr(field));
        }
        out += formatField(v, conv, spec);
        i = close;
    }
    return out;
}

} // namespace sl::engine::lang
