#include "engine/donequeue.h"

namespace sl::engine {

void DoneQueue::push(Item item) {
    std::lock_guard lock(m_mutex);
    if (!m_target)
        return;
    m_items.push_back(std::move(item));
    // One wake-up per batch: the target takes everything waiting when it runs. Posted
    // under the lock so detach() cannot slip between the check and the post.
    if (m_items.size() == 1)
        QMetaObject::invokeMethod(m_target, m_method, Qt::QueuedConnection);
}

std::vector<DoneQueue::Item> DoneQueue::take() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_items, {});
}

void DoneQueue::detach() {
    std::lock_guard lock(m_mutex);
    m_target = nullptr;
    m_items.clear();
}

} // namespace sl::engine
