// ScriptPanel: the script side of the lab. From top to bottom: the narration (the last
// `say` of the trace, in the chosen language, in large type), the controls (the
// window's Step / Run / Pause / Reset actions, the run speed, the narration language,
// Apply), the editor (ScriptEditor: colours, line numbers, breakpoints, the current
// step, diagnostics while typing), the diagnostics list, and each actor's status.
//
// Apply loads the edited text into the Lab (Lab::load, which resets it; nothing runs).
// When the text does not parse the Lab keeps its old program and the diagnostics are
// shown. Breakpoints go to Lab::setBreakpoints() as they change.
//
// Ownership: does not own the Lab (MainWindow does). Thread affinity: GUI thread.
#pragma once

#include <QFont>
#include <QPointer>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QToolBar;

namespace sl::engine {
class Lab;
}

namespace sl::ui {

class ScriptEditor;
struct StageState;

class ScriptPanel : public QWidget {
    Q_OBJECT
public:
    explicit ScriptPanel(QWidget *parent = nullptr);

    void setLab(engine::Lab *lab);
    // The window's lab actions, shown as buttons above the editor.
    void setLabActions(const QList<QAction *> &actions);

    // A freshly loaded script: the editor's text is what the Lab runs.
    void setSource(const QString &source, const QString &fileName = QString());
    QString source() const;
    bool isModified() const; // edited since it was loaded or applied

    void highlightLines(int first, int last); // 1-based, inclusive; 0 clears
    int highlightedLine() const;

    // Narration in both languages; the panel shows the chosen one (English when the
    // Korean text is missing).
    void setNarration(const QString &en, const QString &ko = QString());
    QString narration() const; // as shown
    QString language() const { return m_lang; }
    void setLanguage(const QString &lang); // "en" or "ko"

    double speed() const; // Lab::run(speed): 0.25 … 4, 0 = as fast as possible
    void setSpeed(double speed);

    // Each actor's status line ("client — blocked in recv() for 3.2 s").
    // nowNs: the clock for "blocked … for N s" (the stage's); -1 = the last event's time.
    void setActors(const StageState &state, std::int64_t nowNs = -1);
    QStringList actorLines() const;

    // Loads the editor's text into the Lab. False (and the diagnostics shown) when it
    // does not parse; the Lab then keeps its program.
    bool apply();

    ScriptEditor *editor() const { return m_edit; }
    QAction *applyAction() const { return m_applyAct; }
    QAction *breakpointAction() const { return m_breakpointAct; }
    QWidget *narrationWidget() const;

    // A failed expectation, shown loudly (red) under the narration; "" hides it.
    void setFailure(const QString &text);
    QString failure() const;
    QLabel *failureWidget() const { return m_failure; }
    // The end of a lesson: says so, and offers the next one (nextTitle "" = the last).
    void setLessonEnd(bool atEnd, const QString &nextTitle = QString());
    QWidget *lessonEndWidget() const { return m_endBox; }
    QAction *undoAction() const { return m_undoAct; }
    QAction *redoAction() const { return m_redoAct; }
    // Type size of the editor and the narration, 1 = the default (View → Zoom).
    void setZoom(double factor);

signals:
    void speedChanged(double speed);
    void languageChanged(const QString &lang);
    void narrationChanged(const QString &text); // the shown text changed
    void applied();                             // the editor's text is now the Lab's program
    void nextLessonRequested();                 // the lesson-end box's button

protected:
    void changeEvent(QEvent *event) override; // LanguageChange: the controls' texts

private:
    void showDiagnostics();
    void updateNarration();
    void updateApplyState();
    void retranslateEnd();

    QPointer<engine::Lab> m_lab;
    QLabel *m_narration;
    QLabel *m_failure;
    QWidget *m_endBox;
    QLabel *m_endLabel;
    QPushButton *m_nextButton;
    QString m_nextTitle;
    QToolBar *m_controls;
    QComboBox *m_speed;
    QComboBox *m_langBox;
    ScriptEditor *m_edit;
    QLabel *m_applyStatus;
    QListWidget *m_diagList;
    QListWidget *m_actors;
    QAction *m_applyAct;
    QAction *m_breakpointAct;
    QAction *m_undoAct;
    QAction *m_redoAct;
    QFont m_editorFont, m_narrationFont; // at zoom 1
    QString m_lang = QStringLiteral("en");
    QString m_say[2];
    QString m_fileName;
    QString m_appliedSource;
};

} // namespace sl::ui
