// QuestionPanel: predict, then step, in the window. When the lab runs an `ask` line the
// panel shows the question above the stage and holds the lab (Step and Run wait) until
// the learner answers or skips; after the step the question is about, it shows the
// verdict beside what the kernel decided. Answers are kept per lesson in QSettings
// ("lessons/answers/<lesson id>/<line>": "given|actual|right").
//
// Ownership: owns its QuestionDesk; does not own the Lab. Thread affinity: GUI thread.
#pragma once

#include "engine/questions.h"

#include <QFrame>
#include <QPointer>

class QButtonGroup;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace sl::ui {

class QuestionPanel : public QFrame {
    Q_OBJECT
public:
    explicit QuestionPanel(engine::Lab *lab, QWidget *parent = nullptr);

    engine::QuestionDesk *desk() const { return m_desk; }
    void setLesson(const QString &id) { m_lesson = id; }
    // An exercise's hint (`#! hint:`), shown here after a wrong try (a failed
    // expectation); "" for a lesson that is no exercise.
    void setHint(const QString &hint) { m_hint = hint; }
    // The learner's answer as typed or picked ("" skips); what the Answer button sends.
    void submit(const QString &given);
    QString pendingAnswer() const; // what the controls hold now
    QLineEdit *numberEdit() const { return m_number; }
    QPushButton *answerButton() const { return m_answer; }
    QPushButton *skipButton() const { return m_skip; }
    QString verdictText() const;

    // "given|actual|right" kept for a lesson's question at `line` ("" when none).
    static QString savedAnswer(const QString &lesson, int line);

signals:
    void holdChanged(); // the lab may step again (or may not): the window updates Step/Run

protected:
    void changeEvent(QEvent *event) override;

private:
    void onAsked(const engine::AskedQuestion &q);
    void onVerdict(const engine::AskedQuestion &q, const engine::Verdict &v);
    void showQuestion();
    void clearChoices();
    void retranslate();
    QString lang() const;

    engine::QuestionDesk *m_desk;
    QString m_lesson;
    QString m_hint;
    void showHint(const engine::StepReport &r);
    std::optional<engine::AskedQuestion> m_shown;
    std::optional<engine::Verdict> m_verdict;
    QString m_given;
    QLabel *m_title;
    QLabel *m_text;
    QWidget *m_choiceBox;
    QHBoxLayout *m_choiceLayout;
    QButtonGroup *m_choices;
    QLineEdit *m_number;
    QPushButton *m_answer;
    QPushButton *m_skip;
    QPushButton *m_close;
    QLabel *m_result;
};

} // namespace sl::ui
