// CardRects: where each card of the stage was laid out by the last paint, for hit
// testing, for the links between cards, and for the check that a link would pass behind
// another card — which asks only the cards near the link, not all of them (U1: with
// 4,000 sockets a std::map rebuilt every paint and a scan of every card per link).
//
// A lane's cards are a grid: card i of the lane at row i / cols and column i % cols,
// rows `pitch` apart from `top`, so the cards near a box are found by arithmetic.
//
// Ownership: a value member of StageView. Thread affinity: the GUI thread.
#pragma once

#include <QRectF>
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace sl::ui {

class CardRects {
public:
    void clear() {
        for (const auto &[id, r] : m_cards)
            if (id >= 0 && std::size_t(id) < m_at.size())
                m_at[std::size_t(id)] = -1;
        m_cards.clear();
        m_lanes.clear();
    }
    void beginLane(qreal left, qreal right, qreal top, qreal pitch, int cols) {
        m_lanes.push_back({left, right, top, pitch, std::max(cols, 1), m_cards.size(), 0});
    }
    // The next card of the lane begun last.
    void add(int id, const QRectF &r) {
        if (id >= 0 && id < MaxIndexed) {
            if (std::size_t(id) >= m_at.size())
                m_at.resize(std::size_t(id) + 1, -1);
            m_at[std::size_t(id)] = int(m_cards.size());
        }
        m_cards.emplace_back(id, r);
        if (!m_lanes.empty())
            ++m_lanes.back().count;
    }
    const QRectF *find(int id) const {
        if (id >= 0 && std::size_t(id) < m_at.size()) {
            const int k = m_at[std::size_t(id)];
            return k >= 0 ? &m_cards[std::size_t(k)].second : nullptr;
        }
        if (id >= 0 && id < MaxIndexed)
            return nullptr;
        for (const auto &[cid, r] : m_cards) // an id beyond the index: rare, searched
            if (cid == id)
                return &r;
        return nullptr;
    }
    bool contains(int id) const { return find(id) != nullptr; }
    const std::vector<std::pair<int, QRectF>> &all() const { return m_cards; }

    // Calls f(id, rect) for the cards that may intersect box: every card that does, and
    // a few neighbours (callers test the rect themselves).
    template <typename F>
    void near(const QRectF &box, F f) const {
        for (const Lane &l : m_lanes) {
            if (l.right < box.left() - 1 || l.left > box.right() + 1)
                continue;
            std::size_t from = 0, to = l.count;
            if (l.pitch > 0) {
                // One row of slack each way: cards are snapped to device pixels.
                const double r0 = std::floor((box.top() - l.top) / l.pitch) - 1;
                const double r1 = std::floor((box.bottom() - l.top) / l.pitch) + 1;
                if (r1 < 0)
                    continue;
                from = r0 <= 0 ? 0 : std::size_t(r0) * std::size_t(l.cols);
                to = std::size_t(std::min<double>(double(l.count), (r1 + 1) * l.cols));
            }
            for (std::size_t k = from; k < to; ++k) {
                const auto &[id, r] = m_cards[l.first + k];
                f(id, r);
            }
        }
    }

private:
    static constexpr int MaxIndexed = 1 << 22; // lab socket ids are small and dense
    struct Lane {
        qreal left, right, top, pitch;
        int cols;
        std::size_t first, count;
    };
    std::vector<std::pair<int, QRectF>> m_cards; // in lane order
    std::vector<Lane> m_lanes;
    std::vector<int> m_at; // id -> index in m_cards, -1 when not laid out
};

} // namespace sl::ui
