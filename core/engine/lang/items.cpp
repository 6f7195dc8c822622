// Containers: hashing rules, indexing, slicing, item assignment and deletion, `in`,
// iteration and ordering, as CPython 3.11 does them (and with its messages).
#include "engine/interpreter.h" // ScriptException
#include "engine/lang/lang.h"

#include <QList>
#include <QStringList>

#include <algorithm>

namespace sl::engine::lang {

using T = Value::Type;

void raise(const char *type, const QString &message) {
    throw ScriptException{QString::fromLatin1(type), message, 0, true};
}

namespace {

QString typeName(const Value &v) {
    return QLatin1String(v.typeName());
}

bool isInt(const Value &v) {
    return v.type == T::Int || v.type == T::Bool;
}

bool hasSurrogates(const QString &s) {
    return std::any_of(s.begin(), s.end(), [](QChar c) { return c.isSurrogate(); });
}

// A str's characters are code points, as in Python (not UTF-16 units).
QList<uint> codePoints(const QString &s) {
    return s.toUcs4();
}

std::int64_t strLength(const QString &s) {
    return hasSurrogates(s) ? codePoints(s).size() : s.size();
}

QString strMid(const QString &s, std::int64_t from, std::int64_t n) {
    if (!hasSurrogates(s))
        return s.mid(qsizetype(from), qsizetype(n));
    const QList<uint> cps = codePoints(s);
    return QString::fromUcs4(reinterpret_cast<const char32_t *>(cps.constData()) + from,
                             qsizetype(n));
}

const char *seqWord(const Value &v) {
    switch (v.type) {
    case T::List:
        return "list";
    case T::Tuple:
        return "tuple";
    case T::Str:
        return "string";
    default:
        return "";
    }
}

std::int64_t index(const Value &obj, const Value &idx, std::int64_t n, bool assigning) {
    if (!isInt(idx)) {
        if (obj.type == T::Str)
            raise("TypeError",
                  QStringLiteral("string indices must be integers, not '%1'").arg(typeName(idx)));
        raise("TypeError", QStringLiteral("%1 indices must be integers or slices, not %2")
                               .arg(obj.type == T::Bytes ? QStringLiteral("byte")
                                                         : QLatin1String(obj.typeName()),
                                    typeName(idx)));
    }
    const std::int64_t k = idx.i < 0 ? idx.i + n : idx.i;
    if (k < 0 || k >= n) {
        if (assigning)
            raise("IndexError", QStringLiteral("list assignment index out of range"));
        if (obj.type == T::Bytes)
            raise("IndexError", QStringLiteral("index out of range"));
        raise("IndexError",
              QStringLiteral("%1 index out of range").arg(QLatin1String(seqWord(obj))));
    }
    return k;
}

} // namespace

bool hashable(const Value &v) {
    switch (v.type) {
    case T::List:
    case T::Dict:
        return false;
    case T::Tuple:
        for (const Value &x : *v.snapshot())
            if (!hashable(x))
                return false;
        return true;
    default:
        return true;
    }
}

void checkHashable(const Value &v) {
    if (v.type == T::Tuple) {
        for (const Value &x : *v.snapshot())
            checkHashable(x);
        return;
    }
    if (!hashable(v))
        raise("TypeError", QStringLiteral("unhashable type: '%1'").arg(typeName(v)));
}

std::ptrdiff_t dictFind(const ValueList &kv, const Value &key) {
    for (std::size_t k = 0; k + 1 < kv.size(); k += 2)
        if (kv[k].equals(key))
            return std::ptrdiff_t(k);
    return -1;
}

std::int64_t length(const Value &v) {
    switch (v.type) {
    case T::Str:
        return strLength(v.s);
    case T::Bytes:
        return v.b.size();
    case T::List:
    case T::Tuple:
    case T::Dict:
        return std::int64_t(v.count());
    default:
        raise("TypeError", QStringLiteral("object of type '%1' has no len()").arg(typeName(v)));
    }
}

Value getItem(const Value &obj, const Value &idx) {
    if (obj.type == T::Dict) {
        checkHashable(idx);
        const auto kv = obj.snapshot();
        const std::ptrdiff_t at = dictFind(*kv, idx);
        if (at < 0)
            raise("KeyError", idx.repr(-1));
        return (*kv)[std::size_t(at) + 1];
    }
    switch (obj.type) {
    case T::Bytes:
        return Value::integer(
            static_cast<unsigned char>(obj.b.at(qsizetype(index(obj, idx, obj.b.size(), false)))));
    case T::Str: {
        const std::int64_t k = index(obj, idx, strLength(obj.s), false);
        return Value::str(strMid(obj.s, k, 1));
    }
    case T::List:
    case T::Tuple: {
        const auto items = obj.snapshot();
        return (*items)[std::size_t(index(obj, idx, std::int64_t(items->size()), false))];
    }
    default:
        raise("TypeError", QStringLiteral("'%1' object is not subscriptable").arg(typeName(obj)));
    }
}

Value getSlice(const Value &obj, const Value &lo, const Value &hi, const Value &stepV) {
    std::int64_t n = 0;
    switch (obj.type) {
    case T::Str:
        n = strLength(obj.s);
        break;
    case T::Bytes:
        n = obj.b.size();
        break;
    case T::List:
    case T::Tuple:
        n = std::int64_t(obj.count());
        break;
    default:
        raise("TypeError", QStringLiteral("'%1' object is not subscriptable").arg(typeName(obj)));
    }
    auto bound = [](const Value &v) {
        if (!v.isNone() && !isInt(v))
            raise("TypeError", QStringLiteral("slice indices must be integers or None or have "
                                              "an __index__ method"));
    };
    bound(lo);
    bound(hi);
    bound(stepV);
    const std::int64_t step = stepV.isNone() ? 1 : stepV.i;
    if (step == 0)
        raise("ValueError", QStringLiteral("slice step cannot be zero"));
    // PySlice_AdjustIndices
    auto adjust = [&](const Value &v, std::int64_t dflt) {
        if (v.isNone())
            return dflt;
        std::int64_t x = v.i;
        if (x < 0) {
            x += n;
            if (x < 0)
                x = step < 0 ? -1 : 0;
        } else if (x >= n) {
            x = step < 0 ? n - 1 : n;
        }
        return x;
    };
    const std::int64_t start = adjust(lo, step < 0 ? n - 1 : 0);
    const std::int64_t stop = adjust(hi, step < 0 ? -1 : n);
    std::int64_t count = 0;
    if (step > 0 && start < stop)
        count = (stop - start - 1) / step + 1;
    else if (step < 0 && stop < start)
        count = (start - stop - 1) / (-step) + 1;
    if (step == 1) {
        if (obj.type == T::Bytes)
            return Value::bytes(obj.b.mid(qsizetype(start), qsizetype(count)));
        if (obj.type == T::Str)
            return Value::str(strMid(obj.s, start, count));
    }
    if (obj.type == T::Bytes) {
        QByteArray out;
        out.reserve(qsizetype(count));
        for (std::int64_t k = 0; k < count; ++k)
            out += obj.b.at(qsizetype(start + k * step));
        return Value::bytes(out);
    }
    if (obj.type == T::Str) {
        const QList<uint> cps = codePoints(obj.s);
        QList<uint> out;
        for (std::int64_t k = 0; k < count; ++k)
            out += cps.at(qsizetype(start + k * step));
        return Value::str(
            QString::fromUcs4(reinterpret_cast<const char32_t *>(out.constData()), out.size()));
    }
    const auto items = obj.snapshot();
    ValueList part;
    part.reserve(std::size_t(count));
    for (std::int64_t k = 0; k < count; ++k)
        part.push_back((*items)[std::size_t(start + k * step)]);
    return obj.type == T::Tuple ? Value::tuple(std::move(part)) : Value::list(std::move(part));
}

void setItem(const Value &obj, const Value &idx, const Value &v) {
    if (obj.type == T::Dict) {
        checkHashable(idx);
        obj.obj->mutate([&](ValueList &kv) {
            const std::ptrdiff_t at = dictFind(kv, idx);
            if (at >= 0) {
                kv[std::size_t(at) + 1] = v;
            } else {
                kv.push_back(idx);
                kv.push_back(v);
            }
        });
        return;
    }
    if (obj.type == T::List) {
        obj.obj->mutate([&](ValueList &items) {
            items[std::size_t(index(obj, idx, std::int64_t(items.size()), true))] = v;
        });
        return;
    }
    raise("TypeError",
          QStringLiteral("'%1' object does not support item assignment").arg(typeName(obj)));
}

void delItem(const Value &obj, const Value &idx) {
    if (obj.type == T::Dict) {
        checkHashable(idx);
        obj.obj->mutate([&](ValueList &kv) {
            const std::ptrdiff_t at = dictFind(kv, idx);
            if (at < 0)
                raise("KeyError", idx.repr(-1));
            kv.erase(kv.begin() + at, kv.begin() + at + 2);
        });
        return;
    }
    if (obj.type == T::List) {
        obj.obj->mutate([&](ValueList &items) {
            items.erase(items.begin() + index(obj, idx, std::int64_t(items.size()), true));
        });
        return;
    }
    if (obj.type == T::Str || obj.type == T::Bytes || obj.type == T::Tuple)
        raise("TypeError",
              QStringLiteral("'%1' object doesn't support item deletion").arg(typeName(obj)));
    raise("TypeError",
          QStringLiteral("'%1' object does not support item deletion").arg(typeName(obj)));
}

bool contains(const Value &hay, const Value &needle) {
    switch (hay.type) {
    case T::Bytes:
        if (isInt(needle)) {
            if (needle.i < 0 || needle.i > 255)
                raise("ValueError", QStringLiteral("byte must be in range(0, 256)"));
            return hay.b.contains(char(needle.i));
        }
        if (needle.type != T::Bytes)
            raise(
                "TypeError",
                QStringLiteral("a bytes-like object is required, not '%1'").arg(typeName(needle)));
        return hay.b.contains(needle.b);
    case T::Str:
        if (needle.type != T::Str)
            raise("TypeError",
                  QStringLiteral("'in <string>' requires string as left operand, not %1")
                      .arg(typeName(needle)));
        return hay.s.contains(needle.s);
    case T::Dict:
        checkHashable(needle);
        return dictFind(*hay.snapshot(), needle) >= 0;
    case T::List:
    case T::Tuple:
        for (const Value &v : *hay.snapshot())
            if (v.equals(needle))
                return true;
        return false;
    default:
        raise("TypeError",
              QStringLiteral("argument of type '%1' is not iterable").arg(typeName(hay)));
    }
}

void iterate(const Value &v, const std::function<bool(const Value &)> &body) {
    switch (v.type) {
    case T::Bytes:
        for (const char c : v.b)
            if (!body(Value::integer(static_cast<unsigned char>(c))))
                return;
        return;
    case T::Str:
        for (const uint c : codePoints(v.s)) {
            const char32_t ch = c;
            if (!body(Value::str(QString::fromUcs4(&ch, 1))))
                return;
        }
        return;
    case T::Tuple:
        for (const Value &x : *v.snapshot())
            if (!body(x))
                return;
        return;
    case T::Dict: { // the keys, as they were when the loop began
        const auto kv = v.snapshot();
        for (std::size_t k = 0; k + 1 < kv->size(); k += 2)
            if (!body((*kv)[k]))
                return;
        return;
    }
    case T::List: // by index, reading the live list: an append in the loop is seen
        for (std::size_t k = 0;; ++k) {
            Value item;
            {
                const auto items = v.snapshot();
                if (k >= items->size())
                    return;
                item = (*items)[k];
            }
            if (!body(item))
                return;
        }
    default:
        raise("TypeError", QStringLiteral("'%1' object is not iterable").arg(typeName(v)));
    }
}

ValueList items(const Value &v) {
    if (v.type == T::List || v.type == T::Tuple)
        return v.seq();
    ValueList out;
    iterate(v, [&](const Value &x) {
        out.push_back(x);
        return true;
    });
    return out;
}

int compare(const Value &a, const Value &b, const char *op) {
    if (a.isNumber() && b.isNumber()) {
        if (a.type == T::Float || b.type == T::Float) {
            const double x = a.toDouble(), y = b.toDouble();
            return x < y ? -1 : (x > y ? 1 : 0);
        }
        return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
    }
    if (a.type == T::Str && b.type == T::Str) {
        // By code point, as Python (UTF-16 order differs above the BMP).
        if (!hasSurrogates(a.s) && !hasSurrogates(b.s))
            return a.s.compare(b.s) < 0 ? -1 : (a.s == b.s ? 0 : 1);
        const QList<uint> x = codePoints(a.s), y = codePoints(b.s);
        return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end())
                   ? -1
                   : (x == y ? 0 : 1);
    }
    if (a.type == T::Bytes && b.type == T::Bytes) {
        const int c = a.b.compare(b.b);
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    if (a.type == b.type && (a.type == T::List || a.type == T::Tuple)) {
        const auto x = a.snapshot(), y = b.snapshot();
        const std::size_t n = std::min(x->size(), y->size());
        for (std::size_t k = 0; k < n; ++k)
            if (!(*x)[k].equals((*y)[k]))
                return compare((*x)[k], (*y)[k], op);
        return x->size() < y->size() ? -1 : (x->size() > y->size() ? 1 : 0);
    }
    raise("TypeError", QStringLiteral("'%1' not supported between instances of '%2' and '%3'")
                           .arg(QLatin1String(op), typeName(a), typeName(b)));
}

} // namespace sl::engine::lang
