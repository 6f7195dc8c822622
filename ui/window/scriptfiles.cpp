#include "ui/window/scriptfiles.h"

#include "ui/export/exportactions.h"
#include "ui/script/scriptpanel.h"
#include "ui/window/mainwindow.h"
#include "ui/window/pyexportaction.h"

#include "lessons/lessoncatalog.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QSettings>
#include <QStatusBar>

namespace sl::ui {

namespace {
const QString recentKey() {
    return QStringLiteral("files/recent");
}
} // namespace

ScriptFiles::ScriptFiles(MainWindow *window, ScriptPanel *script, QMenu *file)
    : QObject(window)
    , m_window(window)
    , m_script(script)
    , m_export(new ExportActions(window))
    , m_openAct(new QAction(this))
    , m_saveAct(new QAction(this))
    , m_saveAsAct(new QAction(this))
    , m_quitAct(new QAction(this))
    , m_recent(new QMenu(window)) {
    setObjectName(QStringLiteral("scriptFiles"));
    m_openAct->setObjectName(QStringLiteral("actionOpenScript"));
    m_openAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    m_saveAct->setObjectName(QStringLiteral("actionSaveScript"));
    m_saveAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_S));
    m_saveAsAct->setObjectName(QStringLiteral("actionSaveScriptAs"));
    m_quitAct->setObjectName(QStringLiteral("actionQuit"));
    m_quitAct->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAct->setMenuRole(QAction::QuitRole);
    m_recent->setObjectName(QStringLiteral("recentMenu"));
    connect(m_openAct, &QAction::triggered, this, [this] {
        if (!maybeDiscard())
            return;
        const QString dir = m_path.isEmpty() ? QString() : QFileInfo(m_path).path();
        const QString path = QFileDialog::getOpenFileName(m_window, tr("Open Script"), dir,
                                                          tr("Lab scripts (*.lab);;All files (*)"));
        QString error;
        if (!path.isEmpty() && !openScript(path, &error))
            QMessageBox::warning(m_window, tr("Open Script"), error);
    });
    connect(m_saveAct, &QAction::triggered, this, &ScriptFiles::save);
    connect(m_saveAsAct, &QAction::triggered, this, &ScriptFiles::saveAs);
    connect(m_quitAct, &QAction::triggered, m_window, &QWidget::close);
    connect(m_recent, &QMenu::aboutToShow, this, &ScriptFiles::rebuildRecent);

    // Scripts first, then what TimeTravel put there (traces), then pictures, then Quit.
    QAction *first = file->actions().value(0);
    file->insertActions(first, {m_openAct});
    file->insertMenu(first, m_recent);
    file->insertActions(first, {m_saveAct, m_saveAsAct});
    file->insertSeparator(first);
    file->addSeparator();
    file->addActions({m_export->exportAction(), m_export->copyAction()});
    file->addAction((new PyExportAction(window, script))->action()); // script/pyexport.h
    file->addSeparator();
    file->addAction(m_quitAct);
    window->addAction(m_quitAct); // also while the menu bar is hidden (presentation)
    rebuildRecent();
    retranslate();
}

void ScriptFiles::retranslate() {
    m_openAct->setText(tr("Open &Script…"));
    m_saveAct->setText(tr("Save S&cript"));
    m_saveAsAct->setText(tr("Save Script &As…"));
    m_recent->setTitle(tr("Open &Recent"));
    m_quitAct->setText(tr("&Quit"));
    m_export->retranslate();
    if (auto *py = m_window->findChild<PyExportAction *>())
        py->retranslate();
    rebuildRecent();
}

bool ScriptFiles::isDirty() const {
    return m_script->source() != m_savedText;
}

void ScriptFiles::setClean(const QString &source, const QString &path) {
    m_savedText = source;
    m_path = path;
}

QStringList ScriptFiles::recentFiles() const {
    return QSettings().value(recentKey()).toStringList();
}

void ScriptFiles::addRecent(const QString &path) {
    QStringList list = recentFiles();
    const QString abs = QFileInfo(path).absoluteFilePath();
    list.removeAll(abs);
    list.prepend(abs);
    while (list.size() > MaxRecent)
        list.removeLast();
    QSettings().setValue(recentKey(), list);
    rebuildRecent();
}

void ScriptFiles::rebuildRecent() {
    m_recent->clear();
    const QStringList list = recentFiles();
    for (const QString &path : list) {
        QAction *a = m_recent->addAction(QFileInfo(path).fileName());
        a->setToolTip(path);
        a->setStatusTip(path);
        connect(a, &QAction::triggered, this, [this, path] {
            if (!maybeDiscard())
                return;
            QString error;
            if (!openScript(path, &error))
                QMessageBox::warning(m_window, tr("Open Script"), error);
        });
    }
    if (list.isEmpty())
        m_recent->addAction(tr("No recent scripts"))->setEnabled(false);
}

bool ScriptFiles::openScript(const QString &path, QString *error) {
    QString source, why;
    if (!lessons::loadScriptFile(path, &source, &why)) {
        if (error)
            *error = why;
        return false;
    }
    m_window->openScriptText(source, path);
    setClean(source, QFileInfo(path).absoluteFilePath());
    addRecent(path);
    return true;
}

bool ScriptFiles::saveScript(const QString &path, QString *error) {
    const QString text = m_script->source();
    QSaveFile f(path);
    const QByteArray data = text.toUtf8();
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit()) {
        if (error)
            *error = f.errorString();
        return false;
    }
    setClean(text, QFileInfo(path).absoluteFilePath());
    addRecent(path);
    m_window->statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    return true;
}

bool ScriptFiles::save() {
    if (m_path.isEmpty())
        return saveAs();
    QString error;
    if (!saveScript(m_path, &error)) {
        QMessageBox::warning(m_window, tr("Save Script"),
                             tr("Cannot write %1: %2").arg(m_path, error));
        return false;
    }
    return true;
}

bool ScriptFiles::saveAs() {
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Save Script As"),
        m_path.isEmpty() ? QStringLiteral("experiment.lab") : m_path, tr("Lab scripts (*.lab)"));
    if (path.isEmpty())
        return false;
    QString error;
    if (!saveScript(path, &error)) {
        QMessageBox::warning(m_window, tr("Save Script"),
                             tr("Cannot write %1: %2").arg(path, error));
        return false;
    }
    return true;
}

bool ScriptFiles::maybeDiscard() {
    if (!isDirty())
        return true;
    QMessageBox box(QMessageBox::Question, tr("Unsaved script"),
                    tr("The script in the editor has changes that are not saved. Save them?"),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, m_window);
    box.setObjectName(QStringLiteral("unsavedScript"));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        return save();
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

} // namespace sl::ui

// MainWindow, continued: File (scripts, pictures, Quit) and Help.
#include "ui/time/timetravel.h"
#include "ui/window/helpmenu.h"
#include "ui/window/lessonsdock.h"
#include "ui/window/traceprogram.h"
#include "ui/window/watchwindow.h"

#include "engine/lab.h"

#include <QMenuBar>

namespace sl::ui {

void MainWindow::createFileAndHelp() {
    auto *file = findChild<QMenu *>(QStringLiteral("fileMenu")); // TimeTravel's
    m_files = new ScriptFiles(this, m_script, file);
    m_traceProgram = new TraceProgram(this, file); // issue 11: a program of the reader's
    connect(m_traceProgram, &TraceProgram::stateChanged, this, &MainWindow::updateActions);
    m_help = new HelpMenu(this, menuBar()->addMenu(QString()));
    // File → Watch… (issue 11 §2): before Quit, the menu's last action.
    auto *watch = new QAction(tr("Watch a Running Program…"), file);
    watch->setObjectName(QStringLiteral("watchAction"));
    connect(watch, &QAction::triggered, this, [this] { WatchWindow::ask(this); });
    const QList<QAction *> fileActions = file->actions();
    file->insertAction(fileActions.isEmpty() ? nullptr : fileActions.last(), watch);
}

void MainWindow::openScriptText(const QString &source, const QString &path) {
    std::vector<script::Diagnostic> diags;
    if (!m_lab->load(source, path, &diags))
        statusBar()->showMessage(tr("%1 does not parse").arg(path));
    m_script->setSource(source, path);
    m_lessons->setCurrentLesson({});
    m_lessonId.clear();
    m_typedWork = false; // saved in its file: "New experiment" need not ask
    m_timeTravel->setLesson({}, QFileInfo(path).fileName());
    setWindowTitle(tr("Socket Lab — %1").arg(QFileInfo(path).fileName()));
    updateActions();
}

} // namespace sl::ui
