#include "ui/time/timetravel.h"

#include "ui/time/timecursor.h"
#include "ui/time/timeline.h"
#include "ui/time/tracefeed.h"
#include "ui/window/mainwindow.h"

#include "engine/lab.h"
#include "engine/version.h"

#include <QAction>
#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QSaveFile>
#include <QStatusBar>
#include <QToolBar>

namespace sl::ui {

TimeTravel::TimeTravel(MainWindow *window)
    : QObject(window)
    , m_window(window)
    , m_bar(new TimelineBar(window->cursor(), window))
    , m_toolBar(new QToolBar(tr("Timeline"), window)) {
    setObjectName(QStringLiteral("timeTravel"));
    // The strip under the lab's toolbar, across the whole window.
    m_toolBar->setObjectName(QStringLiteral("timelineToolBar"));
    m_toolBar->setMovable(false);
    m_toolBar->addWidget(m_bar);
    window->addToolBarBreak(Qt::TopToolBarArea);
    window->addToolBar(Qt::TopToolBarArea, m_toolBar);
    connect(window->feed(), &TraceFeed::frame, m_bar, &TimelineBar::refresh);
    connect(m_bar, &TimelineBar::backToLiveRequested, this, &TimeTravel::backToLive);

    m_saveAct = new QAction(tr("&Save Trace…"), this);
    m_saveAct->setObjectName(QStringLiteral("actionSaveTrace"));
    m_saveAct->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    m_openAct = new QAction(tr("&Open Trace…"), this);
    m_openAct->setObjectName(QStringLiteral("actionOpenTrace"));
    m_openAct->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_liveAct = new QAction(tr("&Back to Live"), this);
    m_liveAct->setObjectName(QStringLiteral("actionBackToLive"));
    m_liveAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(m_saveAct, &QAction::triggered, this, &TimeTravel::saveInteractively);
    connect(m_openAct, &QAction::triggered, this, &TimeTravel::openInteractively);
    connect(m_liveAct, &QAction::triggered, this, &TimeTravel::backToLive);
    const auto updateLive = [this] {
        m_liveAct->setEnabled(isReplay() || !m_window->cursor()->isLive());
    };
    connect(window->cursor(), &TimeCursor::liveChanged, this, updateLive);
    connect(this, &TimeTravel::replayChanged, this, updateLive);
    updateLive();

    // First in the menu bar, whatever was added before.
    auto *file = new QMenu(tr("&File"), window);
    file->setObjectName(QStringLiteral("fileMenu"));
    file->addActions({m_saveAct, m_openAct});
    file->addSeparator();
    file->addAction(m_liveAct);
    QMenuBar *bar = window->menuBar();
    bar->insertMenu(bar->actions().value(0), file);
}

TimeTravel::~TimeTravel() = default;

void TimeTravel::setLesson(const QString &id, const QString &title) {
    m_lessonId = id;
    m_lessonTitle = title;
}

bool TimeTravel::saveTrace(const QString &path, QString *error) const {
    const trace::Trace *t = m_window->cursor()->trace();
    if (!t) {
        if (error)
            *error = tr("There is no trace to save.");
        return false;
    }
    QMap<QString, QString> meta;
    if (isReplay()) {
        meta = m_replayMeta; // saving a replay keeps what it was a run of
    } else {
        meta.insert(QStringLiteral("lesson_id"), m_lessonId);
        meta.insert(QStringLiteral("lesson_title"), m_lessonTitle);
        meta.insert(QStringLiteral("source"), m_window->lab()->source());
        meta.insert(QStringLiteral("version"), sl::labVersion()); // the header's lab_version
    }
    meta.insert(QStringLiteral("saved_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    // All or nothing: a half-written file never replaces a good one.
    QSaveFile file(path);
    const trace::JsonlWriteOptions options{isReplay() && m_replayInterrupted};
    if (!file.open(QIODevice::WriteOnly) || !trace::writeJsonl(*t, file, meta, options) ||
        !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

bool TimeTravel::openTrace(const QString &path, QString *error, QString *warning) {
    if (m_reading) {
        if (error)
            *error = tr("Another trace is being opened.");
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    // Read into a trace of its own, on this thread, in 1 MiB chunks: the progress
    // callback lets the event loop run between chunks (QProgressDialog::setValue does when
    // the dialog is modal), which keeps the window drawn and Cancel clickable. A worker
    // thread would need the views kept off a trace being filled; chunked reading needs
    // nothing more than the window-modal dialog, which also keeps a second Open Trace,
    // Reset or closing the window from running meanwhile. Nothing is shown for a quick
    // read (minimumDuration).
    auto replay = std::make_unique<trace::Trace>();
    QMap<QString, QString> meta;
    trace::JsonlError jerr;
    QProgressDialog progress(tr("Reading %1…").arg(QFileInfo(path).fileName()), tr("Cancel"), 0,
                             1000, m_window);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(300);
    progress.setAutoClose(false);
    progress.setAutoReset(false);
    bool interrupted = false;
    trace::JsonlReadOptions options;
    options.interrupted = &interrupted;
    options.progress = [&progress](qint64 done, qint64 total) {
        progress.setValue(total > 0 ? int(std::min<qint64>(999, done * 1000 / total)) : 0);
        if (progress.isVisible()) // setValue() lets events run only when the value moved
            QCoreApplication::processEvents();
        return !progress.wasCanceled();
    };
    m_reading = true;
    const bool ok = trace::readJsonl(file, *replay, &meta, &jerr, options);
    m_reading = false;
    progress.close();
    const QString where =
        jerr.line > 0 ? tr("line %1: %2").arg(jerr.line).arg(jerr.message) : jerr.message;
    if (!ok && !jerr.incomplete) {
        if (error)
            *error = jerr.cancelled ? tr("Reading was cancelled.") : where;
        return false;
    }
    if (warning)
        *warning =
            ok ? QString()
               : tr("This trace is incomplete (%1). It is shown up to where it stops.").arg(where);
    showReplay(std::move(replay), meta, QFileInfo(path).fileName(), interrupted);
    const QString title = meta.value(QStringLiteral("lesson_title"));
    QString status = title.isEmpty() ? tr("Replay of %1").arg(m_replayFile)
                                     : tr("Replay of %1 (%2)").arg(m_replayFile, title);
    if (!ok)
        status += tr(" — incomplete trace");
    else if (interrupted)
        status += tr(" — the run was interrupted");
    m_window->statusBar()->showMessage(status);
    return true;
}

void TimeTravel::showReplay(std::unique_ptr<trace::Trace> replay,
                            const QMap<QString, QString> &meta, const QString &name,
                            bool interrupted) {
    engine::Lab *lab = m_window->lab();
    if (lab->isRunning())
        lab->pause(); // its trace keeps what it has; Back to live shows it again
    // The cursor moves to the new trace before the old one is freed.
    std::unique_ptr<trace::Trace> old = std::move(m_replay);
    m_replay = std::move(replay);
    m_replayMeta = meta;
    m_replayInterrupted = interrupted;
    m_replayFile = name;
    TimeCursor *cursor = m_window->cursor();
    cursor->setTrace(m_replay.get(), true);
    cursor->setPosition(cursor->end()); // the run as it ended; Home goes to its start
    old.reset();
    m_bar->setReplayFile(m_replayFile);
    emit replayChanged(true);
}

void TimeTravel::backToLive() {
    TimeCursor *cursor = m_window->cursor();
    if (isReplay()) {
        cursor->setTrace(&m_window->lab()->trace(), false);
        m_replay.reset();
        m_replayMeta.clear();
        m_replayInterrupted = false;
        m_replayFile.clear();
        m_bar->setReplayFile({});
        emit replayChanged(false);
        m_window->statusBar()->clearMessage();
    }
    cursor->setLive(true);
}

void TimeTravel::saveInteractively() {
    const QString suggested =
        (m_lessonId.isEmpty() ? QStringLiteral("trace") : m_lessonId) + QStringLiteral(".jsonl");
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Save Trace"), suggested, tr("Socket Lab traces (*.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveTrace(path, &error))
        QMessageBox::warning(m_window, tr("Save Trace"),
                             tr("Could not save %1: %2").arg(path, error));
    else
        m_window->statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 5000);
}

void TimeTravel::openInteractively() {
    const QString path = QFileDialog::getOpenFileName(
        m_window, tr("Open Trace"), {}, tr("Socket Lab traces (*.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error, warning;
    if (!openTrace(path, &error, &warning))
        QMessageBox::warning(m_window, tr("Open Trace"),
                             tr("Could not open %1: %2").arg(path, error));
    else if (!warning.isEmpty())
        QMessageBox::warning(m_window, tr("Open Trace"), warning);
}

} // namespace sl::ui
