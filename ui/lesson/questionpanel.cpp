#include "ui/lesson/questionpanel.h"

#include "ui/window/i18n.h"

#include <QButtonGroup>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QVBoxLayout>

namespace sl::ui {

using engine::AskedQuestion;
using engine::Verdict;
using script::Question;

QuestionPanel::QuestionPanel(engine::Lab *lab, QWidget *parent)
    : QFrame(parent)
    , m_desk(new engine::QuestionDesk(*lab, this))
    , m_title(new QLabel(this))
    , m_text(new QLabel(this))
    , m_choiceBox(new QWidget(this))
    , m_choiceLayout(new QHBoxLayout(m_choiceBox))
    , m_choices(new QButtonGroup(this))
    , m_number(new QLineEdit(this))
    , m_answer(new QPushButton(this))
    , m_skip(new QPushButton(this))
    , m_close(new QPushButton(QStringLiteral("×"), this))
    , m_result(new QLabel(this)) {
    setObjectName(QStringLiteral("questionPanel"));
    setFrameShape(QFrame::StyledPanel);
    // A question is a pause in the lesson: a calm blue band, as the narration's colour.
    setStyleSheet(QStringLiteral("#questionPanel { background: #e8f0fb; border: 1px solid "
                                 "#8fb0de; border-radius: 4px; } #questionPanel QLabel { color: "
                                 "#1a2a40; }"));
    m_desk->setHoldForAnswers(true);
    m_title->setStyleSheet(QStringLiteral("font-weight: bold;"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::PlainText);
    m_choiceLayout->setContentsMargins(0, 0, 0, 0);
    m_number->setObjectName(QStringLiteral("questionNumber"));
    m_number->setMaximumWidth(160);
    m_answer->setObjectName(QStringLiteral("questionAnswer"));
    m_answer->setDefault(true);
    m_skip->setObjectName(QStringLiteral("questionSkip"));
    m_close->setFlat(true);
    m_close->setFixedWidth(m_close->fontMetrics().height() * 2);

    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_close);
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_choiceBox);
    controls->addWidget(m_number);
    controls->addStretch(1);
    controls->addWidget(m_answer);
    controls->addWidget(m_skip);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 8);
    layout->addLayout(top);
    layout->addWidget(m_text);
    layout->addLayout(controls);
    layout->addWidget(m_result);

    connect(m_desk, &engine::QuestionDesk::questionAsked, this, &QuestionPanel::onAsked);
    connect(m_desk, &engine::QuestionDesk::verdictReady, this, &QuestionPanel::onVerdict);
    connect(m_answer, &QPushButton::clicked, this, [this] { submit(pendingAnswer()); });
    connect(m_number, &QLineEdit::returnPressed, this, [this] { submit(pendingAnswer()); });
    connect(m_skip, &QPushButton::clicked, this, [this] { submit(QString()); });
    connect(m_close, &QPushButton::clicked, this, [this] {
        if (m_desk->awaitingAnswer())
            submit(QString());
        hide();
    });
    connect(lab, &engine::Lab::stepFinished, this, &QuestionPanel::showHint);
    connect(lab, &engine::Lab::resetDone, this, [this] {
        m_shown.reset();
        m_verdict.reset();
        hide();
        emit holdChanged();
    });
    retranslate();
    hide();
}

void QuestionPanel::showHint(const engine::StepReport &r) {
    if (m_hint.isEmpty() || r.expectPassed || m_desk->awaitingAnswer())
        return;
    m_shown.reset();
    m_verdict.reset();
    clearChoices();
    m_title->setText(tr("Not yet"));
    m_text->setText(
        tr("Line %1 did not hold (%2). Hint: %3").arg(r.line).arg(r.expectDetail, m_hint));
    m_number->hide();
    m_choiceBox->hide();
    m_answer->hide();
    m_skip->hide();
    m_result->clear();
    show();
}

QString QuestionPanel::lang() const {
    return uiLanguage();
}

void QuestionPanel::onAsked(const AskedQuestion &q) {
    m_title->setText(tr("Predict, then step"));
    m_shown = q;
    m_verdict.reset();
    m_given.clear();
    clearChoices();
    const QStringList labels =
        q.kind == Question::Kind::YesNo ? QStringList{tr("Yes"), tr("No")} : q.choices;
    for (qsizetype i = 0; i < labels.size(); ++i) {
        auto *b = new QRadioButton(labels[i], m_choiceBox);
        b->setObjectName(QStringLiteral("questionChoice%1").arg(i + 1));
        m_choices->addButton(b, int(i));
        m_choiceLayout->addWidget(b);
    }
    m_number->clear();
    showQuestion();
    show();
    if (m_number->isVisible())
        m_number->setFocus();
    emit holdChanged();
}

void QuestionPanel::clearChoices() {
    for (QAbstractButton *b : m_choices->buttons()) {
        m_choices->removeButton(b);
        delete b;
    }
}

QString QuestionPanel::pendingAnswer() const {
    if (!m_shown)
        return {};
    if (m_shown->kind == Question::Kind::Number)
        return m_number->text().trimmed();
    const int id = m_choices->checkedId();
    if (id < 0)
        return {};
    if (m_shown->kind == Question::Kind::YesNo)
        return id == 0 ? QStringLiteral("yes") : QStringLiteral("no");
    return m_shown->choices.value(id);
}

void QuestionPanel::submit(const QString &given) {
    if (!m_desk->awaitingAnswer())
        return;
    m_given = given;
    m_desk->answer(given);
    showQuestion();
    emit holdChanged();
}

void QuestionPanel::onVerdict(const AskedQuestion &q, const Verdict &v) {
    m_shown = q;
    m_verdict = v;
    if (!m_lesson.isEmpty())
        QSettings().setValue(
            QStringLiteral("lessons/answers/%1/%2").arg(m_lesson).arg(q.line),
            QStringLiteral("%1|%2|%3")
                .arg(v.given, v.actual, v.right ? QStringLiteral("1") : QStringLiteral("0")));
    showQuestion();
    show();
    emit holdChanged();
}

QString QuestionPanel::savedAnswer(const QString &lesson, int line) {
    return QSettings()
        .value(QStringLiteral("lessons/answers/%1/%2").arg(lesson).arg(line))
        .toString();
}

QString QuestionPanel::verdictText() const {
    if (!m_shown)
        return {};
    const auto shown = [](const QString &v) {
        return v == QLatin1String("yes") ? tr("yes") : v == QLatin1String("no") ? tr("no") : v;
    };
    if (!m_verdict) {
        if (m_desk->awaitingAnswer())
            return tr("Answer, or skip, to go on: the lab waits for you.");
        return m_given.isEmpty()
                   ? tr("Skipped. Step to see what the kernel decides.")
                   : tr("You said %1. Step to see what the kernel decides.").arg(shown(m_given));
    }
    const Verdict &v = *m_verdict;
    if (!v.error.isEmpty())
        return tr("The answer could not be read: %1").arg(v.error);
    if (!v.answered)
        return tr("The kernel said %1.").arg(shown(v.actual));
    return v.right ? tr("Right: you said %1, and the kernel said %2.")
                         .arg(shown(v.given), shown(v.actual))
                   : tr("Not this time: you said %1, the kernel said %2.")
                         .arg(shown(v.given), shown(v.actual));
}

void QuestionPanel::showQuestion() {
    if (!m_shown)
        return;
    const bool waiting = m_desk->awaitingAnswer();
    m_text->setText(m_shown->textIn(lang()));
    const bool number = m_shown->kind == Question::Kind::Number;
    m_number->setVisible(number && waiting);
    m_choiceBox->setVisible(!number && waiting);
    m_answer->setVisible(waiting);
    m_skip->setVisible(waiting);
    m_result->setText(verdictText());
    const char *colour = !m_verdict || !m_verdict->answered ? "#1a2a40"
                         : m_verdict->right                 ? "#1d6b2a"
                                                            : "#a3261b";
    m_result->setStyleSheet(
        QStringLiteral("color: %1; font-weight: %2;")
            .arg(QLatin1String(colour))
            .arg(m_verdict ? QStringLiteral("bold") : QStringLiteral("normal")));
}

void QuestionPanel::retranslate() {
    m_title->setText(tr("Predict, then step"));
    m_number->setPlaceholderText(tr("a number"));
    m_answer->setText(tr("Answer"));
    m_skip->setText(tr("Skip"));
    m_close->setToolTip(tr("Close"));
    if (m_shown && m_shown->kind == Question::Kind::YesNo) {
        if (QAbstractButton *b = m_choices->button(0))
            b->setText(tr("Yes"));
        if (QAbstractButton *b = m_choices->button(1))
            b->setText(tr("No"));
    }
    showQuestion();
}

void QuestionPanel::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QFrame::changeEvent(event);
}

} // namespace sl::ui
