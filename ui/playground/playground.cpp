#include "ui/playground/playground.h"

#include "ui/playground/playgrounddialog.h"
#include "ui/script/scriptpanel.h"
#include "ui/stage/stageview.h"

#include "engine/lab.h"

#include <QAction>
#include <QFileDialog>
#include <QMenu>
#include <QSaveFile>

namespace sl::ui {

namespace {

constexpr PlayKind kSocketKinds[] = {PlayKind::Bind,        PlayKind::Listen,    PlayKind::Connect,
                                     PlayKind::Accept,      PlayKind::Send,      PlayKind::Recv,
                                     PlayKind::SetBlocking, PlayKind::SetOption, PlayKind::Shutdown,
                                     PlayKind::Close,       PlayKind::Select};

// Calls that make no sense on this socket are left out of its context menu.
bool fits(PlayKind k, const PlaySocket &s) {
    if (s.listening)
        return k != PlayKind::Bind && k != PlayKind::Listen && k != PlayKind::Connect &&
               k != PlayKind::Send && k != PlayKind::Recv;
    if (s.udp)
        return k != PlayKind::Listen && k != PlayKind::Accept;
    return k != PlayKind::Accept;
}

} // namespace

Playground::Playground(engine::Lab *lab, StageView *stage, ScriptPanel *script, QWidget *window)
    : QObject(window)
    , m_lab(lab)
    , m_stage(stage)
    , m_script(script)
    , m_window(window) {
    setObjectName(QStringLiteral("playground"));
    m_asker = [this](PlayRequest *request) {
        PlaygroundDialog dlg(*request, context(), m_window);
        if (dlg.exec() != QDialog::Accepted)
            return false;
        *request = dlg.request();
        return true;
    };
    createActions(window);
    connect(m_lab, &engine::Lab::stepFinished, this, [this] {
        flush();
        updateActions();
    });
    connect(m_lab, &engine::Lab::backgroundStepFinished, this, &Playground::updateActions);
    connect(m_lab, &engine::Lab::runningChanged, this, &Playground::updateActions);
    connect(m_lab, &engine::Lab::resetDone, this, [this] {
        m_queue.clear();
        updateActions();
    });
    // The script panel shows the grown script; the step it runs is highlighted next.
    connect(m_lab, &engine::Lab::programChanged, this, [this] {
        if (m_script && m_lab->program())
            m_script->setSource(m_lab->source(), m_lab->program()->fileName);
        updateActions();
    });
    if (m_stage)
        connect(m_stage, &StageView::stateChanged, this, &Playground::updateActions);
    updateActions();
}

void Playground::createActions(QWidget *window) {
    m_menu = new QMenu(tr("&Playground"), window);
    m_menu->setObjectName(QStringLiteral("playgroundMenu"));
    m_menu->setToolTipsVisible(true);
    m_newAct = m_menu->addAction(tr("New experiment"), this, &Playground::newExperiment);
    m_newAct->setObjectName(QStringLiteral("playgroundNew"));
    m_newAct->setStatusTip(tr("Start from an empty script: every action below adds its line"));
    m_menu->addSeparator();
    for (int i = 0; i < PlayKindCount; ++i) {
        const auto kind = PlayKind(i);
        QAction *a = m_menu->addAction(playKindTitle(kind), this, [this, kind] { trigger(kind); });
        a->setObjectName(QStringLiteral("playground") + playKindKey(kind));
        m_actions.emplace_back(kind, a);
        if (kind == PlayKind::NewUdp || kind == PlayKind::Accept || kind == PlayKind::Recv ||
            kind == PlayKind::Close)
            m_menu->addSeparator();
    }
    m_menu->addSeparator();
    m_saveAct = m_menu->addAction(tr("Save experiment…"), this, &Playground::saveExperiment);
    m_saveAct->setObjectName(QStringLiteral("playgroundSave"));
}

QAction *Playground::action(PlayKind kind) const {
    for (const auto &[k, a] : m_actions)
        if (k == kind)
            return a;
    return nullptr;
}

PlayContext Playground::context() const {
    static const StageState empty;
    const script::Program *prog = m_lab ? m_lab->program() : nullptr;
    return makePlayContext(m_stage ? m_stage->state() : empty,
                           m_lab ? m_lab->actorNames() : QStringList(),
                           prog ? prog->names : QStringList());
}

void Playground::updateActions() {
    if (!m_lab)
        return;
    // A hand-made step is added after the last one, so the script must have run to
    // its end: the saved file then replays things in the order they happened.
    const bool open = (!m_lab->program() || m_lab->atEnd()) && !m_lab->isRunning();
    const bool haveSockets = m_stage && !context().sockets.empty();
    const QString why = open ? QString()
                             : tr("Run the script to its end (or start a new experiment) to "
                                  "add steps by hand");
    for (const auto &[kind, a] : m_actions) {
        a->setEnabled(open && (!playKindNeedsSocket(kind) || haveSockets));
        a->setToolTip(why);
    }
    m_saveAct->setEnabled(m_lab->program() != nullptr);
}

void Playground::newExperiment() {
    if (!m_lab)
        return;
    m_queue.clear();
    const QString source = QStringLiteral("#! title: Experiment\n");
    m_lab->load(source, QStringLiteral("experiment.lab"));
    if (m_script)
        m_script->setSource(source, QStringLiteral("experiment.lab"));
    updateActions();
    emit message(tr("New experiment: each playground action adds its line to the script"));
}

void Playground::trigger(PlayKind kind, const QString &sock, const QString &actor) {
    PlayRequest request = defaultRequest(kind, context(), sock, actor);
    if (!m_asker || !m_asker(&request))
        return;
    submit(request);
}

bool Playground::submit(const PlayRequest &request) {
    QString why;
    const QString line = buildLine(request, context(), &why);
    if (line.isEmpty()) {
        m_lastError = why;
        emit message(tr("Not performed: %1").arg(why));
        return false;
    }
    return submitLine(line);
}

bool Playground::submitLine(const QString &line) {
    if (!m_lab)
        return false;
    // A step in its grace period (≤ 150 ms) has not said yet whether it blocks: the
    // line waits for it, as the next Step would.
    if (m_lab->stepInProgress() || !m_queue.empty()) {
        m_queue.push_back(line);
        emit message(tr("Waiting for the step in progress: %1").arg(line));
        return true;
    }
    return performNow(line);
}

bool Playground::performNow(const QString &line) {
    std::vector<script::Diagnostic> diags;
    if (!m_lab->perform(line, &diags)) {
        m_lastError = diags.empty() ? tr("refused") : diags.front().message;
        if (!diags.empty() && !diags.front().hint.isEmpty())
            m_lastError += QStringLiteral(" (") + diags.front().hint + QLatin1Char(')');
        emit message(tr("Not performed: %1 — %2").arg(line, m_lastError));
        return false;
    }
    m_lastLine = line;
    m_lastError.clear();
    emit performed(line);
    emit message(tr("Performed: %1").arg(line));
    m_lab->step(); // asynchronous: a call that blocks leaves its actor blocked
    return true;
}

void Playground::flush() {
    while (!m_queue.empty() && m_lab && !m_lab->stepInProgress()) {
        const QString line = m_queue.front();
        m_queue.erase(m_queue.begin());
        if (!performNow(line)) {
            m_queue.clear(); // later lines may depend on this one
            return;
        }
    }
}

void Playground::showContextMenu(int sockId, int actorIndex, const QPoint &globalPos) {
    if (!m_lab || !m_stage)
        return;
    const PlayContext ctx = context();
    const SocketSnap *snap = sockId >= 0 ? m_stage->state().socket(sockId) : nullptr;
    const PlaySocket *sock = snap ? ctx.socket(snap->name) : nullptr;
    const QStringList actors = m_lab->actorNames();
    const QString actor =
        actorIndex >= 0 && actorIndex < actors.size() ? actors.at(actorIndex) : QString();
    const bool open = (!m_lab->program() || m_lab->atEnd()) && !m_lab->isRunning();

    auto *menu = new QMenu(m_window);
    menu->setObjectName(QStringLiteral("playgroundContextMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    const auto add = [&](PlayKind kind, const QString &s, const QString &who) {
        QAction *a = menu->addAction(playKindTitle(kind), this,
                                     [this, kind, s, who] { trigger(kind, s, who); });
        a->setEnabled(open);
    };
    if (sock) {
        menu->addSection(sock->actor.isEmpty() ? sock->name
                                               : tr("%1 (%2)").arg(sock->name, sock->actor));
        for (PlayKind k : kSocketKinds)
            if (fits(k, *sock))
                add(k, sock->name, QString());
    }
    if (!actor.isEmpty() || !sock) {
        if (!actor.isEmpty())
            menu->addSection(actor);
        add(PlayKind::NewTcp, QString(), actor);
        add(PlayKind::NewUdp, QString(), actor);
        if (!sock)
            add(PlayKind::Select, QString(), actor);
    }
    if (!open) {
        menu->addSeparator();
        menu->addAction(tr("Run the script to its end to add steps by hand"))->setEnabled(false);
    }
    menu->popup(globalPos);
}

bool Playground::saveTo(const QString &path) {
    if (!m_lab || !m_lab->program())
        return false;
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text)) {
        emit message(tr("Cannot write %1: %2").arg(path, f.errorString()));
        return false;
    }
    f.write(m_lab->source().toUtf8());
    if (!f.commit()) {
        emit message(tr("Cannot write %1: %2").arg(path, f.errorString()));
        return false;
    }
    emit message(tr("Saved the experiment to %1").arg(path));
    return true;
}

void Playground::saveExperiment() {
    const QString path =
        QFileDialog::getSaveFileName(m_window, tr("Save experiment"),
                                     QStringLiteral("experiment.lab"), tr("Lab scripts (*.lab)"));
    if (!path.isEmpty())
        saveTo(path);
}

} // namespace sl::ui
