// Active learning in the .lab language:
//
//   ask "What will send() return?" choices [4096, 6144, 1_000_000] answer result
//   ask "How many bytes will send() take?" number within 10% answer n
//   ask "Will recv() block?" yesno answer blocked(server)
//   ask[ko] "…"                      the Korean text, right after the ask it translates
//
// An ask is a lab step: it is put to the learner before the next actor step runs, and its
// answer expression is read after that step, so the kernel, not the lesson, decides.
//
// `___` is a blank for the learner to fill in (an exercise). A script with a blank does
// not run; the lesson's `#! solution: …` line right after it says what fills it
// (lessons::fillBlanks, used by `socketlab check`), `#! hint: …` what to say after a
// wrong try.
#include "script/parser_p.h"

namespace sl::script::detail {

namespace {

bool isLiteral(const Expr &e) {
    switch (e.kind) {
    case ExprKind::Int:
    case ExprKind::Float:
    case ExprKind::Str:
    case ExprKind::Bytes:
    case ExprKind::Bool:
    case ExprKind::None:
    case ExprKind::Const: // EAGAIN, a state's errno
        return true;
    case ExprKind::Unary:
        return e.op == '-' &&
               (e.kids[0]->kind == ExprKind::Int || e.kids[0]->kind == ExprKind::Float);
    default:
        return false;
    }
}

const QString kAskHint = QStringLiteral(
    "e.g. `ask \"What will send() return?\" number answer result` (or `choices [a, b]`, "
    "`yesno`)");

} // namespace

StmtPtr Parser::askStatement() {
    const Token &kw = *m_last;
    if (accept("[")) {
        const Token &l = next();
        if (!l.name("ko"))
            failAt(l, QStringLiteral("unknown ask language '%1'").arg(l.text),
                   QStringLiteral("use ask \"…\" for English and ask[ko] \"…\" for Korean"));
        expectOp("]", QStringLiteral("expected ']' after ask[ko"));
        const Token &str = next();
        if (str.kind != Tok::Str)
            failAt(str, QStringLiteral("ask[ko] needs the question in quotes"),
                   QStringLiteral("write ask[ko] \"send()는 무엇을 반환할까요?\""));
        expectEnd();
        std::vector<SayPart> parts;
        sayParts(str, &parts);
        Stmt *prev = m_prog.steps.empty() ? nullptr : m_prog.steps.back().get();
        if (!prev || prev->kind != StmtKind::Ask || m_sayText[prev].count(QStringLiteral("ko")))
            fail({m_cur.line, kw.col, m_last->col + m_last->len - kw.col},
                 QStringLiteral("ask[ko] without a preceding ask"),
                 QStringLiteral("put ask[ko] right after the English ask it translates"));
        m_sayText[prev][QStringLiteral("ko")] = std::move(parts);
        prev->lastLine = m_cur.line;
        return nullptr;
    }
    const Token &str = next();
    if (str.kind != Tok::Str)
        failAt(str, QStringLiteral("ask needs a question in quotes"), kAskHint);
    auto q = std::make_shared<Question>();
    const Token &form = next();
    if (form.name("choices")) {
        q->kind = Question::Kind::Choice;
        if (!peek().op("["))
            failAt(peek(), QStringLiteral("choices needs a list"),
                   QStringLiteral("e.g. `choices [4096, 6144, 1_000_000]`"));
        ExprPtr list = atom();
        if (list->kind != ExprKind::List || list->kids.size() < 2)
            fail(list->span, QStringLiteral("choices needs at least two values"),
                 QStringLiteral("e.g. `choices [\"ESTABLISHED\", \"CLOSE_WAIT\"]`"));
        for (ExprPtr &c : list->kids) {
            if (!isLiteral(*c))
                fail(c->span,
                     QStringLiteral("a choice must be a literal value, not '%1'").arg(c->text),
                     QStringLiteral("write the values the learner picks from: numbers, strings, "
                                    "True/False, None or a constant such as EAGAIN"));
            q->choices.push_back(std::move(c));
        }
    } else if (form.name("number")) {
        q->kind = Question::Kind::Number;
        if (peek().name("within")) {
            next();
            const Token &n = next();
            if ((n.kind != Tok::Int && n.kind != Tok::Float) || !peek().op("%"))
                failAt(n, QStringLiteral("expected a percentage after 'within'"),
                       QStringLiteral("e.g. `number within 10% answer n`"));
            next();
            const double pct = n.kind == Tok::Int ? double(n.i) : n.f;
            if (!(pct >= 0 && pct <= 100))
                failAt(n, QStringLiteral("a tolerance is between 0% and 100%"),
                       QStringLiteral("e.g. `within 10%`"));
            q->tolerance = pct / 100.0;
        }
    } else if (form.name("yesno")) {
        q->kind = Question::Kind::YesNo;
    } else {
        failAt(form,
               QStringLiteral("expected `choices [...]`, `number` or `yesno` after the question"),
               kAskHint);
    }
    if (!peek().name("answer"))
        failAt(peek(), QStringLiteral("ask needs `answer EXPR`"),
               QStringLiteral("what the kernel decided, read after the next step: `answer "
                              "result`, `answer recvq(conn)`, `answer state(s)`"));
    next();
    if (peek().kind == Tok::End)
        failAt(peek(), QStringLiteral("expected a value after 'answer'"),
               QStringLiteral("e.g. `answer result` (the next step's value) or `answer error`"));
    q->answer = expr();
    expectEnd(); // its names are looked up in checkQuestions(): the next step may define them

    auto s = std::make_unique<Stmt>();
    s->kind = StmtKind::Ask;
    std::vector<SayPart> parts;
    sayParts(str, &parts);
    m_sayText[s.get()][QStringLiteral("en")] = std::move(parts);
    s->question = std::move(q);
    finishStmt(s.get(), kw);
    return s;
}

// After the whole script: every ask has an actor step after it to be answered by, and
// no other ask comes before that step (one question per step). An answer's names are
// checked here, as the step the question is about usually defines them (`answer n`
// before `client: n = s.send(…)`).
void Parser::checkQuestions() {
    const Stmt *open = nullptr;
    for (const StmtPtr &s : m_prog.steps) {
        if (s->kind == StmtKind::Ask) {
            m_actor.clear();
            useNames(const_cast<Expr *>(s->question->answer.get())); // still the parser's tree
            if (open)
                error(s->span,
                      QStringLiteral("a second ask before the step the first one is about"),
                      QStringLiteral("ask one question per step; put an actor step between "
                                     "them"));
            open = s.get();
        } else if (s->actorIndex >= 0) {
            open = nullptr;
        }
    }
    if (open)
        error(open->span, QStringLiteral("ask with no actor step after it"),
              QStringLiteral("an ask is answered by the next actor step; put it before one"));
}

// A `___` anywhere in a line of code is a blank left for the learner: the line is
// refused with the lesson's hint, and not parsed further (a blank can stand for a
// value, a name or a method).
void Parser::findBlanks() {
    for (Line &l : m_lines) {
        if (!l.lexOk)
            continue;
        for (const Token &t : l.toks) {
            if (t.kind != Tok::Name || t.text != QLatin1String("___"))
                continue;
            const QString hint = m_prog.meta.value(QStringLiteral("hint"));
            error(spanOf(t, l.no), QStringLiteral("a blank to fill in: replace ___ with your code"),
                  hint.isEmpty() ? QStringLiteral("this line is an exercise; the narration says "
                                                  "what it should do")
                                 : hint);
            l.lexOk = false; // topLevel() skips the line (and its block)
            break;
        }
    }
}

} // namespace sl::script::detail
