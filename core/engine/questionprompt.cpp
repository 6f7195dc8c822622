#include "engine/questionprompt.h"

#include "view/termtext.h"

#include <QFile>
#include <cstdio>

namespace sl::engine {

QuestionPrompter::QuestionPrompter(Lab &lab, const RunOptions &opts, QTextStream &out)
    : m_desk(lab)
    , m_opts(opts)
    , m_out(out) {}

QString QuestionPrompter::tt(const char *english) const {
    return ui::termText(m_opts.lang, english);
}

QString QuestionPrompter::shown(const QString &v) const {
    if (v == QLatin1String("yes") || v == QLatin1String("no"))
        return ui::termText(m_opts.lang, v == QLatin1String("yes") ? "yes" : "no");
    return v;
}

QString QuestionPrompter::readAnswer() {
    switch (m_opts.answers) {
    case RunOptions::Answers::Show:
        return {};
    case RunOptions::Answers::File: {
        const QString a = m_opts.answerList.value(m_fileIndex++).trimmed();
        m_out << a << "\n";
        return a;
    }
    case RunOptions::Answers::Stdin: {
        m_out.flush();
        char buf[256];
        if (!std::fgets(buf, sizeof buf, stdin))
            return {};
        return QString::fromUtf8(buf).trimmed();
    }
    }
    return {};
}

void QuestionPrompter::after(const StepReport &r) {
    const QString indent(16, QLatin1Char(' '));
    if (m_opts.quiet) {
        if (const AskedQuestion *q = m_desk.current(); q && q->step == r.step)
            m_desk.answer({});
        else if (m_desk.verdictStep() == r.step && r.step >= 0 &&
                 !m_desk.lastVerdict().error.isEmpty() && m_failure.isEmpty())
            m_failure = QStringLiteral("line %1: the question's answer `%2` could not be read: %3")
                            .arg(m_desk.lastQuestion().line)
                            .arg(m_desk.lastQuestion().answerSource, m_desk.lastVerdict().error);
        return;
    }
    if (const AskedQuestion *q = m_desk.current(); q && q->step == r.step) {
        m_out << "\n  " << (m_opts.color ? "\x1b[36;1m" : "") << "? " << tt("Predict") << " ("
              << q->line << "): " << q->textIn(m_opts.lang) << (m_opts.color ? "\x1b[0m" : "")
              << "\n";
        QString form;
        switch (q->kind) {
        case script::Question::Kind::Choice:
            for (qsizetype i = 0; i < q->choices.size(); ++i)
                form += QStringLiteral("%1) %2   ").arg(i + 1).arg(q->choices[i]);
            break;
        case script::Question::Kind::Number:
            form = tt("a number");
            break;
        case script::Question::Kind::YesNo:
            form = tt("yes or no");
            break;
        }
        m_out << "    " << form.trimmed() << "\n";
        if (m_opts.answers != RunOptions::Answers::Show) {
            m_out << "    " << tt("your answer (Enter skips): ");
            const QString a = readAnswer();
            m_answered += !a.isEmpty() && a != QLatin1String("-");
            m_desk.answer(a);
        } else {
            m_desk.answer({});
        }
        m_out << "\n";
        m_out.flush();
        return;
    }
    if (m_desk.verdictStep() != r.step || r.step < 0)
        return;
    const Verdict &v = m_desk.lastVerdict();
    QString text;
    const char *colour = "36";
    if (!v.error.isEmpty()) {
        text = tt("the answer could not be read: %1").arg(ui::termMessage(m_opts.lang, v.error));
        colour = "31";
    } else if (v.answered) {
        text = (v.right ? tt("right: you said %1, the kernel said %2")
                        : tt("wrong: you said %1, the kernel said %2"))
                   .arg(shown(v.given), shown(v.actual));
        colour = v.right ? "32;1" : "31;1";
    } else {
        text = tt("the kernel said %1").arg(shown(v.actual));
        if (!v.invalid.isEmpty())
            text += QStringLiteral("  (%1)").arg(v.invalid);
        else if (m_opts.answers != RunOptions::Answers::Show)
            text += QStringLiteral("  ") + tt("(skipped)");
    }
    const QString mark = !v.error.isEmpty() ? QStringLiteral("!")
                         : v.answered ? (v.right ? QStringLiteral("✓") : QStringLiteral("✗"))
                                      : QStringLiteral("=");
    m_out << indent
          << (m_opts.color ? QStringLiteral("\x1b[%1m").arg(QLatin1String(colour)) : QString())
          << mark << " " << text << (m_opts.color ? "\x1b[0m" : "") << "\n";
    m_out.flush();
}

void QuestionPrompter::printSummary() {
    if (m_desk.asked() == 0 || m_answered == 0)
        return;
    m_out << "\n"
          << tt("questions: %1 of %2 right").arg(m_desk.right()).arg(m_desk.asked()) << "\n";
}

} // namespace sl::engine
