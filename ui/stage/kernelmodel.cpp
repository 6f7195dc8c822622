#include "ui/stage/kernelmodel.h"

#include "ui/affinity.h"
#include "ui/time/timecursor.h"

#include "sys/kernelprobe.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <algorithm>
#include <sys/socket.h>
#include <unordered_set>

namespace sl::ui {

void followCursor(StageState &state, const trace::Trace &trace, std::size_t pos) {
    if (pos < state.cursor)
        state = buildStageState(trace, pos);
    else
        state.advance(trace, pos);
}

QString kernelNumber(std::int64_t v) {
    return v < 0 ? KernelModel::tr("n/a") : QStringLiteral("%L1").arg(v);
}

QString readinessText(std::uint8_t bits) {
    QStringList parts;
    if (bits & sys::Readable)
        parts << QStringLiteral("R");
    if (bits & sys::Writable)
        parts << QStringLiteral("W");
    if (bits & sys::Error)
        parts << QStringLiteral(
            "ERR"); // POLLERR, as the stage's light says (not select()'s exceptional set)
    if (bits & sys::HangUp)
        parts << QStringLiteral("HUP");
    if (bits & sys::PeerClosed)
        parts << QStringLiteral("RDHUP");
    return parts.isEmpty() ? QStringLiteral("–") : parts.join(u' ');
}

QString netidText(const SocketSnap &s) {
    if (s.domain == 0)
        return QStringLiteral("pipe");
    if (s.domain == AF_UNIX)
        return QStringLiteral("unix");
    return s.type == SOCK_DGRAM ? QStringLiteral("udp") : QStringLiteral("tcp");
}

KernelModel::KernelModel(TimeCursor *cursor, QObject *parent)
    : QAbstractTableModel(parent)
    , m_cursor(cursor) {
    connect(cursor, &TimeCursor::traceChanged, this, &KernelModel::rebuild);
    connect(cursor, &TimeCursor::positionChanged, this, &KernelModel::update);
    rebuild();
}

int KernelModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int KernelModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant KernelModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && (section == RecvQColumn || section == SendQColumn))
        return tr("Bytes in the queue. For a listener, as in ss: Recv-Q is the accept queue "
                  "and Send-Q the backlog.");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NetidColumn:
        return tr("Netid");
    case StateColumn:
        return tr("State");
    case RecvQColumn:
        return tr("Recv-Q");
    case SendQColumn:
        return tr("Send-Q");
    case LocalColumn:
        return tr("Local address:port");
    case PeerColumn:
        return tr("Peer address:port");
    case OwnerColumn:
        return tr("Owner");
    }
    return {};
}

std::vector<int> KernelModel::wantedRows() const {
    std::vector<int> ids;
    for (const SocketSnap &s : m_state.sockets)
        if (!s.closed)
            ids.push_back(s.id);
    return ids;
}

void KernelModel::rebuild() {
    SL_ASSERT_OWN_THREAD();
    beginResetModel();
    m_state.clear();
    if (m_cursor && m_cursor->trace())
        m_state = buildStageState(*m_cursor->trace(), m_cursor->position());
    m_rows = wantedRows();
    endResetModel();
}

void KernelModel::update() {
    SL_ASSERT_OWN_THREAD();
    if (!m_cursor || !m_cursor->trace())
        return;
    followCursor(m_state, *m_cursor->trace(), m_cursor->position());
    const std::vector<int> want = wantedRows();
    // Membership by hash: a trace may hold thousands of sockets, and a find() per row would
    // make each update quadratic.
    const std::unordered_set<int> wanted(want.begin(), want.end());
    const auto isWanted = [&](int id) { return wanted.count(id) != 0; };
    // Both lists are in order of appearance in the trace: remove the rows that went
    // away (in contiguous ranges, from the back), then insert the new ones where they
    // belong. The common case, a new socket at the end, is one insertion.
    for (int r = int(m_rows.size()) - 1; r >= 0;) {
        if (isWanted(m_rows[std::size_t(r)])) {
            --r;
            continue;
        }
        int first = r;
        while (first > 0 && !isWanted(m_rows[std::size_t(first - 1)]))
            --first;
        beginRemoveRows({}, first, r);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + r + 1);
        endRemoveRows();
        r = first - 1;
    }
    for (std::size_t i = 0; i < want.size();) {
        if (i < m_rows.size() && m_rows[i] == want[i]) {
            ++i;
            continue;
        }
        std::size_t j = i; // want[i..j) are new here
        while (j < want.size() && (i >= m_rows.size() || want[j] != m_rows[i]))
            ++j;
        beginInsertRows({}, int(i), int(j) - 1);
        m_rows.insert(m_rows.begin() + std::ptrdiff_t(i), want.begin() + std::ptrdiff_t(i),
                      want.begin() + std::ptrdiff_t(j));
        endInsertRows();
        i = j;
    }
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, NUM_COLUMNS - 1));
}

QVariant KernelModel::data(const QModelIndex &index, int role) const {
    SL_ASSERT_OWN_THREAD();
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const SocketSnap *s = m_state.socket(m_rows[std::size_t(index.row())]);
    if (!s)
        return {};
    const trace::SampleData &d = s->sample;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NetidColumn:
            return netidText(*s);
        case StateColumn:
            if (!s->hasSample)
                return tr("n/a");
            if (d.state == 0)
                return s->type == SOCK_DGRAM ? tr("UNCONN") : tr("n/a");
            return QString(QLatin1String(sys::tcpStateName(sys::TcpState(d.state))));
        case RecvQColumn:
            return s->hasSample ? kernelNumber(d.listener ? d.acceptQ : d.recvQ) : tr("n/a");
        case SendQColumn:
            return s->hasSample ? kernelNumber(d.listener ? d.backlog : d.sendQ) : tr("n/a");
        case LocalColumn:
            return s->local.isEmpty() ? QStringLiteral("*") : s->local;
        case PeerColumn:
            return s->peer.isEmpty() ? QStringLiteral("*") : s->peer;
        case OwnerColumn: {
            if (s->kernelOnly || s->fd < 0)
                return tr("no descriptor");
            const QString actor = s->actor >= 0 && std::size_t(s->actor) < m_state.actors.size()
                                      ? m_state.actors[std::size_t(s->actor)].name
                                      : QString();
            return actor.isEmpty() ? tr("fd %1 %2").arg(s->fd).arg(s->name)
                                   : tr("fd %1 %2 (%3)").arg(s->fd).arg(s->name, actor);
        }
        }
        break;
    case Qt::ForegroundRole:
        if (s->kernelOnly)
            return QBrush(QColor(0x80, 0x80, 0x80));
        break;
    case Qt::FontRole:
        if (s->kernelOnly) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        break;
    case Qt::ToolTipRole:
        if (s->kernelOnly)
            return tr("Seen only through sock_diag: the kernel keeps this connection, but no "
                      "descriptor of the lab refers to it.");
        break;
    case SocketIdRole:
        return s->id;
    case KernelOnlyRole:
        return s->kernelOnly;
    }
    return {};
}

} // namespace sl::ui
