#include "ui/analysis/selectpanel.h"

#include "ui/analysis/selectmodel.h"
#include "ui/time/timecursor.h"
#include "ui/window/i18n.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeView>
#include <QVBoxLayout>

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
    m_view->header()->setStretchLastSection(true); // the Why column
    m_view->setColumnWidth(SelectModel::CallColumn, 180);
    m_view->setColumnWidth(SelectModel::InColumn, 190);
    m_view->setColumnWidth(SelectModel::OutColumn, 160);
    m_view->setColumnWidth(SelectModel::TimeoutColumn, 70);
    m_view->setColumnWidth(SelectModel::TookColumn, 55);
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
                           "on which recv/accept, send, or urgent data would not block."));
    });
}

void SelectPanel::updateHint() {
    m_hint->setVisible(m_model->rowCount() == 0);
}

} // namespace sl::ui
