// File → Export as Python…: the script in the editor (a lesson or the learner's own) as
// a runnable Python 3 program (script/pyexport.h), narration in the window's language.
// Asks where, writes the file; a script that does not parse is refused with its first
// diagnostic.
//
// Ownership: a child of the MainWindow. Thread affinity: GUI thread.
#pragma once

#include <QObject>
#include <QString>

class QAction;
class QWidget;

namespace sl::ui {

class ScriptPanel;

class PyExportAction : public QObject {
    Q_OBJECT
public:
    PyExportAction(QWidget *window, ScriptPanel *script);

    QAction *action() const { return m_act; }
    // Writes the editor's script as Python to `path`; false with *error when it cannot.
    bool exportTo(const QString &path, QString *error = nullptr) const;
    void retranslate();

private:
    void exportInteractively();

    QWidget *m_window;
    ScriptPanel *m_script;
    QAction *m_act;
};

} // namespace sl::ui
