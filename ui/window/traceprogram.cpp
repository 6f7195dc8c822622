#include "ui/window/traceprogram.h"
#include "ui/time/timetravel.h"

#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QTemporaryDir>

namespace sl::ui {

TraceProgram::TraceProgram(QWidget *window, TimeTravel *timeTravel, QMenu *fileMenu)
    : QObject(window)
    , m_window(window)
    , m_timeTravel(timeTravel)
    , m_action(new QAction(this))
    , m_workDir(QDir::currentPath()) {
    m_action->setObjectName(QStringLiteral("actionTraceProgram"));
    if (fileMenu) { // beside Open Trace…, so Quit stays last
        QAction *before = nullptr;
        const QList<QAction *> actions = fileMenu->actions();
        for (qsizetype i = 0; i < actions.size(); ++i)
            if (actions[i]->objectName() == QLatin1String("actionOpenTrace") &&
                i + 1 < actions.size())
                before = actions[i + 1];
        fileMenu->insertAction(before, m_action);
    }
    connect(m_action, &QAction::triggered, this, &TraceProgram::ask);
    retranslate();
}

TraceProgram::~TraceProgram() {
    if (m_process) { // the window closes while the program runs: it ends with the lab
        m_process->kill();
        m_process->waitForFinished(3000);
    }
    delete m_dir;
}

void TraceProgram::retranslate() {
    m_action->setText(tr("&Trace a Program…"));
    m_action->setToolTip(tr("Run a program of yours (python3 client.py, curl, nc) and show "
                            "every socket call it makes"));
}

void TraceProgram::ask() {
    if (m_process)
        return;
    bool ok = false;
    const QString line = QInputDialog::getText(
        m_window, tr("Trace a Program"),
        tr("Command line (run in %1):").arg(QDir::toNativeSeparators(m_workDir)), QLineEdit::Normal,
        m_commandLine.isEmpty() ? QStringLiteral("python3 client.py") : m_commandLine, &ok);
    if (!ok || line.trimmed().isEmpty())
        return;
    const QStringList argv = QProcess::splitCommand(line);
    if (argv.isEmpty())
        return;
    const QString dir =
        QFileDialog::getExistingDirectory(m_window, tr("Working Directory"), m_workDir);
    if (dir.isEmpty())
        return;
    m_commandLine = line;
    m_workDir = dir;
    delete m_dir;
    m_dir = new QTemporaryDir;
    m_process = new QProcess(this);
    m_process->setWorkingDirectory(dir);
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    connect(m_process, &QProcess::finished, this, &TraceProgram::finished);
    m_action->setEnabled(false);
    m_process->start(
        QCoreApplication::applicationFilePath(),
        QStringList{QStringLiteral("trace"), QStringLiteral("--quiet"), QStringLiteral("--trace"),
                    m_dir->filePath(QStringLiteral("trace.jsonl")), QStringLiteral("--")} +
            argv);
}

void TraceProgram::finished() {
    QProcess *p = m_process;
    m_process = nullptr;
    p->deleteLater();
    m_action->setEnabled(true);
    const QString output = QString::fromLocal8Bit(p->readAll()).right(2000);
    QString error, warning;
    if (!m_timeTravel->openTrace(m_dir->filePath(QStringLiteral("trace.jsonl")), &error,
                                 &warning)) {
        QMessageBox::warning(m_window, tr("Trace a Program"),
                             tr("The program could not be traced: %1\n\n%2").arg(error, output));
        return;
    }
    if (!warning.isEmpty())
        QMessageBox::information(m_window, tr("Trace a Program"), warning);
}

} // namespace sl::ui
