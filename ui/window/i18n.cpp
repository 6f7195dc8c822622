#include "ui/window/i18n.h"

#include <QCoreApplication>
#include <QEvent>
#include <QPointer>
#include <QSettings>
#include <QTranslator>
#include <QWidget>

namespace sl::ui {

namespace {

// lupdate (Qt 6.4) does not read `namespace sl::ui {` and files a class's tr() under
// "MainWindow" where the meta-object says "sl::ui::MainWindow": look up both.
class LabTranslator : public QTranslator {
public:
    using QTranslator::QTranslator;
    QString translate(const char *context, const char *sourceText, const char *disambiguation,
                      int n) const override {
        QString t = QTranslator::translate(context, sourceText, disambiguation, n);
        static constexpr char prefix[] = "sl::ui::";
        if (t.isNull() && context && qstrncmp(context, prefix, sizeof prefix - 1) == 0)
            t = QTranslator::translate(context + sizeof prefix - 1, sourceText, disambiguation, n);
        return t;
    }
};

// Owned by its widget (a child QObject): gone with it.
class Retranslator : public QObject {
public:
    Retranslator(QWidget *widget, std::function<void()> apply)
        : QObject(widget)
        , m_apply(std::move(apply)) {
        widget->installEventFilter(this);
    }
    bool eventFilter(QObject *, QEvent *event) override {
        if (event->type() == QEvent::LanguageChange)
            m_apply();
        return false;
    }

private:
    std::function<void()> m_apply;
};

QPointer<LabTranslator> g_korean;
QString g_lang = QStringLiteral("en");

const QString settingsKey() {
    return QStringLiteral("ui/language");
}

} // namespace

bool setUiLanguage(const QString &lang, bool remember) {
    const QString l = lang == QLatin1String("ko") ? QStringLiteral("ko") : QStringLiteral("en");
    if (remember)
        QSettings().setValue(settingsKey(), l);
    if (!g_korean)
        g_lang = QStringLiteral("en"); // the application that had it is gone
    if (l == g_lang)
        return true;
    if (l == QLatin1String("ko")) {
        if (!g_korean) {
            g_korean = new LabTranslator(QCoreApplication::instance());
            if (!g_korean->load(QStringLiteral(":/i18n/socketlab_ko.qm"))) {
                delete g_korean;
                g_korean = nullptr;
                return false;
            }
        }
        QCoreApplication::installTranslator(g_korean);
    } else if (g_korean) {
        QCoreApplication::removeTranslator(g_korean);
    }
    g_lang = l;
    return true;
}

QString uiLanguage() {
    return g_lang;
}

QString savedUiLanguage() {
    return QSettings().value(settingsKey()).toString() == QLatin1String("ko")
               ? QStringLiteral("ko")
               : QStringLiteral("en");
}

void retranslateWith(QWidget *widget, std::function<void()> apply) {
    apply();
    new Retranslator(widget, std::move(apply));
}

} // namespace sl::ui
