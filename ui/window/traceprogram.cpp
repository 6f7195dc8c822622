#include "ui/window/traceprogram.h"

#include "ui/sequence/sequencemodel.h"
#include "ui/time/timecursor.h"
#include "ui/time/timetravel.h"
#include "ui/time/tracefeed.h"
#include "ui/window/mainwindow.h"
#include "ui/window/programrun.h"

#include "engine/lab.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QStatusBar>

namespace sl::ui {

TraceProgram::TraceProgram(MainWindow *window, QMenu *fileMenu)
    : QObject(window)
    , m_window(window)
    , m_action(new QAction(this))
    , m_workDir(QDir::currentPath()) {
    setObjectName(QStringLiteral("traceProgram"));
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
    // One program at a time.
    connect(this, &TraceProgram::stateChanged, this, [this] { m_action->setEnabled(!isActive()); });
    // The views follow the run's trace as far as the worker has published it.
    connect(window->feed(), &TraceFeed::frame, this, &TraceProgram::showEnd);
    // Anything else that resets the lab (a lesson opened, Apply) takes the window back:
    // the program is stopped and its trace is not shown at its end.
    connect(window->lab(), &engine::Lab::resetDone, this, [this] {
        if (m_resetting || !isActive())
            return;
        m_abandoned = true;
        m_run->stop();
        if (m_window->cursor()->trace() == m_shown)
            m_window->cursor()->setTrace(&m_window->lab()->trace(), false);
    });
    // The run's trace freed (Back to Live) or replaced: its lines are no one's any more.
    connect(window->cursor(), &TimeCursor::traceChanged, this, [this] {
        if (!isActive() && m_window->cursor()->trace() != m_shown)
            m_shown = nullptr;
    });
    retranslate();
}

TraceProgram::~TraceProgram() = default; // ProgramRun's destructor kills and joins

void TraceProgram::retranslate() {
    m_action->setText(tr("&Trace a Program…"));
    m_action->setToolTip(tr("Run a program of yours (python3 client.py, curl, nc) and watch "
                            "every socket call it makes, live or one call at a time"));
}

bool TraceProgram::isActive() const {
    return m_run && m_run->isActive();
}

void TraceProgram::ask() {
    if (isActive())
        return;
    QDialog dialog(m_window);
    dialog.setObjectName(QStringLiteral("traceProgramDialog"));
    dialog.setWindowTitle(tr("Trace a Program"));
    auto *command = new QLineEdit(
        m_commandLine.isEmpty() ? QStringLiteral("python3 client.py") : m_commandLine, &dialog);
    command->setObjectName(QStringLiteral("commandLine"));
    command->setMinimumWidth(420);
    auto *dir = new QLineEdit(QDir::toNativeSeparators(m_workDir), &dialog);
    dir->setObjectName(QStringLiteral("workingDirectory"));
    auto *browse = new QPushButton(tr("Browse…"), &dialog);
    connect(browse, &QPushButton::clicked, &dialog, [&] {
        const QString d =
            QFileDialog::getExistingDirectory(&dialog, tr("Working Directory"), dir->text());
        if (!d.isEmpty())
            dir->setText(QDir::toNativeSeparators(d));
    });
    auto *dirRow = new QHBoxLayout;
    dirRow->addWidget(dir, 1);
    dirRow->addWidget(browse);
    auto *stepChoice = new QRadioButton(tr("Step each call: it waits until Step (F10)"), &dialog);
    stepChoice->setObjectName(QStringLiteral("stepEachCall"));
    auto *runChoice = new QRadioButton(tr("Run: the calls go on by themselves"), &dialog);
    runChoice->setObjectName(QStringLiteral("runFreely"));
    (m_stepChoice ? stepChoice : runChoice)->setChecked(true);
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("Command line:"), command);
    form->addRow(tr("Working directory:"), dirRow);
    form->addRow(stepChoice);
    form->addRow(runChoice);
    auto *note = new QLabel(tr("The program's standard input is empty and its output goes to the "
                               "lab's. The lab never changes what the program may do and never "
                               "traces a setuid program."),
                            &dialog);
    note->setWordWrap(true);
    form->addRow(note);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Trace"));
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QStringList argv = QProcess::splitCommand(command->text());
    if (argv.isEmpty())
        return;
    m_commandLine = command->text();
    m_stepChoice = stepChoice->isChecked();
    QString error;
    if (!start(argv, QDir::fromNativeSeparators(dir->text()), m_stepChoice, &error))
        QMessageBox::warning(m_window, tr("Trace a Program"),
                             tr("The program could not be traced: %1").arg(error));
}

bool TraceProgram::start(const QStringList &argv, const QString &workDir, bool step,
                         QString *error) {
    if (isActive() || argv.isEmpty()) {
        if (error)
            *error = tr("A program is being traced already.");
        return false;
    }
    if (!QFileInfo(workDir).isDir()) {
        if (error)
            *error = tr("%1 is not a directory").arg(workDir);
        return false;
    }
    // The window shows the program from now on: the lab's own run stops and is reset
    // (its actors would otherwise go on appending to a trace nobody sees).
    m_window->timeTravel()->backToLive();
    m_resetting = true;
    m_window->lab()->reset();
    m_resetting = false;
    delete m_run;
    m_run = new ProgramRun(this);
    m_argv = argv;
    m_workDir = workDir;
    m_files.clear();
    m_abandoned = false;
    connect(m_run, &ProgramRun::progress, this, &TraceProgram::showEnd);
    connect(m_run, &ProgramRun::waitingChanged, this, [this](bool waiting) {
        showEnd();
        if (waiting)
            m_window->statusBar()->showMessage(
                tr("Next call: %1 — Step (F10) runs it, Run lets the program go on")
                    .arg(m_run->waitingCall()));
        emit stateChanged();
    });
    connect(m_run, &ProgramRun::finished, this, &TraceProgram::onFinished);
    // The cursor on the run's trace before it has an event: nothing is shown unpublished.
    m_shown = m_run->trace();
    m_window->cursor()->setTrace(m_shown, false);
    m_window->sequenceModel()->setCallOrigin([this](std::size_t b) { return origin(b); });
    if (!m_run->start(argv, workDir, step, error)) {
        m_window->cursor()->setTrace(&m_window->lab()->trace(), false);
        m_shown = nullptr;
        return false;
    }
    m_window->statusBar()->showMessage(
        tr("Tracing %1 (pid %2)").arg(argv.join(QLatin1Char(' '))).arg(m_run->pid()));
    emit stateChanged();
    return true;
}

void TraceProgram::showEnd() {
    TimeCursor *cursor = m_window->cursor();
    if (m_run && m_shown && cursor->trace() == m_shown && !cursor->isReplay() &&
        m_run->published() > cursor->end())
        cursor->setEnd(m_run->published());
}

void TraceProgram::onFinished(int status) {
    showEnd();
    const QString name = QFileInfo(m_argv.value(0)).fileName();
    const QString said = tr("%1 exited with status %2; %3 socket calls traced")
                             .arg(name)
                             .arg(status)
                             .arg(m_run->callCount());
    if (!m_abandoned && m_window->cursor()->trace() == m_shown) {
        // The complete trace stays in the window, as an opened trace does.
        QMap<QString, QString> meta;
        meta.insert(QStringLiteral("title"),
                    QStringLiteral("trace: ") + m_argv.join(QLatin1Char(' ')));
        meta.insert(QStringLiteral("program"), m_argv.join(QLatin1Char(' ')));
        m_window->timeTravel()->showReplay(m_run->takeTrace(), meta, name);
    }
    m_window->statusBar()->showMessage(said);
    emit stateChanged();
}

void TraceProgram::step() {
    if (m_run)
        m_run->step();
    emit stateChanged();
}

void TraceProgram::runFreely() {
    if (m_run)
        m_run->run();
    m_window->statusBar()->showMessage(tr("Running %1").arg(m_argv.join(QLatin1Char(' '))));
    emit stateChanged();
}

void TraceProgram::pause() {
    if (m_run)
        m_run->pause();
    emit stateChanged();
}

void TraceProgram::stop() {
    if (m_run)
        m_run->stop();
    emit stateChanged();
}

void TraceProgram::updateActions(QAction *step, QAction *run, QAction *pause,
                                 QAction *reset) const {
    const bool past = !m_window->cursor()->isLive();
    step->setEnabled(past || m_run->isWaiting());
    run->setEnabled(m_run->isStepping());
    pause->setEnabled(!m_run->isStepping());
    reset->setEnabled(true); // stops the program
}

// "client.py:7 s.connect((HOST, PORT))": the call's Python line, when the run's trace is
// the one shown and the sitecustomize hook named it.
QString TraceProgram::origin(std::size_t begin) const {
    if (!m_run || !m_shown || m_window->cursor()->trace() != m_shown)
        return {};
    const QString where = m_run->where(begin);
    const int colon = where.lastIndexOf(u':');
    if (colon <= 0)
        return where;
    const QString text = sourceLine(where.left(colon), where.mid(colon + 1).toInt()).trimmed();
    return text.isEmpty() ? where : where + u' ' + text;
}

QString TraceProgram::sourceLine(const QString &file, int line) const {
    auto it = m_files.find(file);
    if (it == m_files.end()) {
        QStringList lines;
        QFile f(QDir(m_workDir).filePath(file)); // the name only: the interposer keeps that
        if (f.size() < 4 * 1024 * 1024 && f.open(QIODevice::ReadOnly))
            lines = QString::fromUtf8(f.readAll()).split(u'\n');
        it = m_files.insert(file, lines);
    }
    return it->value(line - 1);
}

} // namespace sl::ui
