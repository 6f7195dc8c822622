// Playground: experiments made by hand. Each action (new socket, bind, listen,
// connect, accept, send, recv, shutdown, close, setblocking, setsockopt, select) asks
// for its few parameters, builds the equivalent line of the .lab language (shown, so
// the learner sees the syntax), appends it to the script with Lab::perform() and runs
// it with Lab::step(). The script therefore always holds the whole experiment: "Save
// experiment…" writes it to a .lab file that replays it.
//
// What exists (sockets, their names, actors, listeners) is read from the stage state,
// which is built from the trace; the playground makes no socket call and never
// blocks: a call that blocks leaves its actor blocked, as a Step would. An action
// asked for while a step is still in its grace period waits for that step to end.
//
// Ownership: does not own the Lab or the stage view (MainWindow does); owns its menu
// and actions. Thread affinity: GUI thread.
#pragma once

#include "view/playgroundline.h"

#include <QObject>
#include <QPointer>
#include <functional>

class QAction;
class QMenu;
class QWidget;

namespace sl::engine {
class Lab;
struct StepReport;
} // namespace sl::engine

namespace sl::ui {

class StageView;
class ScriptPanel;
struct StageState;

class Playground : public QObject {
    Q_OBJECT
public:
    // Fills in a request (the dialog by default); false = cancelled.
    using Asker = std::function<bool(PlayRequest *request)>;

    Playground(engine::Lab *lab, StageView *stage, ScriptPanel *script, QWidget *window);

    QMenu *menu() const { return m_menu; } // "Playground", for the menu bar
    QAction *action(PlayKind kind) const;  // objectName "playground<Kind>"
    QAction *newExperimentAction() const { return m_newAct; }
    QAction *saveAction() const { return m_saveAct; }

    void setAsker(Asker asker) { m_asker = std::move(asker); } // tests
    // The context menu of a socket card (sockId ≥ 0) or of an actor's lane.
    void showContextMenu(int sockId, int actorIndex, const QPoint &globalPos);

    // Starts from an empty script (the lab is reset).
    void newExperiment();
    // Asks for a request of this kind (preset with a socket / actor), then performs it.
    void trigger(PlayKind kind, const QString &sock = {}, const QString &actor = {});
    // Builds the line and performs it (queued while a step is in progress). False when
    // the lab refused it; the reason is in lastError().
    bool submit(const PlayRequest &request);
    bool submitLine(const QString &line);
    bool saveTo(const QString &path); // writes Lab::source()
    QString lastLine() const { return m_lastLine; }
    QString lastError() const { return m_lastError; }
    int pending() const { return int(m_queue.size()); }

    // The request's defaults and choices, from the stage state and the script's names.
    PlayContext context() const;

signals:
    void message(const QString &text); // for the status bar: the line performed, or why not
    void performed(const QString &line);

private:
    void createActions(QWidget *window);
    void updateActions();
    void flush();
    bool performNow(const QString &line);
    void saveExperiment();

    QPointer<engine::Lab> m_lab;
    QPointer<StageView> m_stage;
    QPointer<ScriptPanel> m_script;
    QWidget *m_window;
    QMenu *m_menu = nullptr;
    QAction *m_newAct = nullptr;
    QAction *m_saveAct = nullptr;
    std::vector<std::pair<PlayKind, QAction *>> m_actions;
    Asker m_asker;
    std::vector<QString> m_queue; // lines waiting for the step in progress
    QString m_lastLine, m_lastError;
};

} // namespace sl::ui
