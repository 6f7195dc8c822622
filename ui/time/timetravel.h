// TimeTravel: the lab window's way back in time. It adds the timeline strip (a
// toolbar holding a TimelineBar) and the File menu: Save Trace… writes the trace the
// cursor shows as JSON Lines (with the lesson's id, title and source in the header),
// Open Trace… reads one into a trace of its own and shows it with
// TimeCursor::setTrace(trace, replay = true) — the stage, the sequence, the timeline
// and every other view of the cursor replay it without a socket — and Back to live
// returns to the lab's trace at its end.
//
// Ownership: a child of the MainWindow; owns the replayed trace, which lives until the
// cursor points elsewhere. Thread affinity: GUI thread. Never touches a socket; the
// lab is paused (not reset) while a replay is shown.
#pragma once

#include "trace/jsonl.h"

#include <QMap>
#include <QObject>
#include <memory>

class QAction;
class QToolBar;

namespace sl::ui {

class MainWindow;
class TimelineBar;

class TimeTravel : public QObject {
    Q_OBJECT
public:
    explicit TimeTravel(MainWindow *window);
    ~TimeTravel() override;

    TimelineBar *bar() const { return m_bar; }
    QToolBar *toolBar() const { return m_toolBar; }
    QAction *saveAction() const { return m_saveAct; }
    QAction *openAction() const { return m_openAct; }
    QAction *liveAction() const { return m_liveAct; }

    // The lesson whose run is saved (header metadata).
    void setLesson(const QString &id, const QString &title);
    // Writes the cursor's trace (the lab's, or the replay being shown).
    bool saveTrace(const QString &path, QString *error = nullptr) const;
    // Reads a trace and shows it at its end; on failure nothing changes. A large file is
    // read with a progress dialog (window-modal, so the window stays drawn but takes no
    // input meanwhile; Cancel stops the reading). An incomplete trace (no trailer: the
    // recording was cut short) is still shown, and *warning says so.
    bool openTrace(const QString &path, QString *error = nullptr, QString *warning = nullptr);
    void backToLive();
    // Shows a trace made elsewhere (a traced program's, once it ended) as a replay named
    // `name`, at its end, and keeps it.
    void showReplay(std::unique_ptr<trace::Trace> replay, const QMap<QString, QString> &meta,
                    const QString &name, bool interrupted = false);

    bool isReplay() const { return m_replay != nullptr; }
    const trace::Trace *replayTrace() const { return m_replay.get(); }
    const QMap<QString, QString> &replayMeta() const { return m_replayMeta; }

signals:
    void replayChanged(bool replay);

private:
    void saveInteractively();
    void openInteractively();

    MainWindow *m_window;
    TimelineBar *m_bar;
    QToolBar *m_toolBar;
    QAction *m_saveAct;
    QAction *m_openAct;
    QAction *m_liveAct;
    std::unique_ptr<trace::Trace> m_replay;
    QMap<QString, QString> m_replayMeta;
    QString m_replayFile;
    bool m_replayInterrupted = false; // its trailer said "interrupted": saved the same way
    bool m_reading = false;           // openTrace() is reading: a second one is refused
    QString m_lessonId, m_lessonTitle;
};

} // namespace sl::ui
