// U4 — start-up: from main() to the window's first paint.
//
// The app has no "print the time of the first paint and quit" hook, so this measures
// in-process, like main() would: QApplication, MainWindow, openLesson(5), show(), until
// the first QEvent::Paint reaches the window or one of its children (an application
// event filter). Each run is a fresh process (this program re-launches itself with
// QProcess), so that fonts, plugins and resources load cold as for a user; the parent
// also times the whole process from QProcess::start() to the child's report.
#include "ui/window/mainwindow.h"

#include "lessons/lessoncatalog.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QSettings>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <vector>

using namespace sl;

namespace {
QElapsedTimer g_clock;

class FirstPaint : public QObject {
public:
    QWidget *window = nullptr;
    double atMs = -1;
    bool eventFilter(QObject *o, QEvent *e) override {
        if (atMs < 0 && e->type() == QEvent::Paint && o->isWidgetType() &&
            static_cast<QWidget *>(o)->window() == window) {
            atMs = g_clock.nsecsElapsed() / 1e6;
            QTimer::singleShot(0, qApp, &QCoreApplication::quit);
        }
        return QObject::eventFilter(o, e);
    }
};

int child(int argc, char **argv) {
    g_clock.start();
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("socketlab-bench"));
    const double appMs = g_clock.nsecsElapsed() / 1e6;
    FirstPaint fp;
    app.installEventFilter(&fp);
    ui::MainWindow w;
    fp.window = &w;
    const double windowMs = g_clock.nsecsElapsed() / 1e6;
    const auto lesson = lessons::findLesson(QStringLiteral("5"));
    if (!lesson || !w.openLesson(*lesson))
        return 1;
    const double lessonMs = g_clock.nsecsElapsed() / 1e6;
    w.resize(1280, 800);
    w.show();
    app.exec();
    std::printf("FIRSTPAINT %.2f app %.2f window %.2f lesson %.2f\n", fp.atMs, appMs, windowMs,
                lessonMs);
    return 0;
}
} // namespace

int main(int argc, char **argv) {
    if (argc > 1 && qstrcmp(argv[1], "--child") == 0)
        return child(argc, argv);
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? atoi(argv[1]) : 5;
    std::vector<double> inProc, wall;
    for (int i = 0; i < runs; ++i) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        QElapsedTimer t;
        t.start();
        p.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--child")});
        p.waitForFinished(30000);
        const double total = t.nsecsElapsed() / 1e6;
        const QByteArray out = p.readAllStandardOutput();
        const int at = out.indexOf("FIRSTPAINT ");
        if (at < 0) {
            std::printf("  run %d: no report (%s)\n", i, p.readAllStandardError().constData());
            continue;
        }
        const QList<QByteArray> f = out.mid(at).split('\n').first().split(' ');
        const double paint = f.value(1).toDouble();
        inProc.push_back(paint);
        wall.push_back(total);
        std::printf(
            "  run %d: first paint %.1f ms after main() (QApplication %.1f, MainWindow %.1f, "
            "openLesson %.1f); process start -> exit %.1f ms\n",
            i, paint, f.value(3).toDouble(), f.value(5).toDouble(), f.value(7).toDouble(), total);
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v.empty() ? 0.0 : v[v.size() / 2];
    };
    auto mx = [](const std::vector<double> &v) {
        return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
    };
    std::printf("U4 bench_startup: %zu runs: main() -> first paint median %.1f ms max %.1f ms "
                "(target <= 500 ms); process start -> exit median %.1f ms max %.1f ms\n",
                inProc.size(), median(inProc), mx(inProc), median(wall), mx(wall));
    return 0;
}
