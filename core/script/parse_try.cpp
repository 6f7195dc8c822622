// try / except / else / finally and `with … as …:` (issue 9). A clause line stands at
// the indentation of its `try`; at the top level it may repeat the actor's prefix
// (`client: except OSError:`), as `else:` may.
#include "script/parser_p.h"
#include "script/pyexceptions.h"

namespace sl::script::detail {

// The next content line, when it is a clause of the statement at lineIndent: returns its
// keyword token (except, else, finally) and the line's index; null otherwise.
const Token *Parser::clauseLine(int lineIndent, size_t *lineIndex) {
    const size_t p = nextContent(m_pos);
    if (p >= m_lines.size())
        return nullptr;
    const Line &l = m_lines[p];
    if (l.indent != lineIndent || !l.lexOk)
        return nullptr;
    size_t k = 0;
    if (lineIndent == 0 && l.toks.size() > 3 && l.toks[0].text == m_actor && l.toks[1].op(":"))
        k = 2;
    const Token &t = l.toks[k];
    if (!t.name("except") && !t.name("else") && !t.name("finally"))
        return nullptr;
    *lineIndex = p;
    m_pos = p + 1;
    setLine(l, k);
    return &t;
}

StmtPtr Parser::tryStatement(int lineIndent, const Token &kw) {
    auto s = std::make_unique<Stmt>();
    s->kind = StmtKind::Try;
    headerSpan(s.get(), kw);
    expectOp(":", QStringLiteral("missing ':' after try"), QStringLiteral("write `try:`"));
    body(lineIndent, kw, s.get(), &s->body);
    bool sawElse = false, sawFinally = false, sawBare = false;
    size_t p = 0;
    while (const Token *t = clauseLine(lineIndent, &p)) {
        const Token &clause = next();
        const int line = m_lines[p].no;
        try {
            if (sawFinally)
                failAt(clause, QStringLiteral("'%1' after 'finally'").arg(clause.text),
                       QStringLiteral("finally comes last: try, except…, else, finally"));
            if (t->name("except")) {
                if (sawElse)
                    failAt(clause, QStringLiteral("'except' after 'else'"),
                           QStringLiteral("the except clauses come before else"));
                if (sawBare)
                    failAt(clause, QStringLiteral("default 'except:' must be last"),
                           QStringLiteral("put the bare `except:` after the others"));
                exceptClause(lineIndent, s.get(), clause);
                sawBare = !s->handlers.back().type;
            } else if (t->name("else")) {
                if (s->handlers.empty())
                    failAt(clause, QStringLiteral("'else' of a try needs an 'except' before it"),
                           QStringLiteral("write `except …:` first; else runs when no "
                                          "exception was raised"));
                if (sawElse)
                    failAt(clause, QStringLiteral("a try has one 'else'"),
                           QStringLiteral("merge the two else blocks"));
                sawElse = true;
                expectOp(":", QStringLiteral("missing ':' after else"),
                         QStringLiteral("write `else:`"));
                body(lineIndent, clause, s.get(), &s->orelse);
            } else {
                sawFinally = true;
                expectOp(":", QStringLiteral("missing ':' after finally"),
                         QStringLiteral("write `finally:`"));
                body(lineIndent, clause, s.get(), &s->finalbody);
            }
        } catch (const LineError &) {
            skipDeeper(lineIndent);
        }
        s->lastLine = qMax(s->lastLine, line);
    }
    if (s->handlers.empty() && !sawFinally)
        error(s->span, QStringLiteral("expected 'except' or 'finally' block"),
              QStringLiteral("after the try block, write `except OSError as e:` (or "
                             "`finally:`) at the indentation of `try`; C: `if (n == -1 && "
                             "errno == EAGAIN) …`"));
    return s;
}

void Parser::exceptClause(int lineIndent, Stmt *tryStmt, const Token &kw) {
    Handler h;
    h.span = spanOf(kw, m_cur.line);
    if (peek().name("as"))
        failAt(peek(), QStringLiteral("a bare 'except' cannot name the exception"),
               QStringLiteral("name the class to catch: `except Exception as e:`"));
    if (!peek().op(":")) {
        if (!startsExpr(peek()))
            failAt(peek(), QStringLiteral("unexpected %1").arg(describe(peek())),
                   QStringLiteral("e.g. `except OSError as e:`"));
        h.type = expr();
        if (peek().op(","))
            failAt(peek(), QStringLiteral("multiple exception types must be parenthesized"),
                   QStringLiteral("e.g. `except (ConnectionResetError, BrokenPipeError):`"));
        const auto isClassName = [](const Expr *e) { return e->kind == ExprKind::Name; };
        bool ok = isClassName(h.type.get());
        if (h.type->kind == ExprKind::Tuple) {
            ok = !h.type->kids.empty();
            for (const ExprPtr &k : h.type->kids)
                ok = ok && isClassName(k.get());
        }
        if (!ok)
            fail(h.type->span, QStringLiteral("'%1' is not an exception class").arg(h.type->text),
                 QStringLiteral("name a class, e.g. `except OSError:` or `except (A, B):`; C "
                                "has no exceptions: it reads errno after a call returns -1"));
        useNames(h.type.get());
        if (peek().name("as")) {
            next();
            const Token &n = next();
            if (n.kind != Tok::Name || isKeyword(n.text))
                failAt(n, QStringLiteral("expected a name after 'as'"),
                       QStringLiteral("e.g. `except OSError as e:`"));
            h.name = nameExpr(n);
            defineTarget(n.text, spanOf(n, m_cur.line), tryStmt);
        }
    }
    expectOp(":", QStringLiteral("missing ':' after the except clause"),
             QStringLiteral("e.g. `except OSError as e:`"));
    Nesting handling(m_exceptDepth);
    // The handler's statements are recorded on a scratch Stmt, then moved into h.
    Stmt holder;
    holder.lastLine = tryStmt->lastLine;
    body(lineIndent, kw, &holder, &holder.body);
    h.body = std::move(holder.body);
    tryStmt->lastLine = qMax(tryStmt->lastLine, holder.lastLine);
    tryStmt->handlers.push_back(std::move(h));
}

StmtPtr Parser::withStatement(int lineIndent, const Token &kw) {
    auto s = std::make_unique<Stmt>();
    s->kind = StmtKind::With;
    headerSpan(s.get(), kw);
    if (peek().op(":") || peek().kind == Tok::End)
        failAt(peek(), QStringLiteral("with needs a value"),
               QStringLiteral("e.g. `with socket.socket(socket.AF_INET, socket.SOCK_STREAM) "
                              "as s:` (C: `int fd = socket(…); … close(fd);`)"));
    s->expr = expr();
    useNames(s->expr.get());
    // The value is kept under a hidden name (one no script can write) so that the
    // block's end closes what `with` opened even if the block rebinds the `as` name.
    const QString hidden = QStringLiteral("with@%1#%2").arg(m_cur.line).arg(++m_hiddenNames);
    if (peek().name("as")) {
        next();
        const Token &n = next();
        if (n.kind != Tok::Name || isKeyword(n.text))
            failAt(n, QStringLiteral("expected a name after 'as'"),
                   QStringLiteral("e.g. `with socket.socket() as s:`"));
        if (peek().op(","))
            failAt(peek(), QStringLiteral("one context manager per 'with' in a lab"),
                   QStringLiteral("nest a second `with` inside the block"));
        s->lhs = nameExpr(n);
        defineTarget(n.text, spanOf(n, m_cur.line), s.get());
    } else if (peek().op(",")) {
        failAt(peek(), QStringLiteral("one context manager per 'with' in a lab"),
               QStringLiteral("nest a second `with` inside the block"));
    }
    expectOp(":", QStringLiteral("missing ':' after the with header"),
             QStringLiteral("e.g. `with socket.socket() as s:`"));
    // exitCall: `hidden.close()`, as socket.__exit__ does.
    auto holder = make(ExprKind::Name, kw);
    holder->name = hidden;
    holder->slot = slotFor(hidden);
    defineTarget(hidden, holder->span, s.get());
    auto close = make(ExprKind::Method, kw);
    close->name = QStringLiteral("close");
    close->call = findMethod(close->name);
    close->text = s->lhs ? s->lhs->text + QStringLiteral(".close()") : QStringLiteral("close()");
    close->kids.push_back(std::move(holder));
    s->exitCall = std::move(close);
    // targets: [as-name,] hidden
    body(lineIndent, kw, s.get(), &s->body);
    return s;
}

} // namespace sl::script::detail
