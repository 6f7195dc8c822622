// What the actors of one lab share: the program, the names, the sockets, the trace,
// the options and the stop flag. Owned by Lab; actors hold a reference for their
// whole life (Lab joins them before it destroys the context).
//
// Thread affinity: every member is thread-safe as documented on its type.
#pragma once

#include "engine/forks.h"
#include "engine/sockettable.h"
#include "engine/value.h"
#include "engine/wire.h"
#include "script/ast.h"
#include "script/limits.h"
#include "trace/trace.h"

#include <QStringList>
#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace sl::engine {

// Set them before the run (setOptions() while actors run is not synchronized).
struct LabOptions {
    bool allowLan = false; // bind/connect beyond loopback (off: a clear error instead)
    // A step is first looked at after graceMs. It is reported Blocked only when the
    // kernel shows its thread asleep in a system call that can block for the call it
    // is in (/proc/self/task/TID/{stat,syscall}); elapsed time alone decides nothing,
    // so a slow machine cannot make a trivial listen() look blocked or running.
    int graceMs = 150;
    // A block step (for/while/if) whose thread has spent this much CPU time since the
    // step began, on a CPU and not in a blocking call, is reported Running (a busy
    // loop). CPU time, not wall time: a thread that waits for a CPU uses none.
    int busyCpuMs = 300;
    // Last resort: a step that is neither done, blocked nor busy after this long is
    // reported Running (it goes on in the background).
    int maxWaitMs = 10000;
    // Lab::stepAndWait() waits for a step's own bound (`wait N`, `within N`,
    // maxWaitMs for an actor's step) plus this margin before it gives up.
    int stepSlackMs = 10000;
    int stepBoundCapMs = 0;    // tests only: caps a step's own bound (0: no cap)
    int sampleIntervalMs = 10; // sampler rate while the lab has sockets
    // Tests only: called on an actor's thread before each of its steps (actor index,
    // step index), inside the step: it can slow the actor down (burn CPU, sleep) or
    // throw, as a loaded machine or a failing allocation would.
    std::function<void(int actor, int step)> actorHook;
    // Tests only: called when an actor is found blocked, between the trace's Blocked
    // event and the actor's state (on the sampler's or the lab's thread).
    std::function<void(int actor)> blockedHook;
};

// Names shared by all actors, like the globals of one Python process.
//
// Every slot has its own lock, on its own cache line: actors that use different names
// (the usual case: each its own socket and buffers) never wait for each other nor
// bounce a shared line between CPUs. Slots live in chunks that never move, so the
// names can grow (resize, or set past the end) while actors read and write.
class Env {
public:
    Env();
    ~Env();
    Env(const Env &) = delete;
    Env &operator=(const Env &) = delete;

    void resize(int slots);               // grows; keeps the values it has
    bool get(int slot, Value *out) const; // false when not assigned yet
    // The same, copy-constructed (not assigned over a default Value): a name read's path.
    std::optional<Value> get(int slot) const;
    // The same returned directly: copy-constructed under the lock into the caller's
    // return slot (no move out of an optional, no second Value to destroy); when the
    // name is not assigned, what orElse() returns (called after the lock is released).
    template <class F>
    Value readOr(int index, F &&orElse) const {
        const Slot *s = slot(index);
        if (s) {
            s->lock();
            if (s->assigned) {
                const Unlock unlock{s}; // runs after the copy into the return value
                return s->value;
            }
            s->unlock();
        }
        return orElse();
    }
    // Swaps v into the slot: v leaves with the old value, which its owner releases
    // outside the lock (it may be the last owner of a big buffer). By reference: an
    // assignment's value is not moved again on its way in.
    void set(int slot, Value &&v);
    void set(int slot, const Value &v) { set(slot, Value(v)); }
    bool take(int slot, Value *out); // `del name`: unassigns; false when not assigned
    // Runs f(const Value &) -> bool on the name's value under its lock, without a copy:
    // the interpreter's scalar fast paths (`while total < n`, `if not data`, len(data)).
    // f must be a few loads (the lock is a spinlock other actors wait on): no
    // allocation, no call back into the interpreter, no other lock. False when not
    // assigned or when f answers false (not handled: the caller takes the general path).
    template <class F>
    bool peek(int index, F &&f) const {
        const Slot *s = slot(index);
        if (!s)
            return false;
        s->lock();
        const bool handled = s->assigned && f(s->value);
        s->unlock();
        return handled;
    }
    // The same with f(Value &): changes the value in place under the lock (`total +=
    // len(data)` on an int: one read-modify-write, where get() then set() was two).
    template <class F>
    bool modify(int index, F &&f) {
        Slot *s = slot(index);
        if (!s)
            return false;
        s->lock();
        const bool handled = s->assigned && f(s->value);
        s->unlock();
        return handled;
    }
    // Calls f(const Value &) on every assigned name (a copy, taken under the slot's lock).
    template <class F>
    void forEach(F &&f) const {
        for (std::size_t c = 0; c < MaxChunks; ++c) {
            Slot *chunk = m_chunks[c].load(std::memory_order_acquire);
            if (!chunk)
                continue;
            for (std::size_t k = 0; k < ChunkSlots; ++k) {
                Value v;
                chunk[k].lock();
                const bool assigned = chunk[k].assigned;
                if (assigned)
                    v = chunk[k].value;
                chunk[k].unlock();
                if (assigned)
                    f(v);
            }
        }
    }
    void clear(); // every name unassigned
    // os.fork() (forks.cpp): every slot's lock is taken before fork() and released after
    // it in both processes, so the child never inherits a slot locked by a thread it does
    // not have. Slot locks are leaves (held for one Value copy), so this cannot deadlock.
    void lockAllForFork();
    void unlockAllAfterFork();

private:
    struct alignas(64) Slot {
        mutable std::atomic<bool> locked{false};
        bool assigned = false;
        Value value;
        void lock() const { // uncontended: one exchange, inline
            if (locked.exchange(true, std::memory_order_acquire))
                lockContended();
        }
        void lockContended() const;
        void unlock() const { locked.store(false, std::memory_order_release); }
    };
    struct Unlock {
        const Slot *s;
        ~Unlock() { s->unlock(); }
    };
    static constexpr std::size_t ChunkSlots = 64;
    static constexpr std::size_t MaxChunks = 4096; // 262,144 names
    // nullptr when not allocated. Inline: every name read and write asks it.
    Slot *slot(int index) const {
        if (index < 0 || std::size_t(index) >= MaxChunks * ChunkSlots)
            return nullptr;
        Slot *chunk = m_chunks[std::size_t(index) / ChunkSlots].load(std::memory_order_acquire);
        return chunk ? chunk + std::size_t(index) % ChunkSlots : nullptr;
    }
    Slot *slotForWrite(int index); // allocates its chunk

    std::unique_ptr<std::atomic<Slot *>[]> m_chunks; // MaxChunks, each ChunkSlots Slots
    std::mutex m_growMutex;                          // allocating chunks
};

enum class ActorRun : std::uint8_t { Idle, Running, Blocked };

struct ActorInfo {
    QString name;
    std::atomic<ActorRun> run{ActorRun::Idle};
    std::atomic<std::uint16_t> call{0};   // CallId in progress (0 none)
    std::atomic<std::int64_t> sinceNs{0}; // trace time the call began
    std::atomic<int> tid{0};              // kernel thread id (for /proc/self/task)
    std::atomic<int> line{0};             // script line being executed
    std::atomic<int> step{-1};            // the step it runs (-1 none)
    // Its thread's CPU clock (pthread_getcpuclockid) and that clock's reading when
    // `step` began: how much CPU a step has used tells a busy loop from a slow start.
    std::atomic<int> cpuClock{0};
    std::atomic<std::int64_t> stepCpuNs{0};

    // How its last finished step ended (error_of() / exception_of()): set by its thread
    // before it reports the step done, so a lab step that saw the step end sees this.
    void setOutcome(bool ok, int err, const QString &exception) {
        std::lock_guard lock(outcomeMutex);
        lastOk = ok;
        lastErr = err;
        lastException = exception;
    }
    void outcome(bool *ok, int *err, QString *exception) const {
        std::lock_guard lock(outcomeMutex);
        *ok = lastOk;
        *err = lastErr;
        *exception = lastException;
    }

private:
    mutable std::mutex outcomeMutex;
    bool lastOk = true;
    int lastErr = 0;
    QString lastException;
};

struct LabContext {
    explicit LabContext(trace::Trace &t)
        : trace(t)
        , sockets(t)
        , forks(t) {}
    // Atomic: Lab::perform() swaps in a longer program while actors run (the old one
    // stays alive until reset(), so a stale pointer is still valid).
    std::atomic<const script::Program *> program{nullptr};
    trace::Trace &trace;
    SocketTable sockets;
    Env env;
    LabOptions options;
    std::array<ActorInfo, script::MaxActors> actors; // indexed by Program::actors
    int actorCount = 0;

    // reset(): actors stop between statements and sleeps wake up.
    std::atomic<bool> stopping{false};
    std::mutex sleepMutex;
    std::condition_variable sleepWake;

    // The processes os.fork() made (forks.h): their readers append to the trace, so they
    // are declared after it and stop (ForkSet's destructor) before the sockets close.
    ForkSet forks;

    // The relays of Wire(…): declared last, so they stop before the sockets close.
    WireSet wires;
};

} // namespace sl::engine
