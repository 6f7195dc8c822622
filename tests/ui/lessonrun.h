// Shared by the window tests that look at a lesson at a telling moment (screenshots,
// stage cards): open a built-in lesson in a MainWindow and step it to a line.
//
// Thread affinity: the GUI thread (drives the window and waits with QTest).
#pragma once

#include "ui/time/tracefeed.h"
#include "ui/window/mainwindow.h"

#include "engine/lab.h"
#include "lessons/lessoncatalog.h"

#include <QSize>
#include <QTest>

namespace uitest {

// Opens lesson `number` in `w` at `size` and steps until the step on the `occurrence`-th
// line starting with `text` has finished; then lets the views catch up. false (with a
// warning saying why) when the lesson or the line is missing or never reached.
inline bool runLessonTo(sl::ui::MainWindow &w, int number, const QString &text, QSize size,
                        int occurrence = 1) {
    QString error;
    const auto l = sl::lessons::findLesson(QString::number(number), &error);
    if (!l) {
        qWarning("lesson %d: %s", number, qPrintable(error));
        return false;
    }
    const QStringList lines = l->source.split(QLatin1Char('\n'));
    int line = 0;
    for (int i = 0, seen = 0; i < lines.size() && !line; ++i)
        if (lines[i].trimmed().startsWith(text) && ++seen == occurrence)
            line = i + 1;
    if (!line) {
        qWarning("lesson %d: no line %s", number, qPrintable(text));
        return false;
    }
    w.resize(size);
    if (!w.openLesson(*l))
        return false;
    w.show();
    if (!QTest::qWaitForWindowExposed(&w))
        return false;
    for (int guard = 0; guard < 300 && !w.lab()->atEnd(); ++guard) {
        const auto r = w.lab()->stepAndWait(15000);
        if (!r)
            return false;
        if (r->line == line) {
            QTest::qWait(3 * sl::ui::TraceFeed::FrameMs); // samples of the last step, the feed
            w.feed()->drainNow();
            QTest::qWait(400); // bar animations settle
            w.feed()->drainNow();
            return true;
        }
    }
    qWarning("lesson %d: line %d was never reached", number, line);
    return false;
}

} // namespace uitest
