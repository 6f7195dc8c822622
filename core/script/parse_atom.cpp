// Atoms, calls, subscripts and module names (socket.AF_INET), and the checks made on
// calls: known name, arity, and the size cap.
#include "script/langcalls.h"
#include "script/parser_p.h"

#include <QLocale>

#include <limits>
#include <optional>

namespace sl::script::detail {

namespace {

bool isUpperConstantName(const QString &s) {
    for (QChar c : s) {
        if (!((c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_'))
            return false;
    }
    return !s.isEmpty();
}

QString grouped(__int128 v) {
    if (v > std::numeric_limits<qlonglong>::max())
        return QStringLiteral("over 9,223,372,036,854,775,807");
    return QLocale(QLocale::English).toString(qlonglong(v));
}

constexpr __int128 kBig = __int128(1) << 100; // saturate here: far inside __int128

__int128 saturate(__int128 v) {
    return v > kBig ? kBig : (v < -kBig ? -kBig : v);
}

// Integer literals and sums/products of them: known while parsing.
std::optional<__int128> constInt(const Expr *e) {
    if (e->kind == ExprKind::Int)
        return e->i;
    if (e->kind == ExprKind::Unary && e->op == '-') {
        const auto v = constInt(e->kids[0].get());
        return v ? std::optional<__int128>(-*v) : std::nullopt;
    }
    if (e->kind == ExprKind::Binary && (e->op == '*' || e->op == '+' || e->op == '-')) {
        const auto l = constInt(e->kids[0].get()), r = constInt(e->kids[1].get());
        if (!l || !r)
            return std::nullopt;
        return saturate(e->op == '*' ? *l * *r : e->op == '+' ? *l + *r : *l - *r);
    }
    return std::nullopt;
}

// The length of a bytes/str literal, repeated by a known integer.
std::optional<__int128> constLength(const Expr *e) {
    if (e->kind == ExprKind::Bytes)
        return e->bytes.size();
    if (e->kind == ExprKind::Str)
        return e->str.size();
    if (e->kind == ExprKind::Binary && e->op == '*') {
        for (int k = 0; k < 2; ++k) {
            const auto len = constLength(e->kids[k].get());
            const auto n = constInt(e->kids[1 - k].get());
            if (len && n)
                return saturate(*len * (*n < 0 ? 0 : *n));
        }
    }
    if (e->kind == ExprKind::Binary && e->op == '+') {
        const auto l = constLength(e->kids[0].get()), r = constLength(e->kids[1].get());
        if (l && r)
            return saturate(*l + *r);
    }
    return std::nullopt;
}

QString arguments(int n) {
    return n == 0   ? QStringLiteral("no arguments")
           : n == 1 ? QStringLiteral("1 argument")
                    : QStringLiteral("%1 arguments").arg(n);
}

const QString kCapHint =
    QStringLiteral("a lab caps sizes at 1,073,741,824 bytes (1 GiB); use a smaller size");

} // namespace

ExprPtr Parser::postfix() {
    const Token &first = peek();
    ExprPtr e = atom();
    const int depth = m_depth;
    for (;;) {
        if (peek().op("(")) {
            SL_NEST();
            if (e->kind != ExprKind::Name && e->kind != ExprKind::Const)
                failAt(peek(), QStringLiteral("only functions and methods can be called"),
                       QStringLiteral("call a function by its name, e.g. `len(data)`"));
            const Token &nameTok = *m_last;
            e->kind = ExprKind::Call;
            callArgs(e.get());
            finish(e.get(), first);
            checkCall(e.get(), nameTok);
        } else if (peek().op(".")) {
            SL_NEST();
            next();
            const Token &member = next();
            if (member.kind != Tok::Name || isKeyword(member.text))
                failAt(member, QStringLiteral("expected a method name after '.'"),
                       QStringLiteral("e.g. `s.recv(1024)`"));
            const bool module = e->kind == ExprKind::Name && e->text == e->name &&
                                isModuleName(e->name) && !m_defined.contains(e->name);
            if (module) {
                e = moduleMember(first, member);
            } else if (peek().op("(")) {
                auto call = make(ExprKind::Method, first);
                call->name = member.text;
                call->kids.push_back(std::move(e));
                callArgs(call.get());
                finish(call.get(), first);
                checkCall(call.get(), member);
                e = std::move(call);
            } else { // issue 9 (lstmt): self.sock, e.errno
                auto attr = make(ExprKind::Attr, first);
                attr->name = member.text;
                attr->kids.push_back(std::move(e));
                finish(attr.get(), first);
                e = std::move(attr);
            }
        } else if (peek().op("[")) {
            SL_NEST();
            e = subscript(std::move(e), first);
        } else {
            break;
        }
        ++m_depth;
    }
    m_depth = depth;
    return e;
}

ExprPtr Parser::moduleMember(const Token &first, const Token &member) {
    const QString module = m_cur.text->mid(first.pos, first.len);
    auto e = make(ExprKind::Name, first);
    e->name = member.text;
    std::int64_t value = 0;
    if (moduleFunction(module, member.text) && peek().op("(")) {
        // becomes a Call when postfix() sees the '('
    } else if (moduleConstant(module, member.text, &value)) {
        e->kind = ExprKind::Const;
        e->i = value;
    } else {
        fail({m_cur.line, first.col, member.col + member.len - first.col},
             QStringLiteral("unknown name '%1.%2'").arg(module, member.text),
             module == QLatin1String("errno")
                 ? QStringLiteral("errno names look like errno.EAGAIN or plain EAGAIN")
                 : QStringLiteral("e.g. socket.socket(…), socket.AF_INET, select.select(…), "
                                  "select.poll(), struct.pack(…)"));
    }
    finish(e.get(), first);
    return e;
}

void Parser::callArgs(Expr *call) {
    next(); // '('
    while (!accept(")")) {
        if (peek().kind == Tok::Name && peek(1).op("=") && !isKeyword(peek().text)) {
            const QString key = next().text;
            next();
            call->kwargs.emplace_back(key, expr());
        } else {
            if (!call->kwargs.empty())
                failAt(peek(), QStringLiteral("positional argument after a keyword argument"),
                       QStringLiteral("put positional arguments first"));
            if (!startsExpr(peek()))
                failAt(peek(), QStringLiteral("unexpected %1").arg(describe(peek())),
                       QStringLiteral("expected an argument or ')'"));
            call->kids.push_back(expr());
        }
        if (!accept(","))
            expectOp(")", QStringLiteral("unexpected %1").arg(describe(peek())),
                     QStringLiteral("expected ',' or ')' in the argument list"));
        else
            continue;
        break;
    }
}

ExprPtr Parser::subscript(ExprPtr obj, const Token &first) {
    const Token &open = next(); // '['
    auto e = make(ExprKind::Index, first);
    e->kids.push_back(std::move(obj));
    auto bound = [&]() -> ExprPtr {
        if (peek().op(":") || peek().op("]")) {
            auto none = make(ExprKind::None, peek());
            none->text.clear();
            return none;
        }
        if (!startsExpr(peek()))
            failAt(peek(), QStringLiteral("unexpected %1").arg(describe(peek())),
                   QStringLiteral("expected an index, e.g. `data[0]` or `data[2:]`"));
        return expr();
    };
    if (peek().op("]"))
        failAt(peek(), QStringLiteral("empty subscript"),
               QStringLiteral("e.g. `data[0]` or `data[2:]`"));
    e->kids.push_back(bound());
    if (accept(":")) {
        e->kind = ExprKind::Slice;
        e->kids.push_back(bound());
        if (accept(":")) // a[i:j:k]; a[::2]
            e->kids.push_back(bound());
        if (e->kids.size() == 4 && peek().op(":"))
            failAt(peek(), QStringLiteral("a slice has at most three parts"),
                   QStringLiteral("write `data[start:stop:step]`"));
    }
    expectOp("]", QStringLiteral("unexpected %1").arg(describe(peek())),
             QStringLiteral("expected ']' to close the '[' in column %1").arg(open.col));
    finish(e.get(), first);
    return e;
}

ExprPtr Parser::atom() {
    const Token &t = next();
    switch (t.kind) {
    case Tok::Int: {
        auto e = make(ExprKind::Int, t);
        e->i = t.i;
        return e;
    }
    case Tok::Float: {
        auto e = make(ExprKind::Float, t);
        e->f = t.f;
        return e;
    }
    case Tok::Str: {
        if (t.lit && t.lit->fstring)
            return fString(t);
        auto e = make(ExprKind::Str, t);
        e->str = t.str();
        return e;
    }
    case Tok::Bytes: {
        auto e = make(ExprKind::Bytes, t);
        e->bytes = t.bytes();
        return e;
    }
    case Tok::Name: {
        if (t.name("True") || t.name("False")) {
            auto e = make(ExprKind::Bool, t);
            e->i = t.name("True") ? 1 : 0;
            return e;
        }
        if (t.name("None"))
            return make(ExprKind::None, t);
        if (isKeyword(t.text))
            failAt(t, QStringLiteral("unexpected '%1'").arg(t.text),
                   QStringLiteral("expected a value"));
        std::int64_t value = 0;
        if (isUpperConstantName(t.text) && !m_defined.contains(t.text) &&
            constantValue(t.text, &value)) {
            auto e = make(ExprKind::Const, t);
            e->name = t.text;
            e->i = value;
            return e;
        }
        auto e = make(ExprKind::Name, t);
        e->name = t.text;
        return e;
    }
    case Tok::Op:
        if (t.op("{"))
            return dictLiteral(t);
        if (t.op("(") || t.op("[")) {
            const bool list = t.op("[");
            const char *close = list ? "]" : ")";
            auto e = make(list ? ExprKind::List : ExprKind::Tuple, t);
            if (accept(close)) {
                finish(e.get(), t);
                return e;
            }
            ExprPtr first = expr();
            if (!list && accept(")"))
                return first; // parenthesised, not a tuple
            e->kids.push_back(std::move(first));
            while (accept(",") && !peek().op(close))
                e->kids.push_back(expr());
            expectOp(close, QStringLiteral("unexpected %1").arg(describe(peek())),
                     QStringLiteral("expected ',' or '%1'").arg(QLatin1String(close)));
            finish(e.get(), t);
            return e;
        }
        break;
    default:
        break;
    }
    failAt(t,
           t.kind == Tok::End ? QStringLiteral("unexpected end of line")
                              : QStringLiteral("unexpected %1").arg(describe(t)),
           QStringLiteral("expected a value"));
}

void Parser::checkCall(Expr *call, const Token &nameTok) {
    const bool method = call->kind == ExprKind::Method;
    const QString &name = call->name;
    // issue 9 (lstmt): a user's def/class or an exception class is looked up when the
    // call runs; a method a class defines is not held to the catalogue's arity.
    if (!method && isUserCallable(name)) {
        call->call = nullptr;
        return;
    }
    if (method && m_userDefs.contains(name)) {
        call->call = findMethod(name);
        return;
    }
    call->call = method ? findMethod(name) : findFunction(name);
    if (!call->call) // the Python subset's builtins and value methods (langcalls.h)
        call->call = method ? findLangMethod(name) : findLangFunction(name);
    const Span at = spanOf(nameTok, m_cur.line);
    if (!call->call) {
        if (!method && findMethod(name)) {
            error(at, QStringLiteral("'%1' is a method, not a function").arg(name),
                  QStringLiteral("call it on a socket, e.g. `s.%1(…)`").arg(name));
        } else if (!method && findLangMethod(name)) {
            error(at, QStringLiteral("'%1' is a method, not a function").arg(name),
                  QStringLiteral("call it on a value (%1), e.g. `x.%2(…)`")
                      .arg(langMethodOwners(name), name));
        } else if (method && (findFunction(name) || findLangFunction(name))) {
            error(at, QStringLiteral("'%1' is a function, not a method").arg(name),
                  QStringLiteral("call it as `%1(…)`").arg(name));
        } else {
            QString hint;
            QString same = suggestName(name, method);
            QString other = suggestName(name, !method);
            // The closest of the catalogue's and the Python subset's names.
            const auto closer = [&name](const QString &a, const QString &b) {
                if (a.isEmpty() || b.isEmpty())
                    return a.isEmpty() ? b : a;
                return langDistance(name.toLower(), b) < langDistance(name.toLower(), a) ? b : a;
            };
            same = closer(same, suggestLangName(name, method));
            other = closer(other, suggestLangName(name, !method));
            if (!same.isEmpty())
                hint = QStringLiteral("did you mean '%1'?").arg(same);
            else if (!other.isEmpty())
                hint =
                    method
                        ? QStringLiteral("did you mean '%1'? it is a function: `%1(…)`").arg(other)
                        : QStringLiteral("did you mean '%1'? it is a method: `s.%1(…)`").arg(other);
            error(at, QStringLiteral("unknown call '%1'").arg(name), hint);
        }
        return;
    }
    const CallInfo &c = *call->call;
    const int given = int(call->kids.size()) - (method ? 1 : 0) + int(call->kwargs.size());
    if (given < c.minArgs || given > c.maxArgs) {
        const QString takes = c.minArgs == c.maxArgs ? arguments(c.minArgs)
                              : given < c.minArgs
                                  ? QStringLiteral("at least %1").arg(arguments(c.minArgs))
                                  : QStringLiteral("at most %1").arg(arguments(c.maxArgs));
        error(call->span, QStringLiteral("%1() takes %2 (%3 given)").arg(name, takes).arg(given),
              *c.cSignature ? QStringLiteral("C: ") + QLatin1String(c.cSignature) : QString());
        return;
    }
    switch (c.id) {
    case CallId::Recv:
    case CallId::RecvExactly:
    case CallId::Read:
    case CallId::Recvfrom:
        // A file's read() (makefile) takes no size: nothing to check.
        if (call->kids.size() > 1)
            checkSizeArg(call->kids[1].get(), name);
        break;
    default:
        break;
    }
}

void Parser::checkSizeArg(const Expr *arg, const QString &what) {
    const auto n = constInt(arg);
    if (n && *n > MaxBytes)
        error(arg->span,
              QStringLiteral("%1(): size %2 exceeds the lab's 1 GiB cap").arg(what, grouped(*n)),
              kCapHint);
}

void Parser::checkSize(const Expr *e) {
    if (e->op != '*' && e->op != '+')
        return;
    // Report once: at the outermost product, not at every factor on the way up.
    const auto len = constLength(e);
    if (!len || *len <= MaxBytes)
        return;
    for (const ExprPtr &k : e->kids) {
        const auto inner = constLength(k.get());
        if (inner && *inner > MaxBytes)
            return;
    }
    error(e->span, QStringLiteral("size %1 exceeds the lab's 1 GiB cap").arg(grouped(*len)),
          kCapHint);
}

} // namespace sl::script::detail
