// SequenceModel: what its rows read (texts, tooltips, colours and roles). The rows
// themselves are built in sequencemodel.cpp.
#include "ui/sequence/sequencemodel.h"

#include "ui/affinity.h"
#include "view/callformat.h"
#include "view/stagestate.h"

#include "script/catalog.h"
#include "sys/errors.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

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

QString SequenceModel::selectText(const Call &c) const {
    const std::int32_t selOut = m_selectOut.value(c.begin, -1);
    if (!endedAt(c) || selOut < 0 || std::size_t(selOut) >= m_position)
        return {};
    const trace::Event &out = m_trace->event(std::size_t(selOut));
    return QStringLiteral("r=%1 w=%2 x=%3")
        .arg(socketSet(out.select.sets[0]), socketSet(out.select.sets[1]),
             socketSet(out.select.sets[2]));
}

QString SequenceModel::sourceLine(int line) const {
    if (!m_source || line <= 0)
        return {};
    const QString text = m_source();
    if (text != m_sourceText) {
        m_sourceText = text;
        m_sourceLines = text.split(u'\n');
    }
    return m_sourceLines.value(line - 1);
}

CallContext SequenceModel::contextOf(const Call &c) const {
    CallContext ctx;
    const trace::Event &b = m_trace->event(c.begin);
    ctx.sockType = m_sockTypes.value(b.sock);
    ctx.local = m_trace->text(c.local);
    ctx.peer = m_trace->text(c.peer);
    if (c.made >= 0) {
        ctx.made = m_sockNames.value(c.made);
        ctx.madePeer = m_trace->text(m_firstPeer.value(c.made));
        for (int k = 0; k < c.madeCount; ++k)
            ctx.madeNames << m_sockNames.value(c.made + k);
    }
    return ctx;
}

bool SequenceModel::isEof(const Call &c) const {
    return c.end >= 0 && isEndOfFile(m_trace->event(std::size_t(c.end)),
                                     m_sockTypes.value(m_trace->event(c.begin).sock));
}

QString SequenceModel::cellText(int row) const {
    const Row &r = m_rows[std::size_t(row)];
    const Call &c = m_calls[r.call];
    const trace::Event &b = m_trace->event(c.begin);
    const auto id = script::CallId(b.call.call);
    QString text;
    if (c.depth > 0)
        text = QString(2 * (c.depth - 1), u' ') + QStringLiteral("  ↳ ");
    if (id == script::CallId::Block)
        return text + callText(*m_trace, b, sourceLine(b.line));
    // A traced program's call: the Python line that made it, then the C call (the line
    // names the socket already).
    const QString origin = m_origin ? m_origin(c.begin) : QString();
    if (!origin.isEmpty())
        text += origin + QStringLiteral("  ▸ ") + callText(*m_trace, b);
    else
        text += socketPrefix(b.sock) + callText(*m_trace, b);
    if (anchorOf(r) >= m_position)
        return text; // not there yet at the cursor
    if (kindOf(r) == StartRow) {
        // Where it began; its result is on its end row, where it returned.
        text += QStringLiteral(" …");
        if (c.blocked) {
            text += QStringLiteral("  ") + tr("blocked");
            if (endedAt(c))
                text += QStringLiteral(" %1 s").arg(
                    m_trace->event(std::size_t(c.end)).call.durNs / 1e9, 0, 'f', 3);
        }
        return text;
    }
    if (!endedAt(c))
        return text + QStringLiteral(" …");
    const trace::Event &e = m_trace->event(std::size_t(c.end));
    QString result = e.call.err ? QString() : selectText(c);
    if (result.isEmpty())
        result = pythonResult(*m_trace, e, contextOf(c));
    return text + QStringLiteral(" → ") + result;
}

QString SequenceModel::toolTip(const Row &r) const {
    const Call &c = m_calls[r.call];
    const trace::Event &b = m_trace->event(c.begin);
    QString tip = cCallText(*m_trace, b, m_sockFds.value(b.sock, -1));
    if (!endedAt(c))
        return tip;
    const trace::Event &e = m_trace->event(std::size_t(c.end));
    if (isEof(c))
        tip += u'\n' + tr("returned 0 bytes: the peer closed its side, nothing more will come");
    else if (e.call.flags & trace::CallPartial)
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
    const Call &call = m_calls[row.call];
    const RowKind kind = kindOf(row);
    const bool ended = endedAt(call);
    const bool resultRow = kind != StartRow;
    // event() decodes a copy: keep it here for as long as e points at it.
    const trace::Event endEvent =
        ended && resultRow ? m_trace->event(std::size_t(call.end)) : trace::Event();
    const trace::Event *e = ended && resultRow ? &endEvent : nullptr;
    const bool eof = e && isEof(call);
    const bool partial = e && (e->call.flags & trace::CallPartial) && !eof;
    const int err = e ? e->call.err : 0;
    const std::size_t anchor = anchorOf(row);
    const bool future = anchor >= m_position;
    const bool own = index.column() == FirstActorColumn + call.actor;

    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == TimeColumn)
            return QString::number(m_trace->event(anchor).tNs / 1e9, 'f', 3);
        return own ? cellText(index.row()) : QString();
    case Qt::ToolTipRole:
        return own || index.column() == TimeColumn ? toolTip(row) : QVariant();
    case Qt::FontRole:
        if (own && (partial || err || eof)) {
            QFont f;
            f.setBold(true);
            return f;
        }
        break;
    case Qt::BackgroundRole:
        // A tint mixed into the palette's base, opaque: a light amber on a light palette,
        // a dim one on a dark palette (where a translucent amber turns brown). The end of
        // file is a light blue: an event, not a warning.
        if (own && (partial || err || eof))
            return QBrush(rowTint(eof       ? QColor(66, 133, 244)
                                  : partial ? QColor(255, 193, 7)
                                            : QColor(220, 53, 69)));
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
        return qulonglong(call.begin);
    case EndedRole:
        return ended;
    case EndEventRole:
        return qlonglong(call.end);
    case DepthRole:
        return int(call.depth);
    case ActorRole:
        return int(call.actor);
    case CursorPositionRole:
        // Just after the event the row stands for; a whole row: just after the call
        // returned (or began, while it is still open).
        if (kind == WholeRow && call.end >= 0)
            return qulonglong(call.end + 1);
        return qulonglong(anchor + 1);
    case FutureRole:
        return future;
    case RowKindRole:
        return int(kind);
    case AnchorEventRole:
        return qulonglong(anchor);
    case SpanRole:
        return index.column() >= FirstActorColumn
                   ? int(spanAt(index.row(), index.column() - FirstActorColumn))
                   : int(NoSpan);
    case EndOfFileRole:
        return eof;
    case PairRowRole:
        if (kind == StartRow)
            return call.endRow;
        return kind == EndRow ? call.startRow : -1;
    }
    return {};
}

} // namespace sl::ui
