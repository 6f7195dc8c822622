// HelpMenu: Help → .lab Reference (the README's "Writing a lesson" section — the .lab
// language — shown in the window, read from the README embedded as :/doc/README.md so
// there is one text to keep) and Help → About Socket Lab (version, licence, Qt version,
// the kernel the lab runs on).
//
// Ownership: a child of the MainWindow. Thread affinity: GUI thread.
#pragma once

#include <QObject>

class QAction;
class QMenu;
class QWidget;

namespace sl::ui {

// The licence of Socket Lab (LICENSE, README "Licence"): said in one place.
inline constexpr char LabLicence[] = "GPL-3.0-or-later";

// The README's section on the .lab language, as Markdown (empty if it is missing).
QString labReferenceMarkdown();
// What About says: name, version, licence, Qt (built with / running), kernel (uname).
QString aboutText();

class HelpMenu : public QObject {
    Q_OBJECT
public:
    explicit HelpMenu(QWidget *window, QMenu *menu);
    QMenu *menu() const { return m_menu; }
    QAction *referenceAction() const { return m_referenceAct; }
    QAction *aboutAction() const { return m_aboutAct; }
    QWidget *showReference(); // the reference window (one, raised when asked again)
    void retranslate();

private:
    QWidget *m_window;
    QMenu *m_menu;
    QAction *m_referenceAct;
    QAction *m_aboutAct;
    QWidget *m_reference = nullptr;
};

} // namespace sl::ui
