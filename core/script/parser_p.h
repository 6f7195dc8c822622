// Internal: the recursive-descent parser behind parse(). Split over parser.cpp (lines,
// blocks, lab statements), parse_stmt.cpp (actor statements, names) and parse_expr.cpp
// (expressions and the checks made on calls).
#pragma once

#include "script/lexer.h"
#include "script/parser.h"

#include <QHash>
#include <QSet>

#include <map>

namespace sl::script::detail {

struct LineError {}; // thrown after a diagnostic: the rest of the line is skipped

// Keeps a depth counter right when a LineError unwinds through a recursive call.
struct Nesting {
    explicit Nesting(int &d)
        : depth(d) {
        ++depth;
    }
    ~Nesting() { --depth; }
    int &depth;
};

struct Line {
    int no = 0;           // 1-based
    QString text;         // without the newline
    int indent = 0;       // leading whitespace, in characters
    bool content = false; // false: blank, comment or metadata
    bool lexOk = false;
    std::vector<Token> toks;
};

class Parser {
public:
    Parser(const QString &source, const QString &fileName);
    ParseResult run();

    static constexpr int MaxDepth = 100;     // expression nesting
    static constexpr int MaxBlockDepth = 30; // nested blocks
    static constexpr int MaxErrors = 100;    // then parsing stops: the rest is noise

private:
    // parser.cpp: lines, top level, blocks, lab statements
    bool withinLimits(); // the script's size and line count (limits.h)
    void capDiagnostics();
    void splitLines();
    void metadata(const Line &l);
    void topLevel();
    void topLine();
    StmtPtr labStatement();
    StmtPtr sayStatement();
    void sayParts(const Token &str, std::vector<SayPart> *parts);
    // parse_ask.cpp: questions (ask) and blanks (___) for active learning
    StmtPtr askStatement();
    void checkQuestions();
    void findBlanks();
    void parseBlock(int parentIndent, const Token &header, std::vector<StmtPtr> *body);
    size_t nextContent(size_t from) const;
    void skipDeeper(int indent);

    // parse_stmt.cpp: actor statements and names
    StmtPtr statement(int lineIndent);
    StmtPtr simpleStatement();
    StmtPtr compound(int lineIndent);
    void body(int lineIndent, const Token &header, Stmt *s, std::vector<StmtPtr> *into);
    void elseClauses(int lineIndent, Stmt *ifStmt);
    void finishStmt(Stmt *s, const Token &first);
    void useNames(Expr *e);
    void defineTarget(const QString &name, const Span &span, Stmt *s);
    int slotFor(const QString &name);

    // parse_expr.cpp
    ExprPtr exprList(); // a, b  -> Tuple
    ExprPtr expr();
    ExprPtr orExpr();
    ExprPtr andExpr();
    ExprPtr notExpr();
    ExprPtr comparison();
    ExprPtr arith();
    ExprPtr term();
    ExprPtr unary();
    ExprPtr postfix();
    ExprPtr atom();
    void callArgs(Expr *call);
    ExprPtr subscript(ExprPtr obj, const Token &first);
    ExprPtr moduleMember(const Token &first, const Token &member);
    void checkCall(Expr *call, const Token &nameTok);
    void checkSizeArg(const Expr *arg, const QString &what);
    void checkSize(const Expr *e);
    ExprPtr make(ExprKind kind, const Token &first);
    void finish(Expr *e, const Token &first); // span and text from `first` to the last token
    ExprPtr binary(ExprKind kind, char op, ExprPtr l, ExprPtr r, const Token &first);

    // tokens of the current line
    const Token &peek(int ahead = 0) const;
    const Token &next();
    bool accept(const char *op);
    const Token &expectOp(const char *op, const QString &msg, const QString &hint = {});
    void expectEnd();
    void setLine(const Line &l, size_t firstToken = 0);
    void headerSpan(Stmt *s, const Token &first);
    [[noreturn]] void failAt(const Token &t, const QString &msg, const QString &hint = {});
    [[noreturn]] void fail(const Span &s, const QString &msg, const QString &hint = {});
    void error(const Span &s, const QString &msg, const QString &hint = {});
    void warning(const Span &s, const QString &msg, const QString &hint = {});
    static Span spanOf(const Token &t, int line);
    QString describe(const Token &t) const;

    struct Cursor {
        const std::vector<Token> *toks = nullptr;
        size_t i = 0;
        const QString *text = nullptr; // what the token positions index
        int line = 0;
    };

    QString m_source;
    QString m_fileName;
    std::vector<Line> m_lines;
    size_t m_pos = 0; // next line to parse
    Cursor m_cur;
    const Token *m_last = nullptr; // the last consumed token
    int m_depth = 0;
    int m_blockDepth = 0;
    int m_loopDepth = 0;
    int m_errors = 0;
    bool tooManyErrors();
    QString m_actor; // owner of the statement being parsed
    QChar m_indentChar;

    Program m_prog;
    std::vector<Diagnostic> m_diags;
    QSet<QString> m_defined;
    QSet<QString> m_actorNames; // every `NAME:` prefix in the script
    QHash<QString, int> m_slots;
    std::map<const Stmt *, std::map<QString, std::vector<SayPart>>> m_sayText; // -> Stmt::say
};

bool isKeyword(const QString &name);
bool startsExpr(const Token &t); // can `t` begin an expression?

// Every recursive rule and every link of an operator chain counts towards MaxDepth, so
// that neither the parser nor the code walking the tree can run out of stack.
#define SL_NEST()                                                                                  \
    Nesting nest_(m_depth);                                                                        \
    if (m_depth > MaxDepth)                                                                        \
    failAt(peek(), QStringLiteral("expression nested too deeply"),                                 \
           QStringLiteral("a lab allows %1 levels; split it into several steps").arg(MaxDepth))

} // namespace sl::script::detail
