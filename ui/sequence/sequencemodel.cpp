#include "ui/sequence/sequencemodel.h"

#include "ui/affinity.h"
#include "ui/time/timecursor.h"
#include "view/callformat.h"
#include "view/stagestate.h"

#include "script/catalog.h"
#include "sys/errors.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>
#include <algorithm>

namespace sl::ui {

namespace {
// The application's palette (the views' palette unless a window sets its own).
bool darkPalette() {
    return QGuiApplication::palette().color(QPalette::Base).lightnessF() < 0.5;
}

// `tint` mixed into the base colour: 40 % on a light base, 22 % on a dark one.
QColor rowTint(const QColor &tint) {
    const QColor base = QGuiApplication::palette().color(QPalette::Base);
    const float t = darkPalette() ? 0.22f : 0.4f;
    return QColor::fromRgbF(base.redF() + (tint.redF() - base.redF()) * t,
                            base.greenF() + (tint.greenF() - base.greenF()) * t,
                            base.blueF() + (tint.blueF() - base.blueF()) * t);
}
} // namespace

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
    m_rows.clear();
    m_ends.clear();
    m_open.clear();
    m_pendingSelect.clear();
    m_pendingSelIn.clear();
    m_actors.clear();
    m_sockNames.clear();
    m_sockFds.clear();
    endResetModel();
}

int SequenceModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SequenceModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : FirstActorColumn + int(m_actors.size());
}

QVariant SequenceModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    if (section == TimeColumn)
        return tr("Time (s)");
    const QString name = m_actors.value(section - FirstActorColumn);
    return name.isEmpty() ? tr("actor %1").arg(section - FirstActorColumn) : name;
}

QString SequenceModel::socketPrefix(int sock) const {
    const QString name = m_sockNames.value(sock);
    return name.isEmpty() ? QString() : name + u'.';
}

QString SequenceModel::socketSet(trace::StrRef ids) const {
    QStringList names;
    const QString text = m_trace->text(ids);
    for (const QString &id : text.split(u',', Qt::SkipEmptyParts)) {
        const QString name = m_sockNames.value(id.toInt());
        names << (name.isEmpty() ? QStringLiteral("#") + id : name);
    }
    return u'[' + names.join(QStringLiteral(", ")) + u']';
}

QString SequenceModel::selectText(const Row &r, bool ended) const {
    if (!ended || r.selOut < 0 || std::size_t(r.selOut) >= m_position)
        return {};
    const trace::Event &out = m_trace->event(std::size_t(r.selOut));
    return QStringLiteral("r=%1 w=%2 x=%3")
        .arg(socketSet(out.select.sets[0]), socketSet(out.select.sets[1]),
             socketSet(out.select.sets[2]));
}

QString SequenceModel::cellText(int row) const {
    const Row &r = m_rows[std::size_t(row)];
    const trace::Event &b = m_trace->event(r.begin);
    QString text;
    if (r.depth > 0)
        text = QString(2 * (r.depth - 1), u' ') + QStringLiteral("  ↳ ");
    text += socketPrefix(b.sock) + callText(*m_trace, b);
    if (std::size_t(r.begin) >= m_position)
        return text; // not begun yet at the cursor
    if (!endedAt(r))
        return text + QStringLiteral(" …");
    const trace::Event &e = m_trace->event(std::size_t(r.end));
    QString result = e.call.err ? QString() : selectText(r, true);
    if (result.isEmpty())
        result = resultText(e);
    return text + QStringLiteral(" → ") + result;
}

QString SequenceModel::toolTip(const Row &r) const {
    const trace::Event &b = m_trace->event(r.begin);
    QString tip = cCallText(*m_trace, b, m_sockFds.value(b.sock, -1));
    if (!endedAt(r))
        return tip;
    const trace::Event &e = m_trace->event(std::size_t(r.end));
    if (e.call.flags & trace::CallPartial)
        tip += u'\n' + tr("partial: %L1 of %L2 bytes").arg(e.call.moved).arg(e.call.asked);
    if (e.call.err)
        tip += u'\n' + sys::describeErrno(e.call.err);
    return tip;
}

QVariant SequenceModel::data(const QModelIndex &index, int role) const {
    SL_ASSERT_OWN_THREAD();
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows[std::size_t(index.row())];
    const bool ended = endedAt(row);
    const trace::Event *e = ended ? &m_trace->event(std::size_t(row.end)) : nullptr;
    const bool partial = e && (e->call.flags & trace::CallPartial);
    const int err = e ? e->call.err : 0;
    const bool future = std::size_t(row.begin) >= m_position;
    const bool own = index.column() == FirstActorColumn + row.actor;

    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == TimeColumn)
            return QString::number(m_trace->event(row.begin).tNs / 1e9, 'f', 3);
        return own ? cellText(index.row()) : QString();
    case Qt::ToolTipRole:
        return own || index.column() == TimeColumn ? toolTip(row) : QVariant();
    case Qt::FontRole:
        if (own && (partial || err)) {
            QFont f;
            f.setBold(true);
            return f;
        }
        break;
    case Qt::BackgroundRole:
        // A tint mixed into the palette's base, opaque: a light amber on a light palette,
        // a dim one on a dark palette (where a translucent amber turns brown).
        if (own && (partial || err))
            return QBrush(rowTint(partial ? QColor(255, 193, 7) : QColor(220, 53, 69)));
        break;
    case Qt::ForegroundRole:
        if (future)
            return QBrush(QColor(128, 128, 128));
        // On a dark palette the colour is carried by the text (bold, light amber / red).
        if (own && (partial || err) && darkPalette())
            return QBrush(partial ? QColor(0xff, 0xd5, 0x4f) : QColor(0xff, 0x8a, 0x80));
        break;
    case PartialRole:
        return partial;
    case ErrnoRole:
        return err;
    case BeginEventRole:
        return qulonglong(row.begin);
    case EndedRole:
        return ended;
    case EndEventRole:
        return qlonglong(row.end);
    case DepthRole:
        return int(row.depth);
    case ActorRole:
        return int(row.actor);
    case CursorPositionRole:
        // Just after the call returned; a call still open: just after it began.
        return qulonglong(row.end >= 0 ? std::size_t(row.end) + 1 : std::size_t(row.begin) + 1);
    case FutureRole:
        return future;
    }
    return {};
}

int SequenceModel::rowAtPosition(std::size_t position) const {
    const auto b = std::upper_bound(m_rows.begin(), m_rows.end(), position,
                                    [](std::size_t p, const Row &r) { return p <= r.begin; });
    const int byBegin = int(b - m_rows.begin()) - 1;
    const auto e = std::upper_bound(
        m_ends.begin(), m_ends.end(), position,
        [](std::size_t p, const std::pair<std::uint32_t, int> &x) { return p <= x.first; });
    if (e == m_ends.begin())
        return byBegin;
    const auto &[endIndex, endRow] = *(e - 1);
    return byBegin >= 0 && m_rows[std::size_t(byBegin)].begin > endIndex ? byBegin : endRow;
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
    std::vector<Row> added;
    const int base = int(m_rows.size());
    const int actorsBefore = int(m_actors.size());
    int changedMin = base, changedMax = -1;
    bool renamed = false;
    const auto ensureActor = [&](std::uint8_t a) {
        while (m_actors.size() <= a)
            m_actors << QString();
        if (m_open.size() <= a) {
            m_open.resize(a + 1);
            m_pendingSelect.resize(a + 1, -1);
            m_pendingSelIn.resize(a + 1, -1);
        }
    };
    const auto rowRef = [&](int r) -> Row & {
        if (r >= base)
            return added[std::size_t(r - base)];
        changedMin = std::min(changedMin, r);
        changedMax = std::max(changedMax, r);
        return m_rows[std::size_t(r)];
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
            break;
        case EventKind::SelectIn:
            if (e.actor != trace::NoActor) {
                ensureActor(e.actor);
                m_pendingSelIn[e.actor] = std::int64_t(i);
            }
            break;
        case EventKind::CallBegin: {
            if (e.actor == trace::NoActor)
                break;
            ensureActor(e.actor);
            Row row{std::uint32_t(i)};
            row.actor = e.actor;
            row.depth = std::uint8_t(std::min<std::size_t>(m_open[e.actor].size(), 255));
            if (script::CallId(e.call.call) == script::CallId::Select) {
                row.selIn = m_pendingSelIn[e.actor];
                m_pendingSelIn[e.actor] = -1;
            }
            m_open[e.actor].push_back(base + int(added.size()));
            added.push_back(row);
            break;
        }
        case EventKind::CallEnd: {
            if (e.actor >= m_open.size() || m_open[e.actor].empty())
                break;
            const int r = m_open[e.actor].back();
            m_open[e.actor].pop_back();
            Row &row = rowRef(r);
            row.end = std::int64_t(i);
            m_ends.emplace_back(std::uint32_t(i), r);
            if (script::CallId(e.call.call) == script::CallId::Select)
                m_pendingSelect[e.actor] = r; // SelectOut follows the CallEnd
            break;
        }
        case EventKind::SelectOut:
            if (e.actor < m_pendingSelect.size() && m_pendingSelect[e.actor] >= 0) {
                rowRef(m_pendingSelect[e.actor]).selOut = std::int64_t(i);
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
        m_rows.insert(m_rows.end(), added.begin(), added.end());
        endInsertRows();
    }
    if (changedMax >= 0)
        emit dataChanged(index(changedMin, 0), index(changedMax, columnCount() - 1));
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
