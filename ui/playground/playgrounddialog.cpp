#include "ui/playground/playgrounddialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace sl::ui {

PlaygroundDialog::PlaygroundDialog(const PlayRequest &initial, const PlayContext &ctx,
                                   QWidget *parent)
    : QDialog(parent)
    , m_initial(initial)
    , m_ctx(ctx) {
    setObjectName(QStringLiteral("playgroundDialog"));
    QString title = playKindTitle(initial.kind);
    if (title.endsWith(QChar(0x2026)))
        title.chop(1);
    setWindowTitle(tr("Playground — %1").arg(title));
    auto *form = new QFormLayout;

    // Any actor may use any socket (they are threads of one process); a new name
    // creates a new actor.
    m_actor = new QComboBox(this);
    m_actor->setEditable(true);
    QStringList actors = ctx.actors;
    if (!actors.contains(initial.actor))
        actors.prepend(initial.actor);
    for (const char *a : {"server", "client"})
        if (!actors.contains(QLatin1String(a)))
            actors << QLatin1String(a);
    m_actor->addItems(actors);
    m_actor->setCurrentText(initial.actor);
    form->addRow(tr("Actor:"), m_actor);

    const PlayKind k = initial.kind;
    if (playKindNeedsSocket(k)) {
        m_sock = new QComboBox(this);
        m_sock->addItems(ctx.socketNames());
        m_sock->setCurrentText(initial.sock);
        form->addRow(tr("Socket:"), m_sock);
    }
    if (k == PlayKind::Connect) {
        m_target = new QComboBox(this);
        m_target->addItems(ctx.listenerNames());
        m_target->setCurrentText(initial.target);
        form->addRow(tr("Connect to the address of:"), m_target);
    }
    if (k == PlayKind::Bind || k == PlayKind::Listen || k == PlayKind::Send ||
        k == PlayKind::Recv || k == PlayKind::SetOption) {
        m_number = new QSpinBox(this);
        m_number->setGroupSeparatorShown(true);
        const char *label = "";
        switch (k) {
        case PlayKind::Bind:
            m_number->setRange(0, 65535);
            m_number->setSpecialValueText(tr("0 (the kernel picks a port)"));
            label = QT_TR_NOOP("Port on 127.0.0.1:");
            break;
        case PlayKind::Listen:
            m_number->setRange(0, 4096);
            label = QT_TR_NOOP("Backlog:");
            break;
        case PlayKind::Send:
            m_number->setRange(1, 1 << 30);
            label = QT_TR_NOOP("Bytes:");
            break;
        case PlayKind::Recv:
            m_number->setRange(1, 16 << 20);
            label = QT_TR_NOOP("At most (bytes):");
            break;
        default:
            m_number->setRange(1, 64 << 20);
            label = QT_TR_NOOP("Size (bytes; the kernel doubles it):");
            break;
        }
        m_number->setValue(initial.number);
        form->addRow(tr(label), m_number);
    }
    if (k == PlayKind::Send) {
        m_text = new QLineEdit(initial.text, this);
        m_text->setPlaceholderText(tr("or type a text to send instead"));
        form->addRow(tr("Text:"), m_text);
    }
    if (k == PlayKind::Shutdown || k == PlayKind::SetBlocking || k == PlayKind::SetOption) {
        m_choice = new QComboBox(this);
        if (k == PlayKind::Shutdown)
            m_choice->addItems({tr("SHUT_RD — no more receiving"),
                                tr("SHUT_WR — no more sending (sends FIN)"),
                                tr("SHUT_RDWR — both")});
        else if (k == PlayKind::SetBlocking)
            m_choice->addItems(
                {tr("False — calls return EAGAIN instead of waiting"), tr("True — calls wait")});
        else
            m_choice->addItems({tr("SO_SNDBUF — send buffer"), tr("SO_RCVBUF — receive buffer")});
        m_choice->setCurrentIndex(initial.choice);
        form->addRow(k == PlayKind::SetOption ? tr("Option:") : tr("Mode:"), m_choice);
    }
    QGridLayout *grid = nullptr;
    if (k == PlayKind::Select) {
        grid = new QGridLayout;
        grid->addWidget(new QLabel(tr("read"), this), 0, 1);
        grid->addWidget(new QLabel(tr("write"), this), 0, 2);
        grid->addWidget(new QLabel(tr("error"), this), 0, 3);
        int row = 1;
        for (const PlaySocket &s : ctx.sockets) {
            grid->addWidget(new QLabel(s.name, this), row, 0);
            std::array<QCheckBox *, 3> boxes{};
            const QStringList *sets[] = {&initial.r, &initial.w, &initial.x};
            for (int c = 0; c < 3; ++c) {
                boxes[std::size_t(c)] = new QCheckBox(this);
                boxes[std::size_t(c)]->setChecked(sets[c]->contains(s.name));
                grid->addWidget(boxes[std::size_t(c)], row, c + 1);
            }
            m_sets.push_back(boxes);
            ++row;
        }
        m_timeout = new QDoubleSpinBox(this);
        m_timeout->setRange(0, 600);
        m_timeout->setDecimals(2);
        m_timeout->setSuffix(tr(" s"));
        m_timeout->setValue(std::max(0.0, initial.timeout));
        m_forever = new QCheckBox(tr("no timeout (wait until one is ready)"), this);
        m_forever->setChecked(initial.timeout < 0);
        form->addRow(tr("Timeout:"), m_timeout);
        form->addRow(QString(), m_forever);
    }

    m_preview = new QLabel(this);
    m_preview->setObjectName(QStringLiteral("playgroundPreview"));
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setFrameShape(QFrame::StyledPanel);
    m_preview->setMargin(6);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Perform"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    if (grid)
        layout->addLayout(grid);
    layout->addWidget(new QLabel(tr("The line added to the script:"), this));
    layout->addWidget(m_preview);
    layout->addWidget(m_buttons);

    // Every field updates the preview.
    for (QComboBox *c : findChildren<QComboBox *>())
        connect(c, &QComboBox::currentTextChanged, this, &PlaygroundDialog::updatePreview);
    for (QSpinBox *s : findChildren<QSpinBox *>())
        connect(s, &QSpinBox::valueChanged, this, &PlaygroundDialog::updatePreview);
    for (QCheckBox *c : findChildren<QCheckBox *>())
        connect(c, &QCheckBox::toggled, this, &PlaygroundDialog::updatePreview);
    // Another socket: its own actor makes the call unless the learner says otherwise.
    if (m_sock)
        connect(m_sock, &QComboBox::currentTextChanged, this, [this](const QString &name) {
            const QString owner = m_ctx.actorOf(name);
            if (!owner.isEmpty())
                m_actor->setCurrentText(owner);
        });
    if (m_text)
        connect(m_text, &QLineEdit::textChanged, this, &PlaygroundDialog::updatePreview);
    if (m_timeout)
        connect(m_timeout, &QDoubleSpinBox::valueChanged, this, &PlaygroundDialog::updatePreview);
    updatePreview();
}

PlayRequest PlaygroundDialog::request() const {
    PlayRequest r = m_initial;
    r.actor = m_actor->currentText().trimmed();
    if (m_sock)
        r.sock = m_sock->currentText();
    if (m_target)
        r.target = m_target->currentText();
    if (m_number)
        r.number = m_number->value();
    if (m_text)
        r.text = m_text->text();
    if (m_choice)
        r.choice = m_choice->currentIndex();
    if (m_timeout) {
        r.r.clear();
        r.w.clear();
        r.x.clear();
        QStringList *sets[] = {&r.r, &r.w, &r.x};
        for (std::size_t i = 0; i < m_sets.size(); ++i)
            for (int c = 0; c < 3; ++c)
                if (m_sets[i][std::size_t(c)]->isChecked())
                    *sets[c] << m_ctx.sockets[i].name;
        r.timeout = m_forever->isChecked() ? -1 : m_timeout->value();
    }
    return r;
}

QString PlaygroundDialog::line() const {
    return buildLine(request(), m_ctx);
}

void PlaygroundDialog::updatePreview() {
    if (m_timeout)
        m_timeout->setEnabled(!m_forever->isChecked());
    QString why;
    const QString l = buildLine(request(), m_ctx, &why);
    m_preview->setText(l.isEmpty() ? why : l);
    m_preview->setForegroundRole(l.isEmpty() ? QPalette::PlaceholderText : QPalette::WindowText);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!l.isEmpty());
}

} // namespace sl::ui
