// Python's definitions (issue 9): `def`, `class`, `import`, `return`, `global`, the
// module-level lines without an actor (`MSGLEN = 20`, `def …`, `class …`, `import …`),
// and how a def's names are told apart: local (a parameter, or assigned in its body) or
// shared. try/with/raise are in parse_try.cpp.
#include "script/parser_p.h"
#include "script/pyexceptions.h"

namespace sl::script::detail {

namespace {

const char *const kModules[] = {"socket", "select", "selectors", "struct", "errno"};

bool knownModule(const QString &m) {
    for (const char *k : kModules)
        if (m == QLatin1String(k))
            return true;
    return false;
}

} // namespace

bool Parser::isPyCompound(const Token &t) const {
    return t.name("def") || t.name("class") || t.name("try") || t.name("with");
}

bool Parser::isUserCallable(const QString &name) const {
    return m_userDefs.contains(name) || isBuiltinException(name);
}

// Before parsing: every `def NAME` and `class NAME`, wherever it is, so a call may name a
// function or method written further down (Python looks it up when the call runs).
void Parser::prescanDefinitions(const Line &l) {
    for (size_t k = 0; k + 1 < l.toks.size(); ++k) {
        if ((l.toks[k].name("def") || l.toks[k].name("class")) && l.toks[k + 1].kind == Tok::Name &&
            !isKeyword(l.toks[k + 1].text))
            m_userDefs.insert(l.toks[k + 1].text);
    }
}

bool Parser::topDefinitionLine() const {
    const Token &t = peek();
    if (t.name("def") || t.name("class") || t.name("import") || t.name("from"))
        return true;
    if (t.kind != Tok::Name || isKeyword(t.text))
        return false;
    // `MSGLEN = 20` or `HOST, PORT = "127.0.0.1", 0`: names, then '='
    for (int k = 1;; k += 2) {
        if (peek(k).op("="))
            return !peek(k + 1).op("=");
        if (!peek(k).op(",") || peek(k + 1).kind != Tok::Name)
            return false;
    }
}

// A module-level line: shared by every actor, run by the lab when its turn comes. It
// may define, not act: a system call needs an actor to make it.
void Parser::topDefinition() {
    m_actor.clear();
    const Token &t = peek();
    StmtPtr s;
    if (t.name("def") || t.name("class")) {
        s = pyCompound(0);
    } else {
        s = t.name("import") || t.name("from") ? pySimple() : simpleStatement();
        expectEnd();
        if (s->kind == StmtKind::Expr) // (never: topDefinitionLine() saw `=`)
            failAt(t, QStringLiteral("statement without an actor"), QString());
        if (s->expr && makesCall(s->expr.get())) {
            const QString line = m_cur.text->trimmed();
            failAt(t, QStringLiteral("statement without an actor"),
                   QStringLiteral("prefix it with the actor that runs it, e.g. `client: %1` (a "
                                  "line without an actor only defines names: `MSGLEN = 20`, "
                                  "def, class, import)")
                       .arg(line.size() > 40 ? line.left(40) + QStringLiteral("…") : line));
        }
    }
    s->actorIndex = -1;
    m_prog.steps.push_back(std::move(s));
}

// Does e call anything that may make a system call (a socket call, a probe, a def)?
bool Parser::makesCall(const Expr *e) const {
    if (!e)
        return false;
    if (e->kind == ExprKind::Call || e->kind == ExprKind::Method) {
        const bool pure =
            e->call && (e->call->kind == CallKind::Builtin || e->call->id == CallId::Encode ||
                        e->call->id == CallId::Decode);
        const bool exceptionObject = !e->call && isBuiltinException(e->name);
        if (!pure && !exceptionObject)
            return true;
    }
    for (const ExprPtr &k : e->kids)
        if (makesCall(k.get()))
            return true;
    for (const auto &kw : e->kwargs)
        if (makesCall(kw.second.get()))
            return true;
    return false;
}

StmtPtr Parser::pyCompound(int lineIndent) {
    const Token &kw = next();
    if (kw.name("def"))
        return defStatement(lineIndent, kw);
    if (kw.name("class"))
        return classStatement(lineIndent, kw);
    if (kw.name("try"))
        return tryStatement(lineIndent, kw);
    return withStatement(lineIndent, kw);
}

ExprPtr Parser::nameExpr(const Token &t) {
    auto e = make(ExprKind::Name, t);
    e->name = t.text;
    e->slot = slotFor(t.text);
    return e;
}

void Parser::defineLocal(const QString &name) {
    if (!m_scope || m_scope->locals.contains(name))
        return;
    m_scope->locals.insert(name, int(m_scope->names.size()));
    m_scope->names << name;
}

StmtPtr Parser::defStatement(int lineIndent, const Token &kw) {
    auto s = std::make_unique<Stmt>();
    s->kind = StmtKind::Def;
    headerSpan(s.get(), kw);
    const bool method = m_scope && m_scope->isClass;
    if (m_defDepth > 0 || (m_scope && !method))
        failAt(kw, QStringLiteral("a def inside a def is not supported"),
               QStringLiteral("define every function at the top level, without an actor"));
    if (!m_actor.isEmpty() && !method)
        failAt(kw, QStringLiteral("a def belongs to no actor"),
               QStringLiteral("write `def …:` at the start of a line, without `%1:`; every "
                              "actor can then call it")
                   .arg(m_actor));
    const Token &name = next();
    if (name.kind != Tok::Name || isKeyword(name.text))
        failAt(name, QStringLiteral("expected a function name after 'def'"),
               QStringLiteral("e.g. `def mysend(sock, msg):`"));
    s->name = name.text;
    expectOp("(", QStringLiteral("expected '(' after 'def %1'").arg(name.text),
             QStringLiteral("e.g. `def %1(sock):` — a def lists its parameters, even none: "
                            "`def %1():`")
                 .arg(name.text));
    Scope scope;
    scope.name = name.text;
    QSet<QString> seen;
    while (!accept(")")) {
        const Token &p = next();
        if (p.op("*") || p.op("/"))
            failAt(p, QStringLiteral("'%1' in a parameter list is not supported").arg(p.text),
                   QStringLiteral("list each parameter by name, e.g. `def f(a, b=0):`"));
        if (p.kind != Tok::Name || isKeyword(p.text))
            failAt(p, QStringLiteral("expected a parameter name, found %1").arg(describe(p)),
                   QStringLiteral("e.g. `def %1(sock, n=1024):`").arg(name.text));
        if (seen.contains(p.text))
            failAt(p, QStringLiteral("duplicate argument '%1' in function definition").arg(p.text),
                   QStringLiteral("give each parameter its own name"));
        seen.insert(p.text);
        Param param;
        param.name = p.text;
        if (peek().op(":"))
            failAt(peek(), QStringLiteral("annotations are not supported"),
                   QStringLiteral("write the parameter alone: `%1`").arg(p.text));
        if (accept("=")) {
            if (!startsExpr(peek()))
                failAt(peek(), QStringLiteral("expected a default value after '%1='").arg(p.text),
                       QStringLiteral("e.g. `%1=None`").arg(p.text));
            param.dflt = expr();
            useNames(param.dflt.get());
        } else if (!s->params.empty() && s->params.back().dflt) {
            failAt(p, QStringLiteral("non-default argument follows default argument"),
                   QStringLiteral("put the parameters with a default value last"));
        }
        scope.locals.insert(p.text, int(scope.names.size()));
        scope.names << p.text;
        s->params.push_back(std::move(param));
        if (!accept(","))
            expectOp(")", QStringLiteral("unexpected %1").arg(describe(peek())),
                     QStringLiteral("expected ',' or ')' in the parameter list"));
        else
            continue;
        break;
    }
    if (method && s->params.empty())
        failAt(name, QStringLiteral("method '%1' takes no 'self'").arg(name.text),
               QStringLiteral("a method receives its object first: `def %1(self, …):`")
                   .arg(name.text));
    expectOp(":", QStringLiteral("missing ':' after the def header"),
             QStringLiteral("end the header with a colon, e.g. `def %1(…):`").arg(name.text));
    Scope *outer = m_scope;
    m_scope = &scope;
    const int loops = m_loopDepth, excepts = m_exceptDepth;
    m_loopDepth = m_exceptDepth = 0; // break/continue do not cross a def
    ++m_defDepth;
    try {
        body(lineIndent, kw, s.get(), &s->body);
    } catch (...) {
        m_scope = outer;
        --m_defDepth;
        m_loopDepth = loops;
        m_exceptDepth = excepts;
        throw;
    }
    m_scope = outer;
    --m_defDepth;
    m_loopDepth = loops;
    m_exceptDepth = excepts;
    for (StmtPtr &b : s->body)
        resolveLocals(b.get(), scope);
    s->frameSize = int(scope.names.size());
    s->localNames = scope.names;
    if (!method)
        defineTarget(s->name, spanOf(name, s->span.line), s.get());
    return s;
}

StmtPtr Parser::classStatement(int lineIndent, const Token &kw) {
    auto s = std::make_unique<Stmt>();
    s->kind = StmtKind::Class;
    headerSpan(s.get(), kw);
    if (m_scope || m_defDepth > 0)
        failAt(kw, QStringLiteral("a class inside a def or class is not supported"),
               QStringLiteral("define every class at the top level, without an actor"));
    if (!m_actor.isEmpty())
        failAt(
            kw, QStringLiteral("a class belongs to no actor"),
            QStringLiteral("write `class …:` at the start of a line, without `%1:`").arg(m_actor));
    const Token &name = next();
    if (name.kind != Tok::Name || isKeyword(name.text))
        failAt(name, QStringLiteral("expected a class name after 'class'"),
               QStringLiteral("e.g. `class MySocket:`"));
    s->name = name.text;
    if (accept("(")) {
        if (!accept(")")) {
            const Token &b = peek();
            if (b.kind != Tok::Name || isKeyword(b.text))
                failAt(b, QStringLiteral("expected a base class name"),
                       QStringLiteral("e.g. `class ProtocolError(Exception):`"));
            s->base = expr();
            if (s->base->kind != ExprKind::Name)
                fail(s->base->span, QStringLiteral("a base class is a name"),
                     QStringLiteral("e.g. `class ProtocolError(Exception):`"));
            if (peek().op(","))
                failAt(peek(), QStringLiteral("a class has one base class in a lab"),
                       QStringLiteral("derive from one class, e.g. `(Exception)`"));
            expectOp(")", QStringLiteral("unexpected %1").arg(describe(peek())),
                     QStringLiteral("expected ')' after the base class"));
            if (s->base->name == QLatin1String("object"))
                s->base.reset();
            else
                useNames(s->base.get());
        }
    }
    expectOp(":", QStringLiteral("missing ':' after the class header"),
             QStringLiteral("end the header with a colon, e.g. `class %1:`").arg(name.text));
    Scope scope;
    scope.isClass = true;
    scope.name = name.text;
    m_scope = &scope;
    try {
        body(lineIndent, kw, s.get(), &s->body);
    } catch (...) {
        m_scope = nullptr;
        throw;
    }
    m_scope = nullptr;
    for (const StmtPtr &b : s->body) {
        const bool docstring = b->kind == StmtKind::Expr && b->expr->kind == ExprKind::Str;
        const bool attribute = b->kind == StmtKind::Assign && !b->complexTarget;
        if (b->kind != StmtKind::Def && b->kind != StmtKind::Pass && !docstring && !attribute)
            error(b->span, QStringLiteral("a class body holds methods and attributes"),
                  QStringLiteral("write `def method(self, …):` or `name = value` here; do "
                                 "the work in a method"));
    }
    defineTarget(s->name, spanOf(name, s->span.line), s.get());
    return s;
}

StmtPtr Parser::importStatement(const Token &kw) {
    auto s = std::make_unique<Stmt>();
    s->kind = StmtKind::Import;
    auto module = [&]() -> QString {
        const Token &m = next();
        if (m.kind != Tok::Name || isKeyword(m.text))
            failAt(m, QStringLiteral("expected a module name after '%1'").arg(kw.text),
                   QStringLiteral("e.g. `import socket`"));
        if (peek().op("."))
            failAt(peek(), QStringLiteral("dotted module names are not supported"),
                   QStringLiteral("a lab knows socket, select, selectors, struct and errno"));
        if (!knownModule(m.text))
            failAt(m, QStringLiteral("no module named '%1' in a lab").arg(m.text),
                   QStringLiteral("a lab knows socket, select, selectors, struct and errno"));
        return m.text;
    };
    s->name = module();
    if (kw.name("import")) {
        while (accept(","))
            s->name += u',' + module();
        if (peek().name("as"))
            failAt(peek(), QStringLiteral("'import … as …' is not supported"),
                   QStringLiteral("import the module by its own name: `import %1`")
                       .arg(s->name.section(u',', -1)));
    } else {
        if (!peek().name("import"))
            failAt(peek(), QStringLiteral("expected 'import' after 'from %1'").arg(s->name),
                   QStringLiteral("e.g. `from socket import *`"));
        next();
        if (!accept("*")) {
            do {
                const Token &n = next();
                if (n.kind != Tok::Name || isKeyword(n.text))
                    failAt(n, QStringLiteral("expected a name to import"),
                           QStringLiteral("e.g. `from socket import *`"));
                if (peek().name("as"))
                    failAt(peek(), QStringLiteral("'import … as …' is not supported"),
                           QStringLiteral("use the name as the module has it"));
            } while (accept(","));
        }
    }
    finishStmt(s.get(), kw);
    return s;
}

// return, raise, import, from, global: the simple statements of the Python subset.
StmtPtr Parser::pySimple() {
    const Token &kw = peek();
    if (kw.name("import") || kw.name("from")) {
        next();
        return importStatement(kw);
    }
    if (!kw.name("return") && !kw.name("raise") && !kw.name("global"))
        return nullptr;
    next();
    auto s = std::make_unique<Stmt>();
    if (kw.name("global")) {
        s->kind = StmtKind::Global;
        if (m_defDepth == 0)
            failAt(kw, QStringLiteral("'global' outside a def"),
                   QStringLiteral("names at the top level are already shared by every actor"));
        do {
            const Token &n = next();
            if (n.kind != Tok::Name || isKeyword(n.text))
                failAt(n, QStringLiteral("expected a name after 'global'"),
                       QStringLiteral("e.g. `global count`"));
            if (m_scope->locals.contains(n.text))
                failAt(n,
                       QStringLiteral("name '%1' is used prior to global declaration").arg(n.text),
                       QStringLiteral("put `global %1` first in the def").arg(n.text));
            m_scope->globals.insert(n.text);
            s->targets << n.text;
        } while (accept(","));
        finishStmt(s.get(), kw);
        return s;
    }
    if (kw.name("return")) {
        s->kind = StmtKind::Return;
        if (m_defDepth == 0)
            failAt(kw, QStringLiteral("'return' outside function"),
                   QStringLiteral("return ends a def; a step ends by itself"));
        if (peek().kind != Tok::End) {
            s->expr = exprList();
            useNames(s->expr.get());
        }
        finishStmt(s.get(), kw);
        return s;
    }
    s->kind = StmtKind::Raise;
    if (peek().kind != Tok::End) {
        s->expr = expr();
        useNames(s->expr.get());
        if (peek().name("from"))
            failAt(peek(), QStringLiteral("'raise … from …' is not supported"),
                   QStringLiteral("raise the exception alone: `raise %1`").arg(s->expr->text));
        if (s->expr->kind != ExprKind::Name && s->expr->kind != ExprKind::Call &&
            s->expr->kind != ExprKind::Attr)
            fail(s->expr->span, QStringLiteral("exceptions must derive from BaseException"),
                 QStringLiteral("raise an exception, e.g. `raise RuntimeError(\"socket "
                                "connection broken\")`"));
    }
    finishStmt(s.get(), kw);
    return s;
}

void Parser::resolveLocals(Expr *e, const Scope &scope) {
    if (!e)
        return;
    if ((e->kind == ExprKind::Name || (e->kind == ExprKind::Call && !e->call)) &&
        !scope.globals.contains(e->name)) {
        const auto it = scope.locals.constFind(e->name);
        if (it != scope.locals.constEnd())
            e->local = *it;
    }
    for (ExprPtr &k : e->kids)
        resolveLocals(k.get(), scope);
    for (auto &kw : e->kwargs)
        resolveLocals(kw.second.get(), scope);
}

void Parser::resolveLocals(Stmt *s, const Scope &scope) {
    resolveLocals(s->expr.get(), scope);
    resolveLocals(s->timeout.get(), scope);
    resolveLocals(s->lhs.get(), scope);
    resolveLocals(s->exitCall.get(), scope);
    for (const QString &t : s->targets)
        if (scope.locals.contains(t) && !scope.globals.contains(t))
            s->complexTarget = true;
    for (Handler &h : s->handlers) {
        resolveLocals(h.type.get(), scope);
        resolveLocals(h.name.get(), scope);
        for (StmtPtr &b : h.body)
            resolveLocals(b.get(), scope);
    }
    for (auto *list : {&s->body, &s->orelse, &s->finalbody})
        for (StmtPtr &b : *list)
            resolveLocals(b.get(), scope);
}

// Names a def reads from the shared ones are looked up when it runs (as Python does), so
// a def may use a name that a later line assigns; one that no line defines is reported
// here, once the whole script is read.
void Parser::checkDeferredNames() {
    QSet<QString> reported;
    for (Expr *e : m_deferred) {
        if (e->local >= 0 || m_defined.contains(e->name) || m_actorNames.contains(e->name) ||
            isUserCallable(e->name) || reported.contains(e->name) ||
            e->name == QLatin1String("error") || e->name == QLatin1String("result") ||
            e->name == QLatin1String("exception"))
            continue;
        reported.insert(e->name);
        error(e->span, QStringLiteral("name '%1' is not defined").arg(e->name),
              QStringLiteral("assign it in a def's body, pass it as a parameter, or define it "
                             "at the top level, e.g. `%1 = …`")
                  .arg(e->name));
    }
    m_deferred.clear();
}

} // namespace sl::script::detail
