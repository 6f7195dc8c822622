// Predict, then step: the questions of a lesson (`ask` lines) put to the learner and
// judged against what the kernel decided.
//
// An ask is a lab step. When it has run, the QuestionDesk holds the question (its text
// in both languages, values of the run filled in) until the next actor step ends; then
// it reads the question's answer expression (`answer result`, `answer recvq(conn)`) as
// an `expect` would, compares it with what the learner gave (answer(); nothing given =
// skipped) and keeps the verdict. The window shows the question before that step and
// can hold the lab until the learner answers (setHoldForAnswers); the terminal asks on
// stdin, takes answers from a file, or prints the question with the kernel's answer.
// `check` never asks: an ask step does nothing there.
//
// Thread affinity: the Lab's thread (it follows the Lab's signals).
#pragma once

#include "engine/lab.h"
#include "engine/value.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <optional>

namespace sl::engine {

// One question as the learner sees it.
struct AskedQuestion {
    int step = -1;
    int line = 0;
    script::Question::Kind kind = script::Question::Kind::Number;
    QString text[2];     // English, Korean (the Korean may be empty)
    QStringList choices; // Choice: as written, strings without their quotes
    double tolerance = 0;
    QString answerSource; // the answer expression as written ("result")

    QString textIn(const QString &lang) const {
        return lang == QLatin1String("ko") && !text[1].isEmpty() ? text[1] : text[0];
    }
};

struct Verdict {
    bool answered = false; // false: skipped (or the answer could not be read)
    bool right = false;
    QString given;   // the learner's answer as understood ("6,144", "CLOSE_WAIT", "yes")
    QString actual;  // what the kernel decided, shown the same way
    QString error;   // the answer expression raised (the verdict has no actual value)
    QString invalid; // the answer given could not be read ("not a number: 'abc'")
};

// The comparison itself (no lab needed). `given`: Choice — the choice's number (1-based)
// or its text; Number — digits with optional separators ("6,144", "6_144", "6144");
// YesNo — yes/no/y/n/true/false/예/아니요. Empty = skipped.
// `choiceValues` are the choices evaluated, in order.
Verdict judge(const AskedQuestion &q, const QString &given, const Value &actual,
              const ValueList &choiceValues);
// "6,144" for numbers, the choice as written when the value is one, str without quotes.
QString shownValue(const AskedQuestion &q, const Value &v, const ValueList &choiceValues);

class QuestionDesk : public QObject {
    Q_OBJECT
public:
    explicit QuestionDesk(Lab &lab, QObject *parent = nullptr);

    // The window: after an ask, the lab does not step until the learner answers or
    // skips (answer()).
    void setHoldForAnswers(bool hold) { m_holdForAnswers = hold; }

    bool hasQuestion() const { return m_current.has_value(); }
    bool awaitingAnswer() const { return m_current && !m_answered; }
    const AskedQuestion *current() const { return m_current ? &*m_current : nullptr; }
    // The learner's answer to the current question ("" skips). Releases the hold.
    void answer(const QString &given);

    // The last verdict, and the step that answered it (-1: none yet).
    int verdictStep() const { return m_verdictStep; }
    const Verdict &lastVerdict() const { return m_verdict; }
    const AskedQuestion &lastQuestion() const { return m_lastQuestion; }
    int asked() const { return m_asked; }
    int right() const { return m_right; }

signals:
    void questionAsked(const sl::engine::AskedQuestion &q);
    void verdictReady(const sl::engine::AskedQuestion &q, const sl::engine::Verdict &v);

private:
    void onStepFinished(const StepReport &r);
    void onReset();

    QPointer<Lab> m_lab;
    std::optional<AskedQuestion> m_current;
    const script::Question *m_question = nullptr;
    bool m_answered = false;
    QString m_given;
    bool m_holdForAnswers = false;
    AskedQuestion m_lastQuestion;
    Verdict m_verdict;
    int m_verdictStep = -1;
    int m_asked = 0;
    int m_right = 0;
};

} // namespace sl::engine

Q_DECLARE_METATYPE(sl::engine::AskedQuestion)
Q_DECLARE_METATYPE(sl::engine::Verdict)
