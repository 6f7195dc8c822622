// Methods of values: list (append, pop, sort, …), tuple (index, count) and dict (get,
// keys, items, pop, …); str and bytes in textmethods.cpp. As
// CPython 3.11, with its messages. Dispatched by name: the parser checked the name and
// a loose arity (script/langcalls.h); the exact rules per type are checked here.
#include "engine/lang/lang.h"

#include <QList>
#include <QStringList>

#include <QStringDecoder>
#include <algorithm>

namespace sl::engine::lang {

using T = Value::Type;

namespace {

QString tn(const Value &v) {
    return QLatin1String(v.typeName());
}

[[noreturn]] void noAttribute(const Value &obj, const QString &name) {
    raise("AttributeError", QStringLiteral("'%1' object has no attribute '%2'").arg(tn(obj), name));
}

void checkArityImpl(const QString &name, const ValueList &args, std::size_t lo, std::size_t hi,
                    const char *owner) {
    if (args.size() >= lo && args.size() <= hi)
        return;
    const QString who = QStringLiteral("%1.%2()").arg(QLatin1String(owner), name);
    if (lo == hi && lo == 0)
        raise("TypeError",
              QStringLiteral("%1 takes no arguments (%2 given)").arg(who).arg(args.size()));
    if (lo == hi)
        raise("TypeError",
              QStringLiteral("%1 takes exactly one argument (%2 given)").arg(who).arg(args.size()));
    raise("TypeError",
          QStringLiteral("%1 expected %2 %3 argument%4, got %5")
              .arg(name, args.size() < lo ? QStringLiteral("at least") : QStringLiteral("at most"))
              .arg(args.size() < lo ? lo : hi)
              .arg(((args.size() < lo ? lo : hi) == 1) ? QString() : QStringLiteral("s"))
              .arg(args.size()));
}

// str and bytes share their algorithms.
std::pair<qsizetype, qsizetype> sliceWindowImpl(qsizetype n, const ValueList &args,
                                                std::size_t from) {
    auto adjust = [n](const Value &v, qsizetype dflt) -> qsizetype {
        if (v.isNone())
            return dflt;
        if (v.type != T::Int && v.type != T::Bool)
            raise("TypeError", QStringLiteral("slice indices must be integers or None or have "
                                              "an __index__ method"));
        qsizetype x = qsizetype(v.i);
        if (x < 0)
            x = std::max<qsizetype>(0, x + n);
        return std::min(x, n);
    };
    const qsizetype lo = args.size() > from ? adjust(args[from], 0) : 0;
    const qsizetype hi = args.size() > from + 1 ? adjust(args[from + 1], n) : n;
    return {lo, hi};
}

const auto arity = checkArityImpl;
const auto window = sliceWindowImpl;

Value listMethod(const QString &name, const Value &obj, const ValueList &args, const Kwargs &kw,
                 bool *handled) {
    *handled = true;
    Shared &box = *obj.obj;
    if (name == QLatin1String("sort")) {
        for (const auto &[k, v] : kw)
            if (k != QLatin1String("reverse"))
                raise("TypeError",
                      QStringLiteral("'%1' is an invalid keyword argument for sort()").arg(k));
        if (!args.empty())
            raise("TypeError", QStringLiteral("sort() takes no positional arguments"));
        const bool rev = !kw.empty() && kw[0].second.truthy();
        ValueList sorted = obj.seq();
        if (rev)
            std::stable_sort(sorted.begin(), sorted.end(),
                             [](const Value &a, const Value &b) { return compare(b, a) < 0; });
        else
            std::stable_sort(sorted.begin(), sorted.end(),
                             [](const Value &a, const Value &b) { return compare(a, b) < 0; });
        box.mutate([&](ValueList &items) { items = std::move(sorted); });
        return Value::none();
    }
    if (!kw.empty())
        raise("TypeError", QStringLiteral("list.%1() takes no keyword arguments").arg(name));
    if (name == QLatin1String("append")) {
        arity(name, args, 1, 1, "list");
        box.mutate([&](ValueList &items) { items.push_back(args[0]); });
        return Value::none();
    }
    if (name == QLatin1String("extend")) {
        arity(name, args, 1, 1, "list");
        const ValueList more = items(args[0]);
        box.mutate([&](ValueList &items) { items.insert(items.end(), more.begin(), more.end()); });
        return Value::none();
    }
    if (name == QLatin1String("insert")) {
        arity(name, args, 2, 2, "list");
        if (args[0].type != T::Int && args[0].type != T::Bool)
            raise(
                "TypeError",
                QStringLiteral("'%1' object cannot be interpreted as an integer").arg(tn(args[0])));
        box.mutate([&](ValueList &items) {
            const std::int64_t n = std::int64_t(items.size());
            std::int64_t k =
                args[0].i < 0 ? std::max<std::int64_t>(0, args[0].i + n) : std::min(args[0].i, n);
            items.insert(items.begin() + k, args[1]);
        });
        return Value::none();
    }
    if (name == QLatin1String("pop")) {
        arity(name, args, 0, 1, "list");
        return box.mutate([&](ValueList &items) {
            if (items.empty())
                raise("IndexError", QStringLiteral("pop from empty list"));
            const std::int64_t n = std::int64_t(items.size());
            std::int64_t k = args.empty() ? n - 1 : args[0].i;
            if (k < 0)
                k += n;
            if (k < 0 || k >= n)
                raise("IndexError", QStringLiteral("pop index out of range"));
            Value v = items[std::size_t(k)];
            items.erase(items.begin() + k);
            return v;
        });
    }
    if (name == QLatin1String("remove")) {
        arity(name, args, 1, 1, "list");
        box.mutate([&](ValueList &items) {
            for (auto it = items.begin(); it != items.end(); ++it)
                if (it->equals(args[0])) {
                    items.erase(it);
                    return;
                }
            raise("ValueError", QStringLiteral("list.remove(x): x not in list"));
        });
        return Value::none();
    }
    if (name == QLatin1String("clear")) {
        arity(name, args, 0, 0, "list");
        box.mutate([](ValueList &items) { items.clear(); });
        return Value::none();
    }
    if (name == QLatin1String("copy")) {
        arity(name, args, 0, 0, "list");
        return Value::list(obj.seq());
    }
    if (name == QLatin1String("reverse")) {
        arity(name, args, 0, 0, "list");
        box.mutate([](ValueList &items) { std::reverse(items.begin(), items.end()); });
        return Value::none();
    }
    *handled = false;
    return {};
}

Value seqMethod(const QString &name, const Value &obj, const ValueList &args, bool *handled) {
    *handled = true;
    const char *owner = obj.type == T::List ? "list" : "tuple";
    if (name == QLatin1String("count")) {
        arity(name, args, 1, 1, owner);
        std::int64_t c = 0;
        for (const Value &v : *obj.snapshot())
            c += v.equals(args[0]) ? 1 : 0;
        return Value::integer(c);
    }
    if (name == QLatin1String("index")) {
        arity(name, args, 1, 3, owner);
        const auto items = obj.snapshot();
        const auto [lo, hi] = window(qsizetype(items->size()), args, 1);
        for (qsizetype k = lo; k < hi; ++k)
            if ((*items)[std::size_t(k)].equals(args[0]))
                return Value::integer(k);
        raise("ValueError", obj.type == T::List
                                ? QStringLiteral("%1 is not in list").arg(args[0].repr(-1))
                                : QStringLiteral("tuple.index(x): x not in tuple"));
    }
    *handled = false;
    return {};
}

Value dictMethod(const QString &name, const Value &obj, const ValueList &args, const Kwargs &kw,
                 bool *handled) {
    *handled = true;
    Shared &box = *obj.obj;
    if (name == QLatin1String("update")) {
        arity(name, args, 0, 1, "dict");
        ValueList src;
        if (!args.empty()) {
            Value other = args[0];
            if (other.type != T::Dict)
                other = callBuiltin(QStringLiteral("dict"), {other}, {});
            src = other.seq();
        }
        for (const auto &[k, v] : kw) {
            src.push_back(Value::str(k));
            src.push_back(v);
        }
        box.mutate([&](ValueList &kv) {
            for (std::size_t k = 0; k + 1 < src.size(); k += 2) {
                const std::ptrdiff_t at = dictFind(kv, src[k]);
                if (at >= 0) {
                    kv[std::size_t(at) + 1] = src[k + 1];
                } else {
                    kv.push_back(src[k]);
                    kv.push_back(src[k + 1]);
                }
            }
        });
        return Value::none();
    }
    if (!kw.empty())
        raise("TypeError", QStringLiteral("dict.%1() takes no keyword arguments").arg(name));
    if (name == QLatin1String("get")) {
        arity(name, args, 1, 2, "dict");
        checkHashable(args[0]);
        const auto kv = obj.snapshot();
        const std::ptrdiff_t at = dictFind(*kv, args[0]);
        return at >= 0 ? (*kv)[std::size_t(at) + 1] : (args.size() > 1 ? args[1] : Value());
    }
    if (name == QLatin1String("keys") || name == QLatin1String("values") ||
        name == QLatin1String("items")) {
        arity(name, args, 0, 0, "dict");
        const auto kv = obj.snapshot();
        ValueList out;
        for (std::size_t k = 0; k + 1 < kv->size(); k += 2)
            out.push_back(name == QLatin1String("keys") ? (*kv)[k]
                          : name == QLatin1String("values")
                              ? (*kv)[k + 1]
                              : Value::tuple({(*kv)[k], (*kv)[k + 1]}));
        return Value::list(std::move(out));
    }
    if (name == QLatin1String("pop")) {
        arity(name, args, 1, 2, "dict");
        checkHashable(args[0]);
        return box.mutate([&](ValueList &kv) {
            const std::ptrdiff_t at = dictFind(kv, args[0]);
            if (at < 0) {
                if (args.size() > 1)
                    return args[1];
                raise("KeyError", args[0].repr(-1));
            }
            Value v = kv[std::size_t(at) + 1];
            kv.erase(kv.begin() + at, kv.begin() + at + 2);
            return v;
        });
    }
    if (name == QLatin1String("setdefault")) {
        arity(name, args, 1, 2, "dict");
        checkHashable(args[0]);
        return box.mutate([&](ValueList &kv) {
            const std::ptrdiff_t at = dictFind(kv, args[0]);
            if (at >= 0)
                return kv[std::size_t(at) + 1];
            kv.push_back(args[0]);
            kv.push_back(args.size() > 1 ? args[1] : Value());
            return kv.back();
        });
    }
    if (name == QLatin1String("clear")) {
        arity(name, args, 0, 0, "dict");
        box.mutate([](ValueList &kv) { kv.clear(); });
        return Value::none();
    }
    if (name == QLatin1String("copy")) {
        arity(name, args, 0, 0, "dict");
        return Value::dict(obj.seq());
    }
    *handled = false;
    return {};
}

} // namespace

void checkArity(const QString &name, const ValueList &args, std::size_t lo, std::size_t hi,
                const char *owner) {
    checkArityImpl(name, args, lo, hi, owner);
}

std::pair<qsizetype, qsizetype> sliceWindow(qsizetype n, const ValueList &args, std::size_t from) {
    return sliceWindowImpl(n, args, from);
}

bool hasMethods(const Value &v) {
    switch (v.type) {
    case T::None:
    case T::Bool:
    case T::Int:
    case T::Float:
    case T::Str:
    case T::Bytes:
    case T::Tuple:
    case T::List:
    case T::Dict:
        return true;
    default: // sockets, wires, actors (and any later type) have their own methods
        return false;
    }
}

Value callMethod(const QString &name, const Value &obj, const ValueList &args, const Kwargs &kw) {
    bool handled = false;
    Value r;
    switch (obj.type) {
    case T::Str:
    case T::Bytes:
        r = callTextMethod(name, obj, args, kw, &handled); // textmethods.cpp
        break;
    case T::List:
        r = listMethod(name, obj, args, kw, &handled);
        if (!handled && kw.empty())
            r = seqMethod(name, obj, args, &handled);
        break;
    case T::Tuple:
        if (kw.empty())
            r = seqMethod(name, obj, args, &handled);
        break;
    case T::Dict:
        r = dictMethod(name, obj, args, kw, &handled);
        break;
    default:
        break;
    }
    if (!handled)
        noAttribute(obj, name);
    return r;
}

} // namespace sl::engine::lang
