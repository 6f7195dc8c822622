#include "ui/window/lessonsdock.h"

#include "ui/window/lessonmodel.h"

#include "engine/lab.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace sl::ui {

LessonsDock::LessonsDock(QWidget *parent)
    : QDockWidget(tr("Lessons"), parent)
    , m_model(new LessonModel(this))
    , m_view(new QTableView(this))
    , m_details(new QLabel(this))
    , m_progress(new QLabel(this))
    , m_open(new QPushButton(tr("Open"), this)) {
    setObjectName(QStringLiteral("lessonsDock"));
    m_view->setObjectName(QStringLiteral("lessonsView"));
    m_view->setModel(m_model);
    m_view->verticalHeader()->hide();
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    QHeaderView *h = m_view->horizontalHeader();
    h->setSectionResizeMode(LessonModel::NumberColumn, QHeaderView::ResizeToContents);
    h->setSectionResizeMode(LessonModel::TitleColumn, QHeaderView::Stretch);
    h->setSectionResizeMode(LessonModel::SeedColumn, QHeaderView::Interactive);
    h->setSectionResizeMode(LessonModel::DoneColumn, QHeaderView::ResizeToContents);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);

    m_details->setObjectName(QStringLiteral("lessonDetails"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::PlainText);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_details->setMargin(4);
    m_details->setMinimumHeight(m_details->fontMetrics().height() * 4);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_progress, 1);
    bottom->addWidget(m_open);

    auto *w = new QWidget(this);
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_details);
    layout->addLayout(bottom);
    setWidget(w);

    connect(m_view, &QAbstractItemView::activated, this,
            [this](const QModelIndex &i) { openRow(i.row()); });
    connect(m_open, &QPushButton::clicked, this, [this] { openRow(m_view->currentIndex().row()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LessonsDock::updateDetails);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &LessonsDock::updateDetails);
    updateDetails();
}

void LessonsDock::setLab(engine::Lab *lab) {
    if (m_lab)
        disconnect(m_lab, nullptr, this, nullptr);
    m_lab = lab;
    if (m_lab)
        connect(m_lab, &engine::Lab::finished, this, &LessonsDock::onLabFinished);
}

void LessonsDock::setLanguage(const QString &lang) {
    m_model->setLanguage(lang);
    updateDetails();
}

void LessonsDock::setCurrentLesson(const QString &id) {
    m_current = id;
    const int row = m_model->rowOf(id);
    if (row >= 0)
        m_view->setCurrentIndex(m_model->index(row, LessonModel::TitleColumn));
}

void LessonsDock::onLabFinished() {
    if (!m_lab || m_current.isEmpty())
        return;
    if (m_lab->failedExpectations() == 0 && m_lab->scriptErrors() == 0)
        m_model->setFinished(m_current);
}

void LessonsDock::openRow(int row) {
    if (const lessons::LessonInfo *l = m_model->lessonAt(row))
        emit openRequested(*l);
}

// "Level 2 · after: 1 Client basics ✓, 5 Partial send (not yet) · 2 questions to predict"
QString LessonsDock::pathText(const lessons::LessonInfo &l) const {
    QStringList parts;
    if (l.level() > 0)
        parts << tr("Level %1").arg(l.level());
    QStringList after;
    for (const QString &id : l.prerequisites()) {
        const int row = m_model->rowOf(id);
        const lessons::LessonInfo *p = m_model->lessonAt(row);
        const QString name =
            p ? QStringLiteral("%1 %2").arg(p->number).arg(p->title(m_model->language())) : id;
        after << (m_model->isFinished(id) ? tr("%1 ✓").arg(name) : tr("%1 (not yet)").arg(name));
    }
    if (!after.isEmpty())
        parts << tr("after: %1").arg(after.join(QStringLiteral(", ")));
    if (const int n = l.questionCount())
        parts << (n == 1 ? tr("1 question to predict") : tr("%1 questions to predict").arg(n));
    if (l.hasBlanks())
        parts << tr("an exercise");
    return parts.join(QStringLiteral(" · "));
}

void LessonsDock::updateDetails() {
    const lessons::LessonInfo *l = m_model->lessonAt(m_view->currentIndex().row());
    m_open->setEnabled(l != nullptr);
    if (l) {
        QString text = l->summary(m_model->language());
        const QString seed = l->meta.value(QStringLiteral("seed"));
        if (!seed.isEmpty())
            text += QStringLiteral("\n\n") + tr("Study note section: %1").arg(seed);
        text += QStringLiteral("\n\n") + pathText(*l); // the path: level, what comes first
        m_details->setText(text);
    } else {
        m_details->setText(tr("Double-click a lesson to open it."));
    }
    m_progress->setText(
        tr("%1 of %2 finished").arg(m_model->finishedCount()).arg(m_model->rowCount()));
}

} // namespace sl::ui
