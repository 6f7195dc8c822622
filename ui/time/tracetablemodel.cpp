#include "ui/time/tracetablemodel.h"

#include "ui/affinity.h"
#include "ui/stage/kernelmodel.h"
#include "ui/time/timecursor.h"
#include "view/callformat.h"
#include "view/stagestate.h"

#include "script/catalog.h"
#include "sys/errors.h"
#include "sys/kernelprobe.h"

#include <QBrush>
#include <QColor>
#include <algorithm>

namespace sl::ui {

using trace::EventKind;

TraceTableModel::TraceTableModel(TimeCursor *cursor, QObject *parent)
    : QAbstractTableModel(parent)
    , m_cursor(cursor) {
    connect(cursor, &TimeCursor::traceChanged, this, &TraceTableModel::rebuild);
    connect(cursor, &TimeCursor::positionChanged, this, [this](std::size_t pos) {
        grow();
        const std::size_t old = m_pos;
        m_pos = pos;
        if (old == pos || m_count == 0)
            return;
        // Rows between the old and the new position change from past to future.
        const int a = std::max(0, rowForEvent(std::min(old, pos)));
        const int b = std::max(rowForEvent(std::max(old, pos)), a);
        emit dataChanged(index(a, 0), index(std::min(b, int(m_count) - 1), NUM_COLUMNS - 1),
                         {Qt::ForegroundRole});
    });
    rebuild();
}

int TraceTableModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_count);
}

int TraceTableModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant TraceTableModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time (s)");
    case KindColumn:
        return tr("Kind");
    case ActorColumn:
        return tr("Actor");
    case SocketColumn:
        return tr("Socket");
    case LineColumn:
        return tr("Line");
    case DetailsColumn:
        return tr("Details");
    }
    return {};
}

std::size_t TraceTableModel::eventIndex(int row) const {
    return m_filter ? std::size_t(m_rows[std::size_t(row)]) : std::size_t(row);
}

int TraceTableModel::rowForEvent(std::size_t event) const {
    if (!m_filter)
        return int(std::min(event, m_count)) - (event >= m_count ? 1 : 0);
    const auto it = std::upper_bound(m_rows.begin(), m_rows.end(), event);
    return int(it - m_rows.begin()) - 1;
}

void TraceTableModel::setKindFilter(std::optional<trace::EventKind> kind) {
    SL_ASSERT_OWN_THREAD();
    if (kind == m_filter)
        return;
    m_filter = kind;
    rebuild();
}

// Names for the Actor and Socket columns, and the filter's index: the only per-event
// work, once per event.
void TraceTableModel::scan(const trace::Trace &t, std::size_t end) {
    for (; m_scanned < end; ++m_scanned) {
        const trace::Event &e = t.event(m_scanned);
        if (e.kind == EventKind::ActorNew) {
            if (m_actors.size() <= e.actor)
                m_actors.resize(e.actor + 1);
            m_actors[e.actor] = shownText(t.text(e.text.a));
        } else if (e.kind == EventKind::SocketNew && e.sock >= 0) {
            m_sockets.insert(e.sock, shownText(t.text(e.socket.name)));
        }
        if (m_filter && e.kind == *m_filter)
            m_rows.push_back(std::uint32_t(m_scanned));
    }
}

void TraceTableModel::rebuild() {
    SL_ASSERT_OWN_THREAD();
    beginResetModel();
    m_rows.clear();
    m_actors.clear();
    m_sockets.clear();
    m_count = 0;
    m_scanned = 0;
    m_pos = m_cursor ? m_cursor->position() : 0;
    const trace::Trace *t = m_cursor ? m_cursor->trace() : nullptr;
    const std::size_t end = t ? std::min(m_cursor->end(), t->size()) : 0;
    if (t)
        scan(*t, end);
    m_count = m_filter ? m_rows.size() : end;
    endResetModel();
}

void TraceTableModel::grow() {
    SL_ASSERT_OWN_THREAD();
    const trace::Trace *t = m_cursor ? m_cursor->trace() : nullptr;
    if (!t)
        return;
    const std::size_t end = std::min(m_cursor->end(), t->size());
    const std::size_t firstNewRow = m_count;
    scan(*t, end);
    const std::size_t newCount = m_filter ? m_rows.size() : m_scanned;
    if (newCount > m_count) {
        // One insertion for the whole batch.
        beginInsertRows({}, int(firstNewRow), int(newCount) - 1);
        m_count = newCount;
        endInsertRows();
    }
}

QString TraceTableModel::sockName(int sock) const {
    if (sock < 0)
        return {};
    const QString n = m_sockets.value(sock);
    return n.isEmpty() ? QStringLiteral("#%1").arg(sock) : n;
}

static QString num(std::int32_t v) {
    return v < 0 ? TraceTableModel::tr("n/a") : QString::number(v);
}

QString TraceTableModel::sampleText(const trace::SampleData &s) const {
    const QString ready = readinessText(s.readiness);
    const QString state = QString::fromLatin1(sys::tcpStateName(sys::TcpState(s.state)));
    if (s.listener)
        return tr("%1  accept queue %2 / backlog %3  [%4]")
            .arg(state, num(s.acceptQ), num(s.backlog), ready);
    return tr("%1  sendQ %2 (unsent %3) / SO_SNDBUF %4  recvQ %5 / SO_RCVBUF %6  [%7]")
        .arg(state, num(s.sendQ), num(s.unsent), num(s.sndbuf), num(s.recvQ), num(s.rcvbuf), ready);
}

QString TraceTableModel::details(const trace::Event &e) const {
    const trace::Trace &t = *m_cursor->trace();
    const auto sets = [&](const trace::SelectData &d) {
        QStringList parts;
        static const char *const names[] = {"r", "w", "x"};
        for (int k = 0; k < 3; ++k) {
            QStringList ids;
            const QString text = t.text(d.sets[k]); // the views below point into it
            for (const QStringView id : QStringView(text).split(u',', Qt::SkipEmptyParts))
                ids << sockName(id.toInt());
            parts << QStringLiteral("%1=[%2]").arg(QLatin1String(names[k]),
                                                   ids.join(QStringLiteral(", ")));
        }
        return parts.join(u' ');
    };
    switch (e.kind) {
    case EventKind::ActorNew:
        return t.text(e.text.a);
    case EventKind::ActorStatus: {
        static const char *const states[] = {QT_TR_NOOP("idle"), QT_TR_NOOP("running"),
                                             QT_TR_NOOP("blocked"), QT_TR_NOOP("done")};
        QString s = tr(states[std::min<int>(e.status.status, 3)]);
        if (e.status.status == std::uint8_t(trace::ActorState::Blocked))
            s += tr(" in %1()").arg(QLatin1String(script::callName(script::CallId(e.status.call))));
        if (const QString w = t.text(e.status.wchan); !w.isEmpty())
            s += tr("  (kernel wait point %1)").arg(w);
        return s;
    }
    case EventKind::SocketNew:
        if (e.socket.kernelOnly)
            return tr("kernel-only socket (no descriptor)");
        return tr("fd %1  %2").arg(e.socket.fd).arg(t.text(e.socket.name));
    case EventKind::SocketInfo:
        return QStringLiteral("%1 → %2").arg(t.text(e.socket.local), t.text(e.socket.peer));
    case EventKind::SocketClose:
        return e.socket.kernelOnly ? tr("gone from the kernel") : tr("descriptor closed");
    case EventKind::CallBegin:
        return callText(t, e);
    case EventKind::CallEnd: {
        const script::CallId id = script::CallId(e.call.call);
        const QString call = id == script::CallId::Block
                                 ? tr("block at line %1").arg(e.line)
                                 : QString(QLatin1String(script::callName(id)) + u"()");
        QString s = QStringLiteral("%1 → %2").arg(call, resultText(e));
        if (e.call.flags & trace::CallPartial)
            s += tr("  partial: %L1 of %L2 bytes").arg(e.call.moved).arg(e.call.asked);
        if (e.call.durNs >= 0)
            s += tr("  took %1 ms").arg(e.call.durNs / 1e6, 0, 'f', 3);
        return s;
    }
    case EventKind::Sample:
        return sampleText(e.sample);
    case EventKind::StateChange:
        return QStringLiteral("%1 → %2").arg(
            QLatin1String(sys::tcpStateName(sys::TcpState(e.state.from))),
            QLatin1String(sys::tcpStateName(sys::TcpState(e.state.to))));
    case EventKind::SelectIn:
        return sets(e.select) + (e.select.timeoutNs < 0
                                     ? tr("  timeout None")
                                     : tr("  timeout %1 s").arg(e.select.timeoutNs / 1e9));
    case EventKind::SelectOut:
        return sets(e.select);
    case EventKind::Say:
    case EventKind::Note:
        return t.text(e.text.a);
    case EventKind::Expect:
        return (e.expect.passed ? tr("ok: %1") : tr("FAILED: %1")).arg(t.text(e.expect.text)) +
               (e.expect.detail ? QStringLiteral("  (%1)").arg(t.text(e.expect.detail))
                                : QString());
    case EventKind::StepBegin:
    case EventKind::StepEnd:
    case EventKind::Count_:
        break;
    }
    return {};
}

QVariant TraceTableModel::data(const QModelIndex &index, int role) const {
    SL_ASSERT_OWN_THREAD();
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_cursor || !m_cursor->trace())
        return {};
    const std::size_t i = eventIndex(index.row());
    const trace::Event &e = m_cursor->trace()->event(i);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QString::number(e.tNs / 1e9, 'f', 6);
        case KindColumn:
            return QString(QLatin1String(trace::eventKindName(e.kind)));
        case ActorColumn:
            return e.actor < m_actors.size() ? m_actors[e.actor] : QString();
        case SocketColumn:
            return sockName(e.sock);
        case LineColumn:
            return e.line ? QVariant(int(e.line)) : QVariant();
        case DetailsColumn:
            return shownText(details(e), MaxShownDetails); // a cell, not a document
        }
        break;
    case Qt::ForegroundRole:
        if (i >= m_pos)
            return QBrush(QColor(0x9a, 0x9a, 0x9a)); // after the cursor
        if (e.kind == EventKind::CallEnd && e.call.err && index.column() == DetailsColumn)
            return QBrush(QColor(0xc0, 0x39, 0x2b));
        break;
    case Qt::ToolTipRole:
        if (index.column() == DetailsColumn && e.kind == EventKind::CallEnd && e.call.err)
            return sys::describeErrno(e.call.err);
        break;
    case EventIndexRole:
        return qulonglong(i);
    case KindRole:
        return int(e.kind);
    }
    return {};
}

} // namespace sl::ui
