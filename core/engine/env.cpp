#include "engine/context.h"

namespace sl::engine {

void Env::resize(int count) {
    std::lock_guard lock(m_mutex);
    // Keeps the values it has: Lab::perform() grows the names of a running experiment.
    m_values.resize(std::size_t(std::max(0, count)));
    m_set.resize(std::size_t(std::max(0, count)), 0);
}

bool Env::get(int slot, Value *out) const {
    std::lock_guard lock(m_mutex);
    if (slot < 0 || std::size_t(slot) >= m_values.size() || !m_set[std::size_t(slot)])
        return false;
    *out = m_values[std::size_t(slot)];
    return true;
}

void Env::set(int slot, Value v) {
    Value old; // released outside the lock: it may be the last owner of a big buffer
    std::lock_guard lock(m_mutex);
    if (slot < 0)
        return;
    if (std::size_t(slot) >= m_values.size()) {
        m_values.resize(std::size_t(slot) + 1);
        m_set.resize(std::size_t(slot) + 1, 0);
    }
    old = std::move(m_values[std::size_t(slot)]);
    m_values[std::size_t(slot)] = std::move(v);
    m_set[std::size_t(slot)] = 1;
}

void Env::clear() {
    std::vector<Value> old;
    std::lock_guard lock(m_mutex);
    old.swap(m_values);
    m_values.assign(old.size(), Value());
    m_set.assign(old.size(), 0);
}

} // namespace sl::engine
