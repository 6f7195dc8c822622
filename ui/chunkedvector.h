// ChunkedVector<T>: an append-only array in fixed chunks of ChunkSize elements, for the
// per-event arrays the GUI thread grows while a long trace streams in (the sequence's
// rows and calls, the timeline's ticks). Appending never moves what is stored: a
// std::vector of a million rows copies all of them when it doubles (tens of
// milliseconds on the event loop, issue 13 U2); here a full chunk is followed by a new
// one and only the small table of chunk pointers grows. Random access is one shift and
// one mask; iterators are random access, so std::lower_bound and partition_point work.
//
// Thread affinity: none of its own (the owner's). T must be default-constructible.
#pragma once

#include <cstddef>
#include <iterator> // (not <compare>: Qt 6.4 moc cannot parse <concepts>)
#include <memory>
#include <vector>

namespace sl::ui {

template <typename T, std::size_t ChunkBits = 14>
class ChunkedVector {
public:
    static constexpr std::size_t ChunkSize = std::size_t(1) << ChunkBits;

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    T &operator[](std::size_t i) { return m_chunks[i >> ChunkBits][i & (ChunkSize - 1)]; }
    const T &operator[](std::size_t i) const {
        return m_chunks[i >> ChunkBits][i & (ChunkSize - 1)];
    }
    T &back() { return (*this)[m_size - 1]; }
    const T &back() const { return (*this)[m_size - 1]; }
    void push_back(const T &v) {
        if ((m_size >> ChunkBits) == m_chunks.size())
            m_chunks.push_back(std::make_unique<T[]>(ChunkSize));
        (*this)[m_size++] = v;
    }
    void clear() {
        m_chunks.clear();
        m_size = 0;
    }

    template <typename C, typename V>
    class Iter {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = std::remove_const_t<V>;
        using difference_type = std::ptrdiff_t;
        using pointer = V *;
        using reference = V &;
        Iter() = default;
        Iter(C *c, std::size_t i)
            : m_c(c)
            , m_i(i) {}
        reference operator*() const { return (*m_c)[m_i]; }
        pointer operator->() const { return &(*m_c)[m_i]; }
        reference operator[](difference_type n) const { return (*m_c)[m_i + n]; }
        Iter &operator++() { return ++m_i, *this; }
        Iter operator++(int) { return Iter(m_c, m_i++); }
        Iter &operator--() { return --m_i, *this; }
        Iter operator--(int) { return Iter(m_c, m_i--); }
        Iter &operator+=(difference_type n) { return m_i += n, *this; }
        Iter &operator-=(difference_type n) { return m_i -= n, *this; }
        friend Iter operator+(Iter a, difference_type n) { return a += n; }
        friend Iter operator+(difference_type n, Iter a) { return a += n; }
        friend Iter operator-(Iter a, difference_type n) { return a -= n; }
        friend difference_type operator-(const Iter &a, const Iter &b) {
            return difference_type(a.m_i) - difference_type(b.m_i);
        }
        friend bool operator==(const Iter &a, const Iter &b) { return a.m_i == b.m_i; }
        friend bool operator!=(const Iter &a, const Iter &b) { return a.m_i != b.m_i; }
        friend bool operator<(const Iter &a, const Iter &b) { return a.m_i < b.m_i; }
        friend bool operator>(const Iter &a, const Iter &b) { return a.m_i > b.m_i; }
        friend bool operator<=(const Iter &a, const Iter &b) { return a.m_i <= b.m_i; }
        friend bool operator>=(const Iter &a, const Iter &b) { return a.m_i >= b.m_i; }

    private:
        C *m_c = nullptr;
        std::size_t m_i = 0;
    };
    using iterator = Iter<ChunkedVector, T>;
    using const_iterator = Iter<const ChunkedVector, const T>;
    iterator begin() { return {this, 0}; }
    iterator end() { return {this, m_size}; }
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, m_size}; }

private:
    std::vector<std::unique_ptr<T[]>> m_chunks;
    std::size_t m_size = 0;
};

} // namespace sl::ui
