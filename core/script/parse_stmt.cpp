// Actor statements (assignments, calls, blocks) and the name slots they use.
#include "script/parser_p.h"
#include "script/pyexceptions.h"

namespace sl::script::detail {

namespace {

bool isReserved(const QString &name) {
    return name == QLatin1String("error") || name == QLatin1String("result") ||
           name == QLatin1String("exception");
}

bool isAllCaps(const QString &name) {
    bool letter = false;
    for (QChar c : name) {
        if (c >= u'a' && c <= u'z')
            return false;
        letter = letter || (c >= u'A' && c <= u'Z');
    }
    return letter;
}

} // namespace

StmtPtr Parser::statement(int lineIndent) {
    const Token &t = peek();
    if (t.name("for") || t.name("while") || t.name("if"))
        return compound(lineIndent);
    if (isPyCompound(t))
        return pyCompound(lineIndent);
    StmtPtr s = simpleStatement();
    expectEnd();
    return s;
}

void Parser::headerSpan(Stmt *s, const Token &first) {
    // The header line as written, up to its last token (an inline body included).
    const Token &last = (*m_cur.toks)[m_cur.toks->size() >= 2 ? m_cur.toks->size() - 2 : 0];
    const int end = last.pos + last.len;
    s->span = {m_cur.line, first.col, qMax(1, end - first.pos)};
    s->source = m_cur.text->mid(first.pos, end - first.pos).trimmed();
    s->lastLine = m_cur.line;
}

StmtPtr Parser::compound(int lineIndent) {
    const Token &kw = next();
    auto s = std::make_unique<Stmt>();
    headerSpan(s.get(), kw);
    const QString colonHint = QStringLiteral("end the header with a colon, e.g. `%1`")
                                  .arg(kw.name("for")     ? QStringLiteral("for i in range(3):")
                                       : kw.name("while") ? QStringLiteral("while True:")
                                                          : QStringLiteral("if not data:"));
    const QString noColon = QStringLiteral("missing ':' after the %1 header").arg(kw.text);
    if (kw.name("for")) {
        s->kind = StmtKind::For;
        // `for x in …:` or `for a, b in …:` (each item unpacked into the names)
        const Token &firstTarget = peek();
        std::vector<const Token *> names;
        const bool paren = accept("(");
        do {
            const Token &target = next();
            if (target.kind != Tok::Name || isKeyword(target.text))
                failAt(target, QStringLiteral("expected a name after 'for'"),
                       QStringLiteral("e.g. `for i in range(3):` or `for fd, ev in ready:`"));
            names.push_back(&target);
        } while (accept(",") && peek().kind == Tok::Name && !peek().name("in"));
        if (paren)
            expectOp(")", QStringLiteral("unexpected %1").arg(describe(peek())),
                     QStringLiteral("expected ')' after the loop's names"));
        if (!peek().name("in"))
            failAt(peek(), QStringLiteral("expected 'in' after 'for %1'").arg(names.back()->text),
                   QStringLiteral("e.g. `for i in range(3):`"));
        next();
        s->expr = exprList();
        expectOp(":", noColon, colonHint);
        useNames(s->expr.get());
        if (names.size() == 1) {
            s->lhs = nameExpr(*names[0]);
        } else {
            s->lhs = make(ExprKind::Tuple, firstTarget);
            for (const Token *n : names)
                s->lhs->kids.push_back(nameExpr(*n));
        }
        for (const Token *n : names)
            defineTarget(n->text, spanOf(*n, m_cur.line), s.get());
        Nesting loop(m_loopDepth);
        body(lineIndent, kw, s.get(), &s->body);
    } else {
        s->kind = kw.name("while") ? StmtKind::While : StmtKind::If;
        if (peek().op(":") || peek().kind == Tok::End)
            failAt(peek(), QStringLiteral("%1 needs a condition").arg(kw.text), colonHint);
        s->expr = expr();
        expectOp(":", noColon, colonHint);
        useNames(s->expr.get());
        if (s->kind == StmtKind::While) {
            Nesting loop(m_loopDepth);
            body(lineIndent, kw, s.get(), &s->body);
        } else {
            body(lineIndent, kw, s.get(), &s->body);
            elseClauses(lineIndent, s.get());
        }
    }
    return s;
}

void Parser::body(int lineIndent, const Token &header, Stmt *s, std::vector<StmtPtr> *into) {
    if (peek().kind == Tok::End) {
        parseBlock(lineIndent, header, into);
    } else {
        const Token &t = peek();
        if (t.name("for") || t.name("while") || t.name("if") || isPyCompound(t))
            failAt(t, QStringLiteral("a block cannot start on the same line as another header"),
                   QStringLiteral("put `%1 …:` on its own indented line").arg(t.text));
        into->push_back(simpleStatement());
        expectEnd();
    }
    if (!into->empty())
        s->lastLine = qMax(s->lastLine, into->back()->lastLine);
}

void Parser::elseClauses(int lineIndent, Stmt *ifStmt) {
    Nesting nest(m_blockDepth);
    if (m_blockDepth > MaxBlockDepth)
        fail(ifStmt->span, QStringLiteral("too many elif branches"),
             QStringLiteral("a lab allows %1; split the work into steps").arg(MaxBlockDepth));
    const size_t p = nextContent(m_pos);
    if (p >= m_lines.size())
        return;
    const Line &l = m_lines[p];
    if (l.indent != lineIndent || !l.lexOk)
        return;
    size_t k = 0; // at the top level, `server: else:` is accepted as well as `else:`
    if (lineIndent == 0 && l.toks.size() > 3 && l.toks[0].text == m_actor && l.toks[1].op(":"))
        k = 2;
    const Token &t = l.toks[k];
    if (!t.name("else") && !t.name("elif"))
        return;
    m_pos = p + 1;
    setLine(l, k);
    next();
    if (t.name("elif")) {
        auto child = std::make_unique<Stmt>();
        child->kind = StmtKind::If;
        headerSpan(child.get(), t);
        if (peek().op(":") || peek().kind == Tok::End)
            failAt(peek(), QStringLiteral("elif needs a condition"),
                   QStringLiteral("e.g. `elif n == 0:`"));
        child->expr = expr();
        expectOp(":", QStringLiteral("missing ':' after the elif header"),
                 QStringLiteral("end the header with a colon, e.g. `elif n == 0:`"));
        useNames(child->expr.get());
        body(lineIndent, t, child.get(), &child->body);
        elseClauses(lineIndent, child.get());
        ifStmt->lastLine = qMax(ifStmt->lastLine, child->lastLine);
        ifStmt->orelse.push_back(std::move(child));
    } else {
        expectOp(":", QStringLiteral("missing ':' after else"), QStringLiteral("write `else:`"));
        const int before = ifStmt->lastLine;
        body(lineIndent, t, ifStmt, &ifStmt->orelse);
        ifStmt->lastLine = qMax(before, qMax(ifStmt->lastLine, l.no));
    }
}

StmtPtr Parser::simpleStatement() {
    const Token &first = peek();
    if (first.name("del")) // parse_value.cpp (issue 9: values)
        return delStatement();
    auto s = std::make_unique<Stmt>();
    if (first.kind == Tok::Name && isKeyword(first.text)) {
        if (first.name("break") || first.name("continue") || first.name("pass")) {
            next();
            s->kind = first.name("break")      ? StmtKind::Break
                      : first.name("continue") ? StmtKind::Continue
                                               : StmtKind::Pass;
            if (s->kind != StmtKind::Pass && m_loopDepth == 0)
                failAt(first, QStringLiteral("'%1' outside a loop").arg(first.text),
                       QStringLiteral("break and continue only work inside a for or while "
                                      "block"));
            finishStmt(s.get(), first);
            return s;
        }
        if (first.name("else") || first.name("elif"))
            failAt(first, QStringLiteral("'%1' without a matching 'if'").arg(first.text),
                   QStringLiteral("line it up with the `if` it belongs to"));
        if (first.name("except") || first.name("finally"))
            failAt(first, QStringLiteral("'%1' without a matching 'try'").arg(first.text),
                   QStringLiteral("line it up with the `try:` it belongs to"));
        if (first.name("for") || first.name("while") || first.name("if") || isPyCompound(first))
            failAt(first, QStringLiteral("a block cannot start here"),
                   QStringLiteral("put `%1 …:` on its own line").arg(first.text));
        if (StmtPtr py = pySimple())
            return py;
        if (!first.name("not") && !first.name("True") && !first.name("False") &&
            !first.name("None"))
            failAt(first, QStringLiteral("'%1' is not supported in a .lab script").arg(first.text),
                   QStringLiteral("a lab has calls, assignments, for, while, if, def, class, "
                                  "try, with, raise and return"));
    }
    if (first.name("say") || first.name("expect") || first.name("wait") ||
        (first.name("ask") && (peek(1).kind == Tok::Str || peek(1).op("["))))
        failAt(first, QStringLiteral("'%1' is a lab statement, not an actor's").arg(first.text),
               QStringLiteral("write it on its own line, without an actor prefix"));
    if (first.kind == Tok::Name && peek(1).op(":"))
        failAt(first, QStringLiteral("unexpected actor prefix '%1:'").arg(first.text),
               m_blockDepth > 0 ? QStringLiteral("the lines of a block belong to the actor of "
                                                 "its header (%1); remove the prefix")
                                      .arg(m_actor)
                                : QStringLiteral("write one actor prefix per line"));

    ExprPtr lhs = exprList();
    if ((lhs->kind == ExprKind::Index || lhs->kind == ExprKind::Slice) &&
        (peek().op("=") || peek().op("+=") || peek().op("-="))) // d[k] = v: parse_value.cpp
        return itemStatement(std::move(lhs), first);
    if (accept("=")) {
        s->kind = StmtKind::Assign;
        std::vector<const Expr *> targets;
        if (lhs->kind == ExprKind::Tuple) {
            for (const ExprPtr &k : lhs->kids)
                targets.push_back(k.get());
        } else {
            targets.push_back(lhs.get());
        }
        for (const Expr *t : targets) {
            if (t->kind == ExprKind::Const)
                fail(t->span, QStringLiteral("cannot assign to the constant %1").arg(t->name),
                     QStringLiteral("pick a lowercase name, e.g. `value = …`"));
            if (t->kind == ExprKind::Attr && m_scope && m_scope->isClass)
                fail(t->span, QStringLiteral("cannot assign to '%1' in a class body").arg(t->text),
                     QStringLiteral("set attributes in a method: `self.x = …`"));
            if (t->kind == ExprKind::Attr)
                continue; // self.sock = sock
            if (t->kind != ExprKind::Name)
                fail(t->span, QStringLiteral("cannot assign to '%1'").arg(t->text),
                     QStringLiteral("assign to a name, e.g. `n = …`, or to names: "
                                    "`conn, addr = srv.accept()`"));
        }
        if (peek().kind == Tok::End)
            failAt(peek(), QStringLiteral("expected a value after '='"),
                   QStringLiteral("e.g. `n = s.send(b\"hi\")`"));
        s->expr = exprList();
        if (peek().op("="))
            failAt(peek(), QStringLiteral("chained assignment is not supported"),
                   QStringLiteral("assign one value per statement"));
        useNames(s->expr.get());
        for (const Expr *t : targets) {
            if (t->kind == ExprKind::Attr) {
                s->complexTarget = true;
                useNames(t->kids[0].get());
            } else {
                defineTarget(t->name, t->span, s.get());
            }
        }
        s->lhs = std::move(lhs);
    } else if (peek().op("+=") || peek().op("-=")) {
        const Token &op = next();
        s->kind = StmtKind::AugAssign;
        s->op = op.text[0].toLatin1();
        if (lhs->kind != ExprKind::Name && lhs->kind != ExprKind::Attr)
            fail(lhs->span, QStringLiteral("cannot use %1 on '%2'").arg(op.text, lhs->text),
                 QStringLiteral("use it on a name, e.g. `total += n`"));
        if (peek().kind == Tok::End)
            failAt(peek(), QStringLiteral("expected a value after '%1'").arg(op.text),
                   QStringLiteral("e.g. `total += n`"));
        s->expr = expr();
        useNames(lhs.get());
        useNames(s->expr.get());
        if (lhs->kind == ExprKind::Attr)
            s->complexTarget = true;
        else
            defineTarget(lhs->name, lhs->span, s.get());
        s->lhs = std::move(lhs);
    } else {
        s->kind = StmtKind::Expr;
        useNames(lhs.get());
        const bool docstring = lhs->kind == ExprKind::Str && (m_scope || m_defDepth > 0);
        if (lhs->kind != ExprKind::Call && lhs->kind != ExprKind::Method && !docstring)
            warning(lhs->span, QStringLiteral("this expression does nothing on its own"),
                    QStringLiteral("call something, e.g. `s.recv(1024)`, or check a value with "
                                   "`expect`"));
        s->expr = std::move(lhs);
    }
    finishStmt(s.get(), first);
    return s;
}

void Parser::finishStmt(Stmt *s, const Token &first) {
    const Token &last = m_last ? *m_last : first;
    const int end = last.pos + last.len;
    s->span = {m_cur.line, first.col, qMax(1, end - first.pos)};
    s->source = m_cur.text->mid(first.pos, end - first.pos).trimmed();
    if (s->lastLine < m_cur.line)
        s->lastLine = m_cur.line;
}

int Parser::slotFor(const QString &name) {
    const auto it = m_slots.constFind(name);
    if (it != m_slots.constEnd())
        return *it;
    const int slot = int(m_prog.names.size());
    m_prog.names << name;
    m_slots.insert(name, slot);
    return slot;
}

void Parser::useNames(Expr *e) {
    if (!e)
        return;
    if (e->kind == ExprKind::Call && !e->call) {
        // a user's function or class, or a built-in exception class: looked up by name
        e->slot = slotFor(e->name);
        if (m_scope)
            m_deferred.push_back(e);
    }
    if (e->kind == ExprKind::Name) {
        e->slot = slotFor(e->name);
        if (m_scope) {
            m_deferred.push_back(e); // a def's names are resolved once its body is read
        } else if (!m_defined.contains(e->name) && !m_actorNames.contains(e->name) &&
                   !isReserved(e->name) && !isBuiltinException(e->name)) {
            const QString actor = m_actor.isEmpty() ? QStringLiteral("client") : m_actor;
            QString hint = QStringLiteral("assign it in an earlier step, e.g. `%1: %2 = …`")
                               .arg(actor, e->name);
            if (isAllCaps(e->name))
                hint = QStringLiteral("it is not a known constant either (known: AF_INET, "
                                      "SOCK_STREAM, SOL_SOCKET, SO_RCVBUF, EAGAIN, …)");
            error(e->span, QStringLiteral("name '%1' is not defined yet").arg(e->name), hint);
            m_defined.insert(e->name); // report each name once
        }
    }
    for (ExprPtr &k : e->kids)
        useNames(k.get());
    for (auto &kw : e->kwargs)
        useNames(kw.second.get());
}

void Parser::defineTarget(const QString &name, const Span &span, Stmt *s) {
    if (isReserved(name))
        error(span, QStringLiteral("cannot assign to '%1'").arg(name),
              name == QLatin1String("error")
                  ? QStringLiteral("'error' always holds the errno of the previous step; "
                                   "pick another name")
                  : QStringLiteral("'result' always holds the value of the previous step; "
                                   "pick another name"));
    s->targets << name;
    s->targetSlots.push_back(slotFor(name));
    if (m_scope && !m_scope->globals.contains(name))
        defineLocal(name); // a def's own name (or a class attribute)
    else
        m_defined.insert(name);
}

} // namespace sl::script::detail
