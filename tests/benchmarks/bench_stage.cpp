// U1 — the stage with 4,000 sockets (argv[1] to change) all changing each frame.
//
// A synthetic trace (10 actors, 4,000 sockets each with SocketNew, SocketInfo and a
// Sample) is shown by a StageView through a live TimeCursor on it; then, for each of ~100
// frames, a new Sample for every socket is appended, the cursor's end advances (the
// stage applies the new events) and the window's part of it (a 1280x800 scroll
// area, as in MainWindow) is rendered into a QImage. Prints
// the per-frame time of the advance, the paint and both (median / max); the last line is
// `U1 sockets=N median_ms=… max_ms=…` (the worse of the two modes).
#include "ui/stage/stageview.h"
#include "ui/time/timecursor.h"
#include "ui/time/tracefeed.h"

#include "engine/lab.h"
#include "sys/kernelprobe.h"
#include "trace/trace.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QScrollArea>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace sl;

namespace {
constexpr int Actors = 10;
int Sockets = 4000; // bench_stage [sockets]: issue 13 asks for 4,000
constexpr int Frames = 100;

trace::Event sampleEvent(trace::Trace &t, int sock, int frame) {
    trace::Event e;
    e.tNs = t.now();
    e.kind = trace::EventKind::Sample;
    e.sock = sock;
    e.sample.state = std::uint8_t(sys::TcpState::Established);
    e.sample.readiness = std::uint8_t((frame + sock) % 4);
    e.sample.fd = 100 + sock;
    e.sample.sndbuf = 8192;
    e.sample.rcvbuf = 8192;
    e.sample.sendQ = (sock * 37 + frame * 211) % 8192;
    e.sample.unsent = e.sample.sendQ / 2;
    e.sample.recvQ = (sock * 53 + frame * 397) % 8192;
    e.sample.acceptQ = -1;
    e.sample.backlog = -1;
    return e;
}

struct Stats {
    std::vector<double> v;
    double median() {
        std::sort(v.begin(), v.end());
        return v.empty() ? 0 : v[v.size() / 2];
    }
    double max() const { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }
};
} // namespace

int main(int argc, char **argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (argc > 1)
        Sockets = std::max(1, std::atoi(argv[1]));
    double worstMax = 0, worstMedian = 0;

    trace::Trace t;
    for (int a = 0; a < Actors; ++a) {
        trace::Event e;
        e.tNs = t.now();
        e.kind = trace::EventKind::ActorNew;
        e.actor = std::uint8_t(a);
        e.text.a = t.intern(QStringLiteral("actor%1").arg(a));
        t.append(e);
    }
    for (int s = 0; s < Sockets; ++s) {
        const int a = s % Actors;
        trace::Event n;
        n.tNs = t.now();
        n.kind = trace::EventKind::SocketNew;
        n.actor = std::uint8_t(a);
        n.sock = s;
        n.socket.fd = 100 + s;
        n.socket.domain = 2;
        n.socket.type = 1;
        n.socket.name = t.intern(QStringLiteral("s%1").arg(s));
        n.socket.peerSock = -1;
        t.append(n);
        trace::Event i;
        i.tNs = t.now();
        i.kind = trace::EventKind::SocketInfo;
        i.actor = std::uint8_t(a);
        i.sock = s;
        i.socket.fd = 100 + s;
        i.socket.local = t.intern(QStringLiteral("127.0.0.1:%1").arg(20000 + s));
        i.socket.peer = t.intern(QStringLiteral("127.0.0.1:%1").arg(40000 + s));
        i.socket.peerSock = (s % 2 == 0) ? s + 1 : s - 1;
        t.append(i);
        t.append(sampleEvent(t, s, 0));
    }

    engine::Lab lab; // only for the feed the view wants; it has no program
    ui::TraceFeed feed(&lab);
    ui::TimeCursor cursor;
    // As in the window: the stage in a scroll area of 1280x800 (its lanes of a hundred
    // cards are taller than that; only what the viewport shows is painted).
    QScrollArea scroll;
    scroll.setFrameShape(QFrame::NoFrame);
    scroll.setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll.setWidgetResizable(true);
    auto *stage = new ui::StageView(&feed); // owned by the scroll area
    scroll.setWidget(stage);
    scroll.resize(1280, 800);
    ui::StageView &view = *stage;
    view.setTimeCursor(&cursor);
    QElapsedTimer clock;
    clock.start();
    cursor.setTrace(&t, false); // live, like the lab's own trace: the position follows the end
    const double initialMs = clock.nsecsElapsed() / 1e6;
    scroll.show();
    app.processEvents(); // the scroll area lays the stage out at its minimum height
    QImage image(scroll.size() * scroll.devicePixelRatio(), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scroll.devicePixelRatio());
    scroll.render(&image);
    app.processEvents();
    std::printf(
        "U1 bench_stage: %d actors, %d sockets, %zu events; state at cursor %zu (%zu sockets), "
        "initial build %.2f ms\n",
        Actors, Sockets, t.size(), view.state().cursor, view.state().sockets.size(), initialMs);
    std::printf("  the stage is %dx%d in a %dx%d viewport (scrolls; the viewport is painted)\n",
                view.width(), view.height(), scroll.viewport()->width(),
                scroll.viewport()->height());

    for (int animated = 0; animated < 2; ++animated) {
        view.setAnimated(animated != 0);
        Stats advance, paint, total;
        for (int f = 1; f <= Frames; ++f) {
            for (int s = 0; s < Sockets; ++s)
                t.append(sampleEvent(t, s, f + animated * Frames));
            clock.restart();
            cursor.setEnd(t.size()); // the position follows, the stage advances
            const qint64 a = clock.nsecsElapsed();
            scroll.render(&image);
            const qint64 b = clock.nsecsElapsed();
            advance.v.push_back(a / 1e6);
            paint.v.push_back((b - a) / 1e6);
            total.v.push_back(b / 1e6);
            app.processEvents(); // the animation timer, deferred deletes
        }
        if (view.state().cursor != t.size())
            std::printf("  WARNING: the stage is at %zu of %zu events\n", view.state().cursor,
                        t.size());
        std::printf(
            "U1 %s: %d frames x %d new samples: advance median %.2f ms max %.2f | "
            "paint median %.2f ms max %.2f | frame median %.2f ms max %.2f (target <= 16 ms)\n",
            animated ? "animated" : "not animated", Frames, Sockets, advance.median(),
            advance.max(), paint.median(), paint.max(), total.median(), total.max());
        worstMax = std::max(worstMax, total.max());
        worstMedian = std::max(worstMedian, total.median());
    }
    image.save(QStringLiteral("/tmp/bench_stage.png"));
    std::printf("U1 sockets=%d median_ms=%.1f max_ms=%.1f\n", Sockets, worstMedian, worstMax);
    return 0;
}
