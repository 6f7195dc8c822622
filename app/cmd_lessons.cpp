// socketlab lessons: the built-in lessons, one a line (number, id, title).
#include "cli.h"

namespace sl::app {

static int lessonsMain(const QStringList &args) {
    CommandLine cl(lessonsCommand());
    cl.addLangOption();
    if (const auto rc = cl.parse(args))
        return *rc;
    if (!cl.positionals().isEmpty())
        return cl.usageError(QStringLiteral("takes no arguments (got '%1')")
                                 .arg(cl.positionals().join(QLatin1Char(' '))));
    const QString lang = cl.lang();
    for (const lessons::LessonInfo &l : lessons::builtinLessons())
        out() << QStringLiteral("%1  %2  %3\n").arg(l.number, 2).arg(l.id, -26).arg(l.title(lang));
    return ExitOk;
}

Command lessonsCommand() {
    return {QStringLiteral("lessons"),
            QStringLiteral("[options]"),
            QStringLiteral("List the built-in lessons: number, id and title."),
            {QStringLiteral("socketlab lessons --lang ko        # their titles in Korean")},
            lessonsMain};
}

} // namespace sl::app
