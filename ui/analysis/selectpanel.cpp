#include "ui/analysis/selectpanel.h"

#include "ui/analysis/selectmodel.h"
#include "ui/time/timecursor.h"
#include "ui/window/i18n.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>

namespace sl::ui {

SelectPanel::SelectPanel(TimeCursor *cursor, QWidget *parent)
    : QWidget(parent)
    , m_model(new SelectModel(cursor, this))
    , m_view(new QTreeView(this))
    , m_hint(new QLabel(this)) {
    m_view->setObjectName(QStringLiteral("selectView"));
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    // The Why column is the point of the panel (lesson 12 is about why a socket is or is
    // not ready): it comes right after the call and its sockets, and gets the room left,
    // never less than 45% of the width — so it shows at the window's default width; what
    // does not fit then (the sets, the timeout, how long it took) scrolls.
    QHeaderView *header = m_view->header();
    header->moveSection(header->visualIndex(SelectModel::WhyColumn), 1);
    header->setStretchLastSection(false);
    header->setMinimumSectionSize(fontMetrics().horizontalAdvance(QStringLiteral("MMM")));
    fitColumns();
    m_view->viewport()->installEventFilter(this);
    m_hint->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_hint);
    layout->addWidget(m_view, 1);

    // New calls open with their sockets shown: the reasons are the point of the panel.
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &parent, int first, int last) {
                if (parent.isValid())
                    return;
                for (int r = first; r <= last; ++r)
                    m_view->expand(m_model->index(r, 0));
                m_view->scrollTo(m_model->index(last, 0));
                updateHint();
            });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_view->expandAll();
        updateHint();
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &SelectPanel::updateHint);
    connect(m_view, &QAbstractItemView::doubleClicked, this, [this, cursor](const QModelIndex &i) {
        const QModelIndex call = i.parent().isValid() ? i.parent() : i.siblingAtColumn(0);
        const qlonglong out = call.data(SelectModel::EndEventRole).toLongLong();
        if (out >= 0 && cursor)
            cursor->setPosition(std::size_t(out) + 1);
    });
    m_view->expandAll();
    updateHint();
    retranslateWith(this, [this] {
        m_hint->setText(tr("No select() call yet. select(r, w, x, timeout) returns the sockets "
                           "on which recv/accept, send, or urgent data would not block. poll(), "
                           "epoll.poll() and selector.select() are shown here too."));
    });
}

void SelectPanel::fitColumns() {
    const QFontMetrics fm(font());
    const int pad = fm.horizontalAdvance(QStringLiteral("MM"));
    const int call = fm.horizontalAdvance(QStringLiteral("line 99 epoll.poll")) + pad;
    const int in = fm.horizontalAdvance(SelectModel::tr("exception set")) + pad;
    const int out = fm.horizontalAdvance(SelectModel::tr("not ready")) + pad;
    const int timeout = fm.horizontalAdvance(QStringLiteral("500.0 ms")) + pad;
    const int took = fm.horizontalAdvance(QStringLiteral("500.0 ms")) + pad;
    const int width = m_view->viewport()->width();
    const int why = std::max({width - call - in - out - timeout - took, width * 45 / 100,
                              fm.horizontalAdvance(QStringLiteral("readable: 4 bytes waiting"))});
    m_view->setColumnWidth(SelectModel::CallColumn, call);
    m_view->setColumnWidth(SelectModel::InColumn, in);
    m_view->setColumnWidth(SelectModel::OutColumn, out);
    m_view->setColumnWidth(SelectModel::WhyColumn, why);
    m_view->setColumnWidth(SelectModel::TimeoutColumn, timeout);
    m_view->setColumnWidth(SelectModel::TookColumn, took);
}

bool SelectPanel::eventFilter(QObject *watched, QEvent *event) {
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        fitColumns();
    return QWidget::eventFilter(watched, event);
}

void SelectPanel::updateHint() {
    m_hint->setVisible(m_model->rowCount() == 0);
}

} // namespace sl::ui
