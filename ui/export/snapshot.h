// Snapshot: pictures of a trace at one point, for slides, homework and grading — the
// stage and the sequence (the ladder view) as the window shows them there, drawn by
// the window's own widgets (a StageView and a LadderView over a TimeCursor that replays
// the trace) rendered off screen: vector SVG through QSvgGenerator (cards as paths and
// text, no cached pixmaps) and PNG at 2× device pixels. The sequence holds the calls up
// to the point only (nothing dimmed after it), so a picture says what had happened.
// The texts are in the language installed (ui/window/i18n.h setUiLanguage).
//
// Shared by File → Export… / Copy Picture (ExportDialog) and `socketlab export`
// (app/cmd_export.cpp): both hand it a trace and a position; where the trace comes from
// (a lesson run headless, a trace file, later a traced Python program) is theirs.
//
// Ownership: does not own the trace, which must outlive it; owns its hidden widgets.
// Thread affinity: GUI thread of a QApplication (any platform, offscreen included).
#pragma once

#include "trace/trace.h"

#include <QImage>
#include <QSize>
#include <QString>
#include <memory>

class QPainter;

namespace sl::ui {

class LadderView;
class SequenceModel;
class StageView;
class TimeCursor;
class TraceFeed;

enum class ExportView { Stage, Sequence, Both };
// "stage", "sequence", "both"; false for anything else.
bool exportViewFromName(const QString &name, ExportView *out);

// The event position just after top-level step `step` (1-based) finished: its StepEnd
// (or, for a step left blocked, the next StepBegin). 0 or beyond the last step: the end.
std::size_t positionAfterStep(const trace::Trace &trace, int step);
// How many top-level steps the trace holds (StepEnd events).
int stepCount(const trace::Trace &trace);
// "step 3 of 12", in the language installed (titles of pictures).
QString stepTitle(int step, int steps);

class Snapshot {
public:
    // `source`: the script of the trace (labels of loops in the sequence), may be empty.
    Snapshot(const trace::Trace &trace, std::size_t position, const QString &source = {},
             int width = 1280);
    ~Snapshot();
    Snapshot(const Snapshot &) = delete;
    Snapshot &operator=(const Snapshot &) = delete;

    std::size_t position() const { return m_position; }
    QSize size(ExportView view) const; // in logical pixels
    void paint(QPainter &p, ExportView view) const;

    QImage image(ExportView view, qreal scale = 2.0) const; // PNG: scale × device pixels
    bool writeSvg(const QString &path, ExportView view, const QString &title,
                  QString *error = nullptr) const;
    QByteArray svg(ExportView view, const QString &title) const;
    bool writePng(const QString &path, ExportView view, QString *error = nullptr) const;

    SequenceModel *sequence() const { return m_model; }
    LadderView *ladder() const { return m_ladder; }
    StageView *stage() const { return m_stage.get(); }

private:
    QSize stageSize() const;
    QSize ladderSize() const;

    const trace::Trace &m_trace;
    std::size_t m_position;
    int m_width;
    std::unique_ptr<QObject> m_owner; // parent of the cursor, feed and model
    TimeCursor *m_cursor;
    TraceFeed *m_feed;
    SequenceModel *m_model;
    std::unique_ptr<StageView> m_stage;
    std::unique_ptr<LadderView> m_ladderBox; // owns m_ladder
    LadderView *m_ladder;
};

} // namespace sl::ui
