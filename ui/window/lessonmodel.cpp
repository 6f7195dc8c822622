#include "ui/window/lessonmodel.h"

#include <QSettings>

namespace sl::ui {

namespace {
const QString finishedKey() {
    return QStringLiteral("lessons/finished");
}
} // namespace

LessonModel::LessonModel(QObject *parent)
    : QAbstractTableModel(parent) {
    const QStringList done = QSettings().value(finishedKey()).toStringList();
    m_finished = QSet<QString>(done.begin(), done.end());
    m_lessons = lessons::builtinLessons();
}

void LessonModel::setLessons(const QList<lessons::LessonInfo> &lessons) {
    beginResetModel();
    m_lessons = lessons;
    endResetModel();
}

const lessons::LessonInfo *LessonModel::lessonAt(int row) const {
    return row >= 0 && row < m_lessons.size() ? &m_lessons[row] : nullptr;
}

int LessonModel::rowOf(const QString &id) const {
    for (int r = 0; r < m_lessons.size(); ++r)
        if (m_lessons[r].id == id)
            return r;
    return -1;
}

void LessonModel::setLanguage(const QString &lang) {
    if (lang == m_lang)
        return;
    m_lang = lang;
    if (!m_lessons.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, NUM_COLUMNS - 1));
    emit headerDataChanged(Qt::Horizontal, 0, NUM_COLUMNS - 1);
}

void LessonModel::setFinished(const QString &id, bool finished) {
    if (finished == m_finished.contains(id))
        return;
    if (finished)
        m_finished.insert(id);
    else
        m_finished.remove(id);
    QStringList ids(m_finished.begin(), m_finished.end());
    ids.sort();
    QSettings().setValue(finishedKey(), ids);
    const int row = rowOf(id);
    if (row >= 0)
        emit dataChanged(index(row, 0), index(row, NUM_COLUMNS - 1));
}

int LessonModel::finishedCount() const {
    int n = 0;
    for (const lessons::LessonInfo &l : m_lessons)
        n += m_finished.contains(l.id);
    return n;
}

int LessonModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_lessons.size());
}

int LessonModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant LessonModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const lessons::LessonInfo &l = m_lessons[index.row()];
    const bool done = m_finished.contains(l.id);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NumberColumn:
            return l.number;
        case TitleColumn:
            return l.title(m_lang);
        case SeedColumn:
            return l.meta.value(QStringLiteral("seed"));
        case DoneColumn:
            return done ? tr("✓ done") : QString();
        }
        break;
    case Qt::ToolTipRole:
    case SummaryRole:
        return l.summary(m_lang);
    case Qt::TextAlignmentRole:
        if (index.column() == NumberColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::AccessibleTextRole:
        return tr("Lesson %1: %2%3")
            .arg(l.number)
            .arg(l.title(m_lang), done ? tr(", finished") : QString());
    case IdRole:
        return l.id;
    case FinishedRole:
        return done;
    case NumberRole:
        return l.number;
    }
    return {};
}

QVariant LessonModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NumberColumn:
        return tr("#");
    case TitleColumn:
        return tr("Lesson");
    case SeedColumn:
        return tr("Section");
    case DoneColumn:
        return tr("Finished");
    }
    return {};
}

} // namespace sl::ui
