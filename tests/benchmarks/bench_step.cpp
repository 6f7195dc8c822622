// U3 — how long a Step takes to show on the stage.
//
// Lesson 5 in a MainWindow (offscreen, 1280×800). The Step action is triggered again
// and again; for each step the time from the trigger until the stage shows its result:
// stepFinished has come, the stage's state cursor has reached every event the trace
// held at that moment (the step's StepEnd / CallEnd included), and the stage has been
// painted after that. Steps that block or are still running after the grace period
// (their result is the blocked lane, reported after the grace) and `wait` steps are
// listed but left out of the figures. The lesson is run several times (Reset between).
// Each press comes after a random 0-40 ms idle, so that its phase against the feed's
// 33 ms frame is random, as a learner's would be.
#include "ui/stage/stageview.h"
#include "ui/time/tracefeed.h"
#include "ui/window/mainwindow.h"

#include "engine/lab.h"
#include "lessons/lessoncatalog.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSettings>
#include <algorithm>
#include <cstdio>
#include <vector>

using namespace sl;

namespace {
class PaintCounter : public QObject {
public:
    int paints = 0;
    bool eventFilter(QObject *o, QEvent *e) override {
        if (e->type() == QEvent::Paint)
            ++paints;
        return QObject::eventFilter(o, e);
    }
};
} // namespace

int main(int argc, char **argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("socketlab-bench"));
    QSettings().clear();
    const int runs = argc > 1 ? atoi(argv[1]) : 3;

    QString error;
    const auto lesson = lessons::findLesson(QStringLiteral("5"), &error);
    if (!lesson) {
        std::printf("lesson 5: %s\n", qPrintable(error));
        return 1;
    }
    ui::MainWindow w;
    w.resize(1280, 800);
    if (!w.openLesson(*lesson))
        return 1;
    w.show();
    PaintCounter paints;
    w.stageView()->installEventFilter(&paints);
    app.processEvents();

    // The paint count when the stage's state first covered the step's events (taken in
    // stateChanged, before the repaint that update() schedules).
    std::size_t target = SIZE_MAX;
    int paintsAtReach = -1;
    QObject::connect(w.stageView(), &ui::StageView::stateChanged, [&] {
        if (paintsAtReach < 0 && w.stageView()->state().cursor >= target)
            paintsAtReach = paints.paints;
    });
    std::optional<engine::StepReport> last;
    QObject::connect(w.lab(), &engine::Lab::stepFinished,
                     [&](const engine::StepReport &r) { last = r; });

    std::vector<double> shown, toFinished;
    int excluded = 0;
    QRandomGenerator rng(42);
    QElapsedTimer clock;
    clock.start();
    for (int run = 0; run < runs; ++run) {
        for (int guard = 0; guard < 200 && !w.lab()->atEnd(); ++guard) {
            // Let a background step (a blocked one finishing) settle first.
            const qint64 idleUntil = clock.elapsed() + 10000;
            while ((w.lab()->stepInProgress() || !w.stepAction()->isEnabled()) &&
                   clock.elapsed() < idleUntil)
                app.processEvents(QEventLoop::AllEvents, 5);
            if (!w.stepAction()->isEnabled())
                break;
            // A learner presses Step at any moment, not just after a feed tick: idle for
            // a random 0-40 ms first (the feed's frame is 33 ms).
            const qint64 idle = clock.nsecsElapsed() + rng.bounded(40'000'000);
            while (clock.nsecsElapsed() < idle)
                app.processEvents(QEventLoop::AllEvents, 1);
            last.reset();
            target = SIZE_MAX;
            paintsAtReach = -1;
            const int paintsAtTrigger = paints.paints;
            const qint64 t0 = clock.nsecsElapsed();
            w.stepAction()->trigger();
            while (!last && clock.nsecsElapsed() - t0 < 10'000'000'000LL)
                app.processEvents(QEventLoop::AllEvents, 1);
            if (!last)
                break;
            const qint64 tFinished = clock.nsecsElapsed();
            target = w.lab()->trace().size();
            if (w.stageView()->state().cursor >=
                target) // already there: any paint since the trigger
                paintsAtReach = paintsAtTrigger;
            while (clock.nsecsElapsed() - t0 < 10'000'000'000LL) {
                if (paintsAtReach >= 0 && paints.paints > paintsAtReach)
                    break; // painted after the state reached the step's events
                app.processEvents(QEventLoop::AllEvents, 1);
            }
            const double ms = (clock.nsecsElapsed() - t0) / 1e6;
            const bool blocks = last->status == engine::StepStatus::Blocked ||
                                last->status == engine::StepStatus::Running ||
                                last->kind == script::StmtKind::Wait ||
                                last->kind == script::StmtKind::WaitUntil;
            if (blocks) {
                ++excluded;
                std::printf("  run %d step %2d line %3d: %7.1f ms (excluded: %s)\n", run,
                            last->step, last->line, ms,
                            last->status == engine::StepStatus::Blocked   ? "blocked"
                            : last->status == engine::StepStatus::Running ? "running"
                                                                          : "wait");
                continue;
            }
            shown.push_back(ms);
            toFinished.push_back((tFinished - t0) / 1e6);
            if (run == 0)
                std::printf(
                    "  run %d step %2d line %3d: %6.1f ms to stage (%.1f ms to stepFinished)\n",
                    run, last->step, last->line, ms, (tFinished - t0) / 1e6);
        }
        w.resetAction()->trigger();
        const qint64 until = clock.elapsed() + 1000;
        while (clock.elapsed() < until &&
               (w.lab()->position() != 0 || !w.stepAction()->isEnabled()))
            app.processEvents(QEventLoop::AllEvents, 5);
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v.empty() ? 0.0 : v[v.size() / 2];
    };
    auto mx = [](const std::vector<double> &v) {
        return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
    };
    std::printf(
        "U3 bench_step: lesson 5, %d runs, %zu steps measured (%d excluded: blocking/wait): "
        "trigger -> stage painted median %.1f ms max %.1f ms (target <= 30 ms); "
        "trigger -> stepFinished median %.1f ms max %.1f ms\n",
        runs, shown.size(), excluded, median(shown), mx(shown), median(toFinished), mx(toFinished));
    return 0;
}
