#include "ui/sequencemodel.h"

#include "ui/callformat.h"

#include "script/catalog.h"
#include "sys/errors.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace sl::ui {

using trace::EventKind;

SequenceModel::SequenceModel(const trace::Trace *trace, QObject *parent)
    : QAbstractTableModel(parent)
    , m_trace(trace) {}

int SequenceModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SequenceModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant SequenceModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case ActorColumn:
        return tr("Actor");
    case CallColumn:
        return tr("Call");
    case ResultColumn:
        return tr("Result");
    }
    return {};
}

QString SequenceModel::socketPrefix(int sock) const {
    const QString name = m_sockNames.value(sock);
    return name.isEmpty() ? QString() : name + u'.';
}

QVariant SequenceModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    const trace::Event &b = m_trace->event(row.begin);
    const trace::Event *e = row.end >= 0 ? &m_trace->event(std::size_t(row.end)) : nullptr;
    const bool partial = e && (e->call.flags & trace::CallPartial);
    const int err = e ? e->call.err : 0;

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QString::number(b.tNs / 1e9, 'f', 3);
        case ActorColumn:
            return m_actors.value(b.actor);
        case CallColumn:
            return QString(socketPrefix(b.sock) + callText(*m_trace, b));
        case ResultColumn:
            return e ? QString(QStringLiteral("→ ") + resultText(*e)) : QStringLiteral("…");
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == ResultColumn && partial)
            return tr("partial: %L1 of %L2 bytes").arg(e->call.moved).arg(e->call.asked);
        if (index.column() == ResultColumn && err)
            return sys::describeErrno(err);
        return cCallText(*m_trace, b, m_sockFds.value(b.sock, -1));
    case Qt::FontRole:
        if (index.column() == ResultColumn && (partial || err)) {
            QFont f;
            f.setBold(true);
            return f;
        }
        break;
    case Qt::BackgroundRole:
        if (partial)
            return QBrush(QColor(255, 193, 7, 90)); // amber: translucent on light and dark
        if (err)
            return QBrush(QColor(220, 53, 69, 60));
        break;
    case PartialRole:
        return partial;
    case ErrnoRole:
        return err;
    case BeginEventRole:
        return qulonglong(row.begin);
    case EndedRole:
        return e != nullptr;
    }
    return {};
}

void SequenceModel::appendEvents(std::size_t from, std::size_t to) {
    std::vector<Row> added;
    const int base = int(m_rows.size());
    int changedMin = base, changedMax = -1;
    for (std::size_t i = from; i < to; ++i) {
        const trace::Event &e = m_trace->event(i);
        switch (e.kind) {
        case EventKind::ActorNew:
            while (m_actors.size() <= e.actor)
                m_actors << QString();
            m_actors[e.actor] = m_trace->text(e.text.a);
            break;
        case EventKind::SocketNew:
            m_sockNames[e.sock] = m_trace->text(e.socket.name);
            m_sockFds[e.sock] = e.socket.fd;
            break;
        case EventKind::CallBegin: {
            if (e.actor == trace::NoActor)
                break;
            if (m_open.size() <= e.actor)
                m_open.resize(e.actor + 1);
            m_open[e.actor].push_back(base + int(added.size()));
            added.push_back({std::uint32_t(i)});
            break;
        }
        case EventKind::CallEnd: {
            if (e.actor >= m_open.size() || m_open[e.actor].empty())
                break;
            const int r = m_open[e.actor].back();
            m_open[e.actor].pop_back();
            if (r >= base) {
                added[std::size_t(r - base)].end = std::int64_t(i);
            } else {
                m_rows[std::size_t(r)].end = std::int64_t(i);
                changedMin = std::min(changedMin, r);
                changedMax = std::max(changedMax, r);
            }
            break;
        }
        default:
            break;
        }
    }
    if (!added.empty()) {
        beginInsertRows({}, base, base + int(added.size()) - 1);
        m_rows.insert(m_rows.end(), added.begin(), added.end());
        endInsertRows();
    }
    if (changedMax >= 0)
        emit dataChanged(index(changedMin, 0), index(changedMax, NUM_COLUMNS - 1));
}

void SequenceModel::clear() {
    beginResetModel();
    m_rows.clear();
    m_open.clear();
    m_actors.clear();
    m_sockNames.clear();
    m_sockFds.clear();
    endResetModel();
}

} // namespace sl::ui
