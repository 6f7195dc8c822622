#include "ui/window/analysisdocks.h"

#include "ui/analysis/selectpanel.h"
#include "ui/sequence/sequencemodel.h"
#include "ui/stage/inspector.h"
#include "ui/stage/kernelmodel.h"
#include "ui/stage/stageview.h"
#include "ui/time/timecursor.h"
#include "ui/time/tracetablemodel.h"
#include "ui/window/i18n.h"
#include "ui/window/mainwindow.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QScrollArea>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>
#include <memory>

namespace sl::ui {

namespace {

QTableView *makeTable(QWidget *parent, QAbstractItemModel *model) {
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed); // no row is measured
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setWordWrap(false);
    return view;
}

// The trace table with its kind filter. Rows are events; a double click moves the
// time cursor to just after the event.
QWidget *makeTracePanel(QWidget *parent, TimeCursor *cursor) {
    auto *panel = new QWidget(parent);
    auto *model = new TraceTableModel(cursor, panel);
    auto *filter = new QComboBox(panel);
    filter->setObjectName(QStringLiteral("traceKindFilter"));
    filter->addItem(QString(), -1); // "all kinds", set below in the window's language
    for (int k = 0; k < int(trace::EventKind::Count_); ++k)
        filter->addItem(QLatin1String(trace::eventKindName(trace::EventKind(k))), k);
    auto *view = makeTable(panel, model);
    view->setObjectName(QStringLiteral("traceView"));
    view->setColumnWidth(TraceTableModel::TimeColumn, 90);
    view->setColumnWidth(TraceTableModel::KindColumn, 100);
    view->setColumnWidth(TraceTableModel::ActorColumn, 70);
    view->setColumnWidth(TraceTableModel::SocketColumn, 60);
    view->setColumnWidth(TraceTableModel::LineColumn, 40);

    auto *top = new QHBoxLayout;
    auto *show = new QLabel(panel);
    top->addWidget(show);
    top->addWidget(filter);
    top->addStretch(1);
    retranslateWith(panel, [show, filter] {
        show->setText(QCoreApplication::translate("sl::ui::AnalysisDocks", "Show:"));
        filter->setItemText(0, QCoreApplication::translate("sl::ui::AnalysisDocks", "all kinds"));
    });
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(view, 1);

    QObject::connect(filter, &QComboBox::currentIndexChanged, model, [model, filter](int i) {
        const int k = filter->itemData(i).toInt();
        model->setKindFilter(k < 0 ? std::nullopt : std::optional(trace::EventKind(k)));
    });
    // Follow new events while the view is at the bottom (a reader scrolled up stays put).
    QObject::connect(model, &QAbstractItemModel::rowsAboutToBeInserted, view, [view] {
        QScrollBar *bar = view->verticalScrollBar();
        view->setProperty("atBottom", bar->value() == bar->maximum());
    });
    QObject::connect(model, &QAbstractItemModel::rowsInserted, view, [view] {
        if (view->property("atBottom").toBool())
            view->scrollToBottom();
    });
    QObject::connect(view, &QAbstractItemView::doubleClicked, cursor,
                     [cursor, model](const QModelIndex &i) {
                         cursor->setPosition(model->eventIndex(i.row()) + 1);
                     });
    return panel;
}

QDockWidget *addDock(MainWindow *w, const QString &title, const char *name, QWidget *widget,
                     Qt::DockWidgetArea area) {
    auto *dock = new QDockWidget(title, w);
    dock->setObjectName(QLatin1String(name));
    dock->setWidget(widget);
    w->addDockWidget(area, dock);
    return dock;
}

} // namespace

void installAnalysisDocks(MainWindow *w) {
    TimeCursor *cursor = w->cursor();

    auto *selectPanel = new SelectPanel(cursor, w);
    auto *inspector = new Inspector(cursor, w);
    auto *kernelView = makeTable(w, new KernelModel(cursor, w));
    kernelView->setObjectName(QStringLiteral("kernelView"));
    kernelView->setColumnWidth(KernelModel::NetidColumn, 50);
    kernelView->setColumnWidth(KernelModel::StateColumn, 100);
    kernelView->setColumnWidth(KernelModel::RecvQColumn, 70);
    kernelView->setColumnWidth(KernelModel::SendQColumn, 70);
    kernelView->setColumnWidth(KernelModel::LocalColumn, 140);
    kernelView->setColumnWidth(KernelModel::PeerColumn, 140);

    QDockWidget *selectDock =
        addDock(w, QCoreApplication::translate("sl::ui::AnalysisDocks", "select()"), SelectDockName,
                selectPanel, Qt::RightDockWidgetArea);
    // In a scroll area: its fields (addresses, the socket list) widen as sockets appear,
    // and the dock must not grow with them and take the stage's width.
    auto *inspectorScroll = new QScrollArea(w);
    inspectorScroll->setObjectName(QStringLiteral("inspectorScroll"));
    inspectorScroll->setFrameShape(QFrame::NoFrame);
    inspectorScroll->setWidgetResizable(true);
    inspectorScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // values wrap
    inspectorScroll->setWidget(inspector);
    QDockWidget *inspectorDock =
        addDock(w, QCoreApplication::translate("sl::ui::AnalysisDocks", "Inspector"),
                InspectorDockName, inspectorScroll, Qt::RightDockWidgetArea);
    QDockWidget *traceDock =
        addDock(w, QCoreApplication::translate("sl::ui::AnalysisDocks", "Trace"), TraceDockName,
                makeTracePanel(w, cursor), Qt::BottomDockWidgetArea);
    QDockWidget *kernelDock =
        addDock(w, QCoreApplication::translate("sl::ui::AnalysisDocks", "Kernel"), KernelDockName,
                kernelView, Qt::BottomDockWidgetArea);
    // Right: the inspector and the select() panel as tabs (both want the height).
    // Bottom: the trace and the kernel view as tabs beside the sequence, which stays
    // in front.
    w->tabifyDockWidget(inspectorDock, selectDock);
    inspectorDock->raise();
    if (auto *seq = w->findChild<QDockWidget *>(QStringLiteral("sequenceDock"))) {
        w->tabifyDockWidget(seq, traceDock);
        w->tabifyDockWidget(seq, kernelDock);
        seq->raise();
    } else {
        w->tabifyDockWidget(traceDock, kernelDock);
    }

    // The inspector follows the socket of the call at the cursor (the one the learner just
    // stepped), until a socket is chosen by hand: a card clicked on the stage or an entry
    // picked in its list. A click on the stage's background follows the calls again.
    auto pinned = std::make_shared<bool>(false);
    QObject::connect(w->stageView(), &StageView::socketSelected, inspector,
                     [inspector, inspectorDock, pinned](int sockId) {
                         *pinned = sockId >= 0;
                         if (sockId < 0)
                             return;
                         inspector->setSocket(sockId);
                         inspectorDock->raise();
                     });
    QObject::connect(inspector->socketList(), &QComboBox::activated, inspector,
                     [pinned] { *pinned = true; });
    SequenceModel *calls = w->sequenceModel();
    QObject::connect(cursor, &TimeCursor::positionChanged, inspector,
                     [inspector, calls, cursor, pinned](std::size_t position) {
                         const trace::Trace *t = cursor->trace();
                         const int row = calls->rowAtPosition(position);
                         if (*pinned || !t || row < 0)
                             return;
                         // The latest call of a script line: a Wire's relay calls (no
                         // line) go on in the background and would pull the inspector
                         // away from the sockets the learner is stepping.
                         for (int r = row; r >= 0 && r > row - 256; --r) {
                             const auto begin = calls->index(r, SequenceModel::TimeColumn)
                                                    .data(SequenceModel::BeginEventRole)
                                                    .toULongLong();
                             if (begin >= t->size())
                                 continue;
                             const trace::Event &e = t->event(begin);
                             if (e.line == 0 || e.sock < 0)
                                 continue;
                             inspector->followSocket(e.sock);
                             return;
                         }
                     });

    auto *menu = w->findChild<QMenu *>(QStringLiteral("viewMenu"));
    if (!menu) {
        menu = w->menuBar()->addMenu(QCoreApplication::translate("sl::ui::AnalysisDocks", "&View"));
        menu->setObjectName(QStringLiteral("viewMenu"));
    }
    menu->addSeparator();
    for (QDockWidget *d : {selectDock, inspectorDock, traceDock, kernelDock})
        menu->addAction(d->toggleViewAction());
}

} // namespace sl::ui
