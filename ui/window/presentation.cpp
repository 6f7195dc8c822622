#include "ui/window/presentation.h"

#include <QAction>
#include <QDockWidget>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <algorithm>

namespace sl::ui {

Presentation::Presentation(QMainWindow *window)
    : QObject(window)
    , m_window(window)
    , m_toggle(new QAction(tr("Presentation Mode"), window))
    , m_leave(new QAction(tr("Leave Presentation Mode"), window)) {
    setObjectName(QStringLiteral("presentation"));
    m_toggle->setObjectName(QStringLiteral("actionPresentation"));
    m_toggle->setCheckable(true);
    m_toggle->setShortcut(QKeySequence(Qt::Key_F11));
    m_toggle->setToolTip(tr("Large type and only the stage, the sequence and the narration, "
                            "for a projector (F11)"));
    connect(m_toggle, &QAction::toggled, this, &Presentation::setActive);
    m_leave->setObjectName(QStringLiteral("actionLeavePresentation"));
    m_leave->setShortcut(QKeySequence(Qt::Key_Escape));
    m_leave->setEnabled(false);
    connect(m_leave, &QAction::triggered, this, [this] { setActive(false); });
    // Window-wide shortcuts work even while the menu bar is hidden.
    window->addAction(m_toggle);
    window->addAction(m_leave);
}

void Presentation::setKept(const QList<QDockWidget *> &docks, QToolBar *toolBar) {
    m_keptDocks.clear();
    for (QDockWidget *d : docks)
        m_keptDocks << d;
    m_keptBar = toolBar;
}

QPalette Presentation::highContrastPalette() {
    QPalette p(QColor(0xee, 0xee, 0xee), Qt::white);
    for (auto group : {QPalette::Active, QPalette::Inactive}) {
        p.setColor(group, QPalette::Window, Qt::white);
        p.setColor(group, QPalette::WindowText, Qt::black);
        p.setColor(group, QPalette::Base, Qt::white);
        p.setColor(group, QPalette::AlternateBase, QColor(0xf0, 0xf0, 0xf0));
        p.setColor(group, QPalette::Text, Qt::black);
        p.setColor(group, QPalette::ButtonText, Qt::black);
        p.setColor(group, QPalette::PlaceholderText, QColor(0x30, 0x30, 0x30));
        p.setColor(group, QPalette::Highlight, QColor(0x00, 0x3d, 0xb8));
        p.setColor(group, QPalette::HighlightedText, Qt::white);
        p.setColor(group, QPalette::ToolTipBase, QColor(0xff, 0xf4, 0xb8));
        p.setColor(group, QPalette::ToolTipText, Qt::black);
        p.setColor(group, QPalette::Mid, QColor(0x60, 0x60, 0x60));
        p.setColor(group, QPalette::Dark, QColor(0x30, 0x30, 0x30));
    }
    return p;
}

void Presentation::setActive(bool active) {
    if (active == m_active)
        return;
    if (active)
        enter();
    else
        leave();
    m_active = active;
    m_toggle->setChecked(active); // re-enters setActive() with nothing to do
    m_leave->setEnabled(active);
    emit activeChanged(active);
}

void Presentation::enter() {
    m_state = m_window->saveState();
    m_windowState = m_window->windowState();
    m_size = m_window->size();
    m_hadFont = m_window->testAttribute(Qt::WA_SetFont);
    m_hadPalette = m_window->testAttribute(Qt::WA_SetPalette);
    m_font = m_window->font();
    m_palette = m_window->palette();
    m_menuVisible = m_window->menuWidget() && m_window->menuWidget()->isVisible();
    m_statusVisible = m_window->statusBar()->isVisible();

    QFont big = m_window->font();
    big.setPointSizeF(big.pointSizeF() * FontScale);
    m_window->setFont(big);
    // The stage derives its layout from its font: it takes the large type too.
    if (QWidget *c = m_window->centralWidget()) {
        m_central = c;
        m_centralHadFont = c->testAttribute(Qt::WA_SetFont);
        m_centralFont = c->font();
        c->setFont(big);
    }
    m_window->setPalette(highContrastPalette());

    if (!m_narrationDock) {
        m_narrationDock = new QDockWidget(tr("Narration"), m_window);
        m_narrationDock->setObjectName(QStringLiteral("presentationNarrationDock"));
        m_narrationDock->setFeatures(QDockWidget::NoDockWidgetFeatures);
        m_narrationDock->setTitleBarWidget(new QWidget(m_narrationDock));
        m_narration = new QLabel(m_narrationDock);
        m_narration->setObjectName(QStringLiteral("presentationNarration"));
        m_narration->setWordWrap(true);
        m_narration->setTextFormat(Qt::PlainText);
        m_narration->setMargin(12);
        m_narration->setBackgroundRole(QPalette::ToolTipBase);
        m_narration->setForegroundRole(QPalette::ToolTipText);
        m_narration->setAutoFillBackground(true);
        m_narration->setText(m_text);
        m_narrationDock->setWidget(m_narration);
        m_window->addDockWidget(Qt::TopDockWidgetArea, m_narrationDock);
    }
    QFont nf = big;
    nf.setPointSizeF(big.pointSizeF() * 1.15);
    m_narration->setFont(nf);

    for (QDockWidget *d : m_window->findChildren<QDockWidget *>()) {
        bool keep = d == m_narrationDock;
        for (const auto &k : std::as_const(m_keptDocks))
            keep = keep || k == d;
        d->setVisible(keep);
    }
    for (QToolBar *bar : m_window->findChildren<QToolBar *>()) {
        if (bar->parentWidget() != m_window)
            continue; // a panel's own toolbar goes with its panel
        bar->setVisible(bar == m_keptBar);
    }
    if (m_keptBar) {
        m_barStyle = m_keptBar->toolButtonStyle();
        m_barIcons = m_keptBar->iconSize();
        m_keptBar->setIconSize(m_barIcons * FontScale);
    }
    if (m_window->menuWidget())
        m_window->menuWidget()->hide();
    m_window->statusBar()->hide();

    // Rows sized for the normal font would clip the large one.
    m_rowHeights.clear();
    const int rowH = QFontMetrics(big).height() + 10;
    for (QTableView *v : m_window->findChildren<QTableView *>()) {
        m_rowHeights.insert(v, v->verticalHeader()->defaultSectionSize());
        v->verticalHeader()->setDefaultSectionSize(rowH);
    }
    // Two lines of narration; the sequence keeps a quarter of the height.
    m_window->resizeDocks({m_narrationDock}, {QFontMetrics(nf).lineSpacing() * 2 + 28},
                          Qt::Vertical);
    for (const auto &d : std::as_const(m_keptDocks))
        if (d && m_window->dockWidgetArea(d) == Qt::BottomDockWidgetArea)
            m_window->resizeDocks({d}, {m_window->height() / 4}, Qt::Vertical);
    m_window->installEventFilter(this);
    m_window->showFullScreen();
    fitNarration();
}

bool Presentation::eventFilter(QObject *watched, QEvent *event) {
    if (watched == m_window && event->type() == QEvent::Resize)
        fitNarration();
    return QObject::eventFilter(watched, event);
}

// A dock does not ask its widget's heightForWidth: without this a narration of three
// lines at the projector's width would be cut to two.
void Presentation::fitNarration() {
    if (!m_narration)
        return;
    const int width = m_window->width() - 2 * m_narration->margin();
    const int lines = QFontMetrics(m_narration->font()).lineSpacing();
    const int h = std::min(m_narration->heightForWidth(std::max(width, 100)), lines * 6);
    m_narration->setMinimumHeight(std::max(h, lines + 2 * m_narration->margin()));
}

void Presentation::leave() {
    m_window->removeEventFilter(this);
    for (QTableView *v : m_window->findChildren<QTableView *>())
        if (m_rowHeights.contains(v))
            v->verticalHeader()->setDefaultSectionSize(m_rowHeights.value(v));
    m_window->setFont(m_hadFont ? m_font : QFont());
    if (m_central)
        m_central->setFont(m_centralHadFont ? m_centralFont : QFont());
    m_window->setPalette(m_hadPalette ? m_palette : QPalette());
    if (m_keptBar) {
        m_keptBar->setToolButtonStyle(m_barStyle);
        m_keptBar->setIconSize(m_barIcons);
    }
    if (m_narrationDock)
        m_narrationDock->hide();
    if (m_window->menuWidget())
        m_window->menuWidget()->setVisible(m_menuVisible);
    m_window->statusBar()->setVisible(m_statusVisible);
    m_window->setWindowState(m_windowState);
    if (!(m_windowState & (Qt::WindowFullScreen | Qt::WindowMaximized)))
        m_window->resize(m_size);
    m_window->restoreState(m_state);
}

void Presentation::setNarration(const QString &text) {
    m_text = text;
    if (m_narration) {
        m_narration->setText(text);
        fitNarration();
    }
}

} // namespace sl::ui
