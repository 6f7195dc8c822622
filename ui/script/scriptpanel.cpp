#include "ui/script/scriptpanel.h"

#include "ui/script/scripteditor.h"
#include "view/stagestate.h"

#include "engine/lab.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QStyle>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace sl::ui {

namespace {

enum DiagRoles { LineRole = Qt::UserRole, ColRole, LengthRole };

// A small filled circle: the actor's state at a glance, beside its words.
QIcon dotIcon(const QColor &c, int size) {
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    p.drawEllipse(QRectF(size * 0.2, size * 0.2, size * 0.6, size * 0.6));
    return QIcon(pm);
}

// Fits a list to its rows (up to maxRows) so short lists take little room.
void fitRows(QListWidget *list, int maxRows) {
    const int rows = std::min(list->count(), maxRows);
    const int rowH = list->count() ? list->sizeHintForRow(0) : 0;
    list->setFixedHeight(rows * rowH + 2 * list->frameWidth() + 2);
    list->setVisible(list->count() > 0);
}

} // namespace

ScriptPanel::ScriptPanel(QWidget *parent)
    : QWidget(parent)
    , m_narration(new QLabel(this))
    , m_failure(new QLabel(this))
    , m_endBox(new QWidget(this))
    , m_endLabel(new QLabel(m_endBox))
    , m_nextButton(new QPushButton(m_endBox))
    , m_controls(new QToolBar(this))
    , m_speed(new QComboBox(this))
    , m_langBox(new QComboBox(this))
    , m_edit(new ScriptEditor(this))
    , m_applyStatus(new QLabel(this))
    , m_diagList(new QListWidget(this))
    , m_actors(new QListWidget(this))
    , m_applyAct(new QAction(tr("Apply"), this))
    , m_breakpointAct(new QAction(tr("Toggle Breakpoint"), this))
    , m_undoAct(new QAction(tr("Undo"), this))
    , m_redoAct(new QAction(tr("Redo"), this)) {
    setObjectName(QStringLiteral("scriptPanel"));

    // Narration is what a learner reads while stepping: large, wrapped, on the
    // tooltip colours so that it stands apart from the code on any palette.
    m_narration->setObjectName(QStringLiteral("narration"));
    m_narration->setWordWrap(true);
    m_narration->setTextFormat(Qt::PlainText);
    m_narration->setMargin(8);
    m_narration->setBackgroundRole(QPalette::ToolTipBase);
    m_narration->setForegroundRole(QPalette::ToolTipText);
    m_narration->setAutoFillBackground(true);
    m_narration->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont nf = m_narration->font();
    nf.setPointSizeF(nf.pointSizeF() * 1.3);
    m_narration->setFont(nf);
    m_narration->hide();
    m_narrationFont = nf;

    // A failed expectation: red on white text, whatever the palette, so that a lesson
    // that did not go as written cannot pass unnoticed.
    m_failure->setObjectName(QStringLiteral("failureBanner"));
    m_failure->setWordWrap(true);
    m_failure->setTextFormat(Qt::PlainText);
    m_failure->setStyleSheet(QStringLiteral(
        "QLabel { background: #c62828; color: white; font-weight: bold; padding: 6px; }"));
    m_failure->hide();

    // The end of a lesson: said, with the next one a click away.
    m_endBox->setObjectName(QStringLiteral("lessonEnd"));
    m_endBox->setStyleSheet(
        QStringLiteral("#lessonEnd { background: #2e7d32; } #lessonEnd QLabel { color: white; }"));
    m_endBox->setAttribute(Qt::WA_StyledBackground);
    m_endLabel->setObjectName(QStringLiteral("lessonEndLabel"));
    m_endLabel->setWordWrap(true);
    m_nextButton->setObjectName(QStringLiteral("nextLessonButton"));
    connect(m_nextButton, &QPushButton::clicked, this, &ScriptPanel::nextLessonRequested);
    auto *endLayout = new QHBoxLayout(m_endBox);
    endLayout->setContentsMargins(8, 4, 8, 4);
    endLayout->addWidget(m_endLabel, 1);
    endLayout->addWidget(m_nextButton);
    m_endBox->hide();

    m_controls->setObjectName(QStringLiteral("scriptControls"));
    m_controls->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_controls->setIconSize(QSize(16, 16));

    m_speed->setObjectName(QStringLiteral("speedBox"));
    m_speed->setToolTip(tr("Run speed: the pause between steps (1× = 600 ms)"));
    for (double s : {0.25, 0.5, 1.0, 2.0, 4.0})
        m_speed->addItem(tr("%1×").arg(s), s);
    m_speed->addItem(tr("max"), 0.0);
    m_speed->setCurrentIndex(2);
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this] { emit speedChanged(speed()); });

    m_langBox->setObjectName(QStringLiteral("languageBox"));
    m_langBox->setToolTip(tr("Narration language"));
    m_langBox->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_langBox->addItem(QStringLiteral("한국어"), QStringLiteral("ko"));
    connect(m_langBox, &QComboBox::currentIndexChanged, this,
            [this] { setLanguage(m_langBox->currentData().toString()); });

    m_applyAct->setObjectName(QStringLiteral("actionApply"));
    m_applyAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_applyAct->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_applyAct->setToolTip(tr("Load the edited script into the lab (Ctrl+Return); nothing runs"));
    addAction(m_applyAct);
    connect(m_applyAct, &QAction::triggered, this, &ScriptPanel::apply);
    m_breakpointAct->setObjectName(QStringLiteral("actionToggleBreakpoint"));
    m_breakpointAct->setShortcut(QKeySequence(Qt::Key_F9));
    connect(m_breakpointAct, &QAction::triggered, m_edit, &ScriptEditor::toggleBreakpointAtCursor);
    // Undo/redo of the editor, also from the menu (the editor takes the keys itself
    // when it has the focus).
    m_undoAct->setObjectName(QStringLiteral("actionUndo"));
    m_undoAct->setShortcuts(QKeySequence::Undo);
    m_undoAct->setEnabled(false);
    m_redoAct->setObjectName(QStringLiteral("actionRedo"));
    m_redoAct->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    m_redoAct->setEnabled(false);
    connect(m_undoAct, &QAction::triggered, m_edit, &QPlainTextEdit::undo);
    connect(m_redoAct, &QAction::triggered, m_edit, &QPlainTextEdit::redo);
    connect(m_edit, &QPlainTextEdit::undoAvailable, m_undoAct, &QAction::setEnabled);
    connect(m_edit, &QPlainTextEdit::redoAvailable, m_redoAct, &QAction::setEnabled);
    m_editorFont = m_edit->font();

    auto *applyButton = new QToolButton(this);
    applyButton->setDefaultAction(m_applyAct);
    auto *options = new QHBoxLayout;
    options->setContentsMargins(4, 0, 4, 0);
    options->addWidget(new QLabel(tr("Speed"), this));
    options->itemAt(options->count() - 1)->widget()->setObjectName(QStringLiteral("speedLabel"));
    options->addWidget(m_speed);
    options->addSpacing(8);
    options->addWidget(new QLabel(tr("Narration"), this));
    options->itemAt(options->count() - 1)
        ->widget()
        ->setObjectName(QStringLiteral("narrationLabel"));
    options->addWidget(m_langBox);
    options->addStretch(1);
    options->addWidget(applyButton);

    m_applyStatus->setObjectName(QStringLiteral("applyStatus"));
    m_applyStatus->setWordWrap(true);
    m_applyStatus->setMargin(4);
    m_applyStatus->hide();
    m_diagList->setObjectName(QStringLiteral("diagnosticsList"));
    m_diagList->setWordWrap(true);
    m_diagList->hide();
    connect(m_diagList, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        m_edit->goTo({item->data(LineRole).toInt(), item->data(ColRole).toInt(),
                      item->data(LengthRole).toInt()});
    });
    connect(m_diagList, &QListWidget::itemClicked, m_diagList, &QListWidget::itemActivated);
    m_actors->setObjectName(QStringLiteral("actorList"));
    m_actors->setToolTip(tr("What each actor is doing now"));
    m_actors->setFocusPolicy(Qt::NoFocus);
    m_actors->setSelectionMode(QAbstractItemView::NoSelection);
    m_actors->hide();

    connect(m_edit, &ScriptEditor::diagnosticsChanged, this, &ScriptPanel::showDiagnostics);
    connect(m_edit, &QPlainTextEdit::textChanged, this, &ScriptPanel::updateApplyState);
    connect(m_edit, &ScriptEditor::breakpointsChanged, this, [this](const QSet<int> &lines) {
        if (m_lab)
            m_lab->setBreakpoints(lines);
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_narration);
    layout->addWidget(m_failure);
    layout->addWidget(m_endBox);
    layout->addWidget(m_controls);
    layout->addLayout(options);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_applyStatus);
    layout->addWidget(m_diagList);
    layout->addWidget(m_actors);
    updateApplyState();
    retranslateEnd();
}

void ScriptPanel::setLab(engine::Lab *lab) {
    m_lab = lab;
    if (m_lab)
        m_lab->setBreakpoints(m_edit->breakpoints());
}

void ScriptPanel::setLabActions(const QList<QAction *> &actions) {
    m_controls->clear();
    m_controls->addActions(actions);
}

void ScriptPanel::setSource(const QString &source, const QString &fileName) {
    // The same script grown by a line (an experiment made by hand) keeps its
    // breakpoints, step and narration; another script starts afresh.
    const bool same = !fileName.isEmpty() && fileName == m_fileName;
    const QSet<int> breakpoints = same ? m_edit->breakpoints() : QSet<int>();
    const int first = same ? m_edit->currentLine() : 0;
    const int last = same ? m_edit->currentLastLine() : 0;
    m_fileName = fileName;
    m_appliedSource = source;
    m_edit->setPlainText(source);
    m_edit->setBreakpoints(breakpoints);
    m_edit->checkNow();
    m_applyStatus->hide();
    highlightLines(first, last);
    if (!same)
        setNarration({});
    updateApplyState();
}

QString ScriptPanel::source() const {
    return m_edit->toPlainText();
}

bool ScriptPanel::isModified() const {
    return m_edit->toPlainText() != m_appliedSource;
}

void ScriptPanel::highlightLines(int first, int last) {
    m_edit->setCurrentLines(first, last);
}

int ScriptPanel::highlightedLine() const {
    return m_edit->currentLine();
}

void ScriptPanel::setNarration(const QString &en, const QString &ko) {
    m_say[0] = en;
    m_say[1] = ko;
    updateNarration();
}

void ScriptPanel::updateNarration() {
    QString text = m_lang == QLatin1String("ko") ? m_say[1] : QString();
    if (text.isEmpty())
        text = m_say[0];
    if (text == m_narration->text())
        return;
    m_narration->setText(text);
    m_narration->setVisible(!text.isEmpty());
    emit narrationChanged(text);
}

QString ScriptPanel::narration() const {
    return m_narration->text();
}

QWidget *ScriptPanel::narrationWidget() const {
    return m_narration;
}

void ScriptPanel::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange) {
        m_applyAct->setText(tr("Apply"));
        m_applyAct->setToolTip(
            tr("Load the edited script into the lab (Ctrl+Return); nothing runs"));
        m_breakpointAct->setText(tr("Toggle Breakpoint"));
        m_undoAct->setText(tr("Undo"));
        m_redoAct->setText(tr("Redo"));
        retranslateEnd();
        m_speed->setToolTip(tr("Run speed: the pause between steps (1× = 600 ms)"));
        for (int i = 0; i < m_speed->count(); ++i) {
            const double s = m_speed->itemData(i).toDouble();
            m_speed->setItemText(i, s > 0 ? tr("%1×").arg(s) : tr("max"));
        }
        m_langBox->setToolTip(tr("Narration language"));
        m_actors->setToolTip(tr("What each actor is doing now"));
        if (auto *l = findChild<QLabel *>(QStringLiteral("speedLabel")))
            l->setText(tr("Speed"));
        if (auto *l = findChild<QLabel *>(QStringLiteral("narrationLabel")))
            l->setText(tr("Narration"));
    }
    QWidget::changeEvent(event);
}

void ScriptPanel::setLanguage(const QString &lang) {
    const QString l = lang == QLatin1String("ko") ? lang : QStringLiteral("en");
    if (l == m_lang)
        return;
    m_lang = l;
    m_langBox->setCurrentIndex(m_langBox->findData(l));
    updateNarration();
    emit languageChanged(l);
}

double ScriptPanel::speed() const {
    return m_speed->currentData().toDouble();
}

void ScriptPanel::setSpeed(double s) {
    const int i = m_speed->findData(s);
    if (i >= 0)
        m_speed->setCurrentIndex(i);
}

void ScriptPanel::setActors(const StageState &state, std::int64_t nowNs) {
    const std::int64_t now = nowNs >= 0 ? nowNs : state.lastNs;
    const int n = int(state.actors.size());
    const bool resized = m_actors->count() != n;
    while (m_actors->count() > n)
        delete m_actors->takeItem(m_actors->count() - 1);
    const int iconSize = m_actors->fontMetrics().height();
    for (int i = 0; i < n; ++i) {
        const ActorSnap &a = state.actors[std::size_t(i)];
        if (i >= m_actors->count())
            m_actors->addItem(new QListWidgetItem);
        QListWidgetItem *item = m_actors->item(i);
        const QString text = tr("%1 — %2").arg(a.name, laneStatusText(state, i, now));
        if (item->text() == text)
            continue;
        item->setText(text);
        QColor c = palette().color(QPalette::PlaceholderText);
        if (a.state == trace::ActorState::Blocked)
            c = QColor(0xd3, 0x2f, 0x2f);
        else if (a.state == trace::ActorState::Running)
            c = QColor(0x2e, 0x9d, 0x4f);
        item->setIcon(dotIcon(c, iconSize));
    }
    if (resized)
        fitRows(m_actors, 6);
}

QStringList ScriptPanel::actorLines() const {
    QStringList lines;
    for (int i = 0; i < m_actors->count(); ++i)
        lines << m_actors->item(i)->text();
    return lines;
}

bool ScriptPanel::apply() {
    if (!m_lab)
        return false;
    std::vector<script::Diagnostic> diags;
    const QString text = source();
    const bool ok =
        m_lab->load(text, m_fileName.isEmpty() ? QStringLiteral("<edited>") : m_fileName, &diags);
    m_edit->setDiagnostics(diags);
    int errors = 0;
    for (const script::Diagnostic &d : diags)
        errors += d.severity == script::Diagnostic::Error;
    if (ok) {
        m_appliedSource = text;
        m_lab->setBreakpoints(m_edit->breakpoints());
        m_applyStatus->setText(tr("Applied: the lab was reset and runs the edited script."));
        emit applied();
    } else {
        m_applyStatus->setText(tr(
            "Not applied: %n error(s). The lab still runs the previous script.", nullptr, errors));
    }
    m_applyStatus->show();
    updateApplyState();
    return ok;
}

void ScriptPanel::updateApplyState() {
    m_applyAct->setEnabled(isModified() || m_appliedSource.isEmpty());
}

void ScriptPanel::showDiagnostics() {
    m_diagList->clear();
    for (const script::Diagnostic &d : m_edit->diagnostics()) {
        const QString sev = d.severity == script::Diagnostic::Error ? tr("error") : tr("warning");
        QString text = tr("%1:%2: %3: %4").arg(d.span.line).arg(d.span.col).arg(sev, d.message);
        if (!d.hint.isEmpty())
            text += QLatin1Char('\n') + tr("hint: %1").arg(d.hint);
        auto *item =
            new QListWidgetItem(style()->standardIcon(d.severity == script::Diagnostic::Error
                                                          ? QStyle::SP_MessageBoxCritical
                                                          : QStyle::SP_MessageBoxWarning),
                                text);
        item->setData(LineRole, d.span.line);
        item->setData(ColRole, d.span.col);
        item->setData(LengthRole, d.span.length);
        m_diagList->addItem(item);
    }
    m_diagList->setVisible(m_diagList->count() > 0);
    m_diagList->setMaximumHeight(m_diagList->fontMetrics().height() * 7);
    if (m_diagList->count() == 0 && !isModified())
        m_applyStatus->hide();
}

} // namespace sl::ui
