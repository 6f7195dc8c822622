// Builtins of the Python subset: len, range, int, str, bytes, repr, bool, float, abs,
// min, max, sum, sorted, enumerate, zip, list, tuple, dict, hex, ord, chr, any, all,
// and print()'s text. As CPython 3.11, with its messages.
#include "engine/lang/lang.h"

#include <QList>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace sl::engine::lang {

using T = Value::Type;

namespace {

bool isInt(const Value &v) {
    return v.type == T::Int || v.type == T::Bool;
}

QString tn(const Value &v) {
    return QLatin1String(v.typeName());
}

const Value *kwarg(const Kwargs &kw, const char *name) {
    for (const auto &[k, v] : kw)
        if (k == QLatin1String(name))
            return &v;
    return nullptr;
}

void onlyKwargs(const QString &fn, const Kwargs &kw, std::initializer_list<const char *> known) {
    for (const auto &[k, v] : kw) {
        bool ok = false;
        for (const char *n : known)
            ok = ok || k == QLatin1String(n);
        if (!ok)
            raise("TypeError",
                  QStringLiteral("'%1' is an invalid keyword argument for %2()").arg(k, fn));
    }
}

std::int64_t toInt(const QString &text, int base, const Value &orig) {
    QString t = text.trimmed();
    bool neg = false;
    if (t.startsWith(u'-') || t.startsWith(u'+')) {
        neg = t.startsWith(u'-');
        t = t.mid(1);
    }
    if (base == 16 && (t.startsWith(QLatin1String("0x")) || t.startsWith(QLatin1String("0X"))))
        t = t.mid(2);
    bool ok = !t.isEmpty() && !t.startsWith(u'_') && !t.endsWith(u'_') &&
              !t.contains(QLatin1String("__"));
    t.remove(u'_');
    const qlonglong r = ok ? t.toLongLong(&ok, base) : 0;
    if (!ok)
        raise("ValueError", QStringLiteral("invalid literal for int() with base %1: %2")
                                .arg(base)
                                .arg(orig.repr(-1)));
    return neg ? -r : r;
}

Value minMax(const QString &name, const ValueList &args, const Kwargs &kw) {
    onlyKwargs(name, kw, {"default"});
    if (args.empty())
        raise("TypeError", QStringLiteral("%1 expected at least 1 argument, got 0").arg(name));
    const ValueList pool = args.size() == 1 ? items(args[0]) : args;
    if (pool.empty()) {
        if (const Value *d = kwarg(kw, "default"))
            return *d;
        raise("ValueError", QStringLiteral("%1() arg is an empty sequence").arg(name));
    }
    const bool isMin = name == QLatin1String("min");
    Value best = pool[0];
    for (std::size_t k = 1; k < pool.size(); ++k) {
        const int c = compare(pool[k], best, isMin ? "<" : ">");
        if (isMin ? c < 0 : c > 0)
            best = pool[k];
    }
    return best;
}

} // namespace

QString printText(const ValueList &args, const Kwargs &kw) {
    onlyKwargs(QStringLiteral("print"), kw, {"sep", "end", "flush"});
    QString sep = QStringLiteral(" "), end = QStringLiteral("\n");
    for (const auto &[k, v] : kw) {
        if (k == QLatin1String("flush"))
            continue;
        if (!v.isNone() && v.type != T::Str)
            raise("TypeError", QStringLiteral("%1 must be None or a string, not %2").arg(k, tn(v)));
        if (v.type == T::Str)
            (k == QLatin1String("sep") ? sep : end) = v.s;
    }
    QStringList parts;
    for (const Value &v : args)
        parts << v.pyStr();
    return parts.join(sep) + end;
}

Value callBuiltin(const QString &name, const ValueList &args, const Kwargs &kw) {
    // len(x) first, without the Latin-1 copy of the name: it is in most loops' condition.
    if (args.size() == 1 && kw.empty() && name == QLatin1String("len"))
        return Value::integer(length(args[0]));
    const QByteArray n = name.toLatin1();
    auto arg = [&](std::size_t k) -> const Value & { return args.at(k); };
    if (n != "sorted" && n != "min" && n != "max" && n != "sum" && n != "enumerate" &&
        n != "dict" && n != "int" && !kw.empty())
        raise("TypeError", QStringLiteral("%1() takes no keyword arguments").arg(name));
    if (n == "len")
        return Value::integer(length(arg(0)));
    if (n == "repr")
        return Value::str(arg(0).repr(-1));
    if (n == "str") {
        if (args.empty())
            return Value::str({});
        return Value::str(arg(0).pyStr());
    }
    if (n == "bool")
        return Value::boolean(!args.empty() && arg(0).truthy());
    if (n == "int") {
        onlyKwargs(name, kw, {"base"});
        if (args.empty())
            return Value::integer(0);
        const Value &v = arg(0);
        const Value *baseV = args.size() > 1 ? &args[1] : kwarg(kw, "base");
        if (baseV) {
            if (v.type != T::Str && v.type != T::Bytes)
                raise("TypeError",
                      QStringLiteral("int() can't convert non-string with explicit base"));
            const int base = int(baseV->i);
            if (base != 0 && (base < 2 || base > 36))
                raise("ValueError", QStringLiteral("int() base must be >= 2 and <= 36, or 0"));
            return Value::integer(
                toInt(v.type == T::Str ? v.s : QString::fromLatin1(v.b), base == 0 ? 10 : base, v));
        }
        if (isInt(v))
            return Value::integer(v.i);
        if (v.type == T::Float) {
            if (!std::isfinite(v.f))
                raise(std::isnan(v.f) ? "ValueError" : "OverflowError",
                      std::isnan(v.f) ? QStringLiteral("cannot convert float NaN to integer")
                                      : QStringLiteral("cannot convert float infinity to integer"));
            return Value::integer(std::int64_t(v.f));
        }
        if (v.type == T::Str || v.type == T::Bytes)
            return Value::integer(toInt(v.type == T::Str ? v.s : QString::fromLatin1(v.b), 10, v));
        raise("TypeError", QStringLiteral("int() argument must be a string, a bytes-like object "
                                          "or a real number, not '%1'")
                               .arg(tn(v)));
    }
    if (n == "float") {
        if (args.empty())
            return Value::real(0);
        const Value &v = arg(0);
        if (v.isNumber())
            return Value::real(v.toDouble());
        if (v.type == T::Str || v.type == T::Bytes) {
            QString t = (v.type == T::Str ? v.s : QString::fromLatin1(v.b)).trimmed().toLower();
            bool ok = false;
            double d = 0;
            if (t == QLatin1String("inf") || t == QLatin1String("+inf") ||
                t == QLatin1String("infinity"))
                return Value::real(INFINITY);
            if (t == QLatin1String("-inf") || t == QLatin1String("-infinity"))
                return Value::real(-INFINITY);
            if (t == QLatin1String("nan"))
                return Value::real(NAN);
            t.remove(u'_');
            d = t.toDouble(&ok);
            if (!ok)
                raise("ValueError",
                      QStringLiteral("could not convert string to float: %1").arg(v.repr(-1)));
            return Value::real(d);
        }
        raise("TypeError", QStringLiteral("float() argument must be a string or a real number, "
                                          "not '%1'")
                               .arg(tn(v)));
    }
    if (n == "abs") {
        const Value &v = arg(0);
        if (v.type == T::Float)
            return Value::real(std::fabs(v.f));
        if (isInt(v))
            return Value::integer(v.i < 0 ? -v.i : v.i);
        raise("TypeError", QStringLiteral("bad operand type for abs(): '%1'").arg(tn(v)));
    }
    if (n == "min" || n == "max")
        return minMax(name, args, kw);
    if (n == "sum") {
        onlyKwargs(name, kw, {"start"});
        Value total = args.size() > 1 ? args[1] : Value::integer(0);
        if (const Value *st = kwarg(kw, "start"))
            total = *st;
        if (total.type == T::Str)
            raise("TypeError",
                  QStringLiteral("sum() can't sum strings [use ''.join(seq) instead]"));
        if (total.type == T::Bytes)
            raise("TypeError", QStringLiteral("sum() can't sum bytes [use b''.join(seq) instead]"));
        for (const Value &v : items(arg(0))) {
            if (!total.isNumber() || !v.isNumber()) {
                if (total.type == T::List && v.type == T::List) {
                    ValueList joined = total.seq();
                    for (const Value &x : v.seq())
                        joined.push_back(x);
                    total = Value::list(std::move(joined));
                    continue;
                }
                raise("TypeError",
                      QStringLiteral("unsupported operand type(s) for +: '%1' and '%2'")
                          .arg(tn(total), tn(v)));
            }
            if (total.type == T::Float || v.type == T::Float)
                total = Value::real(total.toDouble() + v.toDouble());
            else
                total = Value::integer(total.i + v.i);
        }
        return total;
    }
    if (n == "sorted") {
        onlyKwargs(name, kw, {"reverse"});
        ValueList out = items(arg(0));
        const Value *rev = kwarg(kw, "reverse");
        // Stable both ways, as CPython: equal items keep their order when reversed too.
        if (rev && rev->truthy())
            std::stable_sort(out.begin(), out.end(),
                             [](const Value &a, const Value &b) { return compare(b, a) < 0; });
        else
            std::stable_sort(out.begin(), out.end(),
                             [](const Value &a, const Value &b) { return compare(a, b) < 0; });
        return Value::list(std::move(out));
    }
    if (n == "enumerate") {
        onlyKwargs(name, kw, {"start"});
        std::int64_t k = args.size() > 1 ? args[1].i : 0;
        if (const Value *st = kwarg(kw, "start"))
            k = st->i;
        ValueList out;
        for (const Value &v : items(arg(0)))
            out.push_back(Value::tuple({Value::integer(k++), v}));
        return Value::list(std::move(out));
    }
    if (n == "zip") {
        std::vector<ValueList> cols;
        std::size_t shortest = args.empty() ? 0 : SIZE_MAX;
        for (const Value &a : args) {
            cols.push_back(items(a));
            shortest = std::min(shortest, cols.back().size());
        }
        ValueList out;
        for (std::size_t r = 0; r < shortest; ++r) {
            ValueList row;
            for (const ValueList &c : cols)
                row.push_back(c[r]);
            out.push_back(Value::tuple(std::move(row)));
        }
        return Value::list(std::move(out));
    }
    if (n == "list")
        return Value::list(args.empty() ? ValueList{} : items(arg(0)));
    if (n == "tuple")
        return args.empty() ? Value::tuple({}) : Value::tuple(items(arg(0)));
    if (n == "dict") {
        ValueList kv;
        auto put = [&](const Value &k, const Value &v) {
            checkHashable(k);
            const std::ptrdiff_t at = dictFind(kv, k);
            if (at >= 0) {
                kv[std::size_t(at) + 1] = v;
            } else {
                kv.push_back(k);
                kv.push_back(v);
            }
        };
        if (!args.empty()) {
            if (arg(0).type == T::Dict) {
                kv = arg(0).seq();
            } else {
                std::size_t k = 0;
                for (const Value &pair : items(arg(0))) {
                    if (pair.type != T::List && pair.type != T::Tuple)
                        raise("TypeError", QStringLiteral("cannot convert dictionary update "
                                                          "sequence element #%1 to a sequence")
                                               .arg(k));
                    const ValueList p = pair.seq();
                    if (p.size() != 2)
                        raise("ValueError", QStringLiteral("dictionary update sequence element "
                                                           "#%1 has length %2; 2 is required")
                                                .arg(k)
                                                .arg(p.size()));
                    put(p[0], p[1]);
                    ++k;
                }
            }
        }
        for (const auto &[k, v] : kw)
            put(Value::str(k), v);
        return Value::dict(std::move(kv));
    }
    if (n == "hex") {
        const Value &v = arg(0);
        if (!isInt(v))
            raise("TypeError",
                  QStringLiteral("'%1' object cannot be interpreted as an integer").arg(tn(v)));
        return Value::str(format(Value::integer(v.i), QStringLiteral("#x")));
    }
    if (n == "ord") {
        const Value &v = arg(0);
        if (v.type == T::Str || v.type == T::Bytes) {
            const std::int64_t len = length(v);
            if (len != 1)
                raise("TypeError", QStringLiteral("ord() expected a character, but string of "
                                                  "length %1 found")
                                       .arg(len));
            return v.type == T::Bytes ? Value::integer(static_cast<unsigned char>(v.b[0]))
                                      : Value::integer(v.s.toUcs4().at(0));
        }
        raise("TypeError",
              QStringLiteral("ord() expected string of length 1, but %1 found").arg(tn(v)));
    }
    if (n == "chr") {
        const Value &v = arg(0);
        if (!isInt(v))
            raise("TypeError",
                  QStringLiteral("'%1' object cannot be interpreted as an integer").arg(tn(v)));
        if (v.i < 0 || v.i > 0x10ffff)
            raise("ValueError", QStringLiteral("chr() arg not in range(0x110000)"));
        const char32_t c = char32_t(v.i);
        return Value::str(QString::fromUcs4(&c, 1));
    }
    if (n == "any" || n == "all") {
        const bool any = n == "any";
        for (const Value &v : items(arg(0)))
            if (v.truthy() == any)
                return Value::boolean(any);
        return Value::boolean(!any);
    }
    raise("NameError", QStringLiteral("name '%1' is not defined").arg(name));
}

} // namespace sl::engine::lang
