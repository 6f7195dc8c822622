#include "ui/window/cursorfollow.h"

#include "ui/script/scriptpanel.h"
#include "ui/time/timecursor.h"
#include "ui/time/timeline.h"
#include "ui/time/timetravel.h"
#include "ui/window/i18n.h"
#include "ui/window/mainwindow.h"

#include "engine/lab.h"
#include "script/ast.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

namespace sl::ui {

using trace::EventKind;

CursorFollow::CursorFollow(MainWindow *window)
    : QObject(window)
    , m_window(window)
    , m_banners(new QWidget(window))
    , m_lookBack(new QLabel(m_banners))
    , m_backButton(new QToolButton(m_banners))
    , m_failure(new QLabel(m_banners)) {
    setObjectName(QStringLiteral("cursorFollow"));
    m_banners->setObjectName(QStringLiteral("stageBanners"));
    // Amber (the past) and red (a failed expectation), with black/white text: the same
    // on light and dark palettes and in presentation mode.
    auto *lookBackBar = new QWidget(m_banners);
    lookBackBar->setObjectName(QStringLiteral("lookBackBar"));
    lookBackBar->setAttribute(Qt::WA_StyledBackground);
    lookBackBar->setStyleSheet(QStringLiteral("#lookBackBar { background: #ffc107; } "
                                              "#lookBackBar QLabel { color: black; }"));
    m_lookBack->setObjectName(QStringLiteral("lookBackBanner"));
    m_lookBack->setWordWrap(true);
    QFont bold = m_lookBack->font();
    bold.setBold(true);
    m_lookBack->setFont(bold);
    m_backButton->setObjectName(QStringLiteral("lookBackLive"));
    auto *row = new QHBoxLayout(lookBackBar);
    row->setContentsMargins(8, 3, 8, 3);
    row->addWidget(m_lookBack, 1);
    row->addWidget(m_backButton);
    m_failure->setObjectName(QStringLiteral("stageFailureBanner"));
    m_failure->setWordWrap(true);
    m_failure->setTextFormat(Qt::PlainText);
    m_failure->setStyleSheet(QStringLiteral(
        "QLabel { background: #c62828; color: white; font-weight: bold; padding: 6px 8px; }"));
    auto *lay = new QVBoxLayout(m_banners);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->setSpacing(0);
    lay->addWidget(lookBackBar);
    lay->addWidget(m_failure);
    lookBackBar->hide();
    m_failure->hide();
    connect(m_backButton, &QToolButton::clicked, window->timeTravel(), &TimeTravel::backToLive);

    // Window-level time keys. The plain keys yield to a text field that wants them
    // (ShortcutOverride), so the editor keeps Home/End/Left/Right; Alt+ works anywhere.
    const auto nav = [this](const char *name, Qt::Key key, void (CursorFollow::*slot)()) {
        auto *a = new QAction(m_window);
        a->setObjectName(QLatin1String(name));
        a->setShortcuts({QKeySequence(key), QKeySequence(Qt::ALT | key)});
        a->setShortcutContext(Qt::WindowShortcut);
        connect(a, &QAction::triggered, this, slot);
        m_window->addAction(a);
        m_navActions << a;
    };
    nav("actionTimeHome", Qt::Key_Home, &CursorFollow::goHome);
    nav("actionTimeEnd", Qt::Key_End, &CursorFollow::goEnd);
    nav("actionTimePrevious", Qt::Key_Left, &CursorFollow::goPrevious);
    nav("actionTimeNext", Qt::Key_Right, &CursorFollow::goNext);

    TimeCursor *cursor = window->cursor();
    connect(cursor, &TimeCursor::traceChanged, this, &CursorFollow::rescan);
    connect(cursor, &TimeCursor::positionChanged, this, &CursorFollow::sync);
    connect(cursor, &TimeCursor::liveChanged, this, &CursorFollow::sync);
    retranslateWith(m_banners, [this] {
        m_backButton->setText(tr("Back to live"));
        m_navActions[0]->setText(tr("Go to the Start"));
        m_navActions[1]->setText(tr("Go to the End (Live)"));
        m_navActions[2]->setText(tr("Previous Call"));
        m_navActions[3]->setText(tr("Next Call"));
        sync();
    });
}

void CursorFollow::rescan() {
    m_says.clear();
    m_steps.clear();
    m_fails.clear();
    m_scanned = 0;
    m_startNs = -1;
    sync();
}

void CursorFollow::index() {
    const trace::Trace *t = m_window->cursor()->trace();
    const std::size_t end = t ? std::min(m_window->cursor()->end(), t->size()) : 0;
    if (end < m_scanned) { // cleared under us (traceChanged follows)
        m_says.clear();
        m_steps.clear();
        m_fails.clear();
        m_scanned = 0;
        m_startNs = -1;
    }
    for (; m_scanned < end; ++m_scanned) {
        const trace::Event &e = t->event(m_scanned);
        if (e.kind == EventKind::Say)
            m_says.push_back(m_scanned);
        else if (e.kind == EventKind::StepBegin) {
            m_steps.push_back(m_scanned);
            if (m_startNs < 0)
                m_startNs = e.tNs;
        } else if (e.kind == EventKind::Expect && !e.expect.passed)
            m_fails.push_back(m_scanned);
    }
}

std::size_t CursorFollow::lastBefore(const std::vector<std::size_t> &v, std::size_t position) {
    // The last index < position, or SIZE_MAX.
    const auto it = std::lower_bound(v.begin(), v.end(), position);
    return it == v.begin() ? std::size_t(-1) : *(it - 1);
}

QString CursorFollow::timeText(std::size_t position) const {
    std::int64_t t = m_window->cursor()->timeAt(position);
    if (m_startNs >= 0)
        t = std::max<std::int64_t>(0, t - m_startNs);
    const std::int64_t tenths = t / 100'000'000;
    return QStringLiteral("%1:%2.%3")
        .arg(tenths / 600)
        .arg((tenths / 10) % 60, 2, 10, QLatin1Char('0'))
        .arg(tenths % 10);
}

void CursorFollow::sync() {
    index();
    TimeCursor *cursor = m_window->cursor();
    ScriptPanel *script = m_window->scriptPanel();
    const trace::Trace *t = cursor->trace();
    const std::size_t pos = cursor->position();
    const bool replay = cursor->isReplay();

    // Narration: the last `say` the cursor has passed.
    if (const std::size_t i = lastBefore(m_says, pos); t && i != std::size_t(-1)) {
        const trace::Event &e = t->event(i);
        script->setNarration(t->text(e.text.a), t->text(e.text.b));
    } else if (!replay && m_steps.empty() && m_window->lab()->program()) {
        const QString hint = tr("Press F10 (Step) to take the first step.");
        script->setNarration(hint, hint);
    } else {
        script->setNarration({});
    }

    // The script's line: the last step dispatched before the cursor. A replay's lines
    // are the editor's only when the replay is a run of the same text.
    const std::size_t s = lastBefore(m_steps, pos);
    const bool sameSource = !replay || m_window->timeTravel()->replayMeta().value(
                                           QStringLiteral("source")) == m_window->lab()->source();
    if (t && s != std::size_t(-1) && sameSource) {
        const int line = t->event(s).line;
        int last = line;
        if (const script::Program *prog = m_window->lab()->program())
            for (const auto &st : prog->steps)
                if (st->span.line == line)
                    last = std::max(line, st->lastLine);
        script->highlightLines(line, last);
    } else {
        script->highlightLines(0, 0);
    }

    // A failed expectation the cursor has passed: loud, in both places.
    m_failureText.clear();
    if (const std::size_t f = lastBefore(m_fails, pos); t && f != std::size_t(-1)) {
        const trace::Event &e = t->event(f);
        const QString text = t->text(e.expect.text), detail = t->text(e.expect.detail);
        m_failureText = detail.isEmpty()
                            ? tr("Expectation failed: %1").arg(text)
                            : tr("Expectation failed: %1 — found: %2").arg(text, detail);
    }
    script->setFailure(m_failureText);
    m_failure->setText(m_failureText);
    m_failure->setVisible(!m_failureText.isEmpty());

    // The past is obvious: a banner, not only the Live button's state.
    const bool past = replay || !cursor->isLive();
    if (past)
        m_lookBack->setText(
            replay ? tr("Replay, at %1 — press Step or Ctrl+L to return to the live lab")
                         .arg(timeText(pos))
                   : tr("Looking back at %1 — press End or Step to return to live")
                         .arg(timeText(pos)));
    m_lookBack->parentWidget()->setVisible(past);
}

void CursorFollow::goHome() {
    m_window->cursor()->setPosition(0);
}

void CursorFollow::goEnd() {
    TimeCursor *cursor = m_window->cursor();
    if (cursor->isReplay())
        cursor->setPosition(cursor->end());
    else
        cursor->setLive(true);
}

void CursorFollow::goPrevious() {
    TimeCursor *cursor = m_window->cursor();
    cursor->setPosition(
        m_window->timeTravel()->bar()->timeline()->previousStop(cursor->position()));
}

void CursorFollow::goNext() {
    TimeCursor *cursor = m_window->cursor();
    cursor->setPosition(m_window->timeTravel()->bar()->timeline()->nextStop(cursor->position()));
}

} // namespace sl::ui
