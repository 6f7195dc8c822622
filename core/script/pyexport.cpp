// Writes a parsed .lab program as Python 3 (pyexport.h). The statements themselves are
// Python already (the lab's language is a Python subset): each step's source lines are
// copied into a function without their actor prefix; what is the lab's own comes from
// the helpers written on top: pyexport/runtime.py (sockets with the HOWTO helpers, the
// probes), order.py (actors, the step order, say/expect/wait) and wire.py (the Wire).
#include "script/pyexport.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>

namespace sl::script {

namespace {

// A Python string literal for any text (the file is UTF-8, so non-ASCII stays as is).
QString pyStr(const QString &s) {
    QString out = QStringLiteral("\"");
    for (const QChar c : s) {
        switch (c.unicode()) {
        case '\\':
            out += QLatin1String("\\\\");
            break;
        case '"':
            out += QLatin1String("\\\"");
            break;
        case '\n':
            out += QLatin1String("\\n");
            break;
        case '\r':
            out += QLatin1String("\\r");
            break;
        case '\t':
            out += QLatin1String("\\t");
            break;
        default:
            if (c.unicode() < 0x20)
                out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    return out + QLatin1Char('"');
}

QString resourceText(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("# (missing %1)\n").arg(path);
    return QString::fromUtf8(f.readAll());
}

// A comment of one or more lines, each prefixed with `indent# `.
QString comment(const QString &indent, const QString &text) {
    QString out;
    for (const QString &line : text.split(QLatin1Char('\n')))
        out += indent + QLatin1String("# ") + line + QLatin1Char('\n');
    return out;
}

// The narration of one language: parts as a Python expression, or as written.
const std::vector<SayPart> *sayParts(const Stmt &s, const QString &lang) {
    auto it = s.say.constFind(lang);
    if (it == s.say.constEnd())
        it = s.say.constFind(QStringLiteral("en"));
    return it == s.say.constEnd() ? nullptr : &*it;
}

QString sayExpression(const std::vector<SayPart> &parts) {
    QStringList pieces;
    for (const SayPart &p : parts) {
        if (!p.expr)
            pieces << pyStr(p.text);
        else
            pieces << QStringLiteral("format(%1, %2)").arg(p.expr->text, pyStr(p.format));
    }
    return pieces.isEmpty() ? QStringLiteral("\"\"") : pieces.join(QLatin1String(" + "));
}

// Control characters (a say text may hold "\x00") would end up raw in a comment, and
// Python refuses a source file with a NUL in it: they are written as escapes.
QString escapeControls(const QString &text) {
    QString out;
    for (const QChar c : text) {
        if (c.unicode() < 0x20 && c != QLatin1Char('\n'))
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

QString sayAsWritten(const std::vector<SayPart> &parts) {
    QString out;
    for (const SayPart &p : parts) {
        if (!p.expr)
            out += escapeControls(p.text);
        else
            out += QLatin1Char('{') + p.expr->text +
                   (p.format.isEmpty() ? QString() : QLatin1Char(':') + p.format) +
                   QLatin1Char('}');
    }
    return out;
}

class Writer {
public:
    Writer(const Program &p, const PyExportOptions &o)
        : m_p(p)
        , m_o(o) {
        m_lines = p.source.split(QLatin1Char('\n'));
        QSet<QString> skip{QStringLiteral("error"), QStringLiteral("result"),
                           QStringLiteral("exception")};
        for (const QString &a : p.actors)
            skip.insert(a);
        for (const QString &n : p.names)
            if (!skip.contains(n) && !n.isEmpty())
                m_globals << n;
    }

    QString run() {
        QString out;
        out += QStringLiteral("#!/usr/bin/env python3\n");
        out += QStringLiteral("# %1 — exported from Socket Lab (socketlab export --python).\n")
                   .arg(m_p.title(m_o.lang == QLatin1String("en") ? QString() : m_o.lang));
        out += QStringLiteral("# Source: %1\n").arg(m_p.fileName);
        out += QStringLiteral(
            "# Run: python3 THIS_FILE — standard library only, Linux, loopback only.\n"
            "# Each actor is a thread; the main thread keeps the lab's step order: it starts\n"
            "# a step and goes on when the step ends or its call blocks in the kernel.\n"
            "# Exit status 0 when every expect holds, 1 at the first that does not.\n");
        out += resourceText(QStringLiteral(":/pyexport/runtime.py"));
        out += resourceText(QStringLiteral(":/pyexport/order.py"));
        out += resourceText(QStringLiteral(":/pyexport/wire.py"));
        out += QStringLiteral("\n\n# ---- the experiment ----\n");
        for (const QString &a : m_p.actors)
            out += QStringLiteral("%1 = _Actor(%2)\n").arg(a, pyStr(a));
        QStringList actorList = m_p.actors;
        out += QStringLiteral("_A = (%1)\n")
                   .arg(actorList.join(QLatin1String(", ")) +
                        (actorList.size() == 1 ? QStringLiteral(",") : QString()));
        out += QStringLiteral("\n\ndef _program():\n");
        const int before = out.size();
        for (std::size_t i = 0; i < m_p.steps.size(); ++i)
            out += step(i);
        if (out.size() == before)
            out += QStringLiteral("    pass\n");
        out += QStringLiteral("\n\ntry:\n"
                              "    _program()\n"
                              "except AssertionError as _ex:\n"
                              "    print(\"FAILED:\", _ex, flush=True)\n"
                              "    _failures += 1\n"
                              "_finish()\n");
        return out;
    }

private:
    // The step's source lines, the actor prefix taken off its first line.
    QStringList sourceOf(const Stmt &s) const {
        QStringList out;
        const int last = std::max(s.lastLine, s.span.line);
        for (int l = s.span.line; l <= last && l - 1 < m_lines.size(); ++l)
            out << m_lines.at(l - 1);
        while (!out.isEmpty() && out.last().trimmed().isEmpty())
            out.removeLast();
        if (!out.isEmpty() && !s.actor.isEmpty()) {
            static const QRegularExpression prefix(
                QStringLiteral("^\\s*[A-Za-z_][A-Za-z_0-9]*\\s*:\\s*"));
            out[0] = out[0].remove(prefix);
        }
        return out;
    }

    // A refused call: an expectation after it (before the next actor step) that says the
    // lab refuses it. Plain Python would perform it, so it is left out.
    QString refusedReason(std::size_t i) const {
        for (std::size_t j = i + 1; j < m_p.steps.size(); ++j) {
            const Stmt &n = *m_p.steps[j];
            if (!n.actor.isEmpty())
                break;
            if (n.kind == StmtKind::Expect) {
                const QString why = unexportableReason(n);
                if (!why.isEmpty())
                    return why;
            }
        }
        return {};
    }

    // Names are shared by all actors (module globals). A step declares those its text
    // names (only those can it assign), several `global` lines keeping each one short.
    QString globalsLine(const QString &text) const {
        QString out;
        QStringList line;
        for (const QString &n : m_globals) {
            static const QString word = QStringLiteral("(?<![A-Za-z0-9_])%1(?![A-Za-z0-9_])");
            if (!text.contains(QRegularExpression(word.arg(QRegularExpression::escape(n)))))
                continue;
            line << n;
            if (line.join(QLatin1String(", ")).size() > 80) {
                out += QStringLiteral("        global %1\n").arg(line.join(QLatin1String(", ")));
                line.clear();
            }
        }
        if (!line.isEmpty())
            out += QStringLiteral("        global %1\n").arg(line.join(QLatin1String(", ")));
        return out;
    }

    QString code(const Stmt &s, std::size_t i) const {
        const QStringList src = sourceOf(s);
        const QString fn = QStringLiteral("_s%1").arg(i + 1);
        QString out =
            QStringLiteral("    def %1():\n").arg(fn) + globalsLine(src.join(QLatin1Char('\n')));
        for (const QString &l : src)
            out += QStringLiteral("        ") + l + QLatin1Char('\n');
        // `result` is the step's value, as in the lab (`del x` is a statement: no value).
        const bool del = s.expr && s.expr->kind == ExprKind::DelItem;
        if (src.size() == 1 && s.kind == StmtKind::Expr && !del)
            out.insert(out.lastIndexOf(QLatin1String("        ") + src.first()) + 8,
                       QStringLiteral("return "));
        else if (src.size() == 1 && (s.kind == StmtKind::Assign || s.kind == StmtKind::AugAssign) &&
                 !s.complexTarget && !s.targets.isEmpty())
            out += QStringLiteral("        return %1\n").arg(s.targets.join(QLatin1String(", ")));
        if (src.isEmpty())
            out += QStringLiteral("        pass\n");
        return out;
    }

    QString step(std::size_t i) const {
        const Stmt &s = *m_p.steps[i];
        QString out = QStringLiteral("\n    # line %1\n").arg(s.span.line);
        switch (s.kind) {
        case StmtKind::Say: {
            const auto *parts = sayParts(s, m_o.lang);
            if (!parts)
                return out;
            if (m_o.comments)
                return out + comment(QStringLiteral("    "), sayAsWritten(*parts));
            return out + QStringLiteral("    _say(_A, lambda: %1)\n").arg(sayExpression(*parts));
        }
        case StmtKind::Expect: {
            const QString text = s.expr ? s.expr->text : s.source;
            const QString why = unexportableReason(s);
            if (!why.isEmpty())
                return out + comment(QStringLiteral("    "),
                                     QStringLiteral("expect %1 — not exported: %2").arg(text, why));
            const QString what = QStringLiteral("line %1: expect %2").arg(s.span.line).arg(text);
            return out + QStringLiteral("    assert _expect(_A, %1, %2, lambda: (%3)), %4\n")
                             .arg(s.span.line)
                             .arg(pyStr(text), text, pyStr(what));
        }
        case StmtKind::Wait:
            return out + QStringLiteral("    sleep(%1)\n")
                             .arg(s.expr ? s.expr->text : QStringLiteral("0"));
        case StmtKind::WaitUntil: {
            const QString text = s.expr ? s.expr->text : QStringLiteral("True");
            return out +
                   QStringLiteral("    _wait_until(_A, %1, %2, lambda: (%3), %4)\n")
                       .arg(s.span.line)
                       .arg(pyStr(text), text, s.timeout ? s.timeout->text : QStringLiteral("5"));
        }
        case StmtKind::Ask:
            return out + comment(QStringLiteral("    "),
                                 QStringLiteral("(the lab asks the learner) ") + s.source);
        default:
            break;
        }
        if (s.kind == StmtKind::Import)
            return out + comment(QStringLiteral("    "),
                                 s.source + QStringLiteral("  (the runtime above imports it)"));
        const QString refused = refusedReason(i);
        if (!refused.isEmpty()) {
            QString text;
            for (const QString &l : sourceOf(s))
                text += (s.actor.isEmpty() ? QString() : s.actor + QStringLiteral(": ")) + l;
            return out + comment(QStringLiteral("    "),
                                 QStringLiteral("not exported: %1\n%2").arg(refused, text));
        }
        out += code(s, i);
        if (s.actor.isEmpty())
            return out + QStringLiteral("    _s%1()\n").arg(i + 1);
        return out +
               QStringLiteral("    _step(%1, %2, _s%3)\n").arg(s.actor).arg(s.span.line).arg(i + 1);
    }

    const Program &m_p;
    const PyExportOptions &m_o;
    QStringList m_lines;
    QStringList m_globals;
};

} // namespace

QString unexportableReason(const Stmt &expect) {
    const QString text = expect.expr ? expect.expr->text : expect.source;
    if (text.contains(QLatin1String("LabPolicyError")))
        return QStringLiteral("the lab refuses this call (LabPolicyError); plain Python would "
                              "perform it, so the call and this expectation are left out");
    return {};
}

QString exportPython(const Program &program, const PyExportOptions &options) {
    return Writer(program, options).run();
}

} // namespace sl::script
