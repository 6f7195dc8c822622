// File → Trace a Program…: runs a program of the reader's (a command line, a working
// directory, and "step each call" or "run") under core/tracer (ProgramRun, a worker
// thread) and shows it LIVE in every view — stage, sequence, select(), inspector,
// timeline, trace table — as its calls happen: the window's cursor follows the run's own
// trace while the program runs. Stepping is the lab's: each socket call waits in the
// program until Step (F10); Run lets the calls go on, Pause makes the next one wait,
// Reset (or closing the window, or opening a lesson) kills the program. Once the program
// has ended, however, the complete trace stays in the window as a replay (Back to Live
// returns to the lab). For CPython, each call's row starts with the Python line that
// made it (`client.py:7 s.connect(addr)`), read from the file in the working directory.
//
// Ownership: a child of the MainWindow; owns the ProgramRun of the last program (its
// trace passes to TimeTravel when it ends). Thread affinity: the GUI thread.
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

class QAction;
class QMenu;

namespace sl::trace {
class Trace;
}

namespace sl::ui {

class MainWindow;
class ProgramRun;

class TraceProgram : public QObject {
    Q_OBJECT
public:
    TraceProgram(MainWindow *window, QMenu *fileMenu);
    ~TraceProgram() override;
    QAction *action() const { return m_action; }
    void retranslate();

    // Starts argv in workDir and shows it; false and *error if it could not start.
    bool start(const QStringList &argv, const QString &workDir, bool step,
               QString *error = nullptr);
    ProgramRun *run() const { return m_run; } // the last program's, or null
    bool isActive() const;                    // a program runs: the lab's actions are its

    // The lab's actions while a program runs (MainWindow routes them here).
    void step();
    void runFreely();
    void pause();
    void stop();
    void updateActions(QAction *step, QAction *run, QAction *pause, QAction *reset) const;

signals:
    void stateChanged(); // waiting, running, ended: the window updates its actions

private:
    void ask();
    void onFinished(int status);
    void showEnd();                          // the cursor to what is published
    QString origin(std::size_t begin) const; // "client.py:7 s.connect(addr)"
    QString sourceLine(const QString &file, int line) const;

    MainWindow *m_window;
    QAction *m_action;
    ProgramRun *m_run = nullptr;
    const trace::Trace *m_shown = nullptr; // the run's trace (live, then as a replay)
    bool m_abandoned = false;              // the lab was reset meanwhile: not shown at the end
    bool m_resetting = false;              // start() resets the lab itself
    QStringList m_argv;
    QString m_commandLine;
    QString m_workDir;
    bool m_stepChoice = true;
    mutable QHash<QString, QStringList> m_files; // source files read, by name
};

} // namespace sl::ui
