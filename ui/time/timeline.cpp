#include "ui/time/timeline.h"

#include "ui/affinity.h"
#include "ui/time/timecursor.h"
#include "ui/window/i18n.h"

#include "trace/trace.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolButton>
#include <algorithm>
#include <cmath>

namespace sl::ui {

using trace::EventKind;

Timeline::Timeline(TimeCursor *cursor, QWidget *parent)
    : QWidget(parent)
    , m_cursor(cursor) {
    setObjectName(QStringLiteral("timeline"));
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(tr("Drag to travel in time · Left/Right: previous/next call · Home/End"));
    connect(cursor, &TimeCursor::traceChanged, this, &Timeline::rescan);
    connect(cursor, &TimeCursor::positionChanged, this, &Timeline::refresh);
    rescan();
}

void Timeline::rescan() {
    SL_ASSERT_OWN_THREAD();
    m_ticks.clear();
    m_bins.clear();
    m_binSpan = 1;
    m_depth.clear();
    m_scanned = 0;
    refresh();
}

void Timeline::refresh() {
    SL_ASSERT_OWN_THREAD();
    const trace::Trace *t = m_cursor->trace();
    const std::size_t end = t ? std::min(m_cursor->end(), t->size()) : 0;
    if (end < m_scanned) // cleared under us; traceChanged follows, be safe meanwhile
        return rescan();
    for (std::size_t i = m_scanned; i < end; ++i) {
        const trace::Event &e = t->event(i);
        if (e.actor != trace::NoActor && m_depth.size() <= e.actor)
            m_depth.resize(e.actor + 1, 0);
        switch (e.kind) {
        case EventKind::CallBegin:
            if (e.actor != trace::NoActor)
                ++m_depth[e.actor];
            break;
        case EventKind::CallEnd: {
            if (e.actor == trace::NoActor)
                break;
            const int depth = m_depth[e.actor] = std::max(0, m_depth[e.actor] - 1);
            TickKind k = depth > 0 ? SubCall : Call;
            if (e.call.err)
                k = Error;
            else if (e.call.flags & trace::CallPartial)
                k = Partial;
            addTick(i + 1, k);
            break;
        }
        case EventKind::ActorStatus:
            if (trace::ActorState(e.status.status) == trace::ActorState::Blocked)
                addTick(i + 1, Blocked);
            break;
        case EventKind::Expect:
            addTick(i + 1, e.expect.passed ? ExpectPass : ExpectFail);
            break;
        default:
            break;
        }
    }
    m_scanned = end;
    update();
}

void Timeline::addTick(std::size_t position, TickKind kind) {
    m_ticks.push_back({std::uint32_t(position), kind});
    // Past MaxBins, pairs of bins merge (twice the span each): a few thousand bins are
    // finer than any screen, and the histogram never grows with the trace.
    while (position / m_binSpan >= MaxBins) {
        for (std::size_t b = 0; b < m_bins.size(); b += 2)
            m_bins[b / 2] = m_bins[b] | (b + 1 < m_bins.size() ? m_bins[b + 1] : 0);
        m_bins.resize((m_bins.size() + 1) / 2);
        m_binSpan *= 2;
    }
    const std::size_t bin = position / m_binSpan;
    if (m_bins.size() <= bin)
        m_bins.resize(bin + 1, 0);
    m_bins[bin] |= std::uint8_t(1u << kind);
}

std::size_t Timeline::previousStop(std::size_t position) const {
    const auto it = std::lower_bound(m_ticks.begin(), m_ticks.end(), position,
                                     [](const Tick &t, std::size_t p) { return t.position < p; });
    return it == m_ticks.begin() ? 0 : (it - 1)->position;
}

std::size_t Timeline::nextStop(std::size_t position) const {
    const auto it = std::upper_bound(m_ticks.begin(), m_ticks.end(), position,
                                     [](std::size_t p, const Tick &t) { return p < t.position; });
    return it == m_ticks.end() ? m_cursor->end() : it->position;
}

QRectF Timeline::track() const {
    return QRectF(rect()).adjusted(8, 6, -8, -6);
}

double Timeline::xOf(std::size_t position) const {
    const QRectF r = track();
    const std::size_t end = std::max<std::size_t>(m_cursor->end(), 1);
    return r.left() + r.width() * double(std::min(position, end)) / double(end);
}

std::size_t Timeline::positionAt(double x) const {
    const QRectF r = track();
    const double f = std::clamp((x - r.left()) / std::max(1.0, r.width()), 0.0, 1.0);
    return std::size_t(f * double(m_cursor->end()) + 0.5);
}

void Timeline::paintEvent(QPaintEvent *) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    const QRectF r = track();
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.setBrush(pal.color(QPalette::Base));
    p.drawRoundedRect(r, 4, 4);
    if (m_cursor->end() == 0) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(r, Qt::AlignCenter, tr("no events yet"));
        return;
    }
    // The past, up to the cursor, tinted.
    const double cx = xOf(m_cursor->position());
    QColor past = pal.color(QPalette::Highlight);
    past.setAlpha(40);
    p.setPen(Qt::NoPen);
    p.setBrush(past);
    p.drawRoundedRect(QRectF(r.left(), r.top(), cx - r.left(), r.height()), 4, 4);

    // Ticks folded into pixel columns (bit k: a tick of kind k there), then drawn kind by
    // kind, one batch each, the later kinds in the enum (errors, expectations) on top.
    // O(pixels + bins), however many ticks there are.
    const int columns = std::max(1, int(r.width()) + 1);
    std::vector<std::uint8_t> flags(std::size_t(columns), 0);
    for (std::size_t b = 0; b < m_bins.size(); ++b) {
        if (!m_bins[b])
            continue;
        // A bin of one position is exact; a wider one is drawn at its middle.
        const std::size_t pos = m_binSpan == 1 ? b : b * m_binSpan + m_binSpan / 2;
        const int col = std::clamp(int(std::lround(xOf(pos) - r.left())), 0, columns - 1);
        flags[std::size_t(col)] |= m_bins[b];
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    QColor text = pal.color(QPalette::Text);
    text.setAlpha(150);
    const double top = r.top() + 4, mid = r.center().y(), bottom = r.bottom() - 4;
    // Each tick a filled bar one or two pixels wide: rectangles fill far faster than
    // stroked lines, and there can be one per pixel column.
    p.setPen(Qt::NoPen);
    const auto bars = [&](std::uint8_t mask, double from, double width, const QColor &color) {
        QList<QRectF> rects;
        for (int c = 0; c < columns; ++c)
            if (flags[std::size_t(c)] & mask)
                rects.append(
                    QRectF(r.left() + c - std::floor(width / 2), from, width, bottom - from));
        if (rects.isEmpty())
            return;
        p.setBrush(color);
        p.drawRects(rects);
    };
    bars(1u << Call, top, 1, text);
    bars(1u << SubCall, mid, 1, text);
    bars(1u << Partial, top, 2, QColor(0xe0, 0x9a, 0x00));
    bars(1u << Error, top, 2, QColor(0xd9, 0x3b, 0x3b));
    bars(1u << Blocked, mid, 2, QColor(0xd9, 0x3b, 0x3b));
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(Qt::NoPen);
    for (const TickKind kind : {ExpectPass, ExpectFail}) {
        p.setBrush(kind == ExpectPass ? QColor(0x2e, 0x9d, 0x4f) : QColor(0xd9, 0x3b, 0x3b));
        for (int c = 0; c < columns; ++c) {
            if (!(flags[std::size_t(c)] & (1u << kind)))
                continue;
            const QPointF pt(r.left() + c, r.top() + 5);
            p.drawPolygon(QPolygonF({pt + QPointF(0, -4), pt + QPointF(4, 0), pt + QPointF(0, 4),
                                     pt + QPointF(-4, 0)}));
        }
    }
    // The handle.
    p.setRenderHint(QPainter::Antialiasing, true);
    const QColor handle = pal.color(QPalette::Highlight);
    p.setPen(QPen(handle, 2));
    p.drawLine(QPointF(cx, rect().top() + 1), QPointF(cx, rect().bottom() - 1));
    p.setPen(Qt::NoPen);
    p.setBrush(handle);
    p.drawPolygon(QPolygonF({QPointF(cx - 5, rect().top()), QPointF(cx + 5, rect().top()),
                             QPointF(cx, rect().top() + 6)}));
    if (hasFocus()) {
        p.setPen(QPen(handle, 1, Qt::DotLine));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(r.adjusted(-2, -2, 2, 2), 5, 5);
    }
}

void Timeline::mousePressEvent(QMouseEvent *e) {
    if (e->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(e);
    m_cursor->setPosition(positionAt(e->position().x()));
}

void Timeline::mouseMoveEvent(QMouseEvent *e) {
    if (e->buttons() & Qt::LeftButton)
        m_cursor->setPosition(positionAt(e->position().x()));
}

void Timeline::keyPressEvent(QKeyEvent *e) {
    switch (e->key()) {
    case Qt::Key_Left:
        m_cursor->setPosition(previousStop(m_cursor->position()));
        break;
    case Qt::Key_Right:
        m_cursor->setPosition(nextStop(m_cursor->position()));
        break;
    case Qt::Key_Home:
        m_cursor->setPosition(0);
        break;
    case Qt::Key_End:
        m_cursor->setPosition(m_cursor->end()); // live again on the lab's trace
        break;
    default:
        return QWidget::keyPressEvent(e);
    }
    e->accept();
}

TimelineBar::TimelineBar(TimeCursor *cursor, QWidget *parent)
    : QWidget(parent)
    , m_cursor(cursor)
    , m_timeline(new Timeline(cursor, this))
    , m_live(new QToolButton(this))
    , m_position(new QLabel(this))
    , m_banner(new QLabel(this))
    , m_back(new QToolButton(this)) {
    setObjectName(QStringLiteral("timelineBar"));
    auto *lay = new QHBoxLayout(this);
    lay->setContentsMargins(4, 2, 4, 2);
    m_live->setObjectName(QStringLiteral("liveButton"));
    m_live->setCheckable(true);
    m_position->setMinimumWidth(m_position->fontMetrics().horizontalAdvance(
        tr("event %1 / %2 · %3 s").arg(999999).arg(999999).arg(99.999, 0, 'f', 3)));
    m_banner->setObjectName(QStringLiteral("replayBanner"));
    // Amber with black text: the same on light and dark palettes.
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #ffc107; color: black; "
                                           "border-radius: 4px; padding: 2px 8px; }"));
    lay->addWidget(m_live);
    lay->addWidget(m_timeline, 1);
    lay->addWidget(m_position);
    lay->addWidget(m_banner);
    lay->addWidget(m_back);
    setReplayFile({});

    connect(m_live, &QToolButton::toggled, cursor, &TimeCursor::setLive);
    connect(cursor, &TimeCursor::liveChanged, m_live, [this](bool live) {
        const QSignalBlocker block(m_live);
        m_live->setChecked(live);
    });
    connect(m_back, &QToolButton::clicked, this, &TimelineBar::backToLiveRequested);
    connect(cursor, &TimeCursor::positionChanged, this, &TimelineBar::updateLabel);
    connect(cursor, &TimeCursor::traceChanged, this, &TimelineBar::updateLabel);
    m_live->setChecked(cursor->isLive());
    retranslateWith(this, [this] {
        m_live->setText(tr("Live"));
        m_live->setToolTip(tr("Follow the newest event (End)"));
        m_back->setText(tr("Back to live"));
        m_timeline->setToolTip(
            Timeline::tr("Drag to travel in time · Left/Right: previous/next call · Home/End"));
        m_timeline->update(); // "no events yet" is painted
        updateLabel();
    });
}

void TimelineBar::setReplayFile(const QString &fileName) {
    const bool replay = !fileName.isEmpty();
    m_banner->setText(tr("Replay of %1").arg(fileName));
    m_banner->setVisible(replay);
    m_back->setVisible(replay);
    m_live->setEnabled(!replay);
}

void TimelineBar::refresh() {
    m_timeline->refresh();
    updateLabel();
}

void TimelineBar::updateLabel() {
    m_position->setText(tr("event %1 / %2 · %3 s")
                            .arg(QLocale().toString(qulonglong(m_cursor->position())),
                                 QLocale().toString(qulonglong(m_cursor->end())))
                            .arg(m_cursor->timeAt(m_cursor->position()) / 1e9, 0, 'f', 3));
}

} // namespace sl::ui
