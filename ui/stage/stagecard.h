// StageCard: how the stage draws one socket card, fast enough for a thousand of them.
//
// A card has parts that change rarely — its frame, title and descriptor, addresses, the
// state badge, the bar labels and tracks, the unlit R/W/E lights, the blocking mode —
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

#include "view/stagestate.h"

#include <QFont>
#include <QPalette>
#include <QPixmap>
#include <QRectF>
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

using StageTips = std::vector<std::pair<QRectF, QString>>; // where (layout), full text

class CardPainter {
public:
    // Before the cards of a frame: the stage's font, palette, metrics and its scale (the
    // shrink to fit) with the device's pixel ratio. A change of any drops every pixmap.
    void begin(const QFont &font, const QPalette &palette, const StageMetrics &m, qreal scale,
               qreal dpr);
    // `card` must lie on whole device pixels (see snap()); elided texts add their full
    // text to `tips`.
    void paint(QPainter &p, const QRectF &card, const SocketSnap &s, const CardMotion &motion,
               StageTips &tips);
    void end(); // forgets the pixmaps of cards not painted in this frame
    // The layout coordinate nearest to `v` that falls on a whole device pixel.
    qreal snap(qreal v) const { return std::round(v * m_unit) / m_unit; }

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
        QRectF light[3]; // the R/W/E discs, on whole device pixels
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
    Layout layout(const QRectF &card, const SocketSnap &s) const;
    void paintChrome(QPainter &p, const Layout &l, const SocketSnap &s, StageTips &tips) const;
    void paintBarFill(QPainter &p, const QRectF &track, int value, int cap, double shown) const;
    QPixmap litLight(int which) const;
    qreal textWidth(const QString &text) const;
    static QString chromeKey(const SocketSnap &s, const QSizeF &size);

    QFont m_font, m_bold;
    QPalette m_palette;
    StageMetrics m_m;
    qreal m_scale = 1, m_dpr = 1, m_unit = 1;            // unit: device pixels per layout unit
    std::unordered_map<int, Chrome> m_chrome;            // by socket id
    QPixmap m_lit[3];                                    // R, W, E lit, at device resolution
    mutable std::unordered_map<char16_t, qreal> m_charW; // advances of the value texts
};

// The badge colour of a TCP state (sys::TcpState as stored in samples).
QColor stateColor(int tcpState);
// Black or white, whichever contrasts more with `background` (WCAG relative luminance).
QColor contrastingText(const QColor &background);

} // namespace sl::ui
