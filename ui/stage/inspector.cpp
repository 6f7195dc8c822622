#include "ui/stage/inspector.h"

#include "ui/affinity.h"
#include "ui/stage/kernelmodel.h"
#include "ui/stage/queuechart.h"
#include "ui/time/timecursor.h"
#include "ui/window/i18n.h"

#include "sys/kernelprobe.h"
#include "view/queuefill.h"

#include <sys/socket.h>

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <vector>

namespace sl::ui {

namespace {

const char *const FieldLabels[Inspector::NUM_FIELDS] = {
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "Name"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "Owner"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "TCP state"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "Descriptor"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "Local address"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "Peer address"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "SO_SNDBUF"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "SO_RCVBUF"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "Send queue (SIOCOUTQ)"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "  not yet sent (SIOCOUTQNSD)"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "Receive queue (SIOCINQ)"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "Receive fill"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "Send fill"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "Accept queue"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "Backlog"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "Readiness (poll)"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "Blocking mode"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "Kernel-only"),
    QT_TRANSLATE_NOOP("sl::ui::Inspector", "Shown at"),
};

// How full a queue is, as the bars draw it: "4,096 / 4,096 data · full · window 0",
// "1,280 / 212,992 memory · datagrams: 1 · drops: 38".
QString fillText(const QueueFill &f, bool udp) {
    const QLocale loc;
    if (f.used < 0 || f.capacity <= 0)
        return Inspector::tr("n/a");
    QStringList parts;
    parts << (udp ? Inspector::tr("%1 / %2 memory") : Inspector::tr("%1 / %2 data"))
                 .arg(loc.toString(qlonglong(f.used)), loc.toString(qlonglong(f.capacity)));
    if (f.full)
        parts << Inspector::tr("full");
    if (f.window0)
        parts << Inspector::tr("window 0");
    if (f.datagrams >= 0)
        parts << Inspector::tr("datagrams: %1").arg(loc.toString(f.datagrams));
    if (f.drops >= 0)
        parts << Inspector::tr("drops: %1").arg(loc.toString(qlonglong(f.drops)));
    return parts.join(QStringLiteral(" · "));
}

} // namespace

Inspector::Inspector(TimeCursor *cursor, QWidget *parent)
    : QWidget(parent)
    , m_cursor(cursor)
    , m_list(new QComboBox(this))
    , m_chart(new QueueChart(cursor, this))
    , m_note(new QLabel(this)) {
    m_list->setObjectName(QStringLiteral("inspectorSocketList"));
    // A long socket name must not set the dock's minimum width.
    m_list->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_list->setMinimumContentsLength(8);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    // A narrow dock (a 1280×720 projector) puts a value under its label rather than
    // cutting it ("tcp · SYN_"): every value wraps, nothing needs a horizontal scroll.
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->setVerticalSpacing(2);
    QLabel *labels[NUM_FIELDS];
    for (int f = 0; f < NUM_FIELDS; ++f) {
        m_fields[f] = new QLabel(this);
        m_fields[f]->setTextInteractionFlags(Qt::TextSelectableByMouse);
        // Sentences wrap at spaces; numbers and addresses never wrap (a narrow label
        // broke "4,194,304" at its commas): the form moves such a row under its label.
        if (f == StateField || f == RecvFillField || f == SendFillField || f == SampledField ||
            f == BlockingField)
            m_fields[f]->setWordWrap(true);
        labels[f] = new QLabel(this);
        form->addRow(labels[f], m_fields[f]);
    }
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_list);
    layout->addLayout(form);
    m_note->setObjectName(QStringLiteral("inspectorNote"));
    m_note->setWordWrap(true);
    m_note->setVisible(false);
    layout->addWidget(m_note);
    layout->addWidget(m_chart, 1);
    m_chart->setMinimumHeight(120);

    connect(m_list, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (i >= 0)
            setSocket(m_list->itemData(i).toInt());
    });
    m_fieldsTimer.setSingleShot(true);
    connect(&m_fieldsTimer, &QTimer::timeout, this, &Inspector::refreshFields);
    connect(cursor, &TimeCursor::traceChanged, this, &Inspector::rebuild);
    connect(cursor, &TimeCursor::positionChanged, this, &Inspector::onPosition);
    rebuild();
    // Labels, tooltip and the values' words ("n/a", "blocking") in the window's language.
    retranslateWith(this, [this, labels = std::vector<QLabel *>(labels, labels + NUM_FIELDS)] {
        m_list->setToolTip(tr("The socket to inspect. It follows the socket of the call at the "
                              "cursor until you pick one here or click its card on the stage; a "
                              "click on the stage's background follows the calls again."));
        for (int f = 0; f < NUM_FIELDS; ++f)
            labels[std::size_t(f)]->setText(tr(FieldLabels[f]));
        refreshList();
        refreshFields();
    });
}

QString Inspector::fieldText(Field f) const {
    if (m_fieldsTimer.isActive()) // a refresh held back: what it would show
        const_cast<Inspector *>(this)->refreshFields();
    return m_fields[f]->text();
}

QString Inspector::noteText() const {
    if (m_fieldsTimer.isActive())
        const_cast<Inspector *>(this)->refreshFields();
    return m_note->text();
}

void Inspector::setSocket(int sockId) {
    SL_ASSERT_OWN_THREAD();
    if (sockId == m_sock)
        return;
    choose(sockId);
    refreshFields();
}

void Inspector::followSocket(int sockId) {
    SL_ASSERT_OWN_THREAD();
    if (sockId == m_sock)
        return;
    choose(sockId);
    scheduleFields();
}

void Inspector::choose(int sockId) {
    m_sock = sockId;
    m_chart->setSocket(sockId);
    const int i = m_list->findData(sockId);
    if (i >= 0 && i != m_list->currentIndex()) {
        const QSignalBlocker block(m_list);
        m_list->setCurrentIndex(i);
    }
}

void Inspector::scheduleFields() {
    if (m_fieldsTimer.isActive())
        return; // the refresh held back will show this too
    const qint64 since = m_sinceFields.isValid() ? m_sinceFields.elapsed() : MinRefreshMs;
    if (since >= MinRefreshMs)
        refreshFields();
    else
        m_fieldsTimer.start(int(MinRefreshMs - since));
}

void Inspector::rebuild() {
    SL_ASSERT_OWN_THREAD();
    m_state.clear();
    m_sock = -1;
    m_chart->setSocket(-1);
    onPosition();
}

void Inspector::onPosition() {
    SL_ASSERT_OWN_THREAD();
    if (m_cursor && m_cursor->trace())
        followCursor(m_state, *m_cursor->trace(), m_cursor->position());
    else
        m_state.clear();
    refreshList();
    scheduleFields();
}

void Inspector::refreshList() {
    QStringList texts;
    for (const SocketSnap &s : m_state.sockets) {
        QString t = s.name.isEmpty() ? QStringLiteral("#%1").arg(s.id) : s.name;
        if (s.kernelOnly)
            t = tr("%1  kernel-only  %2 → %3").arg(t, s.local, s.peer);
        else if (s.fd >= 0)
            t = tr("%1  fd %2").arg(t).arg(s.fd);
        if (s.closed)
            t = tr("%1  (closed)").arg(t);
        texts << t;
    }
    if (texts == m_listTexts)
        return;
    m_listTexts = texts;
    const QSignalBlocker block(m_list);
    m_list->clear();
    for (std::size_t i = 0; i < m_state.sockets.size(); ++i)
        m_list->addItem(texts[int(i)], m_state.sockets[i].id);
    int cur = m_list->findData(m_sock);
    if (m_sock < 0 && m_list->count() > 0) {
        // Nothing chosen yet: the first socket, so the panel is never blank. A chosen
        // socket that does not exist at the cursor (looking back) stays chosen.
        cur = 0;
        m_sock = m_list->itemData(0).toInt();
        m_chart->setSocket(m_sock);
    }
    m_list->setCurrentIndex(cur);
}

void Inspector::refreshFields() {
    m_fieldsTimer.stop();
    m_sinceFields.start();
    const SocketSnap *s = m_state.socket(m_sock);
    if (!s) {
        m_note->clear();
        m_note->setVisible(false);
        for (QLabel *l : m_fields)
            l->setText(QStringLiteral("–"));
        m_fields[NameField]->setText(tr("no socket at this point"));
        return;
    }
    const trace::SampleData &d = s->sample;
    // A descriptor close() released has no queues or readiness any more: its last
    // sample's numbers would read as current.
    const bool sampled = s->hasSample && !(s->closed && !s->kernelOnly);
    const auto num = [&](std::int32_t v) { return sampled ? kernelNumber(v) : tr("n/a"); };
    m_fields[NameField]->setText(s->name.isEmpty() ? QStringLiteral("#%1").arg(s->id) : s->name);
    const QString actor = s->actor >= 0 && std::size_t(s->actor) < m_state.actors.size()
                              ? m_state.actors[std::size_t(s->actor)].name
                              : QString();
    m_fields[OwnerField]->setText(s->kernelOnly ? tr("the kernel (no descriptor)")
                                                : (actor.isEmpty() ? tr("n/a") : actor));
    QString state =
        sampled && d.state ? QLatin1String(sys::tcpStateName(sys::TcpState(d.state))) : tr("n/a");
    if (s->closed)
        state = s->kernelOnly ? tr("gone") : tr("closed (descriptor released)");
    m_fields[StateField]->setText(QStringLiteral("%1 · %2").arg(netidText(*s), state));
    m_fields[FdField]->setText(s->fd >= 0 && !s->closed ? QString::number(s->fd) : tr("none"));
    m_fields[LocalField]->setText(s->local.isEmpty() ? tr("n/a") : s->local);
    m_fields[PeerField]->setText(s->peer.isEmpty() ? tr("n/a") : s->peer);
    m_fields[SndbufField]->setText(num(d.sndbuf));
    m_fields[RcvbufField]->setText(num(d.rcvbuf));
    m_fields[SendQField]->setText(num(d.sendQ));
    m_fields[UnsentField]->setText(num(d.unsent));
    m_fields[RecvQField]->setText(num(d.recvQ));
    const bool udp = s->type == SOCK_DGRAM;
    const bool live = sampled && !s->closed;
    const QueueFill recv = recvFill(m_state, *s), send = sendFill(m_state, *s);
    m_fields[RecvFillField]->setText(live ? fillText(recv, udp) : tr("n/a"));
    QString sendText = live ? fillText(send, udp) : tr("n/a");
    if (live && send.window0 && !sendText.contains(tr("window 0")))
        sendText += QStringLiteral(" · ") + tr("window 0");
    m_fields[SendFillField]->setText(sendText);
    // Why a full TCP queue holds half its SO_RCVBUF, in one sentence, where the learner
    // looks when a bar turns red.
    QString note;
    if (live && !udp && (recv.full || recv.window0) && recv.capacity > 0 &&
        d.rcvbuf > recv.capacity)
        note = tr("Window 0: the receive queue is full. SO_RCVBUF (%1) counts memory, not data: "
                  "the kernel charges every packet its buffer's overhead (sk_buff), so only about "
                  "half, ~%2 bytes, holds data.")
                   .arg(QLocale().toString(d.rcvbuf), QLocale().toString(qlonglong(recv.capacity)));
    else if (live && send.window0)
        note = tr("Window 0: the peer's receive queue is full, so it advertises no room and "
                  "nothing more leaves this send queue until the peer reads.");
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    m_fields[AcceptQField]->setText(num(d.acceptQ));
    m_fields[BacklogField]->setText(num(d.backlog));
    m_fields[ReadinessField]->setText(sampled ? readinessText(d.readiness) : tr("n/a"));
    m_fields[BlockingField]->setText(s->kernelOnly   ? tr("n/a")
                                     : d.nonBlocking ? tr("non-blocking")
                                                     : tr("blocking"));
    m_fields[KernelOnlyField]->setText(s->kernelOnly ? tr("yes: seen only through sock_diag")
                                                     : tr("no"));
    m_fields[SampledField]->setText(tr("%1 s (time cursor at event %2)")
                                        .arg(m_state.lastNs / 1e9, 0, 'f', 3)
                                        .arg(m_cursor ? qulonglong(m_cursor->position()) : 0));
}

} // namespace sl::ui
