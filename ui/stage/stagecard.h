// StageCard: how the stage draws one socket card, fast enough for a thousand of them.
//
// A card has parts that change rarely — its frame, title and descriptor, addresses, the
// state badge, the bar labels and tracks, the unlit R/W/ERR lights, the blocking mode —
// and parts that change with every sample: the queue fills and their numbers, which
// lights are lit, the flash around a badge whose state just changed. The first are
// drawn once into a pixmap per card at device resolution (keyed by everything they
// show, so a new name, address, state or buffer size redraws it) and blitted; only the
// second are painted each frame. Cards are placed on whole device pixels so that both
// layers line up exactly.
//
// The values painted are always those passed in (the state at the cursor); the
// animation only decides how far a bar is filled while it glides.
//
// Thread affinity: GUI thread. Owned by the StageView; keeps pixmaps only of the cards
// painted in the last frame.
#pragma once

#include "view/queuefill.h"
#include "view/stagestate.h"

#include <QFont>
#include <QHash>
#include <QPalette>
#include <QPixmap>
#include <QRawFont>
#include <QRectF>
#include <QStaticText>
#include <QString>
#include <unordered_map>
#include <utility>
#include <vector>

class QPainter;

namespace sl::ui {

// Every size of the stage, derived from its font (so presentation mode's larger type
// grows the stage with it).
struct StageMetrics {
    qreal line = 16, row = 22, margin = 12, pad = 10, vpad = 6, laneHeader = 46;
    qreal cardHeight = 132, cardGap = 14, labelW = 52, radius = 8;
    static StageMetrics fromFont(const QFont &font);
};

// What a card shows this frame beyond the socket's sample: the bar fills while they
// glide (equal to the values when settled) and the badge flash (0 … 1, < 0 for none).
struct CardMotion {
    double send = 0, recv = 0, accept = 0;
    double flash = -1;
};

// What a card shows that its own sample does not say: the queue fills as the kernel
// means them (view/queuefill.h, which needs the whole stage), the pair it belongs to
// (view/stagestate.h stagePairs) and, for a kernel-only continuation, the name of the
// closed socket it continues.
struct CardInfo {
    QueueFill send, recv;
    int pair = 0;      // 0: alone
    QString continues; // a ghost: the closed socket's name ("s")
};

using StageTips = std::vector<std::pair<QRectF, QString>>; // where (layout), full text

class CardPainter {
public:
    // Before the cards of a frame: the stage's font, palette, metrics and its scale (the
    // shrink to fit) with the device's pixel ratio. A change of any drops every pixmap.
    void begin(const QFont &font, const QPalette &palette, const StageMetrics &m, qreal scale,
               qreal dpr);
    // `card` must lie on whole device pixels (see snap()); elided texts add their full
    // text to `tips`.
    void paint(QPainter &p, const QRectF &card, const SocketSnap &s, const CardInfo &info,
               const CardMotion &motion, StageTips &tips);
    void end(); // forgets the pixmaps of cards not painted in this frame
    // The layout coordinate nearest to `v` that falls on a whole device pixel.
    qreal snap(qreal v) const { return std::round(v * m_unit) / m_unit; }
    // How many times a card's cached layer was drawn (tests: it must not be per frame).
    long chromeDraws() const { return m_chromeDraws; }

private:
    // Where each part of a card goes, in the card's own coordinates (its top left at 0, 0).
    struct Layout {
        QRectF card, in;
        QString stName;
        QRectF badge;
        bool listener = false;
        bool compact = false; // the numbers inside the tracks, in short form ("128K")
        int bars = 2;         // 1 for a listener (its accept queue)
        QRectF barRow[2];     // label, track and value of each bar
        QRectF track[2];      // the bar itself
        QRectF valueRect[2];
        QRectF light[3]; // the R/W/ERR discs, on whole device pixels
        QRectF pairChip; // the pair number, left of the title (empty: alone)
        qreal lightPen = 1.3;
        qreal lightsRight = 0; // where the blocking mode may begin
        qreal lightRowY = 0;
    };
    struct Chrome {
        QString key;
        Layout layout;
        QPixmap pixmap;
        StageTips tips; // relative to the card's top left
        bool used = false;
    };
    Layout layout(const QRectF &card, const SocketSnap &s, const CardInfo &info) const;
    void paintChrome(QPainter &p, const Layout &l, const SocketSnap &s, const CardInfo &info,
                     StageTips &tips) const;
    // The fill of one bar; returns its right edge (the track's left when empty).
    qreal paintBarFill(QPainter &p, const QRectF &track, const QueueFill &f, double shown) const;
    QPixmap litLight(int which) const;
    qreal textWidth(const QString &text) const;
    // A value ("12,288 / 65,483") from cached glyphs, without shaping it; any other text
    // ("window 0") from a cache of laid-out texts (see the .cpp).
    void drawValue(QPainter &p, const QPointF &at, const QString &text) const;
    qreal shapedWidth(const QString &text) const;           // horizontalAdvance, cached
    QString elided(const QString &text, qreal width) const; // elidedText, cached
    // A text in a bar's track: over the fill in the fill's contrasting colour.
    void drawInTrack(QPainter &p, const QPointF &at, const QString &text, const QRectF &row,
                     qreal fillLeft, qreal fillRight, const QColor &fill,
                     const QColor &plain) const;
    static QString chromeKey(const SocketSnap &s, const CardInfo &info, const QSizeF &size);

    QFont m_font, m_bold;
    QPalette m_palette;
    StageMetrics m_m;
    qreal m_scale = 1, m_dpr = 1, m_unit = 1;            // unit: device pixels per layout unit
    std::unordered_map<int, Chrome> m_chrome;            // by socket id
    QPixmap m_lit[3];                                    // R, W, E lit, at device resolution
    mutable std::unordered_map<char16_t, qreal> m_charW; // advances of the value texts
    long m_chromeDraws = 0;
    QRawFont m_raw; // m_font's glyphs, for drawValue()
    mutable std::unordered_map<char16_t, std::pair<quint32, qreal>> m_glyphs; // glyph, advance
    bool m_vector = false; // this card goes to a vector device: text stays text
    qreal m_ascent = 0;    // m_font's
    mutable QHash<QString, QStaticText> m_static; // notes, laid out once (bounded)
    mutable QHash<QString, qreal> m_widths;       // their widths
    mutable QHash<QString, QString> m_elided;     // and cut to a card's width
};

// The one colour scale of queue fill, for every bar of the window (stage cards — so the
// Playground and presentation mode too —, Inspector, chart): the palette's highlight
// while the kernel takes more, amber from three quarters, red when it takes no more.
QColor queueFillColor(const QueueFill &f, const QPalette &palette);
// Functions of ui/stage/cardmeaning.cpp. A lab socket close() released (not a
// kernel-only one): its card shows no queues, lights or TCP state.
bool cardReleased(const SocketSnap &s);
// What a card's badge says: the TCP state, or "closed" once close() released the
// descriptor (the kernel's continuation is the ghost card, never this one).
QString cardStateText(const SocketSnap &s);
// What a bar says inside its track beyond the numbers: "window 0", "3 datagrams",
// "drops 38" (empty: nothing to add).
QString queueNoteText(const QueueFill &f);
// How wide a bar's fill is in a track `trackWidth` wide, `shown` of f.used glided in:
// the whole track when the kernel takes no more, and at least `sliver` for any byte.
qreal queueFillWidth(const QueueFill &f, double shown, qreal trackWidth, qreal sliver);

// The pair colours (pair numbers 1 …, repeating): colour-blind safe (Okabe–Ito).
QColor pairColor(int pair);
// What R, W and ERR mean (tooltips, legend): poll()'s POLLIN, POLLOUT and POLLERR —
// ERR is not select()'s exceptional set (urgent data, POLLPRI).
QString lightMeaning(int which);

// The badge colour of a TCP state (sys::TcpState as stored in samples).
QColor stateColor(int tcpState);
// Black or white, whichever contrasts more with `background` (WCAG relative luminance).
QColor contrastingText(const QColor &background);

} // namespace sl::ui
