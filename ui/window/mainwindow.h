// MainWindow: the lab window. It owns the Lab (which owns the actors' threads, the
// sockets and the trace), a TraceFeed, and the views: the stage (central), the
// sequence (dock) and the script with its narration (dock). Toolbar: Step (F10),
// Run (F5), Pause, Reset. The dock layout is kept in QSettings.
//
// Thread affinity: GUI thread. The window makes no socket call and never blocks: Lab
// runs calls on the actors' threads and reports back with signals.
#pragma once

#include "lessons/lessoncatalog.h"

#include <QFont>
#include <QMainWindow>
#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QTableView;

namespace sl::engine {
class Lab;
struct StepReport;
} // namespace sl::engine

namespace sl::ui {

class TraceFeed;
class TimeCursor;
class StageView;
class SequenceModel;
class ScriptPanel;
class TimeTravel;
class LessonsDock;
class Presentation;
class Playground;
class CursorFollow;
class QuestionPanel;
class ScriptFiles;
class HelpMenu;
class TraceProgram;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const QString &lang = QStringLiteral("en"), QWidget *parent = nullptr);
    ~MainWindow() override;

    bool openLesson(const lessons::LessonInfo &lesson);

    engine::Lab *lab() const { return m_lab; }
    TraceFeed *feed() const { return m_feed; }
    TimeCursor *cursor() const { return m_cursor; }
    StageView *stageView() const { return m_stage; }
    SequenceModel *sequenceModel() const { return m_sequence; }
    ScriptPanel *scriptPanel() const { return m_script; }
    TimeTravel *timeTravel() const { return m_timeTravel; } // Save/Open Trace, timeline
    QTableView *sequenceView() const { return m_sequenceView; }
    LessonsDock *lessonsDock() const { return m_lessons; }
    Presentation *presentation() const { return m_presentation; }
    Playground *playground() const { return m_playground; }
    bool presentationMode() const; // F11: large type, stage + sequence + narration only
    QAction *stepAction() const { return m_stepAct; }
    QAction *runAction() const { return m_runAct; }
    QAction *pauseAction() const { return m_pauseAct; }
    QAction *resetAction() const { return m_resetAct; }
    CursorFollow *cursorFollow() const { return m_follow; }      // narration, banners, time keys
    QuestionPanel *questionPanel() const { return m_questions; } // ask: predict, then step
    QWidget *stageArea() const;                                  // the banners and the stage
    // View → Zoom: the views' type size (stage, sequence, editor, narration); 1 = default.
    double zoom() const { return m_zoom; }
    void setZoom(double factor);
    // Step, or — while looking back or replaying — return to live first (no step).
    void stepOrReturn();
    // The default dock sizes for the window's size (done at the first show when no
    // layout was saved): the stage at least half the width, the sequence 8+ rows.
    void applyDefaultLayout();
    // New experiment, asking first when the editor holds typed work not applied.
    void newExperiment();
    // A script read from `path` in the editor and the lab (File → Open Script; one that
    // does not parse stays in the editor with its diagnostics). Asks nothing.
    void openScriptText(const QString &source, const QString &path);
    ScriptFiles *scriptFiles() const { return m_files; } // File: scripts, export, quit
    HelpMenu *helpMenu() const { return m_help; }
    TraceProgram *traceProgram() const { return m_traceProgram; }

    // "en" or "ko": the window's texts (the Korean translator) and the narration.
    void setLanguage(const QString &lang);
    QString language() const { return m_lang; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;   // LanguageChange → retranslateUi()
    void showEvent(QShowEvent *event) override; // the first show: the default layout

private:
    void createActions();
    void createDocks();
    void createScriptDockAndMenus(QDockWidget *seqDock, QDockWidget *scriptDock);
    void onStepStarted(int step);
    void onEvents(std::size_t from, std::size_t to);
    void updateActions();
    void updateStatus();
    void retranslateUi();
    void createEditMenu();
    void createFileAndHelp(); // scriptfiles.cpp
    void retranslateEdit();
    void updateLessonEnd();
    void openNextLesson();
    std::optional<lessons::LessonInfo> nextLesson() const;

    QString m_lang;
    engine::Lab *m_lab;
    TraceFeed *m_feed;
    TimeCursor *m_cursor;
    StageView *m_stage;
    SequenceModel *m_sequence;
    QTableView *m_sequenceView = nullptr;
    TimeTravel *m_timeTravel = nullptr;
    ScriptPanel *m_script;
    QLabel *m_statusLabel;
    QAction *m_stepAct = nullptr;
    QAction *m_runAct = nullptr;
    QAction *m_pauseAct = nullptr;
    QAction *m_resetAct = nullptr;
    LessonsDock *m_lessons = nullptr;
    Presentation *m_presentation = nullptr;
    Playground *m_playground = nullptr;
    QMenu *m_labMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QString m_lessonId; // the open lesson, for its title in the language chosen
    CursorFollow *m_follow = nullptr;
    QuestionPanel *m_questions = nullptr;
    ScriptFiles *m_files = nullptr;
    HelpMenu *m_help = nullptr;
    TraceProgram *m_traceProgram = nullptr; // File → Trace a Program… (scriptfiles.cpp)
    QMenu *m_editMenu = nullptr;
    QAction *m_zoomActs[3] = {};
    double m_zoom = 1.0;
    bool m_defaultLayoutPending = false; // no saved layout: sized to the window when shown
    bool m_typedWork = false;            // a script typed and applied by hand (not a lesson's)
    QFont m_stageFont, m_sequenceFont;   // at zoom 1
};

} // namespace sl::ui
