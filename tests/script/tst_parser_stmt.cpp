// The Python statements of issue 9 (def, class, try, with, raise, return, import,
// module-level names, `for a, b in …`): what parses into which tree, and, for every
// malformed use, where the parser points (line, column), what it says and hints.
#include "script/parser.h"

#include <QTest>

using namespace sl::script;

class TstParserStmt : public QObject {
    Q_OBJECT
private slots:
    void malformed_data();
    void malformed();
    void howtoMySocketParses();
    void moduleLevelDefinitions();
    void tryClauses();
    void withMakesClose();
    void forUnpacks();
    void defLocalsAndGlobals();
};

void TstParserStmt::malformed_data() {
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("col");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("hint");
    auto row = [](const char *name, const char *src, int line, int col, const char *msg,
                  const char *hint) {
        QTest::newRow(name) << QString::fromUtf8(src) << line << col << QString::fromUtf8(msg)
                            << QString::fromUtf8(hint);
    };
    // def
    row("def without name", "def (x):\n    pass", 1, 5, "expected a function name after 'def'",
        "def mysend");
    row("def without parens", "def f:\n    pass", 1, 6, "expected '(' after 'def f'", "def f():");
    row("def bad parameter", "def f(1):\n    pass", 1, 7, "expected a parameter name",
        "def f(sock");
    row("def duplicate parameter", "def f(a, a):\n    pass", 1, 10,
        "duplicate argument 'a' in function definition", "own name");
    row("def default order", "def f(a=1, b):\n    pass", 1, 12,
        "non-default argument follows default argument", "last");
    row("def star args", "def f(*args):\n    pass", 1, 7,
        "'*' in a parameter list is not supported", "by name");
    row("def annotation", "def f(a: int):\n    pass", 1, 8, "annotations are not supported", "`a`");
    row("def default missing", "def f(a=):\n    pass", 1, 9, "expected a default value after 'a='",
        "a=None");
    row("def without colon", "def f()\n    pass", 1, 0, "missing ':' after the def header",
        "def f(…):");
    row("def without body", "def f():\n", 1, 1, "expected an indented block after 'def'", "indent");
    row("def in an actor", "client: def f():\n    pass", 1, 9, "a def belongs to no actor",
        "without `client:`");
    row("nested def", "def f():\n    def g():\n        pass", 2, 5,
        "a def inside a def is not supported", "top level");
    row("method without self", "class A:\n    def m():\n        pass", 2, 9,
        "method 'm' takes no 'self'", "def m(self");
    row("undefined name in def", "def f():\n    return nope", 2, 12, "name 'nope' is not defined",
        "parameter");
    row("return outside def", "client: return 1", 1, 9, "'return' outside function", "a step");
    row("yield", "def f():\n    yield 1", 2, 5, "'yield' is not supported", "def, class");
    row("global outside def", "client: global x", 1, 9, "'global' outside a def", "shared");
    // class
    row("class in an actor", "client: class A:\n    pass", 1, 9, "a class belongs to no actor",
        "without `client:`");
    row("class without name", "class for:\n    pass", 1, 7, "expected a class name after 'class'",
        "class MySocket");
    row("class two bases", "class A(Exception, RuntimeError):\n    pass", 1, 18,
        "a class has one base class in a lab", "(Exception)");
    row("class without colon", "class A\n    pass", 1, 0, "missing ':' after the class header",
        "class A:");
    row("class body loop", "class A:\n    while True:\n        pass", 2, 5,
        "a class body holds methods and attributes", "in a method");
    row("class body self", "class A:\n    self.x = 1", 2, 5,
        "cannot assign to 'self.x' in a class body", "in a method");
    // try
    row("try without except", "client: try:\n    pass", 1, 9,
        "expected 'except' or 'finally' block", "except OSError as e:");
    row("except without try", "client: except OSError:\n    pass", 1, 9,
        "'except' without a matching 'try'", "try:");
    row("top-level except without try", "except OSError:\n    pass", 1, 1,
        "'except' without a matching 'try'", "try:");
    row("bare except not last",
        "client: try:\n    pass\nexcept:\n    pass\nexcept OSError:\n    pass", 5, 1,
        "default 'except:' must be last", "after the others");
    row("except types without parens",
        "client: try:\n    pass\nexcept OSError, ValueError:\n    pass", 3, 15,
        "multiple exception types must be parenthesized", "(ConnectionResetError");
    row("except a number", "client: try:\n    pass\nexcept 5:\n    pass", 3, 8,
        "'5' is not an exception class", "except OSError:");
    row("bare except as", "client: try:\n    pass\nexcept as e:\n    pass", 3, 8,
        "a bare 'except' cannot name the exception", "except Exception as e:");
    row("except as number", "client: try:\n    pass\nexcept OSError as 1:\n    pass", 3, 19,
        "expected a name after 'as'", "as e:");
    row("else without except", "client: try:\n    pass\nelse:\n    pass", 3, 1,
        "'else' of a try needs an 'except' before it", "except");
    row("except after finally",
        "client: try:\n    pass\nfinally:\n    pass\nexcept OSError:\n    pass", 5, 1,
        "'except' after 'finally'", "finally comes last");
    row("except after else",
        "client: try:\n    pass\nexcept OSError:\n    pass\nelse:\n    pass\nexcept "
        "ValueError:\n    pass",
        7, 1, "'except' after 'else'", "before else");
    row("unknown exception", "client: try:\n    pass\nexcept ConnectionResetErorr:\n    pass", 3, 8,
        "name 'ConnectionResetErorr' is not defined", "");
    row("try header on one line with a block", "client: try: for i in range(3):", 1, 14,
        "a block cannot start on the same line as another header", "own indented line");
    // raise
    row("raise from", "client: raise ValueError(\"x\") from None", 1, 31,
        "'raise … from …' is not supported", "raise ValueError(\"x\")");
    row("raise a number", "client: raise 5", 1, 15, "exceptions must derive from BaseException",
        "RuntimeError");
    // with
    row("with without value", "client: with:\n    pass", 1, 13, "with needs a value",
        "socket.socket(");
    row("with two managers", "client: with socket() as a, socket() as b:\n    pass", 1, 27,
        "one context manager per 'with' in a lab", "nest a second");
    row("with as number", "client: with socket() as 5:\n    pass", 1, 26,
        "expected a name after 'as'", "as s:");
    row("with without colon", "client: with socket() as s\n    pass", 1, 0,
        "missing ':' after the with header", "as s:");
    // import and module-level lines
    row("import unknown module", "import numpy", 1, 8, "no module named 'numpy' in a lab",
        "socket, select");
    row("import as", "import socket as sk", 1, 15, "'import … as …' is not supported",
        "import socket");
    row("from without import", "from socket *", 1, 13, "expected 'import' after 'from socket'",
        "from socket import *");
    row("dotted import", "import os.path", 1, 0, "", "");
    row("module-level socket call", "s = socket()", 1, 1, "statement without an actor",
        "client: s = socket()");
    row("module-level def call", "def f():\n    return 1\nx = f()", 3, 1,
        "statement without an actor", "client: x = f()");
    // for
    row("for with a number target", "client: for 1, b in [(1, 2)]:\n    pass", 1, 13,
        "expected a name after 'for'", "for fd, ev in ready");
}

void TstParserStmt::malformed() {
    QFETCH(QString, source);
    QFETCH(int, line);
    QFETCH(int, col);
    QFETCH(QString, message);
    QFETCH(QString, hint);
    const ParseResult r = parse(source, QStringLiteral("t.lab"));
    QVERIFY2(!r.program, "a malformed script must not produce a program");
    const Diagnostic *found = nullptr;
    for (const Diagnostic &d : r.diagnostics)
        if (d.severity == Diagnostic::Error && d.message.contains(message)) {
            found = &d;
            break;
        }
    if (!found) {
        QStringList got;
        for (const Diagnostic &d : r.diagnostics)
            got << formatDiagnostic(d, QStringLiteral("t.lab")) + QStringLiteral(" | ") + d.hint;
        QFAIL(qPrintable(
            QStringLiteral("no error containing \"%1\"; got:\n%2").arg(message, got.join(u'\n'))));
    }
    QCOMPARE(found->span.line, line);
    if (col > 0)
        QCOMPARE(found->span.col, col);
    if (!hint.isEmpty())
        QVERIFY2(found->hint.contains(hint), qPrintable(found->hint));
}

// The HOWTO's class, verbatim, with actor prefixes only on the steps that use it.
static const char *const kMySocket = R"(import socket
MSGLEN = 20
class MySocket:
    "demonstration class only - coded for clarity, not efficiency"

    def __init__(self, sock=None):
        if sock is None:
            self.sock = socket.socket(
                            socket.AF_INET, socket.SOCK_STREAM)
        else:
            self.sock = sock

    def connect(self, host, port):
        self.sock.connect((host, port))

    def mysend(self, msg):
        totalsent = 0
        while totalsent < MSGLEN:
            sent = self.sock.send(msg[totalsent:])
            if sent == 0:
                raise RuntimeError("socket connection broken")
            totalsent = totalsent + sent

    def myreceive(self):
        chunks = []
        bytes_recd = 0
        while bytes_recd < MSGLEN:
            chunk = self.sock.recv(min(MSGLEN - bytes_recd, 2048))
            if chunk == b'':
                raise RuntimeError("socket connection broken")
            chunks = chunks + [chunk]
            bytes_recd = bytes_recd + len(chunk)
        return chunks
server: srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client: m = MySocket()
)";

void TstParserStmt::howtoMySocketParses() {
    // (the HOWTO's constructor call spans two lines; a lab statement is one line)
    QString src = QString::fromUtf8(kMySocket);
    src.replace(QStringLiteral("socket.socket(\n                            socket.AF_INET"),
                QStringLiteral("socket.socket(socket.AF_INET"));
    const ParseResult r = parse(src, QStringLiteral("t.lab"));
    QStringList got;
    for (const Diagnostic &d : r.diagnostics)
        got << formatDiagnostic(d, QStringLiteral("t.lab"));
    QVERIFY2(r.program, qPrintable(got.join(u'\n')));
    const Program &p = *r.program;
    QCOMPARE(p.steps[0]->kind, StmtKind::Import);
    QCOMPARE(p.steps[1]->kind, StmtKind::Assign);
    QCOMPARE(p.steps[1]->actorIndex, -1);
    const Stmt &cls = *p.steps[2];
    QCOMPARE(cls.kind, StmtKind::Class);
    QCOMPARE(cls.name, QStringLiteral("MySocket"));
    QStringList methods;
    for (const StmtPtr &b : cls.body)
        if (b->kind == StmtKind::Def)
            methods << b->name;
    QCOMPARE(methods, (QStringList{QStringLiteral("__init__"), QStringLiteral("connect"),
                                   QStringLiteral("mysend"), QStringLiteral("myreceive")}));
    const Stmt &init = *cls.body[1];
    QCOMPARE(init.params.size(), std::size_t(2));
    QVERIFY(init.params[1].dflt);
    QCOMPARE(init.localNames.first(), QStringLiteral("self"));
    QCOMPARE(p.steps.back()->actor, QStringLiteral("client"));
}

void TstParserStmt::moduleLevelDefinitions() {
    const ParseResult r = parse(QStringLiteral("import socket, select\nfrom socket import *\n"
                                               "HOST, PORT = \"127.0.0.1\", 0\nN = len(b\"ab\")\n"
                                               "client: s = socket.socket(socket.AF_INET, "
                                               "socket.SOCK_STREAM)\nclient: s.bind((HOST, PORT))"),
                                QStringLiteral("t.lab"));
    QVERIFY(r.program);
    QCOMPARE(r.program->steps.size(), std::size_t(6));
    QCOMPARE(r.program->steps[2]->targets,
             (QStringList{QStringLiteral("HOST"), QStringLiteral("PORT")}));
    QCOMPARE(r.program->actors, QStringList{QStringLiteral("client")});
}

void TstParserStmt::tryClauses() {
    const ParseResult r = parse(QStringLiteral("client: try:\n    x = 1\nexcept (OSError, "
                                               "ValueError) as e:\n    y = e\nexcept:\n    pass\n"
                                               "else:\n    z = 1\nfinally:\n    w = 2\n"
                                               "client: q = 1"),
                                QStringLiteral("t.lab"));
    QVERIFY(r.program);
    const Stmt &t = *r.program->steps[0];
    QCOMPARE(t.kind, StmtKind::Try);
    QCOMPARE(t.handlers.size(), std::size_t(2));
    QCOMPARE(t.handlers[0].type->kind, ExprKind::Tuple);
    QCOMPARE(t.handlers[0].name->name, QStringLiteral("e"));
    QVERIFY(!t.handlers[1].type);
    QCOMPARE(t.orelse.size(), std::size_t(1));
    QCOMPARE(t.finalbody.size(), std::size_t(1));
    QCOMPARE(t.lastLine, 10);
    QCOMPARE(r.program->steps.size(), std::size_t(2));
}

void TstParserStmt::withMakesClose() {
    const ParseResult r =
        parse(QStringLiteral("client: with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as "
                             "s:\n    s.bind((\"127.0.0.1\", 0))"),
              QStringLiteral("t.lab"));
    QVERIFY(r.program);
    const Stmt &w = *r.program->steps[0];
    QCOMPARE(w.kind, StmtKind::With);
    QCOMPARE(w.lhs->name, QStringLiteral("s"));
    QVERIFY(w.exitCall && w.exitCall->call);
    QCOMPARE(w.exitCall->call->id, CallId::Close);
}

void TstParserStmt::forUnpacks() {
    const ParseResult r = parse(
        QStringLiteral("client: for a, b in [(1, 2)]:\n    c = a + b\nclient: for (x, y) in [(1, "
                       "2)]:\n    pass"),
        QStringLiteral("t.lab"));
    QVERIFY(r.program);
    QCOMPARE(r.program->steps[0]->targets, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(r.program->steps[0]->lhs->kind, ExprKind::Tuple);
    QCOMPARE(r.program->steps[1]->targets, (QStringList{QStringLiteral("x"), QStringLiteral("y")}));
}

void TstParserStmt::defLocalsAndGlobals() {
    const ParseResult r = parse(QStringLiteral("count = 0\ndef f(a, b=2):\n    global count\n"
                                               "    c = a + b + later\n    count = c\n    return "
                                               "c\nlater = 1"),
                                QStringLiteral("t.lab"));
    QVERIFY(r.program);
    const Stmt &def = *r.program->steps[1];
    QCOMPARE(def.localNames,
             (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
    QCOMPARE(def.frameSize, 3);
    const Stmt &assignCount = *def.body[2];
    QVERIFY(!assignCount.complexTarget); // `count` is the shared one
    const Stmt &assignC = *def.body[1];
    QVERIFY(assignC.complexTarget); // `c` is the def's own
}

QTEST_GUILESS_MAIN(TstParserStmt)
#include "tst_parser_stmt.moc"
