#include "engine/questions.h"

#include "engine/interpreter.h"
#include "sys/errors.h"

#include <QLocale>
#include <cmath>

using namespace sl::script;

namespace sl::engine {

// ---- Lab: what a question needs from it ------------------------------------------

Value Lab::evaluateNow(const Expr &e) {
    Q_ASSERT(onOwnerThread());
    m_ctx->sockets.probeAll();
    m_labInterp->setLastOutcome(m_lastOutcome);
    return m_labInterp->evaluate(e);
}

QString Lab::narrateNow(const std::vector<SayPart> &parts) {
    Q_ASSERT(onOwnerThread());
    m_labInterp->setLastOutcome(m_lastOutcome);
    return m_labInterp->narrate(parts);
}

void Lab::setHeld(bool held) {
    Q_ASSERT(onOwnerThread());
    m_held = held;
    if (!held && m_running && m_current < 0)
        scheduleNext(); // a run that reached the question goes on
}

// ---- judging ------------------------------------------------------------------------

namespace {

QString choiceText(const Expr &e) {
    return e.kind == ExprKind::Str ? e.str : e.text;
}

std::optional<double> readNumber(QString t) {
    t.remove(u',');
    t.remove(u'_');
    t.remove(u' ');
    bool ok = false;
    const double d = t.toDouble(&ok);
    if (!ok || !std::isfinite(d))
        return std::nullopt;
    return d;
}

std::optional<bool> readYesNo(const QString &t) {
    const QString s = t.trimmed().toLower();
    for (const char *y : {"y", "yes", "true", "1"})
        if (s == QLatin1String(y))
            return true;
    for (const char *n : {"n", "no", "false", "0"})
        if (s == QLatin1String(n))
            return false;
    if (s == QStringLiteral("예") || s == QStringLiteral("네") || s == QStringLiteral("ㅇ"))
        return true;
    if (s == QStringLiteral("아니요") || s == QStringLiteral("아니오") ||
        s == QStringLiteral("아니"))
        return false;
    return std::nullopt;
}

} // namespace

QString shownValue(const AskedQuestion &q, const Value &v, const ValueList &choiceValues) {
    if (q.kind == Question::Kind::YesNo)
        return v.truthy() ? QStringLiteral("yes") : QStringLiteral("no");
    for (std::size_t i = 0; i < choiceValues.size() && i < std::size_t(q.choices.size()); ++i)
        if (choiceValues[i].equals(v))
            return q.choices[qsizetype(i)];
    if (v.type == Value::Type::Int)
        return QStringLiteral("%L1").arg(v.i);
    if (v.type == Value::Type::Float)
        return QString::number(v.f);
    return v.display();
}

Verdict judge(const AskedQuestion &q, const QString &givenText, const Value &actual,
              const ValueList &choiceValues) {
    Verdict v;
    v.actual = shownValue(q, actual, choiceValues);
    const QString given = givenText.trimmed();
    if (given.isEmpty() || given == QLatin1String("-"))
        return v; // skipped
    switch (q.kind) {
    case Question::Kind::Choice: {
        // The choice as written, then its value ("6144" picks 6_144), then its number.
        qsizetype index = -1;
        for (qsizetype i = 0; i < q.choices.size() && index < 0; ++i)
            if (q.choices[i].compare(given, Qt::CaseInsensitive) == 0)
                index = i;
        const std::optional<double> g = readNumber(given);
        for (qsizetype i = 0; i < q.choices.size() && index < 0 && g; ++i)
            if (readNumber(q.choices[i]) == g)
                index = i;
        bool isIndex = false;
        const int n = given.toInt(&isIndex);
        if (index < 0 && isIndex && n >= 1 && n <= q.choices.size())
            index = n - 1;
        if (index < 0) {
            v.invalid = QStringLiteral("'%1' is none of the choices").arg(given);
            return v;
        }
        v.answered = true;
        v.given = q.choices[index];
        v.right = std::size_t(index) < choiceValues.size() &&
                  choiceValues[std::size_t(index)].equals(actual);
        return v;
    }
    case Question::Kind::Number: {
        const std::optional<double> g = readNumber(given);
        if (!g) {
            v.invalid = QStringLiteral("not a number: '%1'").arg(given);
            return v;
        }
        v.answered = true;
        v.given = std::floor(*g) == *g && std::abs(*g) < 1e15
                      ? QStringLiteral("%L1").arg(qint64(*g))
                      : QString::number(*g);
        if (!actual.isNumber())
            return v; // the kernel's answer is not a number: nothing to be right about
        const double a = actual.toDouble();
        v.right = std::abs(*g - a) <= q.tolerance * std::abs(a) + 1e-9;
        return v;
    }
    case Question::Kind::YesNo: {
        const std::optional<bool> g = readYesNo(given);
        if (!g) {
            v.invalid = QStringLiteral("answer yes or no, not '%1'").arg(given);
            return v;
        }
        v.answered = true;
        v.given = *g ? QStringLiteral("yes") : QStringLiteral("no");
        v.right = *g == actual.truthy();
        return v;
    }
    }
    return v;
}

// ---- the desk --------------------------------------------------------------------

QuestionDesk::QuestionDesk(Lab &lab, QObject *parent)
    : QObject(parent)
    , m_lab(&lab) {
    qRegisterMetaType<sl::engine::AskedQuestion>();
    qRegisterMetaType<sl::engine::Verdict>();
    connect(&lab, &Lab::stepFinished, this, &QuestionDesk::onStepFinished);
    connect(&lab, &Lab::resetDone, this, &QuestionDesk::onReset);
}

void QuestionDesk::onReset() {
    m_current.reset();
    m_question = nullptr;
    m_answered = false;
    m_verdictStep = -1;
    m_verdict = {};
    m_asked = m_right = 0;
    if (m_lab)
        m_lab->setHeld(false);
}

void QuestionDesk::answer(const QString &given) {
    if (!m_current || m_answered)
        return;
    m_answered = true;
    m_given = given;
    if (m_lab)
        m_lab->setHeld(false);
}

void QuestionDesk::onStepFinished(const StepReport &r) {
    const Program *p = m_lab ? m_lab->program() : nullptr;
    if (!p || r.step < 0 || std::size_t(r.step) >= p->steps.size())
        return;
    const Stmt &s = *p->steps[std::size_t(r.step)];
    if (s.kind == StmtKind::Ask && s.question) {
        AskedQuestion q;
        q.step = r.step;
        q.line = r.line;
        q.kind = s.question->kind;
        q.tolerance = s.question->tolerance;
        q.answerSource = s.question->answer->text;
        for (const ExprPtr &c : s.question->choices)
            q.choices << choiceText(*c);
        const char *langs[] = {"en", "ko"};
        for (int i = 0; i < 2; ++i) {
            const auto it = s.say.constFind(QLatin1String(langs[i]));
            if (it == s.say.constEnd())
                continue;
            try {
                q.text[i] = m_lab->narrateNow(*it);
            } catch (const ScriptException &ex) {
                q.text[i] = ex.type + QStringLiteral(": ") + ex.message;
            }
        }
        m_current = q;
        m_question = s.question.get();
        m_answered = false;
        m_given.clear();
        ++m_asked;
        if (m_holdForAnswers)
            m_lab->setHeld(true);
        emit questionAsked(q);
        return;
    }
    if (r.actor < 0 || !m_current || !m_question)
        return;
    // The step the question is about has ended (or blocked): the kernel has decided.
    Verdict v;
    ValueList choiceValues;
    Value actual;
    try {
        for (const ExprPtr &c : m_question->choices)
            choiceValues.push_back(m_lab->evaluateNow(*c));
        actual = m_lab->evaluateNow(*m_question->answer);
        v = judge(*m_current, m_given, actual, choiceValues);
    } catch (const ScriptException &ex) {
        v.error = ex.type + QStringLiteral(": ") + ex.message;
    }
    m_right += v.right;
    m_lastQuestion = *m_current;
    m_verdict = v;
    m_verdictStep = r.step;
    m_current.reset();
    m_question = nullptr;
    m_lab->setHeld(false);
    // The trace keeps the prediction beside the step it was about.
    trace::Event ev;
    ev.tNs = m_lab->trace().now();
    ev.kind = trace::EventKind::Note;
    ev.line = decltype(ev.line)(m_lastQuestion.line);
    ev.text.a = m_lab->trace().intern(
        v.answered ? QStringLiteral("question (line %1): answered %2, the kernel said %3 (%4)")
                         .arg(m_lastQuestion.line)
                         .arg(v.given, v.actual,
                              v.right ? QStringLiteral("right") : QStringLiteral("wrong"))
                   : QStringLiteral("question (line %1): skipped, the kernel said %2")
                         .arg(m_lastQuestion.line)
                         .arg(v.actual));
    m_lab->trace().append(ev);
    emit verdictReady(m_lastQuestion, v);
}

} // namespace sl::engine
