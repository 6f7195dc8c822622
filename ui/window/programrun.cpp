#include "ui/window/programrun.h"

#include "tracer/programtracer.h"

#include <QMetaObject>
#include <csignal>
#include <sys/wait.h>

namespace sl::ui {

namespace {

// The program (the first child) has exited; it stays a zombie for the tracer to reap.
bool exited(pid_t pid) {
    siginfo_t info{};
    return ::waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == pid;
}

} // namespace

ProgramRun::ProgramRun(QObject *parent)
    : QObject(parent)
    , m_trace(std::make_unique<trace::Trace>()) {}

ProgramRun::~ProgramRun() {
    stop();
    if (m_worker.joinable())
        m_worker.join();
}

bool ProgramRun::start(const QStringList &argv, const QString &workDir, bool step, QString *error) {
    if (m_worker.joinable() || !m_trace)
        return false; // one run per object
    m_stepWanted = m_stepMode = step;
    m_worker = std::thread([this, argv, workDir, step] { work(argv, workDir, step); });
    std::unique_lock lock(m_mutex);
    m_wake.wait(lock, [this] { return m_started; });
    if (!m_startOk) {
        if (error)
            *error = m_startError;
        lock.unlock();
        m_worker.join();
        return false;
    }
    m_active = true;
    return true;
}

QString ProgramRun::where(std::size_t beginEvent) const {
    std::lock_guard lock(m_mutex);
    return m_where.value(quint32(beginEvent));
}

QString ProgramRun::waitingCall() const {
    std::lock_guard lock(m_mutex);
    return m_waitingCall;
}

void ProgramRun::step() {
    std::lock_guard lock(m_mutex);
    if (!m_waiting.load())
        return; // a step is one waiting call, never a credit for later ones
    ++m_stepTokens;
    m_waiting.store(false); // at once: the caller may ask again before the worker runs
    m_wake.notify_all();
}

void ProgramRun::run() {
    std::lock_guard lock(m_mutex);
    m_stepWanted = m_stepMode = false;
    m_wake.notify_all();
}

void ProgramRun::pause() {
    std::lock_guard lock(m_mutex);
    m_stepWanted = m_stepMode = true;
    m_wake.notify_all();
}

void ProgramRun::stop() {
    std::lock_guard lock(m_mutex);
    m_stopWanted = true;
    m_wake.notify_all();
}

std::unique_ptr<trace::Trace> ProgramRun::takeTrace() {
    if (m_active || m_worker.joinable())
        return nullptr;
    return std::move(m_trace);
}

void ProgramRun::notify(void (ProgramRun::*signal)(bool), bool arg) {
    QMetaObject::invokeMethod(
        this, [this, signal, arg] { emit(this->*signal)(arg); }, Qt::QueuedConnection);
}

void ProgramRun::work(QStringList argv, QString workDir, bool step) {
    tracer::ProgramTracer tracer(*m_trace);
    tracer.setWorkingDirectory(workDir);
    tracer.setPythonLines(true); // the sequence names the Python line of each call
    tracer.setProbeEachCall(step);
    QString error;
    const bool ok = tracer.start(argv, step, true, &error);
    {
        std::lock_guard lock(m_mutex);
        m_started = true;
        m_startOk = ok;
        m_startError = error;
    }
    m_wake.notify_all();
    if (!ok)
        return; // start() joins
    m_pid.store(tracer.pid());

    // The lines first, then the size: the window never shows a call without its line.
    const auto publish = [&] {
        const std::vector<tracer::TracedCall> calls = tracer.takeCalls();
        if (!calls.empty()) {
            std::lock_guard lock(m_mutex);
            for (const tracer::TracedCall &c : calls)
                if (!c.ended && !c.where.isEmpty() && c.traceBegin != SIZE_MAX)
                    m_where.insert(quint32(c.traceBegin), c.where);
        }
        m_calls.store(tracer.callCount());
        const std::size_t size = m_trace->size();
        if (size != m_published.load()) {
            m_published.store(size, std::memory_order_release);
            if (!m_progressPosted.exchange(true)) // one queued at a time
                QMetaObject::invokeMethod(
                    this,
                    [this] {
                        m_progressPosted.store(false);
                        emit progress();
                    },
                    Qt::QueuedConnection);
        }
    };
    bool stepping = step;
    bool killed = false;
    for (;;) {
        const int n = tracer.poll();
        bool stepWanted, stopWanted;
        {
            std::lock_guard lock(m_mutex);
            stepWanted = m_stepWanted;
            stopWanted = m_stopWanted;
        }
        if (stopWanted && !killed) {
            killed = true;
            tracer.killAll(SIGKILL); // the program and its children
            stepping = false;
            tracer.setStep(false); // a call waiting is let go into the signal
        } else if (!killed && stepWanted != stepping) {
            stepping = stepWanted;
            tracer.setProbeEachCall(stepping); // the kernel between each call and the next
            tracer.setStep(stepping);
        }
        publish();
        if (tracer.stepPending()) {
            if (!stepping) {
                tracer.release();
                continue;
            }
            const tracer::TracedCall next = tracer.pendingCall();
            {
                std::unique_lock lock(m_mutex);
                m_waitingCall = next.where.isEmpty() ? next.text : next.where + u"  " + next.text;
                m_stepTokens = 0;
                m_waiting.store(true);
                ++m_waits;
            }
            notify(&ProgramRun::waitingChanged, true);
            {
                std::unique_lock lock(m_mutex);
                while (m_stepTokens == 0 && !m_stopWanted && m_stepWanted && !exited(tracer.pid()))
                    m_wake.wait_for(lock, std::chrono::milliseconds(50));
                m_stepTokens = 0;
                m_waiting.store(false);
            }
            notify(&ProgramRun::waitingChanged, false);
            tracer.release();
            continue;
        }
        if (tracer.finished())
            break;
        tracer::ProgramTracer::waitForBatch(n);
    }
    publish();
    const int status = tracer.exitStatus();
    QMetaObject::invokeMethod(
        this,
        [this, status] {
            if (m_worker.joinable())
                m_worker.join(); // it has returned, or is about to
            m_active = false;
            m_exitStatus = status;
            emit finished(status);
        },
        Qt::QueuedConnection);
}

} // namespace sl::ui
