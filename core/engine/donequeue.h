// DoneQueue: hands finished steps from the actors' threads to the Lab's thread.
//
// Why not QMetaObject::invokeMethod with a capturing lambda: the lambda's captures
// (the step's outcome) would be written on the actor's thread and read on the Lab's,
// ordered only by Qt's event queue, whose futex-based locks ThreadSanitizer cannot
// see — every step would be reported as a race and real races would drown. Here the
// data goes through a std::mutex (visible to TSan), and Qt only carries a wake-up
// that names a method and holds no data of ours.
//
// Ownership: shared by the Lab and every Actor's completion callback, so an actor
// that reset() had to abandon (never woken) can still report after its Lab is gone:
// detach() makes later push()es drop their item.
//
// Thread affinity: push() from any thread; take() and detach() on the target's thread.
#pragma once

#include "engine/actor.h"

#include <QObject>
#include <cstdint>
#include <mutex>
#include <vector>

namespace sl::engine {

class DoneQueue {
public:
    struct Item {
        std::uint64_t generation;
        int actor;
        int step;
        StepOutcome outcome;
    };

    // method: an invokable of target, called (queued) when items are waiting.
    DoneQueue(QObject *target, const char *method)
        : m_target(target)
        , m_method(method) {}

    void push(Item item);
    std::vector<Item> take();
    void detach();

private:
    std::mutex m_mutex;
    QObject *m_target;    // null once detached
    const char *m_method; // a string literal
    std::vector<Item> m_items;
};

} // namespace sl::engine
