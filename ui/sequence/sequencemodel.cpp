// SequenceModel: building the rows from the trace (cause-and-effect order). The texts
// and roles the views read are in sequencetext.cpp.
#include "ui/sequence/sequencemodel.h"

#include "ui/affinity.h"
#include "ui/time/timecursor.h"
#include "view/stagestate.h"

#include "script/catalog.h"

#include <algorithm>
#include <climits>

namespace sl::ui {

// Call keeps event indices in 32 bits.
static_assert(trace::Trace::MaxChunks * trace::Trace::ChunkSize <= std::size_t(INT32_MAX));

using trace::EventKind;

SequenceModel::SequenceModel(const trace::Trace *trace, QObject *parent)
    : QAbstractTableModel(parent)
    , m_trace(trace) {}

void SequenceModel::setTimeCursor(TimeCursor *cursor) {
    SL_ASSERT_OWN_THREAD();
    m_cursor = cursor;
    connect(cursor, &TimeCursor::traceChanged, this, &SequenceModel::rebuild);
    connect(cursor, &TimeCursor::positionChanged, this, [this](std::size_t pos) {
        const std::size_t fresh = m_consumed;
        if (!m_cursor->isReplay()) // a replayed trace is complete from the start
            consume(m_cursor->end());
        moveTo(pos, fresh);
    });
    rebuild();
}

void SequenceModel::setSourceProvider(std::function<QString()> provider) {
    SL_ASSERT_OWN_THREAD();
    m_source = std::move(provider);
    m_sourceText.clear();
    m_sourceLines.clear();
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

void SequenceModel::setCallOrigin(std::function<QString(std::size_t)> origin) {
    SL_ASSERT_OWN_THREAD();
    m_origin = std::move(origin);
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

// Another trace, or the same one cleared: start again from its first event.
void SequenceModel::rebuild() {
    SL_ASSERT_OWN_THREAD();
    resetRows();
    if (!m_cursor)
        return;
    m_position = m_cursor->position();
    consume(m_cursor->end()); // one insert for a whole replayed trace
}

void SequenceModel::resetRows() {
    beginResetModel();
    if (m_cursor)
        m_trace = m_cursor->trace();
    m_consumed = 0;
    m_calls.clear();
    m_rows.clear();
    m_open.clear();
    m_spans.clear();
    m_pendingSelect.clear();
    m_selectOut.clear();
    m_actors.clear();
    m_sockNames.clear();
    m_sockFds.clear();
    m_sockTypes.clear();
    m_sockLocal.clear();
    m_sockPeer.clear();
    m_firstPeer.clear();
    endResetModel();
}

int SequenceModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SequenceModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : FirstActorColumn + int(m_actors.size());
}

std::size_t SequenceModel::anchorOf(const Row &r) const {
    const Call &c = m_calls[r.call];
    return r.isEnd ? std::size_t(c.end) : std::size_t(c.begin);
}

std::size_t SequenceModel::rowAnchor(int row) const {
    return anchorOf(m_rows[std::size_t(row)]);
}

int SequenceModel::rowActor(int row) const {
    return m_calls[m_rows[std::size_t(row)].call].actor;
}

SequenceModel::RowKind SequenceModel::kindOf(const Row &r) const {
    if (r.isEnd)
        return EndRow;
    return m_calls[r.call].spanned ? StartRow : WholeRow;
}

SequenceModel::Span SequenceModel::spanAt(int row, int actor) const {
    if (actor < 0 || std::size_t(actor) >= m_spans.size())
        return NoSpan;
    const auto &spans = m_spans[std::size_t(actor)];
    const auto it =
        std::upper_bound(spans.begin(), spans.end(), row,
                         [this](int r, std::uint32_t c) { return r < m_calls[c].startRow; });
    if (it == spans.begin())
        return NoSpan;
    const Call &c = m_calls[*(it - 1)];
    const int last = c.lastRow >= 0 ? c.lastRow : INT_MAX;
    if (row == c.startRow)
        return SpanStart;
    if (row < last)
        return SpanMiddle;
    return row == last ? SpanEnd : NoSpan;
}

int SequenceModel::rowAtPosition(std::size_t position) const {
    const auto it = std::partition_point(m_rows.begin(), m_rows.end(),
                                         [&](const Row &r) { return anchorOf(r) < position; });
    return int(it - m_rows.begin()) - 1;
}

void SequenceModel::appendEvents(std::size_t, std::size_t to) {
    SL_ASSERT_OWN_THREAD();
    if (m_cursor && m_cursor->isReplay())
        return; // the lab's feed; the replayed trace was read whole by rebuild()
    consume(to);
}

void SequenceModel::consume(std::size_t to) {
    SL_ASSERT_OWN_THREAD();
    if (!m_trace)
        return;
    to = std::min(to, m_trace->size());
    if (to <= m_consumed)
        return;
    std::vector<Row> added;
    const int base = int(m_rows.size());
    const int actorsBefore = int(m_actors.size());
    int changedMin = INT_MAX, changedMax = -1;
    bool renamed = false;
    const auto ensureActor = [&](std::uint8_t a) {
        while (m_actors.size() <= a)
            m_actors << QString();
        if (m_open.size() <= a) {
            m_open.resize(a + 1);
            m_spans.resize(a + 1);
            m_pendingSelect.resize(a + 1, -1);
        }
    };
    const auto changed = [&](int r) {
        if (r < base) {
            changedMin = std::min(changedMin, r);
            changedMax = std::max(changedMax, r);
        }
    };
    // A call began: every call still open before it now spans rows (it waited while
    // another actor ran, or it is a helper or a block with sub-calls), so its row becomes
    // a start row and its result goes to an end row. Results of other calls arriving
    // meanwhile (end rows) do not split a call: they may be its effects — the b'' that
    // `s.close()` causes is reported before close() itself has returned — and read
    // below it, cause before effect.
    const auto addRow = [&](std::uint32_t call, bool isEnd) {
        const int row = base + int(added.size());
        for (std::size_t a = 0; a < m_open.size() && !isEnd; ++a)
            for (const std::uint32_t open : m_open[a]) {
                Call &c = m_calls[open];
                if (c.spanned || c.startRow >= row)
                    continue;
                c.spanned = true;
                changed(c.startRow);
                if (c.depth == 0)
                    m_spans[a].push_back(open);
            }
        added.push_back({call, isEnd});
        return row;
    };
    for (std::size_t i = m_consumed; i < to; ++i) {
        const trace::Event &e = m_trace->event(i);
        switch (e.kind) {
        case EventKind::ActorNew:
            if (e.actor == trace::NoActor)
                break;
            ensureActor(e.actor);
            renamed = renamed || e.actor < actorsBefore;
            m_actors[e.actor] = shownText(m_trace->text(e.text.a));
            break;
        case EventKind::SocketNew:
            m_sockNames[e.sock] = shownText(m_trace->text(e.socket.name));
            m_sockFds[e.sock] = e.socket.fd;
            m_sockTypes[e.sock] = e.socket.type;
            // accept(), socket(), socketpair() make their sockets before they return.
            if (e.actor < m_open.size() && !m_open[e.actor].empty()) {
                Call &c = m_calls[m_open[e.actor].back()];
                if (c.made < 0)
                    c.made = e.sock;
                if (e.sock == c.made + c.madeCount && c.madeCount < 255)
                    ++c.madeCount;
            }
            break;
        case EventKind::SocketInfo:
            m_sockLocal[e.sock] = e.socket.local;
            m_sockPeer[e.sock] = e.socket.peer;
            if (e.socket.peer && !m_firstPeer.contains(e.sock))
                m_firstPeer[e.sock] = e.socket.peer;
            break;
        case EventKind::SelectIn:
            if (e.actor != trace::NoActor)
                ensureActor(e.actor);
            break;
        case EventKind::ActorStatus:
            if (e.actor < m_open.size() && !m_open[e.actor].empty() &&
                e.status.status == std::uint8_t(trace::ActorState::Blocked)) {
                Call &c = m_calls[m_open[e.actor].back()];
                c.blocked = true;
                changed(c.startRow);
            }
            break;
        case EventKind::CallBegin: {
            if (e.actor == trace::NoActor)
                break;
            ensureActor(e.actor);
            Call c{std::uint32_t(i)};
            c.actor = e.actor;
            c.depth = std::uint8_t(std::min<std::size_t>(m_open[e.actor].size(), 255));
            const auto id = std::uint32_t(m_calls.size());
            m_calls.push_back(c);
            m_calls.back().startRow = addRow(id, false);
            m_open[e.actor].push_back(id);
            break;
        }
        case EventKind::CallEnd: {
            if (e.actor >= m_open.size() || m_open[e.actor].empty())
                break;
            const std::uint32_t id = m_open[e.actor].back();
            m_open[e.actor].pop_back();
            Call &c = m_calls[id];
            c.end = std::int32_t(i);
            c.local = m_sockLocal.value(e.sock);
            c.peer = m_sockPeer.value(e.sock);
            changed(c.startRow);
            const bool block = script::CallId(e.call.call) == script::CallId::Block;
            if (c.spanned && !block) {
                const int row = addRow(id, true); // the result where the call returned
                m_calls[id].endRow = row;
                m_calls[id].lastRow = row;
            } else {
                m_calls[id].lastRow = base + int(added.size()) - 1;
            }
            if (script::CallId(e.call.call) == script::CallId::Select)
                m_pendingSelect[e.actor] = int(id); // SelectOut follows the CallEnd
            break;
        }
        case EventKind::SelectOut:
            if (e.actor < m_pendingSelect.size() && m_pendingSelect[e.actor] >= 0) {
                Call &c = m_calls[std::size_t(m_pendingSelect[e.actor])];
                m_selectOut.insert(c.begin, std::int32_t(i));
                changed(c.endRow >= 0 ? c.endRow : c.startRow);
                m_pendingSelect[e.actor] = -1;
            }
            break;
        default:
            break;
        }
    }
    m_consumed = std::max(m_consumed, to);
    if (int(m_actors.size()) > actorsBefore) {
        // The names are already in m_actors; the columns appear in one insert.
        const QStringList names = m_actors;
        m_actors = names.mid(0, actorsBefore);
        beginInsertColumns({}, FirstActorColumn + actorsBefore,
                           FirstActorColumn + int(names.size()) - 1);
        m_actors = names;
        endInsertColumns();
    }
    if (renamed)
        emit headerDataChanged(Qt::Horizontal, FirstActorColumn, columnCount() - 1);
    if (!added.empty()) {
        beginInsertRows({}, base, base + int(added.size()) - 1);
        for (const Row &r : added)
            m_rows.push_back(r);
        endInsertRows();
    }
    if (changedMax >= 0) {
        // The rows between a start row and the end of the batch: their span marks changed.
        emit dataChanged(index(changedMin, 0), index(base - 1, columnCount() - 1));
    }
    emit consumed(m_consumed);
}

void SequenceModel::setPosition(std::size_t position) {
    SL_ASSERT_OWN_THREAD();
    moveTo(position, m_consumed);
}

void SequenceModel::moveTo(std::size_t position, std::size_t fresh) {
    const std::size_t old = m_position;
    m_position = position;
    // Only rows with an event between the two positions read differently: none if every
    // such event is past the rows, or came in with this very batch (live, the cursor
    // following the end: those rows were inserted or reported a moment ago). Otherwise
    // all rows, in one signal (a view repaints what it shows; nothing is per row).
    if (old == position || m_rows.empty() || std::min(old, position) >= fresh)
        return;
    emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

void SequenceModel::clear() {
    SL_ASSERT_OWN_THREAD();
    if (m_cursor && m_cursor->isReplay())
        return; // the lab was reset; the replay is not the lab's
    resetRows();
}

} // namespace sl::ui
