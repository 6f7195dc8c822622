#include "ui/export/snapshot.h"

#include "ui/sequence/ladderview.h"
#include "ui/sequence/sequencemodel.h"
#include "ui/stage/stageview.h"
#include "ui/time/timecursor.h"
#include "ui/time/tracefeed.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFile>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <algorithm>

namespace sl::ui {

bool exportViewFromName(const QString &name, ExportView *out) {
    if (name == QLatin1String("stage"))
        *out = ExportView::Stage;
    else if (name == QLatin1String("sequence"))
        *out = ExportView::Sequence;
    else if (name == QLatin1String("both"))
        *out = ExportView::Both;
    else
        return false;
    return true;
}

int stepCount(const trace::Trace &trace) {
    int n = 0;
    for (std::size_t i = 0; i < trace.size(); ++i)
        n += trace.event(i).kind == trace::EventKind::StepEnd;
    return n;
}

QString stepTitle(int step, int steps) {
    return QCoreApplication::translate("sl::ui::Snapshot", "step %1 of %2").arg(step).arg(steps);
}

std::size_t positionAfterStep(const trace::Trace &trace, int step) {
    if (step <= 0)
        return trace.size();
    int seen = 0;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        if (trace.event(i).kind != trace::EventKind::StepEnd || ++seen < step)
            continue;
        // The samples the step caused follow its StepEnd: up to the next step's start.
        std::size_t j = i + 1;
        while (j < trace.size() && trace.event(j).kind != trace::EventKind::StepBegin)
            ++j;
        return j;
    }
    return trace.size();
}

Snapshot::Snapshot(const trace::Trace &trace, std::size_t position, const QString &source,
                   int width)
    : m_trace(trace)
    , m_position(std::min(position, trace.size()))
    , m_width(width)
    , m_owner(std::make_unique<QObject>())
    , m_cursor(new TimeCursor(m_owner.get()))
    , m_feed(new TraceFeed(nullptr, m_owner.get()))
    , m_model(new SequenceModel(&trace, m_owner.get())) {
    // The sequence holds the events up to the point only: no rows after it to dim.
    m_model->setSourceProvider([source] { return source; });
    m_model->appendEvents(0, m_position);

    m_stage = std::make_unique<StageView>(m_feed);
    m_stage->setAnimated(false);
    m_stage->setAttribute(Qt::WA_DontShowOnScreen);
    m_cursor->setTrace(&trace, true);
    m_cursor->setEnd(m_position);
    m_cursor->setPosition(m_position);
    m_stage->setTimeCursor(m_cursor);
    m_stage->resize(m_width, 400);
    m_stage->show(); // polished, laid out; never on a screen
    m_stage->resize(stageSize());

    m_ladderBox = std::make_unique<LadderView>(m_model, m_cursor);
    m_ladder = m_ladderBox.get();
    m_ladder->setAttribute(Qt::WA_DontShowOnScreen);
    m_ladder->setFrameShape(QFrame::NoFrame);
    m_ladder->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_ladder->resize(m_width, 400);
    m_ladder->show();
    m_ladder->resize(ladderSize());
}

Snapshot::~Snapshot() {
    // The views hold the model and the cursor: they go first.
    m_ladderBox.reset();
    m_stage.reset();
}

QSize Snapshot::stageSize() const {
    return QSize(m_width, std::max(m_stage->naturalHeight(m_width), 200));
}

QSize Snapshot::ladderSize() const {
    const int rows = std::max(1, m_ladder->itemCount());
    return QSize(m_width, m_ladder->rowHeight() * (rows + 1) + 4 + 2);
}

QSize Snapshot::size(ExportView view) const {
    const QSize s = stageSize(), l = ladderSize();
    switch (view) {
    case ExportView::Stage:
        return s;
    case ExportView::Sequence:
        return l;
    case ExportView::Both:
        break;
    }
    return QSize(m_width, s.height() + l.height());
}

void Snapshot::paint(QPainter &p, ExportView view) const {
    // QWidget::render() paints through the painter's device: the SVG generator gets
    // vector paths and text, an image gets pixels at its device pixel ratio.
    if (view != ExportView::Sequence)
        m_stage->render(&p, QPoint(0, 0), QRegion(), QWidget::DrawWindowBackground);
    if (view != ExportView::Stage) {
        const int top = view == ExportView::Both ? stageSize().height() : 0;
        p.save();
        p.translate(0, top);
        m_ladder->render(&p, QPoint(0, 0), QRegion(),
                         QWidget::DrawWindowBackground | QWidget::DrawChildren);
        p.restore();
    }
}

QImage Snapshot::image(ExportView view, qreal scale) const {
    const QSize logical = size(view);
    QImage img(logical * scale, QImage::Format_ARGB32_Premultiplied);
    img.setDevicePixelRatio(scale);
    img.fill(m_stage->palette().color(QPalette::Base));
    QPainter p(&img);
    paint(p, view);
    p.end();
    return img;
}

QByteArray Snapshot::svg(ExportView view, const QString &title) const {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator gen;
    gen.setOutputDevice(&buffer);
    const QSize s = size(view);
    gen.setSize(s);
    gen.setViewBox(QRect(QPoint(0, 0), s));
    gen.setTitle(title);
    gen.setDescription(QStringLiteral("Socket Lab"));
    QPainter p(&gen);
    p.fillRect(QRect(QPoint(0, 0), s), m_stage->palette().color(QPalette::Base));
    paint(p, view);
    p.end();
    return buffer.data();
}

static bool writeAll(const QString &path, const QByteArray &data, QString *error) {
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit()) {
        if (error)
            *error = f.errorString();
        return false;
    }
    return true;
}

bool Snapshot::writeSvg(const QString &path, ExportView view, const QString &title,
                        QString *error) const {
    return writeAll(path, svg(view, title), error);
}

bool Snapshot::writePng(const QString &path, ExportView view, QString *error) const {
    QByteArray data;
    QBuffer buffer(&data);
    buffer.open(QIODevice::WriteOnly);
    if (!image(view).save(&buffer, "PNG")) {
        if (error)
            *error = QStringLiteral("PNG encoding failed");
        return false;
    }
    return writeAll(path, data, error);
}

} // namespace sl::ui
