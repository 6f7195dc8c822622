// ScriptFiles: the window's File menu for .lab scripts — Open Script… (Ctrl+O), Save
// Script (Ctrl+S), Save Script As…, Open Recent (the last eight, kept in QSettings
// "files/recent"), Export Picture… and Copy Picture (ui/export/), and Quit (Ctrl+Q).
// Unsaved edits — the editor's text differs from the script last opened or saved, or
// from the lesson as it was opened — are offered Save / Discard / Cancel before the
// window closes or another script replaces them.
//
// Ownership: a child of the MainWindow. Thread affinity: GUI thread.
#pragma once

#include <QObject>
#include <QStringList>

class QAction;
class QMenu;

namespace sl::ui {

class MainWindow;
class ScriptPanel;
class ExportActions;

class ScriptFiles : public QObject {
    Q_OBJECT
public:
    static constexpr int MaxRecent = 8;
    ScriptFiles(MainWindow *window, ScriptPanel *script, QMenu *fileMenu);

    QAction *openAction() const { return m_openAct; }
    QAction *saveAction() const { return m_saveAct; }
    QAction *saveAsAction() const { return m_saveAsAct; }
    QAction *quitAction() const { return m_quitAct; }
    QMenu *recentMenu() const { return m_recent; }
    ExportActions *exportActions() const { return m_export; }

    // Loads a script into the editor and the lab (one that does not parse stays in the
    // editor with its diagnostics). Asks first when there are unsaved edits.
    bool openScript(const QString &path, QString *error = nullptr);
    bool saveScript(const QString &path, QString *error = nullptr);
    QString path() const { return m_path; } // empty: a lesson or an unsaved experiment
    bool isDirty() const;
    // The editor now holds `source` as opened (a lesson: path empty).
    void setClean(const QString &source, const QString &path);
    // Unsaved edits: Save / Discard / Cancel. True when the caller may go on.
    bool maybeDiscard();
    QStringList recentFiles() const;
    void retranslate();

private:
    bool save();   // to path(), or Save As when there is none
    bool saveAs(); // asks where
    void addRecent(const QString &path);
    void rebuildRecent();

    MainWindow *m_window;
    ScriptPanel *m_script;
    ExportActions *m_export;
    QAction *m_openAct, *m_saveAct, *m_saveAsAct, *m_quitAct;
    QMenu *m_recent;
    QString m_path, m_savedText;
};

} // namespace sl::ui
