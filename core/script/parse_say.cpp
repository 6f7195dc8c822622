// say "text {expr:,}" and say[ko] "…": narration with placeholders for values of the run.
#include "script/parser_p.h"

namespace sl::script::detail {

StmtPtr Parser::sayStatement() {
    const Token &kw = *m_last;
    QString lang = QStringLiteral("en");
    if (accept("[")) {
        const Token &l = next();
        if (l.kind != Tok::Name)
            failAt(l, QStringLiteral("expected a language in say[…]"),
                   QStringLiteral("write say[ko] \"…\" for the Korean text"));
        expectOp("]", QStringLiteral("expected ']' after say[%1").arg(l.text));
        if (l.text != QLatin1String("ko") && l.text != QLatin1String("en"))
            failAt(l, QStringLiteral("unknown say language '%1'").arg(l.text),
                   QStringLiteral("use say \"…\" for English and say[ko] \"…\" for Korean"));
        lang = l.text;
    }
    const Token &str = next();
    if (str.kind != Tok::Str)
        failAt(str, QStringLiteral("say needs a string"),
               QStringLiteral("write the narration in quotes: say \"send() took {n} bytes\""));
    expectEnd();
    std::vector<SayPart> parts;
    sayParts(str, &parts);

    if (lang == QLatin1String("ko")) {
        Stmt *prev = m_prog.steps.empty() ? nullptr : m_prog.steps.back().get();
        if (!prev || prev->kind != StmtKind::Say || m_sayText[prev].count(lang))
            fail({m_cur.line, kw.col, m_last->col + m_last->len - kw.col},
                 QStringLiteral("say[ko] without a preceding say"),
                 QStringLiteral("put say[ko] right after the English say it translates"));
        m_sayText[prev][lang] = std::move(parts);
        prev->lastLine = m_cur.line;
        return nullptr;
    }
    auto s = std::make_unique<Stmt>();
    s->kind = StmtKind::Say;
    m_sayText[s.get()][lang] = std::move(parts);
    finishStmt(s.get(), kw);
    return s;
}

void Parser::sayParts(const Token &str, std::vector<SayPart> *parts) {
    const QString &s = str.str();
    const auto col = [&](qsizetype i) { return str.strCols()[size_t(qMin(i, s.size()))]; };
    QString lit;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (c == u'}') {
            if (i + 1 < s.size() && s[i + 1] == u'}') {
                lit += c;
                ++i;
                continue;
            }
            fail({m_cur.line, col(i), 1}, QStringLiteral("single '}' in say text"),
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
        // Find the closing brace and a format colon at bracket depth 0, outside quotes.
        qsizetype close = -1, fmtColon = -1;
        int depth = 0;
        QChar quote;
        for (qsizetype j = i + 1; j < s.size() && close < 0; ++j) {
            const QChar d = s[j];
            if (!quote.isNull()) {
                if (d == quote)
                    quote = QChar();
            } else if (d == u'"' || d == u'\'') {
                quote = d;
            } else if (d == u'(' || d == u'[') {
                ++depth;
            } else if (d == u')' || d == u']') {
                --depth;
            } else if (d == u':' && depth == 0 && fmtColon < 0) {
                fmtColon = j;
            } else if (d == u'}') {
                close = j;
            }
        }
        if (close < 0)
            fail({m_cur.line, col(i), 1}, QStringLiteral("unterminated '{' in say text"),
                 QStringLiteral("close it with '}', or write {{ for a literal brace"));
        const qsizetype exprEnd = fmtColon >= 0 ? fmtColon : close;
        const QString code = s.mid(i + 1, exprEnd - i - 1);
        SayPart part;
        if (fmtColon >= 0) {
            part.format = s.mid(fmtColon + 1, close - fmtColon - 1);
            if (!part.format.isEmpty() && part.format != QLatin1String(","))
                fail({m_cur.line, col(fmtColon), int(close - fmtColon)},
                     QStringLiteral("unknown format ':%1' in say text").arg(part.format),
                     QStringLiteral("only {value} and {value:,} (thousands separators) exist"));
        }
        if (code.trimmed().isEmpty())
            fail({m_cur.line, col(i), int(close - i + 1)},
                 QStringLiteral("empty placeholder in say text"),
                 QStringLiteral("put a value inside, e.g. {n}, or write {{ }} for braces"));
        std::vector<Token> toks;
        if (!lexLine(code, m_cur.line, col(i + 1), &toks, &m_diags))
            throw LineError{};
        const Cursor saved = m_cur;
        const Token *savedLast = m_last;
        m_cur = {&toks, 0, &code, saved.line};
        part.expr = expr();
        if (peek().kind != Tok::End)
            failAt(peek(),
                   QStringLiteral("unexpected %1 in a say placeholder").arg(describe(peek())),
                   QStringLiteral("a placeholder holds one value, e.g. {n} or {len(data)}"));
        m_cur = saved;
        m_last = savedLast;
        useNames(part.expr.get());
        if (!lit.isEmpty())
            parts->push_back({lit, nullptr, {}});
        lit.clear();
        parts->push_back(std::move(part));
        i = close;
    }
    if (!lit.isEmpty() || parts->empty())
        parts->push_back({lit, nullptr, {}});
}

} // namespace sl::script::detail
