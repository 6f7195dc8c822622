// Presentation: the lab window's projector mode (F11). Large type, high-contrast
// colours, full screen, and only the stage, the sequence and the narration: every other
// dock, the menu bar, the status bar and all but the lab toolbar are hidden. Leaving
// (F11 again, or Esc) restores the previous layout exactly (QMainWindow::saveState /
// restoreState), the window state, fonts and palette.
//
// The narration is shown in a dock of its own (the script dock, which holds it
// normally, is hidden); setNarration() feeds it.
//
// Ownership: a child of the window it manages; owns its narration dock (a child of the
// window). Thread affinity: GUI thread.
#pragma once

#include <QByteArray>
#include <QFont>
#include <QHash>
#include <QObject>
#include <QPalette>
#include <QPointer>
#include <QSize>

class QAction;
class QDockWidget;
class QLabel;
class QMainWindow;
class QToolBar;

namespace sl::ui {

class Presentation : public QObject {
    Q_OBJECT
public:
    static constexpr double FontScale = 1.6;

    explicit Presentation(QMainWindow *window);

    // What stays visible: these docks and this toolbar (besides the central widget).
    void setKept(const QList<QDockWidget *> &docks, QToolBar *toolBar);

    bool isActive() const { return m_active; }
    void setActive(bool active);
    QAction *toggleAction() const { return m_toggle; } // F11, checkable
    QAction *leaveAction() const { return m_leave; }   // Esc, enabled while active

    void setNarration(const QString &text);
    QString narration() const { return m_text; }

    // The projector palette: near-black on white, strong selection colours.
    static QPalette highContrastPalette();

signals:
    void activeChanged(bool active);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override; // the window resized

private:
    void enter();
    void leave();
    void fitNarration(); // the narration's height follows its text at the window's width

    QMainWindow *m_window;
    QAction *m_toggle;
    QAction *m_leave;
    QDockWidget *m_narrationDock = nullptr;
    QLabel *m_narration = nullptr;
    QList<QPointer<QDockWidget>> m_keptDocks;
    QPointer<QToolBar> m_keptBar;
    bool m_active = false;
    QString m_text;

    // What enter() changed, for leave().
    QByteArray m_state;
    Qt::WindowStates m_windowState;
    QSize m_size;
    bool m_hadFont = false, m_hadPalette = false;
    QFont m_font;
    QPointer<QWidget> m_central;
    bool m_centralHadFont = false;
    QFont m_centralFont;
    QPalette m_palette;
    bool m_menuVisible = true, m_statusVisible = true;
    Qt::ToolButtonStyle m_barStyle = Qt::ToolButtonTextBesideIcon;
    QSize m_barIcons;
    QHash<QObject *, int> m_rowHeights; // table views' row heights
};

} // namespace sl::ui
