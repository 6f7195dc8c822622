#include "ui/window/mainwindow.h"

#include "ui/lesson/questionpanel.h"
#include "ui/playground/playground.h"
#include "ui/script/scripteditor.h"
#include "ui/script/scriptpanel.h"
#include "ui/sequence/sequencemodel.h"
#include "ui/sequence/sequencepanel.h"
#include "ui/sequence/seqview.h"
#include "ui/stage/stageview.h"
#include "ui/time/timecursor.h"
#include "ui/time/timetravel.h"
#include "ui/time/tracefeed.h"
#include "ui/window/analysisdocks.h"
#include "ui/window/cursorfollow.h"
#include "ui/window/helpmenu.h"
#include "ui/window/i18n.h"
#include "ui/window/lessonsdock.h"
#include "ui/window/presentation.h"
#include "ui/window/scriptfiles.h"
#include "ui/window/traceprogram.h"
#include "view/playgroundline.h"

#include "engine/lab.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace sl::ui {

MainWindow::MainWindow(const QString &lang, QWidget *parent)
    : QMainWindow(parent)
    , m_lang(lang)
    , m_lab(new engine::Lab(this))
    , m_feed(new TraceFeed(m_lab, this))
    , m_cursor(new TimeCursor(this))
    , m_stage(new StageView(m_feed, this))
    , m_sequence(new SequenceModel(&m_lab->trace(), this))
    , m_script(new ScriptPanel(this))
    , m_statusLabel(new QLabel(this)) {
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(tr("Socket Lab"));
    // A lane with more cards than fit even shrunk (StageView::minimumSizeHint) scrolls.
    auto *stageScroll = new QScrollArea(this);
    stageScroll->setObjectName(QStringLiteral("stageScroll"));
    stageScroll->setFrameShape(QFrame::NoFrame);
    stageScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    stageScroll->setWidgetResizable(true);
    stageScroll->setWidget(m_stage);
    // The stage with its banners above it (looking back, a failed expectation).
    auto *stageArea = new QWidget(this);
    stageArea->setObjectName(QStringLiteral("stageArea"));
    auto *stageLayout = new QVBoxLayout(stageArea);
    stageLayout->setContentsMargins(0, 0, 0, 0);
    stageLayout->setSpacing(0);
    stageLayout->addWidget(stageScroll, 1);
    setCentralWidget(stageArea);
    // The actors' status is long (and longer in Korean): it is cut, never widens the window.
    m_statusLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_statusLabel->setMinimumWidth(1);
    statusBar()->addWidget(m_statusLabel, 1);

    // The cursor follows the lab's trace; views that can look back read it.
    m_cursor->setTrace(&m_lab->trace(), false);
    // A replayed trace is not the lab's: the lab's growth must not move its end.
    connect(m_feed, &TraceFeed::appended, m_cursor, [this](std::size_t, std::size_t to) {
        if (!m_cursor->isReplay() && m_cursor->trace() == &m_lab->trace()) // not a traced program's
            m_cursor->setEnd(to);
    });
    connect(m_feed, &TraceFeed::cleared, m_cursor, [this] {
        if (m_cursor->isReplay() || m_cursor->trace() != &m_lab->trace())
            return;
        m_cursor->setEnd(0);
        m_cursor->setLive(true); // a new run: follow it from its first event
    });
    m_stage->setTimeCursor(m_cursor);
    m_sequence->setTimeCursor(m_cursor);
    connect(m_feed, &TraceFeed::appended, m_sequence, &SequenceModel::appendEvents);
    connect(m_feed, &TraceFeed::cleared, m_sequence, &SequenceModel::clear);
    connect(m_feed, &TraceFeed::appended, this, &MainWindow::onEvents);
    connect(m_feed, &TraceFeed::cleared, this, &MainWindow::updateStatus);
    connect(m_lab, &engine::Lab::stepStarted, this, &MainWindow::onStepStarted);
    connect(m_lab, &engine::Lab::stepFinished, this, &MainWindow::updateActions);
    connect(m_lab, &engine::Lab::backgroundStepFinished, this, &MainWindow::updateActions);
    connect(m_lab, &engine::Lab::runningChanged, this, &MainWindow::updateActions);
    connect(m_lab, &engine::Lab::finished, this, &MainWindow::updateActions);
    connect(m_cursor, &TimeCursor::liveChanged, this, &MainWindow::updateActions);
    connect(m_lab, &engine::Lab::resetDone, this, [this] {
        m_script->highlightLines(0, 0);
        updateActions();
    });

    createActions();
    createDocks();
    // Narration, the script's line and the banners follow the time cursor.
    m_follow = new CursorFollow(this);
    stageLayout->insertWidget(0, m_follow->banners());
    // Predict, then step: an `ask` line's question above the stage; it holds the lab.
    m_questions = new QuestionPanel(m_lab, this);
    stageLayout->insertWidget(1, m_questions);
    connect(m_questions, &QuestionPanel::holdChanged, this, &MainWindow::updateActions);
    // Hand-made experiments: a menu, and the stage's context menu on cards and lanes.
    m_playground = new Playground(m_lab, m_stage, m_script, this);
    menuBar()->addMenu(m_playground->menu());
    connect(m_stage, &StageView::contextMenuRequested, m_playground, &Playground::showContextMenu);
    connect(m_playground, &Playground::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 10000); });
    connect(m_lab, &engine::Lab::programChanged, this, &MainWindow::updateActions);
    // "New experiment" asks first when typed work would be lost.
    disconnect(m_playground->newExperimentAction(), &QAction::triggered, m_playground, nullptr);
    connect(m_playground->newExperimentAction(), &QAction::triggered, this,
            &MainWindow::newExperiment);
    createEditMenu();
    createFileAndHelp();

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    m_defaultLayoutPending =
        !restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    updateActions();
    updateStatus();
}

MainWindow::~MainWindow() {
    delete m_traceProgram; // kills a traced program and joins its reader
    m_traceProgram = nullptr;
    // The Lab goes first (it joins its actors), and no view hears about it.
    disconnect(m_lab, nullptr, nullptr, nullptr);
    delete m_lab;
}

void MainWindow::createActions() {
    QToolBar *bar = addToolBar(tr("Lab"));
    bar->setObjectName(QStringLiteral("labToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    const auto make = [&](const QString &name, const QString &text, QStyle::StandardPixmap icon,
                          const QKeySequence &key) {
        auto *a = new QAction(style()->standardIcon(icon), text, this);
        a->setObjectName(name);
        a->setShortcut(key);
        a->setToolTip(key.isEmpty() ? text
                                    : QStringLiteral("%1 (%2)").arg(
                                          text, key.toString(QKeySequence::NativeText)));
        bar->addAction(a);
        return a;
    };
    m_stepAct = make(QStringLiteral("actionStep"), tr("Step"), QStyle::SP_MediaSkipForward,
                     QKeySequence(Qt::Key_F10));
    m_runAct = make(QStringLiteral("actionRun"), tr("Run"), QStyle::SP_MediaPlay,
                    QKeySequence(Qt::Key_F5));
    m_pauseAct = make(QStringLiteral("actionPause"), tr("Pause"), QStyle::SP_MediaPause,
                      QKeySequence(Qt::SHIFT | Qt::Key_F5));
    m_resetAct = make(QStringLiteral("actionReset"), tr("Reset"), QStyle::SP_BrowserReload,
                      QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(m_stepAct, &QAction::triggered, this, &MainWindow::stepOrReturn);
    connect(m_runAct, &QAction::triggered, this, [this] {
        if (!m_cursor->isLive())
            m_timeTravel->backToLive(); // a run is watched as it happens
        if (m_traceProgram && m_traceProgram->isActive())
            return m_traceProgram->runFreely(); // a traced program's calls go on
        m_lab->run(m_script->speed());
    });
    // While a program is traced (File → Trace a Program…), Pause and Reset are its.
    connect(m_pauseAct, &QAction::triggered, m_lab, [this] {
        if (m_traceProgram && m_traceProgram->isActive())
            return m_traceProgram->pause();
        m_lab->pause();
    });
    connect(m_resetAct, &QAction::triggered, m_lab, [this] {
        if (m_traceProgram && m_traceProgram->isActive())
            return m_traceProgram->stop();
        m_lab->reset();
    });
}

void MainWindow::createDocks() {
    // Actors as columns; the row at the time cursor selected; a click moves the cursor.
    auto *sequenceList = new SequenceView(m_sequence, m_cursor, this);
    m_sequenceView = sequenceList;
    m_timeTravel = new TimeTravel(this); // timeline strip, File menu, replay
    connect(m_timeTravel, &TimeTravel::replayChanged, this, &MainWindow::updateActions);
    // A block is labelled by its source line: the lab's program, or the replay's header.
    m_sequence->setSourceProvider([this] {
        return m_timeTravel->isReplay() ? m_timeTravel->replayMeta().value(QStringLiteral("source"))
                                        : m_lab->source();
    });

    auto *seqDock = new QDockWidget(tr("Sequence"), this);
    seqDock->setObjectName(QStringLiteral("sequenceDock"));
    // The list, and a toggle to the ladder (the flow graph), in the dock's own toolbar.
    seqDock->setWidget(new SequencePanel(m_sequence, sequenceList, m_cursor, seqDock));
    addDockWidget(Qt::BottomDockWidgetArea, seqDock);

    auto *scriptDock = new QDockWidget(tr("Script"), this);
    scriptDock->setObjectName(QStringLiteral("scriptDock"));
    scriptDock->setWidget(m_script);
    addDockWidget(Qt::LeftDockWidgetArea, scriptDock);
    // The script (with the narration) and the inspector run the full height at the
    // sides; the sequence sits under the stage (sizes: applyDefaultLayout()).
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    createScriptDockAndMenus(seqDock, scriptDock);
    installAnalysisDocks(this);
}

bool MainWindow::presentationMode() const {
    return m_presentation->isActive();
}

// The script panel's controls, the lessons dock, presentation mode and the menus.
void MainWindow::createScriptDockAndMenus(QDockWidget *seqDock, QDockWidget *scriptDock) {
    m_script->setLab(m_lab);
    m_script->setLanguage(m_lang);
    m_script->setLabActions({m_stepAct, m_runAct, m_pauseAct, m_resetAct});
    addAction(m_script->breakpointAction()); // F9 anywhere in the window
    connect(m_script, &ScriptPanel::speedChanged, m_lab, [this](double speed) {
        if (m_lab->isRunning())
            m_lab->run(speed); // takes effect from the next step
    });
    // Elapsed times read the stage's clock (the lab's time live, the cursor's in the past).
    connect(m_feed, &TraceFeed::frame, this, &MainWindow::updateStatus);

    m_lessons = new LessonsDock(this);
    m_lessons->setLab(m_lab);
    m_lessons->setLanguage(m_script->language());
    addDockWidget(Qt::LeftDockWidgetArea, m_lessons);
    tabifyDockWidget(scriptDock, m_lessons);
    scriptDock->raise();
    connect(m_lessons, &LessonsDock::openRequested, this, [this](const lessons::LessonInfo &l) {
        if (!m_files || m_files->maybeDiscard()) // unsaved edits: asked first
            openLesson(l);
    });
    connect(m_script, &ScriptPanel::languageChanged, m_lessons, &LessonsDock::setLanguage);
    connect(m_script, &ScriptPanel::languageChanged, this,
            [this](const QString &l) { m_lang = l; });
    // An edited script is not the lesson any more: running it marks nothing finished.
    connect(m_script, &ScriptPanel::applied, m_lessons,
            [this] { m_lessons->setCurrentLesson({}); });

    m_presentation = new Presentation(this);
    m_presentation->setKept({seqDock}, findChild<QToolBar *>(QStringLiteral("labToolBar")));
    connect(m_script, &ScriptPanel::narrationChanged, m_presentation, &Presentation::setNarration);

    QMenu *labMenu = m_labMenu = menuBar()->addMenu(tr("&Lab"));
    labMenu->addActions({m_stepAct, m_runAct, m_pauseAct, m_resetAct});
    labMenu->addSeparator();
    labMenu->addAction(m_script->applyAction());
    labMenu->addAction(m_script->breakpointAction());
    QMenu *viewMenu = m_viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->setObjectName(QStringLiteral("viewMenu"));
    viewMenu->addAction(scriptDock->toggleViewAction());
    viewMenu->addAction(m_lessons->toggleViewAction());
    viewMenu->addAction(seqDock->toggleViewAction());
    viewMenu->addSeparator();
    viewMenu->addAction(m_presentation->toggleAction());
    // View → Language: the window's texts and the narration, switched in place.
    m_languageMenu = viewMenu->addMenu(tr("&Language"));
    m_languageMenu->setObjectName(QStringLiteral("languageMenu"));
    auto *langGroup = new QActionGroup(m_languageMenu);
    for (const auto &[code, name] : {std::pair{"en", "English"}, std::pair{"ko", "한국어"}}) {
        QAction *a = m_languageMenu->addAction(QString::fromUtf8(name)); // each in its own tongue
        a->setObjectName(QStringLiteral("actionLanguage_") + QLatin1String(code));
        a->setData(QLatin1String(code));
        a->setCheckable(true);
        a->setChecked(uiLanguage() == QLatin1String(code));
        langGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, a] { setLanguage(a->data().toString()); });
    }
}

void MainWindow::setLanguage(const QString &lang) {
    setUiLanguage(lang);                 // posts LanguageChange to every widget → retranslateUi()
    m_script->setLanguage(uiLanguage()); // the narration and the lessons dock follow
    m_lang = m_script->language();
    for (QAction *a : m_languageMenu->actions())
        a->setChecked(a->data().toString() == uiLanguage());
}

void MainWindow::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

// Every text set once at construction, here and in the panels the window assembled
// (texts computed when shown — status, cards, model cells — follow by themselves).
void MainWindow::retranslateUi() {
    if (!m_stepAct)
        return;
    const auto lesson = m_lessonId.isEmpty() ? std::nullopt : lessons::findLesson(m_lessonId);
    setWindowTitle(lesson ? tr("Socket Lab — %1").arg(lesson->title(m_lang)) : tr("Socket Lab"));
    if (auto *bar = findChild<QToolBar *>(QStringLiteral("labToolBar")))
        bar->setWindowTitle(tr("Lab"));
    const auto retext = [](QAction *a, const QString &text) {
        a->setText(text);
        const QKeySequence key = a->shortcut();
        a->setToolTip(key.isEmpty() ? text
                                    : QStringLiteral("%1 (%2)").arg(
                                          text, key.toString(QKeySequence::NativeText)));
    };
    retext(m_stepAct, tr("Step"));
    retext(m_runAct, tr("Run"));
    retext(m_pauseAct, tr("Pause"));
    retext(m_resetAct, tr("Reset"));
    const auto dockTitle = [this](const char *name, const QString &title) {
        if (auto *d = findChild<QDockWidget *>(QLatin1String(name)))
            d->setWindowTitle(title);
    };
    dockTitle("sequenceDock", tr("Sequence"));
    dockTitle("scriptDock", tr("Script"));
    dockTitle("lessonsDock", LessonsDock::tr("Lessons"));
    dockTitle(SelectDockName, QCoreApplication::translate("sl::ui::AnalysisDocks", "select()"));
    dockTitle(InspectorDockName, QCoreApplication::translate("sl::ui::AnalysisDocks", "Inspector"));
    dockTitle(TraceDockName, QCoreApplication::translate("sl::ui::AnalysisDocks", "Trace"));
    dockTitle(KernelDockName, QCoreApplication::translate("sl::ui::AnalysisDocks", "Kernel"));
    dockTitle("presentationNarrationDock", Presentation::tr("Narration"));
    if (auto *open = m_lessons->findChild<QPushButton *>())
        open->setText(LessonsDock::tr("Open"));
    m_labMenu->setTitle(tr("&Lab"));
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    retranslateEdit();
    updateLessonEnd();
    if (auto *file = findChild<QMenu *>(QStringLiteral("fileMenu")))
        file->setTitle(TimeTravel::tr("&File"));
    m_timeTravel->saveAction()->setText(TimeTravel::tr("&Save Trace…"));
    m_timeTravel->openAction()->setText(TimeTravel::tr("&Open Trace…"));
    m_timeTravel->liveAction()->setText(TimeTravel::tr("&Back to Live"));
    m_presentation->toggleAction()->setText(Presentation::tr("Presentation Mode"));
    m_presentation->toggleAction()->setToolTip(
        Presentation::tr("Large type and only the stage, the sequence and the narration, "
                         "for a projector (F11)"));
    m_presentation->leaveAction()->setText(Presentation::tr("Leave Presentation Mode"));
    m_files->retranslate();
    m_help->retranslate();
    m_playground->menu()->setTitle(Playground::tr("&Playground"));
    m_playground->newExperimentAction()->setText(Playground::tr("New experiment"));
    m_playground->newExperimentAction()->setStatusTip(
        Playground::tr("Start from an empty script: every action below adds its line"));
    m_playground->saveAction()->setText(Playground::tr("Save experiment…"));
    for (int i = 0; i < PlayKindCount; ++i)
        if (QAction *a = m_playground->action(PlayKind(i)))
            a->setText(playKindTitle(PlayKind(i)));
    // Column headers are asked for again only when a model says they changed.
    for (QAbstractItemModel *m : findChildren<QAbstractItemModel *>())
        if (const int cols = m->columnCount(); cols > 0)
            emit m->headerDataChanged(Qt::Horizontal, 0, cols - 1);
    // Cells are texts computed when painted: paint them again in the new language.
    for (QAbstractItemView *v : findChildren<QAbstractItemView *>())
        v->viewport()->update();
    updateStatus();
}

bool MainWindow::openLesson(const lessons::LessonInfo &lesson) {
    std::vector<script::Diagnostic> diags;
    m_questions->setLesson(lesson.id);
    m_questions->setHint(lesson.hasBlanks() ? lesson.hint(m_lang) : QString());
    if (lesson.hasBlanks()) {
        // An exercise: the learner fills the blank in the Script panel and applies it.
        m_script->setSource(lesson.source, lesson.path);
        m_lessons->setCurrentLesson(lesson.id);
        m_lessonId = lesson.id;
        statusBar()->showMessage(tr("An exercise: fill in the ___ in the script and apply it. %1")
                                     .arg(lesson.hint(m_lang)));
        return true;
    }
    if (!m_lab->load(lesson.source, lesson.path, &diags)) {
        statusBar()->showMessage(tr("%1 does not parse").arg(lesson.path));
        return false;
    }
    m_script->setSource(lesson.source, lesson.path);
    m_files->setClean(lesson.source, {}); // Save asks where: a lesson is no file of the reader's
    m_lessons->setCurrentLesson(lesson.id);
    m_lessonId = lesson.id;
    m_typedWork = false;
    m_timeTravel->setLesson(lesson.id, lesson.title(m_lang));
    setWindowTitle(tr("Socket Lab — %1").arg(lesson.title(m_lang)));
    // The narration is what a lesson is read by: the script dock comes to the front
    // (opening from the Lessons tab would leave it hidden behind that tab).
    if (auto *dock = findChild<QDockWidget *>(QStringLiteral("scriptDock"));
        dock && !presentationMode()) {
        dock->show();
        dock->raise();
    }
    m_follow->sync();
    updateActions();
    return true;
}

void MainWindow::onStepStarted(int step) {
    const script::Program *prog = m_lab->program();
    // Live, the step's lines at once (its events follow); in the past the script's
    // line is the cursor's, not the background run's.
    if (prog && step >= 0 && std::size_t(step) < prog->steps.size() && m_cursor->isLive()) {
        const script::Stmt &s = *prog->steps[std::size_t(step)];
        m_script->highlightLines(s.span.line, s.lastLine);
    }
    // Narration stays in sight while stepping.
    if (auto *dock = findChild<QDockWidget *>(QStringLiteral("scriptDock"));
        dock && !presentationMode() && !dock->isHidden() &&
        m_script->narrationWidget()->visibleRegion().isEmpty()) // a tab behind another
        dock->raise();
    updateActions();
}

void MainWindow::onEvents(std::size_t, std::size_t) {
    // Narration and the script's line follow the cursor (CursorFollow), not the feed.
    updateStatus();
}

void MainWindow::updateActions() {
    if (!m_stepAct)
        return;
    const bool loaded = m_lab->program() != nullptr;
    const bool replay = m_cursor->isReplay(); // a replay has no socket to step
    const bool running = m_lab->isRunning();
    // Looking back (or replaying), Step returns to live first: it is always possible.
    const bool past = replay || !m_cursor->isLive();
    // A question open (QuestionPanel) holds the lab: answer or skip first.
    const bool held = m_lab->held();
    if (m_traceProgram && m_traceProgram->isActive())
        return m_traceProgram->updateActions(m_stepAct, m_runAct, m_pauseAct, m_resetAct);
    m_stepAct->setEnabled(past || (loaded && !running && !m_lab->atEnd() && !held));
    m_runAct->setEnabled(loaded && !replay && !running && !m_lab->atEnd() && !held);
    m_pauseAct->setEnabled(running);
    m_resetAct->setEnabled(loaded);
    updateLessonEnd();
}

// The actor list and the status bar say what the stage shows: both are refreshed with
// it (new events) and on every frame (elapsed times).
void MainWindow::updateStatus() {
    const StageState &st = m_stage->state();
    const std::int64_t now = m_stage->nowNs(); // the stage's clock, not the last event's
    m_script->setActors(st, now);
    QStringList parts;
    for (std::size_t i = 0; i < st.actors.size(); ++i)
        parts << QStringLiteral("%1: %2").arg(st.actors[i].name, laneStatusText(st, int(i), now));
    m_statusLabel->setText(parts.isEmpty() ? tr("Ready") : parts.join(QStringLiteral("   ·   ")));
}

void MainWindow::closeEvent(QCloseEvent *event) {
    if (!m_files->maybeDiscard()) { // unsaved edits: Save, Discard or stay
        event->ignore();
        return;
    }
    m_presentation->setActive(false); // the layout saved is the working one
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    if (m_traceProgram)
        m_traceProgram->stop(); // a traced program ends with the window
    m_lab->reset();             // wakes blocked actors and joins them; never hangs
    event->accept();
}

} // namespace sl::ui
