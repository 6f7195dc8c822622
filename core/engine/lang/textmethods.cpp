// Methods of str and bytes (split, join, find, strip, startswith, replace, encode and
// decode with CPython's codecs errors, …), as CPython 3.11 with its messages. The two
// types share their algorithms (a template over QString and QByteArray).
#include "engine/lang/lang.h"

#include <QList>
#include <QStringDecoder>
#include <QStringList>
#include <algorithm>

namespace sl::engine::lang {

using T = Value::Type;

namespace {

QString tn(const Value &v) {
    return QLatin1String(v.typeName());
}

const auto arity = checkArity;
const auto window = sliceWindow;

template <class S>
struct Text;
template <>
struct Text<QString> {
    static bool space(QChar c) { return c.isSpace(); }
    static Value make(const QString &s) { return Value::str(s); }
    static const QString &of(const Value &v) { return v.s; }
    static QString arg(const Value &v, const char *) {
        if (v.type != T::Str)
            raise("TypeError", QStringLiteral("must be str, not %1").arg(tn(v)));
        return v.s;
    }
};
template <>
struct Text<QByteArray> {
    static bool space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
    }
    static Value make(const QByteArray &b) { return Value::bytes(b); }
    static const QByteArray &of(const Value &v) { return v.b; }
    static QByteArray arg(const Value &v, const char *) {
        if (v.type != T::Bytes)
            raise("TypeError",
                  QStringLiteral("a bytes-like object is required, not '%1'").arg(tn(v)));
        return v.b;
    }
};

// The start/end arguments of find, count, startswith: a window as a slice would take it.
template <class S>
Value split(const S &s, const ValueList &args, const Kwargs &kw, bool right) {
    Value sepV = args.size() > 0 ? args[0] : Value::none();
    std::int64_t maxsplit = args.size() > 1 ? args[1].i : -1;
    for (const auto &[k, v] : kw) {
        if (k == QLatin1String("sep"))
            sepV = v;
        else if (k == QLatin1String("maxsplit"))
            maxsplit = v.i;
        else
            raise("TypeError",
                  QStringLiteral("'%1' is an invalid keyword argument for split()").arg(k));
    }
    ValueList out;
    if (sepV.isNone()) { // runs of whitespace, none at the ends
        std::vector<S> parts;
        if (!right) {
            qsizetype i = 0;
            const qsizetype n = s.size();
            while (true) {
                while (i < n && Text<S>::space(s[i]))
                    ++i;
                if (i >= n)
                    break;
                if (maxsplit >= 0 && std::int64_t(parts.size()) == maxsplit) {
                    qsizetype e = n;
                    while (e > i && Text<S>::space(s[e - 1]))
                        --e;
                    parts.push_back(s.mid(i, e - i));
                    break;
                }
                qsizetype j = i;
                while (j < n && !Text<S>::space(s[j]))
                    ++j;
                parts.push_back(s.mid(i, j - i));
                i = j;
            }
        } else {
            qsizetype i = s.size();
            while (true) {
                while (i > 0 && Text<S>::space(s[i - 1]))
                    --i;
                if (i <= 0)
                    break;
                if (maxsplit >= 0 && std::int64_t(parts.size()) == maxsplit) {
                    qsizetype b = 0;
                    while (b < i && Text<S>::space(s[b]))
                        ++b;
                    parts.push_back(s.mid(b, i - b));
                    break;
                }
                qsizetype j = i;
                while (j > 0 && !Text<S>::space(s[j - 1]))
                    --j;
                parts.push_back(s.mid(j, i - j));
                i = j;
            }
            std::reverse(parts.begin(), parts.end());
        }
        for (const S &p : parts)
            out.push_back(Text<S>::make(p));
        return Value::list(std::move(out));
    }
    if constexpr (std::is_same_v<S, QString>)
        if (sepV.type != T::Str)
            raise("TypeError", QStringLiteral("must be str or None, not %1").arg(tn(sepV)));
    const S sep = Text<S>::arg(sepV, "split");
    if (sep.isEmpty())
        raise("ValueError", QStringLiteral("empty separator"));
    std::vector<S> parts;
    if (!right) {
        qsizetype i = 0;
        while (maxsplit < 0 || std::int64_t(parts.size()) < maxsplit) {
            const qsizetype j = s.indexOf(sep, i);
            if (j < 0)
                break;
            parts.push_back(s.mid(i, j - i));
            i = j + sep.size();
        }
        parts.push_back(s.mid(i));
    } else {
        qsizetype end = s.size();
        while (maxsplit < 0 || std::int64_t(parts.size()) < maxsplit) {
            if (end < sep.size())
                break;
            const qsizetype j = s.lastIndexOf(sep, end - sep.size());
            if (j < 0)
                break;
            parts.push_back(s.mid(j + sep.size(), end - j - sep.size()));
            end = j;
        }
        parts.push_back(s.left(end));
        std::reverse(parts.begin(), parts.end());
    }
    for (const S &p : parts)
        out.push_back(Text<S>::make(p));
    return Value::list(std::move(out));
}

template <class S>
Value strip(const S &s, const ValueList &args, int ends) { // 1 left, 2 right, 3 both
    S chars;
    const bool ws = args.empty() || args[0].isNone();
    if constexpr (std::is_same_v<S, QString>)
        if (!ws && args[0].type != T::Str)
            raise("TypeError", QStringLiteral("strip arg must be None or str"));
    if (!ws)
        chars = Text<S>::arg(args[0], "strip");
    auto drop = [&](auto c) { return ws ? Text<S>::space(c) : chars.contains(c); };
    qsizetype b = 0, e = s.size();
    if (ends & 1)
        while (b < e && drop(s[b]))
            ++b;
    if (ends & 2)
        while (e > b && drop(s[e - 1]))
            --e;
    return Text<S>::make(s.mid(b, e - b));
}

template <class S>
std::vector<S> affixes(const Value &v, const QString &name) {
    if (v.type == T::Tuple) {
        std::vector<S> out;
        for (const Value &x : v.seq())
            out.push_back(Text<S>::arg(x, "startswith"));
        return out;
    }
    if ((std::is_same_v<S, QString> && v.type != T::Str) ||
        (std::is_same_v<S, QByteArray> && v.type != T::Bytes))
        raise("TypeError", std::is_same_v<S, QString>
                               ? QStringLiteral("%1 first arg must be str or a tuple of str, "
                                                "not %2")
                                     .arg(name, tn(v))
                               : QStringLiteral("%1 first arg must be bytes or a tuple of bytes, "
                                                "not %2")
                                     .arg(name, tn(v)));
    return {Text<S>::arg(v, "")};
}

template <class S>
Value textMethod(const QString &name, const Value &obj, const ValueList &args, const Kwargs &kw,
                 bool *handled) {
    const S &s = Text<S>::of(obj);
    const char *owner = std::is_same_v<S, QString> ? "str" : "bytes";
    *handled = true;
    if (name == QLatin1String("split") || name == QLatin1String("rsplit")) {
        arity(name, args, 0, 2, owner);
        return split(s, args, kw, name == QLatin1String("rsplit"));
    }
    if (!kw.empty())
        raise("TypeError",
              QStringLiteral("%1.%2() takes no keyword arguments").arg(QLatin1String(owner), name));
    if (name == QLatin1String("strip") || name == QLatin1String("lstrip") ||
        name == QLatin1String("rstrip")) {
        arity(name, args, 0, 1, owner);
        return strip(s, args, name[0] == u'l' ? 1 : name[0] == u'r' ? 2 : 3);
    }
    if (name == QLatin1String("upper") || name == QLatin1String("lower")) {
        arity(name, args, 0, 0, owner);
        if constexpr (std::is_same_v<S, QString>)
            return Value::str(name == QLatin1String("upper") ? s.toUpper() : s.toLower());
        else
            return Value::bytes(name == QLatin1String("upper") ? s.toUpper() : s.toLower());
    }
    if (name == QLatin1String("startswith") || name == QLatin1String("endswith")) {
        arity(name, args, 1, 3, owner);
        const auto [lo, hi] = window(s.size(), args, 1);
        const S part = s.mid(lo, std::max<qsizetype>(0, hi - lo));
        for (const S &a : affixes<S>(args[0], name))
            if (name == QLatin1String("startswith") ? part.startsWith(a) : part.endsWith(a))
                return Value::boolean(lo <= s.size());
        return Value::boolean(false);
    }
    if (name == QLatin1String("find") || name == QLatin1String("rfind") ||
        name == QLatin1String("index") || name == QLatin1String("count")) {
        arity(name, args, 1, 3, owner);
        S sub;
        if constexpr (std::is_same_v<S, QByteArray>) {
            if (args[0].type == T::Int)
                sub = QByteArray(1, char(args[0].i));
            else if (args[0].type != T::Bytes)
                raise("TypeError", QStringLiteral("argument should be integer or bytes-like "
                                                  "object, not '%1'")
                                       .arg(tn(args[0])));
            else
                sub = args[0].b;
        } else {
            sub = Text<S>::arg(args[0], "find");
        }
        const auto [lo, hi] = window(s.size(), args, 1);
        const S part = hi >= lo ? s.mid(lo, hi - lo) : S();
        if (name == QLatin1String("count")) {
            if (hi < lo)
                return Value::integer(0);
            if (sub.isEmpty())
                return Value::integer(part.size() + 1);
            std::int64_t c = 0;
            for (qsizetype i = part.indexOf(sub); i >= 0; i = part.indexOf(sub, i + sub.size()))
                ++c;
            return Value::integer(c);
        }
        qsizetype at = -1;
        if (hi >= lo)
            at = name == QLatin1String("rfind") ? part.lastIndexOf(sub) : part.indexOf(sub);
        if (at < 0 && name == QLatin1String("index"))
            raise("ValueError", std::is_same_v<S, QString>
                                    ? QStringLiteral("substring not found")
                                    : QStringLiteral("subsection not found"));
        return Value::integer(at < 0 ? -1 : lo + at);
    }
    if (name == QLatin1String("replace")) {
        arity(name, args, 2, 3, owner);
        const S from = Text<S>::arg(args[0], "replace"), to = Text<S>::arg(args[1], "replace");
        const std::int64_t count = args.size() > 2 ? args[2].i : -1;
        if (count < 0) {
            S r = s;
            if (from.isEmpty()) { // between every character, as CPython
                S out = to;
                for (qsizetype k = 0; k < s.size(); ++k) {
                    out += s[k];
                    out += to;
                }
                return Text<S>::make(out);
            }
            return Text<S>::make(r.replace(from, to));
        }
        S out;
        qsizetype i = 0;
        for (std::int64_t k = 0; k < count; ++k) {
            const qsizetype j = s.indexOf(from, i);
            if (j < 0)
                break;
            out += s.mid(i, j - i);
            out += to;
            i = j + from.size();
        }
        out += s.mid(i);
        return Text<S>::make(out);
    }
    if (name == QLatin1String("partition")) {
        arity(name, args, 1, 1, owner);
        const S sep = Text<S>::arg(args[0], "partition");
        if (sep.isEmpty())
            raise("ValueError", QStringLiteral("empty separator"));
        const qsizetype j = s.indexOf(sep);
        if (j < 0)
            return Value::tuple({Text<S>::make(s), Text<S>::make(S()), Text<S>::make(S())});
        return Value::tuple(
            {Text<S>::make(s.left(j)), Text<S>::make(sep), Text<S>::make(s.mid(j + sep.size()))});
    }
    if (name == QLatin1String("isdigit")) {
        arity(name, args, 0, 0, owner);
        if (s.isEmpty())
            return Value::boolean(false);
        for (const auto c : s)
            if constexpr (std::is_same_v<S, QString>) {
                if (!c.isDigit())
                    return Value::boolean(false);
            } else if (c < '0' || c > '9') {
                return Value::boolean(false);
            }
        return Value::boolean(true);
    }
    if (name == QLatin1String("join")) {
        arity(name, args, 1, 1, owner);
        S out;
        std::size_t k = 0;
        for (const Value &v : items(args[0])) {
            if constexpr (std::is_same_v<S, QString>) {
                if (v.type != T::Str)
                    raise("TypeError",
                          QStringLiteral("sequence item %1: expected str instance, %2 found")
                              .arg(k)
                              .arg(tn(v)));
            } else if (v.type != T::Bytes) {
                raise("TypeError",
                      QStringLiteral("sequence item %1: expected a bytes-like object, %2 found")
                          .arg(k)
                          .arg(tn(v)));
            }
            if (k++)
                out += s;
            out += Text<S>::of(v);
        }
        return Text<S>::make(out);
    }
    *handled = false;
    return {};
}

// The reason CPython's UTF-8 decoder gives for the first bad byte of b, or "".
QString utf8Error(const QByteArray &b, qsizetype *at, qsizetype *end) {
    const auto u = [&](qsizetype i) { return static_cast<unsigned char>(b[i]); };
    for (qsizetype i = 0; i < b.size();) {
        const unsigned char c = u(i);
        int need = 0;
        unsigned char lo = 0x80, hi = 0xbf;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            need = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            need = 2;
            lo = c == 0xe0 ? 0xa0 : 0x80;
            hi = c == 0xed ? 0x9f : 0xbf;
        } else if (c >= 0xf0 && c <= 0xf4) {
            need = 3;
            lo = c == 0xf0 ? 0x90 : 0x80;
            hi = c == 0xf4 ? 0x8f : 0xbf;
        } else {
            *at = i;
            *end = i + 1;
            return QStringLiteral("invalid start byte");
        }
        for (int k = 1; k <= need; ++k) {
            if (i + k >= b.size()) {
                *at = i;
                *end = b.size();
                return QStringLiteral("unexpected end of data");
            }
            const unsigned char d = u(i + k);
            if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xbf)) {
                *at = i;
                *end = i + k;
                return QStringLiteral("invalid continuation byte");
            }
        }
        i += need + 1;
    }
    return {};
}

QString codec(const Value *v) {
    if (!v)
        return QStringLiteral("utf-8");
    if (v->type != T::Str)
        raise("TypeError",
              QStringLiteral("decode() argument 'encoding' must be str, not %1").arg(tn(*v)));
    QString c = v->s.toLower().replace(u'_', u'-');
    if (c == QLatin1String("utf8"))
        c = QStringLiteral("utf-8");
    if (c == QLatin1String("latin1") || c == QLatin1String("iso-8859-1"))
        c = QStringLiteral("latin-1");
    if (c == QLatin1String("us-ascii"))
        c = QStringLiteral("ascii");
    if (c != QLatin1String("utf-8") && c != QLatin1String("ascii") && c != QLatin1String("latin-1"))
        raise("LookupError", QStringLiteral("unknown encoding: %1").arg(v->s));
    return c;
}

Value decode(const QByteArray &b, const ValueList &args) {
    const QString c = codec(args.empty() ? nullptr : &args[0]);
    const QString errors =
        args.size() > 1 && args[1].type == T::Str ? args[1].s : QStringLiteral("strict");
    if (c == QLatin1String("latin-1"))
        return Value::str(QString::fromLatin1(b));
    if (c == QLatin1String("ascii")) {
        QString out;
        for (qsizetype i = 0; i < b.size(); ++i) {
            const unsigned char x = static_cast<unsigned char>(b[i]);
            if (x < 0x80)
                out += QLatin1Char(char(x));
            else if (errors == QLatin1String("replace"))
                out += QChar(0xfffd);
            else if (errors != QLatin1String("ignore"))
                raise("UnicodeDecodeError",
                      QStringLiteral("'ascii' codec can't decode byte 0x%1 in position %2: "
                                     "ordinal not in range(128)")
                          .arg(x, 2, 16, QLatin1Char('0'))
                          .arg(i));
        }
        return Value::str(out);
    }
    qsizetype at = 0, end = 0;
    const QString why = utf8Error(b, &at, &end);
    if (why.isEmpty() || errors == QLatin1String("replace"))
        return Value::str(QString::fromUtf8(b));
    if (errors == QLatin1String("ignore")) {
        QStringDecoder dec(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString s = dec(b);
        s.remove(QChar(0xfffd));
        return Value::str(s);
    }
    const QString pos = end - at > 1 && why == QLatin1String("unexpected end of data")
                            ? QStringLiteral("bytes in position %1-%2").arg(at).arg(end - 1)
                            : QStringLiteral("byte 0x%1 in position %2")
                                  .arg(static_cast<unsigned char>(b[at]), 2, 16, QLatin1Char('0'))
                                  .arg(at);
    raise("UnicodeDecodeError", QStringLiteral("'utf-8' codec can't decode %1: %2").arg(pos, why));
}

Value encode(const QString &s, const ValueList &args) {
    const QString c = codec(args.empty() ? nullptr : &args[0]);
    if (c == QLatin1String("utf-8"))
        return Value::bytes(s.toUtf8());
    const uint limit = c == QLatin1String("ascii") ? 0x80 : 0x100;
    QByteArray out;
    const QList<uint> cps = s.toUcs4();
    for (qsizetype i = 0; i < cps.size(); ++i) {
        if (cps[i] >= limit) {
            const uint ch = cps[i];
            // CPython names the character by its escape, printable or not: '\xe9'
            const QString esc =
                ch < 0x100     ? QStringLiteral("\\x%1").arg(ch, 2, 16, QLatin1Char('0'))
                : ch < 0x10000 ? QStringLiteral("\\u%1").arg(ch, 4, 16, QLatin1Char('0'))
                               : QStringLiteral("\\U%1").arg(ch, 8, 16, QLatin1Char('0'));
            raise("UnicodeEncodeError",
                  QStringLiteral("'%1' codec can't encode character '%2' in position %3: ordinal "
                                 "not in range(%4)")
                      .arg(c == QLatin1String("ascii") ? QStringLiteral("ascii")
                                                       : QStringLiteral("latin-1"),
                           esc)
                      .arg(i)
                      .arg(limit));
        }
        out += char(cps[i]);
    }
    return Value::bytes(out);
}

} // namespace

Value callTextMethod(const QString &name, const Value &obj, const ValueList &args, const Kwargs &kw,
                     bool *handled) {
    *handled = true;
    if (obj.type == T::Str) {
        if (name == QLatin1String("encode")) {
            arity(name, args, 0, 2, "str");
            return encode(obj.s, args);
        }
        if (name == QLatin1String("format"))
            return Value::str(strFormat(obj.s, args, kw));
        return textMethod<QString>(name, obj, args, kw, handled);
    }
    if (name == QLatin1String("decode")) {
        arity(name, args, 0, 2, "bytes");
        return decode(obj.b, args);
    }
    if (name == QLatin1String("hex")) {
        arity(name, args, 0, 0, "bytes");
        return Value::str(QString::fromLatin1(obj.b.toHex()));
    }
    return textMethod<QByteArray>(name, obj, args, kw, handled);
}

} // namespace sl::engine::lang
