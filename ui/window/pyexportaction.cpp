#include "ui/window/pyexportaction.h"

#include "ui/script/scriptpanel.h"

#include "lessons/lessoncatalog.h"
#include "script/parser.h"
#include "script/pyexport.h"

#include <QAction>
#include <QFileDialog>
#include <QMessageBox>
#include <QSaveFile>

namespace sl::ui {

PyExportAction::PyExportAction(QWidget *window, ScriptPanel *script)
    : QObject(window)
    , m_window(window)
    , m_script(script)
    , m_act(new QAction(this)) {
    setObjectName(QStringLiteral("pyExportAction"));
    m_act->setObjectName(QStringLiteral("actionExportPython"));
    connect(m_act, &QAction::triggered, this, &PyExportAction::exportInteractively);
    retranslate();
}

void PyExportAction::retranslate() {
    m_act->setText(tr("Export as &Python…"));
    m_act->setToolTip(tr("Write this experiment as a runnable Python 3 program: one thread "
                         "per actor, expect lines as asserts"));
}

bool PyExportAction::exportTo(const QString &path, QString *error) const {
    const script::ParseResult parsed =
        script::parse(lessons::fillBlanks(m_script->source()), QStringLiteral("<editor>"));
    if (!parsed.program) {
        if (error)
            *error = parsed.diagnostics.empty() ? tr("The script does not parse.")
                                                : tr("The script does not parse: line %1: %2")
                                                      .arg(parsed.diagnostics.front().span.line)
                                                      .arg(parsed.diagnostics.front().message);
        return false;
    }
    script::PyExportOptions opts;
    opts.lang =
        m_script->language() == QLatin1String("ko") ? QStringLiteral("ko") : QStringLiteral("en");
    const QByteArray py = script::exportPython(*parsed.program, opts).toUtf8();
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(py) != py.size() || !f.commit()) {
        if (error)
            *error = f.errorString();
        return false;
    }
    return true;
}

void PyExportAction::exportInteractively() {
    const QString path =
        QFileDialog::getSaveFileName(m_window, tr("Export as Python"),
                                     QStringLiteral("experiment.py"), tr("Python programs (*.py)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(path, &error))
        QMessageBox::warning(m_window, tr("Export as Python"), error);
}

} // namespace sl::ui
