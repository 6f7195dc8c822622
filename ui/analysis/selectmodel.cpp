#include "ui/analysis/selectmodel.h"

#include "ui/affinity.h"
#include "ui/time/timecursor.h"
#include "view/stagestate.h"

#include "script/catalog.h"
#include "sys/errors.h"
#include "sys/kernelprobe.h"

#include <QBrush>
#include <QColor>
#include <QCoreApplication>
#include <QFont>
#include <algorithm>

namespace sl::ui {

using trace::EventKind;

namespace {

std::vector<int> parseIds(const QString &text) {
    std::vector<int> ids;
    for (const QStringView part : QStringView(text).split(u',', Qt::SkipEmptyParts))
        ids.push_back(part.toInt());
    return ids;
}

QString seconds(std::int64_t ns) {
    if (ns < 1'000'000)
        return SelectModel::tr("%1 µs").arg(ns / 1e3, 0, 'f', 0);
    if (ns < 1'000'000'000)
        return SelectModel::tr("%1 ms").arg(ns / 1e6, 0, 'f', 1);
    return SelectModel::tr("%1 s").arg(ns / 1e9, 0, 'f', 2);
}

} // namespace

QString selectReason(int set, bool ready, const trace::SampleData &s) {
    using namespace sys;
    QStringList why;
    const bool listener = s.listener != 0;
    if (set == 0) {
        if (ready) {
            if (listener && s.acceptQ > 0)
                why << (s.acceptQ == 1
                            ? SelectModel::tr("a connection to accept")
                            : SelectModel::tr("%1 connections to accept").arg(s.acceptQ));
            if (s.recvQ > 0)
                why << SelectModel::tr("data waiting (%L1 bytes)").arg(s.recvQ);
            if (s.readiness & PeerClosed)
                why << SelectModel::tr("peer closed (recv will return b'')");
            else if (s.readiness & HangUp)
                why << SelectModel::tr(
                    "hung up: not connected or shut down both ways (recv returns b'')");
            if (s.readiness & Error)
                why << SelectModel::tr("error pending");
        } else {
            why << (listener ? SelectModel::tr("no connection waiting")
                             : SelectModel::tr("nothing to read"));
        }
    } else if (set == 1) {
        if (ready) {
            if (s.readiness & Writable) {
                if (s.sndbuf > 0 && s.sendQ >= 0)
                    why << SelectModel::tr("buffer space (%L1 of %L2 free)")
                               .arg(std::max(0, s.sndbuf - s.sendQ))
                               .arg(s.sndbuf);
                else
                    why << SelectModel::tr("buffer space");
            }
            if (s.readiness & Error)
                why << SelectModel::tr("error pending");
        } else if (listener) {
            why << SelectModel::tr("a listener is never writable");
        } else if (s.sendQ > 0) {
            why << SelectModel::tr("send buffer full (%L1 bytes queued, SO_SNDBUF %L2)")
                       .arg(s.sendQ)
                       .arg(s.sndbuf);
        } else {
            why << SelectModel::tr("not writable");
        }
    } else {
        why << (ready ? SelectModel::tr("urgent (out-of-band) data")
                      : SelectModel::tr(
                            "no urgent data (errors are reported in the read and write sets)"));
    }
    if (why.isEmpty()) // ready, but the last sample did not show why (taken before the change)
        why << SelectModel::tr("ready (the last sample did not show it yet)");
    return why.join(QStringLiteral("; "));
}

bool isSelectLike(script::CallId id) {
    using script::CallId;
    return id == CallId::Select || id == CallId::PollWait || id == CallId::EpollWait ||
           id == CallId::SelectorSelect;
}

QString selectCallName(script::CallId id) {
    switch (id) {
    case script::CallId::PollWait:
        return QStringLiteral("poll()");
    case script::CallId::EpollWait:
        return QStringLiteral("epoll.poll()");
    case script::CallId::SelectorSelect:
        return QStringLiteral("selector.select()");
    default:
        return QStringLiteral("select()");
    }
}

SelectModel::SelectModel(TimeCursor *cursor, QObject *parent)
    : QAbstractItemModel(parent)
    , m_cursor(cursor) {
    connect(cursor, &TimeCursor::traceChanged, this, &SelectModel::rebuild);
    connect(cursor, &TimeCursor::positionChanged, this, &SelectModel::onPosition);
    rebuild();
}

QString SelectModel::socketName(int sock) const {
    const QString n = m_names.value(sock);
    return n.isEmpty() ? QStringLiteral("#%1").arg(sock) : n;
}

void SelectModel::rebuild() {
    SL_ASSERT_OWN_THREAD();
    beginResetModel();
    m_calls.clear();
    m_shownDone.clear();
    m_names.clear();
    m_actors.clear();
    m_last.clear();
    m_pending.clear();
    m_scanned = 0;
    m_shown = 0;
    m_pos = m_cursor ? m_cursor->position() : 0;
    if (m_cursor && m_cursor->trace()) {
        scanTo(m_cursor->end());
        while (m_shown < int(m_calls.size()) && m_calls[std::size_t(m_shown)].inEvent < m_pos) {
            m_shownDone.push_back(completeAt(m_calls[std::size_t(m_shown)], m_pos));
            ++m_shown;
        }
    }
    endResetModel();
}

void SelectModel::scanTo(std::size_t end) {
    const trace::Trace &t = *m_cursor->trace();
    end = std::min(end, t.size());
    for (; m_scanned < end; ++m_scanned) {
        const trace::Event &e = t.event(m_scanned);
        switch (e.kind) {
        case EventKind::ActorNew:
            if (m_actors.size() <= e.actor)
                m_actors.resize(e.actor + 1);
            m_actors[e.actor] = shownText(t.text(e.text.a));
            break;
        case EventKind::SocketNew:
            if (e.sock >= 0)
                m_names.insert(e.sock, shownText(t.text(e.socket.name)));
            break;
        case EventKind::Sample:
            if (e.sock >= 0)
                m_last.insert(e.sock, e.sample);
            break;
        case EventKind::SelectIn: {
            SelectCall c;
            c.inEvent = m_scanned;
            c.actor = e.actor;
            c.line = e.line;
            c.tIn = e.tNs;
            c.timeoutNs = e.select.timeoutNs;
            for (int k = 0; k < 3; ++k) {
                c.in[k] = parseIds(t.text(e.select.sets[k]));
                for (int id : c.in[k])
                    c.entries.push_back({id, k});
            }
            if (e.actor != trace::NoActor) {
                if (m_pending.size() <= e.actor)
                    m_pending.resize(e.actor + 1, -1);
                m_pending[e.actor] = int(m_calls.size());
            }
            m_calls.push_back(std::move(c));
            break;
        }
        case EventKind::CallBegin: // the call right after its SelectIn names it
            if (isSelectLike(script::CallId(e.call.call)) && e.actor < m_pending.size() &&
                m_pending[e.actor] >= 0)
                m_calls[std::size_t(m_pending[e.actor])].call = script::CallId(e.call.call);
            break;
        case EventKind::CallEnd: {
            if (!isSelectLike(script::CallId(e.call.call)) || e.actor >= m_pending.size() ||
                m_pending[e.actor] < 0)
                break;
            SelectCall &c = m_calls[std::size_t(m_pending[e.actor])];
            c.durNs = e.call.durNs;
            c.err = e.call.err;
            if (c.err) { // select() raised: there is no SelectOut
                c.outEvent = std::int64_t(m_scanned);
                m_pending[e.actor] = -1;
            }
            break;
        }
        case EventKind::SelectOut: {
            if (e.actor >= m_pending.size() || m_pending[e.actor] < 0)
                break;
            SelectCall &c = m_calls[std::size_t(m_pending[e.actor])];
            m_pending[e.actor] = -1;
            c.outEvent = std::int64_t(m_scanned);
            for (int k = 0; k < 3; ++k)
                c.out[k] = parseIds(t.text(e.select.sets[k]));
            for (SelectEntry &en : c.entries) {
                const auto &out = c.out[en.set];
                en.ready = std::find(out.begin(), out.end(), en.sock) != out.end();
                if (const auto last = m_last.constFind(en.sock); last != m_last.cend()) {
                    en.hasSample = true;
                    en.sample = *last;
                }
            }
            if (c.durNs < 0)
                c.durNs = e.tNs - c.tIn;
            break;
        }
        default:
            break;
        }
    }
}

void SelectModel::onPosition(std::size_t pos) {
    SL_ASSERT_OWN_THREAD();
    if (!m_cursor || !m_cursor->trace())
        return;
    scanTo(m_cursor->end());
    m_pos = pos;
    int want = 0;
    {
        // Calls are indexed in trace order, so the shown ones are a prefix.
        auto it =
            std::lower_bound(m_calls.begin(), m_calls.end(), pos,
                             [](const SelectCall &c, std::size_t p) { return c.inEvent < p; });
        want = int(it - m_calls.begin());
    }
    if (want < m_shown) {
        beginRemoveRows({}, want, m_shown - 1);
        m_shown = want;
        m_shownDone.resize(std::size_t(want));
        endRemoveRows();
    }
    // Calls that returned (or went back to "in the call") at the new position.
    for (int r = 0; r < m_shown; ++r) {
        const char done = completeAt(m_calls[std::size_t(r)], pos);
        if (done == m_shownDone[std::size_t(r)])
            continue;
        m_shownDone[std::size_t(r)] = done;
        emit dataChanged(index(r, 0), index(r, NUM_COLUMNS - 1));
        const int n = int(m_calls[std::size_t(r)].entries.size());
        if (n > 0) {
            const QModelIndex p = index(r, 0);
            emit dataChanged(index(0, 0, p), index(n - 1, NUM_COLUMNS - 1, p));
        }
    }
    if (want > m_shown) {
        beginInsertRows({}, m_shown, want - 1);
        for (int r = m_shown; r < want; ++r)
            m_shownDone.push_back(completeAt(m_calls[std::size_t(r)], pos));
        m_shown = want;
        endInsertRows();
    }
}

QModelIndex SelectModel::index(int row, int column, const QModelIndex &parent) const {
    if (column < 0 || column >= NUM_COLUMNS || row < 0)
        return {};
    if (!parent.isValid())
        return row < m_shown ? createIndex(row, column, quintptr(0)) : QModelIndex();
    if (parent.internalId() != 0 || parent.row() >= m_shown)
        return {};
    if (row >= int(m_calls[std::size_t(parent.row())].entries.size()))
        return {};
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex SelectModel::parent(const QModelIndex &child) const {
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int SelectModel::rowCount(const QModelIndex &parent) const {
    if (!parent.isValid())
        return m_shown;
    if (parent.internalId() != 0 || parent.column() != 0)
        return 0;
    return int(m_calls[std::size_t(parent.row())].entries.size());
}

int SelectModel::columnCount(const QModelIndex &) const {
    return NUM_COLUMNS;
}

QVariant SelectModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o == Qt::Horizontal && role == Qt::ToolTipRole) {
        // One meaning per sign: the exceptional set is not the stage's ERR light.
        if (section == InColumn || section == WhyColumn)
            return tr("Read set: recv() or accept() would not block. Write set: send() would not "
                      "block. Exception set: urgent (out-of-band) data is waiting (POLLPRI) — "
                      "not an error; a pending error (the stage's ERR light) makes a socket "
                      "readable and writable instead.");
        return {};
    }
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case CallColumn:
        return tr("Call / socket");
    case InColumn:
        return tr("Passed in");
    case OutColumn:
        return tr("Returned");
    case WhyColumn:
        return tr("Why");
    case TimeoutColumn:
        return tr("Timeout");
    case TookColumn:
        return tr("Took");
    }
    return {};
}

QString SelectModel::setText(const std::vector<int> &ids) const {
    QStringList names;
    for (int id : ids)
        names << socketName(id);
    return u'[' + names.join(QStringLiteral(", ")) + u']';
}

QString SelectModel::setsText(const std::vector<int> (&sets)[3]) const {
    return QStringLiteral("r=%1 w=%2 x=%3")
        .arg(setText(sets[0]), setText(sets[1]), setText(sets[2]));
}

QVariant SelectModel::data(const QModelIndex &idx, int role) const {
    SL_ASSERT_OWN_THREAD();
    if (!checkIndex(idx, CheckIndexOption::IndexIsValid))
        return {};
    if (idx.internalId() == 0)
        return callData(m_calls[std::size_t(idx.row())], idx.column(), role);
    const SelectCall &c = m_calls[std::size_t(idx.internalId() - 1)];
    return entryData(c, c.entries[std::size_t(idx.row())], idx.column(), role);
}

QVariant SelectModel::callData(const SelectCall &c, int column, int role) const {
    const bool done = completeAt(c, m_pos);
    if (role == EndEventRole)
        return qlonglong(c.outEvent);
    if (role == Qt::FontRole && column == CallColumn) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::ToolTipRole && column == CallColumn) {
        if (c.call != script::CallId::Select)
            // The same three sets for a poll/epoll wait: asked for POLLIN is the read
            // set, POLLOUT the write set; POLLHUP and POLLERR come back in either.
            return tr("Double-click to move the time cursor to where %1 returned. Its sockets "
                      "are shown as select() sets: asked for POLLIN (EVENT_READ) in the read "
                      "set, POLLOUT (EVENT_WRITE) in the write set; a hang-up or an error "
                      "comes back in both.")
                .arg(selectCallName(c.call));
        return tr("Double-click to move the time cursor to where this select() returned.");
    }
    if (role == Qt::ToolTipRole && column == TimeoutColumn)
        return c.timeoutNs < 0    ? tr("No timeout: select() waits until a socket is ready.")
               : c.timeoutNs == 0 ? tr("A zero timeout: select() only looks and never waits.")
                                  : tr("select() waits at most this long.");
    if (role == Qt::ToolTipRole && (column == InColumn || column == OutColumn))
        return callData(c, column, Qt::DisplayRole); // the sets may not fit
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case CallColumn: {
        const QString actor = c.actor < m_actors.size() ? m_actors[c.actor] : QString();
        return tr("line %1  %2  %3").arg(c.line).arg(actor, selectCallName(c.call));
    }
    case InColumn:
        return setsText(c.in);
    case OutColumn:
        if (!done)
            return QStringLiteral("…");
        if (c.err)
            return tr("→ %1").arg(sys::describeErrno(c.err));
        return QString(QStringLiteral("→ ") + setsText(c.out));
    case TimeoutColumn:
        if (c.timeoutNs < 0)
            return tr("None");
        if (c.timeoutNs == 0)
            return tr("0 (poll)");
        return seconds(c.timeoutNs);
    case TookColumn:
        return done && c.durNs >= 0 ? seconds(c.durNs) : QStringLiteral("…");
    }
    return {};
}

QVariant SelectModel::entryData(const SelectCall &c, const SelectEntry &e, int column,
                                int role) const {
    const bool done = completeAt(c, m_pos) && !c.err;
    switch (role) {
    case ReadyRole:
        return done && e.ready;
    case SocketRole:
        return e.sock;
    case Qt::ForegroundRole:
        if (column == OutColumn && done)
            return QBrush(e.ready ? QColor(0x2e, 0x9d, 0x4f) : QColor(0x8a, 0x8a, 0x8a));
        return {};
    case Qt::DisplayRole:
    case Qt::ToolTipRole: // a long reason may not fit
        break;
    default:
        return {};
    }
    switch (column) {
    case CallColumn:
        return socketName(e.sock);
    case InColumn: {
        static const char *const sets[] = {
            QT_TRANSLATE_NOOP("sl::ui::SelectModel", "read set"),
            QT_TRANSLATE_NOOP("sl::ui::SelectModel", "write set"),
            QT_TRANSLATE_NOOP("sl::ui::SelectModel", "exception set")};
        return SelectModel::tr(sets[e.set]);
    }
    case OutColumn:
        if (!done)
            return QStringLiteral("…");
        return e.ready ? tr("ready") : tr("not ready");
    case WhyColumn:
        if (!done)
            return QString();
        if (!e.hasSample)
            return e.ready ? tr("ready (no kernel sample of it yet)")
                           : tr("not ready (no kernel sample of it yet)");
        return selectReason(e.set, e.ready, e.sample);
    }
    return {};
}

} // namespace sl::ui
