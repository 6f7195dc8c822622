#include "ui/export/exportactions.h"

#include "ui/export/sequenceexport.h"
#include "ui/script/scriptpanel.h"
#include "ui/time/timecursor.h"
#include "ui/time/timetravel.h"
#include "ui/window/mainwindow.h"

#include "engine/lab.h"

#include <QAction>
#include <QApplication>
#include <QButtonGroup>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QMessageBox>
#include <QMimeData>
#include <QSaveFile>
#include <QStatusBar>

namespace sl::ui {

ExportActions::ExportActions(MainWindow *window)
    : QObject(window)
    , m_window(window)
    , m_exportAct(new QAction(this))
    , m_copyAct(new QAction(this)) {
    setObjectName(QStringLiteral("exportActions"));
    m_exportAct->setObjectName(QStringLiteral("actionExport"));
    m_exportAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_copyAct->setObjectName(QStringLiteral("actionCopyPicture"));
    m_copyAct->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    connect(m_exportAct, &QAction::triggered, this, &ExportActions::exportInteractively);
    connect(m_copyAct, &QAction::triggered, this, [this] {
        if (copyToClipboard())
            m_window->statusBar()->showMessage(tr("Picture copied to the clipboard"), 5000);
    });
    window->addAction(m_copyAct);
    retranslate();
}

void ExportActions::retranslate() {
    m_exportAct->setText(tr("&Export Picture…"));
    m_exportAct->setStatusTip(
        tr("The stage and the sequence as they look now: SVG, PNG, Mermaid or text"));
    m_copyAct->setText(tr("&Copy Picture"));
}

std::unique_ptr<Snapshot> ExportActions::snapshot() const {
    const TimeCursor *cursor = m_window->cursor();
    if (!cursor->trace())
        return nullptr;
    TimeTravel *tt = m_window->timeTravel();
    const QString source = tt->isReplay() ? tt->replayMeta().value(QStringLiteral("source"))
                                          : m_window->lab()->source();
    return std::make_unique<Snapshot>(*cursor->trace(), cursor->position(), source);
}

QString ExportActions::title() const {
    const QString t = m_window->windowTitle();
    return t;
}

bool ExportActions::exportTo(const QString &path, Format format, ExportView view,
                             QString *error) const {
    const auto snap = snapshot();
    if (!snap) {
        if (error)
            *error = tr("There is nothing to export yet.");
        return false;
    }
    switch (format) {
    case Svg:
        return snap->writeSvg(path, view, title(), error);
    case Png:
        return snap->writePng(path, view, error);
    case Mermaid:
    case Text: {
        const QString text =
            format == Mermaid ? sequenceMermaid(*snap, title()) : sequencePlainText(*snap, title());
        QSaveFile f(path);
        const QByteArray data = text.toUtf8();
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit()) {
            if (error)
                *error = f.errorString();
            return false;
        }
        return true;
    }
    }
    return false;
}

bool ExportActions::copyToClipboard() const {
    const auto snap = snapshot();
    if (!snap)
        return false;
    auto *mime = new QMimeData;
    mime->setImageData(snap->image(ExportView::Both));
    mime->setData(QStringLiteral("image/svg+xml"), snap->svg(ExportView::Both, title()));
    mime->setText(sequencePlainText(*snap, title()));
    QApplication::clipboard()->setMimeData(mime);
    return true;
}

void ExportActions::exportInteractively() {
    QDialog dialog(m_window);
    dialog.setObjectName(QStringLiteral("exportDialog"));
    dialog.setWindowTitle(tr("Export Picture"));
    auto *form = new QFormLayout(&dialog);
    auto *what = new QComboBox(&dialog);
    what->setObjectName(QStringLiteral("exportView"));
    what->addItem(tr("Stage and sequence"), int(ExportView::Both));
    what->addItem(tr("Stage"), int(ExportView::Stage));
    what->addItem(tr("Sequence"), int(ExportView::Sequence));
    auto *how = new QComboBox(&dialog);
    how->setObjectName(QStringLiteral("exportFormat"));
    how->addItem(tr("SVG picture (vector)"), int(Svg));
    how->addItem(tr("PNG picture (2× pixels)"), int(Png));
    how->addItem(tr("Mermaid sequence diagram (text)"), int(Mermaid));
    how->addItem(tr("Plain text sequence"), int(Text));
    // Mermaid and text say the sequence only.
    connect(how, &QComboBox::currentIndexChanged, what, [how, what] {
        const bool picture = how->currentData().toInt() <= Png;
        what->setEnabled(picture);
    });
    form->addRow(tr("Show:"), what);
    form->addRow(tr("Format:"), how);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const Format format = Format(how->currentData().toInt());
    const ExportView view = ExportView(what->currentData().toInt());
    static const char *const suffix[] = {"svg", "png", "mmd", "txt"};
    const QString filter[] = {tr("SVG pictures (*.svg)"), tr("PNG pictures (*.png)"),
                              tr("Mermaid diagrams (*.mmd *.md)"), tr("Text files (*.txt)")};
    QString path = QFileDialog::getSaveFileName(
        m_window, tr("Export Picture"),
        QStringLiteral("socketlab.") + QLatin1String(suffix[format]), filter[format]);
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(path, format, view, &error))
        QMessageBox::warning(m_window, tr("Export Picture"),
                             tr("Cannot write %1: %2").arg(path, error));
    else
        m_window->statusBar()->showMessage(tr("Exported %1").arg(path), 5000);
}

} // namespace sl::ui
