// MainWindow, continued: the Edit menu (undo/redo of the editor, zoom of the views),
// Step while looking back, "New experiment" asking before it discards typed work, and
// the end of a lesson offering the next one. Thread affinity: GUI thread.
#include "ui/playground/playground.h"
#include "ui/script/scripteditor.h"
#include "ui/script/scriptpanel.h"
#include "ui/time/timecursor.h"
#include "ui/time/timetravel.h"
#include "ui/window/cursorfollow.h"
#include "ui/window/lessonsdock.h"
#include "ui/window/mainwindow.h"
#include "ui/window/scriptfiles.h"
#include "ui/window/traceprogram.h"

#include "engine/lab.h"

#include <QAction>
#include <QDockWidget>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTableView>

namespace sl::ui {

void MainWindow::createEditMenu() {
    m_editMenu = new QMenu(tr("&Edit"), this);
    m_editMenu->setObjectName(QStringLiteral("editMenu"));
    menuBar()->insertMenu(m_labMenu->menuAction(), m_editMenu);
    m_editMenu->addAction(m_script->undoAction());
    m_editMenu->addAction(m_script->redoAction());
    m_editMenu->addSeparator();
    const auto zoomAct = [this](int i, const char *name, const QList<QKeySequence> &keys,
                                double factor) {
        auto *a = m_zoomActs[i] = new QAction(this);
        a->setObjectName(QLatin1String(name));
        a->setShortcuts(keys);
        connect(a, &QAction::triggered, this,
                [this, factor] { setZoom(factor == 0 ? 1.0 : m_zoom * factor); });
        m_editMenu->addAction(a);
        addAction(a); // also while the menu bar is hidden
    };
    zoomAct(0, "actionZoomIn",
            {QKeySequence(Qt::CTRL | Qt::Key_Plus), QKeySequence(Qt::CTRL | Qt::Key_Equal)}, 1.15);
    zoomAct(1, "actionZoomOut", {QKeySequence(Qt::CTRL | Qt::Key_Minus)}, 1 / 1.15);
    zoomAct(2, "actionZoomReset", {QKeySequence(Qt::CTRL | Qt::Key_0)}, 0);
    addAction(m_script->undoAction());
    addAction(m_script->redoAction());
    m_editMenu->addSeparator();
    for (QAction *a : m_follow->navigationActions())
        m_editMenu->addAction(a);

    // Typed work: a script applied by hand is no lesson any more (and New asks first).
    connect(m_script, &ScriptPanel::applied, this, [this] {
        m_typedWork = true;
        updateLessonEnd();
    });
    connect(m_script, &ScriptPanel::nextLessonRequested, this, &MainWindow::openNextLesson);
    connect(m_lab, &engine::Lab::resetDone, m_follow, &CursorFollow::sync);
    retranslateEdit();
}

void MainWindow::retranslateEdit() {
    if (!m_editMenu)
        return;
    m_editMenu->setTitle(tr("&Edit"));
    m_zoomActs[0]->setText(tr("Zoom In"));
    m_zoomActs[1]->setText(tr("Zoom Out"));
    m_zoomActs[2]->setText(tr("Reset Zoom"));
}

QWidget *MainWindow::stageArea() const {
    return centralWidget();
}

void MainWindow::setZoom(double factor) {
    // Presentation mode has its own large type; zoom is the working layout's.
    if (presentationMode())
        return;
    factor = std::clamp(factor, 0.6, 2.5);
    if (m_zoom == 1.0) { // the fonts at zoom 1, taken before the first change
        m_stageFont = centralWidget()->font();
        m_sequenceFont = m_sequenceView->font();
    }
    m_zoom = factor;
    const auto scaled = [factor](QFont f) {
        f.setPointSizeF(f.pointSizeF() * factor);
        return f;
    };
    centralWidget()->setFont(scaled(m_stageFont)); // the stage lays out from its font
    m_sequenceView->setFont(scaled(m_sequenceFont));
    m_sequenceView->verticalHeader()->setDefaultSectionSize(m_sequenceView->fontMetrics().height() +
                                                            6);
    m_script->setZoom(factor);
    statusBar()->showMessage(tr("Zoom %1%").arg(qRound(factor * 100)), 2000);
}

void MainWindow::stepOrReturn() {
    // No invisible step: looking back, Step first brings the views back to now.
    if (m_cursor->isReplay() || !m_cursor->isLive()) {
        m_timeTravel->backToLive();
        statusBar()->showMessage(
            tr("Back to live: the views show the lab now. Press Step again for the next step."),
            10000);
        return;
    }
    if (m_traceProgram && m_traceProgram->isActive())
        return m_traceProgram->step(); // a traced program's next call runs
    m_lab->step();
}

void MainWindow::newExperiment() {
    if (m_script->isModified() || m_typedWork) {
        QMessageBox box(QMessageBox::Question, tr("New experiment"),
                        tr("The script in the editor holds typed work. Discard it and start an "
                           "empty experiment?"),
                        QMessageBox::Discard | QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("discardTypedWork"));
        box.setDefaultButton(QMessageBox::Cancel);
        if (box.exec() != QMessageBox::Discard)
            return;
    }
    m_typedWork = false;
    m_lessonId.clear();
    m_lessons->setCurrentLesson({});
    m_playground->newExperiment();
    m_files->setClean(m_script->source(), {}); // Save asks where
    updateActions();
}

std::optional<lessons::LessonInfo> MainWindow::nextLesson() const {
    const QList<lessons::LessonInfo> all = lessons::builtinLessons();
    for (qsizetype i = 0; i + 1 < all.size(); ++i)
        if (all[i].id == m_lessonId)
            return all[i + 1];
    return std::nullopt;
}

void MainWindow::openNextLesson() {
    if (const auto next = nextLesson())
        openLesson(*next);
}

// The end of a lesson says so and offers the next one (a lesson's run, seen live).
void MainWindow::updateLessonEnd() {
    const bool end = !m_lessonId.isEmpty() && !m_typedWork && m_lab->program() && m_lab->atEnd() &&
                     !m_lab->isRunning() && !m_cursor->isReplay() && m_cursor->isLive();
    const auto next = end ? nextLesson() : std::nullopt;
    m_script->setLessonEnd(
        end,
        next ? QStringLiteral("%1. %2").arg(next->number).arg(next->title(m_lang)) : QString());
}

} // namespace sl::ui

namespace sl::ui {

void MainWindow::showEvent(QShowEvent *event) {
    QMainWindow::showEvent(event);
    if (m_defaultLayoutPending && !presentationMode()) {
        m_defaultLayoutPending = false;
        applyDefaultLayout();
    }
}

// The layout for a window with none saved, from 1280×720 (a projector) up: the stage
// at least half the width, the script (narration on top) and the inspector at the
// sides, the sequence under the stage tall enough for 8 rows and more.
void MainWindow::applyDefaultLayout() {
    const int w = width(), h = height();
    auto *scriptDock = findChild<QDockWidget *>(QStringLiteral("scriptDock"));
    auto *inspector = findChild<QDockWidget *>(QStringLiteral("inspectorDock"));
    auto *seq = findChild<QDockWidget *>(QStringLiteral("sequenceDock"));
    if (!scriptDock || !inspector || !seq)
        return;
    // Together the sides take less than half the width (the script panel's controls set
    // its least width, about a fifth of 1280 pixels).
    resizeDocks({scriptDock, inspector}, {std::min(w * 22 / 100, 440), std::min(w * 21 / 100, 460)},
                Qt::Horizontal);
    const int rowH = m_sequenceView->verticalHeader()->defaultSectionSize();
    resizeDocks({seq}, {std::max(h * 38 / 100, 11 * rowH + 60)}, Qt::Vertical);
}

} // namespace sl::ui
