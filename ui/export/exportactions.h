// ExportActions: File → Export… and Copy Picture in the window. Export… asks what
// (the stage, the sequence or both) and how (SVG, PNG at 2×, Mermaid, plain text), then
// where; Copy Picture puts the picture of both views on the clipboard as PNG and SVG,
// with the sequence as plain text beside them (what a slide tool, a chat or an editor
// pastes). Both show the point the time cursor stands on, live or looking back, in the
// window's language (ui/export/snapshot.h).
//
// Ownership: a child of the MainWindow. Thread affinity: GUI thread.
#pragma once

#include "ui/export/snapshot.h"

#include <QObject>
#include <memory>

class QAction;

namespace sl::ui {

class MainWindow;

class ExportActions : public QObject {
    Q_OBJECT
public:
    enum Format { Svg, Png, Mermaid, Text };
    explicit ExportActions(MainWindow *window);

    QAction *exportAction() const { return m_exportAct; }
    QAction *copyAction() const { return m_copyAct; }

    // What the window shows now, or nullptr when there is no trace to draw.
    std::unique_ptr<Snapshot> snapshot() const;
    QString title() const; // the lesson's (or file's) title, for the pictures
    bool exportTo(const QString &path, Format format, ExportView view,
                  QString *error = nullptr) const;
    bool copyToClipboard() const;
    void retranslate();

private:
    void exportInteractively();

    MainWindow *m_window;
    QAction *m_exportAct;
    QAction *m_copyAct;
};

} // namespace sl::ui
