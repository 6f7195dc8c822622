// What the actors of one lab share: the program, the names, the sockets, the trace,
// the options and the stop flag. Owned by Lab; actors hold a reference for their
// whole life (Lab joins them before it destroys the context).
//
// Thread affinity: every member is thread-safe as documented on its type.
#pragma once

#include "engine/sockettable.h"
#include "engine/value.h"
#include "engine/wire.h"
#include "script/ast.h"
#include "trace/trace.h"

#include <QStringList>
#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace sl::engine {

struct LabOptions {
    bool allowLan = false;     // bind/connect beyond loopback (off: a clear error instead)
    int graceMs = 150;         // a call still running after this is reported blocked
    int sampleIntervalMs = 10; // sampler rate while the lab has sockets
};

// Names shared by all actors, like the globals of one Python process.
class Env {
public:
    void resize(int slots);
    bool get(int slot, Value *out) const; // false when not assigned yet
    void set(int slot, Value v);
    void clear();

private:
    mutable std::mutex m_mutex;
    std::vector<Value> m_values;
    std::vector<char> m_set;
};

enum class ActorRun : std::uint8_t { Idle, Running, Blocked };

struct ActorInfo {
    QString name;
    std::atomic<ActorRun> run{ActorRun::Idle};
    std::atomic<std::uint16_t> call{0};   // CallId in progress (0 none)
    std::atomic<std::int64_t> sinceNs{0}; // trace time the call began
    std::atomic<int> tid{0};              // kernel thread id (for /proc/self/task)
    std::atomic<int> line{0};             // script line being executed
};

struct LabContext {
    explicit LabContext(trace::Trace &t)
        : trace(t)
        , sockets(t) {}
    // Atomic: Lab::perform() swaps in a longer program while actors run (the old one
    // stays alive until reset(), so a stale pointer is still valid).
    std::atomic<const script::Program *> program{nullptr};
    trace::Trace &trace;
    SocketTable sockets;
    Env env;
    LabOptions options;
    std::array<ActorInfo, 64> actors; // indexed by Program::actors
    int actorCount = 0;

    // reset(): actors stop between statements and sleeps wake up.
    std::atomic<bool> stopping{false};
    std::mutex sleepMutex;
    std::condition_variable sleepWake;

    // The relays of Wire(…): declared last, so they stop before the sockets close.
    WireSet wires;
};

} // namespace sl::engine
