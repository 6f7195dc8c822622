// The syntax tree of a .lab script, as the parser produces it and the engine runs it.
//
// A Program is one global order of top-level steps. Each step is owned by an actor
// (`client: n = s.send(b"x")`) except `say`, `expect` and `wait`, which belong to the
// lab itself. A step may be a block (`server: for i in range(3):` + indented lines):
// the whole block is one step of the global order, run by its actor.
//
// Names are shared by all actors (like threads of one process). The parser gives
// every distinct name a slot (Program::names) so the engine reads a vector, not a map.
//
// Ownership: a Program owns its tree (unique_ptr). It is immutable after parsing and
// may be read from several threads at once.
#pragma once

#include "script/catalog.h"
#include "script/diagnostic.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace sl::script {

enum class ExprKind : std::uint8_t {
    Int,   // i
    Float, // f
    Str,   // str
    Bytes, // bytes
    Bool,  // i (0/1)
    None,
    Name,    // name, slot
    Const,   // name, i (AF_INET -> 2, EAGAIN -> 11)
    Tuple,   // kids
    List,    // kids
    Call,    // name, call (catalogue entry), kids = positional args, kwargs
    Method,  // name, call, kids[0] = object, kids[1..] = args
    Index,   // kids[0][kids[1]]
    Slice,   // kids[0][kids[1]:kids[2]]; a missing bound is an Expr of kind None
    Unary,   // op: '-' or '!' (not); kids[0]
    Binary,  // op: '+', '-', '*', '/', '%', 'f' (//); kids[0], kids[1]
    Compare, // op: '=' (==), '!' (!=), '<', 'l' (<=), '>', 'g' (>=), 'i' (in), 'n' (not in),
             //     's' (is), 't' (is not); kids[0], kids[1]
    BoolOp,  // op: '&' (and), '|' (or); kids[0], kids[1]
    // ---- statements' block (def/class/try): attribute access
    Attr, // kids[0].name: an attribute of an object (self.sock, e.errno)
    // ---- Python subset: values (issue 9) -------------------------------------------
    Dict,    // {k: v, …}: kids = k0, v0, k1, v1, …
    FString, // f"…": kids = the parts, each a Str (literal text) or a Format
    Format,  // an f-string's {kids[0]!op:str}: op 'r', 's' or 0; str = the format spec
    SetItem, // kids[0][kids[1]] = kids[2] (op '='), or += / -= (op '+', '-'); a statement
    DelItem, // del kids[0][kids[1]]; a statement
};
// (a Slice with a step, a[i:j:k], has kids[3] = k)

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
    ExprKind kind = ExprKind::None;
    char op = 0;
    Span span; // the whole expression in the source
    std::int64_t i = 0;
    double f = 0;
    QString name;                   // Name, Const, Call, Method
    QString str;                    // Str
    QByteArray bytes;               // Bytes
    int slot = -1;                  // Name: index into Program::names
    const CallInfo *call = nullptr; // Call, Method
    std::vector<ExprPtr> kids;
    std::vector<std::pair<QString, ExprPtr>> kwargs; // Call: name=value
    QString text;                                    // source text of the expression, as written
    // ---- statements' block (def/class): names local to a function
    int local = -1; // Name inside a def: index into the call's frame (-1: a global)
};

enum class StmtKind : std::uint8_t {
    Expr,      // expr
    Assign,    // targets = expr (several targets: tuple unpacking)
    AugAssign, // targets[0] op= expr; op '+' or '-'
    For,       // for targets[0] in expr: body
    While,     // while expr: body
    If,        // if expr: body else: orelse (elif = an If inside orelse)
    Break,
    Continue,
    Pass,
    Say,       // say: narration per language
    Expect,    // expect expr
    Wait,      // wait expr (seconds): the lab waits, actors go on
    WaitUntil, // wait until expr [within timeout]: polls the condition (kernel samples)
    // ---- Python statements (issue 9): def, class, try, with, raise, return, import
    Def,    // def name(params): body — defines a function (a global, or a class's method)
    Class,  // class name(base): body (defs, assignments, pass)
    Return, // return [expr]
    Raise,  // raise [expr]; bare raise re-raises the exception being handled
    Try,    // try: body; handlers; else: orelse; finally: finalbody
    With,   // with expr [as lhs]: body; the value's close() runs at the end
    Import, // import socket / from socket import *: accepted, no effect
    Global, // global a, b (in a def): those names are the shared ones
    Ask,    // ask "question" …: put to the learner before the next actor step (Stmt::ask)
};

// A piece of narration: literal text, or a value from the run: {expr} or {expr:,}.
struct SayPart {
    QString text; // literal text when expr is null
    ExprPtr expr;
    QString format; // "" or "," (thousands separators)
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;

// ---- Python statements (issue 9)
struct Param {
    QString name;
    ExprPtr dflt; // default value, evaluated when the def runs (null: required)
};
struct Handler {  // except [type [as name]]: body
    ExprPtr type; // null: a bare except; a Name, or a Tuple of names
    ExprPtr name; // `as name`: a Name expression (null: none)
    Span span;    // the `except` line
    std::vector<StmtPtr> body;
};

// `ask "text" choices [a, b] | number [within N%] | yesno  answer EXPR` (parse_ask.cpp):
// the learner predicts; EXPR is evaluated after the next actor step and compared.
struct Question {
    enum class Kind : std::uint8_t { Choice, Number, YesNo };
    Kind kind = Kind::Number;
    std::vector<ExprPtr> choices; // Choice: literals, shown as written
    ExprPtr answer;               // what the kernel decided, read after the step
    double tolerance = 0;         // Number: relative, 0.1 for `within 10%` (0: exact)
};

struct Stmt {
    StmtKind kind = StmtKind::Pass;
    Span span;                    // the statement's first line, from its first column
    int lastLine = 0;             // last source line of the statement (blocks span several)
    QString source;               // the statement as written (first line, without actor prefix)
    QString actor;                // top-level steps: owning actor ("" for say/expect/wait)
    int actorIndex = -1;          // index into Program::actors
    std::vector<int> targetSlots; // Assign/AugAssign/For
    QStringList targets;
    char op = 0;     // AugAssign
    ExprPtr expr;    // value, condition, iterable, expectation, seconds
    ExprPtr timeout; // WaitUntil: `within` seconds (null: default 5 s)
    std::vector<StmtPtr> body;
    std::vector<StmtPtr> orelse;
    QMap<QString, std::vector<SayPart>> say; // "en", "ko" -> parts
    // ---- Python statements (issue 9)
    QString name;                   // Def/Class name, Import module
    ExprPtr lhs;                    // Assign/AugAssign/For/With target as written (Name,
                                    // Tuple of names, Attr); used when complexTarget
    bool complexTarget = false;     // an attribute or a function's local among the targets
    std::vector<Param> params;      // Def
    int frameSize = 0;              // Def: local names (parameters first)
    QStringList localNames;         // Def: frame index -> name
    ExprPtr base;                   // Class: the base class (null: object)
    std::vector<Handler> handlers;  // Try
    std::vector<StmtPtr> finalbody; // Try: finally
    ExprPtr exitCall;               // With: `lhs.close()`, run when the block ends
    std::shared_ptr<const Question> question; // Ask
};

struct Program {
    QString fileName;
    QString source;
    QMap<QString, QString> meta; // "title", "title[ko]", "summary", "summary[ko]", "seed", …
    QStringList actors;          // in order of first appearance
    QStringList names;           // slot -> name
    std::vector<StmtPtr> steps;  // the global order

    QString title(const QString &lang = {}) const;
    int stepIndexForLine(int line) const; // the step covering a line, -1 if none
};

// A step that may loop for a while on its own: a block, or a call of a def or of a
// method that is not a system call (issue 9). Lab::busyTooLong() watches its CPU time.
bool runsLikeBlock(const Stmt &s);

} // namespace sl::script
