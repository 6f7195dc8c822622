#include "ui/export/sequenceexport.h"

#include "ui/export/snapshot.h"
#include "ui/sequence/ladderview.h"
#include "ui/sequence/sequencemodel.h"

#include <QCoreApplication>
#include <QStringList>
#include <algorithm>

namespace sl::ui {

namespace {

QString actorTitle(const SequenceModel &m, int a) {
    const QString h =
        m.headerData(SequenceModel::FirstActorColumn + a, Qt::Horizontal, Qt::DisplayRole)
            .toString();
    return h.isEmpty() ? m.actorName(a) : h;
}

// Mermaid reads `;` as a statement end and `#` as the start of an entity code.
QString mermaidText(QString s) {
    s.replace(QLatin1Char('#'), QStringLiteral("#35;"));
    s.replace(QLatin1Char(';'), QStringLiteral("#59;"));
    s.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return s.simplified();
}

QString timeOf(const trace::Trace *t, std::size_t ev) {
    return t && ev < t->size() ? QString::number(t->event(ev).tNs / 1e9, 'f', 3)
                               : QStringLiteral("-");
}

} // namespace

QString sequenceMermaid(const Snapshot &snap, const QString &title) {
    SequenceModel &m = *snap.sequence();
    LadderView &ladder = *snap.ladder();
    QStringList out;
    out << QStringLiteral("sequenceDiagram");
    if (!title.isEmpty())
        out << QStringLiteral("    title %1").arg(mermaidText(title));
    for (int a = 0; a < m.actorCount(); ++a)
        out << QStringLiteral("    participant A%1 as %2")
                   .arg(a)
                   .arg(mermaidText(actorTitle(m, a)));
    const int n = ladder.itemCount();
    for (int i = 0; i < n; ++i) {
        const LadderView::Item it = ladder.item(i);
        const QString text = mermaidText(ladder.itemText(i));
        if (it.arrow) {
            const FlowArrow &fa = ladder.flow().arrows()[std::size_t(it.index)];
            const char *op = fa.kind == FlowArrow::Data  ? "->>"
                             : fa.kind == FlowArrow::Fin ? "--)"
                                                         : "-x";
            out << QStringLiteral("    A%1%2A%3: %4")
                       .arg(fa.from)
                       .arg(QLatin1String(op))
                       .arg(fa.to)
                       .arg(text);
        } else if (!text.isEmpty()) {
            out << QStringLiteral("    Note over A%1: %2").arg(m.rowActor(it.index)).arg(text);
        }
    }
    return out.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString sequencePlainText(const Snapshot &snap, const QString &title) {
    SequenceModel &m = *snap.sequence();
    LadderView &ladder = *snap.ladder();
    const trace::Trace *t = m.trace();
    int nameW = 6;
    for (int a = 0; a < m.actorCount(); ++a)
        nameW = std::max<int>(nameW, int(actorTitle(m, a).size()));
    QStringList out;
    if (!title.isEmpty())
        out << title << QString();
    const QString timeHead = LadderView::tr("Time (s)");
    out << QStringLiteral("%1  %2").arg(timeHead, 9).arg(QString(), -(2 * nameW + 3)).trimmed();
    const int n = ladder.itemCount();
    for (int i = 0; i < n; ++i) {
        const LadderView::Item it = ladder.item(i);
        const QString text = ladder.itemText(i).simplified();
        QString who;
        std::size_t ev;
        if (it.arrow) {
            const FlowArrow &fa = ladder.flow().arrows()[std::size_t(it.index)];
            who = actorTitle(m, fa.from) + QStringLiteral(" → ") + actorTitle(m, fa.to);
            ev = fa.event;
            out << QStringLiteral("%1  %2  %3")
                       .arg(timeOf(t, ev), 9)
                       .arg(who, -(2 * nameW + 3))
                       .arg(text);
        } else if (!text.isEmpty()) {
            who = actorTitle(m, m.rowActor(it.index));
            ev = m.rowAnchor(it.index);
            out << QStringLiteral("%1  %2  %3")
                       .arg(timeOf(t, ev), 9)
                       .arg(who, -(2 * nameW + 3))
                       .arg(
                           QString(
                               std::max(
                                   0, m.index(it.index, 0).data(SequenceModel::DepthRole).toInt()) *
                                   2,
                               QLatin1Char(' ')) +
                           text);
        }
    }
    return out.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace sl::ui
