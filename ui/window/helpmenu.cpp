#include "ui/window/helpmenu.h"

#include "engine/version.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QMenu>
#include <QMessageBox>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <sys/utsname.h>

namespace sl::ui {

QString labReferenceMarkdown() {
    QFile f(QStringLiteral(":/doc/README.md"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QString readme = QString::fromUtf8(f.readAll());
    const QString head = QStringLiteral("## Writing a lesson");
    const qsizetype from = readme.indexOf(head);
    if (from < 0)
        return {};
    qsizetype to = readme.indexOf(QStringLiteral("\n## "), from + head.size());
    if (to < 0)
        to = readme.size();
    // Its own window: the section's heading becomes the page's title.
    QString section = readme.mid(from, to - from).trimmed();
    section.replace(0, head.size(), QStringLiteral("# The .lab language"));
    return section + QLatin1Char('\n');
}

QString aboutText() {
    struct utsname u {};
    const QString kernel = uname(&u) == 0 ? QStringLiteral("%1 %2 (%3)")
                                                .arg(QString::fromLocal8Bit(u.sysname),
                                                     QString::fromLocal8Bit(u.release),
                                                     QString::fromLocal8Bit(u.machine))
                                          : QStringLiteral("?");
    return HelpMenu::tr("<h3>Socket Lab %1</h3>"
                        "<p>Run real BSD socket calls step by step and watch the kernel.</p>"
                        "<p>Licence: %2 (free software: see the LICENSE file).</p>"
                        "<p>Qt %3 (built with %4)<br>Kernel: %5</p>")
        .arg(labVersion(), QLatin1String(LabLicence), QString::fromLatin1(qVersion()),
             QStringLiteral(QT_VERSION_STR), kernel.toHtmlEscaped());
}

HelpMenu::HelpMenu(QWidget *window, QMenu *menu)
    : QObject(window)
    , m_window(window)
    , m_menu(menu)
    , m_referenceAct(menu->addAction(QString()))
    , m_aboutAct(menu->addAction(QString())) {
    setObjectName(QStringLiteral("helpMenu"));
    m_menu->setObjectName(QStringLiteral("helpMenu"));
    m_referenceAct->setObjectName(QStringLiteral("actionLabReference"));
    m_referenceAct->setShortcut(QKeySequence(Qt::Key_F1));
    m_aboutAct->setObjectName(QStringLiteral("actionAbout"));
    m_aboutAct->setMenuRole(QAction::AboutRole);
    connect(m_referenceAct, &QAction::triggered, this, &HelpMenu::showReference);
    connect(m_aboutAct, &QAction::triggered, this, [this] {
        QMessageBox box(QMessageBox::Information, tr("About Socket Lab"), aboutText(),
                        QMessageBox::Ok, m_window);
        box.setObjectName(QStringLiteral("aboutBox"));
        box.setTextFormat(Qt::RichText);
        box.setIconPixmap(m_window->windowIcon().pixmap(64, 64));
        box.exec();
    });
    retranslate();
}

void HelpMenu::retranslate() {
    m_menu->setTitle(tr("&Help"));
    m_referenceAct->setText(tr(".lab &Reference"));
    m_aboutAct->setText(tr("&About Socket Lab"));
    if (m_reference)
        m_reference->setWindowTitle(tr(".lab Reference"));
}

QWidget *HelpMenu::showReference() {
    if (!m_reference) {
        auto *dialog = new QDialog(m_window, Qt::Window);
        dialog->setObjectName(QStringLiteral("labReference"));
        auto *layout = new QVBoxLayout(dialog);
        auto *browser = new QTextBrowser(dialog);
        browser->setObjectName(QStringLiteral("labReferenceText"));
        browser->setOpenExternalLinks(true);
        // The README's text as written (English): it is the language's one reference.
        browser->setMarkdown(labReferenceMarkdown());
        layout->addWidget(browser);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
        connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
        layout->addWidget(buttons);
        dialog->resize(760, 640);
        m_reference = dialog;
        retranslate();
    }
    m_reference->show();
    m_reference->raise();
    m_reference->activateWindow();
    return m_reference;
}

} // namespace sl::ui
