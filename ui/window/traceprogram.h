// File → Trace a Program…: runs a program of the reader's (a command line and a working
// directory) under `socketlab trace --quiet --trace FILE` (this binary, as a child
// process), then opens the trace it wrote, so every view (stage, sequence, select(),
// inspector, timeline, trace table) shows the program's calls and sockets. The window
// shows the run once the program has ended; stepping a program call by call is
// `socketlab trace --step` in a terminal for now.
//
// Thread affinity: the GUI thread.
#pragma once

#include <QObject>
#include <QString>

class QAction;
class QMenu;
class QProcess;
class QTemporaryDir;
class QWidget;

namespace sl::ui {

class TimeTravel;

class TraceProgram : public QObject {
    Q_OBJECT
public:
    TraceProgram(QWidget *window, TimeTravel *timeTravel, QMenu *fileMenu);
    ~TraceProgram() override;
    QAction *action() const { return m_action; }
    void retranslate();

private:
    void ask();
    void finished();
    QWidget *m_window;
    TimeTravel *m_timeTravel;
    QAction *m_action;
    QProcess *m_process = nullptr;
    QTemporaryDir *m_dir = nullptr;
    QString m_commandLine;
    QString m_workDir;
};

} // namespace sl::ui
