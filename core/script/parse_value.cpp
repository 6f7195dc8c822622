// The Python subset's value syntax (issue 9): dict literals, f-strings, and the two
// statements on items, `d[k] = v` (also += and -=) and `del d[k]`.
#include "script/parser_p.h"

#include <QRegularExpression>

namespace sl::script::detail {

ExprPtr Parser::dictLiteral(const Token &open) {
    SL_NEST();
    auto e = make(ExprKind::Dict, open);
    while (!accept("}")) {
        if (!startsExpr(peek()))
            failAt(peek(), QStringLiteral("unexpected %1 in a dict").arg(describe(peek())),
                   QStringLiteral("expected a key or '}', e.g. `{\"a\": 1}`"));
        e->kids.push_back(expr());
        if (!peek().op(":")) {
            if (e->kids.size() == 1 && (peek().op(",") || peek().op("}")))
                failAt(peek(), QStringLiteral("sets are not supported in a .lab script"),
                       QStringLiteral("a dict needs key: value pairs, e.g. `{\"a\": 1}`; for a "
                                      "collection of values use a list `[…]`"));
            failAt(peek(), QStringLiteral("expected ':' after the dict key"),
                   QStringLiteral("write key: value, e.g. `{\"a\": 1, \"b\": 2}`"));
        }
        next();
        if (!startsExpr(peek()))
            failAt(peek(), QStringLiteral("expected a value after ':' in a dict"),
                   QStringLiteral("write key: value, e.g. `{\"a\": 1}`"));
        e->kids.push_back(expr());
        if (!accept(",")) {
            expectOp(
                "}", QStringLiteral("unexpected %1 in a dict").arg(describe(peek())),
                QStringLiteral("expected ',' or '}' (the dict opened in column %1)").arg(open.col));
            break;
        }
    }
    finish(e.get(), open);
    return e;
}

ExprPtr Parser::subExpression(const QString &code, int col, const char *where) {
    std::vector<Token> toks;
    if (!lexLine(code, m_cur.line, col, &toks, &m_diags))
        throw LineError{};
    const Cursor saved = m_cur;
    const Token *savedLast = m_last;
    m_cur = {&toks, 0, &code, saved.line};
    ExprPtr e = exprList();
    if (peek().kind != Tok::End)
        failAt(peek(),
               QStringLiteral("unexpected %1 in %2").arg(describe(peek()), QLatin1String(where)),
               QStringLiteral("a field holds one value, e.g. {n} or {len(data)}"));
    m_cur = saved;
    m_last = savedLast;
    return e;
}

// f"…": literal text and {expr!conversion:spec} fields, with {{ and }} for braces,
// and {expr=} (the text, '=' and the repr). The string's escapes are decoded by the
// lexer; strCols() maps each decoded character back to its source column.
ExprPtr Parser::fString(const Token &t) {
    SL_NEST();
    auto e = make(ExprKind::FString, t);
    const QString &s = t.str();
    const auto col = [&](qsizetype i) { return t.strCols()[size_t(qMin(i, s.size()))]; };
    QString lit;
    auto flush = [&]() {
        if (lit.isEmpty())
            return;
        auto part = make(ExprKind::Str, t);
        part->str = lit;
        e->kids.push_back(std::move(part));
        lit.clear();
    };
    static const QRegularExpression specSyntax(
        QStringLiteral("^(.?[<>=^])?[+\\- ]?#?0?[0-9]*[,_]?(\\.[0-9]+)?[bcdeEfFgGnosxX%]?$"));
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (c == u'}') {
            if (i + 1 < s.size() && s[i + 1] == u'}') {
                lit += c;
                ++i;
                continue;
            }
            fail({m_cur.line, col(i), 1}, QStringLiteral("single '}' in an f-string"),
                 QStringLiteral("write }} for a literal brace"));
        }
        if (c != u'{') {
            lit += c;
            continue;
        }
        if (i + 1 < s.size() && s[i + 1] == u'{') {
            lit += c;
            ++i;
            continue;
        }
        // The field's end, its '!' conversion and ':' spec, at bracket depth 0 and
        // outside quotes ('!=' is an operator, not a conversion).
        qsizetype close = -1, bang = -1, colon = -1;
        int depth = 0;
        QChar quote;
        for (qsizetype j = i + 1; j < s.size() && close < 0; ++j) {
            const QChar d = s[j];
            if (!quote.isNull()) {
                if (d == quote)
                    quote = QChar();
            } else if (colon >= 0) {
                if (d == u'{')
                    fail({m_cur.line, col(j), 1},
                         QStringLiteral("nested fields in a format spec are not supported"),
                         QStringLiteral("write the spec out, e.g. {n:>8}"));
                if (d == u'}')
                    close = j;
            } else if (d == u'"' || d == u'\'') {
                quote = d;
            } else if (d == u'(' || d == u'[' || d == u'{') {
                ++depth;
            } else if ((d == u')' || d == u']' || d == u'}') && depth > 0) {
                --depth;
            } else if (d == u'}') {
                close = j;
            } else if (d == u'!' && depth == 0 && bang < 0 && j + 1 < s.size() &&
                       s[j + 1] != u'=') {
                bang = j;
            } else if (d == u':' && depth == 0) {
                colon = j;
            }
        }
        if (close < 0)
            fail({m_cur.line, col(i), 1}, QStringLiteral("unterminated '{' in an f-string"),
                 QStringLiteral("close the field with '}', or write {{ for a literal brace"));
        const qsizetype codeEnd = bang >= 0 ? bang : colon >= 0 ? colon : close;
        QString code = s.mid(i + 1, codeEnd - i - 1);
        auto field = make(ExprKind::Format, t);
        if (bang >= 0) {
            const QString conv = s.mid(bang + 1, (colon >= 0 ? colon : close) - bang - 1);
            if (conv != QLatin1String("r") && conv != QLatin1String("s"))
                fail({m_cur.line, col(bang), int(qMax<qsizetype>(1, conv.size() + 1))},
                     QStringLiteral("unknown conversion '!%1' in an f-string").arg(conv),
                     QStringLiteral("use !r (repr) or !s (str), e.g. {data!r}"));
            field->op = conv[0].toLatin1();
        }
        if (colon >= 0) {
            field->str = s.mid(colon + 1, close - colon - 1);
            if (!specSyntax.match(field->str).hasMatch())
                fail({m_cur.line, col(colon + 1), int(qMax<qsizetype>(1, field->str.size()))},
                     QStringLiteral("invalid format spec '%1'").arg(field->str),
                     QStringLiteral("e.g. {n:,} {n:>8} {n:08x} {x:.2f} {s:<10}"));
        }
        // {x=}: the text itself, then the value (its repr unless a spec is given)
        const QString bare = code.trimmed();
        if (bare.endsWith(u'=') && !bare.endsWith(QLatin1String("==")) &&
            !bare.endsWith(QLatin1String("!=")) && !bare.endsWith(QLatin1String("<=")) &&
            !bare.endsWith(QLatin1String(">="))) {
            lit += code;
            code = code.left(code.lastIndexOf(u'='));
            if (bang < 0 && colon < 0)
                field->op = 'r';
        }
        if (code.trimmed().isEmpty())
            fail({m_cur.line, col(i), int(close - i + 1)},
                 QStringLiteral("empty expression in an f-string"),
                 QStringLiteral("put a value inside, e.g. {n}, or write {{ }} for braces"));
        flush();
        field->kids.push_back(subExpression(code, col(i + 1), "an f-string field"));
        e->kids.push_back(std::move(field));
        i = close;
    }
    flush();
    finish(e.get(), t);
    return e;
}

StmtPtr Parser::itemStatement(ExprPtr target, const Token &first) {
    auto s = std::make_unique<Stmt>();
    s->kind = StmtKind::Expr;
    if (target->kind == ExprKind::Slice)
        fail(target->span, QStringLiteral("assignment to a slice is not supported"),
             QStringLiteral("build a new value, e.g. `a = a[:i] + b + a[j:]`"));
    const Token &op = next(); // '=', '+=' or '-='
    if (peek().kind == Tok::End)
        failAt(peek(), QStringLiteral("expected a value after '%1'").arg(op.text),
               QStringLiteral("e.g. `counts[key] = 0`"));
    auto e = make(ExprKind::SetItem, first);
    e->op = op.op("=") ? '=' : op.text[0].toLatin1();
    e->kids.push_back(std::move(target->kids[0]));
    e->kids.push_back(std::move(target->kids[1]));
    e->kids.push_back(op.op("=") ? exprList() : expr());
    if (peek().op("="))
        failAt(peek(), QStringLiteral("chained assignment is not supported"),
               QStringLiteral("assign one value per statement"));
    finish(e.get(), first);
    useNames(e.get());
    s->expr = std::move(e);
    finishStmt(s.get(), first);
    return s;
}

StmtPtr Parser::delStatement() {
    const Token &kw = next(); // 'del'
    auto s = std::make_unique<Stmt>();
    s->kind = StmtKind::Expr;
    if (peek().kind == Tok::End)
        failAt(peek(), QStringLiteral("expected an item after 'del'"),
               QStringLiteral("e.g. `del buffers[conn]` or `del items[0]`"));
    const Token &first = peek();
    ExprPtr target = expr();
    if (peek().op(","))
        failAt(peek(), QStringLiteral("del takes one item"),
               QStringLiteral("write one `del` per item"));
    if (target->kind == ExprKind::Name) {
        // `del name` (lesson 13): unbinds the name; a socket no other name, list, dict
        // or object refers to is closed then, as CPython's reference counting does.
        auto e = make(ExprKind::DelItem, first);
        e->kids.push_back(std::move(target));
        finish(e.get(), first);
        useNames(e.get());
        s->expr = std::move(e);
        finishStmt(s.get(), kw);
        return s;
    }
    if (target->kind == ExprKind::Slice)
        fail(target->span, QStringLiteral("del of a slice is not supported"),
             QStringLiteral("build a new value, e.g. `a = a[:i] + a[j:]`"));
    if (target->kind != ExprKind::Index)
        fail(target->span, QStringLiteral("cannot delete '%1'").arg(target->text),
             QStringLiteral("del removes an item: `del d[key]`"));
    auto e = make(ExprKind::DelItem, first);
    e->kids.push_back(std::move(target->kids[0]));
    e->kids.push_back(std::move(target->kids[1]));
    finish(e.get(), first);
    useNames(e.get());
    s->expr = std::move(e);
    finishStmt(s.get(), kw);
    return s;
}

} // namespace sl::script::detail
