#include "interrupt.h"

#include "engine/runner.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace sl::app {

namespace {

int g_pipe[2] = {-1, -1};
volatile sig_atomic_t g_received = 0;

void onSignal(int signo) {
    // Async-signal-safe only: write(), signal(), raise(); errno is restored.
    const int savedErrno = errno;
    if (g_received) {
        // Already stopping: a second signal ends the process the default way.
        ::signal(signo, SIG_DFL);
        ::raise(signo);
    } else {
        g_received = signo;
        const unsigned char b = static_cast<unsigned char>(signo);
        (void)!::write(g_pipe[1], &b, 1);
    }
    errno = savedErrno;
}

} // namespace

bool installInterruptHandlers() {
    if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return false;
    // Lives as long as the application (its child, so LeakSanitizer sees it freed): it
    // is the application's way to stop a run.
    auto *notifier =
        new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, QCoreApplication::instance());
    QObject::connect(notifier, &QSocketNotifier::activated, [] {
        unsigned char b = 0;
        while (::read(g_pipe[0], &b, 1) == 1)
            engine::interruptRun(int(b));
    });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (int signo : {SIGINT, SIGTERM, SIGHUP})
        ::sigaction(signo, &sa, nullptr);
    return true;
}

int interruptedExitCode() {
    const int signo = engine::runInterrupted();
    return signo ? 128 + signo : 0;
}

} // namespace sl::app
