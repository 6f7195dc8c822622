// The Python subset's values against CPython (issue 9): each row is one Python program,
// run twice — by python3 on this machine, and by the lab as one step of an actor (a
// `client: if True:` block). The lab's print() output (the actor's Say events
// in the trace) and its first uncaught exception must read exactly as CPython's stdout
// and the last line of its traceback.
#include "cpython_run.h"
#include "labtest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace labtest;

namespace {

// The program as one step of the client (a block, so a row costs one step, and the first
// uncaught exception ends it as it ends the Python program).
QString asLab(const QString &python) {
    QStringList out{QStringLiteral("client: if True:")};
    for (const QString &line : python.split(QLatin1Char('\n')))
        if (!line.trimmed().isEmpty())
            out << QStringLiteral("    ") + line;
    return out.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

// Runs every row in one python3 (starting python3 per row costs seconds on a loaded
// machine): each row's stdout, trimmed, then the last line of its traceback if it raised.
const char *const PyDriver = R"(
import io, json, contextlib, traceback
res = {}
for name, code in json.load(sys.stdin):
    buf = io.StringIO()
    err = ""
    with contextlib.redirect_stdout(buf):
        try:
            exec(code, {"__name__": "__main__"})
        except Exception as e:
            err = traceback.format_exception_only(type(e), e)[-1].strip()
    out = buf.getvalue().strip()
    res[name] = out + ("\n" if out and err else "") + err
json.dump(res, sys.stdout)
)";

using Rows = std::vector<std::pair<const char *, const char *>>;
void addRows(Rows &rows);

const Rows &rows() {
    static const Rows r = [] {
        Rows all;
        addRows(all);
        return all;
    }();
    return r;
}

} // namespace

class TestLangValues : public QObject {
    Q_OBJECT
    QJsonObject m_python; // row name -> what CPython printed
    bool m_ran = false;
private slots:
    void initTestCase();
    void table_data();
    void table();
    void printIsTheActorsOutput();
    void oneListForEveryActor();
};

void TestLangValues::table_data() {
    QTest::addColumn<QString>("python");
    for (const auto &[name, code] : rows())
        QTest::newRow(name) << QString::fromUtf8(code);
}

namespace {

void addRows(Rows &rows) {
    auto row = [&rows](const char *name, const char *code) { rows.emplace_back(name, code); };
    // bitwise operators: masks (POLLIN | POLLOUT), flags, shifts
    row("bitwise | & ^ ~ and precedence", R"(print(1 | 4, 5 & 4, 5 ^ 1, ~5, ~-1, ~True, 1 | 2 == 3)
print(True | False, True & False, True ^ True, 6 & 3 | 8, 1 + 2 | 4, 2 * 3 & 7)
print(0x800 | 0x2, (0x802 & ~0x800), -5 & 0xff, 3 | 4 ^ 1 & 6)
)");
    row("shifts, floors, negative counts",
        R"(print(1 << 16, 255 >> 4, -5 >> 1, -1 >> 100, 1 << 0, 3 << 2 + 1)
print(5 >> 64, -(1 << 62) << 1)
print(1 << -1)
)");
    row("bitwise on a float is a TypeError", R"(print(1.0 | 2)
)");
    row("unary ~ on a str is a TypeError", R"(print(~"a")
)");
    // dict
    row("dict literal, repr, len, in", R"(d = {"a": 1, "b": [1, 2], 3: b"x\n", (1, 2): None}
print(d, len(d), "a" in d, "z" not in d, (1, 2) in d)
)");
    row("dict set, update, order", R"(d = {}
d["x"] = 1
d["y"] = 2
d["x"] = 3
d[1] = "one"
d[1.0] = "float one"
d[True] = "true"
print(d)
)");
    row("dict del, pop, get", R"(d = {"a": 1, "b": 2, "c": 3}
del d["b"]
print(d, d.get("a"), d.get("z"), d.get("z", 0), d.pop("a"), d.pop("q", "dflt"), d)
)");
    row("dict keys values items", R"(d = {"k": 1, "j": 2}
print(list(d.keys()), list(d.values()), list(d.items()), sorted(d))
for k in d:
    print(k, d[k])
)");
    row("dict setdefault update copy", R"(d = {"a": [1]}
d.setdefault("b", []).append(5)
d.setdefault("a", []).append(2)
e = d.copy()
e.update({"c": 3}, )
print(d, e, dict([("x", 1), ("y", 2)]), dict(a=1), dict())
)");
    row("dict += item", R"(counts = {"a": 0}
counts["a"] += 2
counts["a"] -= 1
buf = {"c": b""}
buf["c"] += b"xy"
print(counts, buf)
)");
    row("KeyError", R"(d = {"a": 1}
print(d["a"])
print(d["missing"])
)");
    row("KeyError on del", R"(d = {}
del d[(1, "x")]
)");
    row("unhashable key", R"(d = {}
d[[1, 2]] = 3
)");
    // list
    row("list methods", R"(a = [3, 1, 2]
a.append(4)
a.extend([5, 6])
a.insert(0, 9)
a.insert(-1, 7)
print(a, a.pop(), a.pop(0), a.index(2), a.count(1), len(a))
a.remove(1)
a.reverse()
print(a)
a.sort()
print(a, 2 in a, 8 in a)
a.sort(reverse=True)
print(a)
)");
    row("list aliasing", R"(a = [1]
b = a
b.append(2)
a += [3]
c = a + [4]
print(a, b, c, a is b, a == c, a is c)
)");
    row("list slicing", R"(a = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
print(a[2:5], a[:3], a[7:], a[-3:], a[:-7], a[::2], a[1::3], a[::-1], a[8:2:-2], a[100:], a[-100:2])
print(a[-1], a[-10], a[5:5], a[5:1])
)");
    row("list item set and del", R"(a = [1, 2, 3]
a[0] = "x"
a[-1] = None
del a[1]
print(a)
)");
    row("list index errors", R"(a = [1, 2, 3]
print(a[2])
print(a[3])
)");
    row("pop from empty list", R"(a = []
a.pop()
)");
    row("list.remove missing", R"(a = [1]
a.remove(2)
)");
    row("list.index missing", R"(a = ["x"]
a.index("y")
)");
    row("list * n, nested repr",
        R"(print([0] * 3, [[1, 2], (3,), {"k": [b"v"]}], [] * 2, 2 * [None])
)");
    // tuple
    row("tuple", R"(t = (1, "a", b"b")
u = (1,)
print(t, u, (), t[1], t[-1], t[1:], t.index("a"), t.count(1), len(t), t + u, u * 3)
print((1, 2) < (1, 3), [1, 2] < [1, 2, 0], (1, 2) == (1, 2), (1,) == [1])
)");
    row("tuple item assignment", R"(t = (1, 2)
t[0] = 5
)");
    // bytes
    row("bytes methods", R"(b = b"GET /index.html HTTP/1.0\r\nHost: x\r\n\r\nbody"
head, sep, body = b.partition(b"\r\n\r\n")
print(head.split(b"\r\n"), body, b.find(b"Host"), b.find(b"nope"), b.startswith(b"GET"), b.endswith(b"body"))
print(b"a,b,,c".split(b","), b"  a b  ".split(), b"  a b  ".strip(), b"x".join([b"1", b"2", b"3"]), b"-".join([]))
print(b"abc"[0], b"abc"[1:], b"abc"[::-1], b"b" in b"abc", 99 in b"abc", b"abc".upper(), b"hi".hex(), b"aXbXc".replace(b"X", b"--"))
print(b"a b c".split(b" ", 1), b"a b c".rsplit(b" ", 1), b"abcabc".count(b"bc"), b"abc".index(b"c"))
)");
    row("bytes repr",
        R"(print(b"", b"'", b'"', b"'\"", b"\x00\x7f\xff\t\\", bytes(3), bytes([65, 66]), bytes("h\u00e9", "utf-8"))
)");
    row("bytes + str", R"(b = b"abc"
print(b + b"d")
print(b + "d")
)");
    row("str in bytes", R"(print("a" in b"abc")
)");
    row("bytes.join of str", R"(print(b"".join([b"a", "b"]))
)");
    // str
    row("str methods", R"(s = "  Hello, World  "
print(s.strip(), s.lstrip(), s.rstrip(), s.upper(), s.lower(), s.split(), s.split(","), s.strip().startswith("Hello"))
print("a-b-c".split("-", 1), "a-b-c".rsplit("-", 1), ",".join(["x", "y"]), "abc".find("c"), "abc".replace("b", "B"), "x".join("abc"))
print("42".isdigit(), "4a".isdigit(), "abcabc".count("a"), "k=v".partition("="), "abc"[1], "abc"[-1], "abc"[::-1], "héllo"[1:3])
print("{} and {}".format(1, "two"), "{1}{0}".format("a", "b"), "{x!r:>6}|".format(x="q"), "{:08.3f}".format(3.14159))
)");
    row("str repr",
        R"(print(repr("it's"), repr('say "hi"'), repr('both \' and "'), repr("tab\there\nnl\\"), repr("\x00\x1b\u00e9\u200b"))
print(str(b"x"), str([1, "a"]), str(None), str(True), repr(1.0), repr(0.1), repr(1e16), repr(1.5e-5), repr(-0.0), repr(123456789.123), 1/3, 2/2, 7 / 2)
)");
    row("str <-> bytes", R"(s = "h\u00e9llo \u20ac"
b = s.encode()
print(b, len(s), len(b), b.decode(), b.decode("utf-8") == s, "abc".encode("ascii"), b"\xe9".decode("latin-1"))
)");
    row("str + bytes", R"(print("a" + b"b")
)");
    row("decode error", R"(b"ok\xff".decode()
)");
    row("encode error", R"("caf\u00e9".encode("ascii")
)");
    row("str.join of int", R"(",".join(["a", 1])
)");
    row("int in str", R"(print(1 in "123")
)");
    // f-strings and formatting
    row("f-strings", R"(n = 1234567
x = 3.14159
s = "ab"
b = b"\x01hi"
print(f"{n} {n:,} {n:_} {n:>10}| {n:<10}| {n:^11}| {n:x} {n:#X} {n:o} {n:b} {n:010d} {-n:,}")
print(f"{x:.2f} {x:8.3f}| {x:e} {x:.1%} {x:g} {x:,.2f} {x!r} {x:+.1f}")
print(f"{s!r} {s:>5}| {s:*^6} {b} {b!r} {[1, s]} {None} {True} {n=} {s=!s}")
print(f"{{literal}} {n % 7} {len(s) * 2} {'q'} {3 > 2}")
)");
    row("% formatting",
        R"(print("%05d|%-6s|%x|%X|%o|%.2f|%5.1f|%s|%r|%%|%c" % (42, "ab", 255, 255, 8, 3.14159, 2.25, None, "q", 65))
print("len %d" % 12, "%s:%d" % ("127.0.0.1", 80), "%+d % d" % (5, 5), "%3d|%-3d|" % (1, 2))
)");
    row("format code errors", R"(print(f"{'x':d}")
)");
    // print
    row("print sep end", R"(print()
print(1, "a", b"b", [None], sep=" | ")
print("x", end="!\n")
print("a", "b", sep="")
)");
    // builtins
    row("builtins", R"(xs = [4, 1, 3]
print(len(xs), min(xs), max(xs), sum(xs), sum([0.5, 1]), sorted(xs), sorted(xs, reverse=True), sorted(["b", "a"]))
print(min(3, 1, 2), max("a", "b"), abs(-3), abs(-2.5), int("42"), int(" -7 "), int(3.9), int("ff", 16), int(b"12"), float("1.5"), float(2))
print(str(12), repr(b"x"), bool(0), bool([]), bool([0]), bool(""), hex(255), hex(-1), ord("a"), chr(97), any([0, 1]), all([1, 0]), all([]))
print(list(range(3)), list(range(5, 0, -2)), list("ab"), tuple([1, 2]), list(enumerate(["a", "b"], 1)), list(zip([1, 2, 3], "ab")))
)");
    row("int() error", R"(int("12x")
)");
    row("len() error", R"(len(5)
)");
    row("max of empty", R"(max([])
)");
    row("compare error", R"(print([1, 2] < [1, "a"])
)");
    row("division errors", R"(print(7 // 2, -7 // 2, 7 % -3, 7.5 % 2, 7 / 2)
print(1 % 0)
)");
    row("sum of str", R"(sum(["a", "b"])
)");
}

} // namespace

void TestLangValues::initTestCase() {
    QJsonArray all;
    for (const auto &[name, code] : rows())
        all.append(QJsonArray{QString::fromUtf8(name), QString::fromUtf8(code)});
    const cpythontest::PyRun py = cpythontest::runPythonRaw(
        QString::fromUtf8(PyDriver), QJsonDocument(all).toJson(QJsonDocument::Compact));
    m_ran = py.ran && py.exitCode == 0;
    QVERIFY2(!py.ran || m_ran, qPrintable(py.err));
    m_python = QJsonDocument::fromJson(py.out.toUtf8()).object();
}

void TestLangValues::table() {
    QFETCH(QString, python);
    if (!m_ran)
        QSKIP("no python3");
    const QString expected = m_python.value(QString::fromUtf8(QTest::currentDataTag())).toString();
    Lab lab;
    const auto reports = run(lab, asLab(python));
    QStringList out;
    const auto &t = lab.trace();
    for (std::size_t i = 0; i < t.size(); ++i) {
        const Event &e = t.event(i);
        if (e.kind == EventKind::Say && e.actor != sl::trace::NoActor)
            out << t.text(e.text.a);
    }
    for (const StepReport &r : reports)
        if (!r.outcome.ok) {
            out << r.outcome.exception + QStringLiteral(": ") + r.outcome.message;
            break;
        }
    QCOMPARE(out.join(QLatin1Char('\n')).trimmed(), expected);
}

// print() is the actor's output: a Say event of that actor, on the line that printed.
void TestLangValues::printIsTheActorsOutput() {
    Lab lab;
    run(lab, src("client: x = 1\nserver: print(\"hello\", x)\n"));
    const auto says = events(lab.trace(), EventKind::Say);
    QCOMPARE(says.size(), std::size_t(1));
    QCOMPARE(says[0].actor, std::uint8_t(lab.program()->actors.indexOf(QStringLiteral("server"))));
    QCOMPARE(says[0].line, std::uint16_t(2));
    QCOMPARE(lab.trace().text(says[0].text.a), QStringLiteral("hello 1"));
}

// Names are shared by the actors (threads of one process): a list one actor appends to
// is the list another reads, as two threads of a Python program would see it; a loop
// over a list sees what its own body appends (CPython reads the list live).
void TestLangValues::oneListForEveryActor() {
    Lab lab;
    run(lab, src(R"(client: xs = []
client: per = {"client": xs}
server: xs.append(1)
server: per["server"] = [2]
client: print(xs, per)
client: for x in xs:
    if x < 3:
        xs.append(x + 1)
client: print(xs)
)"));
    QStringList out;
    for (const Event &e : events(lab.trace(), EventKind::Say))
        out << lab.trace().text(e.text.a);
    QCOMPARE(out, (QStringList{QStringLiteral("[1] {'client': [1], 'server': [2]}"),
                               QStringLiteral("[1, 2, 3]")}));
}

QTEST_GUILESS_MAIN(TestLangValues)
#include "tst_lang_values.moc"
