// SIGINT, SIGTERM and SIGHUP in the CLI: the handler only writes the signal number to a
// self-pipe (async-signal-safe); a QSocketNotifier on the pipe's read end hands it to
// engine::interruptRun() on the main thread, from its event loop, where the run stops,
// writes its trace and resets its lab. A second signal of the same kind while the first
// is being handled takes the default action at once (the process ends by it).
//
// Thread affinity: main thread, after the Q(Core)Application exists.
#pragma once

namespace sl::app {

// Installs the handlers; returns false (and leaves the default actions) if the pipe
// cannot be made.
bool installInterruptHandlers();
// The exit status for an interrupted run: 128 + the signal (130, 143, 129), else 0.
int interruptedExitCode();

} // namespace sl::app
