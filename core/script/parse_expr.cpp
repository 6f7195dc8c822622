// Expressions, with Python's precedence, and the checks made on calls and sizes.
#include "script/parser_p.h"

namespace sl::script::detail {

bool startsExpr(const Token &t) {
    switch (t.kind) {
    case Tok::Int:
    case Tok::Float:
    case Tok::Str:
    case Tok::Bytes:
        return true;
    case Tok::Name:
        return !isKeyword(t.text) || t.text == QLatin1String("not") ||
               t.text == QLatin1String("True") || t.text == QLatin1String("False") ||
               t.text == QLatin1String("None");
    case Tok::Op:
        return t.op("(") || t.op("[") || t.op("{") || t.op("-") || t.op("+") || t.op("~");
    case Tok::End:
        break;
    }
    return false;
}

// ---- tokens -------------------------------------------------------------------------

const Token &Parser::peek(int ahead) const {
    const size_t i = qMin(m_cur.i + size_t(ahead), m_cur.toks->size() - 1);
    return (*m_cur.toks)[i];
}

const Token &Parser::next() {
    const Token &t = peek();
    if (m_cur.i + 1 < m_cur.toks->size())
        ++m_cur.i;
    m_last = &t;
    return t;
}

bool Parser::accept(const char *op) {
    if (!peek().op(op))
        return false;
    next();
    return true;
}

const Token &Parser::expectOp(const char *op, const QString &msg, const QString &hint) {
    if (!peek().op(op))
        failAt(peek(), msg, hint);
    return next();
}

void Parser::expectEnd() {
    if (peek().kind != Tok::End)
        failAt(peek(), QStringLiteral("unexpected %1").arg(describe(peek())),
               QStringLiteral("expected the end of the statement"));
}

Span Parser::spanOf(const Token &t, int line) {
    return {line, t.col, qMax(1, t.len)};
}

QString Parser::describe(const Token &t) const {
    switch (t.kind) {
    case Tok::End:
        return QStringLiteral("end of line");
    case Tok::Str:
        return QStringLiteral("string %1").arg(t.text);
    case Tok::Bytes:
        return QStringLiteral("bytes %1").arg(t.text);
    default:
        return u'\'' + t.text + u'\'';
    }
}

void Parser::failAt(const Token &t, const QString &msg, const QString &hint) {
    fail(spanOf(t, m_cur.line), msg, hint);
}

void Parser::fail(const Span &s, const QString &msg, const QString &hint) {
    error(s, msg, hint);
    throw LineError{};
}

void Parser::error(const Span &s, const QString &msg, const QString &hint) {
    ++m_errors;
    m_diags.push_back({Diagnostic::Error, s, msg, hint});
}

void Parser::warning(const Span &s, const QString &msg, const QString &hint) {
    m_diags.push_back({Diagnostic::Warning, s, msg, hint});
}

// ---- tree building ------------------------------------------------------------------

ExprPtr Parser::make(ExprKind kind, const Token &first) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->span = spanOf(first, m_cur.line);
    e->text = m_cur.text->mid(first.pos, first.len);
    return e;
}

void Parser::finish(Expr *e, const Token &first) {
    const Token &last = m_last ? *m_last : first;
    const int end = qMax(last.pos + last.len, first.pos + first.len);
    e->span = {m_cur.line, first.col, qMax(1, end - first.pos)};
    e->text = m_cur.text->mid(first.pos, end - first.pos);
}

ExprPtr Parser::binary(ExprKind kind, char op, ExprPtr l, ExprPtr r, const Token &first) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->op = op;
    e->kids.push_back(std::move(l));
    e->kids.push_back(std::move(r));
    finish(e.get(), first);
    return e;
}

// ---- grammar ------------------------------------------------------------------------

ExprPtr Parser::exprList() {
    const Token &first = peek();
    ExprPtr e = expr();
    if (!peek().op(","))
        return e;
    auto t = make(ExprKind::Tuple, first);
    t->kids.push_back(std::move(e));
    while (accept(",") && startsExpr(peek()))
        t->kids.push_back(expr());
    finish(t.get(), first);
    return t;
}

ExprPtr Parser::expr() {
    SL_NEST();
    return orExpr();
}

ExprPtr Parser::orExpr() {
    const Token &first = peek();
    ExprPtr l = andExpr();
    const int depth = m_depth;
    while (peek().name("or")) {
        SL_NEST();
        next();
        l = binary(ExprKind::BoolOp, '|', std::move(l), andExpr(), first);
        ++m_depth;
    }
    m_depth = depth;
    return l;
}

ExprPtr Parser::andExpr() {
    const Token &first = peek();
    ExprPtr l = notExpr();
    const int depth = m_depth;
    while (peek().name("and")) {
        SL_NEST();
        next();
        l = binary(ExprKind::BoolOp, '&', std::move(l), notExpr(), first);
        ++m_depth;
    }
    m_depth = depth;
    return l;
}

ExprPtr Parser::notExpr() {
    if (!peek().name("not"))
        return comparison();
    SL_NEST();
    const Token &first = next();
    auto e = make(ExprKind::Unary, first);
    e->op = '!';
    e->kids.push_back(notExpr());
    finish(e.get(), first);
    return e;
}

ExprPtr Parser::comparison() {
    const Token &first = peek();
    ExprPtr l = bitOr();
    auto compareOp = [this]() -> char {
        const Token &t = peek();
        if (t.op("=="))
            return '=';
        if (t.op("!="))
            return '!';
        if (t.op("<"))
            return '<';
        if (t.op("<="))
            return 'l';
        if (t.op(">"))
            return '>';
        if (t.op(">="))
            return 'g';
        if (t.name("in"))
            return 'i';
        if (t.name("not") && peek(1).name("in"))
            return 'n';
        if (t.name("is"))
            return peek(1).name("not") ? 't' : 's';
        return 0;
    };
    const char op = compareOp();
    if (!op)
        return l;
    next();
    if (op == 'n' || op == 't')
        next();
    l = binary(ExprKind::Compare, op, std::move(l), bitOr(), first);
    if (compareOp())
        failAt(peek(), QStringLiteral("chained comparison"),
               QStringLiteral("write `a < b and b < c`: a lab does not chain comparisons"));
    return l;
}

// Python's bitwise levels, loosest first: | then ^ then & then << >> (POLLIN | POLLOUT,
// flags & ~O_NONBLOCK). Op codes: '|' '^' '&', 'L' for <<, 'R' for >>.
ExprPtr Parser::bitLevel(int level) {
    static const char *const ops[][2] = {
        {"|", nullptr}, {"^", nullptr}, {"&", nullptr}, {"<<", ">>"}};
    if (level > 3)
        return arith();
    const Token &first = peek();
    ExprPtr l = bitLevel(level + 1);
    const int depth = m_depth;
    auto matches = [&]() {
        const auto &o = ops[level];
        return peek().op(o[0]) || (o[1] && peek().op(o[1]));
    };
    while (matches()) {
        SL_NEST();
        const Token &t = next();
        const char op = t.op("<<") ? 'L' : t.op(">>") ? 'R' : t.text[0].toLatin1();
        l = binary(ExprKind::Binary, op, std::move(l), bitLevel(level + 1), first);
        checkSize(l.get());
        ++m_depth;
    }
    m_depth = depth;
    return l;
}

ExprPtr Parser::bitOr() {
    return bitLevel(0);
}

ExprPtr Parser::arith() {
    const Token &first = peek();
    ExprPtr l = term();
    const int depth = m_depth;
    while (peek().op("+") || peek().op("-")) {
        SL_NEST();
        const char op = next().text[0].toLatin1();
        l = binary(ExprKind::Binary, op, std::move(l), term(), first);
        checkSize(l.get());
        ++m_depth;
    }
    m_depth = depth;
    return l;
}

ExprPtr Parser::term() {
    const Token &first = peek();
    ExprPtr l = unary();
    const int depth = m_depth;
    while (peek().op("*") || peek().op("/") || peek().op("//") || peek().op("%")) {
        SL_NEST();
        const Token &t = next();
        const char op = t.text == QLatin1String("//") ? 'f' : t.text[0].toLatin1();
        l = binary(ExprKind::Binary, op, std::move(l), unary(), first);
        checkSize(l.get());
        ++m_depth;
    }
    m_depth = depth;
    return l;
}

ExprPtr Parser::unary() {
    if (!peek().op("-") && !peek().op("+") && !peek().op("~"))
        return postfix();
    SL_NEST();
    const Token &first = next();
    ExprPtr operand = unary();
    if (first.op("+")) {
        finish(operand.get(), first); // +x is x, written with its sign
        return operand;
    }
    auto e = make(ExprKind::Unary, first);
    e->op = first.op("~") ? '~' : '-';
    e->kids.push_back(std::move(operand));
    finish(e.get(), first);
    return e;
}

} // namespace sl::script::detail
