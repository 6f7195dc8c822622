// The tables of langcalls.h.
#include "script/langcalls.h"

#include <algorithm>
#include <vector>

namespace sl::script {

namespace {

constexpr int Many = 255; // print(*args) and str.format(*args)

struct LangCall {
    CallInfo info;
    const char *owners; // methods: the types that have it
};

#define SL_FN(name, lo, hi, what)                                                                  \
    { {CallId::None, name, CallKind::Builtin, lo, hi, "", "", what}, "" }
#define SL_M(name, lo, hi, owners, what)                                                           \
    { {CallId::None, name, CallKind::Builtin, lo, hi, "", "", what}, owners }

const std::vector<LangCall> &functions() {
    static const std::vector<LangCall> t = {
        SL_FN("print", 0, Many, "Print values as the actor's output (sep=' ', end='\\n')."),
        SL_FN("repr", 1, 1, "The value as Python writes it: 'x', b'x', [1, 2]."),
        SL_FN("bool", 0, 1, "True or False, as an if would read the value."),
        SL_FN("float", 0, 1, "Convert to a float."),
        SL_FN("sum", 1, 2, "The sum of a list of numbers."),
        SL_FN("sorted", 1, 2, "A new sorted list (reverse=True for descending)."),
        SL_FN("enumerate", 1, 2, "Pairs (index, item): `for i, x in enumerate(xs):`."),
        SL_FN("zip", 0, 8, "Tuples of the items at the same position."),
        SL_FN("list", 0, 1, "A new list (of the items of a sequence, a dict's keys)."),
        SL_FN("tuple", 0, 1, "A tuple of the items of a sequence."),
        SL_FN("dict", 0, 1, "A new dict (of pairs, or a copy)."),
        SL_FN("hex", 1, 1, "An integer in hexadecimal: '0x1f'."),
        SL_FN("ord", 1, 1, "The code of a one-character string or bytes."),
        SL_FN("chr", 1, 1, "The one-character string of a code."),
        SL_FN("any", 1, 1, "True if some item is true."),
        SL_FN("all", 1, 1, "True if every item is true."),
    };
    return t;
}

const std::vector<LangCall> &methods() {
    static const std::vector<LangCall> t = {
        // str and bytes
        SL_M("join", 1, 1, "str, bytes", "Join the items of a list with this separator."),
        SL_M("split", 0, 2, "str, bytes", "Split at a separator (or at whitespace)."),
        SL_M("rsplit", 0, 2, "str, bytes", "Split from the right."),
        SL_M("strip", 0, 1, "str, bytes", "Remove whitespace (or given chars) at both ends."),
        SL_M("lstrip", 0, 1, "str, bytes", "Remove whitespace at the start."),
        SL_M("rstrip", 0, 1, "str, bytes", "Remove whitespace at the end."),
        SL_M("upper", 0, 0, "str, bytes", "Upper case."),
        SL_M("lower", 0, 0, "str, bytes", "Lower case."),
        SL_M("startswith", 1, 3, "str, bytes", "Whether it starts with a prefix."),
        SL_M("endswith", 1, 3, "str, bytes", "Whether it ends with a suffix."),
        SL_M("find", 1, 3, "str, bytes", "Index of a part, -1 if absent."),
        SL_M("rfind", 1, 3, "str, bytes", "Index of the last occurrence, -1 if absent."),
        SL_M("index", 1, 3, "str, bytes, list, tuple", "Index of a part or item (or ValueError)."),
        SL_M("count", 1, 3, "str, bytes, list, tuple", "How many times it occurs."),
        SL_M("replace", 2, 3, "str, bytes", "Replace a part by another."),
        SL_M("partition", 1, 1, "str, bytes", "(before, sep, after) at the first separator."),
        SL_M("isdigit", 0, 0, "str, bytes", "Whether every character is a digit."),
        SL_M("format", 0, Many, "str", "Fill {} fields: '{} of {}'.format(a, b)."),
        SL_M("hex", 0, 0, "bytes", "The bytes as hex digits: b'\\x01\\xff'.hex() is '01ff'."),
        // list
        SL_M("append", 1, 1, "list", "Add an item at the end."),
        SL_M("extend", 1, 1, "list", "Add the items of a sequence at the end."),
        SL_M("insert", 2, 2, "list", "Insert an item before an index."),
        SL_M("pop", 0, 2, "list, dict", "Remove and return an item (the last; a key's)."),
        SL_M("remove", 1, 1, "list", "Remove the first item equal to a value."),
        SL_M("reverse", 0, 0, "list", "Reverse in place."),
        SL_M("sort", 0, 1, "list", "Sort in place (reverse=True for descending)."),
        SL_M("clear", 0, 0, "list, dict", "Remove every item."),
        SL_M("copy", 0, 0, "list, dict", "A shallow copy."),
        // dict
        SL_M("get", 1, 2, "dict", "The value of a key, or a default (None)."),
        SL_M("keys", 0, 0, "dict", "The keys, in insertion order."),
        SL_M("values", 0, 0, "dict", "The values, in insertion order."),
        SL_M("items", 0, 0, "dict", "The (key, value) pairs, in insertion order."),
        SL_M("setdefault", 1, 2, "dict", "The value of a key, set to a default if absent."),
        SL_M("update", 0, 1, "dict", "Set the keys of another dict."),
    };
    return t;
}

#undef SL_FN
#undef SL_M

const LangCall *find(const std::vector<LangCall> &t, const QString &name) {
    for (const LangCall &c : t)
        if (name == QLatin1String(c.info.name))
            return &c;
    return nullptr;
}

int distance(const QString &a, const QString &b) {
    std::vector<int> prev(std::size_t(b.size()) + 1), cur(std::size_t(b.size()) + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        prev[std::size_t(j)] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int sub = prev[std::size_t(j - 1)] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[std::size_t(j)] =
                std::min({prev[std::size_t(j)] + 1, cur[std::size_t(j - 1)] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[std::size_t(b.size())];
}

} // namespace

const CallInfo *findLangFunction(const QString &name) {
    const LangCall *c = find(functions(), name);
    return c ? &c->info : nullptr;
}

const CallInfo *findLangMethod(const QString &name) {
    const LangCall *c = find(methods(), name);
    return c ? &c->info : nullptr;
}

QString suggestLangName(const QString &unknown, bool method) {
    QString best;
    int bestDist = 3;
    for (const LangCall &c : method ? methods() : functions()) {
        const int d = distance(unknown.toLower(), QLatin1String(c.info.name));
        if (d < bestDist) {
            bestDist = d;
            best = QLatin1String(c.info.name);
        }
    }
    return best;
}

int langDistance(const QString &a, const QString &b) {
    return distance(a, b);
}

QString langMethodOwners(const QString &name) {
    const LangCall *c = find(methods(), name);
    return c ? QLatin1String(c->owners) : QString();
}

} // namespace sl::script
