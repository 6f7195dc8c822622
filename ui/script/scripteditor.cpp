#include "ui/script/scripteditor.h"

#include "ui/script/labhighlighter.h"

#include "script/parser.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QTextBlock>
#include <QToolTip>

#include <algorithm>

namespace sl::ui {

namespace {

// Marks a block (a source line) that has a breakpoint. The data travel with the block.
class BreakpointMark : public QTextBlockUserData {};

bool isDark(const QPalette &pal) {
    return pal.color(QPalette::Base).lightness() < 128;
}

} // namespace

class ScriptGutter : public QWidget {
public:
    explicit ScriptGutter(ScriptEditor *editor)
        : QWidget(editor)
        , m_editor(editor) {
        setCursor(Qt::PointingHandCursor);
        setToolTip(ScriptEditor::tr("Click to set or clear a breakpoint (F9)"));
    }
    QSize sizeHint() const override { return {m_editor->gutterWidth(), 0}; }

protected:
    void paintEvent(QPaintEvent *event) override { m_editor->paintGutter(event); }
    void mousePressEvent(QMouseEvent *event) override {
        if (event->button() == Qt::LeftButton)
            m_editor->gutterPressed(event->position().toPoint());
    }

private:
    ScriptEditor *m_editor;
};

ScriptEditor::ScriptEditor(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_gutter(new ScriptGutter(this))
    , m_highlighter(new LabHighlighter(document(), isDark(palette()))) {
    setObjectName(QStringLiteral("scriptEditor"));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setTabChangesFocus(false);
    m_idle.setSingleShot(true);
    m_idle.setInterval(IdleMs);
    connect(&m_idle, &QTimer::timeout, this, &ScriptEditor::checkNow);
    // Only real edits restart the idle timer (colouring changes formats, not text).
    connect(document(), &QTextDocument::contentsChange, this, [this](int, int removed, int added) {
        if (removed || added)
            m_idle.start();
    });
    connect(this, &QPlainTextEdit::blockCountChanged, this, [this] {
        updateGutterWidth();
        reportBreakpoints();
    });
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect &r, int dy) {
        if (dy)
            m_gutter->scroll(0, dy);
        else
            m_gutter->update(0, r.y(), m_gutter->width(), r.height());
    });
    updateGutterWidth();
}

int ScriptEditor::gutterWidth() const {
    int digits = 2;
    for (int max = std::max(1, blockCount()); max >= 100; max /= 10)
        ++digits;
    const QFontMetrics fm(font());
    // Room for the breakpoint dot, the numbers and the step arrow.
    return fm.height() + fm.horizontalAdvance(QLatin1Char('9')) * digits + fm.height() / 2 + 6;
}

void ScriptEditor::updateGutterWidth() {
    setViewportMargins(gutterWidth(), 0, 0, 0);
}

void ScriptEditor::resizeEvent(QResizeEvent *event) {
    QPlainTextEdit::resizeEvent(event);
    const QRect cr = contentsRect();
    m_gutter->setGeometry(QRect(cr.left(), cr.top(), gutterWidth(), cr.height()));
}

void ScriptEditor::changeEvent(QEvent *event) {
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_highlighter->setDark(isDark(palette()));
        updateSelections();
    } else if (event->type() == QEvent::FontChange) {
        updateGutterWidth();
    }
}

void ScriptEditor::paintGutter(QPaintEvent *event) {
    QPainter p(m_gutter);
    const QPalette pal = palette();
    p.fillRect(event->rect(), pal.color(QPalette::Window));
    const QFontMetrics fm(font());
    const int dot = fm.height();
    const int w = m_gutter->width();
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    while (block.isValid() && top <= event->rect().bottom()) {
        const int h = qRound(blockBoundingRect(block).height());
        const int line = block.blockNumber() + 1;
        if (block.isVisible() && top + h >= event->rect().top()) {
            const bool current =
                m_first > 0 && line >= m_first && line <= std::max(m_first, m_last);
            if (block.userData()) {
                p.setRenderHint(QPainter::Antialiasing);
                p.setPen(Qt::NoPen);
                p.setBrush(QColor(0xd3, 0x2f, 0x2f)); // the debugger's red, on any base
                const int d = dot * 2 / 3;
                p.drawEllipse(QRect(2 + (dot - d) / 2, top + (fm.height() - d) / 2, d, d));
            }
            QFont f = font();
            f.setBold(current);
            p.setFont(f);
            p.setPen(pal.color(current ? QPalette::Text : QPalette::PlaceholderText));
            p.drawText(QRect(dot + 2, top, w - dot - dot / 2 - 6, fm.height()),
                       Qt::AlignRight | Qt::AlignVCenter, QString::number(line));
            if (line == m_first) {
                // The step arrow, as in a debugger.
                p.setRenderHint(QPainter::Antialiasing);
                p.setPen(Qt::NoPen);
                p.setBrush(pal.color(QPalette::Highlight));
                const qreal x = w - dot / 2.0 - 3, cy = top + fm.height() / 2.0, s = dot / 4.0;
                const QPointF tri[3] = {{x, cy - s}, {x + s * 1.6, cy}, {x, cy + s}};
                p.drawPolygon(tri, 3);
            }
        }
        block = block.next();
        top += h;
    }
}

void ScriptEditor::gutterPressed(const QPoint &pos) {
    const QTextCursor c = cursorForPosition(QPoint(0, pos.y()));
    toggleBreakpoint(c.blockNumber() + 1);
}

QSet<int> ScriptEditor::breakpoints() const {
    QSet<int> lines;
    for (QTextBlock b = document()->begin(); b.isValid(); b = b.next())
        if (b.userData())
            lines.insert(b.blockNumber() + 1);
    return lines;
}

void ScriptEditor::setBreakpoints(const QSet<int> &lines) {
    for (QTextBlock b = document()->begin(); b.isValid(); b = b.next()) {
        const bool want = lines.contains(b.blockNumber() + 1);
        if (want != (b.userData() != nullptr))
            b.setUserData(want ? new BreakpointMark : nullptr);
    }
    m_gutter->update();
    reportBreakpoints();
}

void ScriptEditor::toggleBreakpoint(int line) {
    QTextBlock b = document()->findBlockByNumber(line - 1);
    if (!b.isValid())
        return;
    b.setUserData(b.userData() ? nullptr : new BreakpointMark);
    m_gutter->update();
    reportBreakpoints();
}

void ScriptEditor::toggleBreakpointAtCursor() {
    toggleBreakpoint(textCursor().blockNumber() + 1);
}

void ScriptEditor::reportBreakpoints() {
    const QSet<int> now = breakpoints();
    if (now == m_reported)
        return;
    m_reported = now;
    emit breakpointsChanged(now);
}

void ScriptEditor::keyPressEvent(QKeyEvent *event) {
    // Reached only when no window action owns F9 (the editor on its own, in tests).
    if (event->key() == Qt::Key_F9 && event->modifiers() == Qt::NoModifier) {
        toggleBreakpointAtCursor();
        return;
    }
    // Ctrl+Shift+Z and Ctrl+Y redo on every platform theme (some bind only one of them).
    const auto mods = event->modifiers() & ~Qt::KeypadModifier;
    if ((event->key() == Qt::Key_Z && mods == (Qt::ControlModifier | Qt::ShiftModifier)) ||
        (event->key() == Qt::Key_Y && mods == Qt::ControlModifier)) {
        redo();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

void ScriptEditor::setCurrentLines(int first, int last) {
    m_first = first;
    m_last = last;
    updateSelections();
    m_gutter->update();
    if (first > 0) {
        const QTextBlock block = document()->findBlockByNumber(first - 1);
        if (block.isValid()) {
            // Scroll to the step without moving the learner's cursor while editing.
            if (!hasFocus()) {
                setTextCursor(QTextCursor(block));
                centerCursor();
            } else {
                ensureCursorVisible();
            }
        }
    }
}

void ScriptEditor::checkNow() {
    m_idle.stop();
    setDiagnostics(script::parse(toPlainText()).diagnostics);
}

void ScriptEditor::setDiagnostics(const std::vector<script::Diagnostic> &diags) {
    m_diags = diags;
    updateSelections();
    emit diagnosticsChanged();
}

QTextCursor ScriptEditor::spanCursor(const script::Span &span) const {
    const QTextBlock block = document()->findBlockByNumber(span.line - 1);
    if (!block.isValid())
        return {};
    const int len = int(block.length()) - 1; // without the paragraph separator
    int start = std::clamp(span.col - 1, 0, len);
    int end = std::clamp(start + std::max(1, span.length), 0, len);
    if (end <= start && start > 0)
        start = end - 1; // at the end of the line: underline its last character
    QTextCursor c(block);
    c.setPosition(block.position() + start);
    c.setPosition(block.position() + std::max(end, start), QTextCursor::KeepAnchor);
    return c;
}

void ScriptEditor::goTo(const script::Span &span) {
    QTextCursor c = spanCursor(span);
    if (c.isNull())
        return;
    setTextCursor(c);
    setFocus();
}

void ScriptEditor::updateSelections() {
    QList<QTextEdit::ExtraSelection> sels;
    QColor bg = palette().color(QPalette::Highlight);
    bg.setAlpha(isDark(palette()) ? 110 : 70);
    for (int line = m_first; m_first > 0 && line <= std::max(m_first, m_last); ++line) {
        const QTextBlock block = document()->findBlockByNumber(line - 1);
        if (!block.isValid())
            break;
        QTextEdit::ExtraSelection sel;
        sel.format.setBackground(bg);
        sel.format.setProperty(QTextFormat::FullWidthSelection, true);
        sel.cursor = QTextCursor(block);
        sels << sel;
    }
    m_diagSels.clear();
    for (const script::Diagnostic &d : m_diags) {
        QTextEdit::ExtraSelection sel;
        sel.cursor = spanCursor(d.span);
        if (sel.cursor.isNull())
            continue;
        sel.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        sel.format.setUnderlineColor(d.severity == script::Diagnostic::Error
                                         ? QColor(0xe5, 0x39, 0x35)
                                         : QColor(0xf5, 0x9e, 0x0b));
        sel.format.setToolTip(d.hint.isEmpty() ? d.message : tr("%1 — %2").arg(d.message, d.hint));
        m_diagSels << sel;
    }
    setExtraSelections(sels + m_diagSels);
}

bool ScriptEditor::viewportEvent(QEvent *event) {
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int pos = cursorForPosition(help->pos()).position();
        for (const QTextEdit::ExtraSelection &s : std::as_const(m_diagSels)) {
            if (pos >= s.cursor.selectionStart() && pos <= s.cursor.selectionEnd()) {
                QToolTip::showText(help->globalPos(), s.format.toolTip(), viewport());
                return true;
            }
        }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QPlainTextEdit::viewportEvent(event);
}

} // namespace sl::ui
