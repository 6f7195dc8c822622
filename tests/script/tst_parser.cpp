// Valid scripts and the exact tree the parser makes of them (the interpreter's contract).
#include "script/parser.h"

#include <QSet>
#include <QTest>

#include <cerrno>
#include <limits>
#include <sys/socket.h>

using namespace sl::script;

class TstParser : public QObject {
    Q_OBJECT
private slots:
    void designExample();
    void expressionShapes_data();
    void expressionShapes();
    void literals();
    void callsAndKwargs();
    void normalisation();
    void tupleUnpacking();
    void augAssign();
    void blocks();
    void ifElifElse();
    void inlineBody();
    void sayMerging();
    void sayPlaceholders();
    void metadata();
    void slotsSharedAcrossActors();
    void actorNamesAreValues();
    void waitForms();
    void stepIndexForLine();
    void catalogue();
};

static Program parseOk(const QString &src) {
    ParseResult r = parse(src, QStringLiteral("t.lab"));
    for (const Diagnostic &d : r.diagnostics)
        qWarning("%s", qPrintable(formatDiagnostic(d, QStringLiteral("t.lab"), src)));
    if (!r.program)
        qFatal("expected the script to parse");
    return std::move(*r.program);
}

// A compact rendering of an expression tree: kinds, ops, names and values.
static QString shape(const Expr *e) {
    if (!e)
        return QStringLiteral("null");
    QStringList kids;
    for (const ExprPtr &k : e->kids)
        kids << shape(k.get());
    for (const auto &kw : e->kwargs)
        kids << kw.first + u'=' + shape(kw.second.get());
    const QString args = kids.join(u' ');
    switch (e->kind) {
    case ExprKind::Int:
        return QString::number(e->i);
    case ExprKind::Float:
        return QString::number(e->f);
    case ExprKind::Str:
        return u'"' + e->str + u'"';
    case ExprKind::Bytes:
        return QStringLiteral("b\"") + QString::fromLatin1(e->bytes.toHex()) + u'"';
    case ExprKind::Bool:
        return e->i ? QStringLiteral("True") : QStringLiteral("False");
    case ExprKind::None:
        return QStringLiteral("None");
    case ExprKind::Name:
        return e->name;
    case ExprKind::Const:
        return QStringLiteral("%1=%2").arg(e->name).arg(e->i);
    case ExprKind::Tuple:
        return QStringLiteral("(tuple %1)").arg(args);
    case ExprKind::List:
        return QStringLiteral("(list %1)").arg(args);
    case ExprKind::Call:
        return QStringLiteral("(call %1 %2)").arg(e->name, args);
    case ExprKind::Method:
        return QStringLiteral("(method %1 %2)").arg(e->name, args);
    case ExprKind::Index:
        return QStringLiteral("(index %1)").arg(args);
    case ExprKind::Slice:
        return QStringLiteral("(slice %1)").arg(args);
    case ExprKind::Unary:
    case ExprKind::Binary:
    case ExprKind::Compare:
    case ExprKind::BoolOp:
        return QStringLiteral("(%1 %2)").arg(QChar::fromLatin1(e->op), args);
    case ExprKind::Dict:
        return QStringLiteral("(dict %1)").arg(args);
    case ExprKind::FString:
        return QStringLiteral("(f %1)").arg(args);
    case ExprKind::Format:
        return QStringLiteral("(format %1 %2)").arg(e->str, args);
    case ExprKind::SetItem:
        return QStringLiteral("(setitem %1)").arg(args);
    case ExprKind::DelItem:
        return QStringLiteral("(delitem %1)").arg(args);
    }
    return QStringLiteral("?");
}

static const Expr *valueOf(const Program &p, size_t step) {
    return p.steps.at(step)->expr.get();
}

void TstParser::designExample() {
    const QString src = QStringLiteral(R"(#! title: Partial send
#! title[ko]: 부분 전송
say "send() may take fewer bytes than you hand it."
say[ko] "send()는 건넨 것보다 적은 바이트만 가져갈 수 있습니다."
server: srv = socket(AF_INET, SOCK_STREAM)
server: srv.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096)
server: srv.bind(("127.0.0.1", 0))
server: srv.listen(5)
client: s = socket(AF_INET, SOCK_STREAM)
client: s.setsockopt(SOL_SOCKET, SO_SNDBUF, 4096)
client: s.connect(srv.getsockname())
server: conn, addr = srv.accept()
client: s.setblocking(False)
client: n = s.send(b"x" * 1_000_000)
expect n < 1_000_000
say "send() took {n} of 1,000,000 bytes: the rest did not fit in the buffers."
client: n = s.send(b"x" * 1_000_000)
client: n = s.send(b"x" * 1_000_000)
client: s.send(b"x" * 1_000_000)
expect error == EAGAIN
)");
    const ParseResult r = parse(src, QStringLiteral("partial.lab"));
    QVERIFY(r.diagnostics.empty());
    QVERIFY(r.program);
    const Program &p = *r.program;
    QCOMPARE(p.fileName, QStringLiteral("partial.lab"));
    QCOMPARE(p.source, src);
    QCOMPARE(p.steps.size(), size_t(17)); // say+say[ko] is one step
    QCOMPARE(p.actors, (QStringList{QStringLiteral("server"), QStringLiteral("client")}));
    QCOMPARE(p.title(), QStringLiteral("Partial send"));
    QCOMPARE(p.title(QStringLiteral("ko")), QString::fromUtf8("부분 전송"));

    const Stmt &s1 = *p.steps[1];
    QCOMPARE(s1.kind, StmtKind::Assign);
    QCOMPARE(s1.actor, QStringLiteral("server"));
    QCOMPARE(s1.actorIndex, 0);
    QCOMPARE(s1.source, QStringLiteral("srv = socket(AF_INET, SOCK_STREAM)"));
    QCOMPARE(s1.span.line, 5);
    QCOMPARE(s1.span.col, 9);
    QCOMPARE(s1.targets, QStringList{QStringLiteral("srv")});
    QCOMPARE(shape(s1.expr.get()), QStringLiteral("(call socket AF_INET=2 SOCK_STREAM=1)"));
    QCOMPARE(s1.expr->call->id, CallId::Socket);
    QCOMPARE(s1.expr->text, QStringLiteral("socket(AF_INET, SOCK_STREAM)"));
    QCOMPARE(s1.expr->span.col, 15);

    QCOMPARE(shape(valueOf(p, 3)), QStringLiteral("(method bind srv (tuple \"127.0.0.1\" 0))"));
    QCOMPARE(valueOf(p, 3)->call->id, CallId::Bind);
    QCOMPARE(shape(valueOf(p, 7)), QStringLiteral("(method connect s (method getsockname srv))"));
    const Stmt &accept = *p.steps[8];
    QCOMPARE(accept.targets, (QStringList{QStringLiteral("conn"), QStringLiteral("addr")}));
    QCOMPARE(accept.targetSlots.size(), size_t(2));
    QCOMPARE(p.names.at(accept.targetSlots[0]), QStringLiteral("conn"));
    QCOMPARE(shape(valueOf(p, 10)), QStringLiteral("(method send s (* b\"78\" 1000000))"));
    QCOMPARE(valueOf(p, 10)->kids[1]->text, QStringLiteral("b\"x\" * 1_000_000"));
    QCOMPARE(p.steps[11]->kind, StmtKind::Expect);
    QCOMPARE(shape(valueOf(p, 11)), QStringLiteral("(< n 1000000)"));
    QCOMPARE(p.steps[15]->kind, StmtKind::Expr);
    const Expr *last = valueOf(p, 16);
    QCOMPARE(shape(last), QStringLiteral("(= error EAGAIN=11)"));
    QCOMPARE(last->kids[0]->slot, ErrorSlot);
    QCOMPARE(p.names.at(ResultSlot), QStringLiteral("result"));
}

void TstParser::expressionShapes_data() {
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("shape");
    auto row = [](const char *e, const char *s) {
        QTest::newRow(e) << QString::fromUtf8(e) << QString::fromUtf8(s);
    };
    row("1 + 2 * 3", "(+ 1 (* 2 3))");
    row("(1 + 2) * 3", "(* (+ 1 2) 3)");
    row("1 - 2 - 3", "(- (- 1 2) 3)");
    row("7 // 2 % 3", "(% (f 7 2) 3)");
    row("-x * 2", "(* (- x) 2)");
    row("not x == 1", "(! (= x 1))");
    row("x or y and not x", "(| x (& y (! x)))");
    row("x < 1 or x >= 2", "(| (< x 1) (g x 2))");
    row("x <= 1 and x != 2", "(& (l x 1) (! x 2))");
    row("x in y", "(i x y)");
    row("x not in y", "(n x y)");
    row("x is None", "(s x None)");
    row("x is not None", "(t x None)");
    row("y[0]", "(index y 0)");
    row("y[1:]", "(slice y 1 None)");
    row("y[:2]", "(slice y None 2)");
    row("y[x:x + 1]", "(slice y x (+ x 1))");
    row("len(y[0:2]) > 1", "(> (call len (slice y 0 2)) 1)");
    row("[1, 2,]", "(list 1 2)");
    row("[]", "(list )");
    row("()", "(tuple )");
    row("(1,)", "(tuple 1)");
    row("y.decode().encode('utf-8')", "(method encode (method decode y) \"utf-8\")");
    row("+x", "x");
    row("True and False", "(& True False)");
    row("min(1, 2, 3)", "(call min 1 2 3)");
}

void TstParser::expressionShapes() {
    QFETCH(QString, expr);
    QFETCH(QString, shape);
    const Program p = parseOk(QStringLiteral("a: x = 1\na: y = b\"ab\"\na: z = ") + expr);
    const Expr *e = valueOf(p, 2);
    QCOMPARE(::shape(e), shape);
    QCOMPARE(e->text, expr);
    QCOMPARE(e->span.line, 3);
    QCOMPARE(e->span.col, 8);
    QCOMPARE(e->span.length, int(expr.size()));
}

void TstParser::literals() {
    const Program p = parseOk(QStringLiteral(
        "a: x = [1_000, 0x1F, 1.5, 'it\\'s', b'\\r\\n\\t\\\\\\x00\\0\\'\"', True, None, -3]"));
    const Expr *e = valueOf(p, 0);
    QCOMPARE(e->kind, ExprKind::List);
    QCOMPARE(e->kids[0]->i, 1000);
    QCOMPARE(e->kids[1]->i, 31);
    QCOMPARE(e->kids[2]->kind, ExprKind::Float);
    QCOMPARE(e->kids[2]->f, 1.5);
    QCOMPARE(e->kids[3]->str, QStringLiteral("it's"));
    QCOMPARE(e->kids[4]->bytes, QByteArray("\r\n\t\\\0\0'\"", 8));
    QCOMPARE(e->kids[5]->kind, ExprKind::Bool);
    QCOMPARE(e->kids[5]->i, 1);
    QCOMPARE(e->kids[6]->kind, ExprKind::None);
    QCOMPARE(shape(e->kids[7].get()), QStringLiteral("(- 3)"));
    const Program big = parseOk(QStringLiteral("a: x = 9223372036854775807"));
    QCOMPARE(valueOf(big, 0)->i, std::numeric_limits<std::int64_t>::max());
    // exactly at the cap is allowed
    parseOk(QStringLiteral("a: x = b\"x\" * 1073741824"));
}

void TstParser::callsAndKwargs() {
    const Program p = parseOk(QStringLiteral("a: s = socket(type=SOCK_DGRAM)\n"
                                             "a: r, w, x = select([s], [], [], 0.5)\n"
                                             "a: s.settimeout(None)"));
    const Expr *c = valueOf(p, 0);
    QCOMPARE(c->kind, ExprKind::Call);
    QVERIFY(c->kids.empty());
    QCOMPARE(c->kwargs.size(), size_t(1));
    QCOMPARE(c->kwargs[0].first, QStringLiteral("type"));
    QCOMPARE(shape(c), QStringLiteral("(call socket type=SOCK_DGRAM=2)"));
    QCOMPARE(shape(valueOf(p, 1)), QStringLiteral("(call select (list s) (list ) (list ) 0.5)"));
    QCOMPARE(valueOf(p, 1)->call->id, CallId::Select);
    QCOMPARE(p.steps[1]->targets.size(), 3);
    QCOMPARE(valueOf(p, 2)->call->id, CallId::Settimeout);
    // A file's read() has no size to check against the cap (it crashed the parser,
    // which read a missing argument); a pipe's read(n) still has one.
    const Program r =
        parseOk(QStringLiteral("a: s = socket()\na: f = s.makefile(\"rb\")\na: x = f.read()"));
    QCOMPARE(valueOf(r, 2)->call->id, CallId::Read);
}

void TstParser::normalisation() {
    const Program p =
        parseOk(QStringLiteral("a: s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
                               "a: r, w, x = select.select([s], [], [])\n"
                               "expect error == errno.ECONNREFUSED or error == socket.EAGAIN"));
    const Expr *c = valueOf(p, 0);
    QCOMPARE(c->kind, ExprKind::Call);
    QCOMPARE(c->name, QStringLiteral("socket"));
    QCOMPARE(c->call->id, CallId::Socket);
    QCOMPARE(c->kids[0]->kind, ExprKind::Const);
    QCOMPARE(c->kids[0]->name, QStringLiteral("AF_INET"));
    QCOMPARE(c->kids[0]->text, QStringLiteral("socket.AF_INET"));
    QCOMPARE(c->text, QStringLiteral("socket.socket(socket.AF_INET, socket.SOCK_STREAM)"));
    QCOMPARE(valueOf(p, 1)->call->id, CallId::Select);
    QCOMPARE(shape(valueOf(p, 2)),
             QStringLiteral("(| (= error ECONNREFUSED=%1) (= error EAGAIN=%2))")
                 .arg(ECONNREFUSED)
                 .arg(EAGAIN));
    QVERIFY(!p.names.contains(QStringLiteral("socket")));
}

void TstParser::tupleUnpacking() {
    const Program p = parseOk(QStringLiteral("a: x, y = 1, 2\na: (u, v) = (x, y)\na: w, = [1]"));
    QCOMPARE(p.steps[0]->targets, (QStringList{QStringLiteral("x"), QStringLiteral("y")}));
    QCOMPARE(shape(valueOf(p, 0)), QStringLiteral("(tuple 1 2)"));
    QCOMPARE(p.steps[1]->targets, (QStringList{QStringLiteral("u"), QStringLiteral("v")}));
    QCOMPARE(shape(valueOf(p, 1)), QStringLiteral("(tuple x y)"));
    QCOMPARE(p.steps[2]->targets, QStringList{QStringLiteral("w")});
}

void TstParser::augAssign() {
    const Program p = parseOk(QStringLiteral("a: n = 0\na: n += 5\na: n -= 1"));
    QCOMPARE(p.steps[1]->kind, StmtKind::AugAssign);
    QCOMPARE(p.steps[1]->op, '+');
    QCOMPARE(p.steps[2]->op, '-');
    QCOMPARE(p.steps[1]->targetSlots, p.steps[0]->targetSlots);
    QCOMPARE(shape(valueOf(p, 1)), QStringLiteral("5"));
}

void TstParser::blocks() {
    const Program p = parseOk(QStringLiteral("server: srv = socket()\n"
                                             "server: for i in range(3):\n"
                                             "    conn, addr = srv.accept()\n"
                                             "\n"
                                             "    # a comment inside the block\n"
                                             "    while True:\n"
                                             "        data = conn.recv(1024)\n"
                                             "        if not data:\n"
                                             "            break\n"
                                             "        conn.sendall(data)\n"
                                             "    conn.close()\n"
                                             "client: pass\n"));
    QCOMPARE(p.steps.size(), size_t(3));
    const Stmt &f = *p.steps[1];
    QCOMPARE(f.kind, StmtKind::For);
    QCOMPARE(f.actor, QStringLiteral("server"));
    QCOMPARE(f.source, QStringLiteral("for i in range(3):"));
    QCOMPARE(f.span.line, 2);
    QCOMPARE(f.lastLine, 11);
    QCOMPARE(f.targets, QStringList{QStringLiteral("i")});
    QCOMPARE(shape(f.expr.get()), QStringLiteral("(call range 3)"));
    QCOMPARE(f.body.size(), size_t(3));
    QCOMPARE(f.body[0]->kind, StmtKind::Assign);
    QCOMPARE(f.body[0]->span.col, 5);
    QCOMPARE(f.body[0]->actor, QString()); // block lines: the header's actor owns them
    const Stmt &w = *f.body[1];
    QCOMPARE(w.kind, StmtKind::While);
    QCOMPARE(w.lastLine, 10);
    QCOMPARE(shape(w.expr.get()), QStringLiteral("True"));
    QCOMPARE(w.body.size(), size_t(3));
    const Stmt &i = *w.body[1];
    QCOMPARE(i.kind, StmtKind::If);
    QCOMPARE(shape(i.expr.get()), QStringLiteral("(! data)"));
    QCOMPARE(i.body.size(), size_t(1));
    QCOMPARE(i.body[0]->kind, StmtKind::Break);
    QCOMPARE(i.body[0]->span.line, 9);
    QCOMPARE(w.body[2]->expr->call->id, CallId::Sendall);
    QCOMPARE(f.body[2]->source, QStringLiteral("conn.close()"));
    QCOMPARE(p.steps[2]->actor, QStringLiteral("client"));
    QCOMPARE(p.steps[2]->actorIndex, 1);
}

void TstParser::ifElifElse() {
    const Program p = parseOk(QStringLiteral("a: n = 1\n"
                                             "a: if n == 0:\n"
                                             "    m = 0\n"
                                             "elif n == 1:\n"
                                             "    m = 1\n"
                                             "a: else:\n"
                                             "    m = 2\n"
                                             "a: pass\n"));
    QCOMPARE(p.steps.size(), size_t(3));
    const Stmt &s = *p.steps[1];
    QCOMPARE(s.kind, StmtKind::If);
    QCOMPARE(s.lastLine, 7);
    QCOMPARE(s.orelse.size(), size_t(1));
    const Stmt &elif = *s.orelse[0];
    QCOMPARE(elif.kind, StmtKind::If);
    QCOMPARE(elif.span.line, 4);
    QCOMPARE(shape(elif.expr.get()), QStringLiteral("(= n 1)"));
    QCOMPARE(elif.body.size(), size_t(1));
    QCOMPARE(elif.orelse.size(), size_t(1));
    QCOMPARE(elif.orelse[0]->span.line, 7);
}

void TstParser::inlineBody() {
    const Program p = parseOk(QStringLiteral("a: s = socket()\n"
                                             "a: while True:\n"
                                             "    data = s.recv(10)\n"
                                             "    if not data: break\n"
                                             "    else: continue\n"));
    const Stmt &i = *p.steps[1]->body[1];
    QCOMPARE(i.kind, StmtKind::If);
    QCOMPARE(i.source, QStringLiteral("if not data: break"));
    QCOMPARE(i.body.size(), size_t(1));
    QCOMPARE(i.body[0]->kind, StmtKind::Break);
    QCOMPARE(i.body[0]->source, QStringLiteral("break"));
    QCOMPARE(i.body[0]->span.col, 18);
    QCOMPARE(i.orelse.size(), size_t(1));
    QCOMPARE(i.orelse[0]->kind, StmtKind::Continue);
    QCOMPARE(p.steps[1]->lastLine, 5);
}

void TstParser::sayMerging() {
    const Program p = parseOk(QString::fromUtf8("say \"Hello\"\n"
                                                "# a comment between\n"
                                                "\n"
                                                "say[ko] \"안녕\"\n"
                                                "say \"Only English\"\n"));
    QCOMPARE(p.steps.size(), size_t(2));
    const Stmt &s = *p.steps[0];
    QCOMPARE(s.kind, StmtKind::Say);
    QCOMPARE(s.actorIndex, -1);
    QCOMPARE(s.span.line, 1);
    QCOMPARE(s.lastLine, 4);
    QCOMPARE(s.say.size(), 2);
    QCOMPARE(s.say.constFind(QStringLiteral("en"))->at(0).text, QStringLiteral("Hello"));
    QCOMPARE(s.say.constFind(QStringLiteral("ko"))->at(0).text, QString::fromUtf8("안녕"));
    QCOMPARE(p.steps[1]->say.size(), 1);
}

void TstParser::sayPlaceholders() {
    const Program p =
        parseOk(QStringLiteral("a: n = 1\nsay \"took {n:,} of {len(b'ab')} {{not}} }}\\n{ n }\""));
    const auto it = p.steps[1]->say.constFind(QStringLiteral("en"));
    QVERIFY(it != p.steps[1]->say.constEnd());
    const std::vector<SayPart> &parts = *it;
    QCOMPARE(parts.size(), size_t(6));
    QCOMPARE(parts[0].text, QStringLiteral("took "));
    QVERIFY(!parts[0].expr);
    QCOMPARE(shape(parts[1].expr.get()), QStringLiteral("n"));
    QCOMPARE(parts[1].format, QStringLiteral(","));
    QCOMPARE(parts[1].expr->span.col, 12);
    QCOMPARE(parts[1].expr->slot, p.steps[0]->targetSlots[0]);
    QCOMPARE(parts[2].text, QStringLiteral(" of "));
    QCOMPARE(shape(parts[3].expr.get()), QStringLiteral("(call len b\"6162\")"));
    QCOMPARE(parts[3].expr->text, QStringLiteral("len(b'ab')"));
    QCOMPARE(parts[3].format, QString());
    QCOMPARE(parts[4].text, QStringLiteral(" {not} }\n"));
    QCOMPARE(shape(parts[5].expr.get()), QStringLiteral("n"));
}

void TstParser::metadata() {
    const Program p = parseOk(QStringLiteral("#! title: Echo\n"
                                             "#! summary: An echo server\n"
                                             "#! summary[ko]: 에코\n"
                                             "#! seed: 42\n"
                                             "#! lesson: 3\n"
                                             "#! level: beginner\n"));
    QCOMPARE(p.meta.value(QStringLiteral("title")), QStringLiteral("Echo"));
    QCOMPARE(p.meta.value(QStringLiteral("summary[ko]")), QString::fromUtf8("에코"));
    QCOMPARE(p.meta.value(QStringLiteral("seed")), QStringLiteral("42"));
    QCOMPARE(p.meta.size(), 6);
    QCOMPARE(p.title(QStringLiteral("ko")), QStringLiteral("Echo")); // falls back
    QVERIFY(p.steps.empty());
}

void TstParser::slotsSharedAcrossActors() {
    const Program p = parseOk(QStringLiteral("server: data = b\"hi\"\n"
                                             "client: n = len(data)\n"
                                             "server: data = b\"again\"\n"
                                             "expect n == 2\n"));
    QCOMPARE(p.names, (QStringList{QStringLiteral("error"), QStringLiteral("result"),
                                   QStringLiteral("exception"), QStringLiteral("data"),
                                   QStringLiteral("n")}));
    QCOMPARE(p.steps[0]->targetSlots, (std::vector<int>{3}));
    QCOMPARE(valueOf(p, 1)->kids[0]->slot, 3);
    QCOMPARE(p.steps[2]->targetSlots, (std::vector<int>{3}));
    QCOMPARE(valueOf(p, 3)->kids[0]->slot, 4);
    QCOMPARE(p.steps[1]->actorIndex, 1);
}

void TstParser::actorNamesAreValues() {
    // blocked(client) names an actor, not a variable; result is always defined
    const Program p = parseOk(QStringLiteral("client: s = socket()\n"
                                             "expect blocked(client) or result is None\n"));
    const Expr *e = valueOf(p, 1);
    QCOMPARE(shape(e), QStringLiteral("(| (call blocked client) (s result None))"));
    QCOMPARE(e->kids[0]->call->kind, CallKind::Probe);
    QCOMPARE(e->kids[1]->kids[0]->slot, ResultSlot);
}

void TstParser::waitForms() {
    const Program p = parseOk(QStringLiteral("a: s = socket()\n"
                                             "wait 0.25\n"
                                             "wait until readable(s) within 2\n"
                                             "wait until sendq(s) == 0\n"));
    QCOMPARE(p.steps[1]->kind, StmtKind::Wait);
    QCOMPARE(shape(valueOf(p, 1)), QStringLiteral("0.25"));
    QCOMPARE(p.steps[2]->kind, StmtKind::WaitUntil);
    QCOMPARE(shape(valueOf(p, 2)), QStringLiteral("(call readable s)"));
    QCOMPARE(shape(p.steps[2]->timeout.get()), QStringLiteral("2"));
    QVERIFY(!p.steps[3]->timeout);
    QCOMPARE(p.steps[2]->source, QStringLiteral("wait until readable(s) within 2"));
}

void TstParser::stepIndexForLine() {
    const Program p = parseOk(QStringLiteral("say \"a\"\nsay[ko] \"b\"\n\n"
                                             "a: while True:\n    pass\n\na: pass\n"));
    QCOMPARE(p.stepIndexForLine(1), 0);
    QCOMPARE(p.stepIndexForLine(2), 0);
    QCOMPARE(p.stepIndexForLine(3), -1);
    QCOMPARE(p.stepIndexForLine(5), 1);
    QCOMPARE(p.stepIndexForLine(7), 2);
    QCOMPARE(p.stepIndexForLine(99), -1);
}

void TstParser::catalogue() {
    // every id has an entry, ids and names are unique per kind
    QSet<int> ids;
    for (const CallInfo &c : allCalls()) {
        QVERIFY(!ids.contains(int(c.id)));
        ids.insert(int(c.id));
        QVERIFY(c.minArgs <= c.maxArgs);
        QCOMPARE(callInfo(c.id), &c);
    }
    // 22 socket methods (with gettimeout and getblocking), 18 probes (kernel_state), 11 builtins,
    // the Wire: 6; issue 9's modules: poll/epoll/selectors 9, makefile and its file 7, struct/htons
    // 7; issue 10's resolver: gethostname/gethostbyname 2; issue 10's processes (os.fork,
    // _exit, waitpid, getpid) 4
    QCOMPARE(ids.size(), 5 + 22 + 5 + 1 + 18 + 11 + 6 + 9 + 7 + 7 + 2 + 4);
    QCOMPARE(findFunction(QStringLiteral("gethostbyname"))->kind, CallKind::Function);
    QCOMPARE(findFunction(QStringLiteral("fork"))->id, CallId::Fork);
    QVERIFY(moduleFunction(QStringLiteral("os"), QStringLiteral("_exit")));
    QVERIFY(moduleConstant(QStringLiteral("os"), QStringLiteral("WNOHANG"), nullptr));
    QCOMPARE(findFunction(QStringLiteral("drops"))->kind, CallKind::Probe);
    QCOMPARE(findFunction(QStringLiteral("exception_of"))->kind, CallKind::Probe);
    QCOMPARE(findMethod(QStringLiteral("send"))->id, CallId::Send);
    QVERIFY(!findFunction(QStringLiteral("send")));
    QCOMPARE(findMethod(QStringLiteral("decode"))->id, CallId::Decode);
    QCOMPARE(findFunction(QStringLiteral("len"))->kind, CallKind::Builtin);
    QCOMPARE(findFunction(QStringLiteral("state"))->kind, CallKind::Probe);
    QCOMPARE(findMethod(QStringLiteral("recv_exactly"))->kind, CallKind::Helper);
    QCOMPARE(QLatin1String(callName(CallId::ConnectEx)), QLatin1String("connect_ex"));
    QCOMPARE(QLatin1String(callName(CallId(999))), QLatin1String("?"));
    QCOMPARE(cEquivalent(CallId::Send, 5, {QStringLiteral("1000000")}),
             QStringLiteral("send(5, buf, 1000000, MSG_NOSIGNAL)"));
    QCOMPARE(cEquivalent(CallId::Listen, 3, {}), QStringLiteral("listen(3, SOMAXCONN)"));
    QCOMPARE(cEquivalent(CallId::Socket, -1, {}),
             QStringLiteral("socket(AF_INET, SOCK_STREAM, 0)"));
    QCOMPARE(suggestName(QStringLiteral("sned"), true), QStringLiteral("send"));
    QCOMPARE(suggestName(QStringLiteral("selct"), false), QStringLiteral("select"));
    QCOMPARE(suggestName(QStringLiteral("xyzzy"), true), QString());
    std::int64_t v = 0;
    QVERIFY(constantValue(QStringLiteral("SO_RCVBUF"), &v));
    QCOMPARE(v, std::int64_t(SO_RCVBUF));
    QVERIFY(constantValue(QStringLiteral("EWOULDBLOCK"), &v));
    QCOMPARE(v, std::int64_t(EAGAIN));
    QVERIFY(!constantValue(QStringLiteral("AF_FOO"), &v));
    QVERIFY(constantNames().contains(QStringLiteral("TCP_NODELAY")));
}

QTEST_APPLESS_MAIN(TstParser)
#include "tst_parser.moc"
