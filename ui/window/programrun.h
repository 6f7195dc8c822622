// ProgramRun: one run of File → Trace a Program…, live. A worker thread of its own
// starts the program under core/tracer's ProgramTracer (the LD_PRELOAD interposer and its
// shared ring, as `socketlab trace`) and reads its records into a trace the window shows
// while the program runs; the GUI thread never waits for the program.
//
// Stepping is the terminal's `--step`: every socket call waits in the program (on its
// ring record's futex) until step() releases it; run() lets the calls go on by
// themselves, pause() makes the next call wait again, stop() kills the program
// (SIGKILL). However the program ends — by itself, killed, crashed — the tracer completes
// the trace (open calls end as woken, actors end, sockets close) before finished().
//
// What the window may show: the events below published() (the worker publishes the
// trace's size only after it has recorded the Python line of every call in it, so a
// row is never drawn without its line). where(i) is the "client.py:7" of the call whose
// CallBegin is event i.
//
// Ownership: owns the worker thread and, until takeTrace(), the trace. Thread affinity:
// the public interface from the GUI thread; signals are delivered there (queued).
// Destroying it kills a program still running and joins the worker.
#pragma once

#include "trace/trace.h"

#include <QHash>
#include <QObject>
#include <QStringList>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace sl::ui {

class ProgramRun : public QObject {
    Q_OBJECT
public:
    explicit ProgramRun(QObject *parent = nullptr);
    ~ProgramRun() override;

    // Starts argv in workDir; step: every call waits for step(). Waits only for the
    // program's start (posix_spawn), never for the program. False and *error when it
    // could not be started.
    bool start(const QStringList &argv, const QString &workDir, bool step, QString *error);

    const trace::Trace *trace() const { return m_trace.get(); }
    std::size_t published() const { return m_published.load(std::memory_order_acquire); }
    QString where(std::size_t beginEvent) const;

    bool isActive() const { return m_active; }     // started and not yet finished()
    bool isStepping() const { return m_stepMode; } // calls wait for step()
    bool isWaiting() const { return m_waiting.load(); }
    int waitCount() const { return m_waits.load(); } // grows each time a call waits
    int pid() const { return m_pid.load(); }
    QString waitingCall() const; // "client.py:7  connect(3, 127.0.0.1:5000)"
    int exitStatus() const { return m_exitStatus; }
    std::int64_t callCount() const { return m_calls.load(); }

    void step();  // the waiting call runs (the program then runs to its next call)
    void run();   // calls no longer wait
    void pause(); // the next call waits
    void stop();  // kills the program; finished() follows

    // After finished(): the complete trace, for the window to keep.
    std::unique_ptr<trace::Trace> takeTrace();

signals:
    void waitingChanged(bool waiting); // a call waits for step(), or runs
    void progress();                   // new events published
    void finished(int exitStatus);

private:
    void work(QStringList argv, QString workDir, bool step); // the worker thread
    void notify(void (ProgramRun::*signal)(bool), bool arg);

    std::unique_ptr<trace::Trace> m_trace;
    std::thread m_worker;
    std::atomic<std::size_t> m_published{0};
    mutable std::mutex m_mutex; // m_where, m_waitingCall, the commands below
    std::condition_variable m_wake;
    QHash<quint32, QString> m_where;
    QString m_waitingCall;
    int m_stepTokens = 0;
    bool m_stepWanted = false; // the mode asked for by the GUI
    bool m_stopWanted = false;
    // Start handshake.
    bool m_started = false, m_startOk = false;
    QString m_startError;

    std::atomic<bool> m_waiting{false};
    std::atomic<bool> m_progressPosted{false};
    std::atomic<int> m_waits{0}; // calls that have waited so far
    std::atomic<int> m_pid{-1};
    std::atomic<std::int64_t> m_calls{0};
    bool m_active = false;   // GUI thread
    bool m_stepMode = false; // GUI thread
    int m_exitStatus = 0;    // GUI thread, at finished()
};

} // namespace sl::ui
