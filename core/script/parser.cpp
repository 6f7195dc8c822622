// parse(): lines, metadata, the top level (actor prefixes, say/expect/wait) and
// indented blocks. Actor statements are in parse_stmt.cpp, expressions in parse_expr.cpp.
#include "script/parser.h"
#include "script/limits.h"
#include "script/parser_p.h"

#include <algorithm>

namespace sl::script {

using namespace detail;

ParseResult parse(const QString &source, const QString &fileName) {
    return Parser(source, fileName).run();
}

namespace detail {

namespace {

const char *const kMetaKeys[] = {"title",  "summary",  "seed",     "lesson", "level",
                                 "actors", "requires", "solution", "hint"};

} // namespace

bool isKeyword(const QString &name) {
    static const QSet<QString> words = [] {
        QSet<QString> s;
        for (const char *w :
             {"for",    "while",    "if",      "elif",   "else",   "break",  "continue",
              "pass",   "not",      "and",     "or",     "in",     "is",     "True",
              "False",  "None",     "def",     "return", "import", "from",   "class",
              "try",    "except",   "finally", "with",   "as",     "lambda", "del",
              "global", "nonlocal", "yield",   "raise",  "assert", "async",  "await"})
            s.insert(QLatin1String(w));
        return s;
    }();
    return words.contains(name);
}

Parser::Parser(const QString &source, const QString &fileName)
    : m_source(source)
    , m_fileName(fileName) {
    slotFor(QStringLiteral("error"));     // ErrorSlot
    slotFor(QStringLiteral("result"));    // ResultSlot
    slotFor(QStringLiteral("exception")); // ExceptionSlot: the Python class of the last error
}

ParseResult Parser::run() {
    if (withinLimits()) {
        splitLines();
        findBlanks();
        topLevel();
        // A line that failed was dropped with its tree, so after an error m_deferred and
        // m_sayText may point into freed statements (found by fuzz_parser): they are only
        // used when every line parsed; the learner sees the remaining checks once the
        // reported errors are fixed.
        if (m_errors == 0)
            checkDeferredNames();
        m_deferred.clear();
        checkQuestions();
    }
    if (m_errors > 0)
        m_sayText.clear();

    // Stmt::say is a QMap of move-only values: it can be built from a whole std::map,
    // never inserted into (an insert may detach, and detaching copies).
    for (auto &[stmt, texts] : m_sayText)
        const_cast<Stmt *>(stmt)->say = QMap<QString, std::vector<SayPart>>(std::move(texts));
    m_sayText.clear();

    ParseResult r;
    std::stable_sort(m_diags.begin(), m_diags.end(), [](const Diagnostic &a, const Diagnostic &b) {
        return a.span.line != b.span.line ? a.span.line < b.span.line : a.span.col < b.span.col;
    });
    capDiagnostics();
    r.diagnostics = std::move(m_diags);
    if (!hasErrors(r.diagnostics)) {
        m_prog.fileName = m_fileName;
        m_prog.source = m_source;
        r.program = std::move(m_prog);
    }
    return r;
}

// Lex errors and warnings are found line by line before topLevel() counts errors: keep
// the first MaxErrors errors (and the warnings among them), so that a script of 65,535
// bad lines is not 65,535 diagnostics to format and print.
void Parser::capDiagnostics() {
    const QString stop = QStringLiteral("too many errors; stopping here");
    const bool anyError = hasErrors(m_diags); // the script stays refused when cut short
    int errors = 0;
    for (std::size_t i = 0; i < m_diags.size(); ++i) {
        const bool isError = m_diags[i].severity == Diagnostic::Error;
        if ((!isError || ++errors <= MaxErrors) && i < std::size_t(2 * MaxErrors))
            continue;
        if (m_diags[i].message == stop) {
            m_diags.resize(i + 1);
        } else {
            const int line = m_diags[i].span.line;
            m_diags.resize(i);
            if (anyError)
                m_diags.push_back({Diagnostic::Error,
                                   {line, 1, 1},
                                   stop,
                                   QStringLiteral("fix the errors above and try again")});
            else
                m_diags.push_back({Diagnostic::Warning,
                                   {line, 1, 1},
                                   QStringLiteral("too many warnings; the rest are not shown"),
                                   QString()});
        }
        return;
    }
}

// The whole script's limits (limits.h), checked before it is split into lines: beyond
// them nothing else is looked at, so a hostile script costs one pass over its text.
bool Parser::withinLimits() {
    // Characters here; a file is also refused beyond as many bytes before it is read
    // (lessons::loadScriptFile), and UTF-8 never has fewer bytes than characters.
    if (m_source.size() > MaxScriptBytes) {
        error({1, 1, 1},
              QStringLiteral("script too large (%L1 characters)").arg(qlonglong(m_source.size())),
              QStringLiteral("a lab script may hold at most %L1 characters; split it into "
                             "several scripts")
                  .arg(qlonglong(MaxScriptBytes)));
        return false;
    }
    qsizetype lines = m_source.count(u'\n') + 1;
    if (m_source.endsWith(u'\n'))
        --lines; // the last line's newline does not start another
    if (lines > MaxLines) {
        error({MaxLines + 1, 1, 1},
              QStringLiteral("script too long (%L1 lines)").arg(qlonglong(lines)),
              QStringLiteral("a lab script may have at most %L1 lines (traces number lines in 16 "
                             "bits); split it into several scripts")
                  .arg(MaxLines));
        return false;
    }
    return true;
}

void Parser::splitLines() {
    const QStringList texts = m_source.split(u'\n');
    m_lines.reserve(texts.size());
    int no = 0;
    for (const QString &raw : texts) {
        Line l;
        l.no = ++no;
        l.text = raw.endsWith(u'\r') ? raw.chopped(1) : raw;
        bool spaces = false, tabs = false;
        while (l.indent < l.text.size() &&
               (l.text[l.indent] == u' ' || l.text[l.indent] == u'\t')) {
            (l.text[l.indent] == u' ' ? spaces : tabs) = true;
            ++l.indent;
        }
        if (l.text.size() > MaxLineLength) {
            // Not lexed: the rest of the script is still checked, this line is skipped.
            error({l.no, MaxLineLength + 1, 1},
                  QStringLiteral("line too long (%L1 characters)").arg(qlonglong(l.text.size())),
                  QStringLiteral("a line may hold at most %L1 characters; split the work into "
                                 "several steps")
                      .arg(MaxLineLength));
            l.content = true; // lexOk stays false: topLevel() skips it and its block
            m_lines.push_back(std::move(l));
            continue;
        }
        const QStringView rest = QStringView(l.text).mid(l.indent);
        if (l.text.startsWith(QLatin1String("#!"))) {
            metadata(l);
        } else if (!rest.isEmpty() && !rest.startsWith(u'#')) {
            l.content = true;
            if (tabs && spaces) {
                error({l.no, 1, l.indent}, QStringLiteral("indentation mixes tabs and spaces"),
                      QStringLiteral("indent with spaces only"));
            } else if (l.indent > 0 && !m_indentChar.isNull() &&
                       m_indentChar != (tabs ? u'\t' : u' ')) {
                error({l.no, 1, l.indent},
                      QStringLiteral("indentation uses %1 here but %2 earlier")
                          .arg(tabs ? QStringLiteral("tabs") : QStringLiteral("spaces"),
                               tabs ? QStringLiteral("spaces") : QStringLiteral("tabs")),
                      QStringLiteral("indent with spaces only"));
            } else {
                if (l.indent > 0 && m_indentChar.isNull())
                    m_indentChar = tabs ? u'\t' : u' ';
                l.lexOk = lexLine(l.text, l.no, 1, &l.toks, &m_diags);
                if (l.lexOk)
                    prescanDefinitions(l);
            }
            // `NAME:` at the start of a line names an actor, wherever it first appears.
            if (l.lexOk && l.indent == 0 && l.toks.size() > 2 && l.toks[0].kind == Tok::Name &&
                l.toks[1].op(":") && !isKeyword(l.toks[0].text))
                m_actorNames.insert(l.toks[0].text);
        }
        m_lines.push_back(std::move(l));
    }
}

void Parser::metadata(const Line &l) {
    const QString body = l.text.mid(2);
    const qsizetype colon = body.indexOf(u':');
    const Span span{l.no, 1, int(l.text.size())};
    const QString key = colon < 0 ? QString() : body.left(colon).trimmed();
    QString base = key, lang;
    if (key.endsWith(u']') && key.contains(u'[')) {
        base = key.left(key.indexOf(u'['));
        lang = key.mid(base.size() + 1).chopped(1);
    }
    bool wellFormed = !base.isEmpty();
    for (QChar c : base)
        wellFormed = wellFormed && ((c >= u'a' && c <= u'z') || c == u'_');
    if (!wellFormed) {
        warning(span, QStringLiteral("malformed metadata line"),
                QStringLiteral("write `#! key: value`, e.g. `#! title: Partial send`"));
        return;
    }
    bool known = false;
    for (const char *k : kMetaKeys)
        known = known || base == QLatin1String(k);
    const int keyCol = 3 + int(body.indexOf(key.at(0)));
    if (!known) {
        warning({l.no, keyCol, int(key.size())},
                QStringLiteral("unknown metadata key '%1'").arg(base),
                QStringLiteral("known keys: title, summary, seed, lesson, level, actors, "
                               "requires, solution, hint"));
    } else if (!lang.isEmpty() && lang != QLatin1String("ko") && lang != QLatin1String("en")) {
        warning({l.no, keyCol, int(key.size())},
                QStringLiteral("unknown metadata language '%1'").arg(lang),
                QStringLiteral("use `%1` (English) or `%1[ko]` (Korean)").arg(base));
    }
    m_prog.meta.insert(key, body.mid(colon + 1).trimmed());
}

size_t Parser::nextContent(size_t from) const {
    while (from < m_lines.size() && !m_lines[from].content)
        ++from;
    return from;
}

void Parser::skipDeeper(int indent) {
    for (;;) {
        const size_t p = nextContent(m_pos);
        if (p >= m_lines.size() || m_lines[p].indent <= indent)
            return;
        m_pos = p + 1;
    }
}

void Parser::setLine(const Line &l, size_t firstToken) {
    m_cur = {&l.toks, firstToken, &l.text, l.no};
    m_last = nullptr;
    m_depth = 0;
}

bool Parser::tooManyErrors() {
    if (m_errors < MaxErrors)
        return false;
    if (m_errors == MaxErrors) {
        const int line = m_pos < m_lines.size() ? m_lines[m_pos].no : int(m_lines.size());
        error({line, 1, 1}, QStringLiteral("too many errors; stopping here"),
              QStringLiteral("fix the errors above and try again"));
    }
    return true;
}

void Parser::topLevel() {
    while ((m_pos = nextContent(m_pos)) < m_lines.size() && !tooManyErrors()) {
        const Line &l = m_lines[m_pos];
        if (!l.lexOk) {
            ++m_pos;
            skipDeeper(l.indent);
            continue;
        }
        if (l.indent > 0) {
            error({l.no, 1, l.indent}, QStringLiteral("unexpected indent"),
                  QStringLiteral("only the lines of a block (after `for …:`, `while …:` or "
                                 "`if …:`) are indented"));
            ++m_pos;
            skipDeeper(l.indent);
            continue;
        }
        topLine();
    }
}

void Parser::topLine() {
    const Line &l = m_lines[m_pos++];
    setLine(l);
    try {
        const Token &t = peek();
        const bool labWord = t.name("say") || t.name("expect") || t.name("wait") || t.name("ask");
        if (labWord && !peek(1).op(":")) {
            if (StmtPtr s = labStatement())
                m_prog.steps.push_back(std::move(s));
            return;
        }
        if (t.name("except") || t.name("finally"))
            failAt(t, QStringLiteral("'%1' without a matching 'try'").arg(t.text),
                   QStringLiteral("line it up with the `try:` it belongs to"));
        if (t.kind != Tok::Name || !peek(1).op(":") || t.name("try")) {
            if (topDefinitionLine()) { // def, class, import, `MSGLEN = 20`: every actor's
                topDefinition();
                return;
            }
            QString stmt = l.text.trimmed();
            if (stmt.size() > 40)
                stmt = stmt.left(40) + QStringLiteral("…");
            failAt(t, QStringLiteral("statement without an actor"),
                   QStringLiteral("prefix it with the actor that runs it, e.g. `client: %1`")
                       .arg(stmt));
        }
        if (t.name("else") || t.name("elif"))
            failAt(t, QStringLiteral("'%1' without a matching 'if'").arg(t.text),
                   QStringLiteral("line it up with the `if` it belongs to"));
        if (isKeyword(t.text) || labWord)
            failAt(t, QStringLiteral("'%1' cannot be an actor name").arg(t.text),
                   QStringLiteral("name actors with plain words, e.g. `client:` or `server:`"));
        next();
        const Token &colon = next();
        if (peek().kind == Tok::End)
            fail({l.no, t.col, colon.col + 1 - t.col},
                 QStringLiteral("empty statement for actor '%1'").arg(t.text),
                 QStringLiteral("write what %1 does after the colon, e.g. `%1: s.recv(1024)`")
                     .arg(t.text));
        m_actor = t.text;
        if (!m_prog.actors.contains(m_actor)) {
            // The engine has a fixed table of MaxActors actors: refuse the next one here,
            // where the script can be pointed at, rather than at run time.
            if (m_prog.actors.size() >= MaxActors)
                failAt(t,
                       QStringLiteral("too many actors: '%1' would be one more than %2")
                           .arg(t.text)
                           .arg(MaxActors),
                       QStringLiteral("a lab allows %1 actors; let one actor take several "
                                      "sockets, or split the experiment")
                           .arg(MaxActors));
            m_prog.actors << m_actor;
        }
        StmtPtr s = statement(l.indent);
        s->actor = m_actor;
        s->actorIndex = int(m_prog.actors.indexOf(m_actor));
        m_prog.steps.push_back(std::move(s));
    } catch (const LineError &) {
        skipDeeper(0);
    }
}

StmtPtr Parser::labStatement() {
    const Token &kw = next();
    if (kw.name("say"))
        return sayStatement();
    if (kw.name("ask"))
        return askStatement();
    auto s = std::make_unique<Stmt>();
    if (peek().kind == Tok::End)
        failAt(kw, QStringLiteral("%1 needs an expression").arg(kw.text),
               kw.name("expect") ? QStringLiteral("e.g. `expect n > 0` or `expect error == EAGAIN`")
                                 : QStringLiteral("e.g. `wait 0.5` or `wait until readable(s)`"));
    if (kw.name("expect")) {
        s->kind = StmtKind::Expect;
        s->expr = expr();
    } else if (peek().name("until")) {
        next();
        s->kind = StmtKind::WaitUntil;
        s->expr = expr();
        if (peek().name("within")) {
            next();
            s->timeout = expr();
        }
    } else {
        s->kind = StmtKind::Wait;
        s->expr = expr();
    }
    expectEnd();
    useNames(s->expr.get());
    if (s->timeout)
        useNames(s->timeout.get());
    finishStmt(s.get(), kw);
    return s;
}

void Parser::parseBlock(int parentIndent, const Token &header, std::vector<StmtPtr> *body) {
    Nesting nest(m_blockDepth);
    if (m_blockDepth > MaxBlockDepth)
        failAt(
            header, QStringLiteral("blocks nested too deeply"),
            QStringLiteral("a lab allows %1 levels; split the work into steps").arg(MaxBlockDepth));
    const int headerLine = m_cur.line;
    size_t p = nextContent(m_pos);
    if (p >= m_lines.size() || m_lines[p].indent <= parentIndent) {
        error(spanOf(header, headerLine),
              QStringLiteral("expected an indented block after '%1'").arg(header.text),
              QStringLiteral("indent the lines of the block below the header, e.g. by 4 spaces"));
        return;
    }
    const int blockIndent = m_lines[p].indent;
    while ((p = nextContent(m_pos)) < m_lines.size() && !tooManyErrors()) {
        m_pos = p;
        const Line &l = m_lines[p];
        if (l.indent < blockIndent) {
            if (l.indent <= parentIndent)
                break;
            error({l.no, 1, l.indent},
                  QStringLiteral("unindent does not match any outer indentation level"),
                  QStringLiteral("line it up with the block it belongs to"));
            ++m_pos;
            continue;
        }
        ++m_pos;
        if (!l.lexOk) {
            skipDeeper(l.indent);
            continue;
        }
        if (l.indent > blockIndent) {
            error({l.no, 1, l.indent}, QStringLiteral("unexpected indent"),
                  QStringLiteral("indent the lines of one block by the same amount"));
            skipDeeper(l.indent);
            continue;
        }
        setLine(l);
        try {
            body->push_back(statement(l.indent));
        } catch (const LineError &) {
            skipDeeper(l.indent);
        }
    }
}

} // namespace detail
} // namespace sl::script
