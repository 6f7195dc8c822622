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
    ExprPtr bitOr();
    ExprPtr bitLevel(int level);
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

    // parse_value.cpp: the Python subset's values (issue 9) — dict literals, f-strings,
    // `d[k] = v` / `d[k] += n` and `del d[k]`
    ExprPtr dictLiteral(const Token &open);
    ExprPtr fString(const Token &t);
    ExprPtr subExpression(const QString &code, int col, const char *where);
    StmtPtr itemStatement(ExprPtr target, const Token &first);
    StmtPtr delStatement();

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

    // ---- parse_def.cpp, parse_try.cpp: def, class, try, with, import, raise, return,
    // global (issue 9, "Python-faithful")
public:
    struct Scope {                  // a def's names (or a class body's)
        QHash<QString, int> locals; // name -> frame index (parameters first)
        QStringList names;
        QSet<QString> globals; // `global x`
        bool isClass = false;
        QString name; // of the def or class
    };

private:
    bool isPyCompound(const Token &t) const; // def, class, try, with
    StmtPtr pyCompound(int lineIndent);
    StmtPtr pySimple(); // return/raise/import/from/global; null when the line is not one
    StmtPtr defStatement(int lineIndent, const Token &kw);
    StmtPtr classStatement(int lineIndent, const Token &kw);
    StmtPtr tryStatement(int lineIndent, const Token &kw);
    StmtPtr withStatement(int lineIndent, const Token &kw);
    StmtPtr importStatement(const Token &kw);
    void exceptClause(int lineIndent, Stmt *tryStmt, const Token &kw);
    const Token *clauseLine(int lineIndent, size_t *lineIndex); // except/else/finally next?
    void topDefinition();
    bool topDefinitionLine() const; // the current line is `def`/`class`/`import`/`NAME = …`
    bool makesCall(const Expr *e) const;
    ExprPtr nameExpr(const Token &t); // a Name node for a target written as a token
    void defineLocal(const QString &name);
    void resolveLocals(Stmt *s, const Scope &scope);
    void resolveLocals(Expr *e, const Scope &scope);
    void checkDeferredNames();
    void prescanDefinitions(const Line &l);
    bool isUserCallable(const QString &name) const;

    Scope *m_scope = nullptr;       // the def or class being parsed (null: module level)
    int m_defDepth = 0;             // 1 inside a def's body
    int m_exceptDepth = 0;          // inside an except block (a bare raise re-raises)
    QSet<QString> m_userDefs;       // every `def NAME` and `class NAME` of the script
    std::vector<Expr *> m_deferred; // global names read inside defs: checked at the end
    int m_hiddenNames = 0;
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
