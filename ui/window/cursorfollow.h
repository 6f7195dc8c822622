// CursorFollow: everything the window shows about "where we are in the run" follows the
// time cursor — live, looking back, and in a replayed trace. It keeps an index of the
// cursor's trace (the positions of Say, StepBegin and failed Expect events, read
// incrementally as the trace grows) and, on every cursor move, sets:
//   - the narration: the last `say` at or before the cursor (the first-start hint
//     "Press F10…" when the run has not started);
//   - the script's highlighted line: the last step dispatched at or before the cursor;
//   - the look-back banner above the stage ("Looking back at 0:12.4 — press End or
//     Step to return to live", or the replay's) with a Back to live button;
//   - the failure banner, above the stage and in the narration area: the last failed
//     expectation at or before the cursor, with what was found.
// It also owns the window-level time keys: Home / End / Left / Right work wherever the
// focus is, except in a text field (the editor keeps its cursor keys: an editor, line
// edit or spin box takes them first through ShortcutOverride); Alt+Home / Alt+End /
// Alt+Left / Alt+Right work everywhere, the editor included.
//
// Ownership: a child of the MainWindow; the banner widget is placed by the window above
// the stage. Thread affinity: GUI thread. Reads the cursor's trace for [0, end) only.
#pragma once

#include <QObject>
#include <QString>
#include <cstdint>
#include <vector>

class QAction;
class QLabel;
class QToolButton;
class QWidget;

namespace sl::ui {

class MainWindow;

class CursorFollow : public QObject {
    Q_OBJECT
public:
    explicit CursorFollow(MainWindow *window);

    // The banners' strip, to be laid out above the stage (hidden parts take no room).
    QWidget *banners() const { return m_banners; }
    QLabel *lookBackBanner() const { return m_lookBack; }
    QLabel *failureBanner() const { return m_failure; }
    QList<QAction *> navigationActions() const { return m_navActions; }

    // "m:ss.d" since the run's first step (the lesson's start), for the banner.
    QString timeText(std::size_t position) const;
    // The failed expectation at or before the cursor, as shown ("" = none).
    QString failureText() const { return m_failureText; }

public slots:
    void sync(); // reads new events and shows the state at the cursor

private:
    void rescan();
    void index();
    void goHome();
    void goEnd();
    void goPrevious();
    void goNext();
    static std::size_t lastBefore(const std::vector<std::size_t> &v, std::size_t position);

    MainWindow *m_window;
    QWidget *m_banners;
    QLabel *m_lookBack;
    QToolButton *m_backButton;
    QLabel *m_failure;
    QList<QAction *> m_navActions;
    // Event indices, ascending, of the cursor's trace [0, m_scanned).
    std::vector<std::size_t> m_says, m_steps, m_fails;
    std::size_t m_scanned = 0;
    std::int64_t m_startNs = -1; // the first StepBegin's time
    QString m_failureText;
};

} // namespace sl::ui
